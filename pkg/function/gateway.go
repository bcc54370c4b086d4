package function

// The gateway login of an app without an OIDC login of its own (spec.gateway): its Envoy
// Gateway SecurityPolicy (pkg/render/gateway), and the checks that need the merged provider or
// the other integrations of the run.

import (
	"fmt"

	"github.com/kptdev/krm-functions-sdk/go/fn"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/endsys/pocketid-oidc/pkg/render/gateway"
)

// checkGatewayClaims refuses a second integration protecting an HTTPRoute: Envoy Gateway
// attaches one SecurityPolicy to a route and marks every other one Conflicted ("another
// SecurityPolicy has already attached to it", internal/gatewayapi/securitypolicy.go, v1.9.1),
// so one of the two logins would silently not apply.
func (r *rendering) checkGatewayClaims() {
	routes := map[string]*integration{}
	for _, in := range r.integrations {
		g := in.api.Spec.Gateway
		if !in.ok || !in.present() || g == nil {
			continue
		}
		k := nsName(in.api.Namespace, g.HTTPRouteName)
		prev, claimed := routes[k]
		if !claimed {
			routes[k] = in
			continue
		}
		in.ok = false
		r.report(in.obj, field.ErrorList{field.Invalid(field.NewPath("spec", "gateway", "httpRouteName"), g.HTTPRouteName,
			fmt.Sprintf("HTTPRoute %s is already protected by OIDCIntegration %s: Envoy Gateway applies one SecurityPolicy per route", k, prev.id()))}, fn.Error)
	}
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
