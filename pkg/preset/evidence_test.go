package preset_test

import (
	"strings"
	"testing"

	"github.com/endsys/pocketid-oidc/pkg/preset"
)

// TestCatalogEvidence: every preset of the catalog is a proven fact (see EvidenceGaps).
func TestCatalogEvidence(t *testing.T) {
	c := preset.Default()
	for _, name := range c.Names() {
		p, _ := c.Get(name)
		for _, g := range p.EvidenceGaps() {
			t.Errorf("%s: %s", name, g)
		}
	}
}

const evidenced = `name: x
displayName: X
docs: https://x
delivery: env
discovery: issuer
callbacks: [/cb]
scopes: [openid]
env:
  A: "{{ .AppURL }}"
  B: "{{ .ClientSecret }}"
files:
  - key: f.yaml
    format: yaml
    mountPath: /f.yaml
    env: F
    data: {oauth: {url: "{{ .Issuer }}", scopes: [openid]}}
charts:
  c:
    envPath: env
    values: {c: {name: "{{ .SecretName }}"}}
evidence:
  repository: o/x
  version: v1.0.0
  keys:
    A: conf.go
    B: "conf.go#L3: the secret"
    F: main.go
    f.yaml:oauth.url: config.go
    f.yaml:oauth.scopes: config.go
    chart:c:c.name: https://github.com/o/chart/blob/v2/values.yaml
  callbacks:
    /cb: routes.go
publicURL:
  mode: setting
  keys: [A]
  evidence: conf.go
`

func TestEvidenceGaps(t *testing.T) {
	tests := []struct {
		name     string
		old, new string
		want     string
	}{
		{"complete", "", "", ""},
		{"key without evidence", "    A: conf.go\n", "", "evidence.keys[A]: the preset sets it"},
		{"file leaf without evidence", "    f.yaml:oauth.url: config.go\n", "", "evidence.keys[f.yaml:oauth.url]"},
		{"chart value without evidence", "    chart:c:c.name: https://github.com/o/chart/blob/v2/values.yaml\n", "", "evidence.keys[chart:c:c.name]"},
		{"evidence for an unset key", "    A: conf.go\n", "    A: conf.go\n    Z: conf.go\n", "evidence.keys[Z]: the preset does not set it"},
		{"callback without evidence", "    /cb: routes.go\n", "", "evidence.callbacks[/cb]"},
		{"stale callback evidence", "    /cb: routes.go\n", "    /cb: routes.go\n    /old: routes.go\n", "evidence.callbacks[/old]: not a callback"},
		{"minVersion without evidence", "scopes: [openid]\n", "scopes: [openid]\nminVersion: \"1.0\"\n", "evidence.minVersion: say why"},
		{"no version", "  version: v1.0.0\n", "", "evidence.version is required"},
		{"no publicURL", "publicURL:\n  mode: setting\n  keys: [A]\n  evidence: conf.go\n", "", "publicURL.mode is required"},
		{"publicURL key not set", "keys: [A]", "keys: [NOPE]", "publicURL.keys: NOPE is not set by the preset"},
		{"publicURL without keys", "  keys: [A]\n", "", "publicURL.keys: name the keys"},
		{"request-host without how", "mode: setting\n  keys: [A]\n", "mode: request-host\n", "say after the path how the redirect gets"},
		{"app-setting on an env preset", "mode: setting\n  keys: [A]\n  evidence: conf.go", "mode: app-setting\n  evidence: conf.go ROOT_URL", "app-setting is for client-only presets"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := evidenced
			if tt.old != "" {
				if !strings.Contains(body, tt.old) {
					t.Fatalf("fixture lacks %q", tt.old)
				}
				body = strings.Replace(body, tt.old, tt.new, 1)
			}
			p, err := preset.Parse([]byte(body))
			if err != nil {
				t.Fatal(err)
			}
			gaps := strings.Join(p.EvidenceGaps(), "\n")
			if tt.want == "" {
				if gaps != "" {
					t.Fatalf("gaps in a complete preset:\n%s", gaps)
				}
				return
			}
			if !strings.Contains(gaps, tt.want) {
				t.Fatalf("gaps = %q, want one containing %q", gaps, tt.want)
			}
		})
	}
}

func TestEvidenceShapeRejected(t *testing.T) {
	for name, tt := range map[string]struct{ old, new, want string }{
		"absolute path":  {"A: conf.go", "A: /etc/conf.go", "not a path inside the repository"},
		"escaping path":  {"A: conf.go", "A: ../conf.go", "not a path inside the repository"},
		"http URL":       {"A: conf.go", "A: http://x/conf.go", "only https URLs"},
		"bad repository": {"repository: o/x", "repository: x", "not owner/name"},
		"bad mode":       {"mode: setting", "mode: magic", "publicURL.mode"},
		"unknown field":  {"  version: v1.0.0\n", "  version: v1.0.0\n  file: x\n", "unknown field"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := preset.Parse([]byte(strings.Replace(evidenced, tt.old, tt.new, 1)))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want %q", err, tt.want)
			}
		})
	}
}

func TestReferenceURL(t *testing.T) {
	e := preset.Evidence{Repository: "o/x", Version: "v1.2.3"}
	for in, want := range map[string][2]string{
		"conf.go":                             {"https://github.com/o/x/blob/v1.2.3/conf.go", ""},
		"a/b.go#L10: reads it":                {"https://github.com/o/x/blob/v1.2.3/a/b.go#L10", "reads it"},
		"https://github.com/o/c/blob/v2/y.md": {"https://github.com/o/c/blob/v2/y.md", ""},
	} {
		r, err := preset.ParseReference(in)
		if err != nil {
			t.Fatalf("%s: %v", in, err)
		}
		if r.URL(e) != want[0] || r.Text != want[1] {
			t.Errorf("%s: %s %q, want %s %q", in, r.URL(e), r.Text, want[0], want[1])
		}
	}
}

func TestResolvedCarriesRequires(t *testing.T) {
	p, err := preset.Parse([]byte(evidenced + "requires:\n  emailsVerified: true\n"))
	if err != nil {
		t.Fatal(err)
	}
	r, errs := p.Resolve(catalogInput("x"))
	if len(errs) > 0 {
		t.Fatal(errs.ToAggregate())
	}
	if !r.Requires.EmailsVerified {
		t.Error("Resolved.Requires.EmailsVerified is false")
	}
}

// TestPublicURLKeysCarryTheAppURL: a setting or absolute publicURL key must really hand the
// app its public URL; a key that names the setting but holds something else (a path, the
// issuer) would pass the evidence check and still break the redirect.
func TestPublicURLKeysCarryTheAppURL(t *testing.T) {
	c := preset.Default()
	for _, name := range c.Names() {
		p, _ := c.Get(name)
		if p.PublicURL.Mode != preset.PublicURLSetting && p.PublicURL.Mode != preset.PublicURLAbsolute {
			continue
		}
		in := catalogInput(name)
		r, errs := p.Resolve(in)
		if len(errs) > 0 {
			t.Fatal(errs.ToAggregate())
		}
		vars := p.Vars(in)
		for _, key := range p.PublicURL.Keys {
			if strings.HasPrefix(key, "chart:") || strings.Contains(key, ":") {
				continue // chart values and file leaves are checked by their goldens
			}
			envName := key
			if strings.Contains(key, "{{") {
				envName = strings.ReplaceAll(key, "{{ .ProviderKey | upper }}", strings.ToUpper(vars.ProviderKey))
				envName = strings.ReplaceAll(envName, "{{ upper .ProviderKey }}", strings.ToUpper(vars.ProviderKey))
			}
			found := false
			for _, e := range r.Wiring.Env {
				if e.Name != envName {
					continue
				}
				found = true
				text := e.Value
				if e.SecretKeyRef != nil {
					text = r.Wiring.SecretTemplates[e.SecretKeyRef.Key]
				}
				if !strings.Contains(text, in.AppURL) {
					t.Errorf("%s: publicURL key %s does not carry the app URL: %q", name, key, text)
				}
			}
			if !found {
				t.Errorf("%s: publicURL key %s is not among the rendered env", name, key)
			}
		}
	}
}
