package preset

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"k8s.io/apimachinery/pkg/util/validation/field"
)

// Limit is a length the app itself enforces on one env value (Outline refuses to start when
// OIDC_DISPLAY_NAME is over 50 characters), with where the app enforces it. A resolved value
// outside it is an error at the field it came from, not an app that will not start.
type Limit struct {
	// MinLength and MaxLength are in characters (Unicode code points); 0 is no bound.
	MinLength int `json:"minLength,omitempty"`
	MaxLength int `json:"maxLength,omitempty"`
	// Evidence is a reference like those of Evidence.Keys: where the app checks the length.
	Evidence string `json:"evidence"`
}

// inputFields names the spec field behind each template variable a user sets, in the order a
// limit error looks for them in a value's template.
var inputFields = []struct{ variable, path string }{
	{".ButtonText", "spec.login.buttonText"},
	{".ProviderKey", "spec.login.providerKey"},
	{".ClientID", "spec.client.id"},
	{".AppURL", "spec.url"},
	{".CallbackURL", "spec.client.callbackURLs"},
}

// checkLimits refuses what Parse can see of p.Limits: a limit on an env var the preset does not
// set, bounds that cannot hold, evidence that is no reference.
func (p *Preset) checkLimits() []string {
	var errs []string
	for _, name := range sortedKeys(p.Limits) {
		l := p.Limits[name]
		if _, ok := p.Env[name]; !ok {
			errs = append(errs, fmt.Sprintf("limits[%s]: not an env var of the preset", name))
		}
		if l.MinLength < 0 || l.MaxLength < 0 || (l.MinLength == 0 && l.MaxLength == 0) || (l.MaxLength > 0 && l.MinLength > l.MaxLength) {
			errs = append(errs, fmt.Sprintf("limits[%s]: minLength %d and maxLength %d are no range", name, l.MinLength, l.MaxLength))
		}
		if _, err := ParseReference(l.Evidence); err != nil {
			errs = append(errs, fmt.Sprintf("limits[%s].evidence: %v", name, err))
		}
	}
	return errs
}

// limitErrors checks the resolved env against p.Limits. The error is at spec.env[NAME] when the
// user set the var there, else at the first spec field the preset's template takes it from. A
// value holding a Flux placeholder is not measured: its length is known only after Flux's
// substitution.
func (p *Preset) limitErrors(in Input, env map[string]EnvVar, vars *TemplateVars) field.ErrorList {
	var errs field.ErrorList
	for _, tpl := range sortedKeys(p.Limits) {
		l := p.Limits[tpl]
		name, _, err := render("env name", tpl, vars)
		if err != nil {
			continue // reported with the env var itself
		}
		e, ok := env[name]
		if !ok || e.SecretKeyRef != nil || strings.Contains(e.Value, "${") {
			continue
		}
		n := utf8.RuneCountInString(e.Value)
		if (l.MinLength == 0 || n >= l.MinLength) && (l.MaxLength == 0 || n <= l.MaxLength) {
			continue
		}
		path := field.NewPath("spec", "preset").String()
		if _, user := in.Env[name]; user {
			path = field.NewPath("spec", "env").Key(name).String()
		} else {
			for _, f := range inputFields {
				if strings.Contains(p.Env[tpl], f.variable) {
					path = f.path
					break
				}
			}
		}
		where := l.Evidence
		if ref, err := ParseReference(l.Evidence); err == nil {
			where = strings.TrimSpace(ref.URL(p.Evidence) + " " + ref.Text)
		}
		errs = append(errs, &field.Error{Type: field.ErrorTypeInvalid, Field: path, BadValue: field.OmitValueType{}, Detail: fmt.Sprintf(
			"makes %s %d characters long, and %s accepts %s characters there (%s)",
			name, n, p.DisplayName, DescribeLimit(l), where)})
	}
	return errs
}

// DescribeLimit is the limit's range in words: "2 to 50", "at most 50", "at least 2".
func DescribeLimit(l Limit) string {
	switch {
	case l.MinLength > 0 && l.MaxLength > 0:
		return fmt.Sprintf("%d to %d", l.MinLength, l.MaxLength)
	case l.MaxLength > 0:
		return fmt.Sprintf("at most %d", l.MaxLength)
	}
	return fmt.Sprintf("at least %d", l.MinLength)
}
