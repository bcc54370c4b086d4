package cli

import (
	"fmt"
	"io"
	"os"

	"github.com/endsys/pocketid-oidc/pkg/function"
)

// runFunction is the KRM function (no subcommand): the render pipeline lives in pkg/function.
// Run by hand in a terminal it would wait for a ResourceList nobody types: it says what it is
// instead (kustomize and kpt always pipe one in).
func runFunction(stdin io.Reader, stdout, stderr io.Writer) int {
	if f, ok := stdin.(*os.File); ok && isCharDevice(f) {
		fmt.Fprintf(stderr, "pocketid-oidc: without a command it is a KRM function and reads a ResourceList on stdin, which kustomize and kpt pipe in; stdin is a terminal or another device, not a pipe\n\n%s", usage)
		return 2
	}
	if !function.Run(stdin, stdout, stderr) {
		return 1
	}
	return 0
}

// isCharDevice reports whether f is a terminal (or another character device such as
// /dev/null, where no ResourceList can come from either).
func isCharDevice(f *os.File) bool {
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
