package discover

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"sigs.k8s.io/kustomize/api/konfig"
	"sigs.k8s.io/kustomize/api/types"
	"sigs.k8s.io/kustomize/kyaml/kio"

	"github.com/endsys/pocketid-oidc/pkg/build/fnspec"
)

// Roots returns the root directories under dirs (see the package documentation), cleaned,
// sorted and without duplicates.
func Roots(dirs ...string) ([]string, error) {
	f := &finder{uses: map[string]bool{}, configs: map[string]bool{}}
	var roots []string
	var errs []error
	for _, top := range dirs {
		err := filepath.WalkDir(top, func(dir string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if !d.IsDir() {
				if dir == top {
					return fmt.Errorf("%s: not a directory", top)
				}
				return nil
			}
			if dir != top && strings.HasPrefix(d.Name(), ".") {
				return filepath.SkipDir
			}
			root, err := f.isRoot(dir)
			if err != nil {
				errs = append(errs, err)
			} else if root {
				roots = append(roots, filepath.Clean(dir))
			}
			return nil
		})
		if err != nil {
			errs = append(errs, err)
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	slices.Sort(roots)
	return slices.Compact(roots), nil
}

// finder memoises per directory: a Component shared by a hundred apps is read once.
type finder struct {
	uses    map[string]bool // kustomization dir -> reaches our config (false while visiting: cycles end)
	configs map[string]bool // file, or dir of a config kustomization -> holds our config
}

func (f *finder) isRoot(dir string) (bool, error) {
	k, _, err := load(dir)
	if err != nil || k == nil {
		return false, err
	}
	if k.Kind == types.ComponentKind {
		return false, nil
	}
	return f.reaches(dir)
}

// reaches reports whether the kustomization in dir runs our function itself or through one of
// its components.
func (f *finder) reaches(dir string) (bool, error) {
	key := filepath.Clean(dir)
	if v, seen := f.uses[key]; seen {
		return v, nil
	}
	f.uses[key] = false
	k, file, err := load(dir)
	if err != nil {
		return false, err
	}
	if k == nil {
		return false, fmt.Errorf("%s: no kustomization file", dir)
	}
	for _, list := range []struct {
		field   string
		entries []string
	}{{"transformers", k.Transformers}, {"generators", k.Generators}, {"validators", k.Validators}} {
		for i, e := range list.entries {
			ours, err := f.pluginEntry(dir, e)
			if err != nil {
				return false, fmt.Errorf("%s: %s[%d]: %w", file, list.field, i, err)
			}
			if ours {
				f.uses[key] = true
				return true, nil
			}
		}
	}
	for i, c := range k.Components {
		if remote(c) {
			continue
		}
		ours, err := f.reaches(filepath.Join(dir, c))
		if err != nil {
			return false, fmt.Errorf("%s: components[%d]: %w", file, i, err)
		}
		if ours {
			f.uses[key] = true
			return true, nil
		}
	}
	return false, nil
}

// pluginEntry reports whether one transformers/generators/validators entry holds our config.
func (f *finder) pluginEntry(dir, entry string) (bool, error) {
	if strings.Contains(entry, "\n") { // an inline config
		return holdsConfig([]byte(entry))
	}
	if remote(entry) {
		return false, nil
	}
	return f.configsAt(filepath.Join(dir, entry))
}

// configsAt reports whether path, a config file or a kustomization directory whose resources
// are configs, holds our config.
func (f *finder) configsAt(path string) (bool, error) {
	key := filepath.Clean(path)
	if v, seen := f.configs[key]; seen {
		return v, nil
	}
	f.configs[key] = false
	info, err := os.Stat(path)
	if err != nil {
		return false, err
	}
	var ours bool
	if info.IsDir() {
		ours, err = f.resourcesHold(path)
	} else {
		ours, err = fileHoldsConfig(path)
	}
	f.configs[key] = ours
	return ours, err
}

func (f *finder) resourcesHold(dir string) (bool, error) {
	k, file, err := load(dir)
	if err != nil {
		return false, err
	}
	if k == nil {
		return false, fmt.Errorf("%s: no kustomization file", dir)
	}
	for i, r := range k.Resources {
		if remote(r) {
			continue
		}
		ours, err := f.configsAt(filepath.Join(dir, r))
		if err != nil {
			return false, fmt.Errorf("%s: resources[%d]: %w", file, i, err)
		}
		if ours {
			return true, nil
		}
	}
	return false, nil
}

func fileHoldsConfig(path string) (bool, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return false, err
	}
	ours, err := holdsConfig(data)
	if err != nil {
		return false, fmt.Errorf("%s: %w", path, err)
	}
	return ours, nil
}

func holdsConfig(data []byte) (bool, error) {
	if !fnspec.Mentions(data) {
		return false, nil
	}
	nodes, err := (&kio.ByteReader{Reader: bytes.NewReader(data), OmitReaderAnnotations: true}).Read()
	if err != nil {
		return false, err
	}
	return slices.ContainsFunc(nodes, fnspec.Ours), nil
}

// load reads the kustomization of dir; nil without error when dir has none.
func load(dir string) (*types.Kustomization, string, error) {
	for _, name := range konfig.RecognizedKustomizationFileNames() {
		file := filepath.Join(dir, name)
		data, err := os.ReadFile(file)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, file, err
		}
		var k types.Kustomization
		if err := k.Unmarshal(data); err != nil {
			return nil, file, fmt.Errorf("%s: %w", file, err)
		}
		k.FixKustomization()
		return &k, file, nil
	}
	return nil, "", nil
}

// remote matches what kustomize fetches instead of reading from disk.
func remote(ref string) bool {
	return strings.Contains(ref, "://") || strings.HasPrefix(ref, "github.com/") ||
		strings.HasPrefix(ref, "git@")
}
