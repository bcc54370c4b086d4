package helmrelease

import (
	"slices"

	"k8s.io/apimachinery/pkg/util/validation/field"
	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/endsys/pocketid-oidc/pkg/preset"
)

// envBlock is where an env block sits: parent[key]. list says a new block is a Kubernetes
// EnvVar list (charts like harbor's core.extraEnvVars take nothing else) rather than the map
// form, which is what app-template documents first.
type envBlock struct {
	parent *yaml.Node
	key    string
	path   *field.Path // of the block itself
	list   bool
}

// setEnv writes env into parent.env in the form the user chose (map or list), replacing our
// names where they stand and appending the others after the user's entries. With no env yet
// it creates the map form.
//
// An entry that stands under one of our names and that no integration has recorded (claimed
// reports false) is the user's: it is replaced all the same, and returned, so that the
// caller can remember it and warn.
func setEnv(parent *yaml.Node, parentPath *field.Path, env []preset.EnvVar, claimed func(string) bool) ([]string, []takenEntry, *field.Error) {
	return envBlock{parent: parent, key: "env", path: parentPath.Child("env")}.set(env, claimed)
}

// set is setEnv for any block.
func (b envBlock) set(env []preset.EnvVar, claimed func(string) bool) ([]string, []takenEntry, *field.Error) {
	parent, cur, p := b.parent, mapGet(b.parent, b.key), b.path
	names := make([]string, 0, len(env))
	for _, e := range env {
		names = append(names, e.Name)
	}
	var taken []takenEntry
	switch {
	case isNull(cur) && b.list:
		seq := newSeq()
		for _, e := range env {
			seq.Content = append(seq.Content, envListItem(e))
		}
		mapSet(parent, b.key, seq)
	case isNull(cur):
		m := newMap()
		for _, e := range env {
			mapSet(m, e.Name, envMapValue(e))
		}
		mapSet(parent, b.key, m)
	case b.list && cur.Kind != yaml.SequenceNode:
		return nil, nil, field.Invalid(p, cur.ShortTag(), "the chart takes env here only as a list ([{name, value}]) to add entries to it")
	case cur.Kind == yaml.MappingNode:
		for _, e := range env {
			v := envMapValue(e)
			if i := mapIndex(cur, e.Name); i >= 0 {
				if !claimed(e.Name) {
					// The key node stays where it is (mapSet replaces the value only), comments and all.
					taken = append(taken, takenEntry{name: e.Name, path: p.Child(e.Name), env: e,
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
					taken = append(taken, takenEntry{name: e.Name, path: p.Index(i), env: e,
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
