package execfs_test

import (
	"fmt"

	"sigs.k8s.io/kustomize/kyaml/filesys"

	"github.com/endsys/pocketid-oidc/pkg/build/execfs"
	"github.com/endsys/pocketid-oidc/pkg/build/fnspec"
)

// kustomize reads the provider through the wrapper and executes /usr/local/bin/pocketid-oidc,
// not the image the file names.
func ExampleNew() {
	disk := filesys.MakeFsInMemory()
	_ = disk.WriteFile("/repo/pocket-id.yaml", []byte(`apiVersion: oidc.endsys.cloud/v1alpha1
kind: PocketIDProvider
metadata:
  name: pocket-id
  annotations:
    config.kubernetes.io/function: |
      container: {image: "ghcr.io/endsys/pocketid-oidc:v0.1.0"}
`))
	b, _ := execfs.New(disk, fnspec.Exec{Path: "/usr/local/bin/pocketid-oidc"}).ReadFile("/repo/pocket-id.yaml")
	fmt.Print(string(b))
	// Output:
	// apiVersion: oidc.endsys.cloud/v1alpha1
	// kind: PocketIDProvider
	// metadata:
	//   name: pocket-id
	//   annotations:
	//     config.kubernetes.io/function: |
	//       exec:
	//         path: /usr/local/bin/pocketid-oidc
}
