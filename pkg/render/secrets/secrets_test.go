package secrets

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/endsys/pocketid-oidc/pkg/api/v1alpha1"
	"github.com/endsys/pocketid-oidc/pkg/preset"
)

var immich = Client{
	Integration: "immich",
	Namespace:   "media",
	StoreRef:    v1alpha1.SecretStoreRef{Kind: "ClusterSecretStore", Name: "bitwarden"},
	SecretName:  "immich-oidc",
	RemoteKey:   "immich-oauth-client-secret",
	ClientID:    "immich",
	Templates:   map[string]string{"immich-config.yaml": "oauth:\n  clientSecret: {{ .clientSecret | toJson }}\n"},
}

func TestExternalSecret(t *testing.T) {
	tests := []struct {
		name   string
		client Client
		want   string
	}{
		{
			name:   "app namespace with a rendered key",
			client: immich,
			want: `apiVersion: external-secrets.io/v1
kind: ExternalSecret
metadata:
  labels:
    app.kubernetes.io/managed-by: pocketid-oidc
    oidc.endsys.cloud/integration: immich
  name: immich-oidc
  namespace: media
spec:
  data:
  - remoteRef:
      key: immich-oauth-client-secret
    secretKey: clientSecret
  refreshInterval: 1h
  secretStoreRef:
    kind: ClusterSecretStore
    name: bitwarden
  target:
    creationPolicy: Owner
    name: immich-oidc
    template:
      data:
        client-id: immich
        client-secret: '{{ .clientSecret }}'
        immich-config.yaml: |
          oauth:
            clientSecret: {{ .clientSecret | toJson }}
      engineVersion: v2
`,
		},
		{
			name: "no namespace, default store kind, placeholders kept",
			client: Client{Integration: "wiki", StoreRef: v1alpha1.SecretStoreRef{Name: "bitwarden"},
				SecretName: "wiki-oidc", RemoteKey: "${CLUSTER}-wiki", ClientID: "wiki"},
			want: `apiVersion: external-secrets.io/v1
kind: ExternalSecret
metadata:
  labels:
    app.kubernetes.io/managed-by: pocketid-oidc
    oidc.endsys.cloud/integration: wiki
  name: wiki-oidc
spec:
  data:
  - remoteRef:
      key: ${CLUSTER}-wiki
    secretKey: clientSecret
  refreshInterval: 1h
  secretStoreRef:
    kind: ClusterSecretStore
    name: bitwarden
  target:
    creationPolicy: Owner
    name: wiki-oidc
    template:
      data:
        client-id: wiki
        client-secret: '{{ .clientSecret }}'
      engineVersion: v2
`,
		},
	}
	valid := schemaValidator(t, "external-secrets.io_externalsecrets.yaml", "v1")
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := ExternalSecret(tc.client)
			if diff := cmp.Diff(tc.want, got.MustString()); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
			if err := valid(got); err != nil {
				t.Errorf("not valid against the ExternalSecret CRD: %v", err)
			}
		})
	}
}

func TestSeed(t *testing.T) {
	objs := Seed(immich)
	if len(objs) != 3 {
		t.Fatalf("got %d objects, want Password, ExternalSecret, PushSecret", len(objs))
	}
	validators := map[string]func(*yaml.RNode) error{
		"Password":       schemaValidator(t, "generators.external-secrets.io_passwords.yaml", "v1alpha1"),
		"ExternalSecret": schemaValidator(t, "external-secrets.io_externalsecrets.yaml", "v1"),
		"PushSecret":     schemaValidator(t, "external-secrets.io_pushsecrets.yaml", "v1alpha1"),
	}
	for _, o := range objs {
		if err := validators[o.GetKind()](o); err != nil {
			t.Errorf("%s: not valid against its CRD: %v", o.GetKind(), err)
		}
		if o.GetName() != "immich-oidc-seed" || o.GetNamespace() != "media" {
			t.Errorf("%s is %s/%s, want media/immich-oidc-seed", o.GetKind(), o.GetNamespace(), o.GetName())
		}
	}
	// The properties the seeding depends on.
	checks := []struct {
		obj  *yaml.RNode
		path []string
		want string
	}{
		{objs[0], []string{"spec", "length"}, "48"},
		{objs[0], []string{"spec", "symbols"}, "0"},
		{objs[1], []string{"spec", "refreshPolicy"}, "CreatedOnce"},
		{objs[2], []string{"spec", "updatePolicy"}, "IfNotExists"},
		{objs[2], []string{"spec", "deletionPolicy"}, "None"},
		{objs[2], []string{"spec", "selector", "secret", "name"}, "immich-oidc-seed"},
	}
	for _, c := range checks {
		n, err := c.obj.Pipe(yaml.Lookup(c.path...))
		if err != nil || n == nil {
			t.Errorf("%s %v: missing", c.obj.GetKind(), c.path)
			continue
		}
		if got := yaml.GetValue(n); got != c.want {
			t.Errorf("%s %v = %q, want %q", c.obj.GetKind(), c.path, got, c.want)
		}
	}
	push := objs[2].MustString()
	if !strings.Contains(push, "remoteKey: immich-oauth-client-secret") || !strings.Contains(push, "secretKey: client-secret") {
		t.Errorf("PushSecret does not push client-secret to the remote key:\n%s", push)
	}
}

func TestGenerated(t *testing.T) {
	if got := Generated("freshrss", "news", "freshrss-oidc-generated", nil); got != nil {
		t.Errorf("nothing to generate rendered %d objects", len(got))
	}
	objs := Generated("freshrss", "news", "freshrss-oidc-generated", []preset.Generated{
		{Key: "OIDC_CLIENT_CRYPTO_KEY", Length: 64},
		{Key: "A_KEY", Length: 0},
	})
	var names []string
	for _, o := range objs {
		names = append(names, o.GetKind()+"/"+o.GetName())
	}
	want := []string{
		"Password/freshrss-oidc-generated-a-key",
		"Password/freshrss-oidc-generated-oidc-client-crypto-key",
		"ExternalSecret/freshrss-oidc-generated",
	}
	if diff := cmp.Diff(want, names); diff != "" {
		t.Errorf("objects (-want +got):\n%s", diff)
	}
	es := schemaValidator(t, "external-secrets.io_externalsecrets.yaml", "v1")
	pw := schemaValidator(t, "generators.external-secrets.io_passwords.yaml", "v1alpha1")
	for _, o := range objs {
		v := pw
		if o.GetKind() == "ExternalSecret" {
			v = es
		}
		if err := v(o); err != nil {
			t.Errorf("%s/%s: %v", o.GetKind(), o.GetName(), err)
		}
	}
	if s := objs[2].MustString(); !strings.Contains(s, "refreshPolicy: CreatedOnce") {
		t.Errorf("generated values must be produced once:\n%s", s)
	}
	if s := objs[0].MustString(); !strings.Contains(s, "length: 48") {
		t.Errorf("length 0 must fall back to %d:\n%s", ClientSecretLength, s)
	}
}

func TestAPIKey(t *testing.T) {
	o := APIKey("immich", "immich-oidc-api-key", "", v1alpha1.SecretStoreRef{Kind: "SecretStore", Name: "vault"}, "pocket-id-api-key")
	if err := schemaValidator(t, "external-secrets.io_externalsecrets.yaml", "v1")(o); err != nil {
		t.Error(err)
	}
	if got := o.GetLabels()[v1alpha1.LabelIntegration]; got != "immich" {
		t.Errorf("integration label %q: the API key ExternalSecret belongs to one integration", got)
	}
	if o.GetName() != "immich-oidc-api-key" || !strings.Contains(o.MustString(), "creationPolicy: Owner\n    name: immich-oidc-api-key") {
		t.Errorf("name or target:\n%s", o.MustString())
	}
	if o.GetNamespace() != "" {
		t.Errorf("namespace %q, want none", o.GetNamespace())
	}
	if s := o.MustString(); !strings.Contains(s, "kind: SecretStore") || !strings.Contains(s, "secretKey: api-key") {
		t.Errorf("unexpected:\n%s", s)
	}
}
