package docs

import (
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/endsys/pocketid-oidc/internal/testenv"
)

// requireEnv and repoRoot are internal/testenv's, named as this package's tests call them.
func requireEnv(t testing.TB, name string) string {
	t.Helper()
	return testenv.Tool(t, name)
}

func repoRoot(t testing.TB) string {
	t.Helper()
	return testenv.RepoRoot(t)
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
