package preset_test

import (
	"strings"
	"testing"

	"github.com/endsys/pocketid-oidc/pkg/preset"
)

func TestParseChartPresets(t *testing.T) {
	const base = "name: x\ndisplayName: X\ndocs: https://x\ndiscovery: issuer\ncallbacks: [/cb]\nscopes: [openid]\n"
	const chart = "charts:\n  x:\n    values: {a: {list: [{name: '{{ .ProviderKey }}'}]}}\n    listKeys: {a.list: name}\n"
	tests := []struct{ name, body, want string }{
		{"chart delivery", "delivery: chart\nnotes: [manual step]\n" + chart, ""},
		{"chart delivery without charts", "delivery: chart\nnotes: [manual step]\n", "a chart preset needs charts and notes"},
		{"chart delivery without notes", "delivery: chart\n" + chart, "a chart preset needs charts and notes"},
		{"list key of no list", "delivery: env\ncharts:\n  x:\n    values: {a: {list: {name: n}}}\n    listKeys: {a.list: name}\n",
			"charts[x].listKeys[a.list]: values must hold a list there whose items all have the field \"name\""},
		{"list item without the key", "delivery: env\ncharts:\n  x:\n    values: {a: {list: [{id: n}]}}\n    listKeys: {a.list: name}\n",
			"charts[x].listKeys[a.list]"},
		{"env without an env path", "delivery: env\nenv: {A: b}\ncharts:\n  x:\n    values: {a: b}\n", "charts[x]: envPath is required"},
		{"no env, no env path", "delivery: env\ncharts:\n  x:\n    values: {a: b}\n", ""},
		{"secret key client-secret", "delivery: env\nsecretKeys: {client-secret: '{{ .ClientSecret }}'}\n", "secretKeys[0]"},
		{"secret key not a key", "delivery: env\nsecretKeys: {'a b': x}\n", "secretKeys[0]"},
		{"conflict", "delivery: env\ncharts:\n  x:\n    values: {a: b}\n    conflicts: {a.c: {reason: drop it, evidence: 'https://github.com/o/chart/blob/v1/t.yaml fails'}}\n", ""},
		{"conflict without evidence", "delivery: env\ncharts:\n  x:\n    values: {a: b}\n    conflicts: {a.c: {reason: drop it}}\n", "charts[x].conflicts[a.c]: a dot path, a reason and evidence (https URL) are required: empty reference"},
		{"conflict evidence in the app's repository", "delivery: env\ncharts:\n  x:\n    values: {a: b}\n    conflicts: {a.c: {reason: drop it, evidence: t.yaml}}\n", "give its https URL"},
		{"conflict without a reason", "delivery: env\ncharts:\n  x:\n    values: {a: b}\n    conflicts: {a.c: {evidence: 'https://x/t.yaml'}}\n", "charts[x].conflicts[a.c]"},
		{"conflict at an empty key", "delivery: env\ncharts:\n  x:\n    values: {a: b}\n    conflicts: {a.: {reason: r, evidence: 'https://x/t.yaml'}}\n", "charts[x].conflicts[a.]"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := preset.Parse([]byte(base + tc.body))
			switch {
			case tc.want == "" && err != nil:
				t.Fatalf("unexpected error: %v", err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Fatalf("error %v, want one containing %q", err, tc.want)
			}
		})
	}
}

// TestChartValuesAndSecretKeys: chart values and secretKeys render through the engine: the
// list items as templates, the secret only as ESO's whole-value reference, and shell words
// quoted by shquote whatever they hold.
func TestChartValuesAndSecretKeys(t *testing.T) {
	p, err := preset.Parse([]byte(`name: x
displayName: X
docs: https://x
delivery: chart
discovery: wellKnown
callbacks: [/cb]
scopes: [openid]
notes: [manual step]
secretKeys:
  id: "{{ .ClientID }}"
  secret: "{{ .ClientSecret }}"
  literal: 'a {{ "{{" }} b'
charts:
  x:
    listKeys: {auth: name}
    values:
      auth: [{name: "{{ .ProviderKey }}", url: "{{ .DiscoveryURL }}"}]
      script: "run {{ shquote .ProviderKey }}"
`))
	if err != nil {
		t.Fatal(err)
	}
	r, errs := p.Resolve(preset.Input{Issuer: "https://id", AppURL: "https://app", ClientID: "c1", ProviderKey: "it's", SecretName: "s"})
	if len(errs) > 0 {
		t.Fatal(errs.ToAggregate())
	}
	wantTemplates := map[string]string{"id": "c1", "secret": "{{ .clientSecret }}", "literal": `a {{ "{{" }} b`}
	for k, v := range wantTemplates {
		if got := r.Wiring.SecretTemplates[k]; got != v {
			t.Errorf("secret key %s: %q, want %q", k, got, v)
		}
	}
	cw := r.Wiring.Charts["x"]
	item := cw.Values["auth"].([]any)[0].(map[string]any)
	if item["name"] != "it's" || item["url"] != "https://id/.well-known/openid-configuration" || cw.ListKeys["auth"] != "name" {
		t.Errorf("chart wiring %+v", cw)
	}
	if got, want := cw.Values["script"], `run 'it'\''s'`; got != want {
		t.Errorf("script %q, want %q", got, want)
	}
	// The secret never goes into chart values (they are plain text in the HelmRelease).
	bad, err := preset.Parse([]byte(`name: x
displayName: X
docs: https://x
delivery: chart
discovery: wellKnown
callbacks: [/cb]
scopes: [openid]
notes: [manual step]
charts: {x: {values: {a: "{{ .ClientSecret }}"}}}
`))
	if err != nil {
		t.Fatal(err)
	}
	if _, errs := bad.Resolve(preset.Input{Issuer: "https://id", AppURL: "https://app", SecretName: "s"}); len(errs) == 0 ||
		!strings.Contains(errs.ToAggregate().Error(), "the client secret cannot go here") {
		t.Errorf("a chart value of the secret resolved: %v", errs)
	}
}
