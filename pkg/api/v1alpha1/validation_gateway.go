package v1alpha1

import (
	"regexp"
	"slices"
	"strings"

	"k8s.io/apimachinery/pkg/util/validation"
	"k8s.io/apimachinery/pkg/util/validation/field"
)

// cookieDomainRE is Envoy Gateway's pattern for SecurityPolicy spec.oidc.cookieDomain
// (api/v1alpha1/oidc_types.go, v1.9.1): refused here rather than by the API server later.
var cookieDomainRE = regexp.MustCompile(`^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$`)

// Values of GatewaySpec.CookieSameSite: Envoy Gateway's OIDCCookieConfig.SameSite enum.
var cookieSameSiteValues = []string{"Lax", "Strict", "None"}

// validateGateway checks a defaulted spec.gateway against what Envoy Gateway and the browser
// will accept, so that a login that cannot work is an error at render time.
func validateGateway(s *IntegrationSpec, fld *field.Path) field.ErrorList {
	g := s.Gateway
	var errs field.ErrorList
	if s.Client.Public {
		// SecurityPolicy spec.oidc.clientSecret is required (oidc_types.go): Envoy always
		// authenticates to the token endpoint with it.
		errs = append(errs, field.Invalid(field.NewPath("spec", "client", "public"), true, "the gateway login (spec.gateway) authenticates to Pocket ID with the client secret, so the client cannot be public"))
	}
	if !HasPlaceholder(g.HTTPRouteName) {
		for _, msg := range validation.IsDNS1123Subdomain(g.HTTPRouteName) {
			errs = append(errs, field.Invalid(fld.Child("httpRouteName"), g.HTTPRouteName, msg))
		}
	}
	errs = append(errs, validateGatewayPath(g.CallbackPath, fld.Child("callbackPath"))...)
	errs = append(errs, validateGatewayPath(g.LogoutPath, fld.Child("logoutPath"))...)
	switch {
	case g.CallbackPath == "/":
		// internal/gatewayapi/securitypolicy.go extractRedirectPath refuses it (v1.9.1).
		errs = append(errs, field.Invalid(fld.Child("callbackPath"), g.CallbackPath, "Envoy Gateway refuses a redirect URL whose path is \"/\""))
	case g.CallbackPath == g.LogoutPath:
		errs = append(errs, field.Invalid(fld.Child("logoutPath"), g.LogoutPath, "must differ from callbackPath"))
	}
	seen := map[string]bool{}
	for i, sc := range g.Scopes {
		switch {
		case sc == "" || strings.ContainsAny(sc, " \t\r\n"):
			errs = append(errs, field.Invalid(fld.Child("scopes").Index(i), sc, "a scope is one non-empty word"))
		case seen[sc]:
			errs = append(errs, field.Duplicate(fld.Child("scopes").Index(i), sc))
		}
		seen[sc] = true
	}
	if d := g.CookieDomain; d != "" && !HasPlaceholder(d) {
		errs = append(errs, validateCookieDomain(d, s.URL, fld.Child("cookieDomain"))...)
	}
	if v := g.CookieSameSite; v != "" && !slices.Contains(cookieSameSiteValues, v) {
		errs = append(errs, field.NotSupported(fld.Child("cookieSameSite"), v, cookieSameSiteValues))
	}
	return errs
}

// validateGatewayPath checks a path Envoy matches requests against.
func validateGatewayPath(p string, fld *field.Path) field.ErrorList {
	switch {
	case onlyPlaceholders(p):
		return nil
	case !strings.HasPrefix(p, "/"):
		return field.ErrorList{field.Invalid(fld, p, "must be an absolute path on the app's host, like /oauth2/callback")}
	case strings.ContainsAny(p, "?# \t\r\n"):
		return field.ErrorList{field.Invalid(fld, p, "must be a plain path: no query, fragment or white space")}
	}
	return nil
}

// validateCookieDomain checks that the cookie domain is well-formed and contains the app's
// host: a browser drops cookies set for another domain, and the login would loop.
func validateCookieDomain(d, appURL string, fld *field.Path) field.ErrorList {
	if !cookieDomainRE.MatchString(d) {
		return field.ErrorList{field.Invalid(fld, d, "must be a lower-case DNS domain, like example.com")}
	}
	origin, _ := SplitOrigin(appURL)
	host := origin
	if i := strings.Index(host, "://"); i >= 0 {
		host = host[i+len("://"):]
	}
	if i := strings.LastIndexByte(host, ':'); i >= 0 && !strings.Contains(host[i:], "]") {
		host = host[:i]
	}
	host = strings.ToLower(host)
	if HasPlaceholder(host) || host == d || strings.HasSuffix(host, "."+d) {
		return nil
	}
	return field.ErrorList{field.Invalid(fld, d, "does not contain the app's host "+host+" (spec.url): the browser would drop the session cookies")}
}
