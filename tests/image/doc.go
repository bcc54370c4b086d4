// Package image builds the container image the Docker-free way (internal/imagebuild, what
// `make image-oci` and the release workflow publish) and looks inside it: entrypoint, user,
// no shell and no other executable, CA roots, accounts, time zones, the binary of the layer runs
// `version`, the compressed size stays under budget, the build is reproducible, and the
// Dockerfile describes the same paths, user and entrypoint.
//
// Needs only Go: the binary is cross-compiled for every platform of the index (the first run on
// a machine compiles the dependencies for linux/arm64 once; the build cache keeps them).
package image
