package provision

import (
	"strings"
	"testing"
)

// FuzzParseDocuments: the parser never panics, and whatever it accepts is valid.
func FuzzParseDocuments(f *testing.F) {
	for _, seed := range []string{
		immichYAML,
		"apiVersion: oidc.endsys.cloud/v1alpha1\nkind: OIDCClient\nspec: {id: a1, public: true}\n---\n",
		"apiVersion: oidc.endsys.cloud/v1alpha1\nkind: OIDCClient\nspec: {id: a1, state: absent}\n",
		"apiVersion: oidc.endsys.cloud/v1alpha1\nkind: OIDCClient\nspec: {id: a1, secret: {file: /s, rotationOverlap: 1h}}\n",
		"spec: {id: x, unknown: 1}\n",
		"---\n---\n",
		"a: &a [*a]\n",
		"{\"apiVersion\": \"oidc.endsys.cloud/v1alpha1\", \"kind\": \"OIDCClient\", \"spec\": {\"id\": \"a1\", \"public\": true}}",
		"apiVersion: oidc.endsys.cloud/v1alpha1\nkind: OIDCClient\nspec: {id: a1, public: true, callbackURLs: [1, 2]}\n",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		docs, err := ParseDocuments(data, "fuzz.yaml")
		if err != nil {
			if !strings.Contains(err.Error(), "fuzz.yaml") {
				t.Errorf("error does not name the source: %v", err)
			}
			return
		}
		for _, d := range docs {
			c := d.Client
			if errs := Validate(&c); len(errs) > 0 {
				t.Errorf("accepted an invalid document: %v", errs)
			}
		}
	})
}
