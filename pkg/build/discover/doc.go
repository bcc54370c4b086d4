// Package discover finds the kustomization directories of a repository that render
// pocketid-oidc's function: the roots `pocketid-oidc render` builds.
//
// A directory is a root when its kustomization (kustomization.yaml, kustomization.yml or
// Kustomization) is of kind Kustomization (a Component only ever runs inside another build) and
// reaches our function config (fnspec.Ours) through its own transformers, generators or
// validators (a file, an inline config, or a directory whose resources are configs) or through a
// component, at any depth. Reaching it only through `resources:` does not count: the base that
// runs the function is a root of its own, and an aggregating kustomization (a cluster's list of
// apps) is not rendered again.
//
// Hidden directories (.git, .github) are not searched. Remote references (URLs) are not
// followed: render builds from the working tree only. A kustomization that cannot be read is an
// error naming its file, not a silent skip, because it might have been a root.
package discover
