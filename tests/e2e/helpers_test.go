package e2e

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"sigs.k8s.io/kustomize/kyaml/kio"
	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/endsys/pocketid-oidc/internal/testenv"
)

// updateGolden rewrites committed expected output instead of comparing with it: UPDATE_GOLDEN=1,
// the one switch of every golden file in the repository (docs/development.md).
var updateGolden = os.Getenv("UPDATE_GOLDEN") == "1"

// requireEnv and repoRoot are internal/testenv's, named as this package's tests call them.
func requireEnv(t testing.TB, name string) string {
	t.Helper()
	return testenv.Tool(t, name)
}

func repoRoot(t testing.TB) string {
	t.Helper()
	return testenv.RepoRoot(t)
}

// upstreamCRDs is the directory of the upstream CRDs (Flux, External Secrets, Gateway API, Envoy
// Gateway) that `hack/tools.sh crds` downloads, pinned, from the Go module proxy.
func upstreamCRDs(t testing.TB) string {
	t.Helper()
	dir := requireEnv(t, "UPSTREAM_CRDS")
	files, err := filepath.Glob(filepath.Join(dir, "*.yaml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("UPSTREAM_CRDS=%s holds no CRD (%v); `hack/tools.sh crds` installs them", dir, err)
	}
	return dir
}

// functionBinary is the function binary the examples execute. Their exec paths are relative
// (../../bin/pocketid-oidc), so kustomize runs <repo>/bin/pocketid-oidc whatever
// POCKETID_OIDC_BIN says; both must exist, and a different POCKETID_OIDC_BIN is reported because
// the examples would then test another binary than the one the caller built.
func functionBinary(t testing.TB) string {
	t.Helper()
	bin := requireEnv(t, "POCKETID_OIDC_BIN")
	if _, err := os.Stat(bin); err != nil {
		t.Fatalf("POCKETID_OIDC_BIN: %v (make test builds it)", err)
	}
	inRepo := filepath.Join(repoRoot(t), "bin", "pocketid-oidc")
	a, errA := os.Stat(bin)
	b, errB := os.Stat(inRepo)
	if errB != nil {
		t.Fatalf("the examples execute %s: %v (run `make build`)", inRepo, errB)
	}
	if errA == nil && !os.SameFile(a, b) {
		t.Logf("note: POCKETID_OIDC_BIN=%s is not %s, which the examples execute", bin, inRepo)
	}
	return bin
}

// example is one directory under examples/ with a kustomization.yaml and its rendered.yaml.
type example struct {
	Dir      string // absolute
	Rel      string // slash path relative to the repository root, e.g. examples/quickstart
	Rendered string // absolute path of rendered.yaml
}

func renderedExamples(t testing.TB) []example {
	t.Helper()
	root := repoRoot(t)
	var out []example
	err := filepath.WalkDir(filepath.Join(root, "examples"), func(path string, d fs.DirEntry, err error) error {
		if err != nil || !d.IsDir() {
			return err
		}
		if !exists(filepath.Join(path, "kustomization.yaml")) || !exists(filepath.Join(path, "rendered.yaml")) {
			return nil
		}
		rel, err := filepath.Rel(root, path)
		if err != nil {
			return err
		}
		out = append(out, example{Dir: path, Rel: filepath.ToSlash(rel), Rendered: filepath.Join(path, "rendered.yaml")})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// An empty list would let every test over examples pass vacuously.
	if len(out) == 0 {
		t.Fatal("no example (kustomization.yaml + rendered.yaml) found under examples/")
	}
	return out
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// parseDocs reads a multi-document YAML stream into nodes, without reader annotations so that
// the nodes compare equal to what produced them.
func parseDocs(t testing.TB, name string, data []byte) []*yaml.RNode {
	t.Helper()
	nodes, err := (&kio.ByteReader{Reader: bytes.NewReader(data), OmitReaderAnnotations: true}).Read()
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return nodes
}

func readDocs(t testing.TB, path string) []*yaml.RNode {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return parseDocs(t, path, data)
}

// objectKey names an object the way a reader of a failure message recognises it.
func objectKey(n *yaml.RNode) string {
	ns := n.GetNamespace()
	if ns != "" {
		ns += "/"
	}
	return fmt.Sprintf("%s %s %s%s", n.GetApiVersion(), n.GetKind(), ns, n.GetName())
}

// diffText is a line diff of two texts for failure messages: - lines are want's, + lines got's.
func diffText(want, got, wantName, gotName string) string {
	return "-" + wantName + " +" + gotName + ":\n" + cmp.Diff(want, got)
}

// run runs a command and returns stdout; a failure reports stderr, which is where kustomize and
// the function put their error text.
func run(t testing.TB, dir string, stdin []byte, name string, args ...string) []byte {
	t.Helper()
	out, stderr, err := runE(dir, stdin, name, args...)
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", filepath.Base(name), strings.Join(args, " "), err, stderr)
	}
	return out
}

func runE(dir string, stdin []byte, name string, args ...string) (stdout, stderr []byte, err error) {
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	if stdin != nil {
		cmd.Stdin = bytes.NewReader(stdin)
	}
	var o, e bytes.Buffer
	cmd.Stdout, cmd.Stderr = &o, &e
	err = cmd.Run()
	return o.Bytes(), e.Bytes(), err
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
