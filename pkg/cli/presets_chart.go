package cli

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"

	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/endsys/pocketid-oidc/pkg/preset"
	"github.com/endsys/pocketid-oidc/pkg/render/helmrelease"
)

// describeCharts shows, per chart of the preset's chart routes, the spec.values the function
// writes into a HelmRelease of that chart: the renderer itself (helmrelease.Filter) applied to
// a release with no values, so the text is what will be wired (env in the chart's form, a
// Kubernetes EnvVar list for harbor's core.extraEnvVars), not a description of it.
func describeCharts(w io.Writer, p *preset.Preset, r *preset.Resolved) error {
	for _, chart := range slices.Sorted(maps.Keys(r.Wiring.Charts)) {
		cw := r.Wiring.Charts[chart]
		values, err := chartValues(p.Name, chart, r.Wiring)
		if err != nil {
			return fmt.Errorf("chart %s: %w", chart, err)
		}
		fmt.Fprintf(w, "\nchart %s: the HelmRelease's spec.values get\n", chart)
		for _, line := range strings.Split(strings.TrimSuffix(values, "\n"), "\n") {
			fmt.Fprintf(w, "  %s\n", line)
		}
		for _, path := range slices.Sorted(maps.Keys(cw.ListKeys)) {
			fmt.Fprintf(w, "  (items of %s join the HelmRelease's own, matched by %s)\n", path, cw.ListKeys[path])
		}
		for _, path := range slices.Sorted(maps.Keys(cw.Conflicts)) {
			fmt.Fprintf(w, "  (a HelmRelease that sets %s is an error: %s)\n", path, cw.Conflicts[path])
		}
		var other []string
		if len(r.Wiring.Env) > 0 || len(r.Wiring.Files) > 0 {
			other = append(other, "the env and files above go into app-template values or a post-renderer patch")
		} else {
			other = append(other, "nothing is wired")
		}
		if p.Delivery == preset.DeliveryChart {
			other = append(other, "the notes say the manual step")
		}
		fmt.Fprintf(w, "  with another chart %s\n", strings.Join(other, "; "))
	}
	return nil
}

// chartValues renders the wiring into an empty HelmRelease of chart and returns its spec.values.
func chartValues(integration, chart string, wiring preset.Wiring) (string, error) {
	hr, err := yaml.Parse("apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata: {name: " + chart + "}\nspec: {chart: {spec: {chart: " + chart + "}}}\n")
	if err != nil {
		return "", err
	}
	if _, err := (helmrelease.Filter{Integration: integration, Wiring: wiring}).Apply(hr); err != nil {
		return "", err
	}
	values, err := hr.Pipe(yaml.Lookup("spec", "values"))
	if err != nil || values == nil {
		return "", fmt.Errorf("the route wrote no spec.values: %v", err)
	}
	return values.String()
}
