package function

import (
	"bytes"
	"strings"
	"testing"

	"github.com/kptdev/krm-functions-sdk/go/fn"
)

// immichChartRelease is a release of the immich chart with the given lines under
// spec.values.immich.
func immichChartRelease(immich string) string {
	return `
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: {name: immich, namespace: media}
spec:
  chart: {spec: {chart: immich, version: 0.10.3, sourceRef: {kind: HelmRepository, name: immich, namespace: flux-system}}}
  values:
    immich:
      persistence: {library: {existingClaim: immich-library}}
` + immich
}

// TestChartConflicts: a HelmRelease the chart would refuse next to the preset's values
// (immich.configuration with immich.existingConfiguration) fails the render at the user's
// field, on the result and on stderr, with the fix; the chart's empty default renders.
func TestChartConflicts(t *testing.T) {
	tests := []struct {
		name   string
		immich string
		integ  string
		fail   bool
		want   string
	}{
		{
			name:   "a configuration next to the config file the integration renders",
			immich: "      configuration:\n        trash: {enabled: false, days: 30}\n",
			fail:   true,
			want: `HelmRelease media/immich: chart "immich" refuses it next to immich.configurationKind and immich.existingConfiguration, which integration immich sets: remove it from spec.values; ` +
				`Immich reads a single config file, which this integration renders into Secret immich-oidc (key immich-config.yaml) with the OAuth settings only`,
		},
		{name: "the chart's default, an empty map", immich: "      configuration: {}\n"},
		{
			name:   "state absent leaves the user's configuration to the chart",
			immich: "      configuration:\n        trash: {enabled: false, days: 30}\n",
			integ:  "  client: {state: absent}\n",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			input := resourceList(t, errProvider, immichChartRelease(tc.immich), immichIntegration("immich", tc.integ))
			var stdout, stderr bytes.Buffer
			code := runFunction(bytes.NewReader(input), &stdout, &stderr)
			if want := map[bool]int{true: 1, false: 0}[tc.fail]; code != want {
				t.Fatalf("exit code %d, want %d; stderr:\n%s", code, want, stderr.String())
			}
			out, err := fn.ParseResourceList(stdout.Bytes())
			if err != nil {
				t.Fatalf("output is not a ResourceList: %v\n%s", err, stdout.String())
			}
			if !tc.fail {
				for _, l := range resultLines(out.Results) {
					if strings.Contains(l, "immich.configuration") {
						t.Errorf("a result names immich.configuration: %s", l)
					}
				}
				return
			}
			var found bool
			for _, r := range out.Results {
				if r.Severity == fn.Error && r.ResourceRef != nil && r.ResourceRef.Kind == "HelmRelease" && r.ResourceRef.Name == "immich" &&
					r.Field != nil && r.Field.Path == "spec.values.immich.configuration" && strings.Contains(r.Message, tc.want) {
					found = true
				}
			}
			if !found {
				t.Errorf("no error result containing %q:\n%s", tc.want, strings.Join(resultLines(out.Results), "\n"))
			}
			if !strings.Contains(stderr.String(), "error: HelmRelease media/immich: spec.values.immich.configuration: Forbidden: "+tc.want) {
				t.Errorf("stderr lacks %q:\n%s", tc.want, stderr.String())
			}
			in, err := fn.ParseResourceList(input)
			if err != nil {
				t.Fatal(err)
			}
			if got, want := itemsOf(out), itemsOf(in); got != want {
				t.Errorf("items changed on error:\n--- got\n%s\n--- want\n%s", got, want)
			}
		})
	}
}
