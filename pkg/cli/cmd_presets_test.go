package cli

import (
	"bytes"
	"strings"
	"testing"

	"github.com/endsys/pocketid-oidc/pkg/preset"
)

func TestRunPresets(t *testing.T) {
	tests := []struct {
		name       string
		args       []string
		wantCode   int
		wantOut    []string
		wantErr    string
		notOut     []string
		checkLines func(t *testing.T, out string)
	}{
		{
			name:    "list",
			wantOut: []string{"NAME", "DISPLAY NAME", "grafana", "Grafana", "/login/generic_oauth", "immich", "app.immich:///oauth-callback", "/user/oauth2/{provider-key}/callback"},
			checkLines: func(t *testing.T, out string) {
				lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
				if got, want := len(lines), 1+len(preset.Default().Names()); got != want {
					t.Errorf("%d lines, want header + %d presets", got, want-1)
				}
			},
		},
		{
			name:    "one preset",
			args:    []string{"paperless-ngx"},
			wantOut: []string{"docs:", "https://docs.paperless-ngx.com/", "{app}/accounts/oidc/{provider-key}/login/callback/", "PAPERLESS_SOCIALACCOUNT_PROVIDERS = secretKeyRef {secret}/PAPERLESS_SOCIALACCOUNT_PROVIDERS", "{{ .clientSecret | toJson }}"},
			notOut:  []string{"{{ .ClientSecret }}"},
		},
		{
			name:    "immich says it has no OAuth env vars",
			args:    []string{"immich"},
			wantOut: []string{"IMMICH_CONFIG_FILE = /config/immich-config.yaml", "Immich has no OAuth environment variables", "warnings:", "replaces ALL its system settings", "chart immich"},
		},
		{
			name:    "client-only shows the manual step",
			args:    []string{"gitea"},
			wantOut: []string{"gitea admin auth add-oauth", "{issuer}/.well-known/openid-configuration"},
		},
		{name: "unknown", args: []string{"nope"}, wantCode: 1, wantErr: `unknown preset "nope"; known: actual-budget,`},
		{name: "too many", args: []string{"a", "b"}, wantCode: 2, wantErr: "one preset name at most"},
		{name: "help", args: []string{"--help"}, wantOut: []string{"pocketid-oidc presets <name>"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			code := runPresets(tt.args, &out, &errb)
			if code != tt.wantCode {
				t.Fatalf("code %d, want %d; stderr %s", code, tt.wantCode, errb.String())
			}
			for _, w := range tt.wantOut {
				if !strings.Contains(out.String(), w) {
					t.Errorf("stdout lacks %q:\n%s", w, out.String())
				}
			}
			for _, w := range tt.notOut {
				if strings.Contains(out.String(), w) {
					t.Errorf("stdout has %q", w)
				}
			}
			if !strings.Contains(errb.String(), tt.wantErr) {
				t.Errorf("stderr %q lacks %q", errb.String(), tt.wantErr)
			}
			if tt.checkLines != nil {
				tt.checkLines(t, out.String())
			}
		})
	}
}
