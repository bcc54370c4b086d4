package function

// The item index: one pass over the input that finds the integrations, the HelmReleases and
// the objects of the kinds we render, and the keys objects are identified by.

import (
	"strings"

	"github.com/kptdev/krm-functions-sdk/go/fn"
	"k8s.io/apimachinery/pkg/util/validation/field"
	"sigs.k8s.io/kustomize/kyaml/kio/kioutil"

	"github.com/endsys/pocketid-oidc/pkg/api/v1alpha1"
)

// Kinds we render: only these are ever pruned or replaced.
var renderedKinds = map[string]bool{
	"external-secrets.io/ExternalSecret":      true,
	"external-secrets.io/PushSecret":          true,
	"generators.external-secrets.io/Password": true,
	"/ConfigMap":                           true,
	"batch/Job":                            true,
	"batch/CronJob":                        true,
	"gateway.envoyproxy.io/SecurityPolicy": true,
}

// indexItems indexes the input once: integrations, HelmReleases by namespace/name, and the
// objects of the kinds we render, so nothing below searches the items linearly.
func (r *rendering) indexItems() {
	r.releases = map[string]int{}
	r.existing = map[string]int{}
	var single *integration
	if len(r.integrations) == 1 {
		single = r.integrations[0]
	}
	for i, o := range r.rl.Items {
		if o.GetAnnotation(kioutil.PathAnnotation) != "" {
			r.kpt = true
		}
		//lint:ignore SA1019 kpt before v1 still writes only the legacy annotations; honour them.
		if o.GetAnnotation(kioutil.LegacyPathAnnotation) != "" {
			r.kpt, r.legacyPath = true, true
		}
		apiVersion, kind := o.GetAPIVersion(), o.GetKind()
		switch {
		case apiVersion == v1alpha1.APIVersion && kind == v1alpha1.KindOIDCIntegration:
			consume := !o.IsLocalConfig()
			if single != nil && single.obj.GetName() == o.GetName() && single.obj.GetNamespace() == o.GetNamespace() {
				// kpt passes the config file as an item too: one integration, not two.
				single.item, single.consume = i, consume
				continue
			}
			r.integrations = append(r.integrations, &integration{obj: o, item: i, consume: consume})
		case apiVersion != v1alpha1.APIVersion && groupOf(apiVersion) == v1alpha1.Group &&
			(kind == v1alpha1.KindOIDCIntegration || kind == v1alpha1.KindPocketIDProvider):
			// Passing an integration of another version through unrendered would look like
			// success.
			r.report(o, field.ErrorList{field.NotSupported(field.NewPath("apiVersion"), apiVersion, []string{v1alpha1.APIVersion})}, fn.Error)
		case kind == "HelmRelease" && groupOf(apiVersion) == "helm.toolkit.fluxcd.io":
			r.releases[nsName(o.GetNamespace(), o.GetName())] = i
		case renderedKinds[groupOf(apiVersion)+"/"+kind]:
			r.existing[objKey(o)] = i
		}
	}
}

func nsName(ns, name string) string {
	if ns == "" {
		return name
	}
	return ns + "/" + name
}

func isKind(o *fn.KubeObject, kind string) bool {
	return o.GetAPIVersion() == v1alpha1.APIVersion && o.GetKind() == kind
}

func groupOf(apiVersion string) string {
	if i := strings.LastIndex(apiVersion, "/"); i >= 0 {
		return apiVersion[:i]
	}
	return ""
}

// keyOf identifies an object independently of its API version.
func keyOf(apiVersion, kind, namespace, name string) string {
	return groupOf(apiVersion) + "/" + kind + "|" + namespace + "|" + name
}

func objKey(o *fn.KubeObject) string {
	return keyOf(o.GetAPIVersion(), o.GetKind(), o.GetNamespace(), o.GetName())
}
