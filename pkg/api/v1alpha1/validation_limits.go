package v1alpha1

import (
	"fmt"

	"k8s.io/apimachinery/pkg/util/validation"
	"k8s.io/apimachinery/pkg/util/validation/field"
)

// Size limits of the fields whose values reach rendered objects, in bytes or items. The API
// server refuses an object over its limits only when Flux applies it, long after the render
// passed; so the function refuses the input, at the field. The limits leave every rendered
// object far below the API server's: a ConfigMap or Secret holds at most 1 MiB of data
// (corev1.MaxSecretSize), an object's annotations at most 256 KiB together, a label value 63
// characters, and etcd takes objects up to 1.5 MiB. The largest per-integration object is the
// client document's ConfigMap: three callback lists of MaxCallbackURLs × MaxURLLength
// (192 KiB), MaxAllowedGroups × 255 (25 KiB) and a few URLs, a quarter of its limit. spec.env
// reaches the HelmRelease and, through the preset's templates, the app Secret: MaxEnvSize
// (256 KiB) leaves room for the rest of both. The function also checks every rendered object
// against the API server's limits (pkg/function), for what no single field bounds.
const (
	// MaxIntegrationNameLength: metadata.name is the value of label oidc.endsys.cloud/integration
	// on every rendered object, and a label value has at most 63 characters.
	MaxIntegrationNameLength = validation.LabelValueMaxLength
	// MaxURLLength bounds url, launchURL, issuer, apiURL, each callback URL and the gateway
	// paths: the length browsers and proxies commonly support.
	MaxURLLength = 2048
	// MaxCallbackURLs bounds each of callbackURLs, additionalCallbackURLs and
	// logoutCallbackURLs, and so the callbacks of the client document.
	MaxCallbackURLs = 32
	// MaxAllowedGroups bounds client.allowedGroups (each name has at most 255 characters).
	MaxAllowedGroups = 100
	// MaxEnvVars bounds the entries of spec.env.
	MaxEnvVars = 200
	// MaxEnvValueLength bounds one spec.env value (room for a PEM chain or a JSON setting).
	MaxEnvValueLength = 32 * 1024
	// MaxEnvSize bounds spec.env's names and values together.
	MaxEnvSize = 256 * 1024
	// MaxTextLength bounds short text: env names, login.buttonText and providerKey, remote
	// keys, object and key names, gateway scopes and the cron schedule.
	MaxTextLength = 256
	// MaxImageLength bounds provider.image: a registry, a repository of up to 255 characters, a
	// tag and a digest.
	MaxImageLength = 512
	// MaxScopes bounds gateway.scopes.
	MaxScopes = 32
)

// limits collects the size errors of one object.
type limits struct{ errs field.ErrorList }

func (l *limits) text(fld *field.Path, v string, max int) {
	if len(v) > max {
		l.errs = append(l.errs, field.TooLong(fld, "", max))
	}
}

func (l *limits) list(fld *field.Path, vs []string, maxItems, maxLen int) {
	if len(vs) > maxItems {
		l.errs = append(l.errs, field.TooMany(fld, len(vs), maxItems))
	}
	for i, v := range vs {
		l.text(fld.Index(i), v, maxLen)
	}
}

// validateIntegrationLimits checks the sizes of an integration's fields (its spec.provider
// included).
func validateIntegrationLimits(in *OIDCIntegration) field.ErrorList {
	l := &limits{}
	if n := in.Name; len(n) > MaxIntegrationNameLength {
		l.errs = append(l.errs, field.TooLongCharacters(field.NewPath("metadata", "name"), n, MaxIntegrationNameLength))
		l.errs[len(l.errs)-1].Detail += fmt.Sprintf(": it is the value of label %s on every rendered object", LabelIntegration)
	}
	spec := field.NewPath("spec")
	s := &in.Spec
	l.text(spec.Child("url"), s.URL, MaxURLLength)
	c := spec.Child("client")
	if s.Client.LaunchURL != s.URL {
		// It defaults to url: a long url is reported once.
		l.text(c.Child("launchURL"), s.Client.LaunchURL, MaxURLLength)
	}
	l.list(c.Child("callbackURLs"), s.Client.CallbackURLs, MaxCallbackURLs, MaxURLLength)
	l.list(c.Child("additionalCallbackURLs"), s.Client.AdditionalCallbackURLs, MaxCallbackURLs, MaxURLLength)
	l.list(c.Child("logoutCallbackURLs"), s.Client.LogoutCallbackURLs, MaxCallbackURLs, MaxURLLength)
	if len(s.Client.AllowedGroups) > MaxAllowedGroups {
		l.errs = append(l.errs, field.TooMany(c.Child("allowedGroups"), len(s.Client.AllowedGroups), MaxAllowedGroups))
	}
	l.text(spec.Child("login", "buttonText"), s.Login.ButtonText, MaxTextLength)
	l.text(spec.Child("login", "providerKey"), s.Login.ProviderKey, MaxTextLength)
	l.text(spec.Child("secret", "remoteKey"), s.Secret.RemoteKey, MaxTextLength)
	l.env(spec.Child("env"), s.Env)
	if g := s.Gateway; g != nil {
		gw := spec.Child("gateway")
		l.text(gw.Child("callbackPath"), g.CallbackPath, MaxURLLength)
		l.text(gw.Child("logoutPath"), g.LogoutPath, MaxURLLength)
		l.text(gw.Child("cookieDomain"), g.CookieDomain, validation.DNS1123SubdomainMaxLength)
		l.list(gw.Child("scopes"), g.Scopes, MaxScopes, MaxTextLength)
	}
	return l.errs
}

func (l *limits) env(fld *field.Path, env map[string]string) {
	if len(env) > MaxEnvVars {
		l.errs = append(l.errs, field.TooMany(fld, len(env), MaxEnvVars))
	}
	total := 0
	entries := &limits{}
	for k, v := range env {
		total += len(k) + len(v)
		entries.text(fld.Key(k), k, MaxTextLength)
		if len(k) <= MaxTextLength {
			entries.text(fld.Key(k), v, MaxEnvValueLength)
		}
	}
	if total > MaxEnvSize {
		e := field.TooLong(fld, "", MaxEnvSize)
		e.Detail = fmt.Sprintf("names and values together may not be more than %d bytes", MaxEnvSize)
		l.errs = append(l.errs, e)
	}
	// Map order is random; results are not.
	l.errs = append(l.errs, sortErrs(entries.errs)...)
}

// validateProviderLimits checks the sizes of a provider's fields.
func validateProviderLimits(p *ProviderSpec, fld *field.Path) field.ErrorList {
	if p == nil {
		return nil
	}
	l := &limits{}
	l.text(fld.Child("issuer"), p.Issuer, MaxURLLength)
	l.text(fld.Child("apiURL"), p.APIURL, MaxURLLength)
	l.text(fld.Child("image"), p.Image, MaxImageLength)
	l.text(fld.Child("reconcileSchedule"), p.ReconcileSchedule, MaxTextLength)
	if r := p.SecretStoreRef; r != nil {
		l.text(fld.Child("secretStoreRef", "name"), r.Name, validation.DNS1123SubdomainMaxLength)
	}
	if k := p.APIKey; k != nil {
		l.text(fld.Child("apiKey", "remoteKey"), k.RemoteKey, MaxTextLength)
		if r := k.SecretRef; r != nil {
			l.text(fld.Child("apiKey", "secretRef", "name"), r.Name, validation.DNS1123SubdomainMaxLength)
			l.text(fld.Child("apiKey", "secretRef", "key"), r.Key, validation.DNS1123SubdomainMaxLength)
		}
	}
	if r := p.CAConfigMapRef; r != nil {
		l.text(fld.Child("caConfigMapRef", "name"), r.Name, validation.DNS1123SubdomainMaxLength)
		l.text(fld.Child("caConfigMapRef", "key"), r.Key, validation.DNS1123SubdomainMaxLength)
	}
	return l.errs
}
