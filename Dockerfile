# One image, both roles: no arguments runs the KRM function (ResourceList on stdin, as kustomize
# and kpt call container functions); `provision ...` is the in-cluster provisioner.
#
#   docker build --build-arg VERSION=v0.1.0 -t ghcr.io/endsys/pocketid-oidc:v0.1.0 .   (make image)
#
# Plain Dockerfile syntax on purpose (no RUN --mount, no BUILDPLATFORM): it builds the same with
# BuildKit, buildx and the classic builder.
#
# Without Docker, `make image-oci` builds the same image (internal/imagebuild: same binary path,
# user and entrypoint, distroless's accounts, CA roots and time zones) as an OCI layout; that is
# the build the release workflow publishes and tests/image inspects, and tests/image also checks
# that this file's USER, ENTRYPOINT and binary path still match it.
FROM golang:1.26 AS build
WORKDIR /src
ENV CGO_ENABLED=0 GOTOOLCHAIN=local GOFLAGS=-buildvcs=false
# Modules first: the download layer stays cached while only source changes.
COPY go.mod go.sum ./
RUN go mod download
COPY . .
# Empty VERSION keeps pkg/version's default. The version is also the tag of the provisioner image
# the function renders by default, so release builds must set it.
ARG VERSION=""
RUN ldflags="-s -w"; \
    if [ -n "$VERSION" ]; then ldflags="$ldflags -X github.com/endsys/pocketid-oidc/pkg/version.Version=$VERSION"; fi; \
    go build -trimpath -ldflags "$ldflags" -o /out/pocketid-oidc ./fn && \
    /out/pocketid-oidc version

# Static binary, no shell, no package manager. kustomize runs container functions as "nobody"
# with no network; the provisioning Job runs under Pod Security "restricted" (non-root, read-only
# root filesystem), which this image satisfies as is.
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/pocketid-oidc /usr/local/bin/pocketid-oidc
USER 65532:65532
ENTRYPOINT ["/usr/local/bin/pocketid-oidc"]
