package helmrelease

import (
	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// The edits below work on raw yaml.v3 nodes rather than kyaml filters: they must replace an
// entry where it stands (kyaml's FieldSetter would, but it treats a null value as "clear",
// which Helm values need to keep), append after the user's entries, and never reorder.

func newMap() *yaml.Node { return &yaml.Node{Kind: yaml.MappingNode, Tag: yaml.NodeTagMap} }

func newSeq() *yaml.Node { return &yaml.Node{Kind: yaml.SequenceNode, Tag: yaml.NodeTagSeq} }

func newStr(s string) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: yaml.NodeTagString, Value: s}
}

func newBool(b bool) *yaml.Node {
	v := "false"
	if b {
		v = "true"
	}
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: yaml.NodeTagBool, Value: v}
}

func newNull() *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: yaml.NodeTagNull, Value: "null"}
}

// mapOf builds a mapping from alternating keys and values, in the order given.
func mapOf(kv ...any) *yaml.Node {
	m := newMap()
	for i := 0; i < len(kv); i += 2 {
		var v *yaml.Node
		switch x := kv[i+1].(type) {
		case string:
			v = newStr(x)
		case *yaml.Node:
			v = x
		}
		m.Content = append(m.Content, newStr(kv[i].(string)), v)
	}
	return m
}

func isNull(n *yaml.Node) bool {
	return n == nil || (n.Kind == yaml.ScalarNode && n.Tag == yaml.NodeTagNull)
}

func isMap(n *yaml.Node) bool { return n != nil && n.Kind == yaml.MappingNode }

// mapGet returns the value under key, nil when m is not a mapping or has no such key.
func mapGet(m *yaml.Node, key string) *yaml.Node {
	if !isMap(m) {
		return nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}

// mapIndex is the index in m.Content of key's key node, -1 when m has no such key.
func mapIndex(m *yaml.Node, key string) int {
	if !isMap(m) {
		return -1
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return i
		}
	}
	return -1
}

// mapSet replaces the value under key where it stands, or appends the pair.
func mapSet(m *yaml.Node, key string, v *yaml.Node) {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			m.Content[i+1] = v
			return
		}
	}
	m.Content = append(m.Content, newStr(key), v)
}

// mapDel removes key and reports whether it was there.
func mapDel(m *yaml.Node, key string) bool {
	if !isMap(m) {
		return false
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			m.Content = append(m.Content[:i:i], m.Content[i+2:]...)
			return true
		}
	}
	return false
}

// mapKeys lists the keys of a mapping in document order.
func mapKeys(m *yaml.Node) []string {
	if !isMap(m) {
		return nil
	}
	keys := make([]string, 0, len(m.Content)/2)
	for i := 0; i+1 < len(m.Content); i += 2 {
		keys = append(keys, m.Content[i].Value)
	}
	return keys
}

// str returns the value of a scalar, "" for anything else.
func str(n *yaml.Node) string {
	if n == nil || n.Kind != yaml.ScalarNode || isNull(n) {
		return ""
	}
	return n.Value
}

// removePath deletes the last key of path below root and then every mapping on the way that
// this deletion left empty, so a block we created wholesale disappears wholesale. Mappings the
// user left empty themselves are not touched: pruning starts only from a deletion.
func removePath(root *yaml.Node, path []string) {
	chain := []*yaml.Node{root}
	cur := root
	for _, k := range path[:len(path)-1] {
		cur = mapGet(cur, k)
		if !isMap(cur) {
			return
		}
		chain = append(chain, cur)
	}
	if !mapDel(cur, path[len(path)-1]) {
		return
	}
	for i := len(chain) - 1; i > 0 && len(chain[i].Content) == 0; i-- {
		mapDel(chain[i-1], path[i-1])
	}
}
