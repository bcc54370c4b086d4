package main

import (
	"fmt"
	"io"
)

// runPresets is a placeholder until the presets subcommand lands.
func runPresets(args []string, stdout, stderr io.Writer) int {
	fmt.Fprintln(stderr, "pocketid-oidc presets: not implemented yet")
	return 1
}
