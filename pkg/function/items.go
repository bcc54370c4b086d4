package function

// The item index: one pass over the input that finds the integrations, the HelmReleases and
// the objects of the kinds we render, and the keys objects are identified by.

import (
	"slices"
	"strings"

	"github.com/kptdev/krm-functions-sdk/go/fn"
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
		case kindErrors(apiVersion, kind) != nil:
			r.report(o, kindErrors(apiVersion, kind), fn.Error)
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

// releaseHint says what to do about a HelmRelease not found in the integration's namespace
// (ns): mostly a namespace that kustomize sets at another time than the user expects.
// kustomize's namespace: sets the resources' namespace before the kustomization's own
// transformers run, but never a transformer config's (the single-file integration), and a
// Component's transformers run before the including kustomization's namespace:.
func (r *rendering) releaseHint(ns, name string) string {
	others := r.releasesNamed(name)
	switch {
	case len(others) == 0:
		return "set spec.helmRelease.name, or strategy none"
	case ns == "":
		return "found " + strings.Join(others, ", ") + ": give the integration the HelmRelease's metadata.namespace; kustomize's namespace: does not set it on an integration given as a transformer config (the single-file form)"
	case slices.ContainsFunc(others, func(o string) bool { return !strings.Contains(o, "/") }):
		return "found " + strings.Join(others, ", ") + ": the HelmRelease has no namespace yet when the function runs from a Component, since the including kustomization's namespace: is applied after it; remove metadata.namespace from the integration (namespace: then places both), or write it in the HelmRelease too"
	}
	return "found " + strings.Join(others, ", ") + ": set the integration's metadata.namespace to the HelmRelease's"
}
