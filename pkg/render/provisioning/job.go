package provisioning

import (
	"path"
	"strings"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/endsys/pocketid-oidc/pkg/api/v1alpha1"
	"github.com/endsys/pocketid-oidc/pkg/preset"
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
}

// Render returns the ConfigMap holding the document and the Job that provisions it. Both are
// named <integration>-oidc-<hash> with a hash of everything the Job acts on, so a changed
// client starts a new Job (and Flux prunes the old one) while an unchanged one starts none.
func Render(c Client) ([]*yaml.RNode, error) {
	docYAML, err := documentYAML(c.Document)
	if err != nil {
		return nil, err
	}
	sum := hash(c, docYAML)
	name := objectName(c.Integration, sum)
	labels := Labels(c.Integration)
	jobAnnotations := map[string]string{v1alpha1.AnnotationChecksum: sum}
	var cmAnnotations, podAnnotations map[string]string
	// The hash is taken before Flux's postBuild substitution, so a changed ${VAR} value changes
	// the immutable ConfigMap (and the document the Job should act on) under the same name: the
	// apply would fail. Flux recreates objects annotated force: enabled instead, and the pod
	// annotation carries the placeholders so that, once substituted, the Job's template changes
	// with their values and the recreated Job runs on the new document.
	if vars := placeholders(docYAML, c.Provider.APIURL, c.Provider.Image); len(vars) > 0 {
		cmAnnotations = map[string]string{FluxForceAnnotation: "enabled"}
		jobAnnotations[FluxForceAnnotation] = "enabled"
		podAnnotations = map[string]string{AnnotationSubstitutions: strings.Join(vars, " ")}
	}

	cm := &corev1.ConfigMap{
		TypeMeta:   metav1.TypeMeta{APIVersion: "v1", Kind: "ConfigMap"},
		ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: c.Namespace, Labels: labels, Annotations: cmAnnotations},
		// Immutable: the name changes with the content, and the kubelet need not watch it.
		Immutable: ptr(true),
		Data:      map[string]string{fileName(c.Document.Spec.ID): docYAML},
	}

	volumes := []corev1.Volume{{
		Name: "clients",
		VolumeSource: corev1.VolumeSource{ConfigMap: &corev1.ConfigMapVolumeSource{
			LocalObjectReference: corev1.LocalObjectReference{Name: name},
			DefaultMode:          ptr(int32(0o444)),
		}},
	}}
	mounts := []corev1.VolumeMount{{Name: "clients", MountPath: ClientsDir, ReadOnly: true}}
	if c.SecretName != "" {
		volumes = append(volumes, corev1.Volume{
			Name: "client-secret",
			VolumeSource: corev1.VolumeSource{Secret: &corev1.SecretVolumeSource{
				SecretName:  c.SecretName,
				Items:       []corev1.KeyToPath{{Key: preset.SecretKeyClientSecret, Path: preset.SecretKeyClientSecret}},
				DefaultMode: ptr(int32(0o440)),
			}},
		})
		mounts = append(mounts, corev1.VolumeMount{Name: "client-secret", MountPath: path.Join(SecretsDir, c.SecretName), ReadOnly: true})
	}
	volumes, mounts = appendCommon(volumes, mounts, c.Provider, c.APIKeySecret)

	job := &batchv1.Job{
		TypeMeta: metav1.TypeMeta{APIVersion: "batch/v1", Kind: "Job"},
		ObjectMeta: metav1.ObjectMeta{
			Name: name, Namespace: c.Namespace, Labels: labels,
			Annotations: jobAnnotations,
		},
		Spec: batchv1.JobSpec{
			BackoffLimit:            ptr(int32(backoffLimit)),
			ActiveDeadlineSeconds:   ptr(int64(activeDeadlineSeconds)),
			TTLSecondsAfterFinished: c.Provider.JobTTLSecondsAfterFinished,
			Template: corev1.PodTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{Labels: labels, Annotations: podAnnotations},
				Spec:       podSpec(c.Provider, volumes, mounts),
			},
		},
	}
	return toRNodes(cm, job)
}
