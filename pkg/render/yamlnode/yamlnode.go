// Package yamlnode builds kyaml nodes straight from Go values, for the renderers.
//
// Encoding a map to YAML text and parsing it back (yaml.FromMap) costs more than all the rest of
// a render; building the node directly keeps the function within its benchmark budget. Keys are
// sorted, so output is deterministic, and apiVersion, kind and metadata come first, where
// readers look for them.
package yamlnode

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// Object returns the node of a Kubernetes object given as JSON-shaped Go values
// (map[string]any, []any, string, bool, int, float64, nil), with the object head first.
func Object(m map[string]any) *yaml.RNode {
	n := From(m)
	headFirst(n)
	return yaml.NewRNode(n)
}

// From returns the node of one value. float64 is what encoding/json decodes numbers into; the
// numbers of Kubernetes objects are integers (ports, counts, modes). Other types are a bug in
// the caller and panic.
func From(v any) *yaml.Node {
	switch t := v.(type) {
	case map[string]any:
		n := &yaml.Node{Kind: yaml.MappingNode, Tag: yaml.NodeTagMap, Content: contentFor(2 * len(t))}
		keys := make([]string, 0, len(t))
		for k := range t {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			n.Content = append(n.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: yaml.NodeTagString, Value: k}, From(t[k]))
		}
		return n
	case []any:
		n := &yaml.Node{Kind: yaml.SequenceNode, Tag: yaml.NodeTagSeq, Content: contentFor(len(t))}
		for _, c := range t {
			n.Content = append(n.Content, From(c))
		}
		return n
	case string:
		n := &yaml.Node{Kind: yaml.ScalarNode, Tag: yaml.NodeTagString, Value: t}
		if strings.Contains(t, "\n") {
			n.Style = yaml.LiteralStyle
		}
		return n
	case bool:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: yaml.NodeTagBool, Value: strconv.FormatBool(t)}
	case int:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: yaml.NodeTagInt, Value: strconv.Itoa(t)}
	case float64:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: yaml.NodeTagInt, Value: strconv.FormatFloat(t, 'f', -1, 64)}
	case nil:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: yaml.NodeTagNull, Value: "null"}
	default:
		panic(fmt.Sprintf("yamlnode: cannot encode %T", v))
	}
}

// contentFor is a node's Content with room for n nodes, nil for none as before: appending
// node by node grew every large map's slice several times.
func contentFor(n int) []*yaml.Node {
	if n == 0 {
		return nil
	}
	return make([]*yaml.Node, 0, n)
}

// headFirst moves apiVersion, kind and metadata to the top (sorted keys would put a ConfigMap's
// data first).
func headFirst(n *yaml.Node) {
	if n.Kind != yaml.MappingNode {
		return
	}
	var head, rest []*yaml.Node
	for _, k := range []string{"apiVersion", "kind", "metadata"} {
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == k {
				head = append(head, n.Content[i], n.Content[i+1])
			}
		}
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		switch n.Content[i].Value {
		case "apiVersion", "kind", "metadata":
		default:
			rest = append(rest, n.Content[i], n.Content[i+1])
		}
	}
	n.Content = append(head, rest...)
}
