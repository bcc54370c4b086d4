package function

import (
	"fmt"
	"io"
	"strings"

	"github.com/kptdev/krm-functions-sdk/go/fn"
)

// Run is the KRM function: a ResourceList read from stdin, the rendered ResourceList written to
// stdout. It reports whether the render succeeded.
//
// Error and warning results are also printed on stderr, one line each, because kustomize drops
// a failing function's results and shows only its stderr. On error the items are written back
// exactly as they came in: nothing half-rendered can reach a commit.
func Run(stdin io.Reader, stdout, stderr io.Writer) bool {
	in, err := io.ReadAll(stdin)
	if err != nil {
		fmt.Fprintf(stderr, "error: reading the ResourceList: %v\n", err)
		return false
	}
	rl, err := parseInput(in)
	if err != nil {
		fmt.Fprintf(stderr, "error: %v\n", err)
		return false
	}
	_, _ = Process(rl)
	if err := WriteResourceList(stdout, rl); err != nil {
		fmt.Fprintf(stderr, "error: writing the ResourceList: %v\n", err)
		return false
	}
	return PrintResults(stderr, rl.Results)
}

// PrintResults writes the error and warning results to w, one line each, and reports whether
// there was no error.
func PrintResults(w io.Writer, results fn.Results) bool {
	ok := true
	for _, r := range results {
		switch r.Severity {
		case fn.Error:
			ok = false
			fmt.Fprintln(w, "error: "+ResultLine(r))
		case fn.Warning:
			fmt.Fprintln(w, "warning: "+ResultLine(r))
		}
	}
	return ok
}

// ResultLine is one result as a human reads it:
// "OIDCIntegration media/immich: spec.client.callbackURLs[1]: Invalid value: ...".
func ResultLine(r *fn.Result) string {
	s := ""
	if ref := r.ResourceRef; ref != nil {
		s = ref.Kind + " "
		if ref.Namespace != "" {
			s += ref.Namespace + "/"
		}
		s += ref.Name + ": "
	}
	if r.Field != nil && r.Field.Path != "" {
		s += r.Field.Path + ": "
	}
	// One result, one line: yaml and json errors span several.
	return s + strings.Join(strings.Fields(r.Message), " ")
}
