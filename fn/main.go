// Command pocketid-oidc is the KRM function (a ResourceList on stdin) and the in-cluster
// provisioner (`pocketid-oidc provision`), one binary for both so one image serves both roles.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
