package preset

import (
	"bytes"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"text/template"

	"k8s.io/apimachinery/pkg/util/validation"
	"k8s.io/apimachinery/pkg/util/validation/field"
)

// Defaults of Input fields the engine fills in when the caller left them empty.
const (
	DefaultProviderKey = "pocketid"
	DefaultButtonText  = "Pocket ID"
)

// TemplateVars is what preset templates and spec.env values see.
type TemplateVars struct {
	Issuer        string
	DiscoveryURL  string
	AuthorizeURL  string
	TokenURL      string
	UserinfoURL   string
	JWKSURL       string
	EndSessionURL string
	ClientID      string
	AppURL        string
	// CallbackURL is the first callback URL.
	CallbackURL string
	ProviderKey string
	ButtonText  string
	// Scopes is the preset's scopes joined by spaces; ScopeList the same as a list.
	Scopes    string
	ScopeList []string
	// SecretName is the app Secret (chart values that name it, e.g. immich.existingConfiguration).
	SecretName string
	// ClientSecret is a sentinel while rendering: it may only be a whole value, which the
	// engine turns into a reference (secretKeyRef or an ESO template expression).
	ClientSecret string
}

// secretSentinel stands for the client secret while values are rendered and serialized. It is
// plain ASCII without quotes or braces so that JSON, YAML and Python serializers emit it
// unchanged (YAML even unquoted) and it can be found again and replaced by a reference.
const secretSentinel = "POCKETIDOIDCSECRETSENTINEL0d9f6c2b"

// esoSecretExpr is what a whole-value client secret becomes inside ESO template text: toJson
// quotes and escapes it, which yields a valid JSON, YAML and Python string literal whatever
// characters the secret holds.
var esoSecretExpr = "{{ ." + ClientSecretVar + " | toJson }}"

// esoEscaper makes literal `{{` inert for ESO's text/template. A lone `}}` outside an action
// is plain text to text/template, and nested JSON objects end in `}}`, so it stays as is.
var esoEscaper = strings.NewReplacer("{{", `{{ "{{" }}`)

var funcs = template.FuncMap{
	"upper": strings.ToUpper,
	"lower": strings.ToLower,
	"join":  func(sep string, s []string) string { return strings.Join(s, sep) },
	// shquote quotes a value as one POSIX shell word, for setup scripts in chart values
	// (Nextcloud's before-starting hook).
	"shquote": func(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" },
}

var schemeRE = regexp.MustCompile(`^[a-zA-Z][a-zA-Z0-9+.-]*:`)

// Vars computes the template variables for in (CallbackURL is left empty: it depends on the
// preset's callbacks).
func (p *Preset) Vars(in Input) TemplateVars {
	in = withDefaults(in)
	return TemplateVars{
		Issuer:        in.Issuer,
		DiscoveryURL:  in.Issuer + "/.well-known/openid-configuration",
		AuthorizeURL:  in.Issuer + "/authorize",
		TokenURL:      in.Issuer + "/api/oidc/token",
		UserinfoURL:   in.Issuer + "/api/oidc/userinfo",
		JWKSURL:       in.Issuer + "/.well-known/jwks.json",
		EndSessionURL: in.Issuer + "/api/oidc/end-session",
		ClientID:      in.ClientID,
		AppURL:        in.AppURL,
		ProviderKey:   in.ProviderKey,
		ButtonText:    in.ButtonText,
		Scopes:        strings.Join(p.Scopes, " "),
		ScopeList:     append([]string(nil), p.Scopes...),
		SecretName:    in.SecretName,
		ClientSecret:  secretSentinel,
	}
}

func withDefaults(in Input) Input {
	in.Issuer = strings.TrimSuffix(in.Issuer, "/")
	in.AppURL = strings.TrimSuffix(in.AppURL, "/")
	if in.ProviderKey == "" {
		in.ProviderKey = DefaultProviderKey
	}
	if in.ButtonText == "" {
		in.ButtonText = DefaultButtonText
	}
	return in
}

// render executes one template. It reports whether the result is exactly the client secret;
// a secret embedded in a longer value is an error, because it could only be delivered as a
// literal.
func render(name, text string, vars *TemplateVars) (out string, isSecret bool, err error) {
	if !strings.Contains(text, "{{") {
		return text, false, nil
	}
	t, err := template.New(name).Funcs(funcs).Option("missingkey=error").Parse(text)
	if err != nil {
		return "", false, err
	}
	var b bytes.Buffer
	if err := t.Execute(&b, vars); err != nil {
		return "", false, err
	}
	out = b.String()
	switch {
	case out == secretSentinel:
		return "", true, nil
	case strings.Contains(out, secretSentinel):
		return "", false, fmt.Errorf("{{ .ClientSecret }} may only be used as the whole value, never inside a longer one")
	}
	return out, false, nil
}

// Resolve applies p to in. Errors about user input are rooted at spec; a broken preset
// template is an internal error at spec.preset (the catalog test keeps that from shipping).
func (p *Preset) Resolve(in Input) (*Resolved, field.ErrorList) {
	in = withDefaults(in)
	spec := field.NewPath("spec")
	var errs field.ErrorList
	if p.ProviderKeyPattern != "" && !regexp.MustCompile(p.ProviderKeyPattern).MatchString(in.ProviderKey) {
		errs = append(errs, field.Invalid(spec.Child("login", "providerKey"), in.ProviderKey,
			fmt.Sprintf("%s needs a provider key matching %s", p.DisplayName, p.ProviderKeyPattern)))
	}
	if p.Name != "" {
		if in.AppURL == "" {
			errs = append(errs, field.Required(spec.Child("url"), fmt.Sprintf("preset %s needs the app URL", p.Name)))
		}
		if in.Issuer == "" {
			errs = append(errs, field.Required(spec.Child("provider", "issuer"), "the Pocket ID issuer is needed to wire the app"))
		}
	}
	if len(errs) > 0 {
		return nil, errs
	}
	return p.resolve(in)
}

// resolve is Resolve without the checks of the input as a whole, so the docs can render a
// preset with symbolic values ({app}, {issuer}) that no real input would pass.
func (p *Preset) resolve(in Input) (*Resolved, field.ErrorList) {
	in = withDefaults(in)
	spec := field.NewPath("spec")
	presetPath := spec.Child("preset")
	var errs field.ErrorList
	internal := func(what string, err error) {
		errs = append(errs, field.InternalError(presetPath, fmt.Errorf("preset %q: %s: %w", p.Name, what, err)))
	}

	vars := p.Vars(in)
	r := &Resolved{DisplayName: p.DisplayName, PKCE: p.PKCE, Requires: p.Requires.For(in.Env)}

	urls := func(what string, tpls []string) []string {
		var out []string
		for i, t := range tpls {
			u, sec, err := render(what, t, &vars)
			if err == nil && sec {
				err = fmt.Errorf("a callback cannot be the secret")
			}
			if err != nil {
				internal(fmt.Sprintf("%s[%d]", what, i), err)
				continue
			}
			if !schemeRE.MatchString(u) {
				u = in.AppURL + u
			}
			out = append(out, u)
		}
		return out
	}
	r.CallbackURLs = urls("callbacks", p.Callbacks)
	r.LogoutCallbackURLs = urls("logoutCallbacks", p.LogoutCallbacks)
	if len(in.CallbackURLs) > 0 {
		r.CallbackURLs = append([]string(nil), in.CallbackURLs...)
	}
	if len(r.CallbackURLs) > 0 {
		vars.CallbackURL = r.CallbackURLs[0]
	}

	env := map[string]EnvVar{}
	// fromPreset remembers which preset source set a var, to report clashes inside a preset.
	fromPreset := map[string]string{}
	set := func(source string, v EnvVar) {
		if prev, ok := fromPreset[v.Name]; ok {
			internal(source, fmt.Errorf("env %s is also set by %s", v.Name, prev))
			return
		}
		fromPreset[v.Name] = source
		env[v.Name] = v
	}
	secretRef := &SecretKeyRef{Name: in.SecretName, Key: SecretKeyClientSecret}

	for _, name := range sortedKeys(p.Env) {
		n, _, err := render("env name", name, &vars)
		if err != nil {
			internal("env name "+name, err)
			continue
		}
		v, sec, err := render(n, p.Env[name], &vars)
		if err != nil {
			internal("env["+n+"]", err)
			continue
		}
		if sec {
			set("env["+n+"]", EnvVar{Name: n, SecretKeyRef: secretRef})
		} else {
			set("env["+n+"]", EnvVar{Name: n, Value: v})
		}
	}

	templates := map[string]string{}
	// templateOfEnv lets a user override of a structured var drop the template it replaces.
	templateOfEnv := map[string]string{}
	for i, s := range p.SecretEnv {
		what := fmt.Sprintf("secretEnv[%d]", i)
		text, err := serialize(s.Data, s.Format, &vars)
		if err != nil {
			internal(what, err)
			continue
		}
		templates[s.Key] = text
		templateOfEnv[s.Env] = s.Key
		set(what, EnvVar{Name: s.Env, SecretKeyRef: &SecretKeyRef{Name: in.SecretName, Key: s.Key}})
	}
	for i, f := range p.Files {
		what := fmt.Sprintf("files[%d]", i)
		text, err := serialize(f.Data, f.Format, &vars)
		if err != nil {
			internal(what, err)
			continue
		}
		templates[f.Key] = text
		r.Wiring.Files = append(r.Wiring.Files, File{SecretName: in.SecretName, SecretKey: f.Key, MountPath: f.MountPath})
		if f.Env != "" {
			set(what, EnvVar{Name: f.Env, Value: f.MountPath})
		}
	}
	for i, g := range p.Generated {
		r.Wiring.Generated = append(r.Wiring.Generated, Generated{Key: g.Key, Length: g.Length})
		set(fmt.Sprintf("generated[%d]", i), EnvVar{Name: g.Env, SecretKeyRef: &SecretKeyRef{Name: in.GeneratedSecretName, Key: g.Key}})
	}

	envPath := spec.Child("env")
	for _, name := range sortedKeys(in.Env) {
		fp := envPath.Key(name)
		if msgs := validation.IsEnvVarName(name); len(msgs) > 0 {
			errs = append(errs, field.Invalid(fp, name, strings.Join(msgs, "; ")))
			continue
		}
		v, sec, err := render(name, in.Env[name], &vars)
		if err != nil {
			// The value is the user's template text, never a secret: safe to quote.
			errs = append(errs, field.Invalid(fp, in.Env[name], err.Error()))
			continue
		}
		if sec {
			env[name] = EnvVar{Name: name, SecretKeyRef: secretRef}
		} else {
			env[name] = EnvVar{Name: name, Value: v}
		}
		if key, ok := templateOfEnv[name]; ok {
			delete(templates, key)
		}
	}

	errs = append(errs, p.limitErrors(in, env, &vars)...)

	for _, k := range sortedKeys(p.SecretKeys) {
		what := "secretKeys[" + k + "]"
		v, sec, err := render(what, p.SecretKeys[k], &vars)
		if err == nil && templates[k] != "" {
			err = fmt.Errorf("key %s is also rendered by a secretEnv or a file", k)
		}
		if err != nil {
			internal(what, err)
			continue
		}
		if sec {
			// The secret as the whole value: ESO's plain expression, not toJson (no quotes).
			templates[k] = "{{ ." + ClientSecretVar + " }}"
		} else {
			templates[k] = esoEscaper.Replace(v)
		}
	}

	texts := func(what string, tpls []string) []string {
		var out []string
		for i, t := range tpls {
			n, sec, err := render(what, t, &vars)
			if err == nil && sec {
				err = fmt.Errorf("%s cannot be the secret", what)
			}
			if err != nil {
				internal(fmt.Sprintf("%s[%d]", what, i), err)
				continue
			}
			out = append(out, n)
		}
		return out
	}
	r.Wiring.Notes = texts("notes", p.Notes)
	r.Wiring.Warnings = texts("warnings", p.Warnings)

	for _, chart := range sortedKeys(p.Charts) {
		ch := p.Charts[chart]
		vals, err := renderData(ch.Values, &vars, false)
		if err != nil {
			internal("charts["+chart+"]", err)
			continue
		}
		if r.Wiring.Charts == nil {
			r.Wiring.Charts = map[string]ChartWiring{}
		}
		m, _ := vals.(map[string]any)
		cw := ChartWiring{EnvPath: ch.EnvPath, EnvList: ch.EnvList, Values: m, ListKeys: ch.ListKeys}
		for _, path := range sortedKeys(ch.Conflicts) {
			reason, sec, err := render("conflict", ch.Conflicts[path].Reason, &vars)
			if err == nil && sec {
				err = fmt.Errorf("a reason cannot be the secret")
			}
			if err != nil {
				internal("charts["+chart+"].conflicts["+path+"]", err)
				continue
			}
			if cw.Conflicts == nil {
				cw.Conflicts = map[string]string{}
			}
			cw.Conflicts[path] = reason + " (" + ch.Conflicts[path].Evidence + ")"
		}
		r.Wiring.Charts[chart] = cw
	}

	if len(errs) > 0 {
		return nil, errs
	}
	for _, n := range sortedKeys(env) {
		r.Wiring.Env = append(r.Wiring.Env, env[n])
	}
	if len(templates) > 0 {
		r.Wiring.SecretTemplates = templates
	}
	return r, nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
