// Package cli is the pocketid-oidc command line: Run dispatches on the first argument (none: the
// KRM function), and each subcommand lives in its own cmd_<name>.go file. It is a package of its
// own, not package main, so that both mains build the same binary: fn/ (the entry point the
// Makefile, the image and kpt/kustomize users build) and cmd/pocketid-oidc (so that
// `go install github.com/endsys/pocketid-oidc/cmd/pocketid-oidc@version` installs a binary named
// pocketid-oidc).
package cli
