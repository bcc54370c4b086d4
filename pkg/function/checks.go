package function

// The checks of one integration that the API package cannot make alone: they need the
// resolved wiring, or they are warnings about what would break a login later.

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"

	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/endsys/pocketid-oidc/pkg/api/v1alpha1"
	"github.com/endsys/pocketid-oidc/pkg/contract"
	"github.com/endsys/pocketid-oidc/pkg/preset"
)

// resolvedErrors are the errors of a resolved integration: a public client whose wiring needs
// a client secret, and a display name Pocket ID cannot hold.
func resolvedErrors(s *v1alpha1.IntegrationSpec, res *preset.Resolved) field.ErrorList {
	var errs field.ErrorList
	spec := field.NewPath("spec")
	if s.Client.Public && needsClientSecret(res.Wiring) {
		who := "spec.env"
		if s.Preset != "" {
			who = "preset " + s.Preset + " (or spec.env)"
		}
		errs = append(errs, field.Invalid(spec.Child("client", "public"), true,
			"a public client has no client secret, but "+who+" needs one: make the client confidential or drop the secret from the app's settings"))
	}
	if s.Client.DisplayName == "" && res.DisplayName == "" && len(s.Client.ID) > contract.MaxDisplayNameLength {
		errs = append(errs, field.Required(spec.Child("client", "displayName"),
			fmt.Sprintf("the display name defaults to the client id, which is longer than Pocket ID's %d characters", contract.MaxDisplayNameLength)))
	}
	return errs
}

// resolvedWarnings are what renders but may not log in as the user expects: an explicitly
// empty group list, a literal secret in spec.env, no callback URL at all.
func resolvedWarnings(s *v1alpha1.IntegrationSpec, res *preset.Resolved, explicitEmptyGroups bool) field.ErrorList {
	var warns field.ErrorList
	spec := field.NewPath("spec")
	if explicitEmptyGroups {
		warns = append(warns, field.Invalid(spec.Child("client", "allowedGroups"), "[]",
			"the list is empty, so every Pocket ID user may log in; list group names to restrict the client, or remove the field"))
	}
	warns = append(warns, literalSecretWarnings(s.Env, spec.Child("env"))...)
	if len(res.CallbackURLs) == 0 && len(s.Client.AdditionalCallbackURLs) == 0 && s.Gateway == nil {
		warns = append(warns, field.Required(spec.Child("client", "callbackURLs"),
			"no callback URL: Pocket ID accepts the first one a login uses and pins it; list the app's callbacks"))
	}
	return warns
}

// publicClientSecretErrs refuses the client-secret settings of a public client (generate is
// ValidateIntegration's): it has no secret, so they would be ignored without a word.
func publicClientSecretErrs(s *v1alpha1.IntegrationSpec) field.ErrorList {
	if !s.Client.Public {
		return nil
	}
	var errs field.ErrorList
	sec := field.NewPath("spec", "secret")
	const detail = "a public client has no client secret: remove it or public"
	if s.Secret.RemoteKey != "" {
		errs = append(errs, field.Invalid(sec.Child("remoteKey"), s.Secret.RemoteKey, detail))
	}
	if s.Secret.RotationOverlap != nil {
		errs = append(errs, field.Invalid(sec.Child("rotationOverlap"), s.Secret.RotationOverlap.Duration.String(), detail))
	}
	if s.Secret.RetainOld {
		errs = append(errs, field.Invalid(sec.Child("retainOld"), true, detail))
	}
	return errs
}

// needsClientSecret reports whether the wiring references the client secret anywhere.
func needsClientSecret(w preset.Wiring) bool {
	for _, e := range w.Env {
		if e.SecretKeyRef != nil && e.SecretKeyRef.Key == preset.SecretKeyClientSecret {
			return true
		}
	}
	for _, t := range w.SecretTemplates {
		if strings.Contains(t, "."+preset.ClientSecretVar) {
			return true
		}
	}
	return false
}

// secretNameRE matches env names that usually hold a secret: by their end, so that
// OAUTH_TOKEN_URL or CLIENT_SECRET_FILE (a URL, a path) do not.
var secretNameRE = regexp.MustCompile(`(?i)(SECRET|SECRET_?KEY|PASSWORD|PASSWD|TOKEN|PRIVATE_?KEY|API_?KEY|CREDENTIALS?)$`)

// literalSecretWarnings warns about spec.env entries whose name says secret but whose value is
// a literal: it would be rendered in plain text into the HelmRelease. The value is never
// quoted. {{ .ClientSecret }} (a secretKeyRef) and ${VAR} placeholders are left alone.
func literalSecretWarnings(env map[string]string, fld *field.Path) field.ErrorList {
	var warns field.ErrorList
	for _, name := range slices.Sorted(maps.Keys(env)) {
		v := strings.TrimSpace(env[name])
		if v == "" || !secretNameRE.MatchString(name) || strings.Contains(v, "{{") || v1alpha1.HasPlaceholder(v) {
			continue
		}
		warns = append(warns, field.Invalid(fld.Key(name), field.OmitValueType{},
			"looks like a secret but is a literal, which is rendered in plain text into the HelmRelease: use \"{{ .ClientSecret }}\" for the client secret, or leave the entry to the HelmRelease as a valueFrom.secretKeyRef"))
	}
	return warns
}
