package function

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/kptdev/krm-functions-sdk/go/fn"
)

// TestInputErrors covers the input rules of issue 9 (unknown kinds of our group, every problem
// of a run at once, size limits, hints): for each case exit code 1, every expected line on
// stderr, each error result on stderr exactly once (kustomize shows only stderr), and the items
// written back as they came.
func TestInputErrors(t *testing.T) {
	huge := "https://immich.example.com/" + strings.Repeat("a", 2<<20)
	tests := []struct {
		name   string
		config string
		items  []string
		want   []string // lines (or parts of lines) stderr must hold, in order
		not    []string // text stderr must not hold
	}{
		// An unknown kind or version of our group.
		{
			name:   "misspelled kind leaves nothing unwired silently",
			config: errProvider,
			items:  []string{errRelease, strings.Replace(immichIntegration("immich", ""), "kind: OIDCIntegration", "kind: OIDCIntegraton", 1)},
			want:   []string{`error: OIDCIntegraton media/immich: kind: Invalid value: "OIDCIntegraton": group oidc.endsys.cloud has no such kind (did you mean OIDCIntegration?); its kinds are OIDCClient, OIDCIntegration, PocketIDProvider`},
		},
		{
			name:   "kind of another case",
			config: errProvider,
			items:  []string{errRelease, strings.Replace(immichIntegration("immich", ""), "kind: OIDCIntegration", "kind: OidcIntegration", 1)},
			want:   []string{`kind: Invalid value: "OidcIntegration": group oidc.endsys.cloud has no such kind (did you mean OIDCIntegration?)`},
		},
		{
			name:   "unknown kind without a near one lists the kinds",
			config: errProvider,
			items:  []string{errRelease, immichIntegration("immich", ""), "apiVersion: oidc.endsys.cloud/v1alpha1\nkind: Login\nmetadata: {name: x, namespace: media}\n"},
			want:   []string{`error: Login media/x: kind: Invalid value: "Login": group oidc.endsys.cloud has no such kind; its kinds are OIDCClient, OIDCIntegration, PocketIDProvider`},
		},
		{
			name:   "misspelled functionConfig kind",
			config: strings.Replace(errProvider, "kind: PocketIDProvider", "kind: PocketIdProvider", 1),
			items:  []string{errRelease, immichIntegration("immich", "")},
			want:   []string{`error: PocketIdProvider pocket-id: kind: Invalid value: "PocketIdProvider": group oidc.endsys.cloud has no such kind (did you mean PocketIDProvider?)`},
			// Its settings are unknown: not also reported missing on the integration.
			not: []string{"Required value"},
		},
		{
			name:   "functionConfig of another version",
			config: strings.Replace(errProvider, "oidc.endsys.cloud/v1alpha1", "oidc.endsys.cloud/v1", 1),
			items:  []string{errRelease, immichIntegration("immich", "")},
			want:   []string{`error: PocketIDProvider pocket-id: apiVersion: Unsupported value: "oidc.endsys.cloud/v1": supported values: "oidc.endsys.cloud/v1alpha1"`},
			not:    []string{"Required value"},
		},
		{
			name:   "misspelled group",
			config: errProvider,
			items:  []string{errRelease, strings.Replace(immichIntegration("immich", ""), "oidc.endsys.cloud/v1alpha1", "oidc.endsys.clod/v1alpha1", 1)},
			want:   []string{`error: OIDCIntegration media/immich: apiVersion: Invalid value: "oidc.endsys.clod/v1alpha1": did you mean oidc.endsys.cloud/v1alpha1?`},
		},
		{
			name:   "version without the group",
			config: errProvider,
			items:  []string{errRelease, strings.Replace(immichIntegration("immich", ""), "oidc.endsys.cloud/v1alpha1", "v1alpha1", 1)},
			want:   []string{`error: OIDCIntegration media/immich: apiVersion: Invalid value: "v1alpha1": did you mean oidc.endsys.cloud/v1alpha1?`},
		},
		{
			name:   "another version and a misspelled kind: both",
			config: errProvider,
			items:  []string{errRelease, immichIntegration("immich", ""), "apiVersion: oidc.endsys.cloud/v1beta1\nkind: OIDCIntegratoin\nmetadata: {name: photos, namespace: media}\n"},
			want: []string{
				`error: OIDCIntegratoin media/photos: apiVersion: Unsupported value: "oidc.endsys.cloud/v1beta1"`,
				`error: OIDCIntegratoin media/photos: kind: Invalid value: "OIDCIntegratoin": group oidc.endsys.cloud has no such kind (did you mean OIDCIntegration?)`,
			},
		},

		// Every problem of a run at once.
		{
			name:   "an unknown field hides no other check of the object",
			config: errProvider,
			items: []string{errRelease, strings.Replace(immichIntegration("immich", `  client:
    callbackURL: https://immich.example.com/auth/login
    allowedGroups: [family, ""]
    launchURL: launch.example.com
`), "url: https://immich.example.com", "url: immich.example.com", 1)},
			want: []string{
				"error: OIDCIntegration media/immich: spec.client.callbackURL: Forbidden: unknown field (did you mean callbackURLs?)",
				`error: OIDCIntegration media/immich: spec.url: Invalid value: "immich.example.com": must be an absolute URL`,
				`error: OIDCIntegration media/immich: spec.client.launchURL: Invalid value: "launch.example.com": must be an absolute URL`,
				"error: OIDCIntegration media/immich: spec.client.allowedGroups[1]: Required value: group names must not be empty",
			},
		},
		{
			name:   "a type error hides neither the next field's nor other checks",
			config: errProvider,
			items: []string{errRelease, immichIntegration("immich", `  client: {public: "yes", pkce: 1, id: "a b"}
  secret: {rotationOverlap: 5}
  env: {PORT: 8080, TZ: UTC}
`)},
			want: []string{
				"error: OIDCIntegration media/immich: spec.client.pkce: Invalid value: must be true or false, not a number",
				"error: OIDCIntegration media/immich: spec.client.public: Invalid value: must be true or false, not a string",
				"error: OIDCIntegration media/immich: spec.env[PORT]: Invalid value: must be a string, not a number (quote it)",
				"error: OIDCIntegration media/immich: spec.secret.rotationOverlap: Invalid value: must be a duration like 24h or 90m, not a number",
				`error: OIDCIntegration media/immich: spec.client.id: Invalid value: "a b": must match`,
			},
		},
		{
			name:   "a value of the wrong type is not also reported missing",
			config: errProvider,
			items:  []string{errRelease, strings.Replace(immichIntegration("immich", "  provider: {issuer: [https://auth.example.com]}\n"), "url: https://immich.example.com", "url: {host: immich.example.com}", 1)},
			want: []string{
				"error: OIDCIntegration media/immich: spec.provider.issuer: Invalid value: must be a string, not a list",
				"error: OIDCIntegration media/immich: spec.url: Invalid value: must be a string, not a map",
			},
			not: []string{"Required value"},
		},
		{
			name:   "every object of the run: provider and two integrations",
			config: errProvider + "  issuerURL: https://auth.example.com\n  namespace: Pocket_ID\n  jobTTLSecondsAfterFinished: 1.5\n",
			items: []string{errRelease, immichIntegration("immich", "  client: {allowedGroups: [x]}\n"),
				immichIntegration("photos", "  client: {id: photos, displayName: 5}\n  secret: {name: photos-oidc}\n")},
			want: []string{
				"error: PocketIDProvider pocket-id: spec.issuerURL: Forbidden: unknown field",
				"error: PocketIDProvider pocket-id: spec.jobTTLSecondsAfterFinished: Invalid value: must be a whole number, not a fraction",
				`error: PocketIDProvider pocket-id: spec.namespace: Invalid value: "Pocket_ID"`,
				`error: OIDCIntegration media/immich: spec.client.allowedGroups[0]: Invalid value: "x": a Pocket ID group name has 2 to 255 characters`,
				"error: OIDCIntegration media/photos: spec.client.displayName: Invalid value: must be a string, not a number (quote it)",
			},
		},
		{
			name:   "one integration's validation error hides no other integration's wiring error",
			config: errProvider,
			items: []string{errRelease, immichIntegration("immich", "  client: {allowedGroups: [x]}\n"),
				strings.Replace(immichIntegration("photos", "  client: {id: photos}\n  secret: {name: photos-oidc}\n"), "helmRelease: {name: immich}", "helmRelease: {name: photos}", 1)},
			want: []string{
				`error: OIDCIntegration media/immich: spec.client.allowedGroups[0]: Invalid value: "x"`,
				`error: OIDCIntegration media/photos: spec.helmRelease.name: Not found: "photos": no HelmRelease photos in namespace "media"`,
			},
		},

		// Size limits: every rendered object stays under the API server's limits.
		{
			name:   "a 2 MB url",
			config: errProvider,
			items:  []string{errRelease, strings.Replace(immichIntegration("immich", ""), "url: https://immich.example.com", "url: "+huge, 1)},
			want:   []string{"error: OIDCIntegration media/immich: spec.url: Too long: may not be more than 2048 bytes"},
			not:    []string{"aaaaaaaaaa"},
		},
		{
			name:   "integration name longer than a label value",
			config: errProvider,
			items:  []string{errRelease, strings.Replace(immichIntegration(strings.Repeat("i", 64), ""), "helmRelease: {name: immich}", "helmRelease: {name: immich, strategy: none}", 1)},
			want: []string{"error: OIDCIntegration media/" + strings.Repeat("i", 64) +
				": metadata.name: Too long: may not be more than 63 characters: it is the value of label oidc.endsys.cloud/integration on every rendered object"},
		},
		{
			name:   "too many callback URLs, one too long",
			config: errProvider,
			items: []string{errRelease, immichIntegration("immich", "  client:\n    additionalCallbackURLs:\n"+
				strings.Repeat("      - https://immich.example.com/cb\n", 33)+"    logoutCallbackURLs: [https://immich.example.com/"+strings.Repeat("l", 2048)+"]\n")},
			want: []string{
				"error: OIDCIntegration media/immich: spec.client.additionalCallbackURLs: Too many: 33: must have at most 32 items",
				"error: OIDCIntegration media/immich: spec.client.logoutCallbackURLs[0]: Too long: may not be more than 2048 bytes",
			},
		},
		{
			name:   "env value and env size",
			config: errProvider,
			items: []string{errRelease, immichIntegration("immich", fmt.Sprintf("  env:\n    BIG: %s\n%s", strings.Repeat("b", 33*1024),
				envLines(9, 31*1024)))},
			want: []string{
				"error: OIDCIntegration media/immich: spec.env: Too long: names and values together may not be more than 262144 bytes",
				"error: OIDCIntegration media/immich: spec.env[BIG]: Too long: may not be more than 32768 bytes",
			},
			not: []string{"bbbbbbbbbb"},
		},
		{
			name:   "provider fields",
			config: errProvider + "  apiURL: http://pocket-id.pocket-id.svc:1411/" + strings.Repeat("p", 2048) + "\n  image: ghcr.io/endsys/" + strings.Repeat("x", 512) + "\n",
			items:  []string{errRelease, immichIntegration("immich", "")},
			want: []string{
				"error: PocketIDProvider pocket-id: spec.apiURL: Too long: may not be more than 2048 bytes",
				"error: PocketIDProvider pocket-id: spec.image: Too long: may not be more than 512 bytes",
			},
		},
		{
			name:   "wired HelmRelease over the annotation limit",
			config: errProvider,
			items:  []string{strings.Replace(errRelease, "  namespace: media\n", "  namespace: media\n  annotations: {notes: "+strings.Repeat("n", 256*1024)+"}\n", 1), immichIntegration("immich", "")},
			want:   []string{"error: HelmRelease media/immich: metadata.annotations: Too long: may not be more than 262144 bytes (the HelmRelease with the integration's wiring added)"},
		},

		// Hints.
		{
			name:   "preset under another name the app is known by",
			config: errProvider,
			items:  []string{errRelease, strings.Replace(immichIntegration("immich", ""), "preset: immich", "preset: bitwarden", 1)},
			want:   []string{`error: OIDCIntegration media/immich: spec.preset: Unsupported value: "bitwarden": did you mean vaultwarden? supported values: "actual-budget"`},
		},
		{
			name:   "preset without its suffix",
			config: errProvider,
			items:  []string{errRelease, strings.Replace(immichIntegration("immich", ""), "preset: immich", "preset: paperless", 1)},
			want:   []string{`spec.preset: Unsupported value: "paperless": did you mean paperless-ngx?`},
		},
		{
			name:   "client id made of a placeholder",
			config: errProvider,
			items:  []string{errRelease, immichIntegration("immich", "  client: {id: \"${X}\"}\n")},
			want:   []string{`error: OIDCIntegration media/immich: spec.client.id: Invalid value: "${X}": placeholders are not allowed here alone: Flux replaces ${VAR} only after the function ran`},
			not:    []string{"must match"},
		},
		{
			name:   "placeholders where the function looks things up",
			config: errProvider,
			items: []string{errRelease, strings.Replace(immichIntegration("immich", ""), "helmRelease: {name: immich}",
				"helmRelease: {name: \"${APP}\", container: \"${C}\"}\n  client: {state: \"${STATE}\"}", 1)},
			want: []string{
				`error: OIDCIntegration media/immich: spec.client.state: Invalid value: "${STATE}": placeholders are not allowed here: Flux replaces ${VAR} only after the function ran, and the function renders the app wiring by it`,
				`error: OIDCIntegration media/immich: spec.helmRelease.name: Invalid value: "${APP}": placeholders are not allowed here`,
				`error: OIDCIntegration media/immich: spec.helmRelease.container: Invalid value: "${C}": placeholders are not allowed here`,
			},
			not: []string{"Unsupported value"},
		},
		{
			name:   "placeholder as the name: one error, not one per field defaulted from it",
			config: errProvider,
			items:  []string{errRelease, strings.Replace(immichIntegration("${APP}", ""), "helmRelease: {name: immich}\n", "", 1)},
			want:   []string{`error: OIDCIntegration media/${APP}: metadata.name: Invalid value: "${APP}": placeholders are not allowed here: Flux replaces ${VAR} only after the function ran, and the function names and labels the objects it renders by it`},
			not:    []string{"spec.client.id", "spec.helmRelease.name", "spec.secret.name"},
		},
		{
			name:   "placeholder as the preset",
			config: errProvider,
			items:  []string{errRelease, strings.Replace(immichIntegration("immich", ""), "preset: immich", "preset: \"${PRESET}\"", 1)},
			want:   []string{`error: OIDCIntegration media/immich: spec.preset: Invalid value: "${PRESET}": placeholders are not allowed here: Flux replaces ${VAR} only after the function ran, and the function picks the preset's wiring by this name`},
			not:    []string{"Unsupported value"},
		},
		{
			name:   "single-file integration that kustomize's namespace: does not reach",
			config: strings.Replace(immichIntegration("immich", "  provider: {issuer: https://auth.example.com, secretStoreRef: {name: bitwarden}, apiKey: {remoteKey: k}}\n"), "  namespace: media\n", "", 1),
			items:  []string{errRelease},
			want:   []string{`error: OIDCIntegration immich: spec.helmRelease.name: Not found: "immich": no HelmRelease immich without a namespace among the function's input (found media/immich: give the integration the HelmRelease's metadata.namespace; kustomize's namespace: does not set it on an integration given as a transformer config (the single-file form))`},
		},
		{
			name:   "integration with a namespace, HelmRelease still without one (Component)",
			config: errProvider,
			items:  []string{strings.Replace(errRelease, "  namespace: media\n", "", 1), immichIntegration("immich", "")},
			want:   []string{`error: OIDCIntegration media/immich: spec.helmRelease.name: Not found: "immich": no HelmRelease immich in namespace "media" among the function's input (found immich: the HelmRelease has no namespace yet when the function runs from a Component, since the including kustomization's namespace: is applied after it; remove metadata.namespace from the integration (namespace: then places both), or write it in the HelmRelease too)`},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			input := resourceList(t, tc.config, tc.items...)
			var stdout, stderr bytes.Buffer
			if code := runFunction(bytes.NewReader(input), &stdout, &stderr); code != 1 {
				t.Fatalf("exit code %d, want 1; stderr:\n%s", code, stderr.String())
			}
			errOut := stderr.String()
			rest := errOut
			for _, w := range tc.want {
				i := strings.Index(rest, w)
				if i < 0 {
					t.Errorf("stderr lacks (in this order) %q:\n%s", w, short(errOut))
					continue
				}
				rest = rest[i+len(w):]
			}
			for _, n := range tc.not {
				if strings.Contains(errOut, n) {
					t.Errorf("stderr holds %q:\n%s", n, short(errOut))
				}
			}
			out, err := fn.ParseResourceList(stdout.Bytes())
			if err != nil {
				t.Fatalf("output is not a ResourceList: %v", err)
			}
			assertResultsOnStderr(t, out.Results, errOut)
			in, err := fn.ParseResourceList(input)
			if err != nil {
				t.Fatal(err)
			}
			if got, want := itemsOf(out), itemsOf(in); got != want {
				t.Errorf("items changed on error (no partial output allowed)")
			}
		})
	}
}

// assertResultsOnStderr: every error and warning result is one stderr line, and stderr has no
// other line.
func assertResultsOnStderr(t *testing.T, results fn.Results, stderr string) {
	t.Helper()
	lines := map[string]int{}
	for _, l := range strings.Split(strings.TrimSpace(stderr), "\n") {
		lines[l]++
	}
	n := 0
	for _, r := range results {
		if r.Severity != fn.Error && r.Severity != fn.Warning {
			continue
		}
		n++
		if l := string(r.Severity) + ": " + ResultLine(r); lines[l] == 0 {
			t.Errorf("result not on stderr: %s", short(l))
		}
	}
	if got := len(strings.Split(strings.TrimSpace(stderr), "\n")); got != n {
		t.Errorf("stderr has %d lines for %d error and warning results:\n%s", got, n, short(stderr))
	}
}

// envLines is n spec.env entries (indented for immichIntegration) of size bytes each.
func envLines(n, size int) string {
	var sb strings.Builder
	for i := range n {
		fmt.Fprintf(&sb, "    VAR_%d: %s\n", i, strings.Repeat("v", size))
	}
	return sb.String()
}

// short cuts text for a failure message.
func short(s string) string {
	if len(s) > 4000 {
		return s[:4000] + "..."
	}
	return s
}

// TestGarbageOnStdin: input that is no ResourceList gets a message saying what it is and what
// the function expects; never the SDK's "unhandled node kind 8", never a panic.
func TestGarbageOnStdin(t *testing.T) {
	tests := []struct{ name, stdin, want string }{
		{"broken YAML", "- a: [", "error: the input is not valid YAML (yaml: line 1: did not find expected node content); pocketid-oidc without a command is a KRM function"},
		{"plain scalar", "hello\n", "error: the input is a single YAML value, not a ResourceList; "},
		{"YAML list", "- a\n- b\n", "error: the input is a YAML list, not a ResourceList; "},
		{"binary", "\x00\x01\xff\xfe kind", "error: the input is not text (binary data?); "},
		{"empty", "  \n", "error: the input is empty; "},
		{"two documents", "a: 1\n---\nb: 2\n", "error: the input holds 2 YAML documents, not one ResourceList; "},
		{"another kind", "apiVersion: v1\nkind: ConfigMap\n", `error: the input is not a ResourceList (input was of unexpected kind "ConfigMap"; expected ResourceList); `},
		{"items not objects", "kind: ResourceList\nitems: [{a: 1}, a]\n", "error: items[1] is not an object (a map with apiVersion, kind and metadata); "},
		{"items not a list", "kind: ResourceList\nitems: foo\n", "error: items is not a list of objects; "},
		{"functionConfig not an object", "kind: ResourceList\nfunctionConfig: foo\n", "error: functionConfig is not an object"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			if code := runFunction(strings.NewReader(tc.stdin), &stdout, &stderr); code != 1 {
				t.Fatalf("exit code %d, want 1", code)
			}
			if stdout.Len() != 0 {
				t.Errorf("stdout: %q", stdout.String())
			}
			got := stderr.String()
			if !strings.HasPrefix(got, tc.want) || strings.Count(got, "\n") != 1 {
				t.Errorf("stderr = %q, want one line starting %q", got, tc.want)
			}
			if !strings.Contains(got, "`pocketid-oidc render DIR` renders a directory") {
				t.Errorf("stderr does not say how to run the function: %q", got)
			}
			if strings.Contains(got, "node kind") {
				t.Errorf("stderr names a YAML node kind: %q", got)
			}
		})
	}
}
