package helmrelease

import (
	"errors"
	"strings"
	"testing"

	utilerrors "k8s.io/apimachinery/pkg/util/errors"
	"k8s.io/apimachinery/pkg/util/validation/field"
	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/endsys/pocketid-oidc/pkg/preset"
)

// Wiring shared by the cases: what an Immich-like preset resolves to.
var (
	clientSecretRef = &preset.SecretKeyRef{Name: "immich-oidc", Key: preset.SecretKeyClientSecret}
	oidcEnv         = []preset.EnvVar{
		{Name: "OAUTH_CLIENT_ID", Value: "immich"},
		{Name: "OAUTH_CLIENT_SECRET", SecretKeyRef: clientSecretRef},
		{Name: "OAUTH_ISSUER_URL", Value: "https://auth.${SECRET_DOMAIN}"},
	}
	oidcWiring = preset.Wiring{Env: oidcEnv}
)

// testCase is one HelmRelease in, one out (or an error).
type testCase struct {
	name   string
	filter Filter
	in     string
	want   string
	// wantPatch, instead of want: the output is in with this post-renderer item (see
	// patchItem) appended to spec.postRenderers.
	wantPatch string
	// wantErr: the error's field path, and substrings its text must contain.
	wantField string
	wantErr   []string
}

// apply runs f on the YAML text and returns the resulting YAML text.
func apply(t *testing.T, f Filter, in string) (string, error) {
	t.Helper()
	hr, err := yaml.Parse(in)
	if err != nil {
		t.Fatalf("input: %v", err)
	}
	if _, err := f.Filter(hr); err != nil {
		return "", err
	}
	return hr.MustString(), nil
}

// normalize re-encodes YAML so expectations may be indented either way; styles the test
// wrote (flow maps, quotes) are kept, so the comparison still sees them.
func normalize(t *testing.T, s string) string {
	t.Helper()
	n, err := yaml.Parse(s)
	if err != nil {
		t.Fatalf("expected YAML: %v", err)
	}
	return n.MustString()
}

// runCases applies every case twice: the second run must change nothing.
func runCases(t *testing.T, cases []testCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := apply(t, tc.filter, tc.in)
			if tc.wantErr != nil || tc.wantField != "" {
				checkErr(t, err, tc.wantField, tc.wantErr)
				return
			}
			if err != nil {
				t.Fatalf("unexpected error: %v", err)
			}
			want := tc.want
			if tc.wantPatch != "" {
				want = withPostRenderer(t, tc.in, tc.wantPatch)
			}
			if want := normalize(t, want); got != want {
				t.Fatalf("output differs\n--- got\n%s\n--- want\n%s", got, want)
			}
			again, err := apply(t, tc.filter, got)
			if err != nil {
				t.Fatalf("second run: %v", err)
			}
			if again != got {
				t.Fatalf("second run changed the output\n--- first\n%s\n--- second\n%s", got, again)
			}
		})
	}
}

// checkErr insists on a field.Error aggregate with the given path and text.
func checkErr(t *testing.T, err error, wantField string, wantText []string) {
	t.Helper()
	if err == nil {
		t.Fatal("expected an error, got none")
	}
	var agg utilerrors.Aggregate
	if !errors.As(err, &agg) {
		t.Fatalf("error is %T, want a field.ErrorList aggregate: %v", err, err)
	}
	var fields []string
	for _, e := range agg.Errors() {
		var fe *field.Error
		if !errors.As(e, &fe) {
			t.Fatalf("aggregate holds %T, want *field.Error: %v", e, e)
		}
		fields = append(fields, fe.Field)
	}
	if wantField != "" && (len(fields) != 1 || fields[0] != wantField) {
		t.Errorf("error fields %q, want [%q]; error: %v", fields, wantField, err)
	}
	for _, s := range wantText {
		if !strings.Contains(err.Error(), s) {
			t.Errorf("error %q\ndoes not contain %q", err.Error(), s)
		}
	}
}

// hrYAML is a Flux HelmRelease: meta under metadata and spec under spec, each YAML written at
// column 0 (a leading newline is dropped), so cases say only what differs.
func hrYAML(meta, spec string) string {
	return "apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n" + indent(strings.TrimPrefix(meta, "\n"), "  ") +
		"\nspec:\n" + indent(strings.TrimPrefix(spec, "\n"), "  ")
}

// appTemplate is the spec of a release of the bjw-s app-template chart with these values.
func appTemplate(values string) string {
	return "chart: {spec: {chart: app-template}}\nvalues:\n" + indent(strings.TrimPrefix(values, "\n"), "  ")
}

// mainContainer is app-template values with one controller, main, and its one container, main:
// body.
func mainContainer(body string) string {
	return "controllers:\n  main:\n    containers:\n      main:\n" + indent(strings.TrimPrefix(body, "\n"), "        ")
}

// patchItem is the spec.postRenderers item the filter writes for integration (YAML at column
// 0): one kustomize patch whose target is target (a YAML map) and whose strategic merge gives
// container body (its env and volumeMounts) and the pod spec pod (volumes; "" for none).
func patchItem(integration, target, container, body, pod string) string {
	patch := "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: pocketid-oidc." + integration +
		"\nspec:\n  template:\n    spec:\n      containers:\n      - name: " + container + "\n" +
		indent(strings.TrimPrefix(body, "\n"), "        ") + indent(strings.TrimPrefix(pod, "\n"), "      ")
	return "- kustomize:\n    patches:\n      - target:\n" + indent(strings.TrimPrefix(target, "\n"), "          ") +
		"        patch: |\n" + indent(patch, "          ")
}

// withPostRenderer is the HelmRelease hr with item appended to its spec.postRenderers.
func withPostRenderer(t *testing.T, hr, item string) string {
	t.Helper()
	rn := yaml.MustParse(hr)
	prs, err := rn.Pipe(yaml.LookupCreate(yaml.SequenceNode, "spec", "postRenderers"))
	if err != nil {
		t.Fatal(err)
	}
	items, err := yaml.Parse(item)
	if err != nil {
		t.Fatalf("patch item: %v\n%s", err, item)
	}
	prs.YNode().Content = append(prs.YNode().Content, items.YNode().Content...)
	return rn.MustString()
}
