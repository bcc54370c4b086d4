package function

// Claims and conflicts between the integrations of one run.

import (
	"fmt"

	"github.com/kptdev/krm-functions-sdk/go/fn"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/endsys/pocketid-oidc/pkg/preset"
)

// checkClaims finds integrations that would fight over one Pocket ID client or one Secret.
func (r *rendering) checkClaims() {
	clientIDs := map[string]*integration{}
	secretNames := map[string]*integration{}
	for _, in := range r.integrations {
		if !in.ok {
			continue
		}
		s := in.api.Spec
		var errs field.ErrorList
		if prev, ok := clientIDs[s.Client.ID]; ok {
			errs = append(errs, field.Invalid(field.NewPath("spec", "client", "id"), s.Client.ID,
				"client id already claimed by OIDCIntegration "+prev.id()))
		} else {
			clientIDs[s.Client.ID] = in
		}
		if in.present() {
			namespaces := []string{appNamespaceOf(in)}
			if in.provNS != namespaces[0] && !in.public() {
				namespaces = append(namespaces, in.provNS)
			}
			for _, ns := range namespaces {
				k := ns + "/" + s.Secret.Name
				if prev, ok := secretNames[k]; ok && prev != in {
					errs = append(errs, field.Invalid(field.NewPath("spec", "secret", "name"), s.Secret.Name,
						fmt.Sprintf("Secret %s already claimed by OIDCIntegration %s", nsName(ns, s.Secret.Name), prev.id())))
					break
				}
				secretNames[k] = in
			}
		}
		if len(errs) > 0 {
			in.ok = false
			r.report(in.obj, errs, fn.Error)
		}
	}
}

// wiringConflicts finds what in's wiring would silently take from integrations wiring the
// same container before it: an env var they set to another value (the app would log in with
// the last integration's client only) or a file mounted at the same path (Kubernetes refuses a
// container with two mounts at one path). An env var set to the same value may be shared.
func wiringConflicts(in *integration, before []*integration) field.ErrorList {
	var errs field.ErrorList
	fld := field.NewPath("spec", "helmRelease")
	for _, prev := range before {
		env := map[string]preset.EnvVar{}
		for _, e := range prev.resolved.Wiring.Env {
			env[e.Name] = e
		}
		for _, e := range in.resolved.Wiring.Env {
			if pe, ok := env[e.Name]; ok && !sameEnv(pe, e) {
				errs = append(errs, field.Invalid(fld, hrNameOf(in), fmt.Sprintf(
					"env var %s of the same container is set to another value by OIDCIntegration %s: wire each integration to its own container (spec.helmRelease.controller/container), or strategy none", e.Name, prev.id())))
			}
		}
		for _, f := range in.resolved.Wiring.Files {
			for _, pf := range prev.resolved.Wiring.Files {
				if f.MountPath == pf.MountPath {
					errs = append(errs, field.Invalid(fld, hrNameOf(in), fmt.Sprintf(
						"file %s of the same container is mounted by OIDCIntegration %s too: wire each integration to its own container (spec.helmRelease.controller/container), or strategy none", f.MountPath, prev.id())))
				}
			}
		}
	}
	return errs
}

func hrNameOf(in *integration) string { return in.api.Spec.HelmRelease.Name }

func sameEnv(a, b preset.EnvVar) bool {
	if (a.SecretKeyRef == nil) != (b.SecretKeyRef == nil) {
		return false
	}
	return a.Value == b.Value && (a.SecretKeyRef == nil || *a.SecretKeyRef == *b.SecretKeyRef)
}
