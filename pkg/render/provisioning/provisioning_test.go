package provisioning

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"sigs.k8s.io/kustomize/kyaml/yaml"
	sigsyaml "sigs.k8s.io/yaml"

	"github.com/endsys/pocketid-oidc/pkg/api/v1alpha1"
	"github.com/endsys/pocketid-oidc/pkg/preset"
)

// integration decodes and defaults an OIDCIntegration written as YAML.
func integration(t *testing.T, doc string) *v1alpha1.OIDCIntegration {
	t.Helper()
	var in v1alpha1.OIDCIntegration
	if err := sigsyaml.UnmarshalStrict([]byte(doc), &in); err != nil {
		t.Fatal(err)
	}
	v1alpha1.SetIntegrationDefaults(&in)
	return &in
}

func TestNewDocument(t *testing.T) {
	resolved := &preset.Resolved{
		DisplayName:  "Immich",
		CallbackURLs: []string{"https://photos.example.com/auth/login", "app.immich:///oauth-callback"},
		PKCE:         false,
	}
	tests := []struct {
		name     string
		in       string
		resolved *preset.Resolved
		want     string
	}{
		{
			name: "preset defaults, additional callback, groups",
			in: `
metadata: {name: immich, namespace: media}
spec:
  url: https://photos.example.com/
  client:
    additionalCallbackURLs: [https://photos.example.com/api/oauth/mobile-redirect, app.immich:///oauth-callback]
    allowedGroups: [family]
`,
			resolved: resolved,
			want: `apiVersion: oidc.endsys.cloud/v1alpha1
kind: OIDCClient
metadata:
  name: immich
spec:
  allowedGroups:
  - family
  callbackURLs:
  - https://photos.example.com/auth/login
  - app.immich:///oauth-callback
  - https://photos.example.com/api/oauth/mobile-redirect
  id: immich
  launchURL: https://photos.example.com
  name: Immich
  secret:
    file: /etc/pocketid-oidc/secrets/immich-oidc/client-secret
    rotationOverlap: 24h0m0s
  state: present
`,
		},
		{
			name: "own callbacks, display name and pkce win",
			in: `
metadata: {name: immich}
spec:
  url: https://photos.example.com
  client:
    id: photos
    displayName: Photos
    callbackURLs: [https://photos.example.com/cb]
    pkce: true
  secret: {name: photos, rotationOverlap: 0s, retainOld: true}
`,
			resolved: resolved,
			want: `apiVersion: oidc.endsys.cloud/v1alpha1
kind: OIDCClient
metadata:
  name: photos
spec:
  callbackURLs:
  - https://photos.example.com/cb
  id: photos
  launchURL: https://photos.example.com
  name: Photos
  pkce: true
  secret:
    file: /etc/pocketid-oidc/secrets/photos/client-secret
    retainOld: true
    rotationOverlap: 0s
  state: present
`,
		},
		{
			name: "public client: no secret, PKCE forced, id as display name without preset",
			in: `
metadata: {name: spa}
spec:
  url: https://spa.example.com
  client: {public: true, callbackURLs: [https://spa.example.com/cb]}
`,
			want: `apiVersion: oidc.endsys.cloud/v1alpha1
kind: OIDCClient
metadata:
  name: spa
spec:
  callbackURLs:
  - https://spa.example.com/cb
  id: spa
  launchURL: https://spa.example.com
  name: spa
  pkce: true
  public: true
  state: present
`,
		},
		{
			name: "the preset's requirements on Pocket ID",
			in: `
metadata: {name: vaultwarden}
spec:
  url: https://vault.example.com
`,
			resolved: &preset.Resolved{
				DisplayName:  "Vaultwarden",
				CallbackURLs: []string{"https://vault.example.com/identity/connect/oidc-signin"},
				PKCE:         true,
				Requires:     preset.Requires{EmailsVerified: true},
			},
			want: `apiVersion: oidc.endsys.cloud/v1alpha1
kind: OIDCClient
metadata:
  name: vaultwarden
spec:
  callbackURLs:
  - https://vault.example.com/identity/connect/oidc-signin
  id: vaultwarden
  launchURL: https://vault.example.com
  name: Vaultwarden
  pkce: true
  requirements:
  - emailsVerified
  secret:
    file: /etc/pocketid-oidc/secrets/vaultwarden-oidc/client-secret
    rotationOverlap: 24h0m0s
  state: present
`,
		},
		{
			name: "absent: only the id",
			in: `
metadata: {name: immich}
spec:
  url: https://photos.example.com
  client: {state: absent, allowedGroups: [family]}
`,
			resolved: &preset.Resolved{DisplayName: "Immich", Requires: preset.Requires{EmailsVerified: true}},
			want: `apiVersion: oidc.endsys.cloud/v1alpha1
kind: OIDCClient
metadata:
  name: immich
spec:
  id: immich
  state: absent
`,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			doc := NewDocument(DocumentInput{Integration: integration(t, tc.in), Resolved: tc.resolved})
			got, err := documentYAML(doc)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
			if errs := v1alpha1.ValidateOIDCClient(doc, v1alpha1.Rendered); len(errs) > 0 {
				t.Errorf("document is invalid: %v", errs)
			}
		})
	}
}

func testClient(t *testing.T) Client {
	in := integration(t, `
metadata: {name: immich, namespace: media}
spec: {url: https://photos.example.com}
`)
	p := v1alpha1.ProviderSpec{Issuer: "https://auth.example.com", APIURL: "http://pocket-id:1411", Image: "ghcr.io/endsys/pocketid-oidc:v0.1.0"}
	return Client{
		Integration:  "immich",
		Namespace:    "media",
		Document:     NewDocument(DocumentInput{Integration: in}),
		SecretName:   "immich-oidc",
		Provider:     p,
		APIKeySecret: v1alpha1.KeyRef{Name: "immich-oidc-api-key", Key: "api-key"},
	}
}

func render(t *testing.T, c Client) (cm, job *yaml.RNode) {
	t.Helper()
	objs, err := Render(c)
	if err != nil {
		t.Fatal(err)
	}
	if len(objs) != 2 || objs[0].GetKind() != "ConfigMap" || objs[1].GetKind() != "Job" {
		t.Fatalf("want ConfigMap and Job, got %d objects", len(objs))
	}
	return objs[0], objs[1]
}

// TestRenderHash: the name changes exactly when what the Job acts on changes.
func TestRenderHash(t *testing.T) {
	base := testClient(t)
	_, job := render(t, base)
	name := job.GetName()
	if !strings.HasPrefix(name, "immich-oidc-") || len(name) != len("immich-oidc-")+10 {
		t.Fatalf("name %q, want immich-oidc-<10 hex>", name)
	}
	if _, again := render(t, testClient(t)); again.GetName() != name {
		t.Errorf("same input, different name: %s vs %s", again.GetName(), name)
	}
	changes := map[string]func(c *Client){
		"image":    func(c *Client) { c.Provider.Image = "ghcr.io/endsys/pocketid-oidc:v0.2.0" },
		"api URL":  func(c *Client) { c.Provider.APIURL = "http://other:1411" },
		"CA":       func(c *Client) { c.Provider.CAConfigMapRef = &v1alpha1.KeyRef{Name: "ca", Key: "ca.crt"} },
		"document": func(c *Client) { c.Document.Spec.AllowedGroups = []string{"family"} },
		"api key":  func(c *Client) { c.APIKeySecret.Name = "other" },
	}
	for what, change := range changes {
		c := testClient(t)
		change(&c)
		if _, j := render(t, c); j.GetName() == name {
			t.Errorf("changing the %s kept the name %s", what, name)
		}
	}
	ttl := int32(60)
	c := testClient(t)
	c.Provider.JobTTLSecondsAfterFinished = &ttl
	if _, j := render(t, c); j.GetName() != name {
		t.Errorf("the TTL changes nothing the Job does, but renamed it")
	}
	long := testClient(t)
	long.Integration = strings.Repeat("a", 80)
	if _, j := render(t, long); len(j.GetName()) > 63 {
		t.Errorf("name %q is longer than 63", j.GetName())
	}
}

// TestRenderPodSecurity checks the fields Pod Security "restricted" requires, and the mounts
// the provisioner relies on.
func TestRenderPodSecurity(t *testing.T) {
	c := testClient(t)
	c.Provider.CAConfigMapRef = &v1alpha1.KeyRef{Name: "internal-ca", Key: "bundle.pem"}
	cm, job := render(t, c)
	if v, _ := cm.Pipe(yaml.Lookup("immutable")); yaml.GetValue(v) != "true" {
		t.Error("ConfigMap must be immutable")
	}
	if v, _ := cm.Pipe(yaml.Lookup("data", "immich.yaml")); v == nil {
		t.Error("ConfigMap must hold immich.yaml")
	}
	pod := []string{"spec", "template", "spec"}
	ctr := append(append([]string{}, pod...), "containers", "[name=provision]")
	for _, c := range []struct {
		path []string
		want string
	}{
		{append(append([]string{}, pod...), "restartPolicy"), "Never"},
		{append(append([]string{}, pod...), "automountServiceAccountToken"), "false"},
		{append(append([]string{}, pod...), "securityContext", "runAsNonRoot"), "true"},
		{append(append([]string{}, pod...), "securityContext", "runAsUser"), "65532"},
		{append(append([]string{}, pod...), "securityContext", "seccompProfile", "type"), "RuntimeDefault"},
		{append(append([]string{}, ctr...), "securityContext", "allowPrivilegeEscalation"), "false"},
		{append(append([]string{}, ctr...), "securityContext", "readOnlyRootFilesystem"), "true"},
		{append(append([]string{}, ctr...), "securityContext", "capabilities", "drop", "[=ALL]"), "ALL"},
		{append(append([]string{}, ctr...), "resources", "limits", "memory"), "64Mi"},
		{append(append([]string{}, ctr...), "env", "[name=POCKETID_URL]", "value"), "http://pocket-id:1411"},
		{append(append([]string{}, ctr...), "env", "[name=POCKETID_API_KEY_FILE]", "value"), APIKeyFile},
		{append(append([]string{}, ctr...), "volumeMounts", "[name=client-secret]", "mountPath"), "/etc/pocketid-oidc/secrets/immich-oidc"},
		{append(append([]string{}, ctr...), "volumeMounts", "[name=ca]", "mountPath"), CADir},
		{append(append([]string{}, pod...), "volumes", "[name=ca]", "configMap", "items", "[key=bundle.pem]", "path"), "ca.crt"},
		{[]string{"spec", "backoffLimit"}, "10"},
		{[]string{"spec", "activeDeadlineSeconds"}, "7200"},
		{[]string{"spec", "podFailurePolicy", "rules", "[action=FailJob]", "onExitCodes", "values", "[=2]"}, "2"},
		{[]string{"spec", "podFailurePolicy", "rules", "[action=Ignore]", "onPodConditions", "[type=DisruptionTarget]", "status"}, "True"},
	} {
		n, err := job.Pipe(yaml.Lookup(c.path...))
		if err != nil || n == nil {
			t.Errorf("%v: missing", c.path)
			continue
		}
		if got := yaml.GetValue(n); got != c.want {
			t.Errorf("%v = %q, want %q", c.path, got, c.want)
		}
	}
	args, _ := job.Pipe(yaml.Lookup(append(append([]string{}, ctr...), "args")...))
	got, _ := args.String()
	want := "- provision\n- --client-file\n- /etc/pocketid-oidc/clients\n- --timeout\n- 5m\n- --ca-file\n- /etc/pocketid-oidc/ca/ca.crt\n"
	if got != want {
		t.Errorf("args:\n%s\nwant:\n%s", got, want)
	}
	for _, noise := range []string{"creationTimestamp", "\nstatus:", "ttlSecondsAfterFinished"} {
		if s := job.MustString(); strings.Contains(s, noise) {
			t.Errorf("Job contains %s:\n%s", noise, s)
		}
	}
}

func TestRenderWithoutSecret(t *testing.T) {
	c := testClient(t)
	c.SecretName = ""
	_, job := render(t, c)
	if strings.Contains(job.MustString(), "client-secret") {
		t.Errorf("no secret to mount, but the Job mounts one:\n%s", job.MustString())
	}
}

func TestPlaceholders(t *testing.T) {
	for _, tc := range []struct {
		in   []string
		want []string
	}{
		{in: []string{"https://a.example.com"}, want: []string{}},
		{in: []string{"https://immich.${SECRET_DOMAIN}/cb\nhttps://x.${SECRET_DOMAIN}", "http://${PID_HOST:=pocket-id}:1411"},
			want: []string{"${PID_HOST:=pocket-id}", "${SECRET_DOMAIN}"}},
		{in: []string{"literal $${NOT_A_VAR} and $$ and $x and ${UNCLOSED"}, want: []string{}},
		{in: []string{"$$${REAL}"}, want: []string{"${REAL}"}},
	} {
		got := placeholders(tc.in...)
		if strings.Join(got, "|") != strings.Join(tc.want, "|") {
			t.Errorf("placeholders(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestRenderFluxPlaceholders: a document with ${VAR} placeholders asks Flux to re-create the
// immutable ConfigMap and the Job, and its pod template changes with the substituted values.
func TestRenderFluxPlaceholders(t *testing.T) {
	cm, job := render(t, testClient(t))
	if cm.GetAnnotations()[FluxForceAnnotation] != "" || job.GetAnnotations()[FluxForceAnnotation] != "" {
		t.Errorf("no placeholders, but force annotations: %v %v", cm.GetAnnotations(), job.GetAnnotations())
	}
	if v, _ := job.Pipe(yaml.Lookup("spec", "template", "metadata", "annotations")); v != nil {
		t.Errorf("no placeholders, but pod annotations %s", v.MustString())
	}

	c := testClient(t)
	c.Document.Spec.CallbackURLs = []string{"https://photos.${SECRET_DOMAIN}/auth/login", "https://photos.$${LITERAL}/x"}
	cm, job = render(t, c)
	if got := cm.GetAnnotations()[FluxForceAnnotation]; got != "enabled" {
		t.Errorf("ConfigMap force annotation = %q, want enabled", got)
	}
	if got := job.GetAnnotations()[FluxForceAnnotation]; got != "enabled" {
		t.Errorf("Job force annotation = %q, want enabled", got)
	}
	got, err := job.Pipe(yaml.Lookup("spec", "template", "metadata", "annotations", AnnotationSubstitutions))
	if err != nil || got == nil || yaml.GetValue(got) != "${SECRET_DOMAIN}" {
		t.Errorf("pod annotation %s = %v, want ${SECRET_DOMAIN}", AnnotationSubstitutions, got)
	}
}
