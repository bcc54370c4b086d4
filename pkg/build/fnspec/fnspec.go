package fnspec

import (
	"bytes"
	"path"
	"path/filepath"
	"strings"

	"sigs.k8s.io/kustomize/kyaml/fn/runtime/runtimeutil"
	"sigs.k8s.io/kustomize/kyaml/kio"
	"sigs.k8s.io/kustomize/kyaml/yaml"
	k8syaml "sigs.k8s.io/yaml"
)

const (
	// Group is the API group of the function's config kinds.
	Group = "oidc.endsys.cloud"
	// Image is the function's container image, without tag or digest.
	Image = "ghcr.io/endsys/pocketid-oidc"
	// Binary is the file name of the function's executable.
	Binary = "pocketid-oidc"
)

// The annotations kustomize reads a function spec from, in its order of precedence
// (runtimeutil.GetFunctionSpec).
var specAnnotations = []string{
	runtimeutil.FunctionAnnotationKey,
	"config.k8s.io/function",
	"config.kubernetes.io/container",
}

// Exec is what a rewritten config makes kustomize run.
type Exec struct {
	Path string   // absolute path of the binary
	Args []string // its arguments
}

// Ours reports whether n is a function config of pocketid-oidc.
func Ours(n *yaml.RNode) bool {
	spec, err := runtimeutil.GetFunctionSpec(n)
	if err != nil || spec == nil {
		// An unreadable spec is kustomize's to report, with its own message, when it builds.
		return false
	}
	if group, _, _ := strings.Cut(n.GetApiVersion(), "/"); group == Group {
		return true
	}
	if p := spec.Exec.Path; p != "" {
		return strings.TrimSuffix(path.Base(filepath.ToSlash(p)), ".exe") == Binary
	}
	return imageRepository(spec.Container.Image) == Image
}

// imageRepository strips the tag and digest from an image reference.
func imageRepository(image string) string {
	image, _, _ = strings.Cut(image, "@")
	// A colon after the last slash starts the tag; one before it belongs to a registry port.
	if i := strings.LastIndex(image, ":"); i > strings.LastIndex(image, "/") {
		image = image[:i]
	}
	return image
}

// Mentions is a cheap pre-check on file contents: false means no document in data can be a
// function config, so Rewrite need not parse it.
func Mentions(data []byte) bool {
	for _, a := range specAnnotations {
		if bytes.Contains(data, []byte(a)) {
			return true
		}
	}
	return false
}

// Rewrite returns data with the function annotation of every one of our configs (also those
// inline in a kustomization) replaced by one that executes e, keeping the environment the original spec passes. It reports whether anything
// changed; data that is not YAML is returned unchanged, for kustomize to report.
func Rewrite(data []byte, e Exec) ([]byte, bool) {
	if !Mentions(data) {
		return data, false
	}
	nodes, err := (&kio.ByteReader{Reader: bytes.NewReader(data), OmitReaderAnnotations: true}).Read()
	if err != nil {
		return data, false
	}
	changed := false
	for _, n := range nodes {
		if !Ours(n) {
			changed = rewriteInline(n, e) || changed
			continue
		}
		if err := setExec(n, e); err != nil {
			return data, false
		}
		changed = true
	}
	if !changed {
		return data, false
	}
	var out bytes.Buffer
	if err := (kio.ByteWriter{Writer: &out}).Write(nodes); err != nil {
		return data, false
	}
	return out.Bytes(), true
}

// rewriteInline rewrites our configs written inline in a kustomization's transformers,
// generators or validators (kustomize takes an entry that parses as objects for the objects).
func rewriteInline(n *yaml.RNode, e Exec) bool {
	changed := false
	for _, field := range []string{"transformers", "generators", "validators"} {
		list := n.Field(field)
		if list == nil || list.Value.YNode().Kind != yaml.SequenceNode {
			continue
		}
		for _, item := range list.Value.YNode().Content {
			if item.Kind != yaml.ScalarNode || !strings.Contains(item.Value, "\n") {
				continue
			}
			if out, ok := Rewrite([]byte(item.Value), e); ok {
				item.Value, item.Style, changed = string(out), yaml.LiteralStyle, true
			}
		}
	}
	return changed
}

func setExec(n *yaml.RNode, e Exec) error {
	spec, err := runtimeutil.GetFunctionSpec(n)
	if err != nil {
		return err
	}
	env := spec.Exec.Env
	if spec.Exec.Path == "" {
		// A container's bare "KEY" entries export the caller's variable, which an exec
		// function inherits anyway; only KEY=VALUE entries carry something.
		for _, kv := range spec.Container.Env {
			if strings.Contains(kv, "=") {
				env = append(env, kv)
			}
		}
	}
	// Not runtimeutil.FunctionSpec: its container field has no omitempty that works on a struct.
	annotation, err := k8syaml.Marshal(struct {
		DeferFailure bool                 `json:"deferFailure,omitempty"`
		Exec         runtimeutil.ExecSpec `json:"exec"`
	}{spec.DeferFailure, runtimeutil.ExecSpec{Path: e.Path, Args: e.Args, Env: env}})
	if err != nil {
		return err
	}
	for _, a := range specAnnotations[1:] {
		if _, err := n.Pipe(yaml.ClearAnnotation(a)); err != nil {
			return err
		}
	}
	if err := n.PipeE(yaml.SetAnnotation(specAnnotations[0], string(annotation))); err != nil {
		return err
	}
	// A block, as people write it, also where the annotation is new (a container form).
	v, err := n.Pipe(yaml.Lookup("metadata", "annotations", specAnnotations[0]))
	if err != nil {
		return err
	}
	v.YNode().Style = yaml.LiteralStyle
	return nil
}
