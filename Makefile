# pocketid-oidc. `make demo` renders the quickstart; `make test` runs every check CI runs
# (.ci/run calls exactly `make test`). See docs/development.md.
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
# One shell per recipe: tool paths computed in one line are visible in the next, and any failing
# line stops the recipe (-e).
.ONESHELL:
.DEFAULT_GOAL := build

VERSION ?= $(shell sed -n 's/^var Version = "\(.*\)"/\1/p' pkg/version/version.go)
LDFLAGS := -s -w -X github.com/endsys/pocketid-oidc/pkg/version.Version=$(VERSION)
BIN := bin/pocketid-oidc
IMAGE ?= ghcr.io/endsys/pocketid-oidc
TOOLS := hack/tools.sh
# Everything the binary is built from, embedded YAML (presets, CRDs) included.
BIN_SOURCES := go.mod go.sum $(shell find fn pkg config internal -type f \( -name '*.go' -o -name '*.yaml' \) -not -name '*_test.go' -not -path '*/testdata/*' 2>/dev/null)

# Fuzz targets `make test` runs briefly, as package:FuzzName. A target whose package or function
# does not exist yet is skipped with a notice (hack/fuzz.sh decides that with `go test -list`).
FUZZ_TARGETS := ./pkg/provision:FuzzParseDocuments ./pkg/pocketid:FuzzDecodeAPIError ./pkg/api/v1alpha1:FuzzDecode ./pkg/function:FuzzRun
FUZZTIME ?= 10s
# make bench: runs per size (median reported) and which benchmarks.
BENCH_COUNT ?= 5
BENCH ?= Function|Render|Provision

# Installs the pinned tools (first time per machine only) and exports their paths for the tests.
# Assignments and exports are separate so that a failed install fails the recipe under -e.
define TOOLS_ENV
KUSTOMIZE=$$($(TOOLS) kustomize)
KPT=$$($(TOOLS) kpt)
CONTROLLER_GEN=$$($(TOOLS) controller-gen)
KUBEBUILDER_ASSETS=$$($(TOOLS) kubebuilder-assets)
UPSTREAM_CRDS=$$($(TOOLS) crds)
ACTIONLINT=$$($(TOOLS) actionlint)
POCKETID_OIDC_BIN=$(CURDIR)/$(BIN)
export KUSTOMIZE KPT CONTROLLER_GEN KUBEBUILDER_ASSETS UPSTREAM_CRDS ACTIONLINT POCKETID_OIDC_BIN
endef

.PHONY: all build demo test fmt-check vet fuzz bench lint schema docs image image-oci tools clean

all: build

$(BIN): $(BIN_SOURCES)
	CGO_ENABLED=0 go build -trimpath -ldflags '$(LDFLAGS)' -o $(BIN) ./fn

build: $(BIN)

tools:
	$(TOOLS) all

# Renders the quickstart example: kustomize built in, the function run as bin/pocketid-oidc
# (byte for byte what `kustomize build --enable-alpha-plugins --enable-exec` prints).
demo: $(BIN)
	$(BIN) render --stdout examples/quickstart

# THE test command (README, .ci/run): formatting, vet, every test with the real tools, then a
# short fuzz of the parsers that read untrusted input.
test: $(BIN) fmt-check vet
	$(TOOLS_ENV)
	go test -count=1 ./...
	hack/fuzz.sh $(FUZZTIME) $(FUZZ_TARGETS)

fuzz:
	hack/fuzz.sh $(FUZZTIME) $(FUZZ_TARGETS)

fmt-check:
	unformatted=$$(gofmt -l $$(find . -name '*.go' -not -path './.cache/*' -not -path './bin/*'))
	if [ -n "$$unformatted" ]; then echo "gofmt needed (run gofmt -w):" >&2; echo "$$unformatted" >&2; exit 1; fi

vet:
	go vet ./...

lint: fmt-check vet
	"$$($(TOOLS) staticcheck)" ./...

# Function vs. an identity function on the same SDK at 5,000 and 10,000 objects: time ratio and
# peak memory; `render --check` of a generated 100-app repository vs. the per-directory kustomize
# loop: time ratio (tests/bench). Plain `go test ./...` runs only the generators' tests.
bench: $(BIN)
	KUSTOMIZE=$$($(TOOLS) kustomize)
	KUSTOMIZE=$$KUSTOMIZE POCKETID_OIDC_BIN=$(CURDIR)/$(BIN) go test -run '^$$' -bench '$(BENCH)' -benchtime $(BENCH_COUNT)x -timeout 60m ./tests/bench

# Regenerates config/crd/bases and the API's deep copies (zz_generated.deepcopy.go) from the Go
# types. The CRDs are generated into a scratch directory first, so a failing controller-gen
# leaves the committed files alone, then swapped in whole so that a CRD for a removed kind
# disappears too.
schema:
	cg=$$($(TOOLS) controller-gen)
	out=$$(mktemp -d)
	trap 'rm -rf "$$out"' EXIT
	"$$cg" crd paths=./pkg/api/... output:crd:artifacts:config="$$out"
	"$$cg" object paths=./pkg/api/...
	rm -f config/crd/bases/*.yaml
	cp "$$out"/*.yaml config/crd/bases/

# Regenerates docs/presets.md from the preset catalog (pkg/preset); TestDocs fails when it is
# stale. UPDATE_GOLDEN=1 is the one switch of every golden file (docs/development.md).
docs:
	UPDATE_GOLDEN=1 go test ./pkg/preset -run '^TestDocs$$'

# Needs a Docker engine; VERSION is stamped into the binary and tags the image.
image:
	docker build --build-arg VERSION=$(VERSION) -t $(IMAGE):$(VERSION) .

# The same image without Docker (internal/imagebuild, checked by tests/image): an OCI layout of
# linux/amd64 and linux/arm64 in bin/image-oci, printed with its index digest. The release
# workflow pushes it with `crane push --index bin/image-oci $(IMAGE):$(VERSION)`.
image-oci:
	go run ./hack/image -out bin/image-oci -version $(VERSION)

# The tool cache (~/.cache/pocketid-oidc/tools) is shared across clones and kept.
clean:
	rm -rf bin
