package helmrelease

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"k8s.io/apimachinery/pkg/util/validation/field"
	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/endsys/pocketid-oidc/pkg/preset"
)

// refuseConflicts refuses a HelmRelease whose spec.values sets a value the chart will not take
// next to the route's (ChartWiring.Conflicts): Flux would apply it and the chart would fail at
// install ("immich.configuration and immich.existingConfiguration are mutually exclusive"),
// so the render says it first, at the user's field. Values only: spec.valuesFrom is not read.
// A value the previous render recorded as ours is no conflict: this render replaces it.
func refuseConflicts(rel *release, values *yaml.Node, prev record, integration string, cw preset.ChartWiring) field.ErrorList {
	var errs field.ErrorList
	for _, path := range slices.Sorted(maps.Keys(cw.Conflicts)) {
		keys := strings.Split(path, ".")
		if slices.ContainsFunc(prev.Values, func(p []string) bool { return hasPrefix(keys, p) }) {
			continue
		}
		v := values
		for _, k := range keys {
			v = mapGet(v, k)
		}
		if !helmTrue(v) {
			continue
		}
		errs = append(errs, field.Forbidden(valuesPath.Child(keys[0], keys[1:]...), fmt.Sprintf(
			"HelmRelease %s: %s refuses it next to %s, which integration %s sets: remove it from spec.values; %s",
			rel.id, describeChart(rel.chart), strings.Join(leafPaths("", cw.Values), " and "), integration, cw.Conflicts[path])))
	}
	return errs
}

// helmTrue is Go template truth, which a chart's `if` uses: absent, null, false, 0, "" and
// an empty map or list are false. A string is taken as written (a ${VAR} Flux substitutes is
// not empty).
func helmTrue(n *yaml.Node) bool {
	switch {
	case isNull(n):
		return false
	case n.Kind == yaml.MappingNode || n.Kind == yaml.SequenceNode:
		return len(n.Content) > 0
	case n.Kind != yaml.ScalarNode:
		return true
	}
	switch n.Tag {
	case yaml.NodeTagBool:
		b, _ := strconv.ParseBool(n.Value)
		return b
	case yaml.NodeTagInt, yaml.NodeTagFloat:
		f, err := strconv.ParseFloat(n.Value, 64)
		return err != nil || f != 0
	}
	return n.Value != ""
}

// hasPrefix reports whether path is p or lies below it.
func hasPrefix(path, p []string) bool {
	return len(p) <= len(path) && slices.Equal(path[:len(p)], p)
}

// leafPaths names the route's values as dot paths (maps descended, anything else a leaf), sorted.
func leafPaths(prefix string, m map[string]any) []string {
	var out []string
	for k, v := range m {
		if sub, ok := v.(map[string]any); ok && len(sub) > 0 {
			out = append(out, leafPaths(prefix+k+".", sub)...)
			continue
		}
		out = append(out, prefix+k)
	}
	slices.Sort(out)
	return out
}
