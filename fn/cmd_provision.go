package main

import (
	"context"
	"fmt"
	"io"
)

// runProvision is a placeholder until the provision subcommand lands.
func runProvision(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fmt.Fprintln(stderr, "pocketid-oidc provision: not implemented yet")
	return 1
}
