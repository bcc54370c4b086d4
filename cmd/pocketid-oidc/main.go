// Command pocketid-oidc is the same binary as ../../fn under its real name, so that
// `go install github.com/endsys/pocketid-oidc/cmd/pocketid-oidc@version` installs
// `pocketid-oidc`. The command line lives in pkg/cli.
package main

import (
	"os"

	"github.com/endsys/pocketid-oidc/pkg/cli"
)

func main() {
	os.Exit(cli.Main())
}
