package execfs

import (
	"sigs.k8s.io/kustomize/kyaml/filesys"

	"github.com/endsys/pocketid-oidc/pkg/build/fnspec"
)

// FS is fsys with our function configs rewritten to execute Exec.
type FS struct {
	filesys.FileSystem
	Exec fnspec.Exec
}

// New wraps fsys.
func New(fsys filesys.FileSystem, e fnspec.Exec) *FS {
	return &FS{FileSystem: fsys, Exec: e}
}

// ReadFile returns the file with our function configs rewritten.
func (f *FS) ReadFile(path string) ([]byte, error) {
	data, err := f.FileSystem.ReadFile(path)
	if err != nil {
		return nil, err
	}
	out, _ := fnspec.Rewrite(data, f.Exec)
	return out, nil
}
