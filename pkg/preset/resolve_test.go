package preset

import (
	"reflect"
	"strings"
	"testing"
)

// testPreset is a small preset exercising every kind of value, parsed like catalog files.
const testPreset = `
name: demo
displayName: Demo
docs: https://example.com/docs
delivery: json
discovery: issuer
callbacks: ["/cb/{{ .ProviderKey }}/", "demo:///mobile"]
logoutCallbacks: [/bye]
providerKeyPattern: ^[a-z]+$
pkce: true
scopes: [openid, email]
env:
  DEMO_ISSUER: "{{ .Issuer }}"
  DEMO_SECRET: "{{ .ClientSecret }}"
  DEMO_{{ .ProviderKey | upper }}_NAME: "{{ .ButtonText }}"
  DEMO_REDIRECT: "{{ .CallbackURL }}"
secretEnv:
  - env: DEMO_JSON
    format: json
    data: {k: "{{ .ClientSecret }}", braces: 'a {{ "{{" }} b }} c', url: "{{ .AppURL }}"}
generated:
  - env: DEMO_CRYPTO
    length: 32
notes: ["log in at {{ .AppURL }}"]
`

func mustParse(t *testing.T, s string) *Preset {
	t.Helper()
	p, err := Parse([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func baseInput() Input {
	return Input{
		Issuer:              "https://auth.${SECRET_DOMAIN}/",
		AppURL:              "https://demo.${SECRET_DOMAIN}",
		ClientID:            "demo",
		SecretName:          "demo-oidc",
		GeneratedSecretName: "demo-oidc-generated",
	}
}

func envMap(env []EnvVar) map[string]EnvVar {
	m := map[string]EnvVar{}
	for _, e := range env {
		m[e.Name] = e
	}
	return m
}

func TestResolve(t *testing.T) {
	demo := mustParse(t, testPreset)
	secretRef := &SecretKeyRef{Name: "demo-oidc", Key: SecretKeyClientSecret}
	tests := []struct {
		name   string
		preset *Preset
		edit   func(*Input)
		check  func(t *testing.T, r *Resolved)
	}{
		{
			name:   "callbacks are joined to the app URL, custom schemes kept, trailing slash kept",
			preset: demo,
			check: func(t *testing.T, r *Resolved) {
				want := []string{"https://demo.${SECRET_DOMAIN}/cb/pocketid/", "demo:///mobile"}
				if !reflect.DeepEqual(r.CallbackURLs, want) {
					t.Errorf("callbacks = %q, want %q", r.CallbackURLs, want)
				}
				if want := []string{"https://demo.${SECRET_DOMAIN}/bye"}; !reflect.DeepEqual(r.LogoutCallbackURLs, want) {
					t.Errorf("logout callbacks = %q, want %q", r.LogoutCallbackURLs, want)
				}
				if !r.PKCE || r.DisplayName != "Demo" {
					t.Errorf("PKCE %v, DisplayName %q", r.PKCE, r.DisplayName)
				}
			},
		},
		{
			name:   "env: literal values, secret by reference, templated names, sorted",
			preset: demo,
			check: func(t *testing.T, r *Resolved) {
				var names []string
				for _, e := range r.Wiring.Env {
					names = append(names, e.Name)
				}
				want := []string{"DEMO_CRYPTO", "DEMO_ISSUER", "DEMO_JSON", "DEMO_POCKETID_NAME", "DEMO_REDIRECT", "DEMO_SECRET"}
				if !reflect.DeepEqual(names, want) {
					t.Fatalf("names = %q, want %q", names, want)
				}
				m := envMap(r.Wiring.Env)
				if got := m["DEMO_ISSUER"].Value; got != "https://auth.${SECRET_DOMAIN}" {
					t.Errorf("issuer = %q (trailing slash must be trimmed, ${VAR} kept)", got)
				}
				if got := m["DEMO_SECRET"]; got.Value != "" || !reflect.DeepEqual(got.SecretKeyRef, secretRef) {
					t.Errorf("secret = %+v", got)
				}
				if got := m["DEMO_REDIRECT"].Value; got != "https://demo.${SECRET_DOMAIN}/cb/pocketid/" {
					t.Errorf("CallbackURL = %q", got)
				}
				if got := m["DEMO_JSON"].SecretKeyRef; !reflect.DeepEqual(got, &SecretKeyRef{Name: "demo-oidc", Key: "DEMO_JSON"}) {
					t.Errorf("json ref = %+v", got)
				}
				if got := m["DEMO_CRYPTO"].SecretKeyRef; !reflect.DeepEqual(got, &SecretKeyRef{Name: "demo-oidc-generated", Key: "DEMO_CRYPTO"}) {
					t.Errorf("generated ref = %+v", got)
				}
				if want := []Generated{{Key: "DEMO_CRYPTO", Length: 32}}; !reflect.DeepEqual(r.Wiring.Generated, want) {
					t.Errorf("generated = %+v", r.Wiring.Generated)
				}
			},
		},
		{
			name:   "json value: secret as toJson expression, literal braces escaped for ESO",
			preset: demo,
			check: func(t *testing.T, r *Resolved) {
				want := `{"braces":"a {{ "{{" }} b }} c","k":{{ .clientSecret | toJson }},"url":"https://demo.${SECRET_DOMAIN}"}`
				if got := r.Wiring.SecretTemplates["DEMO_JSON"]; got != want {
					t.Errorf("template\n got %s\nwant %s", got, want)
				}
			},
		},
		{
			name:   "user env overrides and adds; a whole {{ .ClientSecret }} becomes a reference",
			preset: demo,
			edit: func(in *Input) {
				in.Env = map[string]string{
					"DEMO_ISSUER": "{{ .DiscoveryURL }}",
					"EXTRA":       "{{.ClientSecret}}",
					"PLAIN":       "x",
				}
			},
			check: func(t *testing.T, r *Resolved) {
				m := envMap(r.Wiring.Env)
				if got := m["DEMO_ISSUER"].Value; got != "https://auth.${SECRET_DOMAIN}/.well-known/openid-configuration" {
					t.Errorf("override = %q", got)
				}
				if got := m["EXTRA"].SecretKeyRef; !reflect.DeepEqual(got, secretRef) {
					t.Errorf("EXTRA = %+v", m["EXTRA"])
				}
				if m["PLAIN"].Value != "x" {
					t.Errorf("PLAIN = %+v", m["PLAIN"])
				}
			},
		},
		{
			name:   "overriding a structured var drops its template",
			preset: demo,
			edit:   func(in *Input) { in.Env = map[string]string{"DEMO_JSON": "{}"} },
			check: func(t *testing.T, r *Resolved) {
				if _, ok := r.Wiring.SecretTemplates["DEMO_JSON"]; ok {
					t.Error("template kept although the user replaced the var")
				}
				if got := envMap(r.Wiring.Env)["DEMO_JSON"]; got.Value != "{}" || got.SecretKeyRef != nil {
					t.Errorf("DEMO_JSON = %+v", got)
				}
			},
		},
		{
			name:   "provider key and button text change names, callbacks and values",
			preset: demo,
			edit:   func(in *Input) { in.ProviderKey, in.ButtonText = "corp", "Corp SSO" },
			check: func(t *testing.T, r *Resolved) {
				if r.CallbackURLs[0] != "https://demo.${SECRET_DOMAIN}/cb/corp/" {
					t.Errorf("callback = %q", r.CallbackURLs[0])
				}
				if got := envMap(r.Wiring.Env)["DEMO_CORP_NAME"].Value; got != "Corp SSO" {
					t.Errorf("DEMO_CORP_NAME = %q", got)
				}
			},
		},
		{
			name:   "user callbacks replace the preset's and feed {{ .CallbackURL }}",
			preset: demo,
			edit:   func(in *Input) { in.CallbackURLs = []string{"https://other/cb"} },
			check: func(t *testing.T, r *Resolved) {
				if !reflect.DeepEqual(r.CallbackURLs, []string{"https://other/cb"}) {
					t.Errorf("callbacks = %q", r.CallbackURLs)
				}
				if got := envMap(r.Wiring.Env)["DEMO_REDIRECT"].Value; got != "https://other/cb" {
					t.Errorf("DEMO_REDIRECT = %q", got)
				}
			},
		},
		{
			name:   "notes are rendered",
			preset: demo,
			check: func(t *testing.T, r *Resolved) {
				if want := []string{"log in at https://demo.${SECRET_DOMAIN}"}; !reflect.DeepEqual(r.Wiring.Notes, want) {
					t.Errorf("notes = %q", r.Wiring.Notes)
				}
			},
		},
		{
			name:   "custom: only the user's env, no callbacks, no app URL needed",
			preset: Custom(),
			edit: func(in *Input) {
				in.AppURL = ""
				in.Env = map[string]string{"B": "{{ .ClientID }}", "A": "{{ .Issuer }}"}
			},
			check: func(t *testing.T, r *Resolved) {
				want := []EnvVar{{Name: "A", Value: "https://auth.${SECRET_DOMAIN}"}, {Name: "B", Value: "demo"}}
				if !reflect.DeepEqual(r.Wiring.Env, want) {
					t.Errorf("env = %+v", r.Wiring.Env)
				}
				if len(r.CallbackURLs) != 0 || r.Wiring.SecretTemplates != nil || r.DisplayName != "" {
					t.Errorf("custom resolved = %+v", r)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := baseInput()
			if tt.edit != nil {
				tt.edit(&in)
			}
			r, errs := tt.preset.Resolve(in)
			if len(errs) > 0 {
				t.Fatal(errs.ToAggregate())
			}
			tt.check(t, r)
		})
	}
}

func TestResolveErrors(t *testing.T) {
	demo := mustParse(t, testPreset)
	tests := []struct {
		name   string
		preset *Preset
		edit   func(*Input)
		want   []string // "<field path>: <substring of the detail>"
	}{
		{
			name: "secret inside a longer user value",
			edit: func(in *Input) { in.Env = map[string]string{"FOO": "Bearer {{ .ClientSecret }}"} },
			want: []string{"spec.env[FOO]: may only be used as the whole value"},
		},
		{
			name: "unknown template field",
			edit: func(in *Input) { in.Env = map[string]string{"FOO": "{{ .Nope }}"} },
			want: []string{"spec.env[FOO]: can't evaluate field Nope"},
		},
		{
			name: "template syntax error",
			edit: func(in *Input) { in.Env = map[string]string{"FOO": "{{ .Issuer "} },
			want: []string{"spec.env[FOO]: unclosed action"},
		},
		{
			name: "invalid env name, every error reported",
			edit: func(in *Input) { in.Env = map[string]string{"A=B": "x", "OK": "{{ .Bad }}"} },
			want: []string{"spec.env[A=B]: ", "spec.env[OK]: can't evaluate field Bad"},
		},
		{
			name: "provider key the app cannot use",
			edit: func(in *Input) { in.ProviderKey = "my_key" },
			want: []string{"spec.login.providerKey: needs a provider key matching"},
		},
		{
			name: "preset without app URL and issuer",
			edit: func(in *Input) { in.AppURL, in.Issuer = "", "" },
			want: []string{"spec.url: needs the app URL", "spec.provider.issuer: "},
		},
		{
			name:   "secret in a broken preset note is an internal error",
			preset: mustParse(t, strings.Replace(testPreset, `"log in at {{ .AppURL }}"`, `"secret {{ .ClientSecret }}"`, 1)),
			want:   []string{"spec.preset: "},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := tt.preset
			if p == nil {
				p = demo
			}
			in := baseInput()
			if tt.edit != nil {
				tt.edit(&in)
			}
			r, errs := p.Resolve(in)
			if r != nil {
				t.Errorf("got a result with errors %v", errs)
			}
			if len(errs) != len(tt.want) {
				t.Fatalf("errors = %v, want %d", errs, len(tt.want))
			}
			for i, w := range tt.want {
				path, detail, _ := strings.Cut(w, ": ")
				if errs[i].Field != path || !strings.Contains(errs[i].Error(), detail) {
					t.Errorf("error %d = %q, want field %s and %q", i, errs[i].Error(), path, detail)
				}
			}
		})
	}
}
