package function

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/kptdev/krm-functions-sdk/go/fn"
)

// TestWriteResourceListMatchesSDK: the item-by-item writer produces the SDK's text, including
// block scalars with empty lines, long lines, nested sequences and results.
func TestWriteResourceListMatchesSDK(t *testing.T) {
	tests := map[string]string{
		"items, config and results": `
apiVersion: config.kubernetes.io/v1
kind: ResourceList
items:
- apiVersion: v1
  kind: ConfigMap
  metadata:
    name: b
    annotations:
      long: "` + strings.Repeat("word ", 40) + `"
  data:
    script: |
      first

      after an empty line
        indented more
    list: "[1, 2]"
- apiVersion: apps/v1
  kind: Deployment
  metadata: {name: a, namespace: x}
  spec:
    template:
      spec:
        containers:
        - name: c
          args: [--a, "--b=c d"]
          env:
          - {name: E, value: "1"}
functionConfig:
  apiVersion: v1
  kind: ConfigMap
  metadata: {name: cfg}
results:
- message: hello
  severity: info
`,
		"no items": `
apiVersion: config.kubernetes.io/v1
kind: ResourceList
functionConfig:
  apiVersion: v1
  kind: ConfigMap
  metadata: {name: cfg}
`,
	}
	// Many items.
	var many strings.Builder
	many.WriteString("apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n")
	for i := 0; i < 200; i++ {
		fmt.Fprintf(&many, "- {apiVersion: v1, kind: ConfigMap, metadata: {name: cm%03d}, data: {k: \"line\\n\\nmore\"}}\n", i)
	}
	tests["several chunks"] = many.String()
	for name, in := range tests {
		t.Run(name, func(t *testing.T) {
			rl, err := fn.ParseResourceList([]byte(in))
			if err != nil {
				t.Fatal(err)
			}
			want, err := rl.ToYAML()
			if err != nil {
				t.Fatal(err)
			}
			var got bytes.Buffer
			if err := WriteResourceList(&got, rl); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(string(want), got.String()); diff != "" {
				t.Errorf("differs from the SDK (-sdk +ours):\n%s", diff)
			}
		})
	}
}
