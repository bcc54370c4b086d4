package function

// The gateway login of an app without an OIDC login of its own (spec.gateway): its Envoy
// Gateway SecurityPolicy (pkg/render/gateway), and the checks that need the merged provider or
// the other integrations of the run.

import (
	"fmt"

	"github.com/kptdev/krm-functions-sdk/go/fn"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/endsys/pocketid-oidc/pkg/api/v1alpha1"
	"github.com/endsys/pocketid-oidc/pkg/render/gateway"
)

// checkGatewayClaims refuses a second SecurityPolicy on an HTTPRoute, from another integration
// or from the input (a SecurityPolicy we did not render): Envoy Gateway attaches one
// SecurityPolicy to a route and marks every other one Conflicted ("another SecurityPolicy has
// already attached to it", internal/gatewayapi/securitypolicy.go, v1.9.1), so one of them
// would silently not apply.
func (r *rendering) checkGatewayClaims() {
	routes := map[string]string{} // namespace/name -> who protects it
	var foreign map[string]string
	for _, in := range r.integrations {
		g := in.api.Spec.Gateway
		if !in.ok || !in.present() || g == nil {
			continue
		}
		if foreign == nil {
			foreign = r.foreignRoutePolicies()
		}
		k := nsName(in.api.Namespace, g.HTTPRouteName)
		who, claimed := routes[k]
		if !claimed {
			who, claimed = foreign[k]
		}
		if !claimed {
			routes[k] = "OIDCIntegration " + in.id()
			continue
		}
		in.ok = false
		r.report(in.obj, field.ErrorList{field.Invalid(field.NewPath("spec", "gateway", "httpRouteName"), g.HTTPRouteName,
			fmt.Sprintf("HTTPRoute %s is already protected by %s: Envoy Gateway applies one SecurityPolicy per route", k, who))}, fn.Error)
	}
}

// foreignRoutePolicies indexes the input's SecurityPolicies that we did not render by the
// HTTPRoutes they target (targetRefs, or the deprecated targetRef), namespace/name as written.
func (r *rendering) foreignRoutePolicies() map[string]string {
	out := map[string]string{}
	for _, o := range r.rl.Items {
		if o.GetAPIVersion() != gateway.APIVersion || o.GetKind() != gateway.Kind || o.GetLabel(v1alpha1.LabelManagedBy) == v1alpha1.ManagedByValue {
			continue
		}
		refs, _, _ := o.NestedSlice("spec", "targetRefs")
		if ref, ok, _ := o.NestedSubObject("spec", "targetRef"); ok {
			refs = append(refs, &ref)
		}
		for _, ref := range refs {
			kind, _, _ := ref.NestedString("kind")
			name, _, _ := ref.NestedString("name")
			if kind == gateway.RouteKind {
				out[nsName(o.GetNamespace(), name)] = "SecurityPolicy " + nsName(o.GetNamespace(), o.GetName()) + " of the input"
			}
		}
	}
	return out
}

// renderGateway adds the SecurityPolicy of an integration with spec.gateway. An absent client
// renders none (deleting the client ends the login), so the route is then open: a warning.
func (r *rendering) renderGateway(d *desiredSet, in *integration, file string) {
	g := in.api.Spec.Gateway
	if g == nil {
		return
	}
	fld := field.NewPath("spec", "gateway")
	if !in.present() {
		r.report(in.obj, field.ErrorList{field.Invalid(fld.Child("httpRouteName"), g.HTTPRouteName,
			fmt.Sprintf("the client is absent, so no SecurityPolicy is rendered and HTTPRoute %s no longer asks for a Pocket ID login: remove the route too, or spec.gateway to silence this", nsName(in.api.Namespace, g.HTTPRouteName)))}, fn.Warning)
		return
	}
	if err := gateway.CheckIssuer(in.provider.Issuer); err != nil {
		r.report(in.obj, field.ErrorList{field.Invalid(fld, field.OmitValueType{}, err.Error())}, fn.Error)
		return
	}
	d.add(in, file, gateway.SecurityPolicy(gateway.NewPolicy(&in.api, in.provider.Issuer)))
}
