package imagebuild

import (
	"archive/tar"
	"bytes"
	"io"
	"path"
	"sort"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// epoch is the time of every file and of the image itself: a fixed time keeps the digests a
// function of the contents only. The Unix epoch, as ko and distroless use.
var epoch = time.Unix(0, 0).UTC()

// entry is one file or directory of a layer.
type entry struct {
	Name     string // absolute path in the image, e.g. /etc/passwd
	Dir      bool
	Mode     int64 // permission bits (and sticky bit)
	UID, GID int
	Data     []byte
}

// layer writes entries as one gzip-compressed OCI layer. Entries are sorted by path and every
// parent directory appears before its children, as container runtimes expect.
func layer(entries []entry) (v1.Layer, error) {
	sorted := append([]entry(nil), entries...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].Name < sorted[j].Name })
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, e := range sorted {
		h := &tar.Header{
			Name:    e.Name[1:], // tar paths are relative to the root
			Mode:    e.Mode,
			Uid:     e.UID,
			Gid:     e.GID,
			ModTime: epoch,
			Format:  tar.FormatPAX,
		}
		if e.Dir {
			h.Typeflag = tar.TypeDir
			h.Name += "/"
		} else {
			h.Typeflag = tar.TypeReg
			h.Size = int64(len(e.Data))
		}
		if err := tw.WriteHeader(h); err != nil {
			return nil, err
		}
		if _, err := tw.Write(e.Data); err != nil {
			return nil, err
		}
	}
	if err := tw.Close(); err != nil {
		return nil, err
	}
	data := buf.Bytes()
	return tarball.LayerFromOpener(func() (io.ReadCloser, error) {
		return io.NopCloser(bytes.NewReader(data)), nil
	}, tarball.WithMediaType(types.OCILayer), tarball.WithCompressedCaching)
}

// withParents adds the missing parent directories of entries (root-owned, 0755).
func withParents(entries []entry) []entry {
	have := map[string]bool{}
	for _, e := range entries {
		have[e.Name] = true
	}
	out := entries
	for _, e := range entries {
		for dir := path.Dir(e.Name); dir != "/" && !have[dir]; dir = path.Dir(dir) {
			have[dir] = true
			out = append(out, entry{Name: dir, Dir: true, Mode: 0o755})
		}
	}
	return out
}
