package preset

import (
	"fmt"
	"slices"
	"strings"
)

// ChartSpec is the catalog form of ChartWiring; Values leaves are templates.
type ChartSpec struct {
	// EnvPath is the dot path of the app container's env below spec.values; required when the
	// preset sets env.
	EnvPath string `json:"envPath,omitempty"`
	// EnvList: the chart takes a Kubernetes EnvVar list at EnvPath (harbor's
	// core.extraEnvVars), so a new block is a list, never the bjw-s map form.
	EnvList bool           `json:"envList,omitempty"`
	Values  map[string]any `json:"values,omitempty"`
	// ListKeys names, per dot path of a list in Values, the field that identifies its items
	// (gitea.oauth: name): those items are merged into the user's list by that field instead
	// of replacing it.
	ListKeys map[string]string `json:"listKeys,omitempty"`
	// Conflicts are values of the chart, by dot path, that it refuses next to Values (the
	// immich chart fails on immich.configuration together with immich.existingConfiguration):
	// a HelmRelease that sets one is an error instead of a release the chart will not install.
	Conflicts map[string]Conflict `json:"conflicts,omitempty"`
}

// Conflict is why a chart refuses one of its values next to the route's, with evidence.
type Conflict struct {
	// Reason says what the user loses and does instead (a template over the Input): it ends
	// the error after "remove it from spec.values".
	Reason string `json:"reason"`
	// Evidence is a reference (an https URL to the chart's template, then free text) where the
	// chart refuses it.
	Evidence string `json:"evidence"`
}

// setsEnv reports whether the preset puts anything into the app container's environment.
func (p *Preset) setsEnv() bool {
	if len(p.Env) > 0 || len(p.SecretEnv) > 0 || len(p.Generated) > 0 {
		return true
	}
	for _, f := range p.Files {
		if f.Env != "" {
			return true
		}
	}
	return false
}

// check refuses a chart route the renderer could not apply: env without an env path, and a
// list key for something that is not a list of maps each carrying that field.
func (ch ChartSpec) check(name string, setsEnv bool) []string {
	var errs []string
	if setsEnv && ch.EnvPath == "" {
		errs = append(errs, fmt.Sprintf("charts[%s]: envPath is required", name))
	}
	for _, path := range sortedKeys(ch.ListKeys) {
		key := ch.ListKeys[path]
		var cur any = ch.Values
		for _, k := range strings.Split(path, ".") {
			m, _ := cur.(map[string]any)
			cur = m[k]
		}
		list, ok := cur.([]any)
		for _, item := range list {
			m, _ := item.(map[string]any)
			if s, _ := m[key].(string); s == "" {
				ok = false
			}
		}
		if !ok || len(list) == 0 || key == "" {
			errs = append(errs, fmt.Sprintf("charts[%s].listKeys[%s]: values must hold a list there whose items all have the field %q", name, path, key))
		}
	}
	for _, path := range sortedKeys(ch.Conflicts) {
		c := ch.Conflicts[path]
		ref, err := ParseReference(c.Evidence)
		if err == nil && !strings.HasPrefix(ref.Target, "https://") {
			err = fmt.Errorf("%q: a chart's template is in the chart's repository, give its https URL", ref.Target)
		}
		if err == nil && (c.Reason == "" || slices.Contains(strings.Split(path, "."), "")) {
			err = fmt.Errorf("a dot path and a reason are required")
		}
		if err != nil {
			errs = append(errs, fmt.Sprintf("charts[%s].conflicts[%s]: a dot path, a reason and evidence (https URL) are required: %v", name, path, err))
		}
	}
	return errs
}
