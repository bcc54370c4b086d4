package function

import (
	"bytes"
	"strings"
	"testing"

	"github.com/kptdev/krm-functions-sdk/go/fn"
)

// wiringRelease is an app-template HelmRelease named name in flux-system; extra lines are
// added under spec (indented by 2).
func wiringRelease(name, extra string) string {
	return `
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: ` + name + `
  namespace: flux-system
spec:
` + extra + `  chartRef: {kind: OCIRepository, name: app-template}
  values:
    controllers:
      main:
        containers:
          main:
            image: {repository: ghcr.io/example/` + name + `, tag: v1}
`
}

// wiringIntegration is an OIDCIntegration named name in flux-system with the given preset
// and extra spec lines (indented by 2).
func wiringIntegration(name, presetName, extra string) string {
	return `
apiVersion: oidc.endsys.cloud/v1alpha1
kind: OIDCIntegration
metadata:
  name: ` + name + `
  namespace: flux-system
spec:
  preset: ` + presetName + `
  url: https://` + name + `.example.com
` + extra
}

const namespacedStoreProvider = `
apiVersion: oidc.endsys.cloud/v1alpha1
kind: PocketIDProvider
metadata:
  name: pocket-id
spec:
  issuer: https://auth.example.com
  secretStoreRef: {kind: SecretStore, name: bitwarden}
  apiKey: {remoteKey: pocket-id-api-key}
`

func secretStore(namespace string) string {
	return `
apiVersion: external-secrets.io/v1
kind: SecretStore
metadata: {name: bitwarden, namespace: ` + namespace + `}
spec:
  provider: {fake: {data: []}}
`
}

// wiringResult is one result a case must produce (or, with absent, must not).
type wiringResult struct {
	severity                fn.Severity
	kind, name, field, text string
}

// TestWiringChecks covers the errors and warnings about where the rendered objects go, who
// writes a Secret, and what Flux's postBuild substitution would do: the exit code, a result
// naming object and field, the same line on stderr, no partial output on error, and never a
// spec.env value in the text.
func TestWiringChecks(t *testing.T) {
	tests := []struct {
		name   string
		config string
		items  []string
		fail   bool
		want   []wiringResult
		absent []string // texts no result may contain
	}{
		{
			name:   "targetNamespace with a SecretStore the input has only next to the HelmRelease",
			config: namespacedStoreProvider,
			items:  []string{wiringRelease("freshrss", "  targetNamespace: news\n"), wiringIntegration("freshrss", "freshrss", ""), secretStore("flux-system")},
			fail:   true,
			want: []wiringResult{{fn.Error, "OIDCIntegration", "freshrss", "spec.provider.secretStoreRef.kind",
				`HelmRelease flux-system/freshrss installs the app into namespace "news" (spec.targetNamespace), where the app Secret's ExternalSecret must be; ESO reads a SecretStore from the ExternalSecret's own namespace, so SecretStore bitwarden must exist in "news", and the input has it only in "flux-system": use a ClusterSecretStore`}},
		},
		{
			name:   "targetNamespace with a SecretStore the input has in the target namespace",
			config: namespacedStoreProvider,
			items:  []string{wiringRelease("freshrss", "  targetNamespace: news\n"), wiringIntegration("freshrss", "freshrss", ""), secretStore("flux-system"), secretStore("news")},
			absent: []string{"SecretStore bitwarden must exist"},
		},
		{
			name:   "targetNamespace with a SecretStore not in the input",
			config: namespacedStoreProvider,
			items:  []string{wiringRelease("freshrss", "  targetNamespace: news\n"), wiringIntegration("freshrss", "freshrss", "")},
			want: []wiringResult{{fn.Warning, "OIDCIntegration", "freshrss", "spec.provider.secretStoreRef.kind",
				`so SecretStore bitwarden must exist in "news" (it is not among the function's input): use a ClusterSecretStore, or make sure the SecretStore is there`}},
		},
		{
			name:   "targetNamespace of a namespace-less integration and HelmRelease",
			config: errProvider,
			items: []string{strings.Replace(wiringRelease("freshrss", "  targetNamespace: news\n"), "  namespace: flux-system\n", "", 1),
				strings.Replace(wiringIntegration("freshrss", "freshrss", ""), "  namespace: flux-system\n", "", 1)},
			want: []wiringResult{{fn.Warning, "OIDCIntegration", "freshrss", "metadata.namespace",
				`HelmRelease freshrss installs the app into namespace "news" (spec.targetNamespace), so the app Secret's ExternalSecret is rendered there; a namespace transformer running after the function (kustomize namespace:) would move it away from the pods`}},
		},
		{
			name:   "input Secret named like the app Secret",
			config: errProvider,
			items: []string{errRelease, immichIntegration("immich", ""),
				"apiVersion: v1\nkind: Secret\nmetadata: {name: immich-oidc, namespace: media}\nstringData: {client-secret: x}\n"},
			fail: true,
			want: []wiringResult{{fn.Error, "OIDCIntegration", "immich", "spec.secret.name",
				`Invalid value: "immich-oidc": ExternalSecret media/immich-oidc renders Secret media/immich-oidc, and the input has Secret media/immich-oidc too: one Secret, two writers`}},
		},
		{
			name:   "input Secret named like the app Secret in the HelmRelease's targetNamespace",
			config: errProvider,
			items: []string{wiringRelease("freshrss", "  targetNamespace: news\n"), wiringIntegration("freshrss", "freshrss", "  secret: {name: rss}\n"),
				"apiVersion: v1\nkind: Secret\nmetadata: {name: rss, namespace: news}\n"},
			fail: true,
			want: []wiringResult{{fn.Error, "OIDCIntegration", "freshrss", "spec.secret.name",
				`ExternalSecret news/rss renders Secret news/rss, and the input has Secret news/rss too`}},
		},
		{
			name:   "input Secret of the same name in another namespace",
			config: errProvider,
			items: []string{errRelease, immichIntegration("immich", ""),
				"apiVersion: v1\nkind: Secret\nmetadata: {name: immich-oidc, namespace: photos}\n"},
			absent: []string{"two writers"},
		},
		{
			name:   "input Secret named like the generated values' Secret",
			config: errProvider,
			items: []string{wiringRelease("freshrss", ""), wiringIntegration("freshrss", "freshrss", ""),
				"apiVersion: v1\nkind: Secret\nmetadata: {name: freshrss-oidc-generated, namespace: flux-system}\n"},
			fail: true,
			want: []wiringResult{{fn.Error, "OIDCIntegration", "freshrss", "metadata.name",
				`ExternalSecret flux-system/freshrss-oidc-generated renders Secret flux-system/freshrss-oidc-generated, and the input has Secret`}},
		},
		{
			name:   "spec.secret.name is the target of another input ExternalSecret",
			config: errProvider,
			items: []string{errRelease, immichIntegration("immich", "  secret: {name: immich-creds}\n"), `
apiVersion: external-secrets.io/v1
kind: ExternalSecret
metadata: {name: immich-db, namespace: media}
spec:
  secretStoreRef: {kind: ClusterSecretStore, name: vault}
  target: {name: immich-creds}
  dataFrom: [{extract: {key: immich}}]
`},
			fail: true,
			want: []wiringResult{{fn.Error, "OIDCIntegration", "immich", "spec.secret.name",
				`ExternalSecret media/immich-creds renders Secret media/immich-creds, and ExternalSecret media/immich-db of the input fills it too (spec.target.name)`}},
		},
		{
			name:   "spec.secret.name is the Secret of an input ExternalSecret without target.name",
			config: errProvider,
			items: []string{errRelease, immichIntegration("immich", "  secret: {name: immich-db, generate: true}\n"), `
apiVersion: external-secrets.io/v1
kind: ExternalSecret
metadata: {name: immich-db-seed, namespace: media}
spec:
  secretStoreRef: {kind: ClusterSecretStore, name: vault}
  dataFrom: [{extract: {key: immich}}]
`},
			fail: true,
			want: []wiringResult{{fn.Error, "OIDCIntegration", "immich", "metadata.name",
				`would replace ExternalSecret media/immich-db-seed, which is in the input and not managed by pocketid-oidc`}},
		},
		{
			name:   "our own ExternalSecret of an earlier render is replaced, not a rival",
			config: errProvider,
			items: []string{errRelease, immichIntegration("immich", ""), `
apiVersion: external-secrets.io/v1
kind: ExternalSecret
metadata:
  name: immich-oidc
  namespace: media
  labels: {app.kubernetes.io/managed-by: pocketid-oidc, oidc.endsys.cloud/integration: immich}
spec:
  secretStoreRef: {kind: ClusterSecretStore, name: vault}
  target: {name: immich-oidc}
`},
			absent: []string{"two writers", "would replace"},
		},
		{
			name:   "spec.env values Flux's envsubst would change or reject",
			config: errProvider,
			items: []string{errRelease, immichIntegration("immich",
				"  env: {DB_PASSWORD: \"pa$$word\", LIST: \"${arr[@]}\", ESCAPED: \"$${NOT_A_VAR}\", PLAIN: \"${TZ}\", DEFAULTED: \"${TZ:-UTC}\", PRICE: \"5$\"}\n")},
			want: []wiringResult{
				{fn.Warning, "OIDCIntegration", "immich", "spec.env[DB_PASSWORD]",
					"holds $$, which Flux's postBuild substitution turns into $: the app would get one $ less; write $$$$ for a literal $$"},
				{fn.Warning, "OIDCIntegration", "immich", "spec.env[LIST]",
					"Flux's postBuild substitution cannot parse this value (missing closing brace), which fails the whole Kustomization"},
			},
			absent: []string{"spec.env[ESCAPED]", "spec.env[PLAIN]", "spec.env[DEFAULTED]", "spec.env[PRICE]", "pa$$word", "arr[@]"},
		},
		{
			name:   "provider value Flux's envsubst would reject",
			config: strings.Replace(errProvider, "issuer: https://auth.example.com", "issuer: https://auth.${DOMAIN", 1),
			items:  []string{errRelease, immichIntegration("immich", "  helmRelease: {name: immich, strategy: none}\n")},
			fail:   true, // the issuer is no URL either
			want: []wiringResult{{fn.Warning, "PocketIDProvider", "pocket-id", "spec.issuer",
				"Flux's postBuild substitution cannot parse this value (missing closing brace)"}},
		},
		{
			name:   "placeholder in a value the preset writes into a JSON template",
			config: errProvider,
			items: []string{wiringRelease("paperless", ""),
				wiringIntegration("paperless", "paperless-ngx", "  login: {buttonText: \"Log in with ${ORG}\"}\n")},
			fail: true,
			want: []wiringResult{{fn.Error, "OIDCIntegration", "paperless", "spec.login.buttonText",
				"holds a Flux placeholder that the preset writes into key PAPERLESS_SOCIALACCOUNT_PROVIDERS of the app Secret, an ExternalSecret template escaped for its syntax (JSON, YAML or Python) at render time: Flux substitutes the raw variable after that, so a quote or a backslash in it breaks the file; write the value itself here"}},
		},
		{
			name:   "placeholder in a URL the preset writes into a JSON template",
			config: strings.Replace(errProvider, "issuer: https://auth.example.com", "issuer: https://auth.${SECRET_DOMAIN}", 1),
			items: []string{wiringRelease("paperless", ""),
				wiringIntegration("paperless", "paperless-ngx", "  env: {PAPERLESS_URL: \"https://paperless.${SECRET_DOMAIN}\"}\n")},
			absent: []string{"Flux placeholder"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			input := resourceList(t, tc.config, tc.items...)
			var stdout, stderr bytes.Buffer
			code := runFunction(bytes.NewReader(input), &stdout, &stderr)
			if want := map[bool]int{true: 1, false: 0}[tc.fail]; code != want {
				t.Fatalf("exit code %d, want %d; stderr:\n%s", code, want, stderr.String())
			}
			out, err := fn.ParseResourceList(stdout.Bytes())
			if err != nil {
				t.Fatalf("output is not a ResourceList: %v\n%s", err, stdout.String())
			}
			for _, w := range tc.want {
				if !hasResult(out.Results, w) {
					t.Errorf("no %s result on %s %s at %s containing %q; results:\n%s", w.severity, w.kind, w.name, w.field, w.text, strings.Join(resultLines(out.Results), "\n"))
				}
				line := string(w.severity) + ": " + w.kind + " "
				if !strings.Contains(stderr.String(), line) || !strings.Contains(stderr.String(), w.field+": ") {
					t.Errorf("stderr has no %q line at %s:\n%s", line, w.field, stderr.String())
				}
			}
			for _, a := range tc.absent {
				for _, l := range resultLines(out.Results) {
					if strings.Contains(l, a) {
						t.Errorf("a result contains %q: %s", a, l)
					}
				}
			}
			if tc.fail {
				in, err := fn.ParseResourceList(input)
				if err != nil {
					t.Fatal(err)
				}
				if got, want := itemsOf(out), itemsOf(in); got != want {
					t.Errorf("items changed on error (no partial output allowed):\n--- got\n%s\n--- want\n%s", got, want)
				}
			}
		})
	}
}

func hasResult(results fn.Results, w wiringResult) bool {
	for _, r := range results {
		if r.Severity == w.severity && r.ResourceRef != nil && r.ResourceRef.Kind == w.kind && r.ResourceRef.Name == w.name &&
			r.Field != nil && r.Field.Path == w.field && strings.Contains(r.Message, w.text) {
			return true
		}
	}
	return false
}
