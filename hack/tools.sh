#!/usr/bin/env bash
# Installs the pinned external tools the tests use into a version-keyed cache outside the repo,
# so a fresh clone (or CI) pays each build once per machine.
#
#   hack/tools.sh kustomize|etcd|kube-apiserver|controller-gen|staticcheck|all
#
# Prints the absolute path of the installed binary (for `all`: of the tools directory).
set -euo pipefail

KUSTOMIZE_VERSION=v5.7.1
ETCD_VERSION=v3.6.16
KUBERNETES_VERSION=v1.37.2
CONTROLLER_TOOLS_VERSION=${CONTROLLER_TOOLS_VERSION:-v0.20.0}
STATICCHECK_VERSION=${STATICCHECK_VERSION:-2025.1.1}

TOOLS_DIR=${POCKETID_OIDC_TOOLS:-${XDG_CACHE_HOME:-$HOME/.cache}/pocketid-oidc/tools}
mkdir -p "$TOOLS_DIR"

log() { echo "tools: $*" >&2; }

# go_install NAME VERSION PKG: `go install PKG@VERSION` into $TOOLS_DIR/NAME-VERSION/.
go_install() {
  local name=$1 version=$2 pkg=$3 dir="$TOOLS_DIR/$1-$2"
  if [ ! -x "$dir/$name" ]; then
    log "installing $name $version (once per machine)"
    mkdir -p "$dir.tmp"
    GOBIN="$dir.tmp" GOFLAGS=-mod=mod go install "$pkg@$version"
    mv "$dir.tmp/$(basename "${pkg%/v[0-9]*}")" "$dir.tmp/$name" 2>/dev/null || true
    rm -rf "$dir" && mv "$dir.tmp" "$dir"
  fi
  echo "$dir/$name"
}

# build_module NAME VERSION: builds a binary from a throwaway module (replace directives are
# needed, which `go install pkg@version` refuses).
build_etcd() {
  local dir="$TOOLS_DIR/etcd-$ETCD_VERSION"
  if [ ! -x "$dir/etcd" ]; then
    log "building etcd $ETCD_VERSION (once per machine, about a minute)"
    local work; work=$(mktemp -d)
    cat >"$work/go.mod" <<MOD
module build/etcd

go 1.26
MOD
    cat >"$work/tools.go" <<'SRC'
//go:build tools

package tools

import _ "go.etcd.io/etcd/server/v3"
SRC
    (cd "$work" && GOFLAGS=-mod=mod go get "go.etcd.io/etcd/server/v3@$ETCD_VERSION" >/dev/null 2>&1 &&
      GOFLAGS=-mod=mod go get "go.etcd.io/etcd/server/v3/etcdmain@$ETCD_VERSION" >/dev/null 2>&1 || true)
    cat >"$work/main.go" <<'SRC'
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() { etcdmain.Main(os.Args) }
SRC
    rm -f "$work/tools.go"
    (cd "$work" && GOFLAGS=-mod=mod go mod tidy >&2 && CGO_ENABLED=0 go build -trimpath -ldflags=-s -o "$work/etcd" .)
    mkdir -p "$dir" && mv "$work/etcd" "$dir/etcd" && rm -rf "$work"
  fi
  echo "$dir/etcd"
}

build_kube_apiserver() {
  local dir="$TOOLS_DIR/kube-apiserver-$KUBERNETES_VERSION"
  if [ ! -x "$dir/kube-apiserver" ]; then
    log "building kube-apiserver $KUBERNETES_VERSION (once per machine, 5-10 minutes)"
    local work; work=$(mktemp -d)
    local staging=${KUBERNETES_VERSION/v1./v0.}
    # The staging modules kubernetes' own go.mod replaces with ./staging/src/k8s.io/<name>.
    local mods="api apiextensions-apiserver apimachinery apiserver cli-runtime client-go cloud-provider
      cluster-bootstrap code-generator component-base component-helpers controller-manager cri-api
      cri-client csi-translation-lib dynamic-resource-allocation endpointslice externaljwt kms
      kube-aggregator kube-controller-manager kube-proxy kube-scheduler kubectl kubelet metrics
      mount-utils pod-security-admission sample-apiserver sample-cli-plugin sample-controller"
    {
      echo "module build/kube-apiserver"
      echo
      echo "go 1.26"
      echo
      echo "require k8s.io/kubernetes $KUBERNETES_VERSION"
      echo
      for m in $mods; do echo "replace k8s.io/$m => k8s.io/$m $staging"; done
    } >"$work/go.mod"
    cat >"$work/main.go" <<'SRC'
package main

import (
	"os"

	"k8s.io/component-base/cli"
	"k8s.io/kubernetes/cmd/kube-apiserver/app"
)

func main() { os.Exit(cli.Run(app.NewAPIServerCommand())) }
SRC
    (cd "$work" && GOFLAGS=-mod=mod go mod tidy >&2 &&
      CGO_ENABLED=0 go build -trimpath -ldflags=-s -o "$work/kube-apiserver" .)
    mkdir -p "$dir" && mv "$work/kube-apiserver" "$dir/kube-apiserver" && rm -rf "$work"
  fi
  echo "$dir/kube-apiserver"
}

case "${1:-all}" in
  kustomize) go_install kustomize "$KUSTOMIZE_VERSION" sigs.k8s.io/kustomize/kustomize/v5 ;;
  controller-gen) go_install controller-gen "$CONTROLLER_TOOLS_VERSION" sigs.k8s.io/controller-tools/cmd/controller-gen ;;
  staticcheck) go_install staticcheck "$STATICCHECK_VERSION" honnef.co/go/tools/cmd/staticcheck ;;
  etcd) build_etcd ;;
  kube-apiserver) build_kube_apiserver ;;
  # envtest wants both control-plane binaries in one directory.
  kubebuilder-assets)
    dir="$TOOLS_DIR/kubebuilder-assets-$KUBERNETES_VERSION-etcd-$ETCD_VERSION"
    mkdir -p "$dir"
    ln -sf "$(build_etcd)" "$dir/etcd"
    ln -sf "$(build_kube_apiserver)" "$dir/kube-apiserver"
    echo "$dir" ;;
  all)
    "$0" kustomize >/dev/null
    "$0" kubebuilder-assets >/dev/null
    echo "$TOOLS_DIR" ;;
  *) echo "usage: $0 kustomize|etcd|kube-apiserver|kubebuilder-assets|controller-gen|staticcheck|all" >&2; exit 2 ;;
esac
