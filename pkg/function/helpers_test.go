package function

import (
	"io"
	"testing"

	"github.com/kptdev/krm-functions-sdk/go/fn"

	"github.com/endsys/pocketid-oidc/pkg/preset"
)

// runFunction is Run as the binary's exit code: 0 on success, 1 on failure.
func runFunction(stdin io.Reader, stdout, stderr io.Writer) int {
	if !Run(stdin, stdout, stderr) {
		return 1
	}
	return 0
}

// newRendering is the state of a run over rl (a ResourceList as YAML) before any stage.
func newRendering(t *testing.T, rl string) *rendering {
	t.Helper()
	l, err := fn.ParseResourceList([]byte(rl))
	if err != nil {
		t.Fatal(err)
	}
	return &rendering{catalog: preset.Default(), rl: l}
}

// resolved runs the stages up to and including resolve.
func resolved(t *testing.T, rl string) *rendering {
	t.Helper()
	r := newRendering(t, rl)
	r.readConfig()
	r.indexItems()
	for _, in := range r.integrations {
		r.resolve(in)
	}
	return r
}

// resultLines are the results as stderr shows them.
func resultLines(results fn.Results) []string {
	var out []string
	for _, r := range results {
		out = append(out, string(r.Severity)+": "+ResultLine(r))
	}
	return out
}

// testProvider is a complete PocketIDProvider functionConfig, as a ResourceList's tail.
const testProvider = `functionConfig:
  apiVersion: oidc.endsys.cloud/v1alpha1
  kind: PocketIDProvider
  metadata: {name: pocket-id}
  spec:
    issuer: https://auth.example.com
    secretStoreRef: {name: bitwarden}
    apiKey: {remoteKey: pocket-id-api-key}
`

const rlHead = "apiVersion: config.kubernetes.io/v1\nkind: ResourceList\n"
