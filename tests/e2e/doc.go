// Package e2e holds the end-to-end tests: the real kustomize binary over examples/, a real
// kube-apiserver (envtest) that must accept every rendered object and the Flux objects of
// examples/flux/flux, Flux's own envsubst over the rendered output, a kpt-style render of
// examples/kpt (the real kpt CLI renders it in tests/docs), and actionlint over every GitHub workflow of the repository.
//
// Tools come from the environment the Makefile sets (`make test`, TOOLS_ENV): KUSTOMIZE,
// KUBEBUILDER_ASSETS, UPSTREAM_CRDS (the Flux, External Secrets, Gateway API and Envoy Gateway
// CRDs, pinned, from the Go module proxy), ACTIONLINT and POCKETID_OIDC_BIN, all installed by
// hack/tools.sh. A test whose tool is unset fails with the command that installs it; none skips,
// so a run that tested nothing cannot look green.
//
// Example conventions the tests rely on:
//   - A directory under examples/ with a kustomization.yaml and a sibling rendered.yaml is an
//     example; rendered.yaml is exactly `kustomize build --enable-alpha-plugins --enable-exec`
//     of it (UPDATE_GOLDEN=1 rewrites it).
//   - Flux variables of an example: under examples/flux/, the postBuild.substitute and
//     substituteFrom ConfigMaps of the Flux Kustomization whose spec.path names the example
//     (paths relative to examples/flux, which stands for the root of a user's Git repository);
//     elsewhere, a vars.env (KEY=value lines) beside rendered.yaml (in examples/kpt/rendered for
//     the kpt package). No variables: the rendered output must not contain any ${...} at all.
//   - examples/kpt/package is a pristine kpt package, examples/kpt/rendered the same package
//     after `kpt fn render` (UPDATE_GOLDEN=1 rewrites it).
package e2e
