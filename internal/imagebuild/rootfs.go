package imagebuild

import (
	"archive/zip"
	"fmt"
	"io"
	"path"
	"strings"
)

// The user the image runs as: distroless's "nonroot", whose uid and gid are both 65532.
const (
	NonRootUID = 65532
	User       = "65532:65532"
	HomeDir    = "/home/nonroot"
)

// Paths in the image.
const (
	BinaryPath   = "/usr/local/bin/pocketid-oidc"
	CABundlePath = "/etc/ssl/certs/ca-certificates.crt"
	ZoneInfoDir  = "/usr/share/zoneinfo"
)

// Same accounts and shells as distroless: nobody may log in.
const passwd = `root:x:0:0:root:/root:/sbin/nologin
nobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin
nonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin
`

const group = `root:x:0:
nobody:x:65534:
tty:x:5:
staff:x:50:
nonroot:x:65532:
`

// baseEntries are the files every platform's image shares: accounts, CA roots, time zones.
// zoneinfoZip is the toolchain's $GOROOT/lib/time/zoneinfo.zip.
func baseEntries(zoneinfoZip string) ([]entry, error) {
	entries := []entry{
		{Name: "/etc/passwd", Mode: 0o644, Data: []byte(passwd)},
		{Name: "/etc/group", Mode: 0o644, Data: []byte(group)},
		{Name: CABundlePath, Mode: 0o644, Data: caBundle()},
		{Name: HomeDir, Dir: true, Mode: 0o700, UID: NonRootUID, GID: NonRootUID},
		{Name: "/root", Dir: true, Mode: 0o700},
		{Name: "/tmp", Dir: true, Mode: 0o1777},
	}
	zones, err := zoneEntries(zoneinfoZip)
	if err != nil {
		return nil, err
	}
	return withParents(append(entries, zones...)), nil
}

// zoneEntries unpacks Go's zoneinfo.zip under ZoneInfoDir, where Go's time package (and
// anything else) looks on Linux.
func zoneEntries(zipPath string) ([]entry, error) {
	zr, err := zip.OpenReader(zipPath)
	if err != nil {
		return nil, fmt.Errorf("time zone database: %w", err)
	}
	defer zr.Close()
	var out []entry
	for _, f := range zr.File {
		if f.FileInfo().IsDir() {
			continue
		}
		name := path.Clean("/" + f.Name)
		if strings.Contains(f.Name, "..") {
			return nil, fmt.Errorf("time zone database %s: unexpected entry %q", zipPath, f.Name)
		}
		rc, err := f.Open()
		if err != nil {
			return nil, fmt.Errorf("time zone database %s: %w", zipPath, err)
		}
		data, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			return nil, fmt.Errorf("time zone database %s: %s: %w", zipPath, f.Name, err)
		}
		out = append(out, entry{Name: ZoneInfoDir + name, Mode: 0o644, Data: data})
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("time zone database %s: empty", zipPath)
	}
	return out, nil
}
