package testenv

import (
	"os"
	"path/filepath"
	"testing"
)

func TestRepoRoot(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(RepoRoot(t), "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	if want := "module github.com/endsys/pocketid-oidc\n"; string(b[:len(want)]) != want {
		t.Errorf("RepoRoot found another module: %q", b[:len(want)])
	}
}

func TestToolReturnsAnExistingPath(t *testing.T) {
	t.Setenv("KUSTOMIZE", os.Args[0]) // the test binary: a file that surely exists
	if got := Tool(t, "KUSTOMIZE"); got != os.Args[0] {
		t.Errorf("Tool = %q, want %q", got, os.Args[0])
	}
}
