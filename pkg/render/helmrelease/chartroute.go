package helmrelease

import (
	"fmt"
	"slices"
	"strings"

	"k8s.io/apimachinery/pkg/util/validation/field"
	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/endsys/pocketid-oidc/pkg/preset"
)

// applyChart writes a chart-specific route: env at the chart's EnvPath (bjw-s form rules) and
// the chart's Values deep-merged into spec.values. Those values deliver the Files, so nothing
// is mounted.
func (f Filter) applyChart(rel *release, st state, env []preset.EnvVar, cw preset.ChartWiring) (record, []Warning, field.ErrorList) {
	prev := st[f.Integration]
	if len(f.Wiring.Files) > 0 && len(cw.Values) == 0 {
		return record{}, nil, field.ErrorList{field.InternalError(rel.chart.path, fmt.Errorf(
			"the preset's route for %s has files but no values that deliver them", describeChart(rel.chart)))}
	}
	values := mapGet(rel.spec, "values")
	if isNull(values) {
		values = newMap()
		mapSet(rel.spec, "values", values)
	} else if !isMap(values) {
		return record{}, nil, field.ErrorList{field.Invalid(valuesPath, values.Value, "spec.values must be a map")}
	}
	var next record
	var warns []Warning
	if len(cw.Values) > 0 {
		src, err := yaml.FromMap(cw.Values)
		if err != nil {
			return record{}, nil, field.ErrorList{field.InternalError(valuesPath, err)}
		}
		owned := map[string]bool{}
		for _, p := range prev.Values {
			owned[pathKey(p)] = true
		}
		mergeValues(values, src.YNode(), nil, owned, &next.Values)
	}
	if len(env) > 0 {
		if cw.EnvPath == "" {
			return record{}, nil, field.ErrorList{field.InternalError(rel.chart.path, fmt.Errorf(
				"the preset's route for %s has env but no env path", describeChart(rel.chart)))}
		}
		keys := strings.Split(cw.EnvPath, ".")
		if keys[len(keys)-1] != "env" || slices.Contains(keys, "") {
			return record{}, nil, field.ErrorList{field.InternalError(rel.chart.path, fmt.Errorf("env path %q must end in .env", cw.EnvPath))}
		}
		parent, parentPath := values, valuesPath
		for _, k := range keys[:len(keys)-1] {
			parentPath = parentPath.Child(k)
			child := mapGet(parent, k)
			if isNull(child) {
				child = newMap()
				mapSet(parent, k, child)
			} else if !isMap(child) {
				return record{}, nil, field.ErrorList{field.Invalid(parentPath, child.Value, fmt.Sprintf(
					"HelmRelease %s: must be a map to hold env at spec.values.%s", rel.id, cw.EnvPath))}
			}
			parent = child
		}
		next.EnvPath = keys
		names, taken, err := setEnv(parent, parentPath, env, func(n string) bool { return st.claims(keys, n) })
		if err != nil {
			return record{}, nil, field.ErrorList{err}
		}
		next.Env = names
		if warns, err = takeOver(rel, prev, &next, taken, f.SpecEnv); err != nil {
			return record{}, nil, field.ErrorList{err}
		}
	}
	return next, warns, nil
}

// mergeValues deep-merges src into dst the way Helm merges values: maps key by key, anything
// else (lists included) replaced whole. What we set is recorded as ours: a key the user did
// not have (or that a previous render recorded as ours) takes src's whole subtree and is
// recorded as one path; into the user's maps we descend, since only our keys there are ours.
func mergeValues(dst, src *yaml.Node, prefix []string, owned map[string]bool, ours *[][]string) {
	for i := 0; i+1 < len(src.Content); i += 2 {
		k, v := src.Content[i].Value, src.Content[i+1]
		path := append(slices.Clone(prefix), k)
		d := mapGet(dst, k)
		if isMap(v) && isMap(d) && !owned[pathKey(path)] {
			mergeValues(d, v, path, owned, ours)
			continue
		}
		mapSet(dst, k, v)
		*ours = append(*ours, path)
	}
}
