package discover_test

import (
	"fmt"
	"path/filepath"

	"github.com/endsys/pocketid-oidc/pkg/build/discover"
)

// The Flux example: three apps share the provider through a Component, which is no root itself.
func ExampleRoots() {
	roots, err := discover.Roots("../../../examples/flux")
	if err != nil {
		panic(err)
	}
	for _, r := range roots {
		rel, _ := filepath.Rel("../../../examples/flux", r)
		fmt.Println(filepath.ToSlash(rel))
	}
	// Output:
	// apps/documents/paperless-ngx
	// apps/media/immich
	// apps/observability/grafana
}
