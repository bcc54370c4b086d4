package v1alpha1

import (
	"k8s.io/apimachinery/pkg/util/validation/field"
)

// Fields the function needs as written. Flux substitutes ${VAR} placeholders in what the
// function emits, after it ran: where the function itself acts on a value (finds the preset
// or the HelmRelease by it, checks it is unique), a placeholder is still "${VAR}" to it.
func validateNoPlaceholders(s *IntegrationSpec, spec *field.Path) field.ErrorList {
	var errs field.ErrorList
	refuse := func(fld *field.Path, v, why string) {
		if HasPlaceholder(v) {
			errs = append(errs, field.Invalid(fld, v, "placeholders are not allowed here: Flux replaces ${VAR} only after the function ran, and the function "+why))
		}
	}
	refuse(spec.Child("preset"), s.Preset, "picks the preset's wiring by this name")
	if onlyPlaceholders(s.Client.ID) {
		// Kept apart by their literal part, ${APP}-photos and ${APP}-docs are two clients.
		errs = append(errs, field.Invalid(spec.Child("client", "id"), s.Client.ID,
			"placeholders are not allowed here alone: Flux replaces ${VAR} only after the function ran, and the function checks that no two integrations claim one client id; write the id, or keep a literal part (${APP}-photos)"))
	}
	refuse(spec.Child("client", "state"), s.Client.State, "renders the app wiring by it")
	hr := spec.Child("helmRelease")
	refuse(hr.Child("name"), s.HelmRelease.Name, "finds the HelmRelease by this name")
	refuse(hr.Child("strategy"), s.HelmRelease.Strategy, "wires the HelmRelease by it")
	refuse(hr.Child("controller"), s.HelmRelease.Controller, "finds the controller in the HelmRelease's values by this name")
	refuse(hr.Child("container"), s.HelmRelease.Container, "finds the container in the HelmRelease's values by this name")
	return errs
}
