package v1alpha1

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/endsys/pocketid-oidc/pkg/contract"
)

// Substitution says whether Flux's ${VAR} substitution has happened to a document.
type Substitution bool

const (
	// Rendered is the function's output: placeholders are still in it, and are judged as Flux
	// will fill them (a value made only of placeholders is left to the cluster).
	Rendered Substitution = false
	// Substituted is what the provisioner reads in the cluster: a ${VAR} left in it is taken as
	// written, as Pocket ID would take it.
	Substituted Substitution = true
)

// url is the text of a URL to check, and whether to skip it because only the cluster can.
func (s Substitution) url(u string) (string, bool) {
	if s == Substituted {
		return u, false
	}
	return substituteURL(u), onlyPlaceholders(u)
}

// text is the text of a value to check, and whether to skip it because only the cluster can.
func (s Substitution) text(v string) (string, bool) {
	if s == Substituted {
		return v, false
	}
	return substitute(v, "x"), onlyPlaceholders(v)
}

// ValidateOIDCClient checks a resolved client document: what the provisioner relies on and what
// Pocket ID would refuse, so that nothing is sent before every problem is known. The function
// checks what it renders (Rendered) and the provisioner what it reads (Substituted), with this
// one set of rules.
func ValidateOIDCClient(c *OIDCClient, sub Substitution) field.ErrorList {
	var errs field.ErrorList
	spec := field.NewPath("spec")
	s := &c.Spec
	if id, _ := sub.text(s.ID); s.ID == "" {
		errs = append(errs, field.Required(spec.Child("id"), ""))
	} else if !contract.ValidClientID(id) {
		errs = append(errs, field.Invalid(spec.Child("id"), s.ID, "must match "+contract.ClientIDPattern))
	}
	switch s.State {
	case "", StatePresent, StateAbsent:
	default:
		errs = append(errs, field.NotSupported(spec.Child("state"), s.State, []string{StatePresent, StateAbsent}))
	}
	if s.State == StateAbsent {
		// Deleting needs the id alone; stale settings must not block it.
		return errs
	}
	if utf8.RuneCountInString(s.Name) > contract.MaxDisplayNameLength {
		errs = append(errs, field.TooLong(spec.Child("name"), s.Name, contract.MaxDisplayNameLength))
	}
	errs = append(errs, validateCallbackURLs(s.CallbackURLs, spec.Child("callbackURLs"), sub)...)
	errs = append(errs, validateCallbackURLs(s.LogoutCallbackURLs, spec.Child("logoutCallbackURLs"), sub)...)
	if s.LaunchURL != "" {
		if err := validateAbsoluteURL(s.LaunchURL, sub); err != nil {
			errs = append(errs, field.Invalid(spec.Child("launchURL"), s.LaunchURL, err.Error()))
		}
	}
	errs = append(errs, validateGroups(s.AllowedGroups, spec.Child("allowedGroups"), sub)...)
	switch {
	case s.Public && s.Secret != nil:
		errs = append(errs, field.Invalid(spec.Child("secret"), s.Secret.File, "a public client has no secret"))
	case !s.Public && s.Secret == nil:
		errs = append(errs, field.Required(spec.Child("secret"), "a confidential client needs a secret file"))
	case !s.Public && s.Secret.File == "":
		errs = append(errs, field.Required(spec.Child("secret", "file"), ""))
	}
	if s.Secret != nil && s.Secret.RotationOverlap != nil && s.Secret.RotationOverlap.Duration < 0 {
		errs = append(errs, field.Invalid(spec.Child("secret", "rotationOverlap"), s.Secret.RotationOverlap.Duration.String(), "must not be negative"))
	}
	return errs
}

// ValidateCallbackURLs checks each URL of a rendered list the way Pocket ID will.
func ValidateCallbackURLs(urls []string, fld *field.Path) field.ErrorList {
	return validateCallbackURLs(urls, fld, Rendered)
}

func validateCallbackURLs(urls []string, fld *field.Path, sub Substitution) field.ErrorList {
	var errs field.ErrorList
	for i, u := range urls {
		v, skip := sub.url(u)
		if skip {
			continue
		}
		if err := ValidateCallbackURL(v); err != nil {
			errs = append(errs, field.Invalid(fld.Index(i), u, err.Error()))
		}
	}
	return errs
}

// ValidateGroups checks a rendered list of Pocket ID group names: none empty, none twice (Pocket
// ID would silently collapse the duplicate, hiding a typo of a different group), each one a
// name Pocket ID can hold.
func ValidateGroups(groups []string, fld *field.Path) field.ErrorList {
	return validateGroups(groups, fld, Rendered)
}

func validateGroups(groups []string, fld *field.Path, sub Substitution) field.ErrorList {
	var errs field.ErrorList
	seen := make(map[string]bool, len(groups))
	for i, g := range groups {
		_, skip := sub.text(g)
		switch n := utf8.RuneCountInString(g); {
		case strings.TrimSpace(g) == "":
			errs = append(errs, field.Required(fld.Index(i), "group names must not be empty"))
		case seen[g]:
			errs = append(errs, field.Duplicate(fld.Index(i), g))
		case !skip && (n < contract.MinGroupNameLength || n > contract.MaxGroupNameLength):
			// No Pocket ID group can have such a name: createMissingGroups would fail half-way,
			// after other writes, so both the function and the provisioner refuse it first.
			errs = append(errs, field.Invalid(fld.Index(i), g, fmt.Sprintf("a Pocket ID group name has %d to %d characters", contract.MinGroupNameLength, contract.MaxGroupNameLength)))
		}
		seen[g] = true
	}
	return errs
}
