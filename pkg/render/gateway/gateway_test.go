package gateway

import (
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	sigsyaml "sigs.k8s.io/yaml"

	"github.com/endsys/pocketid-oidc/pkg/api/v1alpha1"
	"github.com/endsys/pocketid-oidc/pkg/preset"
)

// integration decodes, defaults and validates an OIDCIntegration given as YAML, as the
// function does before rendering.
func integration(t *testing.T, doc string) *v1alpha1.OIDCIntegration {
	t.Helper()
	b, err := sigsyaml.YAMLToJSON([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	var in v1alpha1.OIDCIntegration
	if errs := v1alpha1.Decode(b, &in); len(errs) > 0 {
		t.Fatal(errs)
	}
	v1alpha1.SetIntegrationDefaults(&in)
	if errs := v1alpha1.ValidateIntegration(&in); len(errs) > 0 {
		t.Fatal(errs)
	}
	return &in
}

func TestSecurityPolicy(t *testing.T) {
	tests := []struct {
		name, issuer, in, want string
	}{
		{
			name:   "defaults: the route named like the integration, Envoy Gateway's paths, the app Secret",
			issuer: "https://id.example.com",
			in: `apiVersion: oidc.endsys.cloud/v1alpha1
kind: OIDCIntegration
metadata: {name: whoami, namespace: apps}
spec:
  url: https://whoami.example.com
  gateway: {}
`,
			want: `apiVersion: gateway.envoyproxy.io/v1alpha1
kind: SecurityPolicy
metadata:
  labels:
    app.kubernetes.io/managed-by: pocketid-oidc
    oidc.endsys.cloud/integration: whoami
  name: whoami-oidc
  namespace: apps
spec:
  oidc:
    clientID: whoami
    clientSecret:
      name: whoami-oidc
    forwardAccessToken: false
    logoutPath: /logout
    provider:
      issuer: https://id.example.com
    redirectURL: https://whoami.example.com/oauth2/callback
    scopes:
    - openid
    - email
    - profile
  targetRefs:
  - group: gateway.networking.k8s.io
    kind: HTTPRoute
    name: whoami
`,
		},
		{
			name:   "app under a path, own client id, Secret and route, cookie settings",
			issuer: "https://id.example.com",
			in: `apiVersion: oidc.endsys.cloud/v1alpha1
kind: OIDCIntegration
metadata: {name: tools, namespace: ops}
spec:
  url: https://apps.example.com/tools/
  client: {id: ops-tools}
  secret: {name: tools-login}
  gateway:
    httpRouteName: tools-web
    scopes: [openid, groups]
    cookieDomain: example.com
    cookieSameSite: Lax
`,
			want: `apiVersion: gateway.envoyproxy.io/v1alpha1
kind: SecurityPolicy
metadata:
  labels:
    app.kubernetes.io/managed-by: pocketid-oidc
    oidc.endsys.cloud/integration: tools
  name: tools-oidc
  namespace: ops
spec:
  oidc:
    clientID: ops-tools
    clientSecret:
      name: tools-login
    cookieConfig:
      sameSite: Lax
    cookieDomain: example.com
    forwardAccessToken: false
    logoutPath: /tools/logout
    provider:
      issuer: https://id.example.com
    redirectURL: https://apps.example.com/tools/oauth2/callback
    scopes:
    - openid
    - groups
  targetRefs:
  - group: gateway.networking.k8s.io
    kind: HTTPRoute
    name: tools-web
`,
		},
		{
			name:   "no namespace, placeholders kept for Flux to substitute",
			issuer: "https://id.${DOMAIN}",
			in: `apiVersion: oidc.endsys.cloud/v1alpha1
kind: OIDCIntegration
metadata: {name: whoami}
spec:
  url: ${WHOAMI_URL}
  gateway: {callbackPath: /_auth/callback, logoutPath: /_auth/logout}
`,
			want: `apiVersion: gateway.envoyproxy.io/v1alpha1
kind: SecurityPolicy
metadata:
  labels:
    app.kubernetes.io/managed-by: pocketid-oidc
    oidc.endsys.cloud/integration: whoami
  name: whoami-oidc
spec:
  oidc:
    clientID: whoami
    clientSecret:
      name: whoami-oidc
    forwardAccessToken: false
    logoutPath: /_auth/logout
    provider:
      issuer: https://id.${DOMAIN}
    redirectURL: ${WHOAMI_URL}/_auth/callback
    scopes:
    - openid
    - email
    - profile
  targetRefs:
  - group: gateway.networking.k8s.io
    kind: HTTPRoute
    name: whoami
`,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := SecurityPolicy(NewPolicy(integration(t, tc.in), tc.issuer)).String()
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("SecurityPolicy (-want +got):\n%s", diff)
			}
		})
	}
}

func TestRegister(t *testing.T) {
	tests := []struct {
		name string
		in   string
		doc  v1alpha1.OIDCClientSpec // before
		want string                  // after, as YAML
	}{
		{
			name: "callback, logout callback and PKCE added",
			in:   "metadata: {name: whoami}\nspec: {url: https://whoami.example.com, gateway: {}}",
			doc:  v1alpha1.OIDCClientSpec{ID: "whoami", State: "present"},
			want: `callbackURLs:
- https://whoami.example.com/oauth2/callback
id: whoami
logoutCallbackURLs:
- https://whoami.example.com/
pkce: true
state: present
`,
		},
		{
			name: "the preset's or user's URLs kept, ours appended once",
			in:   "metadata: {name: grafana}\nspec: {url: https://grafana.example.com/, gateway: {}}",
			doc: v1alpha1.OIDCClientSpec{ID: "grafana", State: "present",
				CallbackURLs:       []string{"https://grafana.example.com/login/generic_oauth", "https://grafana.example.com/oauth2/callback"},
				LogoutCallbackURLs: []string{"https://grafana.example.com/login"}},
			want: `callbackURLs:
- https://grafana.example.com/login/generic_oauth
- https://grafana.example.com/oauth2/callback
id: grafana
logoutCallbackURLs:
- https://grafana.example.com/login
- https://grafana.example.com/
pkce: true
state: present
`,
		},
		{
			name: "an explicit pkce: false is the user's",
			in:   "metadata: {name: whoami}\nspec: {url: https://apps.example.com/whoami, client: {pkce: false}, gateway: {}}",
			doc:  v1alpha1.OIDCClientSpec{ID: "whoami", State: "present"},
			want: `callbackURLs:
- https://apps.example.com/whoami/oauth2/callback
id: whoami
logoutCallbackURLs:
- https://apps.example.com/
state: present
`,
		},
		{
			name: "an app login of its own (env): PKCE stays as resolved, the app may send no challenge",
			in:   "metadata: {name: wiki}\nspec: {url: https://wiki.example.com, env: {OIDC_ISSUER: \"{{ .Issuer }}\"}, gateway: {}}",
			doc:  v1alpha1.OIDCClientSpec{ID: "wiki", State: "present", CallbackURLs: []string{"https://wiki.example.com/oidc/callback"}},
			want: `callbackURLs:
- https://wiki.example.com/oidc/callback
- https://wiki.example.com/oauth2/callback
id: wiki
logoutCallbackURLs:
- https://wiki.example.com/
state: present
`,
		},
		{
			name: "a preset's login: its PKCE setting stands",
			in:   "metadata: {name: grafana}\nspec: {preset: grafana, url: https://grafana.example.com, gateway: {}}",
			doc:  v1alpha1.OIDCClientSpec{ID: "grafana", State: "present"},
			want: `callbackURLs:
- https://grafana.example.com/oauth2/callback
id: grafana
logoutCallbackURLs:
- https://grafana.example.com/
state: present
`,
		},
		{
			name: "absent client: only its id is needed to delete it",
			in:   "metadata: {name: whoami}\nspec: {url: https://whoami.example.com, client: {state: absent}, gateway: {}}",
			doc:  v1alpha1.OIDCClientSpec{ID: "whoami", State: "absent"},
			want: "id: whoami\nstate: absent\n",
		},
		{
			name: "no gateway: untouched",
			in:   "metadata: {name: whoami}\nspec: {url: https://whoami.example.com}",
			doc:  v1alpha1.OIDCClientSpec{ID: "whoami", State: "present"},
			want: "id: whoami\nstate: present\n",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := integration(t, "apiVersion: oidc.endsys.cloud/v1alpha1\nkind: OIDCIntegration\n"+tc.in)
			doc := &v1alpha1.OIDCClient{Spec: tc.doc}
			before := append([]string(nil), tc.doc.CallbackURLs...)
			Register(doc, in)
			Register(doc, in) // idempotent
			b, err := sigsyaml.Marshal(doc.Spec)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, string(b)); diff != "" {
				t.Errorf("document (-want +got):\n%s", diff)
			}
			if !slices.Equal(before, tc.doc.CallbackURLs) {
				t.Errorf("Register wrote through to the caller's slice: %v", tc.doc.CallbackURLs)
			}
		})
	}
}

func TestCheckIssuer(t *testing.T) {
	for _, tc := range []struct {
		issuer string
		ok     bool
	}{
		{"https://id.example.com", true},
		{"https://id.example.com:8443/pocket", true},
		{"https://id.${DOMAIN}", true},
		{"${ISSUER}", true},
		{"http://id.example.com", false},
		{"https://user@id.example.com", false},
		{"https://id.example.com/?tenant=a", false},
		{"https://", false},
	} {
		err := CheckIssuer(tc.issuer)
		if (err == nil) != tc.ok {
			t.Errorf("CheckIssuer(%q) = %v, want ok=%v", tc.issuer, err, tc.ok)
		}
		if err != nil && !strings.Contains(err.Error(), "refused by Envoy Gateway") {
			t.Errorf("CheckIssuer(%q) = %q: does not say who refuses it", tc.issuer, err)
		}
	}
}

// Envoy Gateway reads the client secret from the key "client-secret" (OIDCClientSecretKey in
// api/v1alpha1/oidc_types.go): the policy names the app Secret, so that must be its key.
func TestSecretKeyIsEnvoyGateways(t *testing.T) {
	if preset.SecretKeyClientSecret != "client-secret" {
		t.Errorf("the app Secret keeps the client secret under %q, Envoy Gateway reads client-secret", preset.SecretKeyClientSecret)
	}
}
