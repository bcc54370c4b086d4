// Command pocketid-oidc is the KRM function (a ResourceList on stdin), the in-cluster
// provisioner (`pocketid-oidc provision`) and the repository renderer (`pocketid-oidc render`),
// one binary for all so one image serves every role. The command line lives in pkg/cli;
// cmd/pocketid-oidc is the same main under the binary's real name, for `go install`.
package main

import (
	"os"

	"github.com/endsys/pocketid-oidc/pkg/cli"
)

func main() {
	os.Exit(cli.Main())
}
