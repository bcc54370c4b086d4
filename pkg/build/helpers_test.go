package build_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/endsys/pocketid-oidc/internal/testenv"
)

func kustomizeBin(t testing.TB) string {
	return testenv.Tool(t, "KUSTOMIZE")
}

func functionBin(t testing.TB) string {
	return testenv.Tool(t, "POCKETID_OIDC_BIN")
}

// repoRoot is the module root.
func repoRoot(t testing.TB) string {
	t.Helper()
	return testenv.RepoRoot(t)
}

// writeTree writes files (slash paths) under root.
func writeTree(t testing.TB, root string, files map[string]string) {
	t.Helper()
	for p, c := range files {
		path := filepath.Join(root, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(c), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func read(t testing.TB, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
