package preset_test

import (
	"fmt"

	"github.com/endsys/pocketid-oidc/pkg/preset"
)

func ExamplePreset_Resolve() {
	p, _ := preset.Default().Get("grafana")
	r, errs := p.Resolve(preset.Input{
		Issuer:     "https://auth.${SECRET_DOMAIN}",
		AppURL:     "https://grafana.${SECRET_DOMAIN}",
		ClientID:   "grafana",
		SecretName: "grafana-oidc",
	})
	if len(errs) > 0 {
		fmt.Println(errs.ToAggregate())
		return
	}
	fmt.Println(r.CallbackURLs)
	for _, e := range r.Wiring.Env {
		if e.SecretKeyRef != nil {
			fmt.Printf("%s <- secret %s key %s\n", e.Name, e.SecretKeyRef.Name, e.SecretKeyRef.Key)
			continue
		}
		fmt.Printf("%s=%s\n", e.Name, e.Value)
	}
	// Output:
	// [https://grafana.${SECRET_DOMAIN}/login/generic_oauth]
	// GF_AUTH_GENERIC_OAUTH_ALLOW_SIGN_UP=true
	// GF_AUTH_GENERIC_OAUTH_API_URL=https://auth.${SECRET_DOMAIN}/api/oidc/userinfo
	// GF_AUTH_GENERIC_OAUTH_AUTH_URL=https://auth.${SECRET_DOMAIN}/authorize
	// GF_AUTH_GENERIC_OAUTH_CLIENT_ID=grafana
	// GF_AUTH_GENERIC_OAUTH_CLIENT_SECRET <- secret grafana-oidc key client-secret
	// GF_AUTH_GENERIC_OAUTH_ENABLED=true
	// GF_AUTH_GENERIC_OAUTH_NAME=Pocket ID
	// GF_AUTH_GENERIC_OAUTH_SCOPES=openid email profile
	// GF_AUTH_GENERIC_OAUTH_TOKEN_URL=https://auth.${SECRET_DOMAIN}/api/oidc/token
	// GF_AUTH_GENERIC_OAUTH_USE_PKCE=true
	// GF_SERVER_ROOT_URL=https://grafana.${SECRET_DOMAIN}/
}

func ExampleCustom() {
	r, _ := preset.Custom().Resolve(preset.Input{
		Issuer:     "https://auth.example.com",
		ClientID:   "wiki",
		SecretName: "wiki-oidc",
		Env: map[string]string{
			"OIDC_ISSUER":        "{{ .Issuer }}",
			"OIDC_CLIENT_SECRET": "{{ .ClientSecret }}",
		},
	})
	for _, e := range r.Wiring.Env {
		fmt.Println(e.Name, e.Value, e.SecretKeyRef)
	}
	// Output:
	// OIDC_CLIENT_SECRET  &{wiki-oidc client-secret}
	// OIDC_ISSUER https://auth.example.com <nil>
}

func ExampleCatalog_Get() {
	p, _ := preset.Default().Get("paperless-ngx")
	r, _ := p.Resolve(preset.Input{
		Issuer:     "https://auth.example.com",
		AppURL:     "https://docs.example.com",
		ClientID:   "paperless",
		SecretName: "paperless-oidc",
	})
	fmt.Println(r.CallbackURLs[0])
	fmt.Println(r.Wiring.SecretTemplates["PAPERLESS_SOCIALACCOUNT_PROVIDERS"])
	// Output:
	// https://docs.example.com/accounts/oidc/pocketid/login/callback/
	// {"openid_connect":{"APPS":[{"client_id":"paperless","name":"Pocket ID","provider_id":"pocketid","secret":{{ .clientSecret | toJson }},"settings":{"server_url":"https://auth.example.com"}}],"SCOPE":["openid","profile","email"]}}
}

func ExamplePreset_EvidenceGaps() {
	p, err := preset.Parse([]byte(`
name: wiki
displayName: Wiki
docs: https://wiki.example.com/docs/oidc
delivery: env
discovery: issuer
callbacks: [/oidc/callback]
scopes: [openid]
env:
  WIKI_OIDC_ISSUER: "{{ .Issuer }}"
  WIKI_OIDC_SECRET: "{{ .ClientSecret }}"
  WIKI_URL: "{{ .AppURL }}"
evidence:
  repository: example/wiki
  version: v1.2.0
  keys:
    WIKI_OIDC_ISSUER: config/oidc.go
    WIKI_URL: config/server.go
  callbacks:
    /oidc/callback: server/routes.go
publicURL:
  mode: setting
  keys: [WIKI_URL]
  evidence: "server/oidc.go redirect URL = WIKI_URL + /oidc/callback"
`))
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, g := range p.EvidenceGaps() {
		fmt.Println(g)
	}
	// Output:
	// evidence.keys[WIKI_OIDC_SECRET]: the preset sets it, say where the app reads it
}
