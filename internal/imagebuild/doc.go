// Package imagebuild builds the pocketid-oidc container image without a Docker engine: the same
// image the Dockerfile describes (distroless static, nonroot), assembled from scratch with
// go-containerregistry and written as an OCI image layout.
//
// The image holds what distroless "static:nonroot" provides and the binary needs, nothing else:
//   - /usr/local/bin/pocketid-oidc, static (CGO_ENABLED=0), the entrypoint;
//   - /etc/passwd and /etc/group with root, nobody and nonroot (65532), the user it runs as,
//     and /home/nonroot, its working directory;
//   - /etc/ssl/certs/ca-certificates.crt, the Mozilla (NSS) roots of the pinned Go module
//     golang.org/x/crypto/x509roots/fallback, so that the result does not depend on the build
//     machine's trust store;
//   - /usr/share/zoneinfo, the time zone database of the Go toolchain that built the binary;
//   - /tmp (1777): kustomize and kpt mount nothing there, but Go's os.TempDir expects it.
//
// No shell, no package manager, no other executable. One multi-platform index (linux/amd64 and
// linux/arm64 by default); every platform shares the base layer and adds its binary layer.
//
// Decisions:
//   - Reproducible: file times, owners and the image creation time are fixed, and go build runs
//     with -trimpath, so the same sources and toolchain give the same digests.
//   - Roots that NSS trusts only with a distrust-after date are left out: a PEM bundle cannot
//     carry the date, and a trust store that forgot it would be kinder than Mozilla's.
//   - The paths, the user and the entrypoint are the Dockerfile's (tests/image compares them).
package imagebuild
