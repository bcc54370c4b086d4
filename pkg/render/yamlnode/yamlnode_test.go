package yamlnode

import (
	"testing"
)

func TestObject(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   map[string]any
		want string
	}{
		{
			name: "head first, keys sorted, literal block for multi-line text",
			in: map[string]any{
				"data":       map[string]any{"b.yaml": "x: 1\ny: 2\n", "a": "plain"},
				"metadata":   map[string]any{"name": "cm"},
				"kind":       "ConfigMap",
				"apiVersion": "v1",
				"immutable":  true,
			},
			want: `apiVersion: v1
kind: ConfigMap
metadata:
  name: cm
data:
  a: plain
  b.yaml: |
    x: 1
    y: 2
immutable: true
`,
		},
		{
			name: "JSON numbers are integers, nil is null, strings that look like other types stay strings",
			in: map[string]any{
				"spec": map[string]any{"mode": float64(288), "count": 3, "none": nil, "text": "true", "list": []any{"a", float64(1)}},
			},
			want: `spec:
  count: 3
  list:
  - a
  - 1
  mode: 288
  none: null
  text: "true"
`,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Object(tc.in).String()
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Errorf("got\n%s\nwant\n%s", got, tc.want)
			}
		})
	}
}

func TestFromPanicsOnUnknownType(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("no panic for an unsupported type")
		}
	}()
	From(struct{}{})
}
