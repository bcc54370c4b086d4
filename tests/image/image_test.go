package image

import (
	"archive/tar"
	"bufio"
	"context"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"io"
	"maps"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/layout"

	"github.com/endsys/pocketid-oidc/internal/imagebuild"
)

// testVersion is stamped into the binary, so that `version` proves the layer holds the binary
// this test built, with the Makefile's ldflags.
const testVersion = "v0.0.0-imagetest"

// maxCompressedSize is the budget of one platform's image: config and compressed layers.
const maxCompressedSize = 25 << 20

// file is one regular file or directory of an image's filesystem, as its layers leave it.
type file struct {
	hdr  *tar.Header
	data []byte
}

type built struct {
	index    v1.ImageIndex // read back from the OCI layout on disk
	digest   v1.Hash
	images   map[string]v1.Image // by platform, e.g. linux/arm64/v8
	layout   string
	buildErr error
}

var build = sync.OnceValue(func() *built {
	b := &built{images: map[string]v1.Image{}}
	dir, err := os.MkdirTemp("", "pocketid-oidc-imagetest-")
	if err != nil {
		b.buildErr = err
		return b
	}
	b.layout = filepath.Join(dir, "image-oci")
	b.index, b.digest, b.buildErr = buildLayout(b.layout)
	if b.buildErr != nil {
		return b
	}
	m, err := b.index.IndexManifest()
	if err != nil {
		b.buildErr = err
		return b
	}
	for _, d := range m.Manifests {
		img, err := b.index.Image(d.Digest)
		if err != nil {
			b.buildErr = err
			return b
		}
		b.images[d.Platform.String()] = img
	}
	return b
})

// buildLayout builds the image, writes its OCI layout and reads it back, as a registry client
// pushing the layout would.
func buildLayout(dir string) (v1.ImageIndex, v1.Hash, error) {
	idx, err := imagebuild.Build(context.Background(), imagebuild.Options{ModuleDir: repoRoot(), Version: testVersion})
	if err != nil {
		return nil, v1.Hash{}, err
	}
	if err := imagebuild.WriteLayout(dir, idx); err != nil {
		return nil, v1.Hash{}, err
	}
	fromDisk, err := layout.ImageIndexFromPath(dir)
	if err != nil {
		return nil, v1.Hash{}, err
	}
	digest, err := idx.Digest()
	return fromDisk, digest, err
}

func TestMain(m *testing.M) {
	code := m.Run()
	if b := build(); b.layout != "" {
		os.RemoveAll(filepath.Dir(b.layout))
	}
	os.Exit(code)
}

func image(t *testing.T) *built {
	t.Helper()
	b := build()
	if b.buildErr != nil {
		t.Fatalf("building the image: %v", b.buildErr)
	}
	return b
}

func repoRoot() string { return filepath.Join("..", "..") }

// filesystem flattens an image's layers into path -> file (later layers win, as in a container).
func filesystem(t *testing.T, img v1.Image) map[string]file {
	t.Helper()
	layers, err := img.Layers()
	if err != nil {
		t.Fatal(err)
	}
	fs := map[string]file{}
	for _, l := range layers {
		rc, err := l.Uncompressed()
		if err != nil {
			t.Fatal(err)
		}
		tr := tar.NewReader(rc)
		for {
			hdr, err := tr.Next()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			data, err := io.ReadAll(tr)
			if err != nil {
				t.Fatal(err)
			}
			fs[path.Clean("/"+hdr.Name)] = file{hdr: hdr, data: data}
		}
		rc.Close()
	}
	return fs
}

func TestIndexServesEveryPlatform(t *testing.T) {
	b := image(t)
	for _, p := range imagebuild.DefaultPlatforms {
		img, ok := b.images[p.String()]
		if !ok {
			t.Errorf("no image for %s in the index (have %v)", p.String(), slices.Sorted(maps.Keys(b.images)))
			continue
		}
		cfg, err := img.ConfigFile()
		if err != nil {
			t.Fatal(err)
		}
		if cfg.OS != p.OS || cfg.Architecture != p.Architecture {
			t.Errorf("%s: config says %s/%s", p.String(), cfg.OS, cfg.Architecture)
		}
	}
}

func TestConfig(t *testing.T) {
	for name, img := range image(t).images {
		cfg, err := img.ConfigFile()
		if err != nil {
			t.Fatal(err)
		}
		c := cfg.Config
		if strings.Join(c.Entrypoint, " ") != "/usr/local/bin/pocketid-oidc" || len(c.Cmd) != 0 {
			t.Errorf("%s: entrypoint %q cmd %q, want [/usr/local/bin/pocketid-oidc] and no cmd", name, c.Entrypoint, c.Cmd)
		}
		if c.User != "65532:65532" {
			t.Errorf("%s: user %q, want 65532:65532 (nonroot, Pod Security restricted)", name, c.User)
		}
		if !slices.Contains(c.Env, "SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt") {
			t.Errorf("%s: env %q lacks SSL_CERT_FILE", name, c.Env)
		}
		if c.Labels["org.opencontainers.image.version"] != testVersion {
			t.Errorf("%s: version label %q, want %q", name, c.Labels["org.opencontainers.image.version"], testVersion)
		}
	}
}

// TestNoShell: the only executable file is the binary, so no shell and no busybox under any
// name; and no /bin/sh, in case a later change adds one without its executable bit.
func TestNoShell(t *testing.T) {
	for name, img := range image(t).images {
		fs := filesystem(t, img)
		for p, f := range fs {
			if f.hdr.Typeflag == tar.TypeSymlink || f.hdr.Typeflag == tar.TypeLink {
				t.Errorf("%s: unexpected link %s -> %s", name, p, f.hdr.Linkname)
			}
			if f.hdr.Typeflag == tar.TypeReg && f.hdr.Mode&0o111 != 0 && p != imagebuild.BinaryPath {
				t.Errorf("%s: executable %s (only %s may be)", name, p, imagebuild.BinaryPath)
			}
		}
		for _, sh := range []string{"/bin/sh", "/bin/bash", "/bin/ash", "/bin/busybox", "/usr/bin/sh", "/usr/bin/env"} {
			if _, ok := fs[sh]; ok {
				t.Errorf("%s: %s is in the image", name, sh)
			}
		}
	}
}

func TestAccountsAndFiles(t *testing.T) {
	for name, img := range image(t).images {
		fs := filesystem(t, img)
		passwd := string(fs["/etc/passwd"].data)
		if !strings.Contains(passwd, "\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n") {
			t.Errorf("%s: /etc/passwd has no nonroot 65532 entry:\n%s", name, passwd)
		}
		if !strings.Contains(string(fs["/etc/group"].data), "\nnonroot:x:65532:\n") {
			t.Errorf("%s: /etc/group has no nonroot 65532 entry", name)
		}
		home := fs["/home/nonroot"].hdr
		if home == nil || home.Uid != 65532 || home.Gid != 65532 {
			t.Errorf("%s: /home/nonroot is not owned by 65532: %+v", name, home)
		}
		if tmp := fs["/tmp"].hdr; tmp == nil || tmp.Mode&0o1777 != 0o1777 {
			t.Errorf("%s: /tmp is not 1777: %+v", name, tmp)
		}
		if bin := fs[imagebuild.BinaryPath].hdr; bin == nil || bin.Uid != 0 || bin.Mode&0o022 != 0 {
			t.Errorf("%s: %s must be root-owned and not writable by others: %+v", name, imagebuild.BinaryPath, bin)
		}
		if _, ok := fs["/usr/share/zoneinfo/Europe/Berlin"]; !ok {
			t.Errorf("%s: no time zone database (/usr/share/zoneinfo/Europe/Berlin)", name)
		}
	}
}

func TestCACertificates(t *testing.T) {
	for name, img := range image(t).images {
		data := filesystem(t, img)[imagebuild.CABundlePath].data
		var n int
		for {
			var block *pem.Block
			block, data = pem.Decode(data)
			if block == nil {
				break
			}
			if _, err := x509.ParseCertificate(block.Bytes); err != nil {
				t.Errorf("%s: certificate %d: %v", name, n, err)
			}
			n++
		}
		if len(strings.TrimSpace(string(data))) != 0 {
			t.Errorf("%s: trailing non-PEM data in %s", name, imagebuild.CABundlePath)
		}
		// The NSS store holds well over a hundred roots; a handful would mean a broken bundle.
		if n < 100 {
			t.Errorf("%s: %s holds %d certificates, want the NSS roots (100+)", name, imagebuild.CABundlePath, n)
		}
	}
}

// TestBinaryRunsVersion extracts the binary of this machine's platform from its layer and runs
// it: the image holds a working static binary stamped with the build's version.
func TestBinaryRunsVersion(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Fatalf("the image's binary runs on linux only; this test cannot prove it on %s", runtime.GOOS)
	}
	var img v1.Image
	for _, p := range imagebuild.DefaultPlatforms {
		if p.Architecture == runtime.GOARCH {
			img = image(t).images[p.String()]
		}
	}
	if img == nil {
		t.Fatalf("the index has no image for this machine's architecture %s", runtime.GOARCH)
	}
	bin := filepath.Join(t.TempDir(), "pocketid-oidc")
	if err := os.WriteFile(bin, filesystem(t, img)[imagebuild.BinaryPath].data, 0o755); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "version")
	cmd.Env = []string{} // nothing from this machine: as in the image
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s version: %v\n%s", imagebuild.BinaryPath, err, out)
	}
	if strings.TrimSpace(string(out)) != testVersion {
		t.Errorf("version printed %q, want %q", out, testVersion)
	}
}

// TestCompressedSize is what a node pulls for one platform: config and compressed layers.
func TestCompressedSize(t *testing.T) {
	for name, img := range image(t).images {
		m, err := img.Manifest()
		if err != nil {
			t.Fatal(err)
		}
		size := m.Config.Size
		for _, l := range m.Layers {
			size += l.Size
		}
		t.Logf("%s: compressed size %.1f MiB (%d bytes, %d layers)", name, float64(size)/(1<<20), size, len(m.Layers))
		if size > maxCompressedSize {
			t.Errorf("%s: compressed size %d bytes exceeds the budget of %d", name, size, maxCompressedSize)
		}
	}
}

// TestReproducible builds again: the same sources give the same index digest.
func TestReproducible(t *testing.T) {
	b := image(t)
	_, digest, err := buildLayout(filepath.Join(t.TempDir(), "image-oci"))
	if err != nil {
		t.Fatal(err)
	}
	if digest != b.digest {
		t.Errorf("second build: index %s, first build %s", digest, b.digest)
	}
}

// TestDockerfileDescribesTheSameImage keeps the Dockerfile (for Docker users) and this build in
// step: same binary path, user and entrypoint.
func TestDockerfileDescribesTheSameImage(t *testing.T) {
	f, err := os.Open(filepath.Join(repoRoot(), "Dockerfile"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var user, entrypoint, copyDst string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) < 2 {
			continue
		}
		switch fields[0] {
		case "USER":
			user = fields[1]
		case "ENTRYPOINT":
			var ep []string
			if err := json.Unmarshal([]byte(strings.Join(fields[1:], " ")), &ep); err != nil {
				t.Fatalf("Dockerfile ENTRYPOINT is not exec form: %v", err)
			}
			entrypoint = strings.Join(ep, " ")
		case "COPY":
			copyDst = fields[len(fields)-1]
		}
	}
	cfg, err := image(t).images[imagebuild.DefaultPlatforms[0].String()].ConfigFile()
	if err != nil {
		t.Fatal(err)
	}
	if user != cfg.Config.User {
		t.Errorf("Dockerfile USER %q, image %q", user, cfg.Config.User)
	}
	if entrypoint != strings.Join(cfg.Config.Entrypoint, " ") {
		t.Errorf("Dockerfile ENTRYPOINT %q, image %q", entrypoint, cfg.Config.Entrypoint)
	}
	if copyDst != imagebuild.BinaryPath {
		t.Errorf("Dockerfile's last COPY puts the binary at %q, the image at %q", copyDst, imagebuild.BinaryPath)
	}
}
