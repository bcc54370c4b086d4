package build_test

import (
	"bytes"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/endsys/pocketid-oidc/pkg/build"
)

// recorder keeps each Write apart, to check that every line arrives in one piece.
type recorder struct{ writes []string }

func (r *recorder) Write(p []byte) (int, error) {
	r.writes = append(r.writes, string(bytes.Clone(p)))
	return len(p), nil
}

func TestLineWriter(t *testing.T) {
	var r recorder
	w := &build.LineWriter{W: &r, Prefix: "apps/x: "}
	for _, s := range []string{"error: a", "\nwarning: b\nerr", "or: c\n", "tail"} {
		if _, err := w.Write([]byte(s)); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	want := []string{"apps/x: error: a\n", "apps/x: warning: b\n", "apps/x: error: c\n", "apps/x: tail\n"}
	if d := cmp.Diff(want, r.writes); d != "" {
		t.Errorf("writes (-want +got):\n%s", d)
	}
}
