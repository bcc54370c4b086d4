package preset

import (
	"bytes"
	"fmt"
	"regexp"
	"sort"
	"strings"
)

// DocsInput is the symbolic input the docs and `pocketid-oidc presets <name>` render presets
// with, so readers see where each value comes from ({app}/login, {issuer}/api/oidc/token).
var DocsInput = Input{
	Issuer:              "{issuer}",
	AppURL:              "{app}",
	ClientID:            "{client-id}",
	ProviderKey:         "{provider-key}",
	ButtonText:          "{button-text}",
	SecretName:          "{secret}",
	GeneratedSecretName: "{generated-secret}",
}

// Symbolic resolves p with DocsInput. It skips the checks of a real input (the provider key
// pattern, required URLs): the placeholders would not pass them.
func (p *Preset) Symbolic() (*Resolved, error) {
	r, errs := p.resolve(DocsInput)
	if len(errs) > 0 {
		return nil, errs.ToAggregate()
	}
	return r, nil
}

// CallbackPaths are the preset's callbacks as users read them: paths relative to the app URL
// (with {provider-key} where the key goes) or absolute custom-scheme URLs.
func (p *Preset) CallbackPaths() []string {
	r, err := p.Symbolic()
	if err != nil {
		return append([]string(nil), p.Callbacks...)
	}
	out := make([]string, len(r.CallbackURLs))
	for i, u := range r.CallbackURLs {
		out[i] = strings.TrimPrefix(u, DocsInput.AppURL)
	}
	return out
}

// DescribeEnv says in words what one resolved env var receives.
func DescribeEnv(e EnvVar) string {
	if e.SecretKeyRef == nil {
		return e.Value
	}
	return fmt.Sprintf("secretKeyRef %s/%s", e.SecretKeyRef.Name, e.SecretKeyRef.Key)
}

// Markdown is docs/presets.md: every preset, generated from the catalog so it cannot drift.
func (c *Catalog) Markdown() ([]byte, error) {
	var b bytes.Buffer
	w := func(format string, a ...any) { fmt.Fprintf(&b, format, a...) }
	w("# Preset catalog\n\n")
	w("<!-- Generated from pkg/preset/presets/*.yaml. Do not edit; regenerate with:\n")
	w("     UPDATE_GOLDEN=1 go test ./pkg/preset -run TestDocs -->\n\n")
	w("Set `spec.preset` of an `OIDCIntegration` to one of the names below. `pocketid-oidc presets`\n")
	w("lists them, `pocketid-oidc presets <name>` shows one.\n\n")
	w("Values are shown for symbolic input: `{app}` is `spec.url`, `{issuer}` the Pocket ID issuer,\n")
	w("`{client-id}` the client id, `{provider-key}` `spec.login.providerKey` (default `%s`),\n", DefaultProviderKey)
	w("`{button-text}` `spec.login.buttonText` (default `%s`), `{secret}` the app Secret\n", DefaultButtonText)
	w("(`spec.secret.name`), `{generated-secret}` the Secret of generated values. The client secret\n")
	w("never appears as a value: env vars reference the app Secret's `%s` key, and JSON or\n", SecretKeyClientSecret)
	w("file values are rendered into the app Secret by an ExternalSecret template\n")
	w("(`{{ .%s | toJson }}`). `spec.env` overrides or adds any variable (same template\n", ClientSecretVar)
	w("variables; `{{ .ClientSecret }}` as a whole value becomes a secret reference);\n")
	w("`spec.client.additionalCallbackURLs` adds callbacks.\n\n")
	w("Delivery: **env** plain env vars; **json** the secret sits inside a structured env value, rendered\n")
	w("into the app Secret and referenced; **file** a config file in the app Secret, mounted;\n")
	w("**client-only** the app is configured in its UI or CLI: the client is registered and the secret\n")
	w("delivered to the app Secret, and the manual step is reported as an info result; **chart** the\n")
	w("app's official Helm chart configures it from values the integration merges into the HelmRelease\n")
	w("(the secret only by reference to the app Secret); with another chart the notes say the manual step.\n\n")
	w("**Immich has no OAuth environment variables.** Its OAuth settings come from the admin UI or from\n")
	w("a config file; the `immich` preset uses the config file, and a config file makes Immich's OAuth\n")
	w("settings (indeed all its system settings) read-only in the admin UI, and replaces every system\n")
	w("setting changed in the admin UI with Immich's default: export them first.\n\n")

	w("Every preset carries evidence: the app version whose source was read and, for every key it\n")
	w("sets and every callback, the file of the app that reads or routes it. It also says how the\n")
	w("app's redirects stay right behind a TLS-terminating ingress (public URL) and what it needs\n")
	w("from Pocket ID.\n\n")

	w("| preset | app | delivery | discovery | min version | checked | callback paths |\n")
	w("|---|---|---|---|---|---|---|\n")
	for _, name := range c.Names() {
		p := c.presets[name]
		w("| [`%s`](#%s) | %s | %s | %s | %s | %s | %s |\n", p.Name, p.Name, cell(p.DisplayName), p.Delivery,
			p.Discovery, orDash(p.MinVersion), orDash(shortVersion(p.Evidence.Version)),
			cell(strings.Join(quoteAll(p.CallbackPaths()), " ")))
	}

	for _, name := range c.Names() {
		p := c.presets[name]
		r, err := p.Symbolic()
		if err != nil {
			return nil, fmt.Errorf("preset %s: %w", name, err)
		}
		w("\n## %s\n\n", p.Name)
		w("**%s**: [app documentation](%s)\n\n", p.DisplayName, p.Docs)
		w("- Delivery: %s; discovery: %s; PKCE: %v; scopes: `%s`\n", p.Delivery, p.Discovery, p.PKCE, strings.Join(p.Scopes, " "))
		w("- Minimum version: %s", orDash(p.MinVersion))
		if p.Evidence.MinVersion != "" {
			w(" (%s)", p.Evidence.reference(p.Evidence.MinVersion))
		}
		w("\n")
		writeProvenance(w, p)
		if p.ProviderKeyPattern != "" {
			w("- Provider key must match `%s`\n", p.ProviderKeyPattern)
		}
		w("- Callback URLs: %s\n", strings.Join(quoteAll(r.CallbackURLs), ", "))
		if len(r.LogoutCallbackURLs) > 0 {
			w("- Logout callback URLs: %s\n", strings.Join(quoteAll(r.LogoutCallbackURLs), ", "))
		}
		if len(r.Wiring.Env) > 0 {
			w("\n| env | value |\n|---|---|\n")
			for _, e := range r.Wiring.Env {
				w("| `%s` | %s |\n", e.Name, cell("`"+DescribeEnv(e)+"`"))
			}
		}
		for _, name := range sortedKeys(p.Limits) {
			l := p.Limits[name]
			w("\n`%s` takes %s characters (an error at the field it comes from otherwise): %s.\n", name, DescribeLimit(l), p.Evidence.reference(l.Evidence))
		}
		for _, key := range sortedKeys(r.Wiring.SecretTemplates) {
			w("\nApp Secret key `%s` (ExternalSecret template):\n\n```\n%s\n```\n", key,
				strings.TrimSuffix(r.Wiring.SecretTemplates[key], "\n"))
		}
		for _, f := range r.Wiring.Files {
			w("\nFile: key `%s` of Secret `%s`, mounted at `%s`.\n", f.SecretKey, f.SecretName, f.MountPath)
		}
		for _, g := range r.Wiring.Generated {
			w("\nGenerated: `%s`, %d random characters, made once by an ESO Password generator.\n", g.Key, g.Length)
		}
		for _, chart := range sortedKeys(r.Wiring.Charts) {
			ch := r.Wiring.Charts[chart]
			var parts []string
			if ch.EnvPath != "" {
				form := map[bool]string{false: "env", true: "env list"}[ch.EnvList]
				parts = append(parts, fmt.Sprintf("%s at `%s`", form, ch.EnvPath))
			}
			if len(ch.Values) > 0 {
				v := "values " + cell(flatValues("", ch.Values))
				if len(r.Wiring.Files) > 0 {
					v += " (the chart mounts the file itself)"
				}
				parts = append(parts, v)
			}
			for _, path := range sortedKeys(ch.ListKeys) {
				parts = append(parts, fmt.Sprintf("items of `%s` merged into the HelmRelease's by `%s`", path, ch.ListKeys[path]))
			}
			for _, path := range sortedKeys(ch.Conflicts) {
				parts = append(parts, fmt.Sprintf("a HelmRelease whose `spec.values` sets `%s` is an error: %s", path, ch.Conflicts[path]))
			}
			w("\nChart `%s`: %s.\n", chart, strings.Join(parts, "; "))
		}
		writeEvidence(w, p)
		if len(r.Wiring.Warnings) > 0 {
			w("\nWarnings (reported as warning results):\n\n")
			for _, n := range r.Wiring.Warnings {
				w("- **%s**\n", n)
			}
		}
		if len(r.Wiring.Notes) > 0 {
			w("\nNotes (reported as info results):\n\n")
			for _, n := range r.Wiring.Notes {
				w("- %s\n", n)
			}
		}
	}
	return b.Bytes(), nil
}

var commitRE = regexp.MustCompile(`^[0-9a-f]{40}$`)

// shortVersion keeps the table narrow: a commit checked instead of a tag shows as 12 digits.
func shortVersion(v string) string {
	if commitRE.MatchString(v) {
		return v[:12]
	}
	return v
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func quoteAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = "`" + s + "`"
	}
	return out
}

// cell keeps a value inside one Markdown table cell.
func cell(s string) string {
	return strings.ReplaceAll(s, "|", `\|`)
}

// flatValues writes nested chart values as `a.b: v` pairs, sorted.
func flatValues(prefix string, m map[string]any) string {
	var parts []string
	for k, v := range m {
		if sub, ok := v.(map[string]any); ok {
			parts = append(parts, flatValues(prefix+k+".", sub))
			continue
		}
		if list, ok := v.([]any); ok {
			if b, err := marshalJSON(list); err == nil {
				parts = append(parts, fmt.Sprintf("`%s%s: %s`", prefix, k, b))
				continue
			}
		}
		parts = append(parts, fmt.Sprintf("`%s%s: %v`", prefix, k, v))
	}
	sort.Strings(parts)
	return strings.Join(parts, ", ")
}
