package docs

import (
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"testing"
)

// toolInstall says, for each tool variable these tests read, how to set it by hand from the
// repository root (the Makefile's TOOLS_ENV sets them under `make test`).
var toolInstall = map[string]string{
	"KUSTOMIZE":         "export KUSTOMIZE=$(hack/tools.sh kustomize)",
	"KPT":               "export KPT=$(hack/tools.sh kpt)",
	"POCKETID_OIDC_BIN": "make build && export POCKETID_OIDC_BIN=$PWD/bin/pocketid-oidc",
}

// requireEnv returns a tool variable, or fails with the command that installs the tool: never a
// skip, so a run that tested nothing cannot look green.
func requireEnv(t testing.TB, name string) string {
	t.Helper()
	v := os.Getenv(name)
	if v == "" {
		t.Fatalf("%s is not set: run the tests through `make test`, or: %s", name, toolInstall[name])
	}
	if _, err := os.Stat(v); err != nil {
		t.Fatalf("%s=%s: %v (%s)", name, v, err, toolInstall[name])
	}
	return v
}

var repoRootOnce = sync.OnceValues(func() (string, error) {
	// go test runs a package's tests in the package directory: tests/docs.
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		return "", err
	}
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		return "", fmt.Errorf("repository root not found from the test directory: %w", err)
	}
	return root, nil
})

func repoRoot(t testing.TB) string {
	t.Helper()
	root, err := repoRootOnce()
	if err != nil {
		t.Fatal(err)
	}
	return root
}

// skipInCopy: what copyRepo leaves out: VCS data, build output and caches.
var skipInCopy = map[string]bool{".git": true, "bin": true, ".cache": true}

// copyRepo copies the repository's files into dst, keeping modes and modification times (so
// that make decides in the copy as it would in the repository), without skipInCopy.
func copyRepo(t testing.TB, dst string) {
	t.Helper()
	src := repoRoot(t)
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		if d.IsDir() && skipInCopy[rel] {
			return filepath.SkipDir
		}
		if d.Type()&fs.ModeSymlink != 0 || (!d.IsDir() && !d.Type().IsRegular()) {
			return nil
		}
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		return copyFile(p, filepath.Join(dst, rel))
	})
	if err != nil {
		t.Fatalf("copy the repository: %v", err)
	}
}

// copyFile copies one regular file with its mode and modification time.
func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	info, err := in.Stat()
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, info.Mode().Perm())
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	if err := out.Close(); err != nil {
		return err
	}
	return os.Chtimes(dst, info.ModTime(), info.ModTime())
}
