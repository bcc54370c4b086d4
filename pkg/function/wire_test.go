package function

import (
	"strings"
	"testing"

	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// TestKindChanges: the entries whose form changes between a single value, a map and a list,
// which kustomize cannot take from a function.
func TestKindChanges(t *testing.T) {
	for _, tc := range []struct{ before, after, want string }{
		{before: "a: {b: 1}", after: "a: {b: 2}"},
		{before: "a: {b: 1}", after: "a: {b: [1]}", want: "a.b"},
		{before: "a: [x]", after: "a: {x: 1}", want: "a"},
		{before: "a: {b: {c: x}}", after: "a: {b: {c: {d: 1}}}", want: "a.b.c"},
		{before: "a: null", after: "a: {b: 1}"},
		{before: "a: [{b: 1}]", after: "a: [{b: [1]}]"}, // lists are not entered
		{before: "a: 1", after: "b: {c: 1}"},            // a new entry is no change of form
	} {
		before, after := yaml.MustParse(tc.before), yaml.MustParse(tc.after)
		got := strings.Join(kindChanges(before.YNode(), after.YNode(), nil), ",")
		if got != tc.want {
			t.Errorf("%s -> %s: %q, want %q", tc.before, tc.after, got, tc.want)
		}
	}
}
