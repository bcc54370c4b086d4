package v1alpha1

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"unicode/utf8"

	"k8s.io/apimachinery/pkg/util/sets"
	"k8s.io/apimachinery/pkg/util/validation"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/endsys/pocketid-oidc/pkg/contract"
)

var placeholderRE = regexp.MustCompile(`\$\{[^}]*\}`)

// HasPlaceholder reports whether s holds a ${VAR} placeholder that Flux substitutes after
// rendering.
func HasPlaceholder(s string) bool { return placeholderRE.MatchString(s) }

// onlyPlaceholders reports whether s is made of placeholders alone: its final form is unknown
// at render time, so only the cluster can judge it.
func onlyPlaceholders(s string) bool {
	return s != "" && strings.TrimSpace(placeholderRE.ReplaceAllString(s, "")) == ""
}

// substitute replaces placeholders by a neutral token so the surrounding text can be checked
// (https://auth.${SECRET_DOMAIN} is checked as https://auth.x).
func substitute(s, token string) string { return placeholderRE.ReplaceAllString(s, token) }

// substituteURL is substitute for a URL: a placeholder that starts it may stand for the scheme
// and host (${APP_URL}/auth/login), so it is checked as https://x.
func substituteURL(s string) string {
	if loc := placeholderRE.FindStringIndex(s); loc != nil && loc[0] == 0 {
		s = "https://x" + s[loc[1]:]
	}
	return substitute(s, "x")
}

// SplitOrigin splits an absolute URL into its origin (scheme://host[:port]) and its path, as
// text, so that ${VAR} placeholders survive: like substituteURL, a placeholder that starts u
// stands for the scheme and host (${APP_URL}/app splits into ${APP_URL} and /app).
func SplitOrigin(u string) (origin, path string) {
	start := 0
	if loc := placeholderRE.FindStringIndex(u); loc != nil && loc[0] == 0 {
		start = loc[1]
	} else if i := strings.Index(u, "://"); i >= 0 {
		start = i + len("://")
	}
	if j := strings.IndexByte(u[start:], '/'); j >= 0 {
		return u[:start+j], u[start+j:]
	}
	return u, ""
}

// ValidateAbsoluteURL reports why u is not an absolute URL (scheme and host), or nil.
func ValidateAbsoluteURL(u string) error { return validateAbsoluteURL(u, Rendered) }

func validateAbsoluteURL(u string, sub Substitution) error {
	u, skip := sub.url(u)
	if skip {
		return nil
	}
	if strings.ContainsAny(u, " \t\r\n") {
		// url.Parse takes it in the path, but no app or Pocket ID matches it.
		return fmt.Errorf("must not contain white space")
	}
	p, err := url.Parse(u)
	if err != nil {
		return fmt.Errorf("not a URL: %v", err)
	}
	if p.Scheme == "" || p.Host == "" {
		return fmt.Errorf("must be an absolute URL with a scheme and host, like https://app.example.com")
	}
	return nil
}

func validateURLField(v string, fld *field.Path) field.ErrorList {
	if err := ValidateAbsoluteURL(v); err != nil {
		return field.ErrorList{field.Invalid(fld, v, err.Error())}
	}
	return nil
}

// ValidateProvider checks the form of the provider fields that are set; whether the required
// ones are set at all is MissingProviderSettings' job, because they may come from elsewhere
// (a PocketIDProvider completed by an integration's spec.provider, or the other way round).
// A value over its size limit is reported alone: its other errors would quote it.
func ValidateProvider(p *ProviderSpec, fld *field.Path) field.ErrorList {
	first := validateProviderLimits(p, fld)
	return append(first, CoveredBy(validateProvider(p, fld), first)...)
}

func validateProvider(p *ProviderSpec, fld *field.Path) field.ErrorList {
	if p == nil {
		return nil
	}
	var errs field.ErrorList
	if p.Issuer != "" {
		errs = append(errs, validateURLField(p.Issuer, fld.Child("issuer"))...)
	}
	if p.APIURL != "" {
		errs = append(errs, validateURLField(p.APIURL, fld.Child("apiURL"))...)
	}
	if r := p.SecretStoreRef; r != nil {
		if r.Name == "" {
			errs = append(errs, field.Required(fld.Child("secretStoreRef", "name"), "the External Secrets store holding the client secrets"))
		}
		switch r.Kind {
		case "", "ClusterSecretStore", "SecretStore":
		default:
			errs = append(errs, field.NotSupported(fld.Child("secretStoreRef", "kind"), r.Kind, []string{"ClusterSecretStore", "SecretStore"}))
		}
	}
	if k := p.APIKey; k != nil {
		switch {
		case k.RemoteKey == "" && k.SecretRef == nil:
			errs = append(errs, field.Required(fld.Child("apiKey"), "set remoteKey (a key in the secret store) or secretRef (an existing Secret)"))
		case k.RemoteKey != "" && k.SecretRef != nil:
			errs = append(errs, field.Invalid(fld.Child("apiKey"), "remoteKey and secretRef", "set only one of remoteKey and secretRef"))
		case k.SecretRef != nil && k.SecretRef.Name == "":
			errs = append(errs, field.Required(fld.Child("apiKey", "secretRef", "name"), ""))
		}
	}
	if p.Namespace != "" {
		errs = append(errs, validateDNSLabel(p.Namespace, fld.Child("namespace"))...)
	}
	if r := p.CAConfigMapRef; r != nil && r.Name == "" {
		errs = append(errs, field.Required(fld.Child("caConfigMapRef", "name"), ""))
	}
	if t := p.JobTTLSecondsAfterFinished; t != nil && *t < 0 {
		errs = append(errs, field.Invalid(fld.Child("jobTTLSecondsAfterFinished"), *t, "must not be negative"))
	}
	errs = append(errs, ValidateReconcileSchedule(p.ReconcileSchedule, fld.Child("reconcileSchedule"))...)
	return errs
}

// MissingProviderSettings lists the required provider settings that p (merged and defaulted)
// lacks, by field name: issuer, secretStoreRef, apiKey.
func MissingProviderSettings(p *ProviderSpec) []string {
	var missing []string
	if p.Issuer == "" {
		missing = append(missing, "issuer")
	}
	if p.SecretStoreRef == nil {
		missing = append(missing, "secretStoreRef")
	}
	if p.APIKey == nil {
		missing = append(missing, "apiKey")
	}
	return missing
}

// ValidateIntegration checks one defaulted integration on its own. Rules that need the preset
// catalog or the other integrations of the run are the function's. A refused placeholder or a
// value over its size limit is reported alone: the field's other errors would repeat it, or
// quote a huge value.
func ValidateIntegration(in *OIDCIntegration) field.ErrorList {
	first := append(validateNoPlaceholders(in), validateIntegrationLimits(in)...)
	return append(first, CoveredBy(validateIntegration(in), append(derivedFromName(in), first...))...)
}

func validateIntegration(in *OIDCIntegration) field.ErrorList {
	var errs field.ErrorList
	spec := field.NewPath("spec")
	s := &in.Spec
	if in.Name == "" {
		errs = append(errs, field.Required(field.NewPath("metadata", "name"), ""))
	}
	// Both reach the rendered objects' names and namespaces, which the API server checks only
	// when Flux applies them.
	badName := false
	for _, msg := range validation.IsDNS1123Subdomain(in.Name) {
		if in.Name != "" {
			errs = append(errs, field.Invalid(field.NewPath("metadata", "name"), in.Name, msg))
			badName = true
		}
	}
	if in.Namespace != "" {
		errs = append(errs, validateDNSLabel(in.Namespace, field.NewPath("metadata", "namespace"))...)
	}
	if s.URL == "" {
		errs = append(errs, field.Required(spec.Child("url"), "the app's public URL, like https://immich.example.com"))
	} else {
		errs = append(errs, validateURLField(s.URL, spec.Child("url"))...)
	}
	errs = append(errs, ValidateProvider(s.Provider, spec.Child("provider"))...)

	hr := spec.Child("helmRelease")
	switch s.HelmRelease.Strategy {
	case StrategyAuto, StrategyValues, StrategyPostRenderer, StrategyNone:
	default:
		errs = append(errs, field.NotSupported(hr.Child("strategy"), s.HelmRelease.Strategy,
			[]string{StrategyAuto, StrategyValues, StrategyPostRenderer, StrategyNone}))
	}
	if w := s.HelmRelease.Workload; w != nil {
		if kinds := []string{"Deployment", "StatefulSet", "DaemonSet"}; !sets.New(kinds...).Has(w.Kind) {
			errs = append(errs, field.NotSupported(hr.Child("workload", "kind"), w.Kind, kinds))
		}
		for _, msg := range validation.IsDNS1123Subdomain(w.Name) {
			errs = append(errs, field.Invalid(hr.Child("workload", "name"), w.Name, msg))
		}
	}

	c := spec.Child("client")
	if id := s.Client.ID; !contract.ValidClientID(substitute(id, "x")) {
		errs = append(errs, field.Invalid(c.Child("id"), id, "must match "+contract.ClientIDPattern))
	}
	if n := s.Client.DisplayName; utf8.RuneCountInString(n) > contract.MaxDisplayNameLength {
		errs = append(errs, field.TooLong(c.Child("displayName"), n, contract.MaxDisplayNameLength))
	}
	errs = append(errs, validateCallbackURLs(s.Client.CallbackURLs, c.Child("callbackURLs"), Rendered)...)
	errs = append(errs, validateCallbackURLs(s.Client.AdditionalCallbackURLs, c.Child("additionalCallbackURLs"), Rendered)...)
	errs = append(errs, validateCallbackURLs(s.Client.LogoutCallbackURLs, c.Child("logoutCallbackURLs"), Rendered)...)
	// The launch URL defaults to url: report a bad url once.
	if s.Client.LaunchURL != "" && s.Client.LaunchURL != s.URL {
		errs = append(errs, validateURLField(s.Client.LaunchURL, c.Child("launchURL"))...)
	}
	errs = append(errs, validateGroups(s.Client.AllowedGroups, c.Child("allowedGroups"), Rendered)...)
	switch s.Client.State {
	case StatePresent, StateAbsent:
	default:
		errs = append(errs, field.NotSupported(c.Child("state"), s.Client.State, []string{StatePresent, StateAbsent}))
	}
	if s.Client.Public && s.Client.PKCE != nil && !*s.Client.PKCE {
		errs = append(errs, field.Invalid(c.Child("pkce"), false, "a public client always uses PKCE"))
	}

	sec := spec.Child("secret")
	if s.Client.Public && s.Secret.Generate {
		errs = append(errs, field.Invalid(sec.Child("generate"), true, "a public client has no client secret to generate: remove generate or public"))
	}
	// A secret name defaulted from a bad metadata.name is that one error, not a second.
	if !HasPlaceholder(s.Secret.Name) && !(badName && s.Secret.Name == in.Name+"-oidc") {
		for _, msg := range validation.IsDNS1123Subdomain(s.Secret.Name) {
			errs = append(errs, field.Invalid(sec.Child("name"), s.Secret.Name, msg))
		}
	}
	if d := s.Secret.RotationOverlap; d != nil && d.Duration < 0 {
		errs = append(errs, field.Invalid(sec.Child("rotationOverlap"), d.Duration.String(), "must not be negative"))
	}
	for _, k := range sets.List(sets.KeySet(s.Env)) {
		for _, msg := range validation.IsEnvVarName(k) {
			errs = append(errs, field.Invalid(spec.Child("env").Key(k), k, msg))
		}
	}
	if s.Gateway != nil {
		errs = append(errs, validateGateway(s, spec.Child("gateway"))...)
	}
	return errs
}

func validateDNSLabel(v string, fld *field.Path) field.ErrorList {
	if HasPlaceholder(v) {
		return nil
	}
	var errs field.ErrorList
	for _, msg := range validation.IsDNS1123Label(v) {
		errs = append(errs, field.Invalid(fld, v, msg))
	}
	return errs
}
