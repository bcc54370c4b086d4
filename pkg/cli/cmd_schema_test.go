package cli

import (
	"bytes"
	"strings"
	"testing"

	"github.com/endsys/pocketid-oidc/config/crd"
)

func TestSchemaPrintsEveryCRD(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := runSchema(nil, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	all, err := crd.All()
	if err != nil {
		t.Fatal(err)
	}
	// Each file is printed byte for byte, so a user's `schema > crds.yaml` equals the repo's files.
	var want bytes.Buffer
	for _, c := range all {
		want.Write(c.YAML)
	}
	if stdout.String() != want.String() {
		t.Errorf("output is not the concatenation of the committed CRDs:\n%s", stdout.String())
	}
	if n := strings.Count(stdout.String(), "kind: CustomResourceDefinition\n"); n != 3 {
		t.Errorf("%d CRDs printed, want 3", n)
	}
}

func TestSchemaOneKind(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := runSchema([]string{"oidcintegration"}, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	out := stdout.String()
	if !strings.Contains(out, "kind: OIDCIntegration\n") || strings.Contains(out, "kind: OIDCClient\n") ||
		strings.Count(out, "kind: CustomResourceDefinition\n") != 1 {
		t.Errorf("want exactly the OIDCIntegration CRD, got:\n%s", out)
	}
}

func TestSchemaUnknownKindListsValidOnes(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := runSchema([]string{"Deployment"}, &stdout, &stderr); code != 2 {
		t.Fatalf("exit %d, want 2", code)
	}
	if stdout.Len() != 0 {
		t.Errorf("printed to stdout on error: %s", stdout.String())
	}
	for _, k := range []string{"Deployment", "PocketIDProvider", "OIDCIntegration", "OIDCClient"} {
		if !strings.Contains(stderr.String(), k) {
			t.Errorf("stderr does not mention %s: %s", k, stderr.String())
		}
	}
	if code := runSchema([]string{"a", "b"}, &stdout, &stderr); code != 2 {
		t.Errorf("two arguments: exit %d, want 2", code)
	}
}

func TestSchemaUnknownKindSuggests(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := runSchema([]string{"OIDCIntegraton"}, &stdout, &stderr); code != 2 ||
		!strings.Contains(stderr.String(), `unknown kind "OIDCIntegraton" (did you mean OIDCIntegration?); valid: `) {
		t.Errorf("exit %d, stderr %s", code, stderr.String())
	}
}
