package main

import (
	"fmt"
	"io"
)

// runSchema is a placeholder until the schema subcommand lands.
func runSchema(args []string, stdout, stderr io.Writer) int {
	fmt.Fprintln(stderr, "pocketid-oidc schema: not implemented yet")
	return 1
}
