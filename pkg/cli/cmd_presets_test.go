package cli

import (
	"bytes"
	"strings"
	"testing"

	"github.com/endsys/pocketid-oidc/pkg/preset"
)

// presetsCase is one `pocketid-oidc presets` command line and what its output must hold.
type presetsCase struct {
	name       string
	args       []string
	wantCode   int
	wantOut    []string
	wantErr    string
	notOut     []string
	checkLines func(t *testing.T, out string)
}

func TestRunPresets(t *testing.T) {
	tests := []presetsCase{
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
			name: "immich's chart values and the value the chart refuses next to them",
			args: []string{"immich"},
			wantOut: []string{"chart immich: the HelmRelease's spec.values get\n  immich:\n    configurationKind: Secret\n    existingConfiguration: '{secret}'\n  server:\n    controllers:\n" +
				"      main:\n        containers:\n          main:\n            env:\n              IMMICH_CONFIG_FILE: /config/immich-config.yaml\n",
				"  (a HelmRelease that sets immich.configuration is an error: Immich reads a single config file",
				"  with another chart the env and files above go into app-template values or a post-renderer patch\n"},
		},
		{
			name: "a chart preset shows the chart's values, the list merge and the manual step elsewhere",
			args: []string{"gitea"},
			wantOut: []string{"chart gitea: the HelmRelease's spec.values get\n  gitea:\n    oauth:\n    - autoDiscoverUrl: '{issuer}/.well-known/openid-configuration'\n" +
				"      existingSecret: '{secret}'\n      name: '{provider-key}'\n      provider: openidConnect\n      scopes: openid,email,profile\n" +
				"  (items of gitea.oauth join the HelmRelease's own, matched by name)\n  with another chart nothing is wired; the notes say the manual step\n",
				"gitea admin auth add-oauth", "{issuer}/.well-known/openid-configuration"},
			notOut: []string{"map[", "env at ,"},
		},
		{
			name: "list-form env of a chart, as the chart takes it",
			args: []string{"harbor"},
			wantOut: []string{"chart harbor: the HelmRelease's spec.values get\n  core:\n    extraEnvVars:\n    - name: CONFIG_OVERWRITE_JSON\n      valueFrom:\n        secretKeyRef:\n" +
				"          name: '{secret}'\n          key: CONFIG_OVERWRITE_JSON\n    - name: EXT_ENDPOINT\n      value: '{app}'\n"},
			notOut: []string{"map[", "{{ .ClientSecret }}"},
		},
		{
			name:    "a chart preset with env: the env goes elsewhere too",
			args:    []string{"nextcloud"},
			wantOut: []string{"    extraEnv:\n    - name: POCKETID_OIDC_CLIENT_SECRET\n", "with another chart the env and files above go into app-template values or a post-renderer patch; the notes say the manual step"},
		},
		{
			name:    "a length the app enforces",
			args:    []string{"outline"},
			wantOut: []string{"limit: OIDC_DISPLAY_NAME takes 2 to 50 characters; a value outside is an error"},
		},
		{name: "unknown", args: []string{"nope"}, wantCode: 1, wantErr: `unknown preset "nope"; known: actual-budget,`},
		{name: "known by another name", args: []string{"bitwarden"}, wantCode: 1, wantErr: `unknown preset "bitwarden" (did you mean vaultwarden?); known: actual-budget,`},
		{name: "too many", args: []string{"a", "b"}, wantCode: 2, wantErr: "one preset name at most"},
		{name: "help", args: []string{"--help"}, wantOut: []string{"pocketid-oidc presets <name>"}},
	}
	// Every preset describes itself: a chart route the renderer refuses would fail here.
	for _, name := range preset.Default().Names() {
		tests = append(tests, presetsCase{name: "catalog " + name, args: []string{name}, wantOut: []string{"name:", "callbacks:"}, notOut: []string{"map["}})
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
