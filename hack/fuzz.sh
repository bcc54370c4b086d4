#!/usr/bin/env bash
# Fuzzes each target briefly, one at a time (go test -fuzz takes one package and one target).
#
#   hack/fuzz.sh FUZZTIME ./pkg/dir:FuzzName...
#
# A target is skipped, with a notice, only when `go test -list` shows it does not exist: its
# package directory has no Go package yet, or the package has no such Fuzz function. Targets are
# written by other engineers in parallel; anything else (a build error) fails.
set -euo pipefail

fuzztime=${1:?usage: hack/fuzz.sh FUZZTIME ./pkg/dir:FuzzName...}
shift
for target in "$@"; do
  pkg=${target%%:*} name=${target#*:}
  if [ ! -d "$pkg" ]; then
    echo "fuzz: $pkg does not exist yet; $name skipped" >&2
    continue
  fi
  # -list prints matching test names and "ok <pkg>"; a package with no Go files fails with
  # "no Go files", which is "does not exist yet" too. Other failures are real.
  if ! listed=$(go test -list "^${name}\$" "$pkg" 2>&1); then
    if grep -q 'no Go files' <<<"$listed"; then
      echo "fuzz: $pkg has no Go package yet; $name skipped" >&2
      continue
    fi
    echo "$listed" >&2
    exit 1
  fi
  if ! grep -qx "$name" <<<"$listed"; then
    echo "fuzz: $pkg has no $name yet; skipped" >&2
    continue
  fi
  echo "fuzz: $pkg $name for $fuzztime" >&2
  go test -run '^$' -fuzz "^${name}\$" -fuzztime "$fuzztime" "$pkg"
done
