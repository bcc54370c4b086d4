package helmrelease

import (
	"fmt"
	"reflect"
	"slices"
	"strings"

	"k8s.io/apimachinery/pkg/util/validation/field"
	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/endsys/pocketid-oidc/pkg/preset"
)

// applyChart writes a chart-specific route: env at the chart's EnvPath (bjw-s form rules, or a
// Kubernetes EnvVar list with EnvList) and the chart's Values deep-merged into spec.values.
// Those values deliver the Files, so nothing is mounted.
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
	if errs := refuseConflicts(rel, values, prev, f.Integration, cw); len(errs) > 0 {
		return record{}, nil, errs
	}
	var next record
	var warns []Warning
	if len(cw.Values) > 0 {
		src, err := yaml.FromMap(cw.Values)
		if err != nil {
			return record{}, nil, field.ErrorList{field.InternalError(valuesPath, err)}
		}
		literalMultiline(src.YNode())
		m := &valueMerger{rel: rel, st: st, listKeys: cw.ListKeys, owned: map[string]bool{}, next: &next}
		for _, p := range prev.Values {
			m.owned[pathKey(p)] = true
		}
		if errs := m.merge(values, src.YNode(), nil); len(errs) > 0 {
			return record{}, nil, errs
		}
		warns = m.warns
	}
	if len(env) > 0 {
		if cw.EnvPath == "" {
			return record{}, nil, field.ErrorList{field.InternalError(rel.chart.path, fmt.Errorf(
				"the preset's route for %s has env but no env path", describeChart(rel.chart)))}
		}
		keys := strings.Split(cw.EnvPath, ".")
		if slices.Contains(keys, "") {
			return record{}, nil, field.ErrorList{field.InternalError(rel.chart.path, fmt.Errorf("env path %q has an empty key", cw.EnvPath))}
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
		last := keys[len(keys)-1]
		block := envBlock{parent: parent, key: last, path: parentPath.Child(last), list: cw.EnvList}
		names, taken, err := block.set(env, func(n string) bool { return st.claims(keys, n) })
		if err != nil {
			return record{}, nil, field.ErrorList{err}
		}
		next.Env = names
		envWarns, err := takeOver(rel, prev, &next, taken, f.SpecEnv)
		if err != nil {
			return record{}, nil, field.ErrorList{err}
		}
		warns = append(warns, envWarns...)
	}
	return next, warns, nil
}

// valueMerger deep-merges a chart route's values into spec.values the way Helm merges values:
// maps key by key, anything else (lists included) replaced whole, except the lists named in
// listKeys, whose items are merged by their key field (see mergeList). What it sets is
// recorded in next as ours: a key the user did not have (or that a previous render recorded
// as ours) takes the whole subtree and is recorded as one path; into the user's maps it
// descends, since only our keys there are ours.
type valueMerger struct {
	rel      *release
	st       state
	listKeys map[string]string
	// owned are the values paths the previous render of this integration recorded.
	owned map[string]bool
	next  *record
	warns []Warning
}

func (m *valueMerger) merge(dst, src *yaml.Node, prefix []string) field.ErrorList {
	var errs field.ErrorList
	for i := 0; i+1 < len(src.Content); i += 2 {
		k, v := src.Content[i].Value, src.Content[i+1]
		path := append(slices.Clone(prefix), k)
		d := mapGet(dst, k)
		if key, ok := m.listKeys[strings.Join(path, ".")]; ok {
			errs = append(errs, m.mergeList(dst, d, v, path, key)...)
			continue
		}
		if isMap(v) && isMap(d) && !m.owned[pathKey(path)] {
			errs = append(errs, m.merge(d, v, path)...)
			continue
		}
		if !isNull(d) && !m.owned[pathKey(path)] && !sameValue(d, v) {
			// The user's own value: the app needs ours, and the user must know theirs is gone.
			m.warns = append(m.warns, Warning{Release: m.rel.id, Field: valuesPath.Child(path[0], path[1:]...).String(),
				Detail: "set in the HelmRelease and replaced by the integration's value; the key is removed when the integration no longer sets it"})
		}
		mapSet(dst, k, v)
		m.next.Values = append(m.next.Values, path)
	}
	return errs
}

// sameValue reports whether two value nodes hold the same data, whatever their YAML style.
func sameValue(a, b *yaml.Node) bool {
	var av, bv any
	return a.Decode(&av) == nil && b.Decode(&bv) == nil && reflect.DeepEqual(av, bv)
}

// literalMultiline gives every multi-line string below n the literal block style, so a script
// in values (Nextcloud's before-starting hook) reads as written in the user's repository.
func literalMultiline(n *yaml.Node) {
	if n.Kind == yaml.ScalarNode && n.Tag == yaml.NodeTagString && strings.Contains(n.Value, "\n") {
		n.Style = yaml.LiteralStyle
	}
	for _, c := range n.Content {
		literalMultiline(c)
	}
}
