package e2e

import (
	"io/fs"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/fluxcd/pkg/sourceignore"
)

// fluxArtifact lists the files Flux's source-controller would put into the artifact of a
// GitRepository rooted at dir: its default exclusions (.git/, .github/, ...) plus every
// .sourceignore in the tree, matched on absolute paths with the checkout as the domain, the way
// the controller does it.
func fluxArtifact(t testing.TB, dir string) []string {
	t.Helper()
	domain := strings.Split(dir, string(filepath.Separator))
	patterns, err := sourceignore.LoadIgnorePatterns(dir, domain)
	if err != nil {
		t.Fatal(err)
	}
	matcher := sourceignore.NewDefaultMatcher(patterns, domain)
	var files []string
	err = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		if matcher.Match(strings.Split(p, string(filepath.Separator)), false) {
			return nil
		}
		rel, err := filepath.Rel(dir, p)
		files = append(files, filepath.ToSlash(rel))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// TestFluxArtifactHoldsOnlyRenderedOutput: what Flux applies from an app directory is exactly
// its rendered.yaml. Anything else there would reach kustomize-controller unrendered (and the
// rendered objects twice).
func TestFluxArtifactHoldsOnlyRenderedOutput(t *testing.T) {
	root := repoRoot(t)
	dir := filepath.Join(root, filepath.FromSlash(fluxRoot))
	artifact := fluxArtifact(t, dir)
	deployed := fluxVariables(t) // keyed by the directories Flux Kustomizations deploy
	if len(deployed) == 0 {
		t.Fatal("no Flux Kustomization found")
	}
	for rel := range deployed {
		sub := strings.TrimPrefix(rel, fluxRoot+"/")
		var got []string
		for _, f := range artifact {
			if strings.HasPrefix(f, sub+"/") {
				got = append(got, f)
			}
		}
		if want := []string{path.Join(sub, "rendered.yaml")}; !slices.Equal(got, want) {
			t.Errorf("Flux would apply %v from %s, want only %v", got, rel, want)
		}
	}
	// The cluster configuration itself must stay in the artifact.
	for _, f := range []string{"flux/apps.yaml", "flux/cluster-settings.yaml"} {
		if !slices.Contains(artifact, f) {
			t.Errorf("%s/%s is excluded from Flux's artifact", fluxRoot, f)
		}
	}
	for _, f := range artifact {
		if strings.HasPrefix(f, ".github/") || strings.HasPrefix(f, "components/") {
			t.Errorf("%s/%s should not be in Flux's artifact", fluxRoot, f)
		}
	}
}
