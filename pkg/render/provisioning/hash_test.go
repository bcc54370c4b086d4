package provisioning

import (
	"testing"

	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/endsys/pocketid-oidc/pkg/api/v1alpha1"
)

// client is the Client every hash and force case starts from: a confidential client with a
// callback, a group and the provider's defaults.
func client() Client {
	return Client{
		Integration: "mealie",
		Namespace:   "home",
		Document: &v1alpha1.OIDCClient{
			Spec: v1alpha1.OIDCClientSpec{ID: "mealie", Name: "Mealie", State: v1alpha1.StatePresent, CallbackURLs: []string{"https://mealie.example.com/login"}, AllowedGroups: []string{"family"}},
		},
		SecretName:   "mealie-oidc",
		Provider:     v1alpha1.ProviderSpec{APIURL: "http://pocket-id.pocket-id.svc:1411", Image: "ghcr.io/endsys/pocketid-oidc:v0.1.0"},
		APIKeySecret: v1alpha1.KeyRef{Name: "mealie-oidc-api-key", Key: "api-key"},
	}
}

// rendered renders c and returns its ConfigMap and Job, after checking that they share the
// hash-named name and that the Job mounts that ConfigMap.
func rendered(t *testing.T, c Client) (cm, job *yaml.RNode) {
	t.Helper()
	objs, err := Render(c)
	if err != nil {
		t.Fatal(err)
	}
	cm, job = objs[0], objs[1]
	mounted, err := job.Pipe(yaml.Lookup("spec", "template", "spec", "volumes", "[name=clients]", "configMap", "name"))
	if err != nil || mounted == nil {
		t.Fatalf("no clients volume: %v", err)
	}
	if cm.GetName() != job.GetName() || yaml.GetValue(mounted) != cm.GetName() {
		t.Fatalf("ConfigMap %s, Job %s, mounted ConfigMap %s: want one name", cm.GetName(), job.GetName(), yaml.GetValue(mounted))
	}
	return cm, job
}

func TestHashCoversEverythingThatMakesTheJobOrConfigMapDiffer(t *testing.T) {
	base, _ := rendered(t, client())
	for _, tc := range []struct {
		name   string
		change func(*Client)
		same   bool // the change may be made in place: the name stays
	}{
		{name: "document: a callback", change: func(c *Client) { c.Document.Spec.CallbackURLs = []string{"https://mealie.example.com/cb"} }},
		{name: "document: the groups", change: func(c *Client) { c.Document.Spec.AllowedGroups = nil }},
		{name: "document: the client id (the ConfigMap key too)", change: func(c *Client) { c.Document.Spec.ID = "meals" }},
		{name: "image", change: func(c *Client) { c.Provider.Image = "ghcr.io/endsys/pocketid-oidc:v0.2.0" }},
		{name: "API URL (env)", change: func(c *Client) { c.Provider.APIURL = "https://auth.example.com" }},
		{name: "a CA bundle (args and a volume)", change: func(c *Client) { c.Provider.CAConfigMapRef = &v1alpha1.KeyRef{Name: "ca", Key: "ca.crt"} }},
		{name: "the client secret's Secret", change: func(c *Client) { c.SecretName = "mealie-oidc-2" }},
		{name: "no client secret (public client)", change: func(c *Client) { c.SecretName = "" }},
		{name: "the API key's Secret", change: func(c *Client) { c.APIKeySecret.Name = "admin-key" }},
		{name: "the API key's key", change: func(c *Client) { c.APIKeySecret.Key = "token" }},
		{name: "the TTL changes in place", same: true, change: func(c *Client) { c.Provider.JobTTLSecondsAfterFinished = ptr(int32(60)) }},
		{name: "the reconcile schedule is the CronJob's", same: true, change: func(c *Client) { c.Provider.ReconcileSchedule = "0 * * * *" }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := client()
			tc.change(&c)
			cm, _ := rendered(t, c)
			if changed := cm.GetName() != base.GetName(); changed == tc.same {
				t.Errorf("name %s, before the change %s: want changed=%v", cm.GetName(), base.GetName(), !tc.same)
			}
		})
	}
	// With a CA, its ConfigMap and key count too.
	withCA := func(ref v1alpha1.KeyRef) string {
		c := client()
		c.Provider.CAConfigMapRef = &ref
		cm, _ := rendered(t, c)
		return cm.GetName()
	}
	if a, b, k := withCA(v1alpha1.KeyRef{Name: "ca", Key: "ca.crt"}), withCA(v1alpha1.KeyRef{Name: "ca2", Key: "ca.crt"}), withCA(v1alpha1.KeyRef{Name: "ca", Key: "root.pem"}); a == b || a == k {
		t.Errorf("CA ConfigMap ca/ca.crt %s, ca2/ca.crt %s, ca/root.pem %s: want three names", a, b, k)
	}
}

func TestForceWheneverAPlaceholderIsAnywhere(t *testing.T) {
	for _, tc := range []struct {
		name   string
		change func(*Client)
		want   string // the pod annotation; "" for none (and no force)
	}{
		{name: "none", change: func(*Client) {}},
		{name: "$${X} is Flux's escape, not a placeholder", want: "", change: func(c *Client) { c.Document.Spec.CallbackURLs = []string{"https://mealie.example.com/$${X}"} }},
		{name: "document", want: "${DOMAIN}", change: func(c *Client) { c.Document.Spec.CallbackURLs = []string{"https://mealie.${DOMAIN}/login"} }},
		{name: "client id: the ConfigMap key", want: "${APP}", change: func(c *Client) { c.Document.Spec.ID = "${APP}" }},
		{name: "image", want: "${TAG}", change: func(c *Client) { c.Provider.Image = "ghcr.io/endsys/pocketid-oidc:${TAG}" }},
		{name: "API URL", want: "${POCKETID_URL:=http://pocket-id:1411}", change: func(c *Client) { c.Provider.APIURL = "${POCKETID_URL:=http://pocket-id:1411}" }},
		{name: "the API key's Secret", want: "${X}", change: func(c *Client) { c.APIKeySecret.Name = "${X}" }},
		{name: "the API key's key", want: "${K}", change: func(c *Client) { c.APIKeySecret.Key = "${K}" }},
		{name: "the client secret's Secret", want: "${S}", change: func(c *Client) { c.SecretName = "app-${S}" }},
		{name: "the CA ConfigMap", want: "${CA}", change: func(c *Client) { c.Provider.CAConfigMapRef = &v1alpha1.KeyRef{Name: "${CA}", Key: "ca.crt"} }},
		{name: "several, sorted and once each", want: "${A} ${B}", change: func(c *Client) {
			c.Provider.Image = "x:${B}"
			c.APIKeySecret.Name = "${A}"
			c.Document.Spec.CallbackURLs = []string{"https://${B}/login"}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := client()
			tc.change(&c)
			cm, job := rendered(t, c)
			force := ""
			if tc.want != "" {
				force = "enabled"
			}
			for _, o := range []*yaml.RNode{cm, job} {
				if got := o.GetAnnotations()[FluxForceAnnotation]; got != force {
					t.Errorf("%s %s: %s=%q, want %q", o.GetKind(), o.GetName(), FluxForceAnnotation, got, force)
				}
			}
			pod, err := job.Pipe(yaml.Lookup("spec", "template"))
			if err != nil {
				t.Fatal(err)
			}
			if got := pod.GetAnnotations()[AnnotationSubstitutions]; got != tc.want {
				t.Errorf("pod annotation %s=%q, want %q", AnnotationSubstitutions, got, tc.want)
			}
		})
	}
}
