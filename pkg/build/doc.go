// Package build renders every kustomization of a repository that uses pocketid-oidc's function:
// `pocketid-oidc render`.
//
// Each root (package discover) is built in-process with kustomize's own library (krusty), with
// the options `kustomize build --enable-alpha-plugins --enable-exec` uses, so the output is the
// CLI's byte for byte. kustomize still executes the function as a process, but always the binary
// the caller names (normally the running pocketid-oidc): package execfs rewrites the function
// annotation as kustomize reads the config, so neither an exec path relative to some Component
// nor a container image has to resolve, and --enable-exec cannot be forgotten. The command then
// serves the function from its own process (package fnserver), so that a hundred builds do not
// start a hundred functions from scratch.
//
// Roots build in parallel. The function process gets the root as an argument and prefixes every
// line it prints with it (LineWriter), so that its errors, which name object and field, also name
// the directory when several builds print at once.
package build
