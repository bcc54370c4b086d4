package v1alpha1

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	sigsyaml "sigs.k8s.io/yaml"
)

const gatewayHead = "apiVersion: oidc.endsys.cloud/v1alpha1\nkind: OIDCIntegration\nmetadata: {name: whoami, namespace: apps}\n"

func TestGatewayDefaults(t *testing.T) {
	tests := []struct {
		name, spec string
		// want is spec.gateway and spec.helmRelease after defaulting, as YAML.
		want string
	}{
		{
			name: "empty gateway: route named like the integration, Envoy Gateway's paths, no HelmRelease",
			spec: "spec: {url: https://whoami.example.com/, gateway: {}}",
			want: `gateway:
  callbackPath: /oauth2/callback
  httpRouteName: whoami
  logoutPath: /logout
  scopes:
  - openid
  - email
  - profile
helmRelease:
  name: whoami
  strategy: none
`,
		},
		{
			name: "app under a path: both paths below it, so the app's HTTPRoute routes them",
			spec: "spec: {url: https://apps.example.com/whoami/, gateway: {httpRouteName: web}}",
			want: `gateway:
  callbackPath: /whoami/oauth2/callback
  httpRouteName: web
  logoutPath: /whoami/logout
  scopes:
  - openid
  - email
  - profile
helmRelease:
  name: whoami
  strategy: none
`,
		},
		{
			name: "placeholder standing for scheme and host, user's paths and scopes kept",
			spec: `spec:
  url: ${APP_URL}/sub
  gateway: {callbackPath: /cb, logoutPath: /bye, scopes: [openid, groups]}`,
			want: `gateway:
  callbackPath: /cb
  httpRouteName: whoami
  logoutPath: /bye
  scopes:
  - openid
  - groups
helmRelease:
  name: whoami
  strategy: none
`,
		},
		{
			name: "env to wire: the HelmRelease stays required",
			spec: "spec: {url: https://whoami.example.com, gateway: {}, env: {TRUST_HEADER: x-user}}",
			want: `gateway:
  callbackPath: /oauth2/callback
  httpRouteName: whoami
  logoutPath: /logout
  scopes:
  - openid
  - email
  - profile
helmRelease:
  name: whoami
  strategy: auto
`,
		},
		{
			name: "a HelmRelease named by the user is wired",
			spec: "spec: {url: https://whoami.example.com, gateway: {}, helmRelease: {name: web}}",
			want: `gateway:
  callbackPath: /oauth2/callback
  httpRouteName: whoami
  logoutPath: /logout
  scopes:
  - openid
  - email
  - profile
helmRelease:
  name: web
  strategy: auto
`,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := mustIntegration(t, gatewayHead+tc.spec)
			b, err := sigsyaml.Marshal(map[string]any{"gateway": in.Spec.Gateway, "helmRelease": in.Spec.HelmRelease})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, string(b)); diff != "" {
				t.Errorf("defaults (-want +got):\n%s", diff)
			}
			if errs := ValidateIntegration(in); len(errs) > 0 {
				t.Errorf("defaulted integration invalid: %v", errs)
			}
		})
	}
	if in := mustIntegration(t, gatewayHead+"spec: {url: https://whoami.example.com}"); in.Spec.Gateway != nil || in.Spec.HelmRelease.Strategy != StrategyAuto {
		t.Errorf("without spec.gateway: gateway %v, strategy %q", in.Spec.Gateway, in.Spec.HelmRelease.Strategy)
	}
}

func TestValidateGateway(t *testing.T) {
	tests := []struct {
		name, spec string
		want       []string // "path: text" fragments, one per error, in order
	}{
		{name: "cookie settings that work", spec: "spec: {url: https://whoami.apps.example.com, gateway: {cookieDomain: example.com, cookieSameSite: Strict}}"},
		{name: "cookie domain equal to the host, with a port", spec: "spec: {url: \"https://whoami.example.com:8443\", gateway: {cookieDomain: whoami.example.com}}"},
		{name: "placeholders", spec: "spec: {url: \"https://whoami.${DOMAIN}\", gateway: {httpRouteName: \"${ROUTE}\", cookieDomain: \"${DOMAIN}\", logoutPath: \"${LOGOUT}\"}}"},
		{name: "public client", spec: "spec: {url: https://whoami.example.com, client: {public: true}, gateway: {}}",
			want: []string{`spec.client.public: Invalid value: true: the gateway login (spec.gateway) authenticates to Pocket ID with the client secret`}},
		{name: "route name", spec: "spec: {url: https://whoami.example.com, gateway: {httpRouteName: Who_Am_I}}",
			want: []string{`spec.gateway.httpRouteName: Invalid value: "Who_Am_I"`}},
		{name: "paths", spec: "spec: {url: https://whoami.example.com, gateway: {callbackPath: oauth2/callback, logoutPath: \"/logout?x=1\"}}",
			want: []string{
				`spec.gateway.callbackPath: Invalid value: "oauth2/callback": must be an absolute path`,
				`spec.gateway.logoutPath: Invalid value: "/logout?x=1": must be a plain path`,
			}},
		{name: "root callback", spec: "spec: {url: https://whoami.example.com, gateway: {callbackPath: /}}",
			want: []string{`spec.gateway.callbackPath: Invalid value: "/": Envoy Gateway refuses a redirect URL whose path is "/"`}},
		{name: "one path for both", spec: "spec: {url: https://whoami.example.com, gateway: {callbackPath: /auth, logoutPath: /auth}}",
			want: []string{`spec.gateway.logoutPath: Invalid value: "/auth": must differ from callbackPath`}},
		{name: "scopes", spec: "spec: {url: https://whoami.example.com, gateway: {scopes: [openid, \"\", \"email profile\", openid]}}",
			want: []string{
				`spec.gateway.scopes[1]: Invalid value: "": a scope is one non-empty word`,
				`spec.gateway.scopes[2]: Invalid value: "email profile": a scope is one non-empty word`,
				`spec.gateway.scopes[3]: Duplicate value: "openid"`,
			}},
		{name: "cookie domain of another site", spec: "spec: {url: https://whoami.example.com, gateway: {cookieDomain: example.org}}",
			want: []string{`spec.gateway.cookieDomain: Invalid value: "example.org": does not contain the app's host whoami.example.com`}},
		{name: "cookie domain that only ends like the host", spec: "spec: {url: https://whoami.myexample.com, gateway: {cookieDomain: example.com}}",
			want: []string{`spec.gateway.cookieDomain: Invalid value: "example.com": does not contain the app's host whoami.myexample.com`}},
		{name: "cookie domain Envoy Gateway refuses", spec: "spec: {url: https://whoami.example.com, gateway: {cookieDomain: .Example.com}}",
			want: []string{`spec.gateway.cookieDomain: Invalid value: ".Example.com": must be a lower-case DNS domain`}},
		{name: "same site", spec: "spec: {url: https://whoami.example.com, gateway: {cookieSameSite: lax}}",
			want: []string{`spec.gateway.cookieSameSite: Unsupported value: "lax"`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			errs := ValidateIntegration(mustIntegration(t, gatewayHead+tc.spec))
			if len(errs) != len(tc.want) {
				t.Fatalf("got %d errors, want %d:\n%v", len(errs), len(tc.want), errs)
			}
			for i, e := range errs {
				if !strings.Contains(e.Error(), tc.want[i]) {
					t.Errorf("error %d = %q, want it to contain %q", i, e.Error(), tc.want[i])
				}
			}
		})
	}
}

func TestSplitOrigin(t *testing.T) {
	for _, tc := range []struct{ in, origin, path string }{
		{"https://a.example.com", "https://a.example.com", ""},
		{"https://a.example.com:8443/x/y", "https://a.example.com:8443", "/x/y"},
		{"https://a.${DOMAIN}/x", "https://a.${DOMAIN}", "/x"},
		{"${APP_URL}/x", "${APP_URL}", "/x"},
		{"${APP_URL}", "${APP_URL}", ""},
	} {
		if o, p := SplitOrigin(tc.in); o != tc.origin || p != tc.path {
			t.Errorf("SplitOrigin(%q) = %q, %q; want %q, %q", tc.in, o, p, tc.origin, tc.path)
		}
	}
}
