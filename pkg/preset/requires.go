package preset

import (
	"fmt"
	"strings"
)

// Waiver is an app setting with which the app accepts what a requirement guards against
// (Coder's CODER_OIDC_IGNORE_EMAIL_VERIFIED=true accepts an unverified email): when spec.env
// sets it, the app no longer needs the requirement from Pocket ID.
type Waiver struct {
	Env   string `json:"env"`
	Value string `json:"value"`
	// Evidence is where the app reads Env, a reference like those of Evidence.Keys.
	Evidence string `json:"evidence"`
}

// For is what the app still requires with the integration's spec.env: nothing once env sets
// the waiver to exactly its value. Only the exact value counts ("True" or a ${VAR} placeholder
// does not): some apps compare the string (Documenso: === 'true'), and a requirement kept by
// mistake costs a warning, one dropped by mistake a login.
func (r Requires) For(env map[string]string) Requires {
	if w := r.Unless; w != nil && env[w.Env] == w.Value && w.Value != "" {
		return Requires{}
	}
	return r
}

// requiresGaps: a requirement says where the app refuses a login without it; a waiver names
// its setting, the value that waives and where the app reads it, and only waives an existing
// requirement.
func (p *Preset) requiresGaps() []string {
	var gaps []string
	switch ev := strings.TrimSpace(p.Evidence.Requires); {
	case p.Requires.EmailsVerified && ev == "":
		gaps = append(gaps, "evidence.requires: say where the app refuses an unverified email")
	case !p.Requires.EmailsVerified && ev != "":
		gaps = append(gaps, "evidence.requires is set without a requirement")
	case ev != "":
		if _, err := ParseReference(ev); err != nil {
			gaps = append(gaps, fmt.Sprintf("evidence.requires: %v", err))
		}
	}
	w := p.Requires.Unless
	if w == nil {
		return gaps
	}
	if !p.Requires.EmailsVerified {
		gaps = append(gaps, "requires.unless: there is no requirement to waive")
	}
	if w.Env == "" || w.Value == "" {
		gaps = append(gaps, "requires.unless: env and value are required")
	}
	if _, set := p.Env[w.Env]; set && w.Env != "" {
		gaps = append(gaps, fmt.Sprintf("requires.unless: the preset sets %s itself", w.Env))
	}
	if strings.TrimSpace(w.Evidence) == "" {
		gaps = append(gaps, "requires.unless.evidence: say where the app reads "+w.Env)
	} else if _, err := ParseReference(w.Evidence); err != nil {
		gaps = append(gaps, fmt.Sprintf("requires.unless.evidence: %v", err))
	}
	return gaps
}
