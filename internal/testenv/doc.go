// Package testenv is what the tests need from their environment: the pinned tools the
// Makefile's TOOLS_ENV exports (installed by hack/tools.sh) and the repository root.
//
// A missing tool fails the test with the command that installs it, never a skip: a run that
// tested nothing must not look green, on a laptop as much as in CI. Only tests import it.
package testenv
