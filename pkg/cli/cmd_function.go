package cli

import (
	"io"

	"github.com/endsys/pocketid-oidc/pkg/function"
)

// runFunction is the KRM function (no subcommand): the render pipeline lives in pkg/function.
func runFunction(stdin io.Reader, stdout, stderr io.Writer) int {
	if !function.Run(stdin, stdout, stderr) {
		return 1
	}
	return 0
}
