package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/endsys/pocketid-oidc/pkg/version"
)

const usage = `pocketid-oidc: one OIDCIntegration per app in, a working Pocket ID login out.

Usage:
  pocketid-oidc                 run as a KRM function (ResourceList on stdin, under kustomize or kpt)
  pocketid-oidc provision ...   make Pocket ID match OIDCClient documents (see --help)
  pocketid-oidc presets         list the app preset catalog
  pocketid-oidc render [DIR...] render every kustomization that uses the function (see --help)
  pocketid-oidc schema          print the CRDs of PocketIDProvider, OIDCIntegration and OIDCClient
  pocketid-oidc version         print the version
`

// Main runs the command line of this process (os.Args, the standard streams, a context that
// SIGINT and SIGTERM cancel) and returns its exit code: the whole main of fn/ and
// cmd/pocketid-oidc, the two packages that build this binary.
func Main() int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return Run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
}

// Run dispatches on the first argument; each subcommand lives in its own cmd_*.go file.
func Run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		return runFunction(stdin, stdout, stderr)
	}
	switch args[0] {
	case "provision":
		return runProvision(ctx, args[1:], stdout, stderr)
	case "presets":
		return runPresets(args[1:], stdout, stderr)
	case "schema":
		return runSchema(args[1:], stdout, stderr)
	case "render":
		return runRender(args[1:], stdin, stdout, stderr)
	case "version", "--version":
		fmt.Fprintln(stdout, version.Version)
		return 0
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return 0
	default:
		fmt.Fprintf(stderr, "pocketid-oidc: unknown command %q\n\n%s", args[0], usage)
		return 2
	}
}
