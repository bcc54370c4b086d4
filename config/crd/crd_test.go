package crd

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"sigs.k8s.io/yaml"

	"github.com/endsys/pocketid-oidc/internal/testenv"
)

// TestCommittedCRDsAreFresh regenerates the CRDs from pkg/api with the pinned controller-gen and
// compares them with the committed files, so a change to the Go types without `make schema`
// fails CI instead of shipping a schema that disagrees with the function.
func TestCommittedCRDsAreFresh(t *testing.T) {
	cg := testenv.Tool(t, "CONTROLLER_GEN")
	out := t.TempDir()
	cmd := exec.Command(cg, "crd", "paths=./pkg/api/...", "output:crd:artifacts:config="+out)
	cmd.Dir = filepath.Join("..", "..") // the module root, where the Makefile runs it too
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("controller-gen: %v\n%s", err, b)
	}
	fresh := readDir(t, out)
	committed := readDir(t, Dir)
	for name, want := range fresh {
		got, ok := committed[name]
		switch {
		case !ok:
			t.Errorf("%s/%s is missing: run make schema", Dir, name)
		case !bytes.Equal(got, want):
			t.Errorf("%s/%s is stale: run make schema\n%s", Dir, name, firstDiff(got, want))
		}
	}
	for name := range committed {
		if _, ok := fresh[name]; !ok {
			t.Errorf("%s/%s is no longer generated: run make schema (it deletes stale files)", Dir, name)
		}
	}
}

func readDir(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	m := map[string][]byte{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		m[filepath.Base(f)] = b
	}
	return m
}

// firstDiff shows the first differing line, enough to see which field changed.
func firstDiff(got, want []byte) string {
	g, w := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
	for i := 0; i < max(len(g), len(w)); i++ {
		var gl, wl string
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if gl != wl {
			return "line " + strconv.Itoa(i+1) + ":\n  committed: " + gl + "\n  generated: " + wl
		}
	}
	return "(only trailing bytes differ)"
}

func TestAllDefinesOurThreeKinds(t *testing.T) {
	all, err := All()
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, c := range all {
		kinds = append(kinds, c.Kind)
		var doc struct {
			Spec struct {
				Group    string `json:"group"`
				Scope    string `json:"scope"`
				Versions []struct {
					Name   string         `json:"name"`
					Schema map[string]any `json:"schema"`
				} `json:"versions"`
			} `json:"spec"`
		}
		if err := yaml.Unmarshal(c.YAML, &doc); err != nil {
			t.Fatalf("%s: %v", c.File, err)
		}
		if doc.Spec.Group != "oidc.endsys.cloud" || doc.Spec.Scope != "Namespaced" ||
			len(doc.Spec.Versions) != 1 || doc.Spec.Versions[0].Name != "v1alpha1" ||
			doc.Spec.Versions[0].Schema["openAPIV3Schema"] == nil {
			t.Errorf("%s: want one namespaced v1alpha1 version of oidc.endsys.cloud with an openAPIV3Schema, got %+v", c.File, doc.Spec)
		}
	}
	slices.Sort(kinds)
	if want := []string{"OIDCClient", "OIDCIntegration", "PocketIDProvider"}; !slices.Equal(kinds, want) {
		t.Errorf("kinds %v, want %v", kinds, want)
	}
}

func TestLookup(t *testing.T) {
	for name, want := range map[string]string{
		"OIDCIntegration":  "OIDCIntegration",
		"oidcintegration":  "OIDCIntegration",
		"oidcintegrations": "OIDCIntegration",
		"PocketIDProvider": "PocketIDProvider",
		"pocketidprovider": "PocketIDProvider",
		"OIDCClient":       "OIDCClient",
		"oidcclients":      "OIDCClient",
		"Deployment":       "",
		"":                 "",
	} {
		c, ok, err := Lookup(name)
		if err != nil {
			t.Fatal(err)
		}
		if ok != (want != "") || c.Kind != want {
			t.Errorf("Lookup(%q) = %q, %v; want %q", name, c.Kind, ok, want)
		}
	}
}
