package function

import (
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestIndexItems(t *testing.T) {
	tests := map[string]struct {
		rl                          string
		integrations                []string // namespace/name@item(consumed)
		releases, existing, results []string
		kpt, legacy                 bool
	}{
		"integrations, releases and our kinds, by identity": {
			rl: rlHead + `items:
- {apiVersion: oidc.endsys.cloud/v1alpha1, kind: OIDCIntegration, metadata: {name: immich, namespace: media}}
- {apiVersion: oidc.endsys.cloud/v1alpha1, kind: OIDCIntegration, metadata: {name: src, annotations: {config.kubernetes.io/local-config: "true"}}}
- {apiVersion: helm.toolkit.fluxcd.io/v2, kind: HelmRelease, metadata: {name: immich, namespace: media}}
- {apiVersion: helm.toolkit.fluxcd.io/v2beta2, kind: HelmRelease, metadata: {name: old}}
- {apiVersion: v1, kind: ConfigMap, metadata: {name: cm, namespace: media}}
- {apiVersion: external-secrets.io/v1, kind: ExternalSecret, metadata: {name: es, namespace: media}}
- {apiVersion: apps/v1, kind: Deployment, metadata: {name: not-ours, namespace: media}}
- {apiVersion: example.com/v1, kind: HelmRelease, metadata: {name: not-flux}}
`,
			integrations: []string{"media/immich@0(consumed)", "src@1"},
			releases:     []string{"media/immich", "old"},
			existing:     []string{"/ConfigMap|media|cm", "external-secrets.io/ExternalSecret|media|es"},
		},
		"kpt passes the single-file config as an item too: one integration": {
			rl: rlHead + `items:
- {apiVersion: oidc.endsys.cloud/v1alpha1, kind: OIDCIntegration, metadata: {name: immich, namespace: media, annotations: {internal.config.kubernetes.io/path: immich.yaml}}}
functionConfig: {apiVersion: oidc.endsys.cloud/v1alpha1, kind: OIDCIntegration, metadata: {name: immich, namespace: media}}
`,
			integrations: []string{"media/immich@0(consumed)"},
			kpt:          true,
		},
		"legacy kpt annotations": {
			rl: rlHead + `items:
- {apiVersion: v1, kind: Service, metadata: {name: s, annotations: {config.kubernetes.io/path: s.yaml}}}
`,
			kpt: true, legacy: true,
		},
		"another API version of our kinds is an error": {
			rl: rlHead + `items:
- {apiVersion: oidc.endsys.cloud/v1beta1, kind: OIDCIntegration, metadata: {name: immich, namespace: media}}
- {apiVersion: oidc.endsys.cloud/v2, kind: PocketIDProvider, metadata: {name: p}}
`,
			results: []string{
				`error: OIDCIntegration media/immich: apiVersion: Unsupported value: "oidc.endsys.cloud/v1beta1": supported values: "oidc.endsys.cloud/v1alpha1"`,
				`error: PocketIDProvider p: apiVersion: Unsupported value: "oidc.endsys.cloud/v2": supported values: "oidc.endsys.cloud/v1alpha1"`,
			},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			r := newRendering(t, tc.rl)
			r.readConfig()
			r.indexItems()
			var ins []string
			for _, in := range r.integrations {
				s := fmt.Sprintf("%s@%d", in.id(), in.item)
				if in.consume {
					s += "(consumed)"
				}
				ins = append(ins, s)
			}
			keys := func(m map[string]int) []string {
				var out []string
				for k := range m {
					out = append(out, k)
				}
				sort.Strings(out)
				return out
			}
			got := []string{strings.Join(ins, ","), strings.Join(keys(r.releases), ","), strings.Join(keys(r.existing), ","),
				strings.Join(resultLines(r.results), "\n"), fmt.Sprint(r.kpt, r.legacyPath)}
			want := []string{strings.Join(tc.integrations, ","), strings.Join(tc.releases, ","), strings.Join(tc.existing, ","),
				strings.Join(tc.results, "\n"), fmt.Sprint(tc.kpt, tc.legacy)}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("integrations, releases, existing, results, kpt legacy (-want +got):\n%s", diff)
			}
		})
	}
}
