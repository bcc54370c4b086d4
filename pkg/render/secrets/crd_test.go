package secrets

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"encoding/json"

	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	"k8s.io/kube-openapi/pkg/validation/spec"
	"k8s.io/kube-openapi/pkg/validation/strfmt"
	"k8s.io/kube-openapi/pkg/validation/validate"
	"sigs.k8s.io/kustomize/kyaml/yaml"
	sigsyaml "sigs.k8s.io/yaml"

	"github.com/endsys/pocketid-oidc/internal/testenv"
)

// crdDir is the directory of the pinned upstream CRDs `hack/tools.sh crds` installs; the
// Makefile exports it as UPSTREAM_CRDS. Unset, the schema checks fail with the command that
// installs it: a skipped check would hide a shape the real API server refuses.
func crdDir(t *testing.T) string {
	t.Helper()
	dir := testenv.Tool(t, "UPSTREAM_CRDS")
	if _, err := os.Stat(filepath.Join(dir, "external-secrets.io_externalsecrets.yaml")); err != nil {
		t.Fatalf("UPSTREAM_CRDS: %v (`hack/tools.sh crds` installs the CRDs)", err)
	}
	return dir
}

// schemaValidator validates objects of one served version of a CRD file against its schema.
func schemaValidator(t *testing.T, file, version string) func(*yaml.RNode) error {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(crdDir(t), file))
	if err != nil {
		t.Fatal(err)
	}
	var crd apiextensionsv1.CustomResourceDefinition
	if err := sigsyaml.Unmarshal(b, &crd); err != nil {
		t.Fatal(err)
	}
	for _, v := range crd.Spec.Versions {
		if v.Name != version {
			continue
		}
		// The CRD schema is plain OpenAPI v3 for what matters here (types, required, enum,
		// patterns); the x-kubernetes-* extensions are ignored by this validator.
		raw, err := json.Marshal(v.Schema.OpenAPIV3Schema)
		if err != nil {
			t.Fatal(err)
		}
		var schema spec.Schema
		if err := json.Unmarshal(raw, &schema); err != nil {
			t.Fatal(err)
		}
		sv := validate.NewSchemaValidator(&schema, nil, "", strfmt.Default)
		return func(rn *yaml.RNode) error {
			m, err := rn.Map()
			if err != nil {
				return err
			}
			if res := sv.Validate(m); !res.IsValid() {
				return fmt.Errorf("%v", res.Errors)
			}
			return nil
		}
	}
	t.Fatalf("%s serves no version %s", file, version)
	return nil
}

// TestSchemaValidatorRejects keeps the schema checks above honest: a bad enum value and a
// missing required field must fail.
func TestSchemaValidatorRejects(t *testing.T) {
	valid := schemaValidator(t, "external-secrets.io_pushsecrets.yaml", "v1alpha1")
	for name, doc := range map[string]string{
		"bad enum": `apiVersion: external-secrets.io/v1alpha1
kind: PushSecret
metadata: {name: x}
spec:
  updatePolicy: Sometimes
  secretStoreRefs: [{name: s}]
  selector: {secret: {name: x}}
`,
		"missing selector": `apiVersion: external-secrets.io/v1alpha1
kind: PushSecret
metadata: {name: x}
spec:
  secretStoreRefs: [{name: s}]
`,
	} {
		if err := valid(yaml.MustParse(doc)); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}
