package cli

import (
	"fmt"
	"io"
	"strings"

	"github.com/endsys/pocketid-oidc/config/crd"
	"github.com/endsys/pocketid-oidc/internal/suggest"
)

const schemaUsage = `Usage: pocketid-oidc schema [KIND]

Prints the CustomResourceDefinitions (OpenAPI v3 schemas) of PocketIDProvider, OIDCIntegration
and OIDCClient, generated from the Go types. With KIND (kind, plural or singular name, any case)
only that one. The output can be applied to a cluster or given to a schema validator
(kubeconform, an editor's YAML language server).
`

// runSchema prints the embedded CRDs; they are the committed files, byte for byte.
func runSchema(args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 && (args[0] == "-h" || args[0] == "--help" || args[0] == "help") {
		fmt.Fprint(stdout, schemaUsage)
		return 0
	}
	if len(args) > 1 {
		fmt.Fprintf(stderr, "pocketid-oidc schema: at most one KIND, got %d arguments\n\n%s", len(args), schemaUsage)
		return 2
	}
	all, err := crd.All()
	if err != nil {
		fmt.Fprintf(stderr, "pocketid-oidc schema: %v\n", err)
		return 1
	}
	if len(args) == 1 {
		c, ok, err := crd.Lookup(args[0])
		if err != nil {
			fmt.Fprintf(stderr, "pocketid-oidc schema: %v\n", err)
			return 1
		}
		if !ok {
			kinds := make([]string, len(all))
			for i, c := range all {
				kinds[i] = c.Kind
			}
			fmt.Fprintf(stderr, "pocketid-oidc schema: unknown kind %q%s; valid: %s\n", args[0], suggest.DidYouMean(args[0], kinds), strings.Join(kinds, ", "))
			return 2
		}
		all = []crd.CRD{c}
	}
	for i, c := range all {
		// controller-gen files start with "---"; a separator is only needed where one is missing.
		if i > 0 && !strings.HasPrefix(string(c.YAML), "---") {
			fmt.Fprintln(stdout, "---")
		}
		if _, err := stdout.Write(c.YAML); err != nil {
			fmt.Fprintf(stderr, "pocketid-oidc schema: %v\n", err)
			return 1
		}
	}
	return 0
}
