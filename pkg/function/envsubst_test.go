package function

import (
	"strings"
	"testing"

	"github.com/fluxcd/pkg/envsubst"
)

// TestSubstitutionProblem: what Flux's envsubst would change or reject in a value, and that
// every value passed as fine comes out of Flux's own Eval unchanged but for its placeholders.
func TestSubstitutionProblem(t *testing.T) {
	for _, tc := range []struct {
		value string
		want  string // part of the problem; "" for none
	}{
		{"plain", ""},
		{"price: 5$", ""},
		{"$HOME and $1 stay", ""},
		{"${VAR}", ""},
		{"https://auth.${SECRET_DOMAIN}/x", ""},
		{"${VAR:-default}", ""},
		{"${VAR:=x}${OTHER/a/b}", ""},
		{"$${VAR}", ""},
		{"$${arr[@]}", ""},
		{"pa$$word", "holds $$"},
		{"$$$", "holds $$"},
		{"${VAR}$$", "holds $$"},
		{"${arr[@]}", "cannot parse this value (missing closing brace)"},
		{"${VAR", "cannot parse this value (missing closing brace)"},
		{"${}", "cannot parse this value (unable to parse variable name)"},
		{"${ VAR }", "cannot parse this value (unable to parse variable name)"},
		{"${#}", "cannot parse this value (bad substitution)"},
		{"${VAR+x}", "cannot parse this value"},
	} {
		t.Run(tc.value, func(t *testing.T) {
			got := substitutionProblem(tc.value)
			if tc.want == "" && got != "" || !strings.Contains(got, tc.want) {
				t.Fatalf("substitutionProblem(%q) = %q, want %q", tc.value, got, tc.want)
			}
			if got != "" {
				return
			}
			// Fine means: Flux keeps the text around the placeholders as written.
			out, err := envsubst.Eval(tc.value, func(name string) (string, bool) { return "${" + name + "}", true })
			if err != nil {
				t.Fatalf("Flux's envsubst rejects %q: %v", tc.value, err)
			}
			if strings.Contains(tc.value, "$$") != strings.Contains(tc.value, "$${") {
				t.Fatalf("%q holds $$ outside the escape", tc.value)
			}
			if !strings.Contains(tc.value, ":") && !strings.Contains(tc.value, "/") && !strings.Contains(tc.value, "$$") && out != tc.value {
				t.Errorf("Flux turns %q into %q", tc.value, out)
			}
		})
	}
}
