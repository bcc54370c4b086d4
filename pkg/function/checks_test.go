package function

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestResolveChecks(t *testing.T) {
	tests := map[string]struct {
		spec string // extra spec fields of a custom-env integration wired to app
		want []string
	}{
		"a literal under a secret-like name is a warning that never quotes it": {
			spec: `, env: {DB_PASSWORD: hunter2, SMTP_TOKEN: "${SMTP_TOKEN}", OIDC_SECRET: "{{ .ClientSecret }}", OAUTH_TOKEN_URL: https://a.example.com/token, TZ: UTC}, client: {callbackURLs: [https://app-a.example.com/cb]}`,
			want: []string{`warning: OIDCIntegration media/app-a: spec.env[DB_PASSWORD]: Invalid value: looks like a secret but is a literal, which is rendered in plain text into the HelmRelease: use "{{ .ClientSecret }}" for the client secret, or leave the entry to the HelmRelease as a valueFrom.secretKeyRef`},
		},
		"an explicitly empty group list and no callback": {
			spec: `, client: {allowedGroups: []}`,
			want: []string{
				`warning: OIDCIntegration media/app-a: spec.client.allowedGroups: Invalid value: "[]": the list is empty, so every Pocket ID user may log in; list group names to restrict the client, or remove the field`,
				`warning: OIDCIntegration media/app-a: spec.client.callbackURLs: Required value: no callback URL: Pocket ID accepts the first one a login uses and pins it; list the app's callbacks`,
			},
		},
		"a public client whose env needs the secret": {
			spec: `, env: {OIDC_SECRET: "{{ .ClientSecret }}"}, client: {public: true, callbackURLs: [https://app-a.example.com/cb]}`,
			want: []string{`error: OIDCIntegration media/app-a: spec.client.public: Invalid value: true: a public client has no client secret, but spec.env needs one: make the client confidential or drop the secret from the app's settings`},
		},
		"a public client with client-secret settings": {
			spec: `, client: {public: true, callbackURLs: [https://app-a.example.com/cb]}, secret: {remoteKey: k, retainOld: true, rotationOverlap: 1h}`,
			want: []string{
				`error: OIDCIntegration media/app-a: spec.secret.remoteKey: Invalid value: "k": a public client has no client secret: remove it or public`,
				`error: OIDCIntegration media/app-a: spec.secret.rotationOverlap: Invalid value: "1h0m0s": a public client has no client secret: remove it or public`,
				`error: OIDCIntegration media/app-a: spec.secret.retainOld: Invalid value: true: a public client has no client secret: remove it or public`,
			},
		},
		"a client id too long to be the display name": {
			spec: `, client: {id: ` + strings.Repeat("c", 51) + `, callbackURLs: [https://app-a.example.com/cb]}`,
			want: []string{`error: OIDCIntegration media/app-a: spec.client.displayName: Required value: the display name defaults to the client id, which is longer than Pocket ID's 50 characters`},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			r := resolved(t, rlHead+"items:\n"+appRelease+integrationItem("app-a", ", helmRelease: {name: app}"+tc.spec)+testProvider)
			if diff := cmp.Diff(tc.want, resultLines(r.results)); diff != "" {
				t.Errorf("results (-want +got):\n%s", diff)
			}
		})
	}
}
