package provisioning

import (
	"bytes"
	"encoding/json"
	"sort"
	"strings"

	"github.com/endsys/pocketid-oidc/pkg/api/v1alpha1"
)

// FluxForceAnnotation makes Flux's kustomize-controller delete and re-create an object whose
// immutable fields changed, instead of failing the apply.
const FluxForceAnnotation = "kustomize.toolkit.fluxcd.io/force"

// AnnotationSubstitutions lists, on the Job's pod template, the Flux placeholders its document
// uses (see Render).
const AnnotationSubstitutions = v1alpha1.Group + "/substitutions"

// placeholders returns the Flux postBuild placeholders (${VAR}, ${VAR:=default}) in texts,
// sorted and unique. $${VAR} is Flux's escape for a literal ${VAR} and is not one.
func placeholders(texts ...string) []string {
	seen := map[string]bool{}
	for _, t := range texts {
		for i := 0; i < len(t); i++ {
			if t[i] != '$' || i+1 >= len(t) {
				continue
			}
			switch t[i+1] {
			case '$':
				i++ // $$ is a literal $: whatever follows is not a placeholder
			case '{':
				if end := strings.IndexByte(t[i:], '}'); end > 0 {
					seen[t[i:i+end+1]] = true
					i += end
				}
			}
		}
	}
	out := make([]string, 0, len(seen))
	for v := range seen {
		out = append(out, v)
	}
	sort.Strings(out)
	return out
}

// placeholdersIn returns the placeholders in every key and string value of the objects, as
// they will be rendered.
func placeholdersIn(objs ...any) ([]string, error) {
	var texts []string
	var walk func(v any)
	walk = func(v any) {
		switch t := v.(type) {
		case map[string]any:
			for k, c := range t {
				texts = append(texts, k)
				walk(c)
			}
		case []any:
			for _, c := range t {
				walk(c)
			}
		case string:
			texts = append(texts, t)
		}
	}
	for _, o := range objs {
		b, err := json.Marshal(o)
		if err != nil {
			return nil, err
		}
		// JSON escapes neither $ nor {: without "${" in the text no key or value holds a
		// placeholder, and the usual object needs no decoding to tell.
		if !bytes.Contains(b, []byte("${")) {
			continue
		}
		m, err := mapOf(b)
		if err != nil {
			return nil, err
		}
		walk(m)
	}
	return placeholders(texts...), nil
}
