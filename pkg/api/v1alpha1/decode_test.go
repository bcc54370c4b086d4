package v1alpha1

import (
	"strings"
	"testing"
)

func TestDecode(t *testing.T) {
	tests := []struct {
		name string
		doc  string
		want []string // errors, in order
	}{
		{name: "valid", doc: `
apiVersion: oidc.endsys.cloud/v1alpha1
kind: OIDCIntegration
metadata: {name: immich, namespace: media, annotations: {a.b/c: d}}
spec:
  url: https://immich.example.com
  env: {A.B: x}
  secret: {rotationOverlap: 1h30m}
`},
		{name: "unknown fields at every level", doc: `
metadata: {name: immich, labelz: {}}
spec:
  url: https://immich.example.com
  preset_name: immich
  client: {callbackURL: https://immich.example.com/cb}
`, want: []string{
			"metadata.labelz: Forbidden: unknown field",
			"spec.client.callbackURL: Forbidden: unknown field",
			"spec.preset_name: Forbidden: unknown field",
		}},
		{name: "duplicate field", doc: `{"spec": {"url": "https://a.example.com", "url": "https://b.example.com"}}`,
			want: []string{"spec.url: Forbidden: duplicate field"}},
		{name: "wrong type", doc: `{"spec": {"client": {"allowedGroups": "family"}}}`,
			want: []string{"spec.client.allowedGroups: Invalid value"}},
		{name: "string where a list goes", doc: "spec: {client: {allowedGroups: family}}",
			want: []string{"spec.client.allowedGroups: Invalid value: must be a list of strings, not a string"}},
		{name: "number as client id", doc: "spec: {client: {id: 12345}}",
			want: []string{"spec.client.id: Invalid value: must be a string, not a number (quote it)"}},
		{name: "env value as a map", doc: "spec: {env: {A: x, PORT: {valueFrom: {secretKeyRef: {name: s, key: k}}}}}",
			want: []string{"spec.env[PORT]: Invalid value: must be a string, not a map"}},
		{name: "number in a list of strings", doc: "spec: {client: {allowedGroups: [family, 2]}}",
			want: []string{"spec.client.allowedGroups[1]: Invalid value: must be a string, not a number (quote it)"}},
		{name: "list where the spec goes", doc: "spec: []",
			want: []string{"spec: Invalid value: must be a map of fields, not a list"}},
		{name: "bad duration", doc: `{"spec": {"secret": {"rotationOverlap": "a day"}}}`,
			want: []string{`spec.secret.rotationOverlap: Invalid value: time: invalid duration "a day"`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var in OIDCIntegration
			data := []byte(tc.doc)
			if !strings.HasPrefix(tc.doc, "{") {
				data = toJSON(t, tc.doc)
			}
			errs := Decode(data, &in)
			if len(errs) != len(tc.want) {
				t.Fatalf("got %v, want %d errors", errs, len(tc.want))
			}
			for i, e := range errs {
				if !strings.Contains(e.Error(), tc.want[i]) {
					t.Errorf("error %d = %q, want it to contain %q", i, e.Error(), tc.want[i])
				}
			}
		})
	}
}
