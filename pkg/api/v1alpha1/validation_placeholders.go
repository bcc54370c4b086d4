package v1alpha1

import (
	"k8s.io/apimachinery/pkg/util/validation/field"
)

// Fields the function needs as written. Flux substitutes ${VAR} placeholders in what the
// function emits, after it ran: where the function itself acts on a value (finds the preset
// or the HelmRelease by it, checks it is unique), a placeholder is still "${VAR}" to it.
func validateNoPlaceholders(in *OIDCIntegration) field.ErrorList {
	var errs field.ErrorList
	refuse := func(fld *field.Path, v, why string) {
		if HasPlaceholder(v) {
			errs = append(errs, field.Invalid(fld, v, "placeholders are not allowed here: Flux replaces ${VAR} only after the function ran, and the function "+why))
		}
	}
	refuse(field.NewPath("metadata", "name"), in.Name, "names and labels the objects it renders by it, and prunes them by that label")
	s, spec := &in.Spec, field.NewPath("spec")
	refuse(spec.Child("preset"), s.Preset, "picks the preset's wiring by this name")
	if onlyPlaceholders(s.Client.ID) && s.Client.ID != in.Name {
		// Kept apart by their literal part, ${APP}-photos and ${APP}-docs are two clients.
		errs = append(errs, field.Invalid(spec.Child("client", "id"), s.Client.ID,
			"placeholders are not allowed here alone: Flux replaces ${VAR} only after the function ran, and the function checks that no two integrations claim one client id; write the id, or keep a literal part (${APP}-photos)"))
	}
	refuse(spec.Child("client", "state"), s.Client.State, "renders the app wiring by it")
	hr := spec.Child("helmRelease")
	if s.HelmRelease.Name != in.Name {
		refuse(hr.Child("name"), s.HelmRelease.Name, "finds the HelmRelease by this name")
	}
	refuse(hr.Child("strategy"), s.HelmRelease.Strategy, "wires the HelmRelease by it")
	refuse(hr.Child("controller"), s.HelmRelease.Controller, "finds the controller in the HelmRelease's values by this name")
	refuse(hr.Child("container"), s.HelmRelease.Container, "finds the container in the HelmRelease's values by this name")
	return errs
}

// derivedFromName lists the fields defaulted from a metadata.name that holds a placeholder: the
// errors at them would only repeat the one on the name (for the caller's CoveredBy).
func derivedFromName(in *OIDCIntegration) field.ErrorList {
	if !HasPlaceholder(in.Name) {
		return nil
	}
	var covered field.ErrorList
	for fld, v := range map[string]string{"client.id": in.Spec.Client.ID, "helmRelease.name": in.Spec.HelmRelease.Name, "secret.name": in.Spec.Secret.Name} {
		if v == in.Name || v == in.Name+"-oidc" {
			covered = append(covered, field.Invalid(field.NewPath("spec").Child(fld), v, "defaulted from metadata.name"))
		}
	}
	return covered
}
