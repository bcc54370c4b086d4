package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/kptdev/krm-functions-sdk/go/fn"

	"github.com/endsys/pocketid-oidc/pkg/preset"
)

// runFunction is the KRM function: a ResourceList on stdin, the rendered ResourceList on stdout.
//
// Error and warning results are also printed on stderr, one line each, because kustomize drops
// a failing function's results and shows only its stderr. On error the items are written back
// exactly as they came in: nothing half-rendered can reach a commit.
func runFunction(stdin io.Reader, stdout, stderr io.Writer) int {
	in, err := io.ReadAll(stdin)
	if err != nil {
		fmt.Fprintf(stderr, "error: reading the ResourceList: %v\n", err)
		return 1
	}
	rl, err := fn.ParseResourceList(in)
	if err != nil {
		fmt.Fprintf(stderr, "error: %v\n", err)
		return 1
	}
	p := &processor{catalog: preset.Default()}
	_, _ = p.Process(rl)
	if err := writeResourceList(stdout, rl); err != nil {
		fmt.Fprintf(stderr, "error: writing the ResourceList: %v\n", err)
		return 1
	}
	failed := false
	for _, r := range rl.Results {
		switch r.Severity {
		case fn.Error:
			failed = true
			fmt.Fprintln(stderr, "error: "+resultLine(r))
		case fn.Warning:
			fmt.Fprintln(stderr, "warning: "+resultLine(r))
		}
	}
	if failed {
		return 1
	}
	return 0
}

// resultLine is one result as a human reads it:
// "OIDCIntegration media/immich: spec.client.callbackURLs[1]: Invalid value: ...".
func resultLine(r *fn.Result) string {
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
