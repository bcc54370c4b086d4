package preset_test

import (
	"strings"
	"testing"

	"github.com/endsys/pocketid-oidc/pkg/preset"
)

func TestParseLimits(t *testing.T) {
	const base = "name: x\ndisplayName: X\ndocs: https://x\ndiscovery: issuer\ncallbacks: [/cb]\nscopes: [openid]\ndelivery: env\nenv: {NAME: '{{ .ButtonText }}'}\n"
	tests := []struct{ name, body, want string }{
		{"range", "limits: {NAME: {minLength: 2, maxLength: 50, evidence: env.ts MaxLength}}\n", ""},
		{"maximum only", "limits: {NAME: {maxLength: 50, evidence: env.ts}}\n", ""},
		{"no env var of the preset", "limits: {OTHER: {maxLength: 50, evidence: env.ts}}\n", "limits[OTHER]: not an env var of the preset"},
		{"no bound", "limits: {NAME: {evidence: env.ts}}\n", "limits[NAME]: minLength 0 and maxLength 0 are no range"},
		{"min over max", "limits: {NAME: {minLength: 5, maxLength: 4, evidence: env.ts}}\n", "limits[NAME]: minLength 5 and maxLength 4 are no range"},
		{"negative", "limits: {NAME: {maxLength: -1, evidence: env.ts}}\n", "are no range"},
		{"no evidence", "limits: {NAME: {maxLength: 50}}\n", "limits[NAME].evidence: empty reference"},
		{"unknown field", "limits: {NAME: {max: 50, evidence: env.ts}}\n", `unknown field "max"`},
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

// TestLimits: Outline's OIDC_DISPLAY_NAME (2 to 50 characters, or Outline does not start) is
// checked on the resolved value, at the field it came from.
func TestLimits(t *testing.T) {
	outline, ok := preset.Default().Get("outline")
	if !ok {
		t.Fatal("no outline preset")
	}
	base := preset.Input{Issuer: "https://auth.example.com", AppURL: "https://docs.example.com", ClientID: "outline", SecretName: "outline-oidc"}
	const detail = "makes OIDC_DISPLAY_NAME %d characters long, and Outline accepts 2 to 50 characters there (https://github.com/outline/outline/blob/v1.9.2/plugins/oidc/server/env.ts @MaxLength(50)"
	tests := []struct {
		name       string
		buttonText string
		env        map[string]string
		wantField  string
		wantDetail string
	}{
		{name: "the default button text", buttonText: ""},
		{name: "50 characters", buttonText: strings.Repeat("a", 50)},
		{name: "50 characters of 2 bytes each count 50", buttonText: strings.Repeat("é", 50)},
		{name: "2 characters", buttonText: "ID"},
		{name: "51 characters", buttonText: strings.Repeat("a", 51), wantField: "spec.login.buttonText", wantDetail: strings.Replace(detail, "%d", "51", 1)},
		{name: "1 character", buttonText: "X", wantField: "spec.login.buttonText", wantDetail: strings.Replace(detail, "%d", "1", 1)},
		{name: "a Flux placeholder is measured after substitution, by the app", buttonText: "Log in with ${ORGANIZATION_LONG_NAME_THAT_IS_LONGER_THAN_FIFTY}"},
		{
			name: "spec.env replaces the preset's value: the error is there", buttonText: "ID",
			env:       map[string]string{"OIDC_DISPLAY_NAME": strings.Repeat("b", 60)},
			wantField: "spec.env[OIDC_DISPLAY_NAME]", wantDetail: strings.Replace(detail, "%d", "60", 1),
		},
		{
			name: "spec.env fixes a long button text for Outline", buttonText: strings.Repeat("a", 60),
			env: map[string]string{"OIDC_DISPLAY_NAME": "Pocket ID"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := base
			in.ButtonText, in.Env = tc.buttonText, tc.env
			r, errs := outline.Resolve(in)
			if tc.wantField == "" {
				if len(errs) > 0 {
					t.Fatalf("unexpected errors: %v", errs.ToAggregate())
				}
				if r == nil {
					t.Fatal("no result")
				}
				return
			}
			if len(errs) != 1 || errs[0].Field != tc.wantField || !strings.Contains(errs[0].Detail, tc.wantDetail) {
				t.Fatalf("errors %v, want one at %s containing %q", errs.ToAggregate(), tc.wantField, tc.wantDetail)
			}
			for _, v := range []string{tc.buttonText, tc.env["OIDC_DISPLAY_NAME"]} {
				if len(v) > 5 && strings.Contains(errs.ToAggregate().Error(), v) {
					t.Errorf("the error quotes the value: %v", errs.ToAggregate())
				}
			}
		})
	}
}
