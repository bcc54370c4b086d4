package function

import "io"

// runFunction is Run as the binary's exit code: 0 on success, 1 on failure.
func runFunction(stdin io.Reader, stdout, stderr io.Writer) int {
	if !Run(stdin, stdout, stderr) {
		return 1
	}
	return 0
}
