package function

// One writer per Secret: every Secret an ExternalSecret of ours fills (creationPolicy Owner)
// must have no other source in the input, neither the Secret itself (Flux would apply it and
// ESO overwrite it, each on its own schedule) nor another ExternalSecret targeting it (ESO
// lets one ExternalSecret own a Secret; the other one fails, or they overwrite each other).
// Our own ExternalSecrets of the same name are the dup and replace checks of desiredSet.add.

import (
	"fmt"

	"github.com/kptdev/krm-functions-sdk/go/fn"
	"k8s.io/apimachinery/pkg/util/validation/field"
	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/endsys/pocketid-oidc/pkg/render/secrets"
)

const esoGroup = "external-secrets.io"

// checkSecretOwners reports, on the integration that renders it, each Secret that one of our
// ExternalSecrets fills and that the input also has, or that another input ExternalSecret
// targets (spec.target.name, default its name).
func (r *rendering) checkSecretOwners(desired []desiredObject) {
	ours := map[string]desiredObject{} // namespace/secret -> our ExternalSecret filling it
	for _, d := range desired {
		if groupOf(d.node.GetApiVersion()) == esoGroup && d.node.GetKind() == "ExternalSecret" {
			ours[nsName(d.node.GetNamespace(), targetOf(d.node))] = d
		}
	}
	if len(ours) == 0 {
		return
	}
	for _, o := range r.rl.Items {
		var rival string
		var secret string
		switch {
		case o.GetAPIVersion() == "v1" && o.GetKind() == "Secret":
			secret, rival = o.GetName(), "the input has Secret "+nsName(o.GetNamespace(), o.GetName())+" too"
		case groupOf(o.GetAPIVersion()) == esoGroup && o.GetKind() == "ExternalSecret":
			target, _, _ := o.NestedString("spec", "target", "name")
			if target == "" {
				target = o.GetName()
			}
			secret = target
			rival = "ExternalSecret " + nsName(o.GetNamespace(), o.GetName()) + " of the input fills it too (spec.target.name)"
		default:
			continue
		}
		d, clash := ours[nsName(o.GetNamespace(), secret)]
		if !clash || d.key == objKey(o) {
			continue // not ours, or the object we replace
		}
		who := r.configOr(d.owner)
		r.report(who, field.ErrorList{field.Invalid(secretField(d), secret, fmt.Sprintf(
			"ExternalSecret %s renders Secret %s, and %s: one Secret, two writers that overwrite each other; remove the other one from the input, or choose another name",
			nsName(d.node.GetNamespace(), d.node.GetName()), nsName(o.GetNamespace(), secret), rival))}, fn.Error)
		if d.owner != nil {
			d.owner.ok = false
		}
	}
}

// targetOf is the Secret an ExternalSecret fills: spec.target.name, default its own name.
func targetOf(n *yaml.RNode) string {
	if t, err := n.Pipe(yaml.Lookup("spec", "target", "name")); err == nil && t != nil && t.YNode().Value != "" {
		return t.YNode().Value
	}
	return n.GetName()
}

// secretField is the integration field a rendered Secret's name comes from: spec.secret.name
// for the app Secret and its seed, metadata.name for the others (generated values, API key).
func secretField(d desiredObject) *field.Path {
	if d.owner == nil {
		return field.NewPath("metadata", "name")
	}
	if name := d.owner.api.Spec.Secret.Name; targetOf(d.node) == name || targetOf(d.node) == secrets.SeedName(name) {
		return field.NewPath("spec", "secret", "name")
	}
	return field.NewPath("metadata", "name")
}
