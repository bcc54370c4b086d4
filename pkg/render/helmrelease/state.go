package helmrelease

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"

	"k8s.io/apimachinery/pkg/util/validation/field"
	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/endsys/pocketid-oidc/pkg/api/v1alpha1"
)

// state is the managed-env annotation: per integration, what it wrote into spec.values. A
// render takes back exactly what the previous render of the same integration recorded, which
// is the only way to tell our entries from the user's once both sit in one env block.
type state map[string]record

// record is what one integration owns. Paths are key lists below spec.values rather than dot
// strings, so keys that contain dots (annotations in values) survive the round trip.
type record struct {
	EnvPath []string `json:"envPath,omitempty"`
	Env     []string `json:"env,omitempty"`
	// Replaced holds, by name, the user's own env entry that ours replaced (see takeOver): the
	// YAML text of a one-entry env block in the form it stood in ("NAME: value" for the map
	// form, "- {name: NAME, ...}" for the list form), restored when we let go of the name.
	Replaced    map[string]string `json:"replaced,omitempty"`
	Persistence []string          `json:"persistence,omitempty"`
	Values      [][]string        `json:"values,omitempty"`
	// Items are the items we own in lists of maps merged by a key field (listmerge.go).
	Items []listItem `json:"items,omitempty"`
}

func (r record) empty() bool {
	return len(r.Env) == 0 && len(r.Persistence) == 0 && len(r.Values) == 0 && len(r.Items) == 0
}

// normalize sorts the lists so the annotation text depends only on what is owned.
func (r *record) normalize() {
	slices.Sort(r.Env)
	r.Env = slices.Compact(r.Env)
	slices.Sort(r.Persistence)
	r.Persistence = slices.Compact(r.Persistence)
	slices.SortFunc(r.Values, slices.Compare)
	r.Values = slices.CompactFunc(r.Values, slices.Equal)
	r.Items = sortItems(r.Items)
	for name := range r.Replaced {
		if !slices.Contains(r.Env, name) {
			delete(r.Replaced, name)
		}
	}
	if len(r.Replaced) == 0 {
		r.Replaced = nil
	}
	if len(r.Env) == 0 {
		r.EnvPath = nil
	}
}

var annotationPath = field.NewPath("metadata", "annotations").Key(v1alpha1.AnnotationManagedEnv)

func readState(hr *yaml.RNode) (state, *field.Error) {
	raw, ok := hr.GetAnnotations()[v1alpha1.AnnotationManagedEnv]
	st := state{}
	if !ok || strings.TrimSpace(raw) == "" {
		return st, nil
	}
	// The annotation may hold the user's replaced env entries: never quote it in an error.
	if err := json.Unmarshal([]byte(raw), &st); err != nil {
		return nil, field.Invalid(annotationPath, field.OmitValueType{}, fmt.Sprintf(
			"not the JSON map pocketid-oidc writes (%v); remove the annotation and the entries it listed, then render again", err))
	}
	for _, integration := range slices.Sorted(maps.Keys(st)) {
		for _, name := range slices.Sorted(maps.Keys(st[integration].Replaced)) {
			if _, err := decodeEntry(st[integration].Replaced[name], name); err != nil {
				return nil, field.Invalid(annotationPath, field.OmitValueType{}, fmt.Sprintf(
					"the env entry %s recorded for integration %s is not the one-entry env block pocketid-oidc writes (%v); remove the annotation and the entries it listed, then render again",
					name, integration, err))
			}
		}
	}
	return st, nil
}

func writeState(hr *yaml.RNode, st state) error {
	for k, r := range st {
		if r.empty() {
			delete(st, k)
		}
	}
	if len(st) == 0 {
		if err := hr.PipeE(yaml.ClearAnnotation(v1alpha1.AnnotationManagedEnv)); err != nil {
			return err
		}
		// Leave no empty annotations map behind when ours was the only one.
		return yaml.ClearEmptyAnnotations(hr)
	}
	// encoding/json sorts map keys: the text is deterministic.
	b, err := json.Marshal(st)
	if err != nil {
		return err
	}
	// A replaced entry may hold ${VAR} text. Flux postBuild would substitute it in the
	// annotation too (and could break its quoting); as \u0024 it stays ours, and JSON reads
	// it back as "$". Outside strings JSON has no "$", so the replacement is exact.
	b = bytes.ReplaceAll(b, []byte("$"), []byte(`\u0024`))
	return hr.PipeE(yaml.SetAnnotation(v1alpha1.AnnotationManagedEnv, string(b)))
}

// claimedByOthers collects what integrations other than self own, so taking back our entries
// never removes one that another integration wrote under the same name.
func (st state) claimedByOthers(self string) (env map[string]bool, persistence map[string]bool, values map[string]bool) {
	env, persistence, values = map[string]bool{}, map[string]bool{}, map[string]bool{}
	for name, r := range st {
		if name == self {
			continue
		}
		for _, e := range r.Env {
			env[envKey(r.EnvPath, e)] = true
		}
		for _, p := range r.Persistence {
			persistence[p] = true
		}
		for _, v := range r.Values {
			values[pathKey(v)] = true
		}
	}
	return env, persistence, values
}

// claims reports whether any integration's record lists name in the env block at envPath.
func (st state) claims(envPath []string, name string) bool {
	for _, r := range st {
		if slices.Equal(r.EnvPath, envPath) && slices.Contains(r.Env, name) {
			return true
		}
	}
	return false
}

// handOver gives the user's original entry under name, which self lets go of while another
// integration still claims the name at envPath, to the first such integration (by name)
// unless it holds one already, so the entry is restored when the last claimant lets go.
func (st state) handOver(self string, envPath []string, name, original string) {
	for _, other := range slices.Sorted(maps.Keys(st)) {
		r := st[other]
		if other == self || !slices.Equal(r.EnvPath, envPath) || !slices.Contains(r.Env, name) {
			continue
		}
		if _, has := r.Replaced[name]; !has {
			r.Replaced = maps.Clone(r.Replaced)
			if r.Replaced == nil {
				r.Replaced = map[string]string{}
			}
			r.Replaced[name] = original
			st[other] = r
		}
		return
	}
}

func pathKey(p []string) string { return strings.Join(p, "\x00") }

func envKey(envPath []string, name string) string {
	return pathKey(append(slices.Clone(envPath), name))
}

// takeBack removes what the previous render of this integration recorded and the new one
// (next) no longer writes, sparing entries another integration also claims, and puts back the
// user's env entries that ours had replaced.
func takeBack(spec *yaml.Node, st state, self string, next record) {
	prev := st[self]
	otherEnv, otherPers, otherVals := st.claimedByOthers(self)
	keep := func(list []string) map[string]bool {
		m := map[string]bool{}
		for _, s := range list {
			m[s] = true
		}
		return m
	}
	root := []string{"values"}
	if len(prev.Env) > 0 {
		samePath := slices.Equal(prev.EnvPath, next.EnvPath)
		kept := keep(next.Env)
		envPath := append(slices.Clone(root), prev.EnvPath...)
		for _, name := range prev.Env {
			if samePath && kept[name] {
				continue
			}
			orig, taken := prev.Replaced[name]
			if otherEnv[envKey(prev.EnvPath, name)] {
				// The entry stays for the other claimant, and with it the user's original.
				if taken {
					st.handOver(self, prev.EnvPath, name, orig)
				}
				continue
			}
			if taken && restoreEnvEntry(spec, envPath, name, orig) {
				continue
			}
			removeEnvEntry(spec, envPath, name)
		}
	}
	keptPers := keep(next.Persistence)
	for _, p := range prev.Persistence {
		if !keptPers[p] && !otherPers[p] {
			removePath(spec, []string{"values", "persistence", p})
		}
	}
	takeBackItems(spec, st, self, next)
	keptVals := map[string]bool{}
	for _, v := range next.Values {
		keptVals[pathKey(v)] = true
	}
	for _, v := range prev.Values {
		// A leaf that became a map of new leaves is ours still: skip it.
		grew := slices.ContainsFunc(next.Values, func(n []string) bool { return len(n) > len(v) && slices.Equal(n[:len(v)], v) })
		if !keptVals[pathKey(v)] && !otherVals[pathKey(v)] && !grew && len(v) > 0 {
			removePath(spec, append(slices.Clone(root), v...))
		}
	}
}
