package helmrelease

import (
	"fmt"
	"slices"
	"strings"

	"k8s.io/apimachinery/pkg/util/validation/field"
	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/endsys/pocketid-oidc/pkg/preset"
)

// takenEntry is a user's env entry that ours replaced: its name, its path into the
// HelmRelease, a one-entry env block of the form it stood in, holding the original nodes, and
// our entry that replaced it.
type takenEntry struct {
	name  string
	path  *field.Path
	block *yaml.Node
	env   preset.EnvVar
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
		if detail := takeOverDetail(t, slices.Contains(specEnv, t.name)); detail != "" {
			warns = append(warns, Warning{Release: rel.id, Field: t.path.String(), Detail: detail})
		}
	}
	if len(replaced) > 0 {
		next.Replaced = replaced
	}
	return warns, nil
}

// takeOverDetail is the warning about one taken entry, "" when the user's entry already said
// what ours says (nothing changes for the app). Where ours is a secret reference, the hint
// points at the store, never at spec.env, which would only move a literal secret elsewhere.
func takeOverDetail(t takenEntry, fromSpecEnv bool) string {
	value, ref := entryValue(t.block, t.name)
	switch {
	case t.env.SecretKeyRef == nil && ref == nil && value != nil && *value == t.env.Value,
		t.env.SecretKeyRef != nil && ref != nil && *ref == *t.env.SecretKeyRef:
		return ""
	case fromSpecEnv:
		return fmt.Sprintf("set in the HelmRelease and replaced by spec.env.%s of the OIDCIntegration; the HelmRelease's entry comes back when the integration no longer sets it", t.name)
	case t.env.SecretKeyRef != nil:
		source := "which the integration fills from the secret store (spec.secret)"
		if t.env.SecretKeyRef.Key != preset.SecretKeyClientSecret {
			source = "which the integration generates"
		}
		detail := fmt.Sprintf("set in the HelmRelease and replaced by a reference to key %s of Secret %s, %s: remove the entry from the HelmRelease", t.env.SecretKeyRef.Key, t.env.SecretKeyRef.Name, source)
		if value != nil {
			detail += "; it held a literal, so the secret is in plain text in git: rotate it"
		}
		return detail
	}
	return fmt.Sprintf("set in the HelmRelease and replaced by the integration's value; set spec.env.%s in the OIDCIntegration to choose the value explicitly", t.name)
}

// entryValue reads a user's env entry as it stood: a literal value (NAME: x, NAME: {value: x},
// {name: NAME, value: x}) or a secretKeyRef (valueFrom.secretKeyRef); neither for any other
// form (configMapKeyRef, fieldRef, ...).
func entryValue(block *yaml.Node, name string) (*string, *preset.SecretKeyRef) {
	var n *yaml.Node
	switch {
	case isMap(block):
		n = mapGet(block, name)
	case block.Kind == yaml.SequenceNode && len(block.Content) == 1:
		n = block.Content[0]
	}
	if n == nil {
		return nil, nil
	}
	n = resolveAliases(n)
	if n.Kind == yaml.ScalarNode && n.Tag != yaml.NodeTagNull {
		return &n.Value, nil
	}
	if v := mapGet(n, "value"); v != nil && v.Kind == yaml.ScalarNode {
		return &v.Value, nil
	}
	if r := mapGet(mapGet(n, "valueFrom"), "secretKeyRef"); isMap(r) {
		return nil, &preset.SecretKeyRef{Name: str(mapGet(r, "name")), Key: str(mapGet(r, "key"))}
	}
	return nil, nil
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
