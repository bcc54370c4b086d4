package function

import (
	"bytes"
	"strings"
	"testing"
)

// FuzzRun: no input makes the function panic; a failing run says why on stderr, one
// "error: " line per problem.
func FuzzRun(f *testing.F) {
	for _, seed := range []string{
		"- a: [", "hello", "- a\n- b\n", "\x00\xff", "", "kind: ResourceList\nitems: [1, a]\n",
		"kind: ResourceList\nfunctionConfig: foo\n", "a: 1\n---\nb: 2\n",
		"kind: ResourceList\nitems:\n- {apiVersion: oidc.endsys.cloud/v1alpha1, kind: OIDCIntegration, metadata: {name: a}, spec: {url: 5, client: {id: [x]}}}\n",
		"kind: ResourceList\nitems:\n- {apiVersion: oidc.endsys.cloud/v1alpha1, kind: OIDCIntegraton, metadata: {name: a}}\n",
		rlHead + testProvider + "items:\n- {apiVersion: oidc.endsys.cloud/v1alpha1, kind: OIDCIntegration, metadata: {name: a, namespace: b}, spec: {url: https://a.example.com, env: {A: x}, helmRelease: {strategy: none}}}\n",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		var stdout, stderr bytes.Buffer
		if Run(bytes.NewReader(in), &stdout, &stderr) {
			return
		}
		for _, l := range strings.Split(strings.TrimSpace(stderr.String()), "\n") {
			if !strings.HasPrefix(l, "error: ") && !strings.HasPrefix(l, "warning: ") {
				t.Errorf("stderr line %q for input %q", l, in)
			}
		}
	})
}
