package fnspec_test

import (
	"fmt"

	"github.com/endsys/pocketid-oidc/pkg/build/fnspec"
)

func ExampleRewrite() {
	config := []byte(`apiVersion: oidc.endsys.cloud/v1alpha1
kind: PocketIDProvider
metadata:
  name: pocket-id
  annotations:
    config.kubernetes.io/function: |
      container:
        image: ghcr.io/endsys/pocketid-oidc:v0.1.0
`)
	out, changed := fnspec.Rewrite(config, fnspec.Exec{Path: "/usr/local/bin/pocketid-oidc"})
	fmt.Println(changed)
	fmt.Print(string(out))
	// Output:
	// true
	// apiVersion: oidc.endsys.cloud/v1alpha1
	// kind: PocketIDProvider
	// metadata:
	//   name: pocket-id
	//   annotations:
	//     config.kubernetes.io/function: |
	//       exec:
	//         path: /usr/local/bin/pocketid-oidc
}
