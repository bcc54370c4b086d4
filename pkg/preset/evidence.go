package preset

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
)

// The catalog's promise is that every key and callback of a preset is a fact read in the app's
// own source. This file holds that rule: which keys a preset sets, how an evidence reference
// reads, and what a preset lacks (EvidenceGaps, enforced for the whole catalog by a test).

var repoRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]*/[A-Za-z0-9][A-Za-z0-9_.-]*$`)

// Reference is one evidence value split into what it points at and the free text after it.
type Reference struct {
	// Target is a path in the evidence repository (maybe with a #L anchor) or an https URL.
	Target string
	// Text is the explanation after the target, "" when there is none.
	Text string
}

// ParseReference splits "path[:] free text" into a Reference. A path must be relative and stay
// inside the repository; an https URL is taken as is (evidence in another repository, a chart).
func ParseReference(v string) (Reference, error) {
	v = strings.TrimSpace(v)
	target, text, _ := strings.Cut(v, " ")
	target = strings.TrimRight(target, ":,;")
	r := Reference{Target: target, Text: strings.TrimSpace(text)}
	switch {
	case target == "":
		return r, fmt.Errorf("empty reference")
	case strings.HasPrefix(target, "https://"):
		return r, nil
	case strings.Contains(target, "://"):
		return r, fmt.Errorf("%q: only https URLs", target)
	case strings.HasPrefix(target, "/") || strings.Contains(target, "..") || strings.Contains(target, "{{"):
		return r, fmt.Errorf("%q is not a path inside the repository", target)
	}
	return r, nil
}

// URL is where a reader finds the target: https URLs as they are, paths on GitHub at the
// checked version.
func (r Reference) URL(e Evidence) string {
	if strings.HasPrefix(r.Target, "https://") {
		return r.Target
	}
	return "https://github.com/" + e.Repository + "/blob/" + e.Version + "/" + r.Target
}

// EvidenceKeys are the keys a preset sets, as Evidence.Keys names them: env names (templates
// as written), secretEnv and generated env, a file's env, "<file key>:<dotted.path>" for every
// leaf of a file's data, "chart:<chart>:<dotted.path>" for every leaf of chart values and
// "secret:<key>" for every secretKeys entry. A leaf is anything but a map (a list is one
// leaf). Sorted.
func (p *Preset) EvidenceKeys() []string {
	set := map[string]bool{}
	for k := range p.Env {
		set[k] = true
	}
	for _, s := range p.SecretEnv {
		set[s.Env] = true
	}
	for _, g := range p.Generated {
		set[g.Env] = true
	}
	for _, f := range p.Files {
		if f.Env != "" {
			set[f.Env] = true
		}
		leaves(f.Key+":", f.Data, set)
	}
	for name, ch := range p.Charts {
		leaves("chart:"+name+":", ch.Values, set)
	}
	for k := range p.SecretKeys {
		set["secret:"+k] = true
	}
	return sortedKeys(set)
}

func leaves(prefix string, data any, set map[string]bool) {
	switch d := data.(type) {
	case map[string]any:
		for k, v := range d {
			leaves(prefix+k+".", v, set)
		}
	case nil:
	default:
		set[strings.TrimSuffix(prefix, ".")] = true
	}
}

// evidenceShape checks what is written, whether or not it is complete: Parse refuses a
// malformed reference or an unknown mode at once.
func (p *Preset) evidenceShape() []string {
	var errs []string
	e := p.Evidence
	if e.Repository != "" && !repoRE.MatchString(e.Repository) {
		errs = append(errs, fmt.Sprintf("evidence.repository %q is not owner/name", e.Repository))
	}
	check := func(field, v string) {
		if _, err := ParseReference(v); err != nil {
			errs = append(errs, fmt.Sprintf("%s: %v", field, err))
		}
	}
	for _, k := range sortedKeys(e.Keys) {
		check("evidence.keys["+k+"]", e.Keys[k])
	}
	for _, k := range sortedKeys(e.Callbacks) {
		check("evidence.callbacks["+k+"]", e.Callbacks[k])
	}
	if e.MinVersion != "" {
		check("evidence.minVersion", e.MinVersion)
	}
	switch p.PublicURL.Mode {
	case "", PublicURLSetting, PublicURLForwardedHeaders, PublicURLRequestHost, PublicURLAbsolute, PublicURLAppSetting:
	default:
		errs = append(errs, fmt.Sprintf("publicURL.mode %q is not one of setting, forwarded-headers, request-host, absolute, app-setting", p.PublicURL.Mode))
	}
	if p.PublicURL.Evidence != "" {
		check("publicURL.evidence", p.PublicURL.Evidence)
	}
	return errs
}

// EvidenceGaps lists what keeps the preset from being a proven fact: a key or callback
// without evidence, evidence for something the preset does not set, a minVersion without
// evidence, a missing or hollow publicURL. Empty means complete.
func (p *Preset) EvidenceGaps() []string {
	var gaps []string
	gap := func(format string, a ...any) { gaps = append(gaps, fmt.Sprintf(format, a...)) }
	e := p.Evidence
	if e.Repository == "" {
		gap("evidence.repository is required")
	}
	if e.Version == "" {
		gap("evidence.version is required")
	}
	keys := p.EvidenceKeys()
	setKeys := map[string]bool{}
	for _, k := range keys {
		setKeys[k] = true
		if strings.TrimSpace(e.Keys[k]) == "" {
			gap("evidence.keys[%s]: the preset sets it, say where the app reads it", k)
		}
	}
	for _, k := range sortedKeys(e.Keys) {
		if !setKeys[k] {
			gap("evidence.keys[%s]: the preset does not set it", k)
		}
	}
	callbacks := map[string]bool{}
	for _, c := range append(append([]string(nil), p.Callbacks...), p.LogoutCallbacks...) {
		callbacks[c] = true
		if strings.TrimSpace(e.Callbacks[c]) == "" {
			gap("evidence.callbacks[%s]: say where the app routes it", c)
		}
	}
	for _, c := range sortedKeys(e.Callbacks) {
		if !callbacks[c] {
			gap("evidence.callbacks[%s]: not a callback of the preset", c)
		}
	}
	if p.MinVersion != "" && e.MinVersion == "" {
		gap("evidence.minVersion: say why minVersion is %s", p.MinVersion)
	}
	if e.MinVersion != "" && p.MinVersion == "" {
		gap("evidence.minVersion is set without minVersion")
	}
	gaps = append(gaps, p.publicURLGaps(setKeys)...)
	gaps = append(gaps, p.requiresGaps()...)
	sort.Strings(gaps)
	return gaps
}

func (p *Preset) publicURLGaps(setKeys map[string]bool) []string {
	var gaps []string
	u := p.PublicURL
	if u.Mode == "" {
		return []string{"publicURL.mode is required: setting, forwarded-headers, request-host, absolute or app-setting"}
	}
	if strings.TrimSpace(u.Evidence) == "" {
		gaps = append(gaps, "publicURL.evidence is required")
	}
	if u.Mode == PublicURLAppSetting && p.Delivery != DeliveryClientOnly && p.Delivery != DeliveryChart {
		gaps = append(gaps, "publicURL.mode app-setting is for client-only presets and chart presets: set the app's public URL instead")
	}
	if u.Mode == PublicURLRequestHost || u.Mode == PublicURLAppSetting {
		if len(u.Keys) > 0 {
			gaps = append(gaps, fmt.Sprintf("publicURL.keys must be empty for %s", u.Mode))
		}
		if ref, _ := ParseReference(u.Evidence); ref.Text == "" {
			gaps = append(gaps, fmt.Sprintf("publicURL.evidence: for %s, say after the path how the redirect gets the public scheme and host", u.Mode))
		}
		return gaps
	}
	if len(u.Keys) == 0 {
		gaps = append(gaps, fmt.Sprintf("publicURL.keys: name the keys that implement %s", u.Mode))
	}
	for _, k := range u.Keys {
		if !setKeys[k] {
			gaps = append(gaps, fmt.Sprintf("publicURL.keys: %s is not set by the preset", k))
		}
	}
	return gaps
}
