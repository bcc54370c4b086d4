package v1alpha1

import (
	"os"
	"strings"
	"testing"

	"github.com/endsys/pocketid-oidc/pkg/contract"
	"sigs.k8s.io/yaml"
)

// TestValidateOIDCClient: one set of rules for the document the function renders and the one
// the provisioner reads; they differ only in how a ${VAR} placeholder is judged.
func TestValidateOIDCClient(t *testing.T) {
	for _, tc := range []struct {
		name string
		spec string
		sub  Substitution
		want []string // each error, as "field: type"
	}{
		{name: "valid confidential", spec: "{id: immich, name: Immich, callbackURLs: [https://i.example.com/cb], launchURL: https://i.example.com, allowedGroups: [family], secret: {file: /s, rotationOverlap: 1h}}"},
		{name: "valid public", spec: "{id: immich, public: true, pkce: true}"},
		{name: "absent needs only the id", spec: "{id: immich, state: absent, name: " + strings.Repeat("n", 51) + "}"},
		{name: "missing id", spec: "{public: true}", want: []string{"spec.id: Required value"}},
		{name: "bad id", spec: "{id: x, public: true}", want: []string{"spec.id: Invalid value"}},
		{name: "bad state", spec: "{id: immich, state: gone, public: true}", want: []string{"spec.state: Unsupported value"}},
		{name: "name too long", spec: "{id: immich, public: true, name: " + strings.Repeat("n", 51) + "}", want: []string{"spec.name: Too long"}},
		{name: "callback without scheme", spec: "{id: immich, public: true, callbackURLs: [https://ok.example.com, i.example.com/cb]}", want: []string{"spec.callbackURLs[1]: Invalid value"}},
		{name: "javascript logout", spec: "{id: immich, public: true, logoutCallbackURLs: ['javascript:alert(1)']}", want: []string{"spec.logoutCallbackURLs[0]: Invalid value"}},
		{name: "relative launch URL", spec: "{id: immich, public: true, launchURL: /home}", want: []string{"spec.launchURL: Invalid value"}},
		{name: "groups", spec: "{id: immich, public: true, allowedGroups: [family, family, x, ' ', " + strings.Repeat("g", 256) + "]}",
			want: []string{"spec.allowedGroups[1]: Duplicate value", "spec.allowedGroups[2]: Invalid value", "spec.allowedGroups[3]: Required value", "spec.allowedGroups[4]: Invalid value"}},
		{name: "group names count characters, not bytes", spec: "{id: immich, public: true, allowedGroups: [é, " + strings.Repeat("é", 255) + "]}",
			want: []string{"spec.allowedGroups[0]: Invalid value"}},
		{name: "confidential without secret", spec: "{id: immich}", want: []string{"spec.secret: Required value"}},
		{name: "confidential without file", spec: "{id: immich, secret: {}}", want: []string{"spec.secret.file: Required value"}},
		{name: "public with secret", spec: "{id: immich, public: true, secret: {file: /s}}", want: []string{"spec.secret: Invalid value"}},
		{name: "negative overlap", spec: "{id: immich, secret: {file: /s, rotationOverlap: -1h}}", want: []string{"spec.secret.rotationOverlap: Invalid value"}},

		{name: "rendered: placeholders judged as Flux fills them", spec: `{id: "app-${ENV}", public: true, callbackURLs: ["${APP_URL}/cb", "${CB}"], launchURL: "https://${DOMAIN}", allowedGroups: ["${G}"]}`},
		{name: "substituted: a placeholder left is taken as written", sub: Substituted,
			spec: `{id: "${APP}", public: true, callbackURLs: ["${APP_URL}/cb", "https://${DOMAIN}/cb"], launchURL: "${APP_URL}"}`,
			want: []string{"spec.id: Invalid value", "spec.callbackURLs[0]: Invalid value", "spec.launchURL: Invalid value"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var c OIDCClient
			if err := yaml.UnmarshalStrict([]byte(tc.spec), &c.Spec); err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, e := range ValidateOIDCClient(&c, tc.sub) {
				got = append(got, e.Field+": "+e.Type.String())
			}
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("errors:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
		})
	}
}

// TestClientIDMarker: a kubebuilder marker cannot name a constant, so the CRD's client id
// pattern is written out on the types; it must be the contract's.
func TestClientIDMarker(t *testing.T) {
	b, err := os.ReadFile("types.go")
	if err != nil {
		t.Fatal(err)
	}
	var n int
	for _, line := range strings.Split(string(b), "\n") {
		_, pattern, ok := strings.Cut(line, "+kubebuilder:validation:Pattern=")
		if !ok || !strings.Contains(line, "ID string") && !strings.Contains(pattern, "a-zA-Z0-9._-") {
			continue
		}
		n++
		if want := "`" + contract.ClientIDPattern + "`"; pattern != want {
			t.Errorf("marker pattern %s, want %s", pattern, want)
		}
	}
	if n != 2 {
		t.Errorf("found %d client id markers, want 2 (ClientSpec.ID, OIDCClientSpec.ID)", n)
	}
}
