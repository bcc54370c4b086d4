package function

// The provider configuration: the functionConfig, merged field by field with each
// integration's spec.provider.

import (
	"fmt"

	"github.com/kptdev/krm-functions-sdk/go/fn"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/endsys/pocketid-oidc/pkg/api/v1alpha1"
	"github.com/endsys/pocketid-oidc/pkg/version"
)

// readConfig takes the provider from a PocketIDProvider functionConfig, or the one integration
// of the single-file form.
func (r *rendering) readConfig() {
	cfg := r.rl.FunctionConfig
	switch {
	case cfg == nil || cfg.IsEmpty():
	case isKind(cfg, v1alpha1.KindPocketIDProvider):
		var p v1alpha1.PocketIDProvider
		decodeErrs := decode(cfg, &p)
		r.report(cfg, decodeErrs, fn.Error)
		// What decoded is checked too: every problem of the provider in one run.
		r.report(cfg, v1alpha1.CoveredBy(v1alpha1.ValidateProvider(&p.Spec, field.NewPath("spec")), decodeErrs), fn.Error)
		if len(decodeErrs) > 0 {
			// Its settings are unknown: do not also report them missing on every integration.
			r.configBroken = true
			return
		}
		r.providerObj, r.provider = cfg, &p.Spec
	case isKind(cfg, v1alpha1.KindOIDCIntegration):
		r.integrations = append(r.integrations, &integration{obj: cfg, item: -1})
	case kindErrors(cfg.GetAPIVersion(), cfg.GetKind()) != nil:
		r.report(cfg, kindErrors(cfg.GetAPIVersion(), cfg.GetKind()), fn.Error)
		r.configBroken = true
	default:
		r.report(cfg, field.ErrorList{field.Invalid(field.NewPath("kind"), cfg.GetAPIVersion()+" "+cfg.GetKind(),
			"the functionConfig must be a "+v1alpha1.APIVersion+" PocketIDProvider or OIDCIntegration")}, fn.Error)
	}
}

// reportMissing puts a missing provider setting where the user can add it: on the
// PocketIDProvider when the integration relies on it alone, else on spec.provider.
func (r *rendering) reportMissing(in *integration, missing []string) {
	for _, m := range missing {
		if r.hasErrorAt(in.obj, field.NewPath("spec", "provider", m)) {
			// Given, but of the wrong type: already reported.
			continue
		}
		msg := "required provider setting"
		if r.providerObj != nil && in.api.Spec.Provider == nil {
			// One error however many integrations rely on it.
			r.report(r.providerObj, field.ErrorList{field.Required(field.NewPath("spec", m),
				msg+": every OIDCIntegration without its own spec.provider."+m+" needs it")}, fn.Error)
			continue
		}
		if r.providerObj == nil {
			msg += ": give the function a PocketIDProvider, or set it here"
		} else {
			msg += ": set it here or in PocketIDProvider " + r.providerObj.GetName()
		}
		r.report(in.obj, field.ErrorList{field.Required(field.NewPath("spec", "provider", m), msg)}, fn.Error)
	}
}

// decode reads one of our objects strictly.
func decode(o *fn.KubeObject, into any) field.ErrorList {
	b, err := o.CopyToResourceNode().MarshalJSON()
	if err != nil {
		return field.ErrorList{field.Invalid(nil, nil, err.Error())}
	}
	return v1alpha1.Decode(b, into)
}

// mergeProvider gives the integration its provider: the functionConfig's, overridden field by
// field by spec.provider, defaulted. It reports the required settings still missing (once,
// where the user can add them) and returns them.
func (r *rendering) mergeProvider(in *integration) []string {
	in.provider = v1alpha1.MergeProvider(r.provider, in.api.Spec.Provider)
	v1alpha1.SetProviderDefaults(&in.provider, version.Image())
	missing := v1alpha1.MissingProviderSettings(&in.provider)
	if len(missing) > 0 && !r.configBroken {
		r.reportMissing(in, missing)
	}
	return missing
}

// setProvisioningNamespace: the provider's namespace, else the integration's own. A
// namespace-less integration provisioned elsewhere is a warning: a later namespace
// transformer would split its objects.
func (r *rendering) setProvisioningNamespace(in *integration) {
	in.provNS = in.provider.Namespace
	if in.provNS == "" {
		in.provNS = in.api.Namespace
	} else if in.api.Namespace == "" {
		r.report(in.obj, field.ErrorList{field.Invalid(field.NewPath("metadata", "namespace"), "",
			fmt.Sprintf("has no namespace while provisioning goes to namespace %q: a namespace transformer running after the function (kustomize namespace:, Flux targetNamespace) will move the app objects but may also move the provisioning objects; give the integration its namespace, or leave the provider's namespace unset", in.provNS))}, fn.Warning)
	}
}
