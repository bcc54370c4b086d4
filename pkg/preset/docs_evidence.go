package preset

import (
	"fmt"
	"regexp"
	"strings"
)

// The evidence part of docs/presets.md: where each fact of a preset was read.

var publicURLWords = map[PublicURLMode]string{
	PublicURLSetting:          "the app takes its public URL from a setting",
	PublicURLForwardedHeaders: "the app is made to trust X-Forwarded-* headers",
	PublicURLRequestHost:      "the app builds redirects from the request",
	PublicURLAbsolute:         "the callback is configured as an absolute URL",
	PublicURLAppSetting:       "the app's own public-URL setting, which the manual step names",
}

// writeProvenance writes the version checked, the public-URL handling and the requirements.
func writeProvenance(w func(string, ...any), p *Preset) {
	e := p.Evidence
	if e.Repository != "" {
		w("- Checked against: [%s %s](https://github.com/%s/tree/%s)\n", e.Repository, e.Version, e.Repository, e.Version)
	}
	if u := p.PublicURL; u.Mode != "" {
		w("- Public URL behind a TLS ingress: **%s**, %s", u.Mode, publicURLWords[u.Mode])
		if len(u.Keys) > 0 {
			w(" (%s)", strings.Join(quoteAll(u.Keys), ", "))
		}
		w("; %s\n", e.reference(u.Evidence))
	}
	if r := p.Requires; r.EmailsVerified {
		w("- Requires on Pocket ID: emails marked verified (`EMAILS_VERIFIED=true`); while `email_verified` is false the app refuses some or all logins (%s). "+
			"The function reports it as an info result, and the OIDCClient document carries it (`spec.requirements: [emailsVerified]`) for the provisioner to check (a warning; `--strict` fails)",
			p.Evidence.reference(p.Evidence.Requires))
		if u := r.Unless; u != nil {
			w(". Not required when `spec.env` sets `%s: %q`, with which the app accepts an unverified email; %s", u.Env, u.Value, p.Evidence.reference(u.Evidence))
		}
		w("\n")
	}
}

// writeEvidence writes the table of keys and callbacks with the file that reads each.
func writeEvidence(w func(string, ...any), p *Preset) {
	e := p.Evidence
	if len(e.Keys) == 0 && len(e.Callbacks) == 0 {
		return
	}
	w("\n| evidence for | read in |\n|---|---|\n")
	for _, c := range append(append([]string(nil), p.Callbacks...), p.LogoutCallbacks...) {
		if v, ok := e.Callbacks[c]; ok {
			w("| callback `%s` | %s |\n", cell(c), cell(e.reference(v)))
		}
	}
	for _, k := range sortedKeys(e.Keys) {
		w("| `%s` | %s |\n", cell(k), cell(e.reference(e.Keys[k])))
	}
}

// reference renders one evidence value as a Markdown link plus its free text.
func (e Evidence) reference(v string) string {
	r, err := ParseReference(v)
	if err != nil {
		return v
	}
	s := fmt.Sprintf("[%s](%s)", r.label(), r.URL(e))
	if r.Text != "" {
		s += " " + r.Text
	}
	return s
}

// label is the link text: a path as written, a GitHub file URL as owner/name: path.
func (r Reference) label() string {
	m := githubBlobRE.FindStringSubmatch(r.Target)
	if m == nil {
		return r.Target
	}
	return m[1] + ": " + m[2]
}

var githubBlobRE = regexp.MustCompile(`^https://github\.com/([^/]+/[^/]+)/blob/[^/]+/(.+)$`)
