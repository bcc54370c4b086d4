package testenv

import (
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
)

// install says, for each tool variable of the Makefile's TOOLS_ENV, how to set it by hand from
// the repository root.
var install = map[string]string{
	"KUSTOMIZE":          "export KUSTOMIZE=$(hack/tools.sh kustomize)",
	"KPT":                "export KPT=$(hack/tools.sh kpt)",
	"KUBEBUILDER_ASSETS": "export KUBEBUILDER_ASSETS=$(hack/tools.sh kubebuilder-assets)",
	"UPSTREAM_CRDS":      "export UPSTREAM_CRDS=$(hack/tools.sh crds)",
	"ACTIONLINT":         "export ACTIONLINT=$(hack/tools.sh actionlint)",
	"CONTROLLER_GEN":     "export CONTROLLER_GEN=$(hack/tools.sh controller-gen)",
	"POCKETID_OIDC_BIN":  "make build && export POCKETID_OIDC_BIN=$PWD/bin/pocketid-oidc",
}

// Tool returns the path a tool variable names, after checking it exists. Unset or missing, the
// test fails with the command that installs the tool.
func Tool(t testing.TB, name string) string {
	t.Helper()
	how, ok := install[name]
	if !ok {
		how = "see the Makefile's TOOLS_ENV"
	}
	p := os.Getenv(name)
	if p == "" {
		t.Fatalf("%s is not set: run the tests through `make test`, which installs the tools and sets it, or: %s", name, how)
	}
	if _, err := os.Stat(p); err != nil {
		t.Fatalf("%s=%s: %v (%s)", name, p, err, how)
	}
	return p
}

var rootOnce = sync.OnceValues(func() (string, error) {
	// go test runs a package's tests in the package directory: walk up to the module root.
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return d, nil
		}
		if filepath.Dir(d) == d {
			return "", fmt.Errorf("no go.mod above %s", dir)
		}
	}
})

// RepoRoot is the repository's root directory (the one holding go.mod).
func RepoRoot(t testing.TB) string {
	t.Helper()
	root, err := rootOnce()
	if err != nil {
		t.Fatal(err)
	}
	return root
}
