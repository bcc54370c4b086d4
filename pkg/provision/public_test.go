package provision

import (
	"testing"

	"github.com/endsys/pocketid-oidc/pkg/pocketid/pocketidtest"
)

func TestPublicClient(t *testing.T) {
	e := newTestEnv(t, pocketidtest.Options{})
	docs := e.docs(`
apiVersion: oidc.endsys.cloud/v1alpha1
kind: OIDCClient
spec:
  id: mobile
  name: Mobile app
  public: true
  pkce: false
  callbackURLs: ["app.example:///callback"]
`)
	e.mustConverge(docs)
	c := e.client("mobile")
	// Pocket ID forces PKCE on for public clients; asking for pkce: false must not be drift.
	if !c.IsPublic || !c.PkceEnabled || len(c.Secrets) != 0 {
		t.Errorf("public=%v pkce=%v secrets=%d, want public, pkce, no secret", c.IsPublic, c.PkceEnabled, len(c.Secrets))
	}
	for _, p := range e.srv.RequestLog() {
		if p == "POST /api/oidc/clients/mobile/secrets" {
			t.Error("a secret was requested for a public client")
		}
	}
	e.assertNoop(docs)
}
