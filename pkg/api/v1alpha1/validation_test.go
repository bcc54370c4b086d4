package v1alpha1

import (
	"strings"
	"testing"

	sigsyaml "sigs.k8s.io/yaml"
)

func mustIntegration(t *testing.T, doc string) *OIDCIntegration {
	t.Helper()
	var in OIDCIntegration
	if errs := Decode(toJSON(t, doc), &in); len(errs) > 0 {
		t.Fatalf("decode: %v", errs)
	}
	SetIntegrationDefaults(&in)
	return &in
}

func toJSON(t *testing.T, doc string) []byte {
	t.Helper()
	b, err := sigsyaml.YAMLToJSON([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestValidateIntegration(t *testing.T) {
	const head = "apiVersion: oidc.endsys.cloud/v1alpha1\nkind: OIDCIntegration\nmetadata: {name: immich, namespace: media}\n"
	tests := []struct {
		name string
		head string // replaces head's metadata line when set
		spec string
		// want lists "path: text" fragments, one per expected error, in order.
		want []string
	}{
		{name: "minimal", spec: "spec: {url: https://immich.example.com}"},
		{name: "placeholders everywhere", spec: `spec:
  url: https://immich.${SECRET_DOMAIN}
  client:
    id: ${APP}-photos
    callbackURLs: ["https://immich.${SECRET_DOMAIN}/auth/login", "${MOBILE_CALLBACK}"]
    launchURL: ${LAUNCH}
    allowedGroups: ["${GROUP}"]
  secret: {name: "${SECRET}"}`},
		{name: "placeholder standing for scheme and host", spec: `spec:
  url: ${IMMICH_URL}/
  provider: {issuer: "${ISSUER}/", apiURL: "${POCKET_ID_URL}/"}
  client:
    callbackURLs: ["${IMMICH_URL}/auth/login"]
    logoutCallbackURLs: ["${IMMICH_URL}/logout"]
    launchURL: ${IMMICH_URL}/photos`},
		{name: "placeholder then bad text", spec: `spec:
  url: https://a.example.com
  client: {callbackURLs: ["${IMMICH_URL}/auth login", "javascript:${X}"]}`,
			want: []string{
				`spec.client.callbackURLs[0]: Invalid value: "${IMMICH_URL}/auth login": must not contain white space`,
				`spec.client.callbackURLs[1]: Invalid value: "javascript:${X}": scheme "javascript" is refused`,
			}},
		{name: "custom scheme and wildcard callbacks", spec: `spec:
  url: https://immich.example.com
  client: {callbackURLs: ["app.immich:///oauth-callback", "https://*.example.com/cb"]}`},
		{name: "url missing", spec: "spec: {}", want: []string{"spec.url: Required value"}},
		{name: "name and namespace that cannot name objects", head: "metadata: {name: Immich_App, namespace: Media}\n", spec: "spec: {url: https://a.example.com}",
			want: []string{`metadata.name: Invalid value: "Immich_App": a lowercase RFC 1123 subdomain`, `metadata.namespace: Invalid value: "Media": a lowercase RFC 1123 label`}},
		{name: "url without scheme", spec: "spec: {url: immich.example.com}",
			want: []string{`spec.url: Invalid value: "immich.example.com": must be an absolute URL`}},
		{name: "url with white space", spec: "spec: {url: \"https://a.example.com/ x\"}",
			want: []string{`spec.url: Invalid value: "https://a.example.com/ x": must not contain white space`}},
		{name: "url without host", spec: "spec: {url: \"https:///x\"}",
			want: []string{`spec.url: Invalid value: "https:///x": must be an absolute URL`}},
		{name: "bad client id", spec: "spec: {url: https://a.example.com, client: {id: a}}",
			want: []string{`spec.client.id: Invalid value: "a": must match ^[a-zA-Z0-9._-]{2,128}$`}},
		{name: "callbacks", spec: `spec:
  url: https://a.example.com
  client:
    callbackURLs: [https://a.example.com/cb, a.example.com/cb, "javascript:alert(1)"]
    logoutCallbackURLs: ["data:text/html,x", ""]`,
			want: []string{
				`spec.client.callbackURLs[1]: Invalid value: "a.example.com/cb": must start with a scheme`,
				`spec.client.callbackURLs[2]: Invalid value: "javascript:alert(1)": scheme "javascript" is refused`,
				`spec.client.logoutCallbackURLs[0]: Invalid value: "data:text/html,x": scheme "data" is refused`,
				`spec.client.logoutCallbackURLs[1]: Invalid value: "": must not be empty`,
			}},
		{name: "display name", spec: "spec: {url: https://a.example.com, client: {displayName: " + strings.Repeat("é", 51) + "}}",
			want: []string{"spec.client.displayName: Too long: may not be more than 50"}},
		{name: "display name of 50 runes", spec: "spec: {url: https://a.example.com, client: {displayName: " + strings.Repeat("é", 50) + "}}"},
		{name: "groups", spec: `spec: {url: https://a.example.com, client: {allowedGroups: [family, " ", admins, family]}}`,
			want: []string{"spec.client.allowedGroups[1]: Required value", `spec.client.allowedGroups[3]: Duplicate value: "family"`}},
		{name: "group names Pocket ID cannot hold", spec: "spec: {url: https://a.example.com, client: {allowedGroups: [x, " + strings.Repeat("g", 256) + ", \"${G}\", " + strings.Repeat("g", 255) + "]}}",
			want: []string{`spec.client.allowedGroups[0]: Invalid value: "x": a Pocket ID group name has 2 to 255 characters`, "spec.client.allowedGroups[1]: Invalid value"}},
		{name: "public client generating a secret", spec: "spec: {url: https://a.example.com, client: {public: true}, secret: {generate: true}}",
			want: []string{"spec.secret.generate: Invalid value: true: a public client has no client secret"}},
		{name: "public client without PKCE", spec: "spec: {url: https://a.example.com, client: {public: true, pkce: false}}",
			want: []string{"spec.client.pkce: Invalid value: false: a public client always uses PKCE"}},
		{name: "enums", spec: "spec: {url: https://a.example.com, helmRelease: {strategy: kustomize}, client: {state: gone}}",
			want: []string{`spec.helmRelease.strategy: Unsupported value: "kustomize"`, `spec.client.state: Unsupported value: "gone"`}},
		{name: "workload the post-renderer patch targets", spec: "spec: {url: https://a.example.com, helmRelease: {workload: {kind: Deployment, name: open-webui}}}"},
		{name: "workload kind and name", spec: "spec: {url: https://a.example.com, helmRelease: {workload: {kind: Job, name: Open_WebUI}}}",
			want: []string{`spec.helmRelease.workload.kind: Unsupported value: "Job": supported values: "Deployment", "StatefulSet", "DaemonSet"`,
				`spec.helmRelease.workload.name: Invalid value: "Open_WebUI": a lowercase RFC 1123 subdomain`}},
		{name: "workload without a name", spec: "spec: {url: https://a.example.com, helmRelease: {workload: {kind: StatefulSet}}}",
			want: []string{`spec.helmRelease.workload.name: Invalid value: ""`}},
		{name: "secret name and env name", spec: "spec: {url: https://a.example.com, secret: {name: Immich_OIDC}, env: {1BAD: x}}",
			want: []string{`spec.secret.name: Invalid value: "Immich_OIDC"`, `spec.env[1BAD]: Invalid value: "1BAD"`}},
		{name: "inline provider", spec: `spec:
  url: https://a.example.com
  provider:
    issuer: auth.example.com
    secretStoreRef: {kind: Vault, name: x}
    apiKey: {remoteKey: k, secretRef: {name: s}}
    reconcileSchedule: "every day"`,
			want: []string{
				`spec.provider.issuer: Invalid value: "auth.example.com"`,
				`spec.provider.secretStoreRef.kind: Unsupported value: "Vault"`,
				`spec.provider.apiKey: Invalid value: "remoteKey and secretRef": set only one`,
				`spec.provider.reconcileSchedule: Invalid value: "every day"`,
			}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := head
			if tc.head != "" {
				h = strings.Replace(head, "metadata: {name: immich, namespace: media}\n", tc.head, 1)
			}
			in := mustIntegration(t, h+tc.spec)
			errs := ValidateIntegration(in)
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

func TestValidateProviderAndMissing(t *testing.T) {
	p := &ProviderSpec{APIKey: &APIKeySource{}}
	errs := ValidateProvider(p, nil)
	if len(errs) != 1 || !strings.Contains(errs[0].Error(), "apiKey: Required value: set remoteKey") {
		t.Errorf("empty apiKey: %v", errs)
	}
	got := MissingProviderSettings(&ProviderSpec{})
	if want := []string{"issuer", "secretStoreRef", "apiKey"}; strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("missing = %v, want %v", got, want)
	}
	if got := MissingProviderSettings(&ProviderSpec{Issuer: "https://a", SecretStoreRef: &SecretStoreRef{Name: "s"}, APIKey: &APIKeySource{RemoteKey: "k"}}); len(got) != 0 {
		t.Errorf("complete provider reported missing %v", got)
	}
}
