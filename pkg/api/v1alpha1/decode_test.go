package v1alpha1

import (
	"strings"
	"testing"

	"k8s.io/apimachinery/pkg/util/validation/field"
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

// TestDecodeReportsEverything: every unknown field and every value of the wrong type of one
// document at once, and what fits is decoded for the checks that follow.
func TestDecodeReportsEverything(t *testing.T) {
	doc := `
metadata: {name: immich, namespace: media, labels: {a: 1}}
spec:
  url: https://immich.example.com
  prest: immich
  client:
    public: "yes"
    pkce: 1
    id: 12345
    allowedGroups: [family, [admins], 3]
    callbackURL: https://immich.example.com/cb
  provider: {jobTTLSecondsAfterFinished: 1.5}
  secret: {rotationOverlap: 5, name: immich-oidc}
  env: {A: x, B: {valueFrom: {}}}
`
	var in OIDCIntegration
	errs := Decode(toJSON(t, doc), &in)
	want := []string{
		"metadata.labels[a]: Invalid value: must be a string, not a number (quote it)",
		"spec.client.allowedGroups[1]: Invalid value: must be a string, not a list",
		"spec.client.allowedGroups[2]: Invalid value: must be a string, not a number (quote it)",
		"spec.client.callbackURL: Forbidden: unknown field (did you mean callbackURLs?)",
		"spec.client.id: Invalid value: must be a string, not a number (quote it)",
		"spec.client.pkce: Invalid value: must be true or false, not a number",
		"spec.client.public: Invalid value: must be true or false, not a string",
		"spec.env[B]: Invalid value: must be a string, not a map",
		"spec.prest: Forbidden: unknown field (did you mean preset?)",
		"spec.provider.jobTTLSecondsAfterFinished: Invalid value: must be a whole number, not a fraction",
		"spec.secret.rotationOverlap: Invalid value: must be a duration like 24h or 90m, not a number",
	}
	var got []string
	for _, e := range errs {
		got = append(got, e.Error())
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("errors:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// What fits is decoded.
	if in.Name != "immich" || in.Spec.URL != "https://immich.example.com" || in.Spec.Secret.Name != "immich-oidc" ||
		in.Spec.Env["A"] != "x" || len(in.Spec.Client.AllowedGroups) != 3 || in.Spec.Client.AllowedGroups[0] != "family" {
		t.Errorf("decoded %+v", in)
	}
}

// TestDecodeIntRange: a number too large for the field says the range.
func TestDecodeIntRange(t *testing.T) {
	var p PocketIDProvider
	errs := Decode([]byte(`{"spec": {"jobTTLSecondsAfterFinished": 4294967296}}`), &p)
	if len(errs) != 1 || errs[0].Error() != "spec.jobTTLSecondsAfterFinished: Invalid value: must be a whole number from -2147483648 to 2147483647" {
		t.Errorf("got %v", errs)
	}
}

// TestCoveredBy: a misfit value is decoded as absent; errors about it being absent are dropped.
func TestCoveredBy(t *testing.T) {
	decoded := field.ErrorList{field.TypeInvalid(field.NewPath("spec", "url"), field.OmitValueType{}, "must be a string"),
		field.Forbidden(field.NewPath("spec", "client"), "unknown field")}
	errs := field.ErrorList{
		field.Required(field.NewPath("spec", "url"), ""),
		field.Required(field.NewPath("spec", "urls"), ""),
		field.Invalid(field.NewPath("spec", "client", "id"), "x", ""),
	}
	got := CoveredBy(errs, decoded)
	if len(got) != 2 || got[0].Field != "spec.urls" || got[1].Field != "spec.client.id" {
		t.Errorf("got %v", got)
	}
	if got := CoveredBy(errs, field.ErrorList{field.Invalid(nil, field.OmitValueType{}, "unexpected end of JSON input")}); len(got) != 0 {
		t.Errorf("a document that did not decode: got %v", got)
	}
}

// FuzzDecode: no document makes Decode panic, and every error it reports has a message.
func FuzzDecode(f *testing.F) {
	for _, seed := range []string{
		`{"spec": {"client": {"public": "yes", "allowedGroups": [1, [2], {"a": 3}]}, "env": {"A": null}}}`,
		`{"metadata": {"creationTimestamp": 5, "managedFields": [{"fieldsV1": 3}]}, "spec": 1e400}`,
		`{"spec": {"provider": {"jobTTLSecondsAfterFinished": 1e30}, "secret": {"rotationOverlap": {}}}}`,
		`[]`, `null`, `"x"`, `{"spec": {"url": "a", "url": 5}}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var in OIDCIntegration
		for _, e := range Decode(data, &in) {
			if e.ErrorBody() == "" {
				t.Errorf("empty error for %q", data)
			}
		}
	})
}
