package provisioning

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"path"
	"sort"
	"strings"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/endsys/pocketid-oidc/pkg/api/v1alpha1"
	"github.com/endsys/pocketid-oidc/pkg/preset"
	"github.com/endsys/pocketid-oidc/pkg/render/yamlnode"
)

// Paths inside the provisioning pod: the fixed contract with `pocketid-oidc provision`.
const (
	BaseDir       = "/etc/pocketid-oidc"
	ClientsDir    = BaseDir + "/clients"
	SecretsDir    = BaseDir + "/secrets"
	APIKeyDir     = BaseDir + "/api-key"
	APIKeyFile    = APIKeyDir + "/api-key"
	CADir         = BaseDir + "/ca"
	CAFile        = CADir + "/ca.crt"
	EnvURL        = "POCKETID_URL"
	EnvAPIKeyFile = "POCKETID_API_KEY_FILE"
)

// CronJobName is the one reconcile CronJob of a provisioning namespace.
const CronJobName = "pocketid-oidc-reconcile"

// The pod runs as the distroless "nonroot" user.
const uid = 65532

// Job limits: provisioning is a handful of HTTP calls, retried a few times, and must not hang
// a Flux Kustomization waiting on it forever.
const (
	backoffLimit          = 4
	activeDeadlineSeconds = 600
)

// SecretFile is where the provisioning pod sees the client secret of the app Secret secretName.
func SecretFile(secretName string) string {
	return path.Join(SecretsDir, secretName, preset.SecretKeyClientSecret)
}

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

// DocumentInput is what NewDocument needs besides the integration.
type DocumentInput struct {
	Integration *v1alpha1.OIDCIntegration // defaulted
	Resolved    *preset.Resolved          // nil without a preset and for absent clients
}

// NewDocument builds the OIDCClient document with every default applied: callbacks from the
// preset unless the integration lists its own, the preset's display name and PKCE default,
// and where the provisioner finds the client secret. An absent client carries only its id:
// deleting needs nothing else, and stale settings must not make the document invalid.
func NewDocument(in DocumentInput) *v1alpha1.OIDCClient {
	s := in.Integration.Spec
	doc := &v1alpha1.OIDCClient{
		TypeMeta:   metav1.TypeMeta{APIVersion: v1alpha1.APIVersion, Kind: v1alpha1.KindOIDCClient},
		ObjectMeta: metav1.ObjectMeta{Name: s.Client.ID},
		Spec:       v1alpha1.OIDCClientSpec{ID: s.Client.ID, State: s.Client.State},
	}
	if s.Client.State == v1alpha1.StateAbsent {
		return doc
	}
	var r preset.Resolved
	if in.Resolved != nil {
		r = *in.Resolved
	}
	c := &doc.Spec
	c.Name = s.Client.DisplayName
	if c.Name == "" {
		c.Name = r.DisplayName
	}
	if c.Name == "" {
		c.Name = s.Client.ID
	}
	c.CallbackURLs = r.CallbackURLs
	if len(s.Client.CallbackURLs) > 0 {
		c.CallbackURLs = s.Client.CallbackURLs
	}
	c.CallbackURLs = appendUnique(c.CallbackURLs, s.Client.AdditionalCallbackURLs...)
	c.LogoutCallbackURLs = r.LogoutCallbackURLs
	if len(s.Client.LogoutCallbackURLs) > 0 {
		c.LogoutCallbackURLs = s.Client.LogoutCallbackURLs
	}
	c.LaunchURL = s.Client.LaunchURL
	c.Public = s.Client.Public
	c.PKCE = r.PKCE
	if s.Client.PKCE != nil {
		c.PKCE = *s.Client.PKCE
	}
	c.AllowedGroups = s.Client.AllowedGroups
	c.CreateMissingGroups = s.Client.CreateMissingGroups
	if !c.Public {
		c.Secret = &v1alpha1.ClientSecret{
			File:            SecretFile(s.Secret.Name),
			RotationOverlap: s.Secret.RotationOverlap,
			RetainOld:       s.Secret.RetainOld,
		}
	}
	return doc
}

func appendUnique(list []string, more ...string) []string {
	out := append([]string(nil), list...)
	seen := make(map[string]bool, len(out))
	for _, u := range out {
		seen[u] = true
	}
	for _, u := range more {
		if !seen[u] {
			out = append(out, u)
			seen[u] = true
		}
	}
	return out
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

// FluxForceAnnotation makes Flux's kustomize-controller delete and re-create an object whose
// immutable fields changed, instead of failing the apply.
const FluxForceAnnotation = "kustomize.toolkit.fluxcd.io/force"

// AnnotationSubstitutions lists, on the Job's pod template, the Flux placeholders its document
// uses (see Render).
const AnnotationSubstitutions = v1alpha1.Group + "/substitutions"

// placeholders returns the Flux postBuild placeholders (${VAR}, ${VAR:=default}) in texts,
// sorted and unique. $${VAR} is Flux's escape for a literal ${VAR} and is not one.
func placeholders(texts ...string) []string {
	seen := map[string]bool{}
	for _, t := range texts {
		for i := 0; i < len(t); i++ {
			if t[i] != '$' || i+1 >= len(t) {
				continue
			}
			switch t[i+1] {
			case '$':
				i++ // $$ is a literal $: whatever follows is not a placeholder
			case '{':
				if end := strings.IndexByte(t[i:], '}'); end > 0 {
					seen[t[i:i+end+1]] = true
					i += end
				}
			}
		}
	}
	out := make([]string, 0, len(seen))
	for v := range seen {
		out = append(out, v)
	}
	sort.Strings(out)
	return out
}

// CronJob renders the reconcile CronJob of one provisioning namespace: it re-runs provisioning
// over every client of the namespace (drift repair, finishing secret rotations). Clients must
// all share the namespace; their ConfigMaps and secrets are projected into the same paths the
// Jobs use. It is shared by several integrations and so carries no integration label.
func CronJob(namespace string, provider v1alpha1.ProviderSpec, apiKey v1alpha1.KeyRef, clients []Client) (*yaml.RNode, error) {
	sorted := append([]Client(nil), clients...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].Document.Spec.ID < sorted[j].Document.Spec.ID })
	var cmSources, secretSources []corev1.VolumeProjection
	for _, c := range sorted {
		docYAML, err := documentYAML(c.Document)
		if err != nil {
			return nil, err
		}
		key := fileName(c.Document.Spec.ID)
		cmSources = append(cmSources, corev1.VolumeProjection{ConfigMap: &corev1.ConfigMapProjection{
			LocalObjectReference: corev1.LocalObjectReference{Name: objectName(c.Integration, hash(c, docYAML))},
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

// appendCommon adds the API key, the optional CA bundle and a writable /tmp (the root file
// system is read-only).
func appendCommon(volumes []corev1.Volume, mounts []corev1.VolumeMount, p v1alpha1.ProviderSpec, apiKey v1alpha1.KeyRef) ([]corev1.Volume, []corev1.VolumeMount) {
	volumes = append(volumes, corev1.Volume{
		Name: "api-key",
		VolumeSource: corev1.VolumeSource{Secret: &corev1.SecretVolumeSource{
			SecretName:  apiKey.Name,
			Items:       []corev1.KeyToPath{{Key: apiKey.Key, Path: v1alpha1.DefaultAPIKeySecretKey}},
			DefaultMode: ptr(int32(0o440)),
		}},
	})
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
	args := []string{"provision", "--client-file", ClientsDir}
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
			Name:            "provision",
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

// Labels of everything rendered here; integration "" for the shared CronJob.
func Labels(integration string) map[string]string {
	l := map[string]string{v1alpha1.LabelManagedBy: v1alpha1.ManagedByValue}
	if integration != "" {
		l[v1alpha1.LabelIntegration] = integration
	}
	return l
}

func fileName(clientID string) string { return clientID + ".yaml" }

// documentYAML is the ConfigMap value: the document without creationTimestamp noise.
func documentYAML(doc *v1alpha1.OIDCClient) (string, error) {
	m, err := toMap(doc)
	if err != nil {
		return "", err
	}
	return yamlnode.Object(m).String()
}

// hash covers everything the Job acts on: the document, the image, the API endpoint, the CA
// and the Secrets it reads. Not the TTL, which does not change what the Job does.
func hash(c Client, docYAML string) string {
	h := sha256.New()
	ca := ""
	if c.Provider.CAConfigMapRef != nil {
		ca = c.Provider.CAConfigMapRef.Name + "/" + c.Provider.CAConfigMapRef.Key
	}
	for _, s := range []string{docYAML, c.Provider.Image, c.Provider.APIURL, ca,
		c.APIKeySecret.Name + "/" + c.APIKeySecret.Key, c.SecretName} {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))[:10]
}

// maxPrefix keeps <prefix>-oidc-<10 hex> within 63 characters: Job names become a label value
// (job-name) on their pods.
const maxPrefix = 63 - len("-oidc-") - 10

func objectName(integration, sum string) string {
	p := integration
	if len(p) > maxPrefix {
		p = strings.TrimRight(p[:maxPrefix], "-.")
	}
	return fmt.Sprintf("%s-oidc-%s", p, sum)
}

func toRNodes(objs ...any) ([]*yaml.RNode, error) {
	out := make([]*yaml.RNode, 0, len(objs))
	for _, o := range objs {
		m, err := toMap(o)
		if err != nil {
			return nil, err
		}
		out = append(out, yamlnode.Object(m))
	}
	return out, nil
}

// toMap converts a typed object through JSON and drops what typed structs add but nobody
// wrote: creationTimestamp: null (at every level) and an empty status.
func toMap(o any) (map[string]any, error) {
	b, err := json.Marshal(o)
	if err != nil {
		return nil, err
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, err
	}
	strip(m)
	if st, ok := m["status"].(map[string]any); ok && len(st) == 0 {
		delete(m, "status")
	}
	return m, nil
}

func strip(v any) {
	switch t := v.(type) {
	case map[string]any:
		if ts, ok := t["creationTimestamp"]; ok && ts == nil {
			delete(t, "creationTimestamp")
		}
		for k, c := range t {
			strip(c)
			if mm, ok := c.(map[string]any); ok && k == "metadata" && len(mm) == 0 {
				delete(t, k)
			}
		}
	case []any:
		for _, c := range t {
			strip(c)
		}
	}
}

func ptr[T any](v T) *T { return &v }
