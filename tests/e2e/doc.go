// Package e2e holds the end-to-end tests: the real kustomize binary over examples/, a real
// kube-apiserver (envtest) that must accept every rendered object, Flux's own envsubst over the
// rendered output, and a kpt-style render of examples/kpt.
//
// Tools come from the environment the Makefile sets (`make test`): KUSTOMIZE, KUBEBUILDER_ASSETS
// and POCKETID_OIDC_BIN. A test whose tool is unset skips, except under CI=true, where it fails:
// a CI run that silently tested nothing would look green.
//
// The shared reference directory (upstream CRDs) is $POCKETID_OIDC_SHARED, else <repo>/../shared.
//
// Example conventions the tests rely on:
//   - A directory under examples/ with a kustomization.yaml and a sibling rendered.yaml is an
//     example; rendered.yaml is exactly `kustomize build --enable-alpha-plugins --enable-exec`
//     of it (UPDATE_RENDERED=1 rewrites it).
//   - Flux variables of an example: under examples/flux/, the postBuild.substitute and
//     substituteFrom ConfigMaps of the Flux Kustomization whose spec.path names the example
//     (paths relative to examples/flux, which stands for the root of a user's Git repository);
//     elsewhere, a vars.env (KEY=value lines) beside rendered.yaml (in examples/kpt/rendered for
//     the kpt package). No variables: the rendered output must not contain any ${...} at all.
//   - examples/kpt/package is a pristine kpt package, examples/kpt/rendered the same package
//     after `kpt fn render` (UPDATE_RENDERED=1 rewrites it).
package e2e
