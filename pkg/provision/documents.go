package provision

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/endsys/pocketid-oidc/pkg/api/v1alpha1"
	"k8s.io/apimachinery/pkg/util/validation/field"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	kjson "sigs.k8s.io/json"
	"sigs.k8s.io/yaml"
)

// Document is one OIDCClient read from a file.
type Document struct {
	// Source is "path" or "path#n" (n = 1-based document index in a multi-document file).
	Source string
	Client v1alpha1.OIDCClient
}

// LoadFiles reads every path: a file (any name) or a directory, whose *.yaml and *.yml entries
// are read in name order, without recursion. Names starting with "." are skipped, which covers
// the "..data" and "..2026_..." entries of a mounted ConfigMap. A client id defined twice is an
// error naming both sources.
func LoadFiles(paths []string) ([]Document, error) {
	if len(paths) == 0 {
		return nil, errors.New("no client file given (--client-file)")
	}
	var docs []Document
	for _, p := range paths {
		fi, err := os.Stat(p)
		if err != nil {
			return nil, fmt.Errorf("client file: %w", err)
		}
		files := []string{p}
		if fi.IsDir() {
			files, err = yamlFiles(p)
			if err != nil {
				return nil, err
			}
			if len(files) == 0 {
				return nil, fmt.Errorf("client directory %s holds no *.yaml or *.yml file", p)
			}
		}
		for _, f := range files {
			data, err := os.ReadFile(f)
			if err != nil {
				return nil, fmt.Errorf("client file: %w", err)
			}
			d, err := ParseDocuments(data, f)
			if err != nil {
				return nil, err
			}
			docs = append(docs, d...)
		}
	}
	seen := map[string]string{}
	for _, d := range docs {
		if prev, ok := seen[d.Client.Spec.ID]; ok {
			return nil, fmt.Errorf("%s: spec.id: Duplicate value: %q is also defined in %s", d.Source, d.Client.Spec.ID, prev)
		}
		seen[d.Client.Spec.ID] = d.Source
	}
	if len(docs) == 0 {
		return nil, errors.New("no OIDCClient document found in the client files")
	}
	return docs, nil
}

func yamlFiles(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("client directory: %w", err)
	}
	var out []string
	for _, e := range entries {
		name := e.Name()
		if strings.HasPrefix(name, ".") {
			continue
		}
		if ext := filepath.Ext(name); ext != ".yaml" && ext != ".yml" {
			continue
		}
		full := filepath.Join(dir, name)
		// ConfigMap entries are symlinks into ..data: follow them, skip what is not a file.
		fi, err := os.Stat(full)
		if err != nil {
			return nil, fmt.Errorf("client directory: %w", err)
		}
		if fi.Mode().IsRegular() {
			out = append(out, full)
		}
	}
	sort.Strings(out)
	return out, nil
}

// ParseDocuments decodes every YAML document of data as an OIDCClient, strictly: an unknown or
// duplicate field, another kind, or an invalid value is an error naming source and field path.
// Empty documents are skipped.
func ParseDocuments(data []byte, source string) ([]Document, error) {
	r := utilyaml.NewYAMLReader(newBufReader(data))
	var docs []Document
	for n := 1; ; n++ {
		raw, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", source, err)
		}
		src := source
		if n > 1 || bytes.Contains(data, []byte("\n---")) {
			src = fmt.Sprintf("%s#%d", source, n)
		}
		js, err := yaml.YAMLToJSONStrict(raw)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", src, err)
		}
		if t := bytes.TrimSpace(js); len(t) == 0 || bytes.Equal(t, []byte("null")) {
			continue
		}
		var probe struct {
			APIVersion string `json:"apiVersion"`
			Kind       string `json:"kind"`
		}
		if err := kjson.UnmarshalCaseSensitivePreserveInts(js, &probe); err != nil {
			return nil, fmt.Errorf("%s: not an object: %w", src, err)
		}
		if probe.APIVersion != v1alpha1.APIVersion || probe.Kind != v1alpha1.KindOIDCClient {
			return nil, fmt.Errorf("%s: want apiVersion %s kind %s, got apiVersion %q kind %q",
				src, v1alpha1.APIVersion, v1alpha1.KindOIDCClient, probe.APIVersion, probe.Kind)
		}
		var c v1alpha1.OIDCClient
		strict, err := kjson.UnmarshalStrict(js, &c, kjson.DisallowDuplicateFields, kjson.DisallowUnknownFields)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", src, err)
		}
		if len(strict) > 0 {
			msgs := make([]string, len(strict))
			for i, e := range strict {
				msgs[i] = e.Error()
			}
			return nil, fmt.Errorf("%s: %s", src, strings.Join(msgs, "; "))
		}
		if errs := append(Validate(&c), validateRequirements(&c)...); len(errs) > 0 {
			return nil, fmt.Errorf("%s: OIDCClient %q: %w", src, c.Spec.ID, errs.ToAggregate())
		}
		docs = append(docs, Document{Source: src, Client: c})
	}
	return docs, nil
}

// Validate checks what the provisioner relies on, and what Pocket ID would refuse, before any
// request is made: the rules the function renders by (v1alpha1.ValidateOIDCClient), applied to
// the document after Flux's substitution.
func Validate(c *v1alpha1.OIDCClient) field.ErrorList {
	return v1alpha1.ValidateOIDCClient(c, v1alpha1.Substituted)
}
