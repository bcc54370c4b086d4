// Package docs holds the tests of the documentation: every shell command the docs show
// (```sh blocks of README.md, examples/*/README.md and docs/*.md) runs, in a copy of the
// repository, and fails the test when it fails; a command that cannot run here (a cluster, a
// container engine, the network) is named in an allow-list with its reason, and an entry that
// no longer matches a documented command fails too. Beside it: the exec-path rules the README
// states, checked with the real kustomize and the real kpt, and the README's troubleshooting
// table checked against the messages the other tests produce.
//
// Tools come from the environment `make test` sets (TOOLS_ENV): POCKETID_OIDC_BIN, KUSTOMIZE
// and KPT, installed by hack/tools.sh. Unset, a test fails with the command that installs it.
package docs
