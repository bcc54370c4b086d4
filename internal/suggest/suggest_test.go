package suggest

import (
	"slices"
	"testing"
)

func TestSimilar(t *testing.T) {
	kinds := []string{"OIDCClient", "OIDCIntegration", "PocketIDProvider"}
	presets := []string{"immich", "open-webui", "paperless-ngx", "vaultwarden", "vikunja", "gitea", "forgejo"}
	tests := []struct {
		name       string
		candidates []string
		want       []string
	}{
		{"OIDCIntegraton", kinds, []string{"OIDCIntegration"}},
		{"OidcIntegration", kinds, []string{"OIDCIntegration"}},
		{"PocketIdProvider", kinds, []string{"PocketIDProvider"}},
		{"OIDCIntegrations", kinds, []string{"OIDCIntegration"}},
		{"Integration", kinds, nil},
		{"immitch", presets, []string{"immich"}},
		{"openwebui", presets, []string{"open-webui"}},
		{"Open_WebUI", presets, []string{"open-webui"}},
		{"paperless", presets, []string{"paperless-ngx"}},
		{"gitee", presets, []string{"gitea"}},
		{"bitwarden", presets, nil}, // four edits away: an alias's job, not the distance's
		{"x", presets, nil},
		{"", presets, nil},
		{"immich", presets, nil}, // the exact name is not a suggestion
	}
	for _, tc := range tests {
		if got := Similar(tc.name, tc.candidates); !slices.Equal(got, tc.want) {
			t.Errorf("Similar(%q) = %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestDidYouMean(t *testing.T) {
	if got := DidYouMean("gitae", []string{"gitea", "gita", "forgejo"}); got != " (did you mean gitea or gita?)" {
		t.Errorf("got %q", got)
	}
	if got := DidYouMean("zzz", []string{"gitea"}); got != "" {
		t.Errorf("got %q", got)
	}
}
