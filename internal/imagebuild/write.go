package imagebuild

import (
	"fmt"
	"os"
	"path/filepath"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/layout"
)

// WriteLayout writes idx as an OCI image layout at dir (index.json is the multi-platform
// index, as `crane push --index` and `skopeo copy --all oci:DIR` expect). The layout is written
// beside dir and renamed into place, so dir is either the old image or the new one, never half.
func WriteLayout(dir string, idx v1.ImageIndex) error {
	parent := filepath.Dir(dir)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return err
	}
	tmp, err := os.MkdirTemp(parent, "."+filepath.Base(dir)+"-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp) // after a successful rename: a no-op
	if _, err := layout.Write(tmp, idx); err != nil {
		return fmt.Errorf("write OCI layout: %w", err)
	}
	if err := os.Chmod(tmp, 0o755); err != nil {
		return err
	}
	if err := os.RemoveAll(dir); err != nil {
		return err
	}
	return os.Rename(tmp, dir)
}
