package e2e

import (
	"bytes"
	"os"
	"testing"
)

// kustomizeBuild runs the real kustomize the way users render: plugins and exec functions on.
func kustomizeBuild(t testing.TB, kustomize, root, dir string, extra ...string) []byte {
	t.Helper()
	args := append([]string{"build"}, extra...)
	return run(t, root, nil, kustomize, append(args, dir)...)
}

var execFlags = []string{"--enable-alpha-plugins", "--enable-exec"}

// TestKustomizeBuildMatchesRendered keeps every committed rendered.yaml equal to what the real
// kustomize binary and the current function produce: a stale example fails here.
func TestKustomizeBuildMatchesRendered(t *testing.T) {
	kustomize := requireEnv(t, "KUSTOMIZE")
	functionBinary(t)
	root := repoRoot(t)
	for _, ex := range renderedExamples(t) {
		t.Run(ex.Rel, func(t *testing.T) {
			got := kustomizeBuild(t, kustomize, root, ex.Rel, execFlags...)
			// Output that differs between two runs cannot be committed (every render would be a diff).
			if again := kustomizeBuild(t, kustomize, root, ex.Rel, execFlags...); !bytes.Equal(got, again) {
				t.Fatalf("two builds of %s differ (non-deterministic output):\n%s", ex.Rel,
					diffText(string(got), string(again), "first build", "second build"))
			}
			if updateGolden {
				if err := os.WriteFile(ex.Rendered, got, 0o644); err != nil {
					t.Fatal(err)
				}
				t.Logf("rewrote %s/rendered.yaml", ex.Rel)
				return
			}
			want, err := os.ReadFile(ex.Rendered)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(want, got) {
				t.Errorf("%s/rendered.yaml is stale; rerun with UPDATE_GOLDEN=1 and review the diff:\n%s", ex.Rel,
					diffText(string(want), string(got), ex.Rel+"/rendered.yaml", "kustomize build"))
			}
		})
	}
}

// TestKustomizeWithoutExecSkipsFunction documents a trap: without --enable-exec, kustomize skips
// an exec function silently (exit 0) and prints the unrendered input. If this ever starts
// failing, kustomize changed the behaviour and the README's warning can go.
func TestKustomizeWithoutExecSkipsFunction(t *testing.T) {
	kustomize := requireEnv(t, "KUSTOMIZE")
	functionBinary(t)
	root := repoRoot(t)
	for _, ex := range renderedExamples(t) {
		t.Run(ex.Rel, func(t *testing.T) {
			plain, stderr, err := runE(root, nil, kustomize, "build", "--enable-alpha-plugins", ex.Rel)
			if err != nil {
				t.Fatalf("kustomize build without --enable-exec failed (it used to skip the function): %v\n%s", err, stderr)
			}
			rendered, err := os.ReadFile(ex.Rendered)
			if err != nil {
				t.Fatal(err)
			}
			if bytes.Equal(plain, rendered) {
				t.Fatalf("without --enable-exec the output of %s equals rendered.yaml: the function did not run in either, "+
					"or the example renders nothing", ex.Rel)
			}
			// Nothing the function emits may appear: the build silently produced input only.
			if bytes.Contains(plain, []byte("app.kubernetes.io/managed-by: pocketid-oidc")) {
				t.Errorf("without --enable-exec the output of %s holds objects the function emits; did kustomize run it?", ex.Rel)
			}
		})
	}
}
