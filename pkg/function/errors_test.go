package function

import (
	"bytes"
	"strings"
	"testing"

	"github.com/kptdev/krm-functions-sdk/go/fn"
)

const errProvider = `
apiVersion: oidc.endsys.cloud/v1alpha1
kind: PocketIDProvider
metadata:
  name: pocket-id
spec:
  issuer: https://auth.example.com
  secretStoreRef: {name: bitwarden}
  apiKey: {remoteKey: pocket-id-api-key}
`

const errRelease = `
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: immich
  namespace: media
spec:
  chartRef: {kind: OCIRepository, name: app-template}
  values:
    controllers:
      main:
        containers:
          main:
            image: {repository: ghcr.io/immich-app/immich-server, tag: v2.3.1}
`

// immichIntegration returns an Immich OIDCIntegration in media with extra spec lines (indented by 2).
func immichIntegration(name, extra string) string {
	return `
apiVersion: oidc.endsys.cloud/v1alpha1
kind: OIDCIntegration
metadata:
  name: ` + name + `
  namespace: media
spec:
  preset: immich
  url: https://immich.example.com
  helmRelease: {name: immich}
` + extra
}

// TestFunctionErrors covers every bad-input rule: exit code 1, an error result naming the
// object and the field, the same on stderr, and the items written back exactly as they came.
func TestFunctionErrors(t *testing.T) {
	tests := []struct {
		name   string
		config string
		items  []string
		// want* describe the first error result.
		wantKind, wantName, wantField, wantMsg string
		// wantStderr is a line stderr must contain; notStderr text it must not.
		wantStderr, notStderr string
	}{
		{
			name:   "unknown field in OIDCIntegration",
			config: errProvider,
			items: []string{errRelease, immichIntegration("immich", `  client:
    callbackURL: https://immich.example.com/auth/login
`)},
			wantKind: "OIDCIntegration", wantName: "immich", wantField: "spec.client.callbackURL",
			wantMsg:    "unknown field",
			wantStderr: "error: OIDCIntegration media/immich: spec.client.callbackURL: Forbidden: unknown field",
		},
		{
			name:     "unknown field in PocketIDProvider",
			config:   errProvider + "  issuerURL: https://auth.example.com\n",
			items:    []string{errRelease, immichIntegration("immich", "")},
			wantKind: "PocketIDProvider", wantName: "pocket-id", wantField: "spec.issuerURL",
			wantMsg:    "unknown field",
			wantStderr: "error: PocketIDProvider pocket-id: spec.issuerURL: Forbidden: unknown field",
			// A provider that did not decode is not also reported missing everywhere.
			notStderr: "Required value",
		},
		{
			name:     "integration of another API version",
			config:   errProvider,
			items:    []string{errRelease, strings.Replace(immichIntegration("immich", ""), "oidc.endsys.cloud/v1alpha1", "oidc.endsys.cloud/v1beta1", 1)},
			wantKind: "OIDCIntegration", wantName: "immich", wantField: "apiVersion",
			wantMsg:    `Unsupported value: "oidc.endsys.cloud/v1beta1": supported values: "oidc.endsys.cloud/v1alpha1"`,
			wantStderr: `error: OIDCIntegration media/immich: apiVersion: Unsupported value: "oidc.endsys.cloud/v1beta1"`,
		},
		{
			name:     "wrong type",
			config:   errProvider,
			items:    []string{errRelease, immichIntegration("immich", "  client: {public: \"yes\"}\n")},
			wantKind: "OIDCIntegration", wantName: "immich", wantField: "spec.client.public",
			wantMsg:    "must be true or false, not a string",
			wantStderr: "error: OIDCIntegration media/immich: spec.client.public: Invalid value",
		},
		{
			name: "missing issuer on the provider",
			config: `
apiVersion: oidc.endsys.cloud/v1alpha1
kind: PocketIDProvider
metadata: {name: pocket-id}
spec:
  secretStoreRef: {name: bitwarden}
  apiKey: {remoteKey: pocket-id-api-key}
`,
			items:    []string{errRelease, immichIntegration("immich", "")},
			wantKind: "PocketIDProvider", wantName: "pocket-id", wantField: "spec.issuer",
			wantMsg:    "Required value: required provider setting: every OIDCIntegration without its own spec.provider.issuer needs it",
			wantStderr: "error: PocketIDProvider pocket-id: spec.issuer: Required value",
			// Reported once, on the provider, not again by the preset on the integration.
			notStderr: "OIDCIntegration media/immich: spec.provider.issuer",
		},
		{
			name:   "missing provider settings without any provider",
			config: immichIntegration("immich", "  provider: {issuer: https://auth.example.com}\n"),
			items:  []string{errRelease},
			// issuer is set, so the first missing one is secretStoreRef.
			wantKind: "OIDCIntegration", wantName: "immich", wantField: "spec.provider.secretStoreRef",
			wantMsg:    "Required value: required provider setting: give the function a PocketIDProvider, or set it here",
			wantStderr: "error: OIDCIntegration media/immich: spec.provider.apiKey: Required value",
		},
		{
			name:     "unknown preset lists the valid ones",
			config:   errProvider,
			items:    []string{errRelease, strings.Replace(immichIntegration("immich", ""), "preset: immich", "preset: immitch", 1)},
			wantKind: "OIDCIntegration", wantName: "immich", wantField: "spec.preset",
			wantMsg:    `Unsupported value: "immitch": did you mean immich? supported values: "actual-budget", `,
			wantStderr: `error: OIDCIntegration media/immich: spec.preset: Unsupported value: "immitch": did you mean immich? supported values: `,
		},
		{
			name:     "invalid client id",
			config:   errProvider,
			items:    []string{errRelease, immichIntegration("immich", "  client: {id: \"immich app\"}\n")},
			wantKind: "OIDCIntegration", wantName: "immich", wantField: "spec.client.id",
			wantMsg:    `Invalid value: "immich app": must match ^[a-zA-Z0-9._-]{2,128}$`,
			wantStderr: `error: OIDCIntegration media/immich: spec.client.id: Invalid value: "immich app"`,
		},
		{
			name:   "callback URL without a scheme",
			config: errProvider,
			items: []string{errRelease, immichIntegration("immich", `  client:
    callbackURLs:
      - https://immich.example.com/auth/login
      - immich.example.com/auth/login
`)},
			wantKind: "OIDCIntegration", wantName: "immich", wantField: "spec.client.callbackURLs[1]",
			wantMsg:    "must start with a scheme",
			wantStderr: `error: OIDCIntegration media/immich: spec.client.callbackURLs[1]: Invalid value: "immich.example.com/auth/login": must start with a scheme`,
		},
		{
			name:     "javascript: callback URL",
			config:   errProvider,
			items:    []string{errRelease, immichIntegration("immich", "  client: {additionalCallbackURLs: [\"javascript:alert(1)\"]}\n")},
			wantKind: "OIDCIntegration", wantName: "immich", wantField: "spec.client.additionalCallbackURLs[0]",
			wantMsg:    `scheme "javascript" is refused by Pocket ID`,
			wantStderr: "error: OIDCIntegration media/immich: spec.client.additionalCallbackURLs[0]:",
		},
		{
			name:     "data: logout callback URL",
			config:   errProvider,
			items:    []string{errRelease, immichIntegration("immich", "  client: {logoutCallbackURLs: [\"data:text/html,hi\"]}\n")},
			wantKind: "OIDCIntegration", wantName: "immich", wantField: "spec.client.logoutCallbackURLs[0]",
			wantMsg:    `scheme "data" is refused by Pocket ID`,
			wantStderr: "error: OIDCIntegration media/immich: spec.client.logoutCallbackURLs[0]:",
		},
		{
			name:     "url not absolute",
			config:   errProvider,
			items:    []string{errRelease, strings.Replace(immichIntegration("immich", ""), "url: https://immich.example.com", "url: immich.${SECRET_DOMAIN}", 1)},
			wantKind: "OIDCIntegration", wantName: "immich", wantField: "spec.url",
			wantMsg:    "must be an absolute URL with a scheme and host",
			wantStderr: `error: OIDCIntegration media/immich: spec.url: Invalid value: "immich.${SECRET_DOMAIN}"`,
		},
		{
			name:     "display name too long",
			config:   errProvider,
			items:    []string{errRelease, immichIntegration("immich", "  client: {displayName: "+strings.Repeat("x", 51)+"}\n")},
			wantKind: "OIDCIntegration", wantName: "immich", wantField: "spec.client.displayName",
			wantMsg:    "may not be more than 50 bytes",
			wantStderr: "error: OIDCIntegration media/immich: spec.client.displayName: Too long",
		},
		{
			name:     "public client that generates a secret",
			config:   errProvider,
			items:    []string{errRelease, immichIntegration("immich", "  client: {public: true}\n  secret: {generate: true}\n")},
			wantKind: "OIDCIntegration", wantName: "immich", wantField: "spec.secret.generate",
			wantMsg:    "a public client has no client secret to generate",
			wantStderr: "error: OIDCIntegration media/immich: spec.secret.generate: Invalid value: true",
		},
		{
			name:   "public client naming a client secret in the store",
			config: errProvider,
			items: []string{errRelease, strings.Replace(immichIntegration("immich", "  client: {public: true, callbackURLs: [https://immich.example.com/cb]}\n  secret: {remoteKey: immich-oauth-client-secret}\n"),
				"preset: immich", "env: {OIDC_CLIENT_ID: \"{{ .ClientID }}\"}", 1)},
			wantKind: "OIDCIntegration", wantName: "immich", wantField: "spec.secret.remoteKey",
			wantMsg:    "a public client has no client secret",
			wantStderr: `error: OIDCIntegration media/immich: spec.secret.remoteKey: Invalid value: "immich-oauth-client-secret": a public client has no client secret`,
		},
		{
			name:     "public client whose preset needs the secret",
			config:   errProvider,
			items:    []string{errRelease, immichIntegration("immich", "  client: {public: true}\n")},
			wantKind: "OIDCIntegration", wantName: "immich", wantField: "spec.client.public",
			wantMsg:    "a public client has no client secret, but preset immich (or spec.env) needs one",
			wantStderr: "error: OIDCIntegration media/immich: spec.client.public: Invalid value: true",
		},
		{
			name:     "empty group name",
			config:   errProvider,
			items:    []string{errRelease, immichIntegration("immich", "  client: {allowedGroups: [family, \"\"]}\n")},
			wantKind: "OIDCIntegration", wantName: "immich", wantField: "spec.client.allowedGroups[1]",
			wantMsg:    "Required value: group names must not be empty",
			wantStderr: "error: OIDCIntegration media/immich: spec.client.allowedGroups[1]: Required value",
		},
		{
			name:     "group name Pocket ID cannot hold",
			config:   errProvider,
			items:    []string{errRelease, immichIntegration("immich", "  client: {allowedGroups: [family, x]}\n")},
			wantKind: "OIDCIntegration", wantName: "immich", wantField: "spec.client.allowedGroups[1]",
			wantMsg:    "a Pocket ID group name has 2 to 255 characters",
			wantStderr: `error: OIDCIntegration media/immich: spec.client.allowedGroups[1]: Invalid value: "x": a Pocket ID group name has 2 to 255 characters`,
		},
		{
			name:     "duplicate group name",
			config:   errProvider,
			items:    []string{errRelease, immichIntegration("immich", "  client: {allowedGroups: [family, admins, family]}\n")},
			wantKind: "OIDCIntegration", wantName: "immich", wantField: "spec.client.allowedGroups[2]",
			wantMsg:    `Duplicate value: "family"`,
			wantStderr: `error: OIDCIntegration media/immich: spec.client.allowedGroups[2]: Duplicate value: "family"`,
		},
		{
			name:   "two integrations claim one client id",
			config: errProvider,
			items: []string{errRelease, immichIntegration("immich", ""),
				immichIntegration("photos", "  client: {id: immich}\n  secret: {name: photos-oidc}\n")},
			wantKind: "OIDCIntegration", wantName: "photos", wantField: "spec.client.id",
			wantMsg:    "client id already claimed by OIDCIntegration media/immich",
			wantStderr: `error: OIDCIntegration media/photos: spec.client.id: Invalid value: "immich": client id already claimed by OIDCIntegration media/immich`,
		},
		{
			name:   "two integrations claim one Secret",
			config: errProvider,
			items: []string{errRelease, immichIntegration("immich", ""),
				immichIntegration("photos", "  secret: {name: immich-oidc}\n")},
			wantKind: "OIDCIntegration", wantName: "photos", wantField: "spec.secret.name",
			wantMsg:    "Secret media/immich-oidc already claimed by OIDCIntegration media/immich",
			wantStderr: `error: OIDCIntegration media/photos: spec.secret.name: Invalid value: "immich-oidc"`,
		},
		{
			name:   "two integrations wire one container with conflicting files",
			config: errProvider,
			items: []string{errRelease, immichIntegration("immich", ""),
				immichIntegration("photos", "")},
			wantKind: "OIDCIntegration", wantName: "photos", wantField: "spec.helmRelease",
			wantMsg:    "file /config/immich-config.yaml of the same container is mounted by OIDCIntegration media/immich too",
			wantStderr: `error: OIDCIntegration media/photos: spec.helmRelease: Invalid value: "immich": file /config/immich-config.yaml`,
		},
		{
			name:   "two integrations set one env var to different values",
			config: errProvider,
			items: []string{errRelease, immichIntegration("immich", "  env: {TZ: Europe/Berlin}\n"),
				strings.Replace(immichIntegration("photos", "  env: {TZ: UTC}\n"), "preset: immich", "client: {callbackURLs: [https://photos.example.com/cb]}", 1)},
			wantKind: "OIDCIntegration", wantName: "photos", wantField: "spec.helmRelease",
			wantMsg:    "env var TZ of the same container is set to another value by OIDCIntegration media/immich",
			wantStderr: `error: OIDCIntegration media/photos: spec.helmRelease: Invalid value: "immich": env var TZ`,
			notStderr:  "UTC",
		},
		{
			// kustomize marks its items with an id and refuses outputs whose fields changed
			// between a single value and a map.
			name:   "entry the HelmRelease has as a literal becomes a secretKeyRef under kustomize",
			config: errProvider,
			items: []string{
				strings.Replace(strings.Replace(errRelease, "  namespace: media\n", "  namespace: media\n  annotations: {config.k8s.io/id: '1'}\n", 1),
					"            image:", "            env: {OIDC_SECRET: old-literal}\n            image:", 1),
				immichIntegration("immich", "  env: {OIDC_SECRET: \"{{ .ClientSecret }}\"}\n")},
			wantKind: "HelmRelease", wantName: "immich", wantField: "spec.values.controllers.main.containers.main.env.OIDC_SECRET",
			wantMsg:    "which kustomize cannot take from a function",
			wantStderr: "error: HelmRelease media/immich: spec.values.controllers.main.containers.main.env.OIDC_SECRET: the integration writes this entry in another form",
			notStderr:  "old-literal",
		},
		{
			name:     "HelmRelease not found",
			config:   errProvider,
			items:    []string{errRelease, strings.Replace(immichIntegration("immich", ""), "helmRelease: {name: immich}", "helmRelease: {name: immich-server}", 1)},
			wantKind: "OIDCIntegration", wantName: "immich", wantField: "spec.helmRelease.name",
			wantMsg:    `Not found: "immich-server": no HelmRelease immich-server in namespace "media" among the function's input`,
			wantStderr: `error: OIDCIntegration media/immich: spec.helmRelease.name: Not found: "immich-server": no HelmRelease immich-server in namespace "media"`,
		},
		{
			name:     "HelmRelease in another namespace is not matched",
			config:   errProvider,
			items:    []string{strings.Replace(errRelease, "namespace: media", "namespace: photos", 1), immichIntegration("immich", "")},
			wantKind: "OIDCIntegration", wantName: "immich", wantField: "spec.helmRelease.name",
			wantMsg:    `no HelmRelease immich in namespace "media"`,
			wantStderr: `error: OIDCIntegration media/immich: spec.helmRelease.name: Not found: "immich": no HelmRelease immich in namespace "media" among the function's input (found photos/immich: set the integration's metadata.namespace to the HelmRelease's)`,
		},
		{
			name:     "container not found in app-template values",
			config:   errProvider,
			items:    []string{errRelease, strings.Replace(immichIntegration("immich", ""), "helmRelease: {name: immich}", "helmRelease: {name: immich, container: server}", 1)},
			wantKind: "HelmRelease", wantName: "immich", wantField: "spec.values.controllers.main.containers.server",
			wantMsg:    "(wiring OIDCIntegration media/immich)",
			wantStderr: "error: HelmRelease media/immich: spec.values.controllers.main.containers",
		},
		{
			name:     "functionConfig of another kind",
			config:   "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg}\ndata: {issuer: x}\n",
			items:    []string{errRelease, immichIntegration("immich", "")},
			wantKind: "ConfigMap", wantName: "cfg", wantField: "kind",
			wantMsg:    "the functionConfig must be a oidc.endsys.cloud/v1alpha1 PocketIDProvider or OIDCIntegration",
			wantStderr: "error: ConfigMap cfg: kind: Invalid value",
		},
		{
			name:   "rendered object would replace one the user wrote",
			config: errProvider,
			items: []string{errRelease, immichIntegration("immich", ""), `
apiVersion: external-secrets.io/v1
kind: ExternalSecret
metadata: {name: immich-oidc, namespace: media}
spec:
  secretStoreRef: {kind: ClusterSecretStore, name: vault}
  target: {name: immich-oidc}
  dataFrom: [{extract: {key: immich}}]
`},
			wantKind: "OIDCIntegration", wantName: "immich", wantField: "metadata.name",
			wantMsg:    "would replace ExternalSecret media/immich-oidc, which is in the input and not managed by pocketid-oidc",
			wantStderr: "error: OIDCIntegration media/immich: metadata.name: Invalid value",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			input := resourceList(t, tc.config, tc.items...)
			var stdout, stderr bytes.Buffer
			code := runFunction(bytes.NewReader(input), &stdout, &stderr)
			if code != 1 {
				t.Fatalf("exit code %d, want 1; stderr:\n%s", code, stderr.String())
			}
			out, err := fn.ParseResourceList(stdout.Bytes())
			if err != nil {
				t.Fatalf("output is not a ResourceList: %v\n%s", err, stdout.String())
			}
			var first *fn.Result
			for _, r := range out.Results {
				if r.Severity == fn.Error {
					first = r
					break
				}
			}
			if first == nil {
				t.Fatalf("no error result; results: %v", out.Results)
			}
			if first.ResourceRef == nil || first.ResourceRef.Kind != tc.wantKind || first.ResourceRef.Name != tc.wantName {
				t.Errorf("resourceRef = %+v, want %s %s", first.ResourceRef, tc.wantKind, tc.wantName)
			}
			if first.Field == nil || first.Field.Path != tc.wantField {
				t.Errorf("field = %+v, want %s", first.Field, tc.wantField)
			}
			if !strings.Contains(first.Message, tc.wantMsg) {
				t.Errorf("message = %q, want it to contain %q", first.Message, tc.wantMsg)
			}
			if !strings.Contains(stderr.String(), tc.wantStderr) {
				t.Errorf("stderr = %q, want it to contain %q", stderr.String(), tc.wantStderr)
			}
			if tc.notStderr != "" && strings.Contains(stderr.String(), tc.notStderr) {
				t.Errorf("stderr = %q, must not contain %q", stderr.String(), tc.notStderr)
			}
			for _, line := range strings.Split(strings.TrimSpace(stderr.String()), "\n") {
				if !strings.HasPrefix(line, "error: ") && !strings.HasPrefix(line, "warning: ") {
					t.Errorf("stderr line %q is not one result per line", line)
				}
			}
			in, err := fn.ParseResourceList(input)
			if err != nil {
				t.Fatal(err)
			}
			if got, want := itemsOf(out), itemsOf(in); got != want {
				t.Errorf("items changed on error (no partial output allowed):\n--- got\n%s\n--- want\n%s", got, want)
			}
		})
	}
}

// TestFunctionWarnings: valid but probably wrong input renders, with a warning result and a
// warning line on stderr.
func TestFunctionWarnings(t *testing.T) {
	input := resourceList(t, errProvider, errRelease, immichIntegration("immich", "  client: {allowedGroups: []}\n"))
	var stdout, stderr bytes.Buffer
	if code := runFunction(bytes.NewReader(input), &stdout, &stderr); code != 0 {
		t.Fatalf("exit code %d; stderr:\n%s", code, stderr.String())
	}
	want := "warning: OIDCIntegration media/immich: spec.client.allowedGroups: Invalid value: \"[]\": the list is empty, so every Pocket ID user may log in"
	if !strings.Contains(stderr.String(), want) {
		t.Errorf("stderr = %q, want it to contain %q", stderr.String(), want)
	}
	out, err := fn.ParseResourceList(stdout.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	var warnings int
	for _, r := range out.Results {
		// Immich's own warning (spec.preset) is requirements_test.go's.
		if r.Severity == fn.Warning && (r.Field == nil || r.Field.Path != "spec.preset") {
			warnings++
		}
	}
	if warnings != 1 {
		t.Errorf("got %d warning results, want 1: %v", warnings, out.Results)
	}
}

// resourceList builds a ResourceList from a functionConfig and items given as YAML text.
func resourceList(t *testing.T, config string, items ...string) []byte {
	t.Helper()
	rl := &fn.ResourceList{FunctionConfig: fn.NewEmptyKubeObject()}
	if config != "" {
		cfg, err := fn.ParseKubeObject([]byte(config))
		if err != nil {
			t.Fatalf("config: %v", err)
		}
		rl.FunctionConfig = cfg
	}
	for _, it := range items {
		o, err := fn.ParseKubeObject([]byte(it))
		if err != nil {
			t.Fatalf("item: %v\n%s", err, it)
		}
		rl.Items = append(rl.Items, o)
	}
	b, err := rl.ToYAML()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func itemsOf(rl *fn.ResourceList) string {
	rl.Sort()
	var sb strings.Builder
	for _, o := range rl.Items {
		sb.WriteString(o.String())
		sb.WriteString("---\n")
	}
	return sb.String()
}

// TestFunctionWarnsAboutLiteralSecrets: a literal in spec.env under a secret-like name renders
// (the function cannot know it is one) with a warning that never quotes the value.
func TestFunctionWarnsAboutLiteralSecrets(t *testing.T) {
	input := resourceList(t, errProvider, errRelease, immichIntegration("immich",
		"  env: {DB_PASSWORD: hunter2, SMTP_TOKEN: \"${SMTP_TOKEN}\", OIDC_SECRET: \"{{ .ClientSecret }}\", OAUTH_TOKEN_URL: https://a.example.com/token, TZ: UTC}\n"))
	var stdout, stderr bytes.Buffer
	if code := runFunction(bytes.NewReader(input), &stdout, &stderr); code != 0 {
		t.Fatalf("exit code %d; stderr:\n%s", code, stderr.String())
	}
	want := "warning: OIDCIntegration media/immich: spec.env[DB_PASSWORD]: Invalid value: looks like a secret but is a literal"
	if !strings.Contains(stderr.String(), want) {
		t.Errorf("stderr = %q, want it to contain %q", stderr.String(), want)
	}
	if n := strings.Count(stderr.String(), "looks like a secret"); n != 1 {
		t.Errorf("got %d literal-secret warnings, want 1 (placeholders and {{ .ClientSecret }} are fine):\n%s", n, stderr.String())
	}
	out, err := fn.ParseResourceList(stdout.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range out.Results {
		if strings.Contains(r.Message, "hunter2") {
			t.Errorf("a result quotes the value: %s", r.Message)
		}
	}
	if strings.Contains(stderr.String(), "hunter2") {
		t.Errorf("stderr quotes the value: %s", stderr.String())
	}
}
