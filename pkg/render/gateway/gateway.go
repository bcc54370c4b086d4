package gateway

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/endsys/pocketid-oidc/pkg/api/v1alpha1"
	"github.com/endsys/pocketid-oidc/pkg/render/secrets"
	"github.com/endsys/pocketid-oidc/pkg/render/yamlnode"
)

// The SecurityPolicy and what it targets (api/v1alpha1/securitypolicy_types.go and its CEL
// rules: targetRefs[*].group must be gateway.networking.k8s.io).
const (
	APIVersion = "gateway.envoyproxy.io/v1alpha1"
	Kind       = "SecurityPolicy"
	RouteGroup = "gateway.networking.k8s.io"
	RouteKind  = "HTTPRoute"
)

// issuerRE is the CRD's pattern for spec.oidc.provider.issuer (api/v1alpha1/oidc_types.go,
// v1.9.1). ${VAR} placeholders match it as the host or path they stand for.
var issuerRE = regexp.MustCompile(`^https://[^/?#@]+(/[^?#]*)?$`)

// Policy is one integration's gateway login, every default applied.
type Policy struct {
	// Integration is the integration's name: labels and the policy's name.
	Integration string
	// Namespace of the policy: the integration's, which is the HTTPRoute's and the Secret's.
	// Kept as-is ("" lets a later namespace transformer place it).
	Namespace string
	// Issuer is the provider's issuer.
	Issuer   string
	ClientID string
	// SecretName is the app Secret holding the client secret under "client-secret".
	SecretName string
	// AppURL is spec.url.
	AppURL  string
	Gateway v1alpha1.GatewaySpec
}

// NewPolicy reads a Policy from a defaulted integration with spec.gateway set and the issuer
// of its merged, defaulted provider.
func NewPolicy(in *v1alpha1.OIDCIntegration, issuer string) Policy {
	s := &in.Spec
	return Policy{
		Integration: in.Name,
		Namespace:   in.Namespace,
		Issuer:      issuer,
		ClientID:    s.Client.ID,
		SecretName:  s.Secret.Name,
		AppURL:      s.URL,
		Gateway:     *s.Gateway,
	}
}

// Name is the SecurityPolicy of an integration.
func Name(integration string) string { return integration + "-oidc" }

// RedirectURL is where Pocket ID sends the browser back to: the app's origin and the callback
// path Envoy intercepts.
func RedirectURL(appURL string, g v1alpha1.GatewaySpec) string {
	origin, _ := v1alpha1.SplitOrigin(appURL)
	return origin + g.CallbackPath
}

// PostLogoutURL is the post_logout_redirect_uri Envoy sends to the end-session endpoint:
// <scheme>://<host>/ of the request (filter.cc signOutUser), that is the app's origin and "/".
func PostLogoutURL(appURL string) string {
	origin, _ := v1alpha1.SplitOrigin(appURL)
	return origin + "/"
}

// CheckIssuer reports why Envoy Gateway would refuse the issuer, or nil. An issuer that starts
// with a placeholder is left to the cluster: its scheme is unknown here.
func CheckIssuer(issuer string) error {
	if strings.HasPrefix(issuer, "${") || issuerRE.MatchString(issuer) {
		return nil
	}
	return fmt.Errorf("the provider's issuer %q is refused by Envoy Gateway, which accepts only an https issuer without query, fragment or user (%s)", issuer, issuerRE)
}

// Register makes the client document accept the gateway login: the redirect URL as a callback
// and the app's origin as a logout callback (Pocket ID refuses the logout otherwise), added to
// whatever the preset or spec.client lists, never replacing them. When the gateway is the only
// login (no preset, no env) and spec.client.pkce is unset, PKCE is turned on: Envoy always
// sends an S256 challenge. An app's own login may not, so with a preset or env the client's
// PKCE stays as resolved; Pocket ID checks the verifier only when PKCE is on
// (backend/internal/service/oidc_service.go createTokenFromAuthorizationCode), so Envoy's
// challenge is harmless there. An absent client is left alone.
func Register(doc *v1alpha1.OIDCClient, in *v1alpha1.OIDCIntegration) {
	s := &in.Spec
	if s.Gateway == nil || doc.Spec.State == v1alpha1.StateAbsent {
		return
	}
	c := &doc.Spec
	c.CallbackURLs = appendMissing(c.CallbackURLs, RedirectURL(s.URL, *s.Gateway))
	c.LogoutCallbackURLs = appendMissing(c.LogoutCallbackURLs, PostLogoutURL(s.URL))
	if s.Client.PKCE == nil && s.Preset == "" && len(s.Env) == 0 {
		c.PKCE = true
	}
}

func appendMissing(list []string, u string) []string {
	if slices.Contains(list, u) {
		return list
	}
	return append(slices.Clone(list), u)
}

// SecurityPolicy renders the policy: see the package documentation for every field.
func SecurityPolicy(p Policy) *yaml.RNode {
	g := p.Gateway
	scopes := make([]any, 0, len(g.Scopes))
	for _, sc := range g.Scopes {
		scopes = append(scopes, sc)
	}
	oidc := map[string]any{
		"provider":           map[string]any{"issuer": p.Issuer},
		"clientID":           p.ClientID,
		"clientSecret":       map[string]any{"name": p.SecretName},
		"redirectURL":        RedirectURL(p.AppURL, g),
		"logoutPath":         g.LogoutPath,
		"scopes":             scopes,
		"forwardAccessToken": false,
	}
	if g.CookieDomain != "" {
		oidc["cookieDomain"] = g.CookieDomain
	}
	if g.CookieSameSite != "" {
		oidc["cookieConfig"] = map[string]any{"sameSite": g.CookieSameSite}
	}
	meta := map[string]any{"name": Name(p.Integration), "labels": secrets.Labels(p.Integration)}
	if p.Namespace != "" {
		meta["namespace"] = p.Namespace
	}
	return yamlnode.Object(map[string]any{
		"apiVersion": APIVersion,
		"kind":       Kind,
		"metadata":   meta,
		"spec": map[string]any{
			"targetRefs": []any{map[string]any{"group": RouteGroup, "kind": RouteKind, "name": g.HTTPRouteName}},
			"oidc":       oidc,
		},
	})
}
