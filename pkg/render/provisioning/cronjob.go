package provisioning

import (
	"path"
	"sort"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/endsys/pocketid-oidc/pkg/api/v1alpha1"
	"github.com/endsys/pocketid-oidc/pkg/preset"
)

// CronJobName is the one reconcile CronJob of a provisioning namespace.
const CronJobName = "pocketid-oidc-reconcile"

// CronJob renders the reconcile CronJob of one provisioning namespace: it re-runs provisioning
// over every client of the namespace (drift repair, finishing secret rotations). Clients must
// all share the namespace; their ConfigMaps and secrets are projected into the same paths the
// Jobs use. It is shared by several integrations and so carries no integration label.
func CronJob(namespace string, provider v1alpha1.ProviderSpec, apiKey v1alpha1.KeyRef, clients []Client) (*yaml.RNode, error) {
	sorted := append([]Client(nil), clients...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].Document.Spec.ID < sorted[j].Document.Spec.ID })
	var cmSources, secretSources []corev1.VolumeProjection
	for _, c := range sorted {
		cm, _, err := objects(c)
		if err != nil {
			return nil, err
		}
		key := fileName(c.Document.Spec.ID)
		cmSources = append(cmSources, corev1.VolumeProjection{ConfigMap: &corev1.ConfigMapProjection{
			LocalObjectReference: corev1.LocalObjectReference{Name: cm.Name},
			Items:                []corev1.KeyToPath{{Key: key, Path: key}},
		}})
		if c.SecretName != "" {
			secretSources = append(secretSources, corev1.VolumeProjection{Secret: &corev1.SecretProjection{
				LocalObjectReference: corev1.LocalObjectReference{Name: c.SecretName},
				Items: []corev1.KeyToPath{{
					Key:  preset.SecretKeyClientSecret,
					Path: path.Join(c.SecretName, preset.SecretKeyClientSecret),
				}},
			}})
		}
	}
	volumes := []corev1.Volume{{
		Name: "clients",
		VolumeSource: corev1.VolumeSource{Projected: &corev1.ProjectedVolumeSource{
			Sources: cmSources, DefaultMode: ptr(int32(0o444)),
		}},
	}}
	mounts := []corev1.VolumeMount{{Name: "clients", MountPath: ClientsDir, ReadOnly: true}}
	if len(secretSources) > 0 {
		volumes = append(volumes, corev1.Volume{
			Name: "client-secrets",
			VolumeSource: corev1.VolumeSource{Projected: &corev1.ProjectedVolumeSource{
				Sources: secretSources, DefaultMode: ptr(int32(0o440)),
			}},
		})
		mounts = append(mounts, corev1.VolumeMount{Name: "client-secrets", MountPath: SecretsDir, ReadOnly: true})
	}
	volumes, mounts = appendCommon(volumes, mounts, provider, apiKey)
	labels := Labels("")
	cj := &batchv1.CronJob{
		TypeMeta:   metav1.TypeMeta{APIVersion: "batch/v1", Kind: "CronJob"},
		ObjectMeta: metav1.ObjectMeta{Name: CronJobName, Namespace: namespace, Labels: labels},
		Spec: batchv1.CronJobSpec{
			Schedule:                   provider.ReconcileSchedule,
			ConcurrencyPolicy:          batchv1.ForbidConcurrent,
			SuccessfulJobsHistoryLimit: ptr(int32(1)),
			FailedJobsHistoryLimit:     ptr(int32(1)),
			JobTemplate: batchv1.JobTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{Labels: labels},
				Spec: batchv1.JobSpec{
					BackoffLimit:            ptr(int32(backoffLimit)),
					ActiveDeadlineSeconds:   ptr(int64(activeDeadlineSeconds)),
					TTLSecondsAfterFinished: provider.JobTTLSecondsAfterFinished,
					Template: corev1.PodTemplateSpec{
						ObjectMeta: metav1.ObjectMeta{Labels: labels},
						Spec:       podSpec(provider, volumes, mounts),
					},
				},
			},
		},
	}
	out, err := toRNodes(cj)
	if err != nil {
		return nil, err
	}
	return out[0], nil
}
