package e2e

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// TestAPIServerAcceptsFluxObjects applies the Flux objects of examples/flux/flux (the
// Kustomizations, sources, namespaces and the substitution ConfigMap a user copies into the
// cluster's Flux directory) against the upstream source-controller and kustomize-controller
// CRDs: a field Flux does not know would be refused here, not only once a user applies it.
func TestAPIServerAcceptsFluxObjects(t *testing.T) {
	a := newApplier(t)
	objs := readYAMLTree(t, filepath.Join(repoRoot(t), "examples", "flux", "flux"))
	// The kinds this test exists for must be present, so that an emptied or moved directory
	// fails instead of passing with nothing Flux-specific applied.
	var kinds []string
	for _, n := range objs {
		kinds = append(kinds, n.GetApiVersion()+" "+n.GetKind())
	}
	for _, want := range []string{
		"kustomize.toolkit.fluxcd.io/v1 Kustomization",
		"source.toolkit.fluxcd.io/v1 OCIRepository",
		"source.toolkit.fluxcd.io/v1 HelmRepository",
	} {
		if !slices.Contains(kinds, want) {
			t.Errorf("examples/flux/flux: no %s (found %v)", want, kinds)
		}
	}
	a.applyAll(t, objs)
}

// TestAPIServerCatchesBadFluxObjects proves the Flux CRDs are installed with their schemas: a
// misspelled field and a missing required one are refused.
func TestAPIServerCatchesBadFluxObjects(t *testing.T) {
	a := newApplier(t)
	a.ensureNamespace(t, inputsNamespace)
	for _, tc := range []struct{ name, doc, want string }{
		{"unknown field", `
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: {name: bad, namespace: pocketid-oidc-inputs}
spec:
  interval: 30m
  prune: true
  sourceRef: {kind: GitRepository, name: flux-system}
  postBuild:
    substitutFrom: [{kind: ConfigMap, name: cluster-settings}]
`, "substitutFrom"},
		{"missing required field", `
apiVersion: source.toolkit.fluxcd.io/v1
kind: HelmRepository
metadata: {name: bad, namespace: pocketid-oidc-inputs}
spec:
  interval: 12h
`, "spec.url"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a.apply(yaml.MustParse(tc.doc))
			problems := a.problems
			a.problems = nil
			if !slices.ContainsFunc(problems, func(p string) bool { return strings.Contains(p, tc.want) }) {
				t.Errorf("want a problem mentioning %q, got %q", tc.want, problems)
			}
		})
	}
}
