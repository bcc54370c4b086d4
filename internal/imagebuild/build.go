package imagebuild

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// versionVar is the variable go build stamps the release version into (the Makefile's and the
// Dockerfile's -X flag).
const versionVar = "github.com/endsys/pocketid-oidc/pkg/version.Version"

// DefaultPlatforms are the platforms a release image serves.
var DefaultPlatforms = []v1.Platform{
	{OS: "linux", Architecture: "amd64"},
	{OS: "linux", Architecture: "arm64", Variant: "v8"},
}

// Options say what to build.
type Options struct {
	// ModuleDir is the root of this repository (where go build runs).
	ModuleDir string
	// Package is the main package of the binary, relative to ModuleDir; default ./fn.
	Package string
	// Version is stamped into the binary and labels the image. Empty keeps pkg/version's
	// default, as the Dockerfile does.
	Version string
	// Platforms default to DefaultPlatforms.
	Platforms []v1.Platform
	// Log receives one line per step; nil discards.
	Log func(format string, args ...any)
}

// Build compiles the binary for every platform and assembles the multi-platform image index.
func Build(ctx context.Context, o Options) (v1.ImageIndex, error) {
	if o.Package == "" {
		o.Package = "./fn"
	}
	if len(o.Platforms) == 0 {
		o.Platforms = DefaultPlatforms
	}
	if o.Log == nil {
		o.Log = func(string, ...any) {}
	}
	goroot, err := goCommand(ctx, o.ModuleDir, nil, "env", "GOROOT")
	if err != nil {
		return nil, err
	}
	base, err := baseEntries(filepath.Join(strings.TrimSpace(goroot), "lib", "time", "zoneinfo.zip"))
	if err != nil {
		return nil, err
	}
	baseLayer, err := layer(base)
	if err != nil {
		return nil, fmt.Errorf("base layer: %w", err)
	}
	tmp, err := os.MkdirTemp("", "pocketid-oidc-image-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)

	var idx v1.ImageIndex = mutate.IndexMediaType(empty.Index, types.OCIImageIndex)
	for _, p := range o.Platforms {
		o.Log("building %s for %s", o.Package, p.String())
		bin, err := buildBinary(ctx, o, p, filepath.Join(tmp, p.OS+"-"+p.Architecture))
		if err != nil {
			return nil, err
		}
		img, err := platformImage(o.Version, p, baseLayer, bin)
		if err != nil {
			return nil, fmt.Errorf("image for %s: %w", p.String(), err)
		}
		platform := p
		idx = mutate.AppendManifests(idx, mutate.IndexAddendum{
			Add:        img,
			Descriptor: v1.Descriptor{Platform: &platform},
		})
	}
	return idx, nil
}

// buildBinary is the Makefile's build for one platform: static, trimmed, stripped.
func buildBinary(ctx context.Context, o Options, p v1.Platform, out string) ([]byte, error) {
	ldflags := "-s -w"
	if o.Version != "" {
		ldflags += " -X " + versionVar + "=" + o.Version
	}
	env := []string{"CGO_ENABLED=0", "GOOS=" + p.OS, "GOARCH=" + p.Architecture}
	if _, err := goCommand(ctx, o.ModuleDir, env, "build", "-trimpath", "-ldflags", ldflags, "-o", out, o.Package); err != nil {
		return nil, err
	}
	return os.ReadFile(out)
}

// platformImage is the base layer plus the binary layer, configured like the Dockerfile's image.
func platformImage(version string, p v1.Platform, base v1.Layer, bin []byte) (v1.Image, error) {
	binLayer, err := layer(withParents([]entry{{Name: BinaryPath, Mode: 0o755, Data: bin}}))
	if err != nil {
		return nil, err
	}
	img := mutate.MediaType(empty.Image, types.OCIManifestSchema1)
	img = mutate.ConfigMediaType(img, types.OCIConfigJSON)
	labels := map[string]string{
		"org.opencontainers.image.title":  "pocketid-oidc",
		"org.opencontainers.image.source": "https://github.com/endsys/pocketid-oidc",
	}
	if version != "" {
		labels["org.opencontainers.image.version"] = version
	}
	img, err = mutate.ConfigFile(img, &v1.ConfigFile{
		Architecture: p.Architecture,
		OS:           p.OS,
		Variant:      p.Variant,
		Created:      v1.Time{Time: epoch},
		Config: v1.Config{
			Entrypoint: []string{BinaryPath},
			User:       User,
			WorkingDir: HomeDir,
			Env: []string{
				"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
				"SSL_CERT_FILE=" + CABundlePath,
			},
			Labels: labels,
		},
	})
	if err != nil {
		return nil, err
	}
	return mutate.Append(img,
		mutate.Addendum{Layer: base, History: v1.History{Created: v1.Time{Time: epoch}, CreatedBy: "pocketid-oidc imagebuild: accounts, CA roots, time zones"}},
		mutate.Addendum{Layer: binLayer, History: v1.History{Created: v1.Time{Time: epoch}, CreatedBy: "pocketid-oidc imagebuild: " + BinaryPath}},
	)
}

// goCommand runs the go command in dir and returns its stdout; a failure carries its stderr.
func goCommand(ctx context.Context, dir string, env []string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = dir
	// GOFLAGS of the caller (e.g. -mod=mod) apply; a GOOS/GOARCH of the caller is overridden.
	cmd.Env = append(os.Environ(), env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("go %s: %w\n%s", strings.Join(args, " "), err, stderr.String())
	}
	return stdout.String(), nil
}
