package preset_test

import (
	"strings"
	"testing"

	"github.com/endsys/pocketid-oidc/pkg/preset"
)

const waived = `requires:
  emailsVerified: true
  unless: {env: X_IGNORE_EMAIL_VERIFIED, value: "true", evidence: "conf.go ignore_email_verified"}
`

// TestRequiresWaiver: the app's own setting, set in spec.env to exactly the waiving value,
// drops the requirement; anything else (another spelling, a placeholder) keeps it.
func TestRequiresWaiver(t *testing.T) {
	p, err := preset.Parse([]byte(evidenced + waived))
	if err != nil {
		t.Fatal(err)
	}
	if gaps := p.EvidenceGaps(); len(gaps) > 0 {
		t.Fatalf("gaps: %v", gaps)
	}
	for _, tc := range []struct {
		env  map[string]string
		want bool
	}{
		{nil, true},
		{map[string]string{"X_IGNORE_EMAIL_VERIFIED": "true"}, false},
		{map[string]string{"X_IGNORE_EMAIL_VERIFIED": "false"}, true},
		{map[string]string{"X_IGNORE_EMAIL_VERIFIED": "True"}, true},
		{map[string]string{"X_IGNORE_EMAIL_VERIFIED": "${IGNORE}"}, true},
		{map[string]string{"OTHER": "true"}, true},
	} {
		in := catalogInput("x")
		in.Env = tc.env
		r, errs := p.Resolve(in)
		if len(errs) > 0 {
			t.Fatal(errs.ToAggregate())
		}
		if r.Requires.EmailsVerified != tc.want {
			t.Errorf("env %v: emailsVerified required %v, want %v", tc.env, r.Requires.EmailsVerified, tc.want)
		}
	}
}

func TestRequiresWaiverGaps(t *testing.T) {
	for name, tc := range map[string]struct{ body, want string }{
		"no evidence":        {strings.Replace(waived, `, evidence: "conf.go ignore_email_verified"`, "", 1), "requires.unless.evidence: say where the app reads X_IGNORE_EMAIL_VERIFIED"},
		"nothing to waive":   {strings.Replace(waived, "emailsVerified: true", "emailsVerified: false", 1), "requires.unless: there is no requirement to waive"},
		"no value":           {strings.Replace(waived, `value: "true"`, `value: ""`, 1), "requires.unless: env and value are required"},
		"set by the preset":  {strings.Replace(waived, "X_IGNORE_EMAIL_VERIFIED", "A", 1), "requires.unless: the preset sets A itself"},
		"absolute reference": {strings.Replace(waived, `"conf.go ignore`, `"/conf.go ignore`, 1), "requires.unless.evidence: \"/conf.go\" is not a path inside the repository"},
	} {
		t.Run(name, func(t *testing.T) {
			p, err := preset.Parse([]byte(evidenced + tc.body))
			if err != nil {
				t.Fatal(err)
			}
			if gaps := strings.Join(p.EvidenceGaps(), "\n"); !strings.Contains(gaps, tc.want) {
				t.Errorf("gaps = %q, want one containing %q", gaps, tc.want)
			}
		})
	}
}

// TestCatalogWaivers: the apps whose source has a setting that accepts an unverified email
// name it; those without one (Vaultwarden's SSO_ALLOW_UNKNOWN_EMAIL_VERIFICATION only covers
// a missing claim) have none.
func TestCatalogWaivers(t *testing.T) {
	c := preset.Default()
	for name, want := range map[string]string{
		"grist":        "GRIST_OIDC_SP_IGNORE_EMAIL_VERIFIED=true",
		"oauth2-proxy": "OAUTH2_PROXY_INSECURE_OIDC_ALLOW_UNVERIFIED_EMAIL=true",
		"komga":        "KOMGA_OIDCEMAILVERIFICATION=false",
		"coder":        "CODER_OIDC_IGNORE_EMAIL_VERIFIED=true",
		"documenso":    "NEXT_PRIVATE_OIDC_SKIP_VERIFY=true",
		"vaultwarden":  "",
		"romm":         "",
		"dawarich":     "",
	} {
		p, ok := c.Get(name)
		if !ok {
			t.Fatalf("no preset %s", name)
		}
		got := ""
		if u := p.Requires.Unless; u != nil {
			got = u.Env + "=" + u.Value
			in := catalogInput(name)
			in.Env = map[string]string{u.Env: u.Value}
			if r, errs := p.Resolve(in); len(errs) > 0 || r.Requires.EmailsVerified {
				t.Errorf("%s: still requires emails verified with %s (%v)", name, got, errs)
			}
		}
		if got != want {
			t.Errorf("%s: waiver %q, want %q", name, got, want)
		}
	}
}
