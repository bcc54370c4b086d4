// Command image builds the pocketid-oidc container image without a Docker engine and writes it
// as an OCI image layout (see internal/imagebuild):
//
//	go run ./hack/image -out bin/image-oci -version v0.1.0   (make image-oci)
//
// Push the multi-platform index with `crane push --index bin/image-oci REF` (the release
// workflow does).
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"strings"

	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/endsys/pocketid-oidc/internal/imagebuild"
)

func main() {
	out := flag.String("out", "bin/image-oci", "OCI layout directory to write (replaced)")
	version := flag.String("version", "", "version stamped into the binary and the image label (empty: pkg/version's default)")
	platforms := flag.String("platforms", "linux/amd64,linux/arm64/v8", "comma-separated OS/ARCH[/VARIANT]")
	pkg := flag.String("package", "./fn", "main package of the binary")
	flag.Parse()
	if err := run(*out, *version, *platforms, *pkg); err != nil {
		fmt.Fprintln(os.Stderr, "image:", err)
		os.Exit(1)
	}
}

func run(out, version, platforms, pkg string) error {
	var ps []v1.Platform
	for _, s := range strings.Split(platforms, ",") {
		p, err := v1.ParsePlatform(strings.TrimSpace(s))
		if err != nil || p.OS == "" || p.Architecture == "" {
			return fmt.Errorf("-platforms: %q is not OS/ARCH[/VARIANT]", s)
		}
		ps = append(ps, *p)
	}
	idx, err := imagebuild.Build(context.Background(), imagebuild.Options{
		ModuleDir: ".", Package: pkg, Version: version, Platforms: ps,
		Log: func(format string, args ...any) { fmt.Fprintf(os.Stderr, "image: "+format+"\n", args...) },
	})
	if err != nil {
		return err
	}
	if err := imagebuild.WriteLayout(out, idx); err != nil {
		return err
	}
	digest, err := idx.Digest()
	if err != nil {
		return err
	}
	fmt.Printf("%s@%s\n", out, digest)
	return nil
}
