package build_test

import (
	"bytes"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/endsys/pocketid-oidc/pkg/build"
	"github.com/endsys/pocketid-oidc/pkg/build/discover"
	"github.com/endsys/pocketid-oidc/pkg/build/fnspec"
)

// kustomizeBuild runs the pinned kustomize binary as users do.
func kustomizeBuild(t *testing.T, dir string) ([]byte, error) {
	t.Helper()
	cmd := exec.Command(kustomizeBin(t), "build", "--enable-alpha-plugins", "--enable-exec", dir)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Logf("kustomize build %s: %v\n%s", dir, err, stderr.String())
	}
	return out, err
}

// TestMatchesKustomizeOnExamples: every example kustomization renders byte for byte as the real
// kustomize renders it, and discovery finds exactly those (every example uses the function).
func TestMatchesKustomizeOnExamples(t *testing.T) {
	bin := functionBin(t)
	examples := filepath.Join(repoRoot(t), "examples")
	// The examples execute <repo>/bin/pocketid-oidc (a relative exec path); kustomize needs it.
	if _, err := os.Stat(filepath.Join(repoRoot(t), "bin", "pocketid-oidc")); err != nil {
		t.Fatalf("the examples execute bin/pocketid-oidc: %v (run `make build`)", err)
	}
	var want []string
	err := filepath.WalkDir(examples, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.Name() != "kustomization.yaml" {
			return err
		}
		if strings.Contains(read(t, p), "kind: Component") {
			return nil
		}
		want = append(want, filepath.Dir(p))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	roots, err := discover.Roots(examples)
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(want)
	if d := cmp.Diff(want, roots); d != "" {
		t.Errorf("roots under examples/ (-every kustomization +found):\n%s", d)
	}
	if len(roots) < 4 {
		t.Fatalf("only %d example kustomizations: %v", len(roots), roots)
	}
	for _, dir := range roots {
		rel, _ := filepath.Rel(repoRoot(t), dir)
		t.Run(filepath.ToSlash(rel), func(t *testing.T) {
			wantYAML, err := kustomizeBuild(t, dir)
			if err != nil {
				t.Fatal("kustomize build failed")
			}
			got := build.Build(dir, fnspec.Exec{Path: bin})
			if got.Err != nil {
				t.Fatal(got.Err)
			}
			if d := cmp.Diff(string(wantYAML), string(got.YAML)); d != "" {
				t.Errorf("render differs from kustomize build (-kustomize +render):\n%s", d)
			}
		})
	}
}

// TestMatchesKustomizeOnFixtures turns every function fixture (pkg/function/testdata: items and
// _fnconfig.yaml) into a kustomization whose transformer is the config, and builds it both ways.
// A fixture kustomize refuses must fail in render too.
func TestMatchesKustomizeOnFixtures(t *testing.T) {
	bin := functionBin(t)
	fixtures := filepath.Join(repoRoot(t), "pkg", "function", "testdata")
	entries, err := os.ReadDir(fixtures)
	if err != nil {
		t.Fatal(err)
	}
	built := 0
	for _, e := range entries {
		src := filepath.Join(fixtures, e.Name())
		if !e.IsDir() {
			continue
		}
		if _, err := os.Stat(filepath.Join(src, "_fnconfig.yaml")); err != nil {
			continue // no config: not a kustomize case
		}
		t.Run(e.Name(), func(t *testing.T) {
			dir := fixtureKustomization(t, src, bin)
			wantYAML, kerr := kustomizeBuild(t, dir)
			got := build.Build(dir, fnspec.Exec{Path: bin})
			switch {
			case kerr != nil && got.Err != nil:
				t.Logf("both fail; render says: %v", got.Err)
			case kerr != nil:
				t.Fatal("kustomize build failed, render did not")
			case got.Err != nil:
				t.Fatalf("render failed, kustomize did not: %v", got.Err)
			default:
				built++
				if d := cmp.Diff(string(wantYAML), string(got.YAML)); d != "" {
					t.Errorf("render differs from kustomize build (-kustomize +render):\n%s", d)
				}
			}
		})
	}
	if built < 10 {
		t.Errorf("only %d fixtures built with kustomize; the comparison proves too little", built)
	}
}

// fixtureKustomization copies a fixture into a new directory as a kustomization: the items (the
// files the golden test reads) as resources, _fnconfig.yaml as the transformer, executing bin.
func fixtureKustomization(t *testing.T, src, bin string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), filepath.Base(src))
	entries, err := os.ReadDir(src)
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{}
	var resources []string
	for _, e := range entries {
		n := e.Name()
		if e.IsDir() || strings.HasPrefix(n, "_") || !(strings.HasSuffix(n, ".yaml") || n == "Kptfile") {
			continue
		}
		files[n] = read(t, filepath.Join(src, n))
		resources = append(resources, n)
	}
	cfg, err := yaml.Parse(read(t, filepath.Join(src, "_fnconfig.yaml")))
	if err != nil {
		t.Fatal(err)
	}
	if err := cfg.PipeE(yaml.SetAnnotation("config.kubernetes.io/function", "exec:\n  path: "+bin+"\n")); err != nil {
		t.Fatal(err)
	}
	files["fnconfig.yaml"] = cfg.MustString()
	slices.Sort(resources)
	k := "resources:\n"
	for _, r := range resources {
		k += "- " + r + "\n"
	}
	files["kustomization.yaml"] = k + "transformers:\n- fnconfig.yaml\n"
	writeTree(t, dir, files)
	return dir
}
