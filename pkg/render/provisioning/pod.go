package provisioning

import (
	"path"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/endsys/pocketid-oidc/pkg/api/v1alpha1"
	"github.com/endsys/pocketid-oidc/pkg/contract"
)

// The pod runs as the distroless "nonroot" user.
const uid = 65532

// Retries. One run of the provisioner gives up after provisionTimeout (waiting for Pocket ID
// included) and exits 3 when Pocket ID was only unavailable, 1 when a person must fix
// something (a missing group may be created later), 2 on bad input. The Job retries 1 and 3
// with the Job controller's backoff (10 s doubling to a cap of 6 min): backoffLimit 10 is
// eleven runs, pod k starting after at most (k-1)*5 min of runs plus 10+20+...+360 s of
// delays, so the eleventh starts at 84 min: an hour-long Pocket ID outage converges within
// the Job. activeDeadlineSeconds (2 h) bounds the whole Job, waiting for the ESO Secrets
// included, and exceeds eleven runs (~90 min). Exit 2 fails the Job at once (podFailurePolicy):
// running bad input again cannot help. A failed Job stays failed, visible; the integration's
// reconcile CronJob runs the same pod again at its next tick.
const (
	provisionTimeout      = "5m"
	backoffLimit          = 10
	activeDeadlineSeconds = 2 * 60 * 60
)

// jobSpec is the spec of the Job and of the CronJob's Jobs.
func jobSpec(p v1alpha1.ProviderSpec, labels map[string]string, volumes []corev1.Volume, mounts []corev1.VolumeMount) batchv1.JobSpec {
	return batchv1.JobSpec{
		BackoffLimit:            ptr(int32(backoffLimit)),
		ActiveDeadlineSeconds:   ptr(int64(activeDeadlineSeconds)),
		TTLSecondsAfterFinished: p.JobTTLSecondsAfterFinished,
		PodFailurePolicy: &batchv1.PodFailurePolicy{Rules: []batchv1.PodFailurePolicyRule{
			{
				Action: batchv1.PodFailurePolicyActionFailJob,
				OnExitCodes: &batchv1.PodFailurePolicyOnExitCodesRequirement{
					ContainerName: ptr(containerName),
					Operator:      batchv1.PodFailurePolicyOnExitCodesOpIn,
					Values:        []int32{contract.ExitUsage},
				},
			},
			{
				// A drained node or a preempted pod is no failure of the run.
				Action:          batchv1.PodFailurePolicyActionIgnore,
				OnPodConditions: []batchv1.PodFailurePolicyOnPodConditionsPattern{{Type: corev1.DisruptionTarget, Status: corev1.ConditionTrue}},
			},
		}},
		Template: corev1.PodTemplateSpec{
			ObjectMeta: metav1.ObjectMeta{Labels: labels},
			Spec:       podSpec(p, volumes, mounts),
		},
	}
}

const containerName = "provision"

// appendCommon adds the API key, the optional CA bundle and a writable /tmp (the root file
// system is read-only).
func appendCommon(volumes []corev1.Volume, mounts []corev1.VolumeMount, p v1alpha1.ProviderSpec, apiKey v1alpha1.KeyRef) ([]corev1.Volume, []corev1.VolumeMount) {
	volumes = append(volumes, secretVolume("api-key", apiKey.Name, apiKey.Key, v1alpha1.DefaultAPIKeySecretKey))
	mounts = append(mounts, corev1.VolumeMount{Name: "api-key", MountPath: APIKeyDir, ReadOnly: true})
	if ca := p.CAConfigMapRef; ca != nil {
		volumes = append(volumes, corev1.Volume{
			Name: "ca",
			VolumeSource: corev1.VolumeSource{ConfigMap: &corev1.ConfigMapVolumeSource{
				LocalObjectReference: corev1.LocalObjectReference{Name: ca.Name},
				Items:                []corev1.KeyToPath{{Key: ca.Key, Path: path.Base(CAFile)}},
				DefaultMode:          ptr(int32(0o444)),
			}},
		})
		mounts = append(mounts, corev1.VolumeMount{Name: "ca", MountPath: CADir, ReadOnly: true})
	}
	volumes = append(volumes, corev1.Volume{
		Name: "tmp",
		VolumeSource: corev1.VolumeSource{EmptyDir: &corev1.EmptyDirVolumeSource{
			SizeLimit: ptr(resource.MustParse("16Mi")),
		}},
	})
	mounts = append(mounts, corev1.VolumeMount{Name: "tmp", MountPath: "/tmp"})
	return volumes, mounts
}

// podSpec passes Pod Security "restricted" and mounts no service account token: the
// provisioner talks to Pocket ID only, never to the Kubernetes API.
func podSpec(p v1alpha1.ProviderSpec, volumes []corev1.Volume, mounts []corev1.VolumeMount) corev1.PodSpec {
	args := []string{"provision", "--client-file", ClientsDir, "--timeout", provisionTimeout}
	if p.CAConfigMapRef != nil {
		args = append(args, "--ca-file", CAFile)
	}
	return corev1.PodSpec{
		RestartPolicy:                corev1.RestartPolicyNever,
		AutomountServiceAccountToken: ptr(false),
		EnableServiceLinks:           ptr(false),
		SecurityContext: &corev1.PodSecurityContext{
			RunAsNonRoot:   ptr(true),
			RunAsUser:      ptr(int64(uid)),
			RunAsGroup:     ptr(int64(uid)),
			FSGroup:        ptr(int64(uid)),
			SeccompProfile: &corev1.SeccompProfile{Type: corev1.SeccompProfileTypeRuntimeDefault},
		},
		Containers: []corev1.Container{{
			Name:            containerName,
			Image:           p.Image,
			ImagePullPolicy: corev1.PullIfNotPresent,
			Args:            args,
			Env: []corev1.EnvVar{
				{Name: EnvURL, Value: p.APIURL},
				{Name: EnvAPIKeyFile, Value: APIKeyFile},
			},
			Resources: corev1.ResourceRequirements{
				Requests: corev1.ResourceList{
					corev1.ResourceCPU:    resource.MustParse("10m"),
					corev1.ResourceMemory: resource.MustParse("32Mi"),
				},
				Limits: corev1.ResourceList{
					corev1.ResourceCPU:    resource.MustParse("200m"),
					corev1.ResourceMemory: resource.MustParse("64Mi"),
				},
			},
			SecurityContext: &corev1.SecurityContext{
				AllowPrivilegeEscalation: ptr(false),
				ReadOnlyRootFilesystem:   ptr(true),
				RunAsNonRoot:             ptr(true),
				Capabilities:             &corev1.Capabilities{Drop: []corev1.Capability{"ALL"}},
			},
			VolumeMounts: mounts,
		}},
		Volumes: volumes,
	}
}

// secretVolume mounts one key of a Secret as the file path, readable by the pod's user and
// group only.
func secretVolume(name, secret, key, path string) corev1.Volume {
	return corev1.Volume{Name: name, VolumeSource: corev1.VolumeSource{Secret: &corev1.SecretVolumeSource{
		SecretName:  secret,
		Items:       []corev1.KeyToPath{{Key: key, Path: path}},
		DefaultMode: ptr(int32(0o440)),
	}}}
}
