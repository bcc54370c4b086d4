# pocketid-oidc. `make demo` renders the quickstart; `make test` runs every test (what CI runs).
SHELL := /usr/bin/env bash
.SHELLFLAGS := -euo pipefail -c

VERSION ?= $(shell sed -n 's/^var Version = "\(.*\)"/\1/p' pkg/version/version.go)
LDFLAGS := -s -w -X github.com/endsys/pocketid-oidc/pkg/version.Version=$(VERSION)
BIN := bin/pocketid-oidc
GO_SOURCES := $(shell find . -name '*.go' -not -path './.cache/*') go.mod go.sum $(shell find pkg -name '*.yaml')

.PHONY: all build demo test unit e2e bench lint schema docs image tools clean

all: build

$(BIN): $(GO_SOURCES)
	CGO_ENABLED=0 go build -trimpath -ldflags '$(LDFLAGS)' -o $(BIN) ./fn

build: $(BIN)

tools:
	hack/tools.sh all

# Renders the quickstart example with the real kustomize binary.
demo: $(BIN)
	$$(hack/tools.sh kustomize) build --enable-alpha-plugins --enable-exec examples/quickstart

test: $(BIN)
	KUSTOMIZE=$$(hack/tools.sh kustomize) \
	KUBEBUILDER_ASSETS=$$(hack/tools.sh kubebuilder-assets) \
	POCKETID_OIDC_BIN=$(CURDIR)/$(BIN) \
	go test -count=1 ./...

clean:
	rm -rf bin
