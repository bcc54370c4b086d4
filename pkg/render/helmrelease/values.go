package helmrelease

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"k8s.io/apimachinery/pkg/util/validation/field"
	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/endsys/pocketid-oidc/pkg/preset"
)

// applyAppTemplate writes env and persistence into the values of a bjw-s app-template chart.
func (f Filter) applyAppTemplate(rel *release, st state, env []preset.EnvVar) (record, []Warning, field.ErrorList) {
	prev := st[f.Integration]
	values := mapGet(rel.spec, "values")
	controller, container, errs := f.resolveAppTemplate(rel, values)
	if len(errs) > 0 {
		return record{}, nil, errs
	}
	next := record{EnvPath: []string{"controllers", controller, "containers", container, "env"}}
	cPath := valuesPath.Child("controllers", controller, "containers", container)
	ctr := mapGet(mapGet(mapGet(mapGet(values, "controllers"), controller), "containers"), container)
	switch {
	case isNull(ctr):
		// `main:` with nothing under it: chart defaults only. Give it a body to hold env.
		*ctr = *newMap()
	case !isMap(ctr):
		return record{}, nil, field.ErrorList{field.Invalid(cPath, ctr.Value, "HelmRelease "+rel.id+": a container must be a map")}
	}
	var warns []Warning
	if len(env) > 0 {
		names, taken, err := setEnv(ctr, cPath, env, func(n string) bool { return st.claims(next.EnvPath, n) })
		if err != nil {
			return record{}, nil, field.ErrorList{err}
		}
		next.Env = names
		if warns, err = takeOver(rel, prev, &next, taken, f.SpecEnv); err != nil {
			return record{}, nil, field.ErrorList{err}
		}
	}
	if len(f.Wiring.Files) > 0 {
		pers, errs := setPersistence(rel, values, prev, f.Wiring.Files, controller, container)
		if len(errs) > 0 {
			return record{}, nil, errs
		}
		next.Persistence = pers
	}
	return next, warns, nil
}

// resolveAppTemplate picks the controller and container the way the API documents it: the
// one there is, else "main", else the name given; and says what it searched when it fails.
func (f Filter) resolveAppTemplate(rel *release, values *yaml.Node) (string, string, field.ErrorList) {
	controllers := mapGet(values, "controllers")
	cp := valuesPath.Child("controllers")
	if !isMap(controllers) || len(controllers.Content) == 0 {
		return "", "", field.ErrorList{notFound(cp, f.Controller,
			fmt.Sprintf("no controllers in spec.values of HelmRelease %s (an app-template release defines them there; values from spec.valuesFrom are not read)", rel.id))}
	}
	controller, err := pick(f.Controller, controllers, cp, "controller", "spec.values.controllers", rel.id, "controller")
	if err != nil {
		return "", "", field.ErrorList{err}
	}
	containers := mapGet(mapGet(controllers, controller), "containers")
	kp := cp.Child(controller, "containers")
	if !isMap(containers) || len(containers.Content) == 0 {
		return "", "", field.ErrorList{notFound(kp, f.Container,
			fmt.Sprintf("controller %q of HelmRelease %s has no containers in spec.values", controller, rel.id))}
	}
	container, err := pick(f.Container, containers, kp, "container", "controllers."+controller+".containers", rel.id, "container")
	if err != nil {
		return "", "", field.ErrorList{err}
	}
	return controller, container, nil
}

// notFound reports a missing block: Not found when a name was asked for, Required when the
// name was to be defaulted from what is there.
func notFound(p *field.Path, want, detail string) *field.Error {
	if want == "" {
		return &field.Error{Type: field.ErrorTypeRequired, Field: p.String(), Detail: detail}
	}
	return &field.Error{Type: field.ErrorTypeNotFound, Field: p.String(), BadValue: want, Detail: detail}
}

// pick returns want when m has it; with want empty, the only key, else "main".
func pick(want string, m *yaml.Node, base *field.Path, what, where, id, setting string) (string, *field.Error) {
	keys := mapKeys(m)
	if want == "" {
		switch {
		case len(keys) == 1:
			return keys[0], nil
		case slices.Contains(keys, "main"):
			return "main", nil
		}
		return "", &field.Error{Type: field.ErrorTypeRequired, Field: base.String(), Detail: fmt.Sprintf(
			"%s of HelmRelease %s has several %ss and none is \"main\": %s; set spec.helmRelease.%s of the OIDCIntegration",
			where, id, what, strings.Join(keys, ", "), setting)}
	}
	if !slices.Contains(keys, want) {
		return "", &field.Error{Type: field.ErrorTypeNotFound, Field: base.Child(want).String(), BadValue: want, Detail: fmt.Sprintf(
			"%s %q not found in %s of HelmRelease %s; found: %s", what, want, where, id, strings.Join(keys, ", "))}
	}
	return want, nil
}

// setEnv writes env into parent.env in the form the user chose (map or list), replacing our
// names where they stand and appending the others after the user's entries. With no env yet
// it creates the map form, which is what app-template documents first.
//
// An entry that stands under one of our names and that no integration has recorded (claimed
// reports false) is the user's: it is replaced all the same, and returned, so that the
// caller can remember it and warn.
func setEnv(parent *yaml.Node, parentPath *field.Path, env []preset.EnvVar, claimed func(string) bool) ([]string, []takenEntry, *field.Error) {
	cur := mapGet(parent, "env")
	p := parentPath.Child("env")
	names := make([]string, 0, len(env))
	for _, e := range env {
		names = append(names, e.Name)
	}
	var taken []takenEntry
	switch {
	case isNull(cur):
		m := newMap()
		for _, e := range env {
			mapSet(m, e.Name, envMapValue(e))
		}
		mapSet(parent, "env", m)
	case cur.Kind == yaml.MappingNode:
		for _, e := range env {
			v := envMapValue(e)
			if i := mapIndex(cur, e.Name); i >= 0 {
				if !claimed(e.Name) {
					// The key node stays where it is (mapSet replaces the value only), comments and all.
					taken = append(taken, takenEntry{name: e.Name, path: p.Child(e.Name),
						block: &yaml.Node{Kind: yaml.MappingNode, Tag: yaml.NodeTagMap, Content: []*yaml.Node{cur.Content[i], cur.Content[i+1]}}})
				}
				if cur.Content[i+1].Kind == yaml.MappingNode && v.Kind == yaml.ScalarNode {
					// A literal in place of a map entry ({valueFrom: ...}) keeps the map form,
					// {value: x}, which app-template reads alike: kustomize refuses a function
					// output where a field changed from a map to a scalar ("wrong node kind").
					v = mapOf("value", e.Value)
				}
			}
			mapSet(cur, e.Name, v)
		}
	case cur.Kind == yaml.SequenceNode:
		for _, e := range env {
			item := envListItem(e)
			if i := listIndex(cur, e.Name); i >= 0 {
				if !claimed(e.Name) {
					taken = append(taken, takenEntry{name: e.Name, path: p.Index(i),
						block: &yaml.Node{Kind: yaml.SequenceNode, Tag: yaml.NodeTagSeq, Content: []*yaml.Node{cur.Content[i]}}})
				}
				cur.Content[i] = item
			} else {
				cur.Content = append(cur.Content, item)
			}
		}
	default:
		return nil, nil, field.Invalid(p, cur.ShortTag(), "env must be a map (NAME: value) or a list ([{name, value}]) to add entries to it")
	}
	return names, taken, nil
}

// takenEntry is a user's env entry that ours replaced: its name, its path into the
// HelmRelease and a one-entry env block of the form it stood in, holding the original nodes.
type takenEntry struct {
	name  string
	path  *field.Path
	block *yaml.Node
}

// takeOver records in next the user's entries that ours replace, so that letting go of a name
// restores its entry: those taken on an earlier render (carried over from prev while the env
// block stays where it was) and those taken now, each of which is reported as a warning. An
// entry taken earlier is ours since, so a render of our own output warns about nothing.
func takeOver(rel *release, prev record, next *record, taken []takenEntry, specEnv []string) ([]Warning, *field.Error) {
	replaced := map[string]string{}
	if slices.Equal(prev.EnvPath, next.EnvPath) {
		for _, n := range next.Env {
			if text, ok := prev.Replaced[n]; ok {
				replaced[n] = text
			}
		}
	}
	var warns []Warning
	for _, t := range taken {
		text, err := yaml.String(resolveAliases(t.block))
		if err != nil {
			return nil, field.InternalError(t.path, err)
		}
		replaced[t.name] = strings.TrimSuffix(text, "\n")
		detail := fmt.Sprintf("set in the HelmRelease and replaced by the integration's value; set spec.env.%s in the OIDCIntegration to choose the value explicitly", t.name)
		if slices.Contains(specEnv, t.name) {
			detail = fmt.Sprintf("set in the HelmRelease and replaced by spec.env.%s of the OIDCIntegration; the HelmRelease's entry comes back when the integration no longer sets it", t.name)
		}
		warns = append(warns, Warning{Release: rel.id, Field: t.path.String(), Detail: detail})
	}
	if len(replaced) > 0 {
		next.Replaced = replaced
	}
	return warns, nil
}

// resolveAliases copies n with every alias replaced by a copy of what it names, so the text
// of a recorded entry parses on its own, away from the anchors of the HelmRelease.
func resolveAliases(n *yaml.Node) *yaml.Node {
	for n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	c := *n
	c.Anchor = ""
	c.Content = make([]*yaml.Node, len(n.Content))
	for i, x := range n.Content {
		c.Content[i] = resolveAliases(x)
	}
	return &c
}

// decodeEntry reads a recorded entry back: a mapping with the one key name (map form) or a
// sequence of one item named name (list form).
func decodeEntry(text, name string) (*yaml.Node, error) {
	rn, err := yaml.Parse(text)
	if err != nil {
		return nil, err
	}
	n := rn.YNode()
	switch {
	case isMap(n) && len(n.Content) == 2 && n.Content[0].Value == name:
		return n, nil
	case n.Kind == yaml.SequenceNode && len(n.Content) == 1 && str(mapGet(n.Content[0], "name")) == name:
		return n, nil
	}
	return nil, fmt.Errorf("want a map with the one key %s or a list with one item named %s", name, name)
}

// restoreEnvEntry puts the user's recorded entry back into the env block at path (below
// spec): in place of ours, or at the end of the block when ours is gone. It reports false,
// restoring nothing, when the block is gone or no longer has the form the entry was taken in.
func restoreEnvEntry(spec *yaml.Node, path []string, name, text string) bool {
	orig, err := decodeEntry(text, name)
	if err != nil {
		return false
	}
	parent := spec
	for _, k := range path[:len(path)-1] {
		parent = mapGet(parent, k)
	}
	env := mapGet(parent, path[len(path)-1])
	switch {
	case isMap(env) && isMap(orig):
		if i := mapIndex(env, name); i >= 0 {
			env.Content[i+1] = orig.Content[1]
		} else {
			env.Content = append(env.Content, orig.Content...)
		}
		return true
	case env != nil && env.Kind == yaml.SequenceNode && orig.Kind == yaml.SequenceNode:
		if i := listIndex(env, name); i >= 0 {
			env.Content[i] = orig.Content[0]
		} else {
			env.Content = append(env.Content, orig.Content[0])
		}
		return true
	}
	return false
}

// envMapValue is the value of NAME in the map form. A secret is always the full valueFrom
// form, never a literal, and never the bjw-s shorthand (valid only in newer chart versions).
func envMapValue(e preset.EnvVar) *yaml.Node {
	if e.SecretKeyRef != nil {
		return mapOf("valueFrom", secretKeyRef(e.SecretKeyRef))
	}
	return newStr(e.Value)
}

// envListItem is one entry of the list form, as in a Kubernetes container.
func envListItem(e preset.EnvVar) *yaml.Node {
	if e.SecretKeyRef != nil {
		return mapOf("name", e.Name, "valueFrom", secretKeyRef(e.SecretKeyRef))
	}
	return mapOf("name", e.Name, "value", e.Value)
}

func secretKeyRef(r *preset.SecretKeyRef) *yaml.Node {
	return mapOf("secretKeyRef", mapOf("name", r.Name, "key", r.Key))
}

func listIndex(seq *yaml.Node, name string) int {
	for i, item := range seq.Content {
		if str(mapGet(item, "name")) == name {
			return i
		}
	}
	return -1
}

// removeEnvEntry removes name from the env block at path (below spec), in either form, and
// the block itself and its parents when that left them empty.
func removeEnvEntry(spec *yaml.Node, path []string, name string) {
	parent := spec
	for _, k := range path[:len(path)-1] {
		parent = mapGet(parent, k)
	}
	env := mapGet(parent, path[len(path)-1])
	switch {
	case isMap(env):
		removePath(spec, append(slices.Clone(path), name))
	case env != nil && env.Kind == yaml.SequenceNode:
		i := listIndex(env, name)
		if i < 0 {
			return
		}
		env.Content = slices.Delete(env.Content, i, i+1)
		if len(env.Content) == 0 {
			removePath(spec, path)
		}
	}
}

// volumeName turns a Secret name (a DNS subdomain) into a volume name (a DNS label).
func volumeName(secret string) string {
	n := strings.ReplaceAll(secret, ".", "-")
	if len(n) > 63 {
		n = n[:63]
	}
	return strings.TrimRight(n, "-")
}

// filesBySecret groups files per Secret (one volume each), Secrets and mount paths sorted.
func filesBySecret(files []preset.File) ([]string, map[string][]preset.File) {
	by := map[string][]preset.File{}
	for _, f := range files {
		by[f.SecretName] = append(by[f.SecretName], f)
	}
	for _, fs := range by {
		slices.SortFunc(fs, func(a, b preset.File) int { return strings.Compare(a.MountPath, b.MountPath) })
	}
	return slices.Sorted(maps.Keys(by)), by
}

// setPersistence mounts each file with app-template's persistence: one `type: secret` entry
// per Secret, mounted through advancedMounts into only our controller's container (the
// globalMounts form would put the secret into every container of every controller).
func setPersistence(rel *release, values *yaml.Node, prev record, files []preset.File, controller, container string) ([]string, field.ErrorList) {
	secrets, by := filesBySecret(files)
	var errs field.ErrorList
	for i, f := range files {
		if f.SecretName == "" || f.SecretKey == "" || !strings.HasPrefix(f.MountPath, "/") {
			errs = append(errs, field.Invalid(field.NewPath("wiring", "files").Index(i), f.MountPath,
				"a file needs a Secret name, a key and an absolute mount path"))
		}
	}
	if len(errs) > 0 {
		return nil, errs
	}
	pers := mapGet(values, "persistence")
	pp := valuesPath.Child("persistence")
	if !isNull(pers) && !isMap(pers) {
		return nil, field.ErrorList{field.Invalid(pp, pers.Value, "persistence must be a map to add the OIDC files to it")}
	}
	if isNull(pers) {
		pers = newMap()
		mapSet(values, "persistence", pers)
	}
	var names []string
	for _, s := range secrets {
		name := volumeName(s)
		if cur := mapGet(pers, name); cur != nil && !slices.Contains(prev.Persistence, name) &&
			!(str(mapGet(cur, "type")) == "secret" && str(mapGet(cur, "name")) == s) {
			errs = append(errs, &field.Error{Type: field.ErrorTypeDuplicate, Field: pp.Child(name).String(), BadValue: name, Detail: fmt.Sprintf(
				"HelmRelease %s already has persistence %q that is not ours and does not mount Secret %q; rename it", rel.id, name, s)})
			continue
		}
		mounts := newSeq()
		for _, f := range by[s] {
			mounts.Content = append(mounts.Content, mapOf("path", f.MountPath, "subPath", f.SecretKey, "readOnly", newBool(true)))
		}
		mapSet(pers, name, mapOf(
			"type", "secret",
			"name", s,
			"advancedMounts", mapOf(controller, mapOf(container, mounts)),
		))
		names = append(names, name)
	}
	return names, errs
}

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
