package function

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestReadConfigAndMergeProvider(t *testing.T) {
	const integration = `items:
- apiVersion: oidc.endsys.cloud/v1alpha1
  kind: OIDCIntegration
  metadata: {name: immich, namespace: media}
  spec:
    preset: immich
    url: https://immich.example.com
`
	tests := map[string]struct {
		rl      string
		issuer  string // of the first integration, merged and defaulted
		results []string
	}{
		"a PocketIDProvider: its settings, the trailing slash removed": {
			rl:     rlHead + integration + strings.Replace(testProvider, "https://auth.example.com", "https://auth.example.com/", 1),
			issuer: "https://auth.example.com",
		},
		"the integration's spec.provider wins field by field": {
			rl:     rlHead + integration + "    provider: {issuer: https://id.example.com}\n" + testProvider,
			issuer: "https://id.example.com",
		},
		"a setting missing everywhere is reported once, on the provider": {
			rl: rlHead + integration + `- apiVersion: oidc.endsys.cloud/v1alpha1
  kind: OIDCIntegration
  metadata: {name: other, namespace: media}
  spec: {url: https://other.example.com}
functionConfig:
  apiVersion: oidc.endsys.cloud/v1alpha1
  kind: PocketIDProvider
  metadata: {name: pocket-id}
  spec: {secretStoreRef: {name: bitwarden}, apiKey: {remoteKey: k}}
`,
			results: []string{"error: PocketIDProvider pocket-id: spec.issuer: Required value: required provider setting: every OIDCIntegration without its own spec.provider.issuer needs it"},
		},
		"without a provider, on the integration": {
			rl: rlHead + integration,
			results: []string{
				"error: OIDCIntegration media/immich: spec.provider.issuer: Required value: required provider setting: give the function a PocketIDProvider, or set it here",
				"error: OIDCIntegration media/immich: spec.provider.secretStoreRef: Required value: required provider setting: give the function a PocketIDProvider, or set it here",
				"error: OIDCIntegration media/immich: spec.provider.apiKey: Required value: required provider setting: give the function a PocketIDProvider, or set it here",
			},
		},
		"a provider that does not decode is not also reported missing": {
			rl:      rlHead + integration + testProvider + "    issuerURL: https://auth.example.com\n",
			results: []string{"error: PocketIDProvider pocket-id: spec.issuerURL: Forbidden: unknown field (did you mean issuer?)"},
		},
		"a functionConfig of another kind": {
			rl: rlHead + integration + "functionConfig: {apiVersion: v1, kind: ConfigMap, metadata: {name: c}}\n",
			// The integrations then have no provider: they say which settings they miss.
			results: []string{`error: ConfigMap c: kind: Invalid value: "v1 ConfigMap": the functionConfig must be a oidc.endsys.cloud/v1alpha1 PocketIDProvider or OIDCIntegration`,
				"error: OIDCIntegration media/immich: spec.provider.issuer: Required value: required provider setting: give the function a PocketIDProvider, or set it here",
				"error: OIDCIntegration media/immich: spec.provider.secretStoreRef: Required value: required provider setting: give the function a PocketIDProvider, or set it here",
				"error: OIDCIntegration media/immich: spec.provider.apiKey: Required value: required provider setting: give the function a PocketIDProvider, or set it here",
			},
		},
		"the single-file form: the functionConfig is the integration": {
			rl: rlHead + `functionConfig:
  apiVersion: oidc.endsys.cloud/v1alpha1
  kind: OIDCIntegration
  metadata: {name: immich, namespace: media}
  spec:
    url: https://immich.example.com
    provider: {issuer: https://auth.example.com, secretStoreRef: {name: bw}, apiKey: {remoteKey: k}}
`,
			issuer: "https://auth.example.com",
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			r := resolved(t, tc.rl)
			var issuer string
			if len(r.integrations) > 0 {
				issuer = r.integrations[0].provider.Issuer
			}
			if tc.issuer != "" && issuer != tc.issuer {
				t.Errorf("issuer %q, want %q", issuer, tc.issuer)
			}
			var errs []string
			for _, l := range resultLines(r.results) {
				if strings.HasPrefix(l, "error: ") {
					errs = append(errs, l)
				}
			}
			if diff := cmp.Diff(tc.results, errs); diff != "" {
				t.Errorf("errors (-want +got):\n%s", diff)
			}
		})
	}
}
