package function

import (
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestRender: what each integration renders, in order, and the objects no two owners may
// render and no render may take from the input.
func TestRender(t *testing.T) {
	hash := regexp.MustCompile(`-[0-9a-f]{10}$`)
	tests := map[string]struct {
		items   string
		objects []string // Kind namespace/name (hash replaced), in render order
		errors  []string
	}{
		"a confidential client: its ExternalSecret, then provisioning: its API key, ConfigMap, Job and CronJob": {
			items:   integrationItem("app-a", `, helmRelease: {name: app, strategy: none}`),
			objects: []string{"ExternalSecret media/app-a-oidc", "ExternalSecret media/app-a-oidc-api-key", "ConfigMap media/app-a-oidc-<hash>", "Job media/app-a-oidc-<hash>", "CronJob media/app-a-oidc-reconcile"},
		},
		"generate adds the seed": {
			items:   integrationItem("app-a", `, helmRelease: {name: app, strategy: none}, secret: {generate: true}`),
			objects: []string{"ExternalSecret media/app-a-oidc", "Password media/app-a-oidc-seed", "ExternalSecret media/app-a-oidc-seed", "PushSecret media/app-a-oidc-seed", "ExternalSecret media/app-a-oidc-api-key", "ConfigMap media/app-a-oidc-<hash>", "Job media/app-a-oidc-<hash>", "CronJob media/app-a-oidc-reconcile"},
		},
		"a public client has no secret; each integration has its own API key and CronJob": {
			items: integrationItem("app-a", `, helmRelease: {name: app, strategy: none}, client: {public: true}`) +
				integrationItem("app-b", `, helmRelease: {name: app, strategy: none}, client: {public: true}`),
			objects: []string{"ExternalSecret media/app-a-oidc-api-key", "ConfigMap media/app-a-oidc-<hash>", "Job media/app-a-oidc-<hash>", "CronJob media/app-a-oidc-reconcile",
				"ExternalSecret media/app-b-oidc-api-key", "ConfigMap media/app-b-oidc-<hash>", "Job media/app-b-oidc-<hash>", "CronJob media/app-b-oidc-reconcile"},
		},
		"reconcileSchedule never renders no CronJob; an existing API key Secret no ExternalSecret": {
			items:   integrationItem("app-a", `, helmRelease: {name: app, strategy: none}, client: {public: true}, provider: {reconcileSchedule: never, apiKey: {secretRef: {name: admin}}}`),
			objects: []string{"ConfigMap media/app-a-oidc-<hash>", "Job media/app-a-oidc-<hash>"},
		},
		"an object of the input that is not ours is never replaced": {
			items: integrationItem("app-a", `, helmRelease: {name: app, strategy: none}, client: {public: true}`) + `- apiVersion: external-secrets.io/v1
  kind: ExternalSecret
  metadata: {name: app-a-oidc-api-key, namespace: media}
`,
			objects: []string{"ConfigMap media/app-a-oidc-<hash>", "Job media/app-a-oidc-<hash>", "CronJob media/app-a-oidc-reconcile"},
			errors:  []string{`error: OIDCIntegration media/app-a: metadata.name: Invalid value: "app-a": would replace ExternalSecret media/app-a-oidc-api-key, which is in the input and not managed by pocketid-oidc: rename one of them`},
		},
		"an app Secret named like another integration's API key Secret": {
			items: integrationItem("app-a", `, helmRelease: {name: app, strategy: none}, client: {public: true}`) +
				integrationItem("app-b", `, helmRelease: {name: app, strategy: none}, secret: {name: app-a-oidc-api-key}`),
			objects: []string{"ExternalSecret media/app-a-oidc-api-key", "ConfigMap media/app-a-oidc-<hash>", "Job media/app-a-oidc-<hash>", "CronJob media/app-a-oidc-reconcile",
				"ExternalSecret media/app-b-oidc-api-key", "ConfigMap media/app-b-oidc-<hash>", "Job media/app-b-oidc-<hash>", "CronJob media/app-b-oidc-reconcile"},
			errors: []string{`error: OIDCIntegration media/app-b: metadata.name: Invalid value: "app-b": renders ExternalSecret media/app-a-oidc-api-key, which OIDCIntegration media/app-a renders too`},
		},
		"two integrations rendering one object": {
			items: integrationItem("app-a", `, helmRelease: {name: app, strategy: none}, secret: {generate: true}`) +
				integrationItem("app-b", `, helmRelease: {name: app, strategy: none}, secret: {name: app-a-oidc-seed}`),
			objects: []string{"ExternalSecret media/app-a-oidc", "Password media/app-a-oidc-seed", "ExternalSecret media/app-a-oidc-seed", "PushSecret media/app-a-oidc-seed",
				"ExternalSecret media/app-a-oidc-api-key", "ConfigMap media/app-a-oidc-<hash>", "Job media/app-a-oidc-<hash>", "CronJob media/app-a-oidc-reconcile",
				"ExternalSecret media/app-b-oidc-api-key", "ConfigMap media/app-b-oidc-<hash>", "Job media/app-b-oidc-<hash>", "CronJob media/app-b-oidc-reconcile"},
			errors: []string{`error: OIDCIntegration media/app-b: metadata.name: Invalid value: "app-b": renders ExternalSecret media/app-a-oidc-seed, which OIDCIntegration media/app-a renders too`},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			r := resolved(t, rlHead+"items:\n"+appRelease+tc.items+testProvider)
			r.checkClaims()
			var got []string
			for _, d := range r.render() {
				got = append(got, d.node.GetKind()+" "+d.node.GetNamespace()+"/"+hash.ReplaceAllString(d.node.GetName(), "-<hash>"))
			}
			if diff := cmp.Diff(tc.objects, got); diff != "" {
				t.Errorf("objects (-want +got):\n%s", diff)
			}
			var errs []string
			for _, l := range resultLines(r.results) {
				if strings.HasPrefix(l, "error: ") {
					errs = append(errs, l)
				}
			}
			if diff := cmp.Diff(tc.errors, errs); diff != "" {
				t.Errorf("errors (-want +got):\n%s", diff)
			}
		})
	}
}
