package function

// Resolving one integration: decode, merge the provider, default, validate, and resolve its
// preset into the wiring (checks.go: the rules that need the resolved wiring).

import (
	"github.com/kptdev/krm-functions-sdk/go/fn"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/endsys/pocketid-oidc/pkg/api/v1alpha1"
	"github.com/endsys/pocketid-oidc/pkg/preset"
)

// resolve decodes, merges, defaults, validates and resolves one integration; in.ok says
// whether it can be rendered.
func (r *rendering) resolve(in *integration) {
	// What decoded is checked too, so that every problem of the object is reported at once;
	// the object is not rendered.
	decodeErrs := decode(in.obj, &in.api)
	r.report(in.obj, decodeErrs, fn.Error)
	missing := r.mergeProvider(in)
	explicitEmptyGroups := in.api.Spec.Client.AllowedGroups != nil && len(in.api.Spec.Client.AllowedGroups) == 0
	// Before defaulting, which fills secret.remoteKey: a public client that names a client
	// secret asks for one it will never get.
	errs := publicClientSecretErrs(&in.api.Spec)
	v1alpha1.SetIntegrationDefaults(&in.api)
	errs = append(errs, v1alpha1.ValidateIntegration(&in.api)...)
	errs = v1alpha1.CoveredBy(errs, decodeErrs)

	p := preset.Custom()
	if name := in.api.Spec.Preset; !v1alpha1.HasPlaceholder(name) {
		var perr *field.Error
		if p, perr = r.catalog.Lookup(name); perr != nil {
			errs = append(errs, perr)
		}
	}
	// A missing provider setting is reported above, maybe on the PocketIDProvider: resolving
	// the preset without it would only report it again, on this integration.
	if len(errs) > 0 || r.hasErrorFor(in.obj) || r.configBroken || len(missing) > 0 {
		r.report(in.obj, errs, fn.Error)
		return
	}
	r.setProvisioningNamespace(in)

	if in.present() {
		s := &in.api.Spec
		input := preset.Input{
			Issuer:              in.provider.Issuer,
			AppURL:              s.URL,
			ClientID:            s.Client.ID,
			ProviderKey:         s.Login.ProviderKey,
			ButtonText:          s.Login.ButtonText,
			SecretName:          s.Secret.Name,
			GeneratedSecretName: in.api.GeneratedSecretName(),
			Env:                 s.Env,
			CallbackURLs:        s.Client.CallbackURLs,
		}
		res, rerrs := p.Resolve(input)
		if len(rerrs) > 0 {
			r.report(in.obj, rerrs, fn.Error)
			return
		}
		in.resolved = res
		if errs := append(resolvedErrors(s, res), templatePlaceholderErrs(p, input, res)...); len(errs) > 0 {
			r.report(in.obj, errs, fn.Error)
			return
		}
		r.report(in.obj, resolvedWarnings(s, res, explicitEmptyGroups), fn.Warning)
		r.reportPresetCaveats(in)
		for _, n := range res.Wiring.Notes {
			r.results = append(r.results, r.result(in.obj, nil, n, fn.Info))
		}
	}
	in.ok = true
}
