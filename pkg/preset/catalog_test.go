package preset_test

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"

	"sigs.k8s.io/yaml"

	"github.com/endsys/pocketid-oidc/internal/esotemplate"
	"github.com/endsys/pocketid-oidc/pkg/api/v1alpha1"
	"github.com/endsys/pocketid-oidc/pkg/preset"
)

// inScope is every app the catalog must carry, by delivery.
var inScope = map[string]preset.Delivery{
	"grafana": "env", "paperless-ngx": "json", "tandoor": "json", "mealie": "env", "miniflux": "env",
	"open-webui": "env", "outline": "env", "vikunja": "env", "karakeep": "env", "linkding": "env",
	"actual-budget": "env", "vaultwarden": "env", "homarr": "env", "dawarich": "env", "planka": "env",
	"semaphore": "json", "freshrss": "env", "romm": "env", "rallly": "env", "opengist": "env",
	"homebox": "env", "bookstack": "env", "headscale": "env", "komodo": "env", "photoprism": "env",
	"grist": "env", "minio": "env", "pgadmin": "json", "immich": "file",
	"audiobookshelf": "client-only", "jellyfin": "client-only", "kavita": "client-only",
	"memos": "client-only", "harbor": "json", "nextcloud": "chart",
	"gitea": "chart", "forgejo": "chart",
}

func TestDefaultCatalog(t *testing.T) {
	c := preset.Default()
	names := c.Names()
	// Issue 10: at least 50 apps, each with the same evidence (TestCatalogEvidence).
	if want := max(len(inScope), 50); len(names) < want {
		t.Errorf("catalog has %d presets, want at least %d: %q", len(names), want, names)
	}
	for name, delivery := range inScope {
		p, ok := c.Get(name)
		if !ok {
			t.Errorf("preset %s missing", name)
			continue
		}
		if p.Delivery != delivery {
			t.Errorf("%s: delivery %s, want %s", name, p.Delivery, delivery)
		}
	}
	if _, ok := c.Get("nope"); ok {
		t.Error("Get(nope) found something")
	}
}

func TestLoadRejects(t *testing.T) {
	good := "name: x\ndisplayName: X\ndocs: https://x\ndelivery: env\ndiscovery: issuer\ncallbacks: [/cb]\nscopes: [openid]\n"
	tests := []struct{ name, file, body, want string }{
		{"unknown field", "x.yaml", good + "envv: {}\n", "unknown field"},
		{"name differs from file", "y.yaml", good, "must match the file name"},
		{"no display name", "x.yaml", strings.Replace(good, "displayName: X\n", "", 1), "displayName is required"},
		{"docs not https", "x.yaml", strings.Replace(good, "https://x", "http://x", 1), "docs must be an https link"},
		{"bad delivery", "x.yaml", strings.Replace(good, "delivery: env", "delivery: mail", 1), "delivery"},
		{"client-only without notes", "x.yaml", strings.Replace(good, "delivery: env", "delivery: client-only", 1), "must say the manual step"},
		{"json without secretEnv", "x.yaml", strings.Replace(good, "delivery: env", "delivery: json", 1), "secretEnv"},
		{"short generated value", "x.yaml", good + "generated: [{env: K, length: 8}]\n", "length of at least 16"},
		{"no callbacks", "x.yaml", strings.Replace(good, "callbacks: [/cb]\n", "", 1), "callbacks"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := preset.Load(fstest.MapFS{"p/" + tt.file: {Data: []byte(tt.body)}}, "p")
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want it to contain %q", err, tt.want)
			}
		})
	}
	if _, err := preset.Load(fstest.MapFS{"p/x.yaml": {Data: []byte(good)}}, "p"); err != nil {
		t.Fatalf("good preset refused: %v", err)
	}
}

// sampleSecret holds everything that breaks naive string building: quotes of all three
// languages, backslashes, template braces, a Flux placeholder, a newline and non-ASCII.
const sampleSecret = `q"u'o\te\\{{ .x }}${VAR}<&>` + "\n\u00e9"

func catalogInput(name string) preset.Input {
	return preset.Input{
		Issuer:              "https://auth.${SECRET_DOMAIN}",
		AppURL:              "https://" + name + ".${SECRET_DOMAIN}",
		ClientID:            name + "-client",
		SecretName:          name + "-oidc",
		GeneratedSecretName: name + "-oidc-generated",
	}
}

var secretName = regexp.MustCompile(`SECRET|PASSWORD`)

// TestCatalogWalk resolves every preset and checks what must hold for all of them.
func TestCatalogWalk(t *testing.T) {
	c := preset.Default()
	for _, name := range c.Names() {
		t.Run(name, func(t *testing.T) {
			p, _ := c.Get(name)
			if p.DisplayName == "" || !strings.HasPrefix(p.Docs, "https://") {
				t.Errorf("display name %q, docs %q", p.DisplayName, p.Docs)
			}
			in := catalogInput(name)
			r, errs := p.Resolve(in)
			if len(errs) > 0 {
				t.Fatal(errs.ToAggregate())
			}
			if len(r.CallbackURLs) == 0 {
				t.Error("no callback URLs")
			}
			for i, u := range append(append([]string{}, r.CallbackURLs...), r.LogoutCallbackURLs...) {
				if err := v1alpha1.ValidateCallbackURL(u); err != nil {
					t.Errorf("callback %d %q: %v", i, u, err)
				}
				if strings.Contains(u, "{{") || strings.Contains(u, "//"+"/") && !strings.Contains(u, ":///") {
					t.Errorf("callback %q is not fully rendered", u)
				}
			}

			secretRefs := 0
			for _, e := range r.Wiring.Env {
				if e.SecretKeyRef != nil {
					if e.Value != "" {
						t.Errorf("env %s has both a value and a reference", e.Name)
					}
					if e.SecretKeyRef.Name != in.SecretName && e.SecretKeyRef.Name != in.GeneratedSecretName {
						t.Errorf("env %s references unknown Secret %s", e.Name, e.SecretKeyRef.Name)
					}
					if e.SecretKeyRef.Key == preset.SecretKeyClientSecret {
						secretRefs++
					}
					continue
				}
				if secretName.MatchString(e.Name) {
					t.Errorf("env %s looks secret-bearing but holds a literal value", e.Name)
				}
				if strings.Contains(e.Value, "{{") || strings.Contains(e.Value, "POCKETIDOIDCSECRETSENTINEL") {
					t.Errorf("env %s = %q is not fully rendered", e.Name, e.Value)
				}
			}
			for key, text := range r.Wiring.SecretTemplates {
				secretRefs += strings.Count(text, "{{ .clientSecret | toJson }}")
				if text == "{{ .clientSecret }}" { // a secretKeys entry holding the secret itself
					secretRefs++
				}
				if strings.Contains(text, "POCKETIDOIDCSECRETSENTINEL") {
					t.Errorf("template %s leaks the sentinel", key)
				}
			}
			switch p.Delivery {
			case preset.DeliveryClientOnly:
				if len(r.Wiring.Env) != 0 || len(r.Wiring.Notes) == 0 {
					t.Errorf("client-only preset: env %v, notes %v", r.Wiring.Env, r.Wiring.Notes)
				}
			default:
				// The secret reaches the app exactly once, and only by reference.
				if secretRefs != 1 {
					t.Errorf("client secret delivered %d times by reference, want 1", secretRefs)
				}
			}
			for _, n := range append(append([]string(nil), r.Wiring.Notes...), r.Wiring.Warnings...) {
				if strings.Contains(n, "{{") {
					t.Errorf("note or warning not rendered: %q", n)
				}
			}
			// Notes may end up in files Flux substitutes; the preset itself must not add
			// ${...} text (the input's placeholders are fine).
			for _, n := range append(append([]string(nil), p.Notes...), p.Warnings...) {
				if strings.Contains(n, "${") {
					t.Errorf("preset note holds ${...}: %q", n)
				}
			}
			for _, g := range r.Wiring.Generated {
				if g.Length < 16 {
					t.Errorf("generated %s is only %d long", g.Key, g.Length)
				}
			}
		})
	}
}

// TestSecretTemplatesParseAfterESO renders every ESO template of the catalog with ESO's
// engine and a hostile secret, then parses the result in its language and finds the secret
// intact exactly where the preset put it.
func TestSecretTemplatesParseAfterESO(t *testing.T) {
	c := preset.Default()
	checked := 0
	for _, name := range c.Names() {
		p, _ := c.Get(name)
		r, errs := p.Resolve(catalogInput(name))
		if len(errs) > 0 {
			t.Fatal(errs.ToAggregate())
		}
		formats := map[string]preset.Format{}
		for _, s := range p.SecretEnv {
			formats[s.Key] = s.Format
		}
		for _, f := range p.Files {
			formats[f.Key] = f.Format
		}
		for key, text := range r.Wiring.SecretTemplates {
			t.Run(name+"/"+key, func(t *testing.T) {
				checked++
				out, err := esotemplate.Execute(key, text, map[string][]byte{
					preset.ClientSecretVar: []byte(sampleSecret),
					"client-id":            []byte("ignored"),
				})
				if err != nil {
					t.Fatal(err)
				}
				if v, ok := p.SecretKeys[key]; ok {
					// A plain key: exactly the secret or the client id, nothing around it.
					want, known := map[string]string{"{{ .ClientSecret }}": sampleSecret, "{{ .ClientID }}": name + "-client"}[v]
					if !known {
						t.Fatalf("secretKeys[%s] = %q: no expectation for it here", key, v)
					}
					if string(out) != want {
						t.Errorf("%s: ESO renders %q, want %q", key, out, want)
					}
					return
				}
				var doc any
				switch formats[key] {
				case preset.FormatJSON:
					err = json.Unmarshal(out, &doc)
				case preset.FormatYAML:
					err = yaml.Unmarshal(out, &doc)
				case preset.FormatPython:
					doc, err = parsePythonLiteral(string(out))
				default:
					t.Fatalf("no format for key %s", key)
				}
				if err != nil {
					t.Fatalf("%s does not parse as %s: %v\n%s", key, formats[key], err, out)
				}
				if n := countString(doc, sampleSecret); n != 1 {
					t.Errorf("secret found %d times in the parsed value, want 1:\n%s", n, out)
				}
				if n := countString(doc, name+"-client"); n != 1 {
					t.Errorf("client id found %d times, want 1", n)
				}
				if !strings.Contains(string(out), "${SECRET_DOMAIN}") {
					t.Errorf("the ${SECRET_DOMAIN} placeholder did not pass through:\n%s", out)
				}
			})
		}
	}
	if checked < 5 { // paperless, tandoor, semaphore, pgadmin, immich
		t.Errorf("only %d templates checked", checked)
	}
}

func countString(v any, s string) int {
	switch d := v.(type) {
	case string:
		if d == s {
			return 1
		}
	case map[string]any:
		n := 0
		for k, e := range d {
			n += countString(k, s) + countString(e, s)
		}
		return n
	case []any:
		n := 0
		for _, e := range d {
			n += countString(e, s)
		}
		return n
	}
	return 0
}

// parsePythonLiteral reads the Python literal subset pgAdmin's config uses (dicts, lists,
// double-quoted strings with JSON-compatible escapes, True/False/None, numbers) by mapping
// the three Python keywords outside strings to JSON and parsing JSON. Single-quoted strings
// are refused: the engine never writes them, so meeting one means the output is wrong.
func parsePythonLiteral(s string) (any, error) {
	var b strings.Builder
	inString, escaped := false, false
	for i := 0; i < len(s); i++ {
		ch := s[i]
		if inString {
			b.WriteByte(ch)
			switch {
			case escaped:
				escaped = false
			case ch == '\\':
				escaped = true
			case ch == '"':
				inString = false
			}
			continue
		}
		switch {
		case ch == '"':
			inString = true
			b.WriteByte(ch)
		case ch == '\'':
			return nil, fmt.Errorf("single-quoted string at %d", i)
		case strings.HasPrefix(s[i:], "True"):
			b.WriteString("true")
			i += 3
		case strings.HasPrefix(s[i:], "False"):
			b.WriteString("false")
			i += 4
		case strings.HasPrefix(s[i:], "None"):
			b.WriteString("null")
			i += 3
		default:
			b.WriteByte(ch)
		}
	}
	var v any
	err := json.Unmarshal([]byte(b.String()), &v)
	return v, err
}

func TestParsePythonLiteral(t *testing.T) {
	v, err := parsePythonLiteral(`[{"a": True, "b": "x\"True\\", "c": None}]`)
	if err != nil {
		t.Fatal(err)
	}
	want := []any{map[string]any{"a": true, "b": `x"True\`, "c": nil}}
	if fmt.Sprint(v) != fmt.Sprint(want) {
		t.Errorf("got %v", v)
	}
	if _, err := parsePythonLiteral(`{'a': 1}`); err == nil {
		t.Error("single quotes accepted")
	}
}

func TestLookup(t *testing.T) {
	c := preset.Default()
	if p, err := c.Lookup(""); err != nil || p.Name != "" {
		t.Errorf("Lookup(\"\") = %v, %v; want Custom", p, err)
	}
	if p, err := c.Lookup("immich"); err != nil || p.Name != "immich" {
		t.Errorf("Lookup(immich) = %v, %v", p, err)
	}
	_, err := c.Lookup("imich")
	if err == nil || err.Field != "spec.preset" || !strings.Contains(err.Error(), `"immich"`) {
		t.Errorf("Lookup(imich) error = %v", err)
	}
}

// TestLiteralBracesSurviveESO: text that merely looks like a template must reach the app as
// written, not be evaluated (or fail) in ESO.
func TestLiteralBracesSurviveESO(t *testing.T) {
	p, err := preset.Parse([]byte(`
name: braces
displayName: Braces
docs: https://example.com
delivery: json
discovery: issuer
callbacks: [/cb]
scopes: [openid]
secretEnv:
  - env: CONF
    format: json
    data: {tpl: '{{ "{{" }} .user }}', s: "{{ .ClientSecret }}"}
  - env: CONF_YAML
    format: yaml
    data: {tpl: '{{ "{{" }}x}}{{ "{{" }}{{ "{{" }}', s: "{{ .ClientSecret }}"}
`))
	if err != nil {
		t.Fatal(err)
	}
	r, errs := p.Resolve(catalogInput("braces"))
	if len(errs) > 0 {
		t.Fatal(errs.ToAggregate())
	}
	data := map[string][]byte{preset.ClientSecretVar: []byte(sampleSecret)}
	tests := []struct {
		key, want string
		parse     func([]byte, any) error
	}{
		{"CONF", "{{ .user }}", json.Unmarshal},
		{"CONF_YAML", "{{x}}{{{{", func(b []byte, v any) error { return yaml.Unmarshal(b, v) }},
	}
	for _, tt := range tests {
		out, err := esotemplate.Execute(tt.key, r.Wiring.SecretTemplates[tt.key], data)
		if err != nil {
			t.Fatalf("%s: %v", tt.key, err)
		}
		var doc map[string]string
		if err := tt.parse(out, &doc); err != nil {
			t.Fatalf("%s: %v\n%s", tt.key, err, out)
		}
		if doc["tpl"] != tt.want || doc["s"] != sampleSecret {
			t.Errorf("%s: got %q / %q", tt.key, doc["tpl"], doc["s"])
		}
	}
}

// TestRequiredAppSettings pins the values each app needs besides
// the OIDC ones; an app without them shows a login button that never works.
func TestRequiredAppSettings(t *testing.T) {
	app := func(n string) string { return "https://" + n + ".${SECRET_DOMAIN}" }
	tests := map[string]map[string]string{
		"grafana": {"GF_SERVER_ROOT_URL": app("grafana") + "/", "GF_AUTH_GENERIC_OAUTH_ENABLED": "true"},
		"open-webui": {"WEBUI_URL": app("open-webui"), "OPENID_REDIRECT_URI": app("open-webui") + "/oauth/oidc/callback",
			"ENABLE_OAUTH_PERSISTENT_CONFIG": "false"},
		"outline":       {"URL": app("outline")},
		"vaultwarden":   {"DOMAIN": app("vaultwarden"), "SSO_ENABLED": "true", "SSO_AUTHORITY": "https://auth.${SECRET_DOMAIN}"},
		"karakeep":      {"NEXTAUTH_URL": app("karakeep")},
		"opengist":      {"OG_EXTERNAL_URL": app("opengist")},
		"miniflux":      {"OAUTH2_REDIRECT_URL": app("miniflux") + "/oauth2/oidc/callback", "OAUTH2_PROVIDER": "oidc"},
		"actual-budget": {"ACTUAL_OPENID_SERVER_HOSTNAME": app("actual-budget")},
		"grist":         {"GRIST_OIDC_SP_HOST": app("grist")},
		"paperless-ngx": {"PAPERLESS_APPS": "allauth.socialaccount.providers.openid_connect"},
		"tandoor":       {"SOCIAL_PROVIDERS": "allauth.socialaccount.providers.openid_connect"},
		"bookstack":     {"AUTH_METHOD": "oidc", "OIDC_ISSUER_DISCOVER": "true", "APP_URL": app("bookstack")},
		"pgadmin":       {"PGADMIN_CONFIG_AUTHENTICATION_SOURCES": "['oauth2', 'internal']", "PGADMIN_CONFIG_OAUTH2_AUTO_CREATE_USER": "True"},
		"homarr":        {"AUTH_PROVIDERS": "oidc"},
		"dawarich":      {"OIDC_REDIRECT_URI": app("dawarich") + "/users/auth/openid_connect/callback"},
		"romm":          {"OIDC_REDIRECT_URI": app("romm") + "/api/oauth/openid", "OIDC_ENABLED": "true"},
		"minio":         {"MINIO_IDENTITY_OPENID_REDIRECT_URI": app("minio") + "/oauth_callback", "MINIO_IDENTITY_OPENID_SCOPES": "openid,email,profile"},
		"freshrss":      {"OIDC_ENABLED": "1", "OIDC_SCOPES": "openid profile", "OIDC_X_FORWARDED_HEADERS": "X-Forwarded-Proto"},
		"immich":        {"IMMICH_CONFIG_FILE": "/config/immich-config.yaml"},
		// Public URL and redirect wiring, each read in the app's source (see the evidence).
		"homebox":    {"HBOX_OPTIONS_TRUST_PROXY": "true"},
		"komodo":     {"KOMODO_HOST": app("komodo")},
		"photoprism": {"PHOTOPRISM_SITE_URL": app("photoprism") + "/", "PHOTOPRISM_OIDC_SCOPES": "openid email profile"},
		"headscale":  {"HEADSCALE_SERVER_URL": app("headscale")},
		"planka":     {"BASE_URL": app("planka")},
		"mealie":     {"BASE_URL": app("mealie")},
		"rallly":     {"NEXT_PUBLIC_BASE_URL": app("rallly")},
	}
	for name, want := range tests {
		t.Run(name, func(t *testing.T) {
			p, ok := preset.Default().Get(name)
			if !ok {
				t.Fatalf("no preset %s", name)
			}
			r, errs := p.Resolve(catalogInput(name))
			if len(errs) > 0 {
				t.Fatal(errs.ToAggregate())
			}
			got := map[string]string{}
			for _, e := range r.Wiring.Env {
				got[e.Name] = e.Value
			}
			for k, v := range want {
				if got[k] != v {
					t.Errorf("%s = %q, want %q", k, got[k], v)
				}
			}
		})
	}
	// FreshRSS's crypto key is generated, never literal.
	p, _ := preset.Default().Get("freshrss")
	r, _ := p.Resolve(catalogInput("freshrss"))
	for _, e := range r.Wiring.Env {
		if e.Name == "OIDC_CLIENT_CRYPTO_KEY" && (e.SecretKeyRef == nil || e.SecretKeyRef.Name != "freshrss-oidc-generated") {
			t.Errorf("OIDC_CLIENT_CRYPTO_KEY = %+v, want a reference to the generated Secret", e)
		}
	}
	// Immich: no IMMICH_OAUTH_* variables exist; a preset setting them would never log anyone in.
	p, _ = preset.Default().Get("immich")
	r, _ = p.Resolve(catalogInput("immich"))
	for _, e := range r.Wiring.Env {
		if strings.HasPrefix(e.Name, "IMMICH_OAUTH") {
			t.Errorf("immich sets %s, which Immich does not read", e.Name)
		}
	}
}

// TestPrerequisitesAndVersions pins what each app's source showed it needs beyond wiring: Pocket
// ID's "emails verified" setting, the first version the preset works with, and PKCE where the
// app always sends S256 (a PKCE client refuses an app that does not).
func TestPrerequisitesAndVersions(t *testing.T) {
	c := preset.Default()
	get := func(name string) *preset.Preset {
		p, ok := c.Get(name)
		if !ok {
			t.Fatalf("no preset %s", name)
		}
		return p
	}
	for _, name := range []string{"vaultwarden", "grist", "romm", "kavita", "dawarich"} {
		if !get(name).Requires.EmailsVerified {
			t.Errorf("%s: requires.emailsVerified is false", name)
		}
	}
	for name, want := range map[string]string{
		"homebox": "0.22.0", "semaphore": "2.14", "tandoor": "1.5.13", "headscale": "0.24.0",
		"dawarich": "0.36.0", "actual-budget": "25.1.0",
	} {
		if got := get(name).MinVersion; got != want {
			t.Errorf("%s: minVersion %q, want %q", name, got, want)
		}
	}
	for _, name := range []string{"mealie", "miniflux", "opengist", "rallly", "karakeep", "outline", "photoprism"} {
		if !get(name).PKCE {
			t.Errorf("%s: pkce is false although the app always sends S256", name)
		}
	}
	r, errs := get("semaphore").Resolve(catalogInput("semaphore"))
	if len(errs) > 0 {
		t.Fatal(errs.ToAggregate())
	}
	if !strings.Contains(r.Wiring.SecretTemplates["SEMAPHORE_OIDC_PROVIDERS"], `"return_via_state":true`) {
		t.Error("semaphore: return_via_state is not set, deep links would change the redirect URL")
	}
	r, errs = get("immich").Resolve(catalogInput("immich"))
	if len(errs) > 0 {
		t.Fatal(errs.ToAggregate())
	}
	if len(r.Wiring.Warnings) == 0 || !strings.Contains(r.Wiring.Warnings[0], "replaces ALL its system settings") {
		t.Errorf("immich: no warning that the config file replaces every system setting: %q", r.Wiring.Warnings)
	}
}
