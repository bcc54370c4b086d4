package docs

import (
	"bytes"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// kpt runs the real kpt (KPT, hack/tools.sh kpt) in dir.
func kpt(t *testing.T, dir string, args ...string) (string, error) {
	t.Helper()
	cmd := exec.Command(requireEnv(t, "KPT"), args...)
	cmd.Dir = dir
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	return out.String(), err
}

// kptRepo lays out what the kpt example needs, as in the repository: bin/pocketid-oidc (the
// binary under test) and examples/kpt.
func kptRepo(t *testing.T) string {
	t.Helper()
	repo := t.TempDir()
	if err := copyFile(requireEnv(t, "POCKETID_OIDC_BIN"), filepath.Join(repo, "bin", "pocketid-oidc")); err != nil {
		t.Fatal(err)
	}
	src := filepath.Join(repoRoot(t), "examples", "kpt")
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(repoRoot(t), p)
		return copyFile(p, filepath.Join(repo, rel))
	})
	if err != nil {
		t.Fatal(err)
	}
	return repo
}

// TestKptRenderedIsStable: the real kpt, rendering examples/kpt/rendered in place from the
// repository root, changes no byte of it (kpt users render on every edit). That package/
// renders to rendered/ is TestDocumentedCommands' (the README's own commands).
func TestKptRenderedIsStable(t *testing.T) {
	repo := kptRepo(t)
	if out, err := kpt(t, repo, "fn", "render", "examples/kpt/rendered", "--allow-exec"); err != nil {
		t.Fatalf("kpt fn render examples/kpt/rendered --allow-exec: %v\n%s", err, out)
	}
	want := readTree(t, filepath.Join(repoRoot(t), "examples", "kpt", "rendered"))
	got := readTree(t, filepath.Join(repo, "examples", "kpt", "rendered"))
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("kpt fn render changed examples/kpt/rendered (-committed +rendered):\n%s", d)
	}
}

// TestKptExecPathFromWorkingDirectory: what examples/kpt/README.md says of the exec path. kpt
// resolves it from the directory kpt runs in, not from the package: the Kptfile's
// ./bin/pocketid-oidc fails from examples/kpt with the error the README quotes.
func TestKptExecPathFromWorkingDirectory(t *testing.T) {
	repo := kptRepo(t)
	out, err := kpt(t, filepath.Join(repo, "examples", "kpt"), "fn", "render", "package", "--allow-exec")
	const want = "fork/exec ./bin/pocketid-oidc: no such file or directory"
	if err == nil || !strings.Contains(out, want) {
		t.Fatalf("kpt fn render package from examples/kpt: err=%v, want a failure with %q; output:\n%s", err, want, out)
	}
	readme, rerr := os.ReadFile(filepath.Join(repoRoot(t), "examples", "kpt", "README.md"))
	if rerr != nil {
		t.Fatal(rerr)
	}
	if !strings.Contains(string(readme), want) {
		t.Errorf("examples/kpt/README.md no longer quotes kpt's error %q", want)
	}
}

// TestKptWithoutAllowExec: the README's troubleshooting quotes what kpt says to an exec mutator
// without --allow-exec.
func TestKptWithoutAllowExec(t *testing.T) {
	repo := kptRepo(t)
	out, err := kpt(t, repo, "fn", "render", "examples/kpt/package")
	const want = "must run with `--allow-exec` option"
	if err == nil || !strings.Contains(out, want) {
		t.Fatalf("kpt fn render without --allow-exec: err=%v, want a failure with %q; output:\n%s", err, want, out)
	}
}

// readTree maps every file under dir (relative, slash-separated) to its content.
func readTree(t *testing.T, dir string) map[string]string {
	t.Helper()
	files := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		files[filepath.ToSlash(rel)] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}
