package cli

import (
	"context"
	"io"

	"github.com/endsys/pocketid-oidc/pkg/provision"
)

// runProvision is `pocketid-oidc provision`; the logic lives in pkg/provision so it is tested
// without the binary.
func runProvision(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	return provision.Main(ctx, args, provision.Env{Stdout: stdout, Stderr: stderr})
}
