package helmrelease

import (
	"slices"
	"strings"

	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// Owners lists, sorted, the integrations whose wiring the HelmRelease carries: those with an
// entry in the managed-env annotation and those with a post-renderer patch of ours. The
// function uses it to find the wiring of an integration that is no longer rendered. An
// unreadable annotation counts as no entries (Filter reports it when it runs).
func Owners(hr *yaml.RNode) []string {
	var out []string
	if st, err := readState(hr); err == nil {
		for name, rec := range st {
			if !rec.empty() {
				out = append(out, name)
			}
		}
	}
	if spec := mapGet(hr.YNode(), "spec"); spec != nil {
		for _, ref := range findPatches(spec, func(n string) bool { return strings.HasPrefix(n, markerPrefix) }) {
			doc, err := yaml.Parse(str(mapGet(ref.entry, "patch")))
			if err != nil {
				continue
			}
			out = append(out, strings.TrimPrefix(str(mapGet(mapGet(doc.YNode(), "metadata"), "name")), markerPrefix))
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}
