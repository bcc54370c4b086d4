package execfs_test

import (
	"strings"
	"testing"

	"sigs.k8s.io/kustomize/kyaml/filesys"

	"github.com/endsys/pocketid-oidc/pkg/build/execfs"
	"github.com/endsys/pocketid-oidc/pkg/build/fnspec"
)

func TestReadFile(t *testing.T) {
	mem := filesys.MakeFsInMemory()
	files := map[string]string{
		"/repo/pocket-id.yaml": `apiVersion: oidc.endsys.cloud/v1alpha1
kind: PocketIDProvider
metadata:
  name: pocket-id
  annotations:
    config.kubernetes.io/function: |
      exec:
        path: ../../bin/pocketid-oidc
`,
		// Byte for byte, odd formatting included: kustomize parses what it reads itself.
		"/repo/helmrelease.yaml": "kind:    HelmRelease\nmetadata: {name: x}   # kept\n",
	}
	for p, c := range files {
		if err := mem.WriteFile(p, []byte(c)); err != nil {
			t.Fatal(err)
		}
	}
	fsys := execfs.New(mem, fnspec.Exec{Path: "/self"})

	got, err := fsys.ReadFile("/repo/pocket-id.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(got), "path: /self\n") || strings.Contains(string(got), "../../bin") {
		t.Errorf("our config not rewritten:\n%s", got)
	}
	got, err = fsys.ReadFile("/repo/helmrelease.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != files["/repo/helmrelease.yaml"] {
		t.Errorf("another file changed:\n%s", got)
	}
	if _, err := fsys.ReadFile("/repo/missing.yaml"); err == nil {
		t.Error("a missing file read without error")
	}
}
