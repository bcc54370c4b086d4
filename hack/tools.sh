#!/usr/bin/env bash
# Installs the pinned external tools the build and tests use into a version-keyed cache outside
# the repo, so a fresh clone (or CI on the same machine) pays each build once per machine.
# Needs only Go and the Go module proxy.
#
#   hack/tools.sh kustomize|kpt|etcd|kube-apiserver|kubebuilder-assets|controller-gen|staticcheck|actionlint|crds|all
#
# Prints the absolute path of the installed binary (kubebuilder-assets: of the directory holding
# etcd and kube-apiserver; crds: of the directory holding the upstream CRDs; all: of the cache
# directory). Progress goes to stderr.
#
# Cache: $POCKETID_OIDC_TOOLS, default ${XDG_CACHE_HOME:-~/.cache}/pocketid-oidc/tools.
# Every tool lives in <name>-<version>/ and that directory only ever appears by an atomic rename
# of a finished build, so an interrupted build never looks installed. A per-tool lock makes a
# second concurrent caller (make test while make lint runs) wait for the first build instead of
# starting its own.
set -euo pipefail
# $(install_etcd) and friends run in command substitutions, which otherwise drop -e and would
# print the path of a binary whose build just failed.
shopt -s inherit_errexit

# Pins. Each was checked to build with Go 1.26.8 (GOTOOLCHAIN=local) from proxy.golang.org:
# controller-tools v0.23.0 is built on k8s.io v0.37 (like this module); staticcheck v0.8.2 is
# the 2026.1 release line (its go.mod says go 1.26.0, so it understands this module's Go).
KUSTOMIZE_VERSION=${KUSTOMIZE_VERSION:-v5.7.1}
ETCD_VERSION=${ETCD_VERSION:-v3.6.16}
KUBERNETES_VERSION=${KUBERNETES_VERSION:-v1.37.2}
CONTROLLER_TOOLS_VERSION=${CONTROLLER_TOOLS_VERSION:-v0.23.0}
STATICCHECK_VERSION=${STATICCHECK_VERSION:-v0.8.2}
ACTIONLINT_VERSION=${ACTIONLINT_VERSION:-v1.7.12}
KPT_VERSION=${KPT_VERSION:-v1.0.0-beta.61}

# Upstream CRDs the tests install into the test API server and check rendered objects against,
# taken unmodified from the controllers' own Go modules: MODULE VERSION DIRECTORY FILE...
# Versions: the Flux 2.9 line (helm-controller v1.6, source- and kustomize-controller v1.9; the
# v1.10 lines need Go 1.27), the newest External Secrets release on the proxy, and the Gateway
# API release Envoy Gateway v1.9.1 itself requires. Only the files listed are copied.
CRD_SOURCES="
github.com/fluxcd/helm-controller v1.6.2 config/crd/bases
  helm.toolkit.fluxcd.io_helmreleases.yaml
github.com/fluxcd/source-controller v1.9.6 config/crd/bases
  source.toolkit.fluxcd.io_gitrepositories.yaml source.toolkit.fluxcd.io_ocirepositories.yaml
  source.toolkit.fluxcd.io_helmrepositories.yaml source.toolkit.fluxcd.io_helmcharts.yaml
  source.toolkit.fluxcd.io_buckets.yaml
github.com/fluxcd/kustomize-controller v1.9.6 config/crd/bases
  kustomize.toolkit.fluxcd.io_kustomizations.yaml
github.com/external-secrets/external-secrets v1.3.2 config/crds/bases
  external-secrets.io_externalsecrets.yaml external-secrets.io_pushsecrets.yaml
  external-secrets.io_secretstores.yaml external-secrets.io_clustersecretstores.yaml
  generators.external-secrets.io_passwords.yaml
sigs.k8s.io/gateway-api v1.6.1 config/crd/standard
  gateway.networking.k8s.io_gatewayclasses.yaml gateway.networking.k8s.io_gateways.yaml
  gateway.networking.k8s.io_httproutes.yaml gateway.networking.k8s.io_referencegrants.yaml
github.com/envoyproxy/gateway v1.9.1 charts/gateway-helm/charts/crds/crds/generated
  gateway.envoyproxy.io_securitypolicies.yaml gateway.envoyproxy.io_backends.yaml
"

SELF=$(cd "$(dirname "$0")" && pwd -P)/$(basename "$0")
TOOLS_DIR=${POCKETID_OIDC_TOOLS:-${XDG_CACHE_HOME:-$HOME/.cache}/pocketid-oidc/tools}
mkdir -p "$TOOLS_DIR"
TOOLS_DIR=$(cd "$TOOLS_DIR" && pwd -P)

# Tools are built for this machine and must not inherit the caller's module settings (the
# Makefile may run inside the repo with -mod=... or a GOOS for the image).
unset GOOS GOARCH GOFLAGS GOWORK
export CGO_ENABLED=0

log() { echo "tools: $*" >&2; }

# installed DIR NAME: true when DIR/NAME is a finished install.
installed() { [ -x "$1/$2" ] && [ -f "$1/.complete" ]; }

# locked NAME STEP ARGS...: runs this script's internal STEP (_go_install, _build_main,
# _link_assets) in a new process that holds the lock of NAME. A new process, not a function call:
# bash ignores -e in anything called from an `if` or `||`, and a failing build step must stop the
# build, never fall through to publishing.
locked() {
  local name=$1; shift
  flock "$TOOLS_DIR/.$name.lock" "$BASH" "$SELF" "$@"
}

# publish TMP DIR: makes the finished build TMP visible as DIR in one rename.
publish() {
  local tmp=$1 dir=$2
  chmod 755 "$tmp" # mktemp made it private; the cache is shared by whoever runs the tests
  touch "$tmp/.complete"
  # A stale DIR (from an older, non-atomic version of this script) is replaced.
  rm -rf "$dir"
  mv -T "$tmp" "$dir"
}

# scratch NAME: a fresh build directory on the cache's filesystem, so that publish is a rename
# and never a copy that a kill could leave half-written. Callers (each its own process, see
# locked) remove it with an EXIT trap; a leftover .build-* directory never looks installed.
scratch() { mktemp -d "$TOOLS_DIR/.build-$1.XXXXXX"; }

# go_install NAME VERSION PKG: `go install PKG@VERSION` into $TOOLS_DIR/NAME-VERSION/NAME.
go_install() {
  local name=$1 version=$2 pkg=$3 dir="$TOOLS_DIR/$1-$2"
  installed "$dir" "$name" || locked "$name-$version" _go_install "$name" "$version" "$pkg" "$dir"
  echo "$dir/$name"
}
_go_install() {
  local name=$1 version=$2 pkg=$3 dir=$4
  installed "$dir" "$name" && return 0 # another caller finished it while we waited
  log "installing $name $version (once per machine)"
  tmp=$(scratch "$name") # not local: the EXIT trap runs after this function has returned
  trap 'rm -rf "$tmp"' EXIT
  GOBIN="$tmp" go install -trimpath -ldflags=-s "$pkg@$version"
  # go install names the binary after the package's last path element (minus a /vN suffix).
  local built=("$tmp"/*)
  [ "${#built[@]}" -eq 1 ] && [ -x "${built[0]}" ] || { log "go install $pkg produced ${built[*]}"; return 1; }
  [ "${built[0]}" = "$tmp/$name" ] || mv "${built[0]}" "$tmp/$name"
  publish "$tmp" "$dir"
}

# build_main NAME VERSION GOMOD MAINGO: builds a binary from a throwaway module. etcd and
# kube-apiserver need this because `go install pkg@version` refuses modules with replace
# directives (kubernetes replaces its staging modules).
build_main() {
  local name=$1 version=$2 dir="$TOOLS_DIR/$1-$2"
  installed "$dir" "$name" || locked "$name-$version" _build_main "$@"
  echo "$dir/$name"
}
_build_main() {
  local name=$1 version=$2 gomod=$3 maingo=$4 dir="$TOOLS_DIR/$1-$2"
  installed "$dir" "$name" && return 0
  tmp=$(scratch "$name") # not local: the EXIT trap runs after this function has returned
  trap 'rm -rf "$tmp"' EXIT
  mkdir "$tmp/src"
  printf '%s\n' "$gomod" >"$tmp/src/go.mod"
  printf '%s\n' "$maingo" >"$tmp/src/main.go"
  # tidy only adds the transitive requirements; the versions pinned in go.mod are kept.
  (cd "$tmp/src" && go mod tidy >&2 && go build -trimpath -ldflags=-s -o "$tmp/$name" .)
  rm -rf "$tmp/src"
  publish "$tmp" "$dir"
}

install_etcd() {
  log_once etcd "$ETCD_VERSION" "about a minute"
  build_main etcd "$ETCD_VERSION" "$(printf 'module build/etcd\n\ngo 1.26\n\nrequire go.etcd.io/etcd/server/v3 %s' "$ETCD_VERSION")" \
    'package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() { etcdmain.Main(os.Args) }'
}

install_kube_apiserver() {
  log_once kube-apiserver "$KUBERNETES_VERSION" "5-10 minutes"
  local staging=${KUBERNETES_VERSION/v1./v0.} m gomod
  # The staging modules kubernetes' own go.mod replaces with ./staging/src/k8s.io/<name>.
  local mods="api apiextensions-apiserver apimachinery apiserver cli-runtime client-go cloud-provider
    cluster-bootstrap code-generator component-base component-helpers controller-manager cri-api
    cri-client csi-translation-lib dynamic-resource-allocation endpointslice externaljwt kms
    kube-aggregator kube-controller-manager kube-proxy kube-scheduler kubectl kubelet metrics
    mount-utils pod-security-admission sample-apiserver sample-cli-plugin sample-controller"
  gomod=$(
    printf 'module build/kube-apiserver\n\ngo 1.26\n\nrequire k8s.io/kubernetes %s\n\n' "$KUBERNETES_VERSION"
    for m in $mods; do echo "replace k8s.io/$m => k8s.io/$m $staging"; done
  )
  build_main kube-apiserver "$KUBERNETES_VERSION" "$gomod" \
    'package main

import (
	"os"

	"k8s.io/component-base/cli"
	"k8s.io/kubernetes/cmd/kube-apiserver/app"
)

func main() { os.Exit(cli.Run(app.NewAPIServerCommand())) }'
}

# kpt's own `fn` commands (render, eval, source, sink, doc) at KPT_VERSION, behind kpt's own
# error printing (its main.go). Not `go install github.com/kptdev/kpt@...`: the full CLI's
# `alpha rollouts` commands import github.com/kptdev/kpt/rollouts at a pseudo-version the module
# proxy does not serve, and nothing else of the CLI needs it. `kpt version` prints the kpt module
# version the binary was built from.
install_kpt() {
  log_once kpt "$KPT_VERSION" "3-5 minutes"
  build_main kpt "$KPT_VERSION" "$(printf 'module build/kpt\n\ngo 1.26\n\nrequire github.com/kptdev/kpt %s' "$KPT_VERSION")" \
    'package main

import (
	"context"
	"fmt"
	"os"
	"runtime/debug"

	"github.com/kptdev/kpt/commands/fn"
	"github.com/kptdev/kpt/pkg/lib/errors"
	"github.com/kptdev/kpt/pkg/lib/errors/resolver"
	"github.com/kptdev/kpt/pkg/lib/util/cmdutil"
	"github.com/kptdev/kpt/pkg/printer"
	"github.com/spf13/cobra"
	"k8s.io/component-base/cli"
)

func main() {
	cmd := &cobra.Command{Use: "kpt", SilenceUsage: true, SilenceErrors: true}
	ctx := printer.WithContext(context.Background(), printer.New(cmd.OutOrStdout(), cmd.ErrOrStderr()))
	cmd.AddCommand(fn.GetCommand(ctx, "kpt"), &cobra.Command{
		Use:   "version",
		Short: "Print the kpt module version this binary was built from",
		Run: func(c *cobra.Command, _ []string) {
			if bi, ok := debug.ReadBuildInfo(); ok {
				for _, d := range bi.Deps {
					if d.Path == "github.com/kptdev/kpt" {
						fmt.Fprintln(c.OutOrStdout(), d.Version)
					}
				}
			}
		},
	})
	if err := cli.RunNoErrOutput(cmd); err != nil {
		// As kpt main.go handleErr, minus the kubectl fallback of the commands left out.
		if re, ok := resolver.ResolveError(err); ok {
			if re.Message != "" {
				fmt.Fprintf(cmd.ErrOrStderr(), "%s \n", re.Message)
			}
			os.Exit(re.ExitCode)
		}
		var kptErr *errors.Error
		if errors.As(err, &kptErr) {
			if unwrapped, ok := errors.UnwrapErrors(kptErr); ok && !cmdutil.PrintErrorStacktrace() {
				err = unwrapped
			}
		}
		fmt.Fprintf(cmd.ErrOrStderr(), "Error: %s \n", err)
		os.Exit(1)
	}
}'
}

# log_once NAME VERSION HOWLONG: warns before a slow build, only when one is going to happen.
log_once() {
  installed "$TOOLS_DIR/$1-$2" "$1" || log "building $1 $2 (once per machine, $3)"
}

# envtest wants both control-plane binaries in one directory.
kubebuilder_assets() {
  local dir="$TOOLS_DIR/kubebuilder-assets-$KUBERNETES_VERSION-etcd-$ETCD_VERSION" etcd_bin apiserver_bin
  etcd_bin=$(install_etcd)
  apiserver_bin=$(install_kube_apiserver)
  if ! { [ -f "$dir/.complete" ] && [ -x "$dir/etcd" ] && [ -x "$dir/kube-apiserver" ]; }; then
    locked kubebuilder-assets _link_assets "$dir" "$etcd_bin" "$apiserver_bin"
  fi
  echo "$dir"
}
_link_assets() {
  local dir=$1
  tmp=$(scratch kubebuilder-assets)
  trap 'rm -rf "$tmp"' EXIT
  ln -s "$2" "$tmp/etcd"
  ln -s "$3" "$tmp/kube-apiserver"
  publish "$tmp" "$dir"
}

# upstream_crds: the files of CRD_SOURCES in one flat directory (envtest's CRDDirectoryPaths),
# keyed by a hash of the list, so changing a pin or a file installs a new directory.
upstream_crds() {
  local dir
  dir="$TOOLS_DIR/upstream-crds-$(printf '%s' "$CRD_SOURCES" | sha256sum | cut -c1-12)"
  [ -f "$dir/.complete" ] || locked upstream-crds _upstream_crds "$dir"
  echo "$dir"
}
_upstream_crds() {
  local dir=$1 word module="" version="" src="" json
  [ -f "$dir/.complete" ] && return 0
  log "downloading upstream CRDs (once per machine)"
  tmp=$(scratch upstream-crds) # not local: the EXIT trap runs after this function has returned
  trap 'rm -rf "$tmp"' EXIT
  # A throwaway module, so that no go.mod above the cache directory takes part.
  mkdir "$tmp/.mod"
  printf 'module build/crds\n\ngo 1.26\n' >"$tmp/.mod/go.mod"
  {
    echo "Upstream CRDs, unmodified, from the Go modules below (hack/tools.sh crds)."
    echo
  } >"$tmp/SOURCES"
  for word in $CRD_SOURCES; do
    if [[ $word == *.yaml ]]; then
      [ -n "$src" ] || { log "CRD_SOURCES: $word before any module"; return 1; }
      cp "$src/$word" "$tmp/$word"
      chmod 644 "$tmp/$word" # the module cache is read-only
      echo "  $word" >>"$tmp/SOURCES"
    elif [ -z "$module" ]; then
      module=$word
    elif [ -z "$version" ]; then
      version=$word
    else
      if ! json=$(cd "$tmp/.mod" && GOFLAGS=-mod=mod go mod download -json "$module@$version"); then
        log "go mod download -json $module@$version failed:"
        echo "$json" >&2
        return 1
      fi
      src=$(sed -n 's/^\t"Dir": "\(.*\)",$/\1/p' <<<"$json")/$word
      [ -d "$src" ] || { log "$module@$version has no directory $word"; return 1; }
      echo "$module $version $word:" >>"$tmp/SOURCES"
      module="" version=""
    fi
  done
  rm -rf "$tmp/.mod"
  publish "$tmp" "$dir"
}

case "${1:-all}" in
  kustomize) go_install kustomize "$KUSTOMIZE_VERSION" sigs.k8s.io/kustomize/kustomize/v5 ;;
  kpt) install_kpt ;;
  controller-gen) go_install controller-gen "$CONTROLLER_TOOLS_VERSION" sigs.k8s.io/controller-tools/cmd/controller-gen ;;
  staticcheck) go_install staticcheck "$STATICCHECK_VERSION" honnef.co/go/tools/cmd/staticcheck ;;
  actionlint) go_install actionlint "$ACTIONLINT_VERSION" github.com/rhysd/actionlint/cmd/actionlint ;;
  crds) upstream_crds ;;
  etcd) install_etcd ;;
  kube-apiserver) install_kube_apiserver ;;
  kubebuilder-assets) kubebuilder_assets ;;
  _go_install | _build_main | _link_assets | _upstream_crds) step=$1; shift; "$step" "$@" ;;
  all)
    "$BASH" "$SELF" kustomize >/dev/null
    "$BASH" "$SELF" kpt >/dev/null
    "$BASH" "$SELF" controller-gen >/dev/null
    "$BASH" "$SELF" staticcheck >/dev/null
    "$BASH" "$SELF" actionlint >/dev/null
    "$BASH" "$SELF" crds >/dev/null
    "$BASH" "$SELF" kubebuilder-assets >/dev/null
    echo "$TOOLS_DIR" ;;
  *) echo "usage: $0 kustomize|kpt|etcd|kube-apiserver|kubebuilder-assets|controller-gen|staticcheck|actionlint|crds|all" >&2; exit 2 ;;
esac
