// Package crd holds the CustomResourceDefinitions of PocketIDProvider, OIDCIntegration and
// OIDCClient. The YAML under bases/ is generated from pkg/api/v1alpha1 by controller-gen
// (`make schema`) and committed, so that users can install or validate against it without Go, and
// embedded here so that `pocketid-oidc schema` and the tests use exactly the committed files.
package crd

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
	"strings"

	"sigs.k8s.io/yaml"
)

//go:embed bases/*.yaml
var files embed.FS

// Dir is where the generated files live, relative to this package (and to the files FS).
const Dir = "bases"

// CRD is one generated CustomResourceDefinition file.
type CRD struct {
	// Kind is the kind the CRD defines (spec.names.kind), e.g. "OIDCIntegration".
	Kind string
	// Names are the other names a user may ask for it by: plural, singular, short names.
	Names []string
	// File is the file name under bases/.
	File string
	// YAML is the file's content, exactly as committed.
	YAML []byte
}

// All returns every CRD, in file name order (stable, so `pocketid-oidc schema` output is too).
func All() ([]CRD, error) {
	entries, err := fs.ReadDir(files, Dir)
	if err != nil {
		return nil, err
	}
	var out []CRD
	for _, e := range entries {
		data, err := files.ReadFile(path.Join(Dir, e.Name()))
		if err != nil {
			return nil, err
		}
		c, err := parse(e.Name(), data)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}

// Lookup finds a CRD by kind, plural, singular or short name, case-insensitively, because users
// type `schema oidcintegration` as often as `schema OIDCIntegration`.
func Lookup(name string) (CRD, bool, error) {
	all, err := All()
	if err != nil {
		return CRD{}, false, err
	}
	for _, c := range all {
		if strings.EqualFold(c.Kind, name) {
			return c, true, nil
		}
		for _, n := range c.Names {
			if strings.EqualFold(n, name) {
				return c, true, nil
			}
		}
	}
	return CRD{}, false, nil
}

func parse(file string, data []byte) (CRD, error) {
	var doc struct {
		Kind string `json:"kind"`
		Spec struct {
			Names struct {
				Kind       string   `json:"kind"`
				Plural     string   `json:"plural"`
				Singular   string   `json:"singular"`
				ShortNames []string `json:"shortNames"`
			} `json:"names"`
		} `json:"spec"`
	}
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return CRD{}, fmt.Errorf("%s: %w", file, err)
	}
	if doc.Kind != "CustomResourceDefinition" || doc.Spec.Names.Kind == "" {
		return CRD{}, fmt.Errorf("%s: not a CustomResourceDefinition with spec.names.kind", file)
	}
	n := doc.Spec.Names
	var names []string
	for _, s := range append([]string{n.Plural, n.Singular}, n.ShortNames...) {
		if s != "" {
			names = append(names, s)
		}
	}
	return CRD{Kind: n.Kind, Names: names, File: file, YAML: data}, nil
}
