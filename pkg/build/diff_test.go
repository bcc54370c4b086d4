package build

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestUnifiedDiff(t *testing.T) {
	for _, tc := range []struct {
		name, from, to, want string
	}{
		{"missing file", "", "a: 1\n", "--- from\n+++ to\n@@ -0,0 +1 @@\n+a: 1\n"},
		{"changed line", "a: 1\nb: 2\n", "a: 1\nb: 3\n", "--- from\n+++ to\n@@ -1,2 +1,2 @@\n a: 1\n-b: 2\n+b: 3\n"},
		{"final newline lost", "a: 1\n", "a: 1", "--- from\n+++ to\n@@ -1 +1 @@\n-a: 1\n+a: 1\n\\ No newline at end of file\n"},
		{"equal", "a: 1\n", "a: 1\n", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := unifiedDiff([]byte(tc.from), []byte(tc.to), "from", "to")
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(tc.want, got); d != "" {
				t.Errorf("(-want +got):\n%s", d)
			}
		})
	}
}
