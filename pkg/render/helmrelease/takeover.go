package helmrelease

import (
	"fmt"
	"slices"
	"strings"

	"k8s.io/apimachinery/pkg/util/validation/field"
	"sigs.k8s.io/kustomize/kyaml/yaml"
)

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
