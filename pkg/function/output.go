package function

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"runtime"
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
		if err := writeItems(bw, rl.Items); err != nil {
			return err
		}
	}
	bw.Write(tail[len(resourceListHead):])
	return bw.Flush()
}

// itemChunk is how many items one goroutine encodes at a time: large enough that handing out
// chunks costs nothing next to encoding them, small enough that the chunks spread evenly.
const itemChunk = 64

// writeItems encodes the items in chunks on every CPU and writes the chunks in order. Encoding
// is most of a large run's time and each item has its own encoder anyway (see
// WriteResourceList), so the text is the same as encoding them one after the other.
func writeItems(w io.Writer, items fn.KubeObjects) error {
	type chunk struct {
		buf  bytes.Buffer
		err  error
		done chan struct{}
	}
	chunks := make([]*chunk, (len(items)+itemChunk-1)/itemChunk)
	for i := range chunks {
		chunks[i] = &chunk{done: make(chan struct{})}
	}
	next := make(chan int, len(chunks))
	for i := range chunks {
		next <- i
	}
	close(next)
	for range min(runtime.GOMAXPROCS(0), len(chunks)) {
		go func() {
			for i := range next {
				c := chunks[i]
				for _, o := range items[i*itemChunk : min((i+1)*itemChunk, len(items))] {
					if c.err = encodeItem(&c.buf, o); c.err != nil {
						break
					}
				}
				close(c.done)
			}
		}()
	}
	// Every chunk is waited for, even after an error: the goroutines own the items until then.
	var first error
	for _, c := range chunks {
		<-c.done
		if first == nil {
			first = c.err
		}
		if first == nil {
			_, first = w.Write(c.buf.Bytes())
		}
		c.buf = bytes.Buffer{}
	}
	return first
}

// encodeItem writes o as an element of "items:" (see WriteResourceList).
func encodeItem(w io.Writer, o *fn.KubeObject) error {
	seq := &yaml.Node{Kind: yaml.SequenceNode, Tag: yaml.NodeTagSeq,
		Content: []*yaml.Node{o.MoveToResourceNode().YNode()}}
	enc := yaml.NewEncoder(w)
	if err := enc.Encode(seq); err != nil {
		return err
	}
	return enc.Close()
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
