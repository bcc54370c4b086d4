package preset_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/endsys/pocketid-oidc/pkg/preset"
)

// TestSuggest: an alias leads, a typo follows, nothing for a name far from every preset.
func TestSuggest(t *testing.T) {
	c := preset.Default()
	for name, want := range map[string][]string{
		"bitwarden":    {"vaultwarden"},
		"Bitwarden_RS": {"vaultwarden"},
		"immitch":      {"immich"},
		"paperless":    {"paperless-ngx"},
		"OpenWebUI":    {"open-webui"},
		"wordpress":    nil,
	} {
		if got := c.Suggest(name); !slices.Equal(got, want) {
			t.Errorf("Suggest(%q) = %q, want %q", name, got, want)
		}
	}
	_, err := c.Lookup("bitwarden")
	if err == nil || !strings.Contains(err.Error(), `spec.preset: Unsupported value: "bitwarden": did you mean vaultwarden? supported values: "actual-budget"`) {
		t.Errorf("Lookup(bitwarden) = %v", err)
	}
}

// TestAliasesAreNotPresets: an alias that is also a preset's name would suggest one app for
// another that exists.
func TestAliasesAreNotPresets(t *testing.T) {
	c := preset.Default()
	for _, n := range c.Names() {
		p, _ := c.Get(n)
		for _, a := range p.Aliases {
			if _, ok := c.Get(a); ok {
				t.Errorf("preset %s: alias %s is a preset", n, a)
			}
		}
	}
}
