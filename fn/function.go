package main

import (
	"fmt"
	"io"
)

// runFunction is a placeholder until the KRM function lands.
func runFunction(stdin io.Reader, stdout, stderr io.Writer) int {
	fmt.Fprintln(stderr, "pocketid-oidc: function not implemented yet")
	return 1
}
