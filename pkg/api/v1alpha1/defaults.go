package v1alpha1

import (
	"strings"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/endsys/pocketid-oidc/pkg/contract"
)

// Defaults that are part of the API: changing one changes every rendered client.
const (
	DefaultSecretStoreKind = "ClusterSecretStore"
	DefaultAPIKeySecretKey = "api-key"
	DefaultCAKey           = "ca.crt"
	DefaultButtonText      = "Pocket ID"
	DefaultProviderKey     = "pocketid"
)

// Defaults of spec.gateway. The callback path is Envoy Gateway's own default redirect path
// (internal/gatewayapi/securitypolicy.go defaultRedirectPath, v1.9.1); the logout path its
// defaultLogoutPath. Both are prefixed with the path of spec.url, so they are routed by the
// app's HTTPRoute.
const (
	DefaultGatewayCallbackPath = "/oauth2/callback"
	DefaultGatewayLogoutPath   = "/logout"
)

// DefaultGatewayScopes are the scopes a gateway login asks for: the ID token Envoy keeps then
// names the user (email, name) for an app that reads it.
func DefaultGatewayScopes() []string { return []string{"openid", "email", "profile"} }

// MergeProvider returns base overridden field by field by override (either may be nil). A set
// field of override wins as a whole: an override's apiKey with only secretRef replaces the base
// apiKey, so the two sources are never mixed into an apiKey with both.
func MergeProvider(base, override *ProviderSpec) ProviderSpec {
	var out ProviderSpec
	// Deep copies: merging and defaulting must never write through to the caller's objects
	// (one PocketIDProvider is shared by every integration of a run).
	if base != nil {
		out = *base.DeepCopy()
	}
	if override == nil {
		return out
	}
	o := override.DeepCopy()
	setString(&out.Issuer, o.Issuer)
	setString(&out.APIURL, o.APIURL)
	setString(&out.Namespace, o.Namespace)
	setString(&out.Image, o.Image)
	setString(&out.ReconcileSchedule, o.ReconcileSchedule)
	if o.SecretStoreRef != nil {
		out.SecretStoreRef = o.SecretStoreRef
	}
	if o.APIKey != nil {
		out.APIKey = o.APIKey
	}
	if o.CAConfigMapRef != nil {
		out.CAConfigMapRef = o.CAConfigMapRef
	}
	if o.JobTTLSecondsAfterFinished != nil {
		out.JobTTLSecondsAfterFinished = o.JobTTLSecondsAfterFinished
	}
	if o.RestartOnSecretChange != nil {
		out.RestartOnSecretChange = o.RestartOnSecretChange
	}
	return out
}

func setString(dst *string, v string) {
	if v != "" {
		*dst = v
	}
}

// SetProviderDefaults fills what a provider may leave out; image is the default provisioner
// image, the running build's own (the caller knows its version, the API does not). The issuer
// loses a trailing slash: Pocket ID's issuer is its APP_URL without one, and apps compare the
// issuer claim byte for byte.
func SetProviderDefaults(p *ProviderSpec, image string) {
	p.Issuer = strings.TrimRight(p.Issuer, "/")
	if p.APIURL == "" {
		p.APIURL = p.Issuer
	}
	p.APIURL = strings.TrimRight(p.APIURL, "/")
	if p.SecretStoreRef != nil && p.SecretStoreRef.Kind == "" {
		p.SecretStoreRef.Kind = DefaultSecretStoreKind
	}
	if p.APIKey != nil && p.APIKey.SecretRef != nil && p.APIKey.SecretRef.Key == "" {
		p.APIKey.SecretRef.Key = DefaultAPIKeySecretKey
	}
	if p.CAConfigMapRef != nil && p.CAConfigMapRef.Key == "" {
		p.CAConfigMapRef.Key = DefaultCAKey
	}
	if p.Image == "" {
		p.Image = image
	}
	if p.ReconcileSchedule == "" {
		p.ReconcileSchedule = DefaultReconcileSchedule
	}
	if p.RestartOnSecretChange == nil {
		t := true
		p.RestartOnSecretChange = &t
	}
}

// SetIntegrationDefaults fills the integration's own defaults. Preset-dependent defaults
// (display name, callbacks, PKCE) are applied when the OIDCClient is built, because they need
// the resolved preset.
func SetIntegrationDefaults(in *OIDCIntegration) {
	s := &in.Spec
	s.URL = strings.TrimRight(s.URL, "/")
	if s.Gateway != nil {
		setGatewayDefaults(in)
	}
	if s.HelmRelease.Name == "" {
		s.HelmRelease.Name = in.Name
	}
	if s.HelmRelease.Strategy == "" {
		s.HelmRelease.Strategy = StrategyAuto
	}
	if s.Client.ID == "" {
		s.Client.ID = in.Name
	}
	if s.Client.LaunchURL == "" {
		s.Client.LaunchURL = s.URL
	}
	if s.Client.State == "" {
		s.Client.State = StatePresent
	}
	if s.Client.Public && s.Client.PKCE == nil {
		// A public client cannot keep a secret, so PKCE is its only protection of the code
		// (an explicit pkce: false is left for validation to refuse).
		t := true
		s.Client.PKCE = &t
	}
	if s.Login.ButtonText == "" {
		s.Login.ButtonText = DefaultButtonText
	}
	if s.Login.ProviderKey == "" {
		s.Login.ProviderKey = DefaultProviderKey
	}
	if s.Secret.Name == "" {
		s.Secret.Name = in.Name + "-oidc"
	}
	if s.Secret.RemoteKey == "" {
		s.Secret.RemoteKey = s.Client.ID + "-oauth-client-secret"
	}
	if s.Secret.RotationOverlap == nil {
		s.Secret.RotationOverlap = &metav1.Duration{Duration: contract.DefaultRotationOverlap}
	}
}

// setGatewayDefaults fills spec.gateway. An app logged in at the gateway with neither a preset
// nor env has nothing to wire into a HelmRelease: unless spec.helmRelease says otherwise, its
// strategy becomes none, so no HelmRelease needs to exist.
func setGatewayDefaults(in *OIDCIntegration) {
	s := &in.Spec
	g := s.Gateway
	if g.HTTPRouteName == "" {
		g.HTTPRouteName = in.Name
	}
	_, path := SplitOrigin(s.URL)
	if g.CallbackPath == "" {
		g.CallbackPath = path + DefaultGatewayCallbackPath
	}
	if g.LogoutPath == "" {
		g.LogoutPath = path + DefaultGatewayLogoutPath
	}
	if len(g.Scopes) == 0 {
		g.Scopes = DefaultGatewayScopes()
	}
	if s.Preset == "" && len(s.Env) == 0 && s.HelmRelease.Name == "" && s.HelmRelease.Strategy == "" {
		s.HelmRelease.Strategy = StrategyNone
	}
}

// GeneratedSecretName is the Secret holding a preset's generated random values.
func (in *OIDCIntegration) GeneratedSecretName() string {
	return in.Spec.Secret.Name + "-generated"
}
