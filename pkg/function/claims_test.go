package function

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// integrationItem is an OIDCIntegration item of a ResourceList with extra spec fields.
func integrationItem(name, spec string) string {
	return `- apiVersion: oidc.endsys.cloud/v1alpha1
  kind: OIDCIntegration
  metadata: {name: ` + name + `, namespace: media}
  spec: {url: "https://` + name + `.example.com"` + spec + `}
`
}

const appRelease = `- apiVersion: helm.toolkit.fluxcd.io/v2
  kind: HelmRelease
  metadata: {name: app, namespace: media}
  spec:
    chartRef: {kind: OCIRepository, name: app-template}
    values: {controllers: {main: {containers: {main: {image: {repository: x, tag: "1"}}}}}}
`

func TestCheckClaimsAndConflicts(t *testing.T) {
	tests := map[string]struct {
		items string
		want  []string // error results
	}{
		"distinct clients and Secrets": {
			items: integrationItem("app-a", ", helmRelease: {name: app}, env: {A_ID: '{{ .ClientID }}'}") + integrationItem("app-b", ", helmRelease: {name: app, strategy: none}"),
		},
		"one client id twice": {
			items: integrationItem("app-a", ", client: {id: shared}, helmRelease: {name: app, strategy: none}") + integrationItem("app-b", ", client: {id: shared}, helmRelease: {name: app, strategy: none}"),
			want:  []string{`error: OIDCIntegration media/app-b: spec.client.id: Invalid value: "shared": client id already claimed by OIDCIntegration media/app-a`},
		},
		"one Secret twice": {
			items: integrationItem("app-a", ", secret: {name: s}, helmRelease: {name: app, strategy: none}") + integrationItem("app-b", ", secret: {name: s}, helmRelease: {name: app, strategy: none}"),
			want:  []string{`error: OIDCIntegration media/app-b: spec.secret.name: Invalid value: "s": Secret media/s already claimed by OIDCIntegration media/app-a`},
		},
		"one env var of one container set to two values": {
			items: integrationItem("app-a", ", helmRelease: {name: app}, env: {OIDC_ID: '{{ .ClientID }}'}") + integrationItem("app-b", ", helmRelease: {name: app}, env: {OIDC_ID: '{{ .ClientID }}'}"),
			want:  []string{`error: OIDCIntegration media/app-b: spec.helmRelease: Invalid value: "app": env var OIDC_ID of the same container is set to another value by OIDCIntegration media/app-a: wire each integration to its own container (spec.helmRelease.controller/container), or strategy none`},
		},
		"one env var set to the same value may be shared": {
			items: integrationItem("app-a", ", helmRelease: {name: app}, env: {OIDC_ISSUER: '{{ .Issuer }}'}") + integrationItem("app-b", ", helmRelease: {name: app}, env: {OIDC_ISSUER: '{{ .Issuer }}'}"),
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			r := resolved(t, rlHead+"items:\n"+appRelease+tc.items+testProvider)
			r.checkClaims()
			if !r.failed {
				r.wire()
			}
			var errs []string
			for _, l := range resultLines(r.results) {
				if strings.HasPrefix(l, "error: ") {
					errs = append(errs, l)
				}
			}
			if diff := cmp.Diff(tc.want, errs); diff != "" {
				t.Errorf("errors (-want +got):\n%s", diff)
			}
		})
	}
}
