package build_test

import (
	"fmt"
	"os"

	"github.com/endsys/pocketid-oidc/pkg/build"
)

// The function process of a build prints through a LineWriter, so its lines name the directory.
func ExampleLineWriter() {
	w := &build.LineWriter{W: os.Stdout, Prefix: "apps/media/immich: "}
	fmt.Fprintln(w, "error: OIDCIntegration media/immich: spec.url: Required value")
	fmt.Fprint(w, "warning: no newline yet")
	w.Flush()
	// Output:
	// apps/media/immich: error: OIDCIntegration media/immich: spec.url: Required value
	// apps/media/immich: warning: no newline yet
}
