package e2e

import (
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// workflowFiles are the GitHub Actions workflows of the repository: ours (.github/workflows)
// and the ones the examples ship for users to copy (examples/flux/.github/workflows). Found by
// walking the tree, so a new workflow is checked without touching this test.
func workflowFiles(t testing.TB) []string {
	t.Helper()
	root := repoRoot(t)
	var out []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == ".git" || d.Name() == "bin" || d.Name() == ".cache" || d.Name() == "testdata") {
			return filepath.SkipDir
		}
		if d.IsDir() || filepath.Base(filepath.Dir(p)) != "workflows" || filepath.Base(filepath.Dir(filepath.Dir(p))) != ".github" {
			return nil
		}
		if strings.HasSuffix(p, ".yaml") || strings.HasSuffix(p, ".yml") {
			out = append(out, p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestWorkflowsPassActionlint runs the pinned actionlint over every workflow: expression and
// context errors, unknown action inputs, shell quoting mistakes (with shellcheck, when it is on
// PATH) are caught here instead of on the first tag pushed.
func TestWorkflowsPassActionlint(t *testing.T) {
	actionlint := requireEnv(t, "ACTIONLINT")
	files := workflowFiles(t)
	var rels []string
	for _, f := range files {
		rel, _ := filepath.Rel(repoRoot(t), f)
		rels = append(rels, filepath.ToSlash(rel))
	}
	// Our CI and release workflows and the Flux example's must all be there.
	for _, want := range []string{".github/workflows/ci.yaml", ".github/workflows/release.yaml", "examples/flux/.github/workflows/render-oidc.yaml"} {
		if !slices.Contains(rels, want) {
			t.Errorf("workflow %s not found (found %v)", want, rels)
		}
	}
	out, stderr, err := runE(repoRoot(t), nil, actionlint, append([]string{"-no-color"}, rels...)...)
	if err != nil {
		t.Errorf("actionlint %s: %v\n%s%s", strings.Join(rels, " "), err, out, stderr)
	}
}

// TestActionlintCatchesBadWorkflow keeps the check above honest: an undefined context and an
// unknown runner label must fail.
func TestActionlintCatchesBadWorkflow(t *testing.T) {
	actionlint := requireEnv(t, "ACTIONLINT")
	dir := t.TempDir()
	wf := filepath.Join(dir, ".github", "workflows", "bad.yaml")
	if err := os.MkdirAll(filepath.Dir(wf), 0o755); err != nil {
		t.Fatal(err)
	}
	bad := `on: push
jobs:
  x:
    runs-on: ubuntu-latest
    steps:
      - run: echo "${{ github.nosuchfield.x }}"
      - uses: actions/checkout@v4
        with:
          not-an-input: true
`
	if err := os.WriteFile(wf, []byte(bad), 0o644); err != nil {
		t.Fatal(err)
	}
	out, _, err := runE(dir, nil, actionlint, "-no-color", ".github/workflows/bad.yaml")
	if err == nil {
		t.Fatalf("actionlint accepted a broken workflow:\n%s", out)
	}
	for _, want := range []string{"nosuchfield", "not-an-input"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("actionlint output does not mention %q:\n%s", want, out)
		}
	}
}
