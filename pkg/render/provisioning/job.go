package provisioning

import (
	"fmt"
	"path"
	"strings"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/endsys/pocketid-oidc/pkg/api/v1alpha1"
	"github.com/endsys/pocketid-oidc/pkg/preset"
	"github.com/endsys/pocketid-oidc/pkg/render/yamlnode"
)

// Client is one integration's provisioning input.
type Client struct {
	// Integration names the integration, for the labels and the object names.
	Integration string
	// Namespace is the provisioning namespace, kept as-is.
	Namespace string
	// Document is the resolved OIDCClient (see NewDocument).
	Document *v1alpha1.OIDCClient
	// SecretName is the app Secret mounted into the pod; "" mounts none (public client, absent).
	SecretName string
	// Provider is the merged, defaulted provider.
	Provider v1alpha1.ProviderSpec
	// APIKeySecret is the Secret and key holding the admin API key.
	APIKeySecret v1alpha1.KeyRef
	// Schedule of the reconcile CronJob (see Schedule); "" renders none.
	Schedule string
}

// Render returns the ConfigMap holding the document, the Job that provisions it (see
// objects) and, with a Schedule, the reconcile CronJob that runs the Job's pod (cronJob).
func Render(c Client) ([]*yaml.RNode, error) {
	cm, job, err := objects(c)
	if err != nil {
		return nil, err
	}
	cmMap, err := toMap(cm)
	if err != nil {
		return nil, err
	}
	jobMap, err := toMap(job)
	if err != nil {
		return nil, err
	}
	out := []*yaml.RNode{yamlnode.Object(cmMap), yamlnode.Object(jobMap)}
	if c.Schedule == "" {
		return out, nil
	}
	// The CronJob's Job is the Job's spec, converted once (the pod spec is most of the work).
	cjMap, err := toMap(cronJob(c, batchv1.JobSpec{}))
	if err != nil {
		return nil, err
	}
	spec, _ := cjMap["spec"].(map[string]any)
	tmpl, ok := spec["jobTemplate"].(map[string]any)
	if !ok {
		return nil, fmt.Errorf("CronJob %s: no jobTemplate", CronJobName(c.Integration))
	}
	tmpl["spec"] = jobMap["spec"]
	return append(out, yamlnode.Object(cjMap)), nil
}

// objects builds the ConfigMap and the Job of one client. Both are named
// <integration>-oidc-<hash>, the hash covering everything that makes either differ: the
// ConfigMap's data and the Job's whole pod template (image, args, env, every Secret and
// ConfigMap it mounts, resources, security context) and its pod failure policy, with the
// ConfigMap's own name left out of it. A changed client starts a new Job (and Flux prunes the
// old pair) while an unchanged one starts none, and no apply ever meets an immutable field (a
// ConfigMap marked immutable, a Job's template or pod failure policy) changed under the same
// name.
//
// Except through Flux's postBuild substitution, which runs after the hash: a ${VAR} anywhere
// in either object changes it, once substituted, under the same name. Both then carry
// kustomize.toolkit.fluxcd.io/force: enabled, so Flux re-creates them instead of failing the
// apply, and the pod template lists the placeholders so that a new value changes the Job's
// template and the re-created Job runs on the new document.
func objects(c Client) (*corev1.ConfigMap, *batchv1.Job, error) {
	docYAML, err := documentYAML(c.Document)
	if err != nil {
		return nil, nil, err
	}
	labels := Labels(c.Integration)
	cm := &corev1.ConfigMap{
		TypeMeta:   metav1.TypeMeta{APIVersion: "v1", Kind: "ConfigMap"},
		ObjectMeta: metav1.ObjectMeta{Namespace: c.Namespace, Labels: labels},
		// Immutable: the name changes with the content, and the kubelet need not watch it.
		Immutable: ptr(true),
		Data:      map[string]string{fileName(c.Document.Spec.ID): docYAML},
	}

	clients := &corev1.ConfigMapVolumeSource{DefaultMode: ptr(int32(0o444))} // named below
	volumes := []corev1.Volume{{Name: "clients", VolumeSource: corev1.VolumeSource{ConfigMap: clients}}}
	mounts := []corev1.VolumeMount{{Name: "clients", MountPath: ClientsDir, ReadOnly: true}}
	if c.SecretName != "" {
		volumes = append(volumes, secretVolume("client-secret", c.SecretName, preset.SecretKeyClientSecret, preset.SecretKeyClientSecret))
		mounts = append(mounts, corev1.VolumeMount{Name: "client-secret", MountPath: path.Join(SecretsDir, c.SecretName), ReadOnly: true})
	}
	volumes, mounts = appendCommon(volumes, mounts, c.Provider, c.APIKeySecret)
	job := &batchv1.Job{
		TypeMeta:   metav1.TypeMeta{APIVersion: "batch/v1", Kind: "Job"},
		ObjectMeta: metav1.ObjectMeta{Namespace: c.Namespace, Labels: labels, Annotations: map[string]string{}},
		Spec:       jobSpec(c.Provider, labels, volumes, mounts),
	}

	vars, err := placeholdersIn(cm, job)
	if err != nil {
		return nil, nil, err
	}
	if len(vars) > 0 {
		cm.Annotations = map[string]string{FluxForceAnnotation: "enabled"}
		job.Annotations[FluxForceAnnotation] = "enabled"
		job.Spec.Template.Annotations = map[string]string{AnnotationSubstitutions: strings.Join(vars, " ")}
	}
	sum, err := hash(cm.Data, job.Spec.Template, job.Spec.PodFailurePolicy)
	if err != nil {
		return nil, nil, err
	}
	name := objectName(c.Integration, sum)
	cm.Name, job.Name, clients.Name = name, name, name
	job.Annotations[v1alpha1.AnnotationChecksum] = sum
	return cm, job, nil
}
