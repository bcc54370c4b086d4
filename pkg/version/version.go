// Package version is this build's version, stamped by the Makefile and Dockerfile with
// -ldflags "-X github.com/endsys/pocketid-oidc/pkg/version.Version=vX.Y.Z".
package version

// Version of this build. The default is the release the source tree is heading for, so that an
// unstamped `go build` renders the same default provisioner image as the tests expect.
var Version = "v0.1.0"

// ImageRepository is where the provisioner image is published.
const ImageRepository = "ghcr.io/endsys/pocketid-oidc"

// Image is the default provisioner image: this build's own tag.
func Image() string { return ImageRepository + ":" + Version }
