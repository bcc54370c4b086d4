package v1alpha1

import (
	"fmt"
	"regexp"
	"strings"
)

// schemeRE is RFC 3986's scheme rule; Pocket ID refuses a callback URL without one
// ("immich.example.com/cb" answers 400 callback_url_pattern).
var schemeRE = regexp.MustCompile(`^[a-zA-Z][a-zA-Z0-9+.-]*:`)

// ValidateCallbackURL reports why Pocket ID would refuse u as a callback or logout callback URL,
// or nil. Custom schemes (app.immich:///oauth-callback) and wildcards are accepted, as the server
// accepts them; ${VAR} placeholders are accepted because Flux substitutes them after rendering.
func ValidateCallbackURL(u string) error {
	switch {
	case u == "":
		return fmt.Errorf("must not be empty")
	case strings.ContainsAny(u, " \t\r\n"):
		return fmt.Errorf("must not contain white space")
	case u == "*":
		return nil
	}
	m := schemeRE.FindString(u)
	if m == "" {
		return fmt.Errorf("must start with a scheme such as https:// (Pocket ID refuses URLs without one)")
	}
	switch strings.ToLower(strings.TrimSuffix(m, ":")) {
	case "javascript", "data":
		return fmt.Errorf("scheme %q is refused by Pocket ID", strings.TrimSuffix(m, ":"))
	}
	if len(u) == len(m) {
		return fmt.Errorf("must have something after the scheme")
	}
	return nil
}
