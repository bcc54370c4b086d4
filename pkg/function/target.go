package function

// Where the app runs: Flux's helm-controller installs a HelmRelease with spec.targetNamespace
// into that namespace, so the app's pods, and every Secret they reference (the app Secret with
// the client credentials and rendered config files, the preset's generated values), must be
// there. The rest stays with the integration: the seed objects (they only fill the store) and
// the provisioning objects (the provisioning namespace: they need the API key Secret, which is
// there; the Job reads the client secret from its own copy of the ExternalSecret).

import (
	"fmt"

	"github.com/kptdev/krm-functions-sdk/go/fn"
	"k8s.io/apimachinery/pkg/util/validation/field"
)

// secretStoreKind is ESO's namespaced store: an ExternalSecret reads it from its own namespace.
const secretStoreKind = "SecretStore"

// placeApps sets each integration's app namespace: the targetNamespace of the HelmRelease it
// names, when that HelmRelease is in the input, else its own namespace. A gateway login keeps
// its own: its Secret is read by the SecurityPolicy next to the HTTPRoute, not by the pods.
func (r *rendering) placeApps() {
	for _, in := range r.integrations {
		if !in.ok {
			continue
		}
		in.appNS = in.api.Namespace
		idx, found := r.releases[nsName(in.api.Namespace, in.api.Spec.HelmRelease.Name)]
		if !found || in.api.Spec.Gateway != nil {
			continue
		}
		hr := r.rl.Items[idx]
		target, _, _ := hr.NestedString("spec", "targetNamespace")
		if target == "" || target == in.api.Namespace {
			continue
		}
		in.appNS = target // absent too: what an earlier render put there is pruned there
		if !in.present() {
			continue
		}
		where := fmt.Sprintf("HelmRelease %s installs the app into namespace %q (spec.targetNamespace)", nsName(hr.GetNamespace(), hr.GetName()), target)
		if in.api.Namespace == "" {
			r.report(in.obj, field.ErrorList{field.Invalid(field.NewPath("metadata", "namespace"), "",
				where+", so the app Secret's ExternalSecret is rendered there; a namespace transformer running after the function (kustomize namespace:) would move it away from the pods: give the integration and the HelmRelease their namespace")}, fn.Warning)
		}
		if !in.public() {
			r.checkStoreReach(in, where)
		}
	}
}

// checkStoreReach makes sure the ExternalSecret in the app namespace can read its store: a
// SecretStore (namespaced) must be in that namespace too. One the input shows only in the
// integration's namespace is an error; one the input does not show is a warning, since it may
// be managed elsewhere.
func (r *rendering) checkStoreReach(in *integration, where string) {
	ref := in.provider.SecretStoreRef
	if ref == nil || ref.Kind != secretStoreKind {
		return
	}
	var inTarget, inOwn bool
	for _, o := range r.rl.Items {
		if groupOf(o.GetAPIVersion()) != "external-secrets.io" || o.GetKind() != secretStoreKind || o.GetName() != ref.Name {
			continue
		}
		inTarget = inTarget || o.GetNamespace() == in.appNS
		inOwn = inOwn || o.GetNamespace() == in.api.Namespace
	}
	if inTarget {
		return
	}
	fld := field.NewPath("spec", "provider", "secretStoreRef", "kind")
	detail := fmt.Sprintf("%s, where the app Secret's ExternalSecret must be; ESO reads a SecretStore from the ExternalSecret's own namespace, so SecretStore %s must exist in %q", where, ref.Name, in.appNS)
	if inOwn {
		r.report(in.obj, field.ErrorList{field.Invalid(fld, ref.Kind,
			detail+", and the input has it only in "+fmt.Sprintf("%q", in.api.Namespace)+": use a ClusterSecretStore, or add the SecretStore to the target namespace")}, fn.Error)
		in.ok = false
		return
	}
	r.report(in.obj, field.ErrorList{field.Invalid(fld, ref.Kind,
		detail+" (it is not among the function's input): use a ClusterSecretStore, or make sure the SecretStore is there")}, fn.Warning)
}

// appNamespaceOf is where the integration's app Secret goes (see placeApps).
func appNamespaceOf(in *integration) string {
	if in.appNS != "" {
		return in.appNS
	}
	return in.api.Namespace
}
