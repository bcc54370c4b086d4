package build_test

import (
	"os"
	"path/filepath"
	"testing"
)

// tool returns the path a Makefile tool variable names. Missing, the test fails with the command
// that provides it: a test that proves byte identity with kustomize must not pass by skipping.
func tool(t testing.TB, env, install string) string {
	t.Helper()
	p := os.Getenv(env)
	if p == "" {
		t.Fatalf("%s is not set: run the tests with `make test`, or `%s`", env, install)
	}
	if _, err := os.Stat(p); err != nil {
		t.Fatalf("%s: %v (`%s`)", env, err, install)
	}
	return p
}

func kustomizeBin(t testing.TB) string {
	return tool(t, "KUSTOMIZE", "export KUSTOMIZE=$(hack/tools.sh kustomize)")
}

func functionBin(t testing.TB) string {
	return tool(t, "POCKETID_OIDC_BIN", "make build && export POCKETID_OIDC_BIN=$PWD/bin/pocketid-oidc")
}

// repoRoot is the module root; go test runs in pkg/build.
func repoRoot(t testing.TB) string {
	t.Helper()
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	return root
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
