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

// requiring is the evidenced preset with body appended and evidence.requires set to ref.
func requiring(ref, body string) string {
	s := evidenced + body
	if ref != "" {
		s = strings.Replace(s, "  version: v1.0.0\n", "  version: v1.0.0\n  requires: "+ref+"\n", 1)
	}
	return s
}

// TestRequiresWaiver: the app's own setting, set in spec.env to exactly the waiving value,
// drops the requirement; anything else (another spelling, a placeholder) keeps it.
func TestRequiresWaiver(t *testing.T) {
	p, err := preset.Parse([]byte(requiring("login.go refuses email_verified false", waived)))
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

// TestRequiresGaps: a requirement is a fact like a key: where the app refuses the login; a
// waiver names its setting, value and evidence, and waives something.
func TestRequiresGaps(t *testing.T) {
	const ref = "login.go refuses email_verified false"
	for name, tc := range map[string]struct{ ref, body, want string }{
		"requirement without evidence": {"", "requires: {emailsVerified: true}\n", "evidence.requires: say where the app refuses an unverified email"},
		"evidence without requirement": {ref, "", "evidence.requires is set without a requirement"},
		"bad requirement evidence":     {"../login.go x", "requires: {emailsVerified: true}\n", "evidence.requires: \"../login.go\" is not a path inside the repository"},
		"waiver without evidence":      {ref, strings.Replace(waived, `, evidence: "conf.go ignore_email_verified"`, "", 1), "requires.unless.evidence: say where the app reads X_IGNORE_EMAIL_VERIFIED"},
		"nothing to waive":             {"", strings.Replace(waived, "emailsVerified: true", "emailsVerified: false", 1), "requires.unless: there is no requirement to waive"},
		"waiver without value":         {ref, strings.Replace(waived, `value: "true"`, `value: ""`, 1), "requires.unless: env and value are required"},
		"waiver set by the preset":     {ref, strings.Replace(waived, "X_IGNORE_EMAIL_VERIFIED", "A", 1), "requires.unless: the preset sets A itself"},
		"bad waiver evidence":          {ref, strings.Replace(waived, `"conf.go ignore`, `"/conf.go ignore`, 1), "requires.unless.evidence: \"/conf.go\" is not a path inside the repository"},
	} {
		t.Run(name, func(t *testing.T) {
			p, err := preset.Parse([]byte(requiring(tc.ref, tc.body)))
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
