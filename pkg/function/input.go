package function

// What is wrong with stdin when it is not a ResourceList: the SDK's parse errors name YAML node
// kinds by number ("unhandled node kind 8"), which tells a user running the binary by hand, or
// a broken pipe, nothing.

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/kptdev/krm-functions-sdk/go/fn"

	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// inputUsage ends every message about stdin: what the function expects and how to run it.
const inputUsage = "pocketid-oidc without a command is a KRM function: it reads one ResourceList (kind: ResourceList, with items and a functionConfig) on stdin, as kustomize and kpt pass it; `pocketid-oidc render DIR` renders a directory"

// describeInput explains why in is not a ResourceList; err is the SDK's parse error, used when
// nothing more precise is found.
func describeInput(in []byte, err error) string {
	switch {
	case len(bytes.TrimSpace(in)) == 0:
		return "the input is empty; " + inputUsage
	case !utf8.Valid(in) || bytes.IndexByte(in, 0) >= 0:
		return "the input is not text (binary data?); " + inputUsage
	}
	dec := yaml.NewDecoder(bytes.NewReader(in))
	var docs []*yaml.Node
	for {
		var n yaml.Node
		derr := dec.Decode(&n)
		if errors.Is(derr, io.EOF) {
			break
		}
		if derr != nil {
			return fmt.Sprintf("the input is not valid YAML (%s); %s", strings.Join(strings.Fields(derr.Error()), " "), inputUsage)
		}
		docs = append(docs, &n)
	}
	if len(docs) != 1 {
		return fmt.Sprintf("the input holds %d YAML documents, not one ResourceList; %s", len(docs), inputUsage)
	}
	if root := docs[0]; len(root.Content) == 1 {
		if msg := describeShape(root.Content[0]); msg != "" {
			return msg + "; " + inputUsage
		}
		switch root.Content[0].Kind {
		case yaml.SequenceNode:
			return "the input is a YAML list, not a ResourceList; " + inputUsage
		case yaml.ScalarNode:
			return "the input is a single YAML value, not a ResourceList; " + inputUsage
		case yaml.AliasNode:
			return "the input is a YAML alias, not a ResourceList; " + inputUsage
		}
	}
	msg := strings.TrimPrefix(err.Error(), "failed to parse input bytes: ")
	return "the input is not a ResourceList (" + msg + "); " + inputUsage
}

// parseInput is fn.ParseResourceList with errors a user can act on, and without its panics on
// items that are not objects.
func parseInput(in []byte) (rl *fn.ResourceList, err error) {
	defer func() {
		if p := recover(); p != nil {
			rl, err = nil, fmt.Errorf("the input is not a ResourceList (%v); %s", p, inputUsage)
		}
	}()
	rl, err = fn.ParseResourceList(in)
	if err != nil {
		return nil, errors.New(describeInput(in, err))
	}
	return rl, nil
}

// describeShape finds an items or functionConfig of the wrong shape in a ResourceList map.
func describeShape(m *yaml.Node) string {
	if m.Kind != yaml.MappingNode {
		return ""
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i].Value, m.Content[i+1]
		switch {
		case k == "functionConfig" && v.Kind != yaml.MappingNode:
			return "functionConfig is not an object (a map with apiVersion, kind and metadata)"
		case k == "items" && v.Kind != yaml.SequenceNode:
			return "items is not a list of objects"
		case k == "items" && v.Kind == yaml.SequenceNode:
			for j, it := range v.Content {
				if it.Kind != yaml.MappingNode {
					return fmt.Sprintf("items[%d] is not an object (a map with apiVersion, kind and metadata)", j)
				}
			}
		}
	}
	return ""
}
