package function

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"sort"

	"github.com/kptdev/krm-functions-sdk/go/fn"
	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// resourceListHead is how every ResourceList starts (the SDK writes the same two lines).
const resourceListHead = "apiVersion: config.kubernetes.io/v1\nkind: ResourceList\n"

// WriteResourceList writes rl like rl.ToYAML, but encodes the items one by one.
//
// Why: the YAML emitter appends every event of a document to one slice that it never
// shrinks, so encoding a whole ResourceList as one document grows a slice of millions of large
// events and spends much of its time and memory copying it (the SDK's identity function is
// dominated by this, which is why it grows faster than linearly with its input). A fresh
// encoder per item keeps that slice as small as one object; measured, batching several items
// per encoder only allocates more. Each item is encoded as a one-element sequence, which the
// emitter writes exactly as an element of "items:" (compact "- " at column 0, no line folding),
// so the text is the SDK's byte for byte (TestWriteResourceListMatchesSDK).
//
// The items are moved out of rl: it must not be used afterwards, except for its Results.
func WriteResourceList(w io.Writer, rl *fn.ResourceList) error {
	sortItems(rl.Items)
	rest := &fn.ResourceList{FunctionConfig: rl.FunctionConfig, Results: rl.Results}
	tail, err := rest.ToYAML()
	if err != nil {
		return err
	}
	if !bytes.HasPrefix(tail, []byte(resourceListHead)) {
		return fmt.Errorf("unexpected ResourceList encoding: %.60q", tail)
	}
	bw := bufio.NewWriterSize(w, 1<<16)
	bw.WriteString(resourceListHead)
	if len(rl.Items) > 0 {
		bw.WriteString("items:\n")
		for _, o := range rl.Items {
			seq := &yaml.Node{Kind: yaml.SequenceNode, Tag: yaml.NodeTagSeq,
				Content: []*yaml.Node{o.MoveToResourceNode().YNode()}}
			enc := yaml.NewEncoder(bw)
			if err := enc.Encode(seq); err != nil {
				return err
			}
			if err := enc.Close(); err != nil {
				return err
			}
		}
	}
	bw.Write(tail[len(resourceListHead):])
	return bw.Flush()
}

// sortItems orders items as rl.Sort does (apiVersion, kind, namespace, name, joined by spaces),
// computing each key once: the SDK's comparison formats both keys on every call, which costs
// more than the rest of a large render.
func sortItems(items fn.KubeObjects) {
	keys := make(map[*fn.KubeObject]string, len(items))
	for _, o := range items {
		keys[o] = o.GetAPIVersion() + " " + o.GetKind() + " " + o.GetNamespace() + " " + o.GetName()
	}
	sort.SliceStable(items, func(i, j int) bool { return keys[items[i]] < keys[items[j]] })
}
