package preset

import (
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/endsys/pocketid-oidc/internal/suggest"
)

// unknown is the error for a spec.preset the catalog lacks: the valid names, led by the ones
// the user probably meant: a preset whose aliases hold the name (bitwarden: vaultwarden), or
// one a typo away (immitch: immich).
func (c *Catalog) unknown(name string) *field.Error {
	e := field.NotSupported(field.NewPath("spec", "preset"), name, c.Names())
	if s := c.Suggest(name); len(s) > 0 {
		e.Detail = "did you mean " + joinOr(s) + "? " + e.Detail
	}
	return e
}

// Suggest returns the presets name probably means, best first: those listing it among their
// aliases (ignoring case and separators), then those a typo away.
func (c *Catalog) Suggest(name string) []string {
	var out []string
	for _, n := range c.Names() {
		for _, a := range c.presets[n].Aliases {
			if len(suggest.Similar(name, []string{a})) > 0 || a == name {
				out = append(out, n)
				break
			}
		}
	}
	for _, n := range suggest.Similar(name, c.Names()) {
		if !contains(out, n) {
			out = append(out, n)
		}
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func joinOr(names []string) string {
	if len(names) > 3 {
		names = names[:3]
	}
	s := ""
	for i, n := range names {
		if i > 0 {
			s += " or "
		}
		s += n
	}
	return s
}
