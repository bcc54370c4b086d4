package preset_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/endsys/pocketid-oidc/pkg/preset"
)

var docsPath = filepath.Join("..", "..", "docs", "presets.md")

// TestDocs keeps docs/presets.md in step with the catalog; CI fails when it is stale.
// Regenerate: UPDATE_GOLDEN=1 go test ./pkg/preset -run TestDocs (make docs)
func TestDocs(t *testing.T) {
	got, err := preset.Default().Markdown()
	if err != nil {
		t.Fatal(err)
	}
	if update {
		if err := os.WriteFile(docsPath, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(docsPath)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("%s is stale: run make docs (UPDATE_GOLDEN=1 go test ./pkg/preset -run TestDocs)", docsPath)
	}
}

func TestDocsContent(t *testing.T) {
	md, err := preset.Default().Markdown()
	if err != nil {
		t.Fatal(err)
	}
	s := string(md)
	for _, want := range []string{
		"**Immich has no OAuth environment variables.**",
		"read-only in the admin UI",
		"`GF_SERVER_ROOT_URL` | `{app}/`",
		"`{app}/accounts/oidc/{provider-key}/login/callback/`",
		"`app.immich:///oauth-callback`",
		"`VIKUNJA_AUTH_OPENID_PROVIDERS_{PROVIDER-KEY}_CLIENTSECRET` | `secretKeyRef {secret}/client-secret`",
		"gitea admin auth add-oauth",
		"| `HBOX_OPTIONS_TRUST_PROXY` | [backend/internal/sys/config/conf.go](https://github.com/sysadminsmedia/homebox/blob/v0.26.2/backend/internal/sys/config/conf.go)",
		"- Public URL behind a TLS ingress: **forwarded-headers**",
		"- Requires on Pocket ID: emails marked verified (`EMAILS_VERIFIED=true`)",
		"Warnings (reported as warning results):\n\n- **Immich's config file replaces ALL its system settings",
		"| callback `/api/auth/oidc/{{ .ProviderKey }}/redirect` | [api/router.go]",
	} {
		if !strings.Contains(s, want) {
			t.Errorf("docs lack %q", want)
		}
	}
	for _, name := range preset.Default().Names() {
		p, _ := preset.Default().Get(name)
		if !strings.Contains(s, "\n## "+name+"\n") || !strings.Contains(s, p.Docs) {
			t.Errorf("docs lack a section or docs link for %s", name)
		}
		if !strings.Contains(s, "- Checked against: ["+p.Evidence.Repository+" "+p.Evidence.Version+"]") {
			t.Errorf("docs lack the version checked for %s", name)
		}
	}
}
