package e2e

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"sigs.k8s.io/kustomize/kyaml/kio"
	"sigs.k8s.io/kustomize/kyaml/kio/kioutil"
	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// kptRender does what `kpt fn render --allow-exec` does with a one-mutator pipeline, as far as
// the function can tell: every package file (the Kptfile and the config file included) becomes
// an item carrying its path and index, the config file is also the functionConfig, and the
// output items are written back to files by their path annotation. It runs the function
// in-process over many packages quickly; tests/docs runs the real kpt (hack/tools.sh kpt, its
// fn commands at v1.0.0-beta.61) on the documented example.
//
// It writes into an empty dst, so objects the function drops disappear, as in kpt.
func kptRender(t testing.TB, bin, src, dst string) {
	t.Helper()
	items, err := kio.LocalPackageReader{
		PackagePath:       src,
		PackageFileName:   "Kptfile",
		MatchFilesGlob:    append([]string{"Kptfile"}, kio.DefaultMatch...),
		PreserveSeqIndent: true,
		WrapBareSeqNode:   true,
	}.Read()
	if err != nil {
		t.Fatalf("read package %s: %v", src, err)
	}
	configPath := kptMutatorConfig(t, items)
	var fnConfig *yaml.RNode
	for _, n := range items {
		if p, _, _ := kioutil.GetFileAnnotations(n); p == configPath {
			fnConfig = n.Copy()
		}
	}
	if fnConfig == nil {
		t.Fatalf("%s: the Kptfile's configPath %s is not a package file", src, configPath)
	}
	// kpt reads the config file on its own for the functionConfig: no reader annotations there.
	// The other three are the legacy names kyaml's reader still writes.
	for _, a := range []string{kioutil.PathAnnotation, kioutil.IndexAnnotation, kioutil.IdAnnotation,
		"config.kubernetes.io/path", "config.kubernetes.io/index", "config.k8s.io/id"} {
		_ = fnConfig.PipeE(yaml.ClearAnnotation(a))
	}

	out := runFunction(t, bin, items, fnConfig)

	// kpt writes an object without a path to <kind>_<name>.yaml; the function must choose.
	var missing []string
	for _, n := range out {
		if p, _, _ := kioutil.GetFileAnnotations(n); p == "" {
			missing = append(missing, objectKey(n))
		}
	}
	if len(missing) > 0 {
		t.Fatalf("output objects without %s:\n  %s", kioutil.PathAnnotation, strings.Join(missing, "\n  "))
	}
	if err := (kio.LocalPackageWriter{PackagePath: dst}).Write(out); err != nil {
		t.Fatalf("write package: %v", err)
	}
}

// kptMutatorConfig checks the Kptfile declares our function as its one mutator and returns the
// mutator's configPath.
func kptMutatorConfig(t testing.TB, items []*yaml.RNode) string {
	t.Helper()
	for _, n := range items {
		if n.GetApiVersion() != "kpt.dev/v1" || n.GetKind() != "Kptfile" {
			continue
		}
		mutators, err := n.Pipe(yaml.Lookup("pipeline", "mutators"))
		if err != nil || mutators == nil {
			t.Fatalf("Kptfile has no pipeline.mutators (%v)", err)
		}
		elems, _ := mutators.Elements()
		if len(elems) != 1 {
			t.Fatalf("Kptfile: want exactly one mutator, got %d", len(elems))
		}
		exec, _ := elems[0].GetString("exec")
		if !strings.HasSuffix(exec, "/bin/pocketid-oidc") {
			t.Fatalf("Kptfile mutator exec = %q, want a path to bin/pocketid-oidc", exec)
		}
		cfg, _ := elems[0].GetString("configPath")
		if cfg == "" {
			t.Fatal("Kptfile mutator has no configPath")
		}
		return cfg
	}
	t.Fatal("package has no kpt.dev/v1 Kptfile")
	return ""
}

// TestKptRender: the pristine package renders exactly to the committed rendered package, and
// rendering a rendered package changes nothing (kpt users run `kpt fn render` on every edit).
func TestKptRender(t *testing.T) {
	bin := functionBinary(t)
	root := repoRoot(t)
	src := filepath.Join(root, "examples", "kpt", "package")
	want := filepath.Join(root, "examples", "kpt", "rendered")
	if !exists(filepath.Join(src, "Kptfile")) {
		t.Fatalf("%s/Kptfile missing", src)
	}

	first := t.TempDir()
	kptRender(t, bin, src, first)
	if updateGolden {
		if err := os.RemoveAll(want); err != nil {
			t.Fatal(err)
		}
		copyTree(t, first, want)
		t.Log("rewrote examples/kpt/rendered")
	}
	compareTrees(t, want, first, "examples/kpt/rendered is stale (UPDATE_GOLDEN=1 rewrites it)")

	second := t.TempDir()
	kptRender(t, bin, first, second)
	compareTrees(t, first, second, "a second render changed the package")

	// The committed package is what users have after a render: rendering it must be a no-op too.
	third := t.TempDir()
	kptRender(t, bin, want, third)
	compareTrees(t, want, third, "rendering examples/kpt/rendered changed it")

	// Integrations are the package's source under kpt: they must survive the render untouched.
	for _, n := range readYAMLTree(t, src) {
		if n.GetKind() != "OIDCIntegration" {
			continue
		}
		if n.GetAnnotations()["config.kubernetes.io/local-config"] != "true" {
			t.Errorf("examples/kpt/package: %s should be annotated config.kubernetes.io/local-config: \"true\"", objectKey(n))
		}
	}
}

func treeFiles(t testing.TB, dir string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		data, err := os.ReadFile(p)
		files[filepath.ToSlash(rel)] = data
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func compareTrees(t testing.TB, wantDir, gotDir, msg string) {
	t.Helper()
	want, got := treeFiles(t, wantDir), treeFiles(t, gotDir)
	for _, name := range sortedKeys(want) {
		g, ok := got[name]
		if !ok {
			t.Errorf("%s: %s is missing", msg, name)
			continue
		}
		if !bytes.Equal(want[name], g) {
			t.Errorf("%s: %s differs:\n%s", msg, name, diffText(string(want[name]), string(g), "want/"+name, "got/"+name))
		}
	}
	for _, name := range sortedKeys(got) {
		if _, ok := want[name]; !ok {
			t.Errorf("%s: unexpected file %s:\n%s", msg, name, got[name])
		}
	}
}

func copyTree(t testing.TB, src, dst string) {
	t.Helper()
	for name, data := range treeFiles(t, src) {
		p := filepath.Join(dst, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
