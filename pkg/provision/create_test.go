package provision

import (
	"slices"
	"strings"
	"testing"

	"github.com/endsys/pocketid-oidc/pkg/pocketid/pocketidtest"
)

func TestCreate(t *testing.T) {
	e := newTestEnv(t, pocketidtest.Options{})
	e.srv.AddGroup("family")
	e.secretFile("immich", secretA)
	docs := e.docs(immichYAML)

	res := e.mustConverge(docs)
	if res.Clients[0].Outcome != Created || res.Summary.Created != 1 {
		t.Fatalf("outcome %s, summary %+v", res.Clients[0].Outcome, res.Summary)
	}
	c := e.client("immich")
	want := pocketidtest.ClientState{
		ID: "immich", Name: "Immich",
		CallbackURLs:       []string{"https://photos.example.com/auth/login", "app.immich:///oauth-callback"},
		LogoutCallbackURLs: []string{"https://photos.example.com/logout"},
		LaunchURL:          "https://photos.example.com", PkceEnabled: true, IsGroupRestricted: true,
		Groups: []string{"family"},
		// A 0 (omitted) token duration is stored, and answered, as Pocket ID's default.
		AccessTokenDurationMinutes:  pocketidtest.DefaultAccessTokenDurationMinutes,
		RefreshTokenDurationMinutes: pocketidtest.DefaultRefreshTokenDurationMinutes,
	}
	secrets := c.Secrets
	c.Secrets, c.FederatedIdentities = nil, nil
	if !equalState(c, want) {
		t.Errorf("stored client\n got %+v\nwant %+v", c, want)
	}
	if len(secrets) != 1 || secrets[0].Prefix != "aaaa" {
		t.Errorf("secrets %+v, want one with prefix aaaa", secrets)
	}
	e.assertSecret("immich", secretA)
	if strings.Contains(e.logs.String(), secretA) {
		t.Error("the secret value appears in the logs")
	}
}

func equalState(a, b pocketidtest.ClientState) bool {
	eq := func(x, y []string) bool { return len(x) == len(y) && (len(x) == 0 || slices.Equal(x, y)) }
	return a.ID == b.ID && a.Name == b.Name && a.Description == b.Description &&
		eq(a.CallbackURLs, b.CallbackURLs) && eq(a.LogoutCallbackURLs, b.LogoutCallbackURLs) &&
		a.LaunchURL == b.LaunchURL && a.IsPublic == b.IsPublic && a.PkceEnabled == b.PkceEnabled &&
		a.RequiresReauthentication == b.RequiresReauthentication &&
		a.RequiresPushedAuthorizationRequests == b.RequiresPushedAuthorizationRequests &&
		a.SkipConsent == b.SkipConsent && a.IsGroupRestricted == b.IsGroupRestricted &&
		a.AccessTokenDurationMinutes == b.AccessTokenDurationMinutes &&
		a.RefreshTokenDurationMinutes == b.RefreshTokenDurationMinutes &&
		a.HasLogo == b.HasLogo && a.HasDarkLogo == b.HasDarkLogo && eq(a.Groups, b.Groups)
}

func TestSecondRunIsNoop(t *testing.T) {
	for _, tc := range []struct {
		name string
		yaml string
	}{
		{"restricted confidential", immichYAML},
		{"unrestricted with defaults", `
apiVersion: oidc.endsys.cloud/v1alpha1
kind: OIDCClient
spec: {id: grafana, callbackURLs: [https://grafana.example.com/login/generic_oauth], secret: {file: $DIR/immich}}
`},
		{"public client", `
apiVersion: oidc.endsys.cloud/v1alpha1
kind: OIDCClient
spec: {id: cli, name: CLI, public: true, callbackURLs: ["http://localhost/cb"]}
`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newTestEnv(t, pocketidtest.Options{})
			e.srv.AddGroup("family")
			e.secretFile("immich", secretA)
			docs := e.docs(tc.yaml)
			e.mustConverge(docs)
			e.srv.ResetCounters()
			e.assertNoop(docs)
			// One read is the run's version check, shared by all clients.
			if r := e.srv.Reads() - 1; r > 2 {
				t.Errorf("no-op run made %d reads for one client, want <= 2: %v", r, e.srv.RequestLog())
			}
			// The secret is proven, never assumed from its prefix: one token request per
			// confidential client, none for a public one (it has no secret).
			wantProofs := 1
			if docs[0].Client.Spec.Public {
				wantProofs = 0
			}
			if n := e.srv.TokenRequests(); n != wantProofs {
				t.Errorf("no-op run made %d token requests, want %d", n, wantProofs)
			}
		})
	}
}
