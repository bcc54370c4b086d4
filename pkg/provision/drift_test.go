package provision

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/endsys/pocketid-oidc/pkg/pocketid/pocketidtest"
)

// converged is the stored form of immichYAML.
func converged() pocketidtest.ClientState {
	return pocketidtest.ClientState{
		ID: "immich", Name: "Immich",
		CallbackURLs:       []string{"https://photos.example.com/auth/login", "app.immich:///oauth-callback"},
		LogoutCallbackURLs: []string{"https://photos.example.com/logout"},
		LaunchURL:          "https://photos.example.com", PkceEnabled: true, IsGroupRestricted: true,
		Groups: []string{"family"},
		// A 0 (omitted) token duration is stored, and answered, as Pocket ID's default.
		AccessTokenDurationMinutes:  pocketidtest.DefaultAccessTokenDurationMinutes,
		RefreshTokenDurationMinutes: pocketidtest.DefaultRefreshTokenDurationMinutes,
	}
}

func TestDriftInEveryManagedField(t *testing.T) {
	for _, tc := range []struct {
		name   string
		drift  func(*pocketidtest.ClientState)
		fields []string
	}{
		{"name", func(c *pocketidtest.ClientState) { c.Name = "Photos" }, []string{"name"}},
		{"callbackURLs changed", func(c *pocketidtest.ClientState) { c.CallbackURLs = []string{"https://evil.example.com/cb"} }, []string{"callbackURLs"}},
		{"callbackURLs reordered", func(c *pocketidtest.ClientState) {
			c.CallbackURLs = []string{c.CallbackURLs[1], c.CallbackURLs[0]}
		}, []string{"callbackURLs"}},
		{"logoutCallbackURLs emptied", func(c *pocketidtest.ClientState) { c.LogoutCallbackURLs = nil }, []string{"logoutCallbackURLs"}},
		{"launchURL removed", func(c *pocketidtest.ClientState) { c.LaunchURL = "" }, []string{"launchURL"}},
		{"made public", func(c *pocketidtest.ClientState) { c.IsPublic = true }, []string{"isPublic"}},
		{"pkce off", func(c *pocketidtest.ClientState) { c.PkceEnabled = false }, []string{"pkceEnabled"}},
		{"restriction lifted", func(c *pocketidtest.ClientState) { c.IsGroupRestricted = false; c.Groups = nil }, []string{"allowedGroups", "isGroupRestricted"}},
		{"restricted to another group", func(c *pocketidtest.ClientState) { c.Groups = []string{"admins"} }, []string{"allowedGroups"}},
		{"restricted to nobody", func(c *pocketidtest.ClientState) { c.Groups = nil }, []string{"allowedGroups"}},
		{"allowed on another group too", func(c *pocketidtest.ClientState) { c.Groups = []string{"family", "admins"} }, []string{"allowedGroups"}},
		{"everything", func(c *pocketidtest.ClientState) {
			*c = pocketidtest.ClientState{ID: "immich", Name: "x", IsPublic: true, PkceEnabled: true}
		}, []string{"allowedGroups", "name", "callbackURLs", "logoutCallbackURLs", "launchURL", "isPublic", "isGroupRestricted"}},
	} {
		// Alone, the client is read with a GET; listed (a run of several documents), the run's
		// client listing and the group's member list must see the same drift.
		for _, mode := range []string{"alone", "listed"} {
			t.Run(tc.name+"/"+mode, func(t *testing.T) { testDrift(t, mode == "listed", tc.drift, tc.fields) })
		}
	}
}

func testDrift(t *testing.T, listed bool, drift func(*pocketidtest.ClientState), wantFields []string) {
	t.Helper()
	e := newTestEnv(t, pocketidtest.Options{})
	e.srv.AddGroup("family")
	e.srv.AddGroup("admins")
	e.secretFile("immich", secretA)
	yaml := immichYAML
	if listed {
		e.secretFile("paperless", secretB)
		yaml += "---\n" + paperlessYAML
	}
	docs := e.docs(yaml)
	e.mustConverge(docs)

	st := converged()
	drift(&st)
	e.srv.PutClient(st)
	e.srv.ResetCounters()
	res := e.mustConverge(docs)
	if got := res.Clients[0].Outcome; got != Updated {
		t.Fatalf("outcome %s, want updated", got)
	}
	var fields []string
	for _, ch := range res.Clients[0].Changes {
		fields = append(fields, ch.Field)
	}
	if !equalLists(fields, wantFields) {
		t.Errorf("changed fields %v, want %v", fields, wantFields)
	}
	if listed && res.Clients[1].Outcome != Unchanged {
		t.Errorf("paperless: %s, want unchanged", res.Clients[1].Outcome)
	}
	c := e.client("immich")
	if !equalState(c, converged()) {
		t.Errorf("after repair\n got %+v\nwant %+v", c, converged())
	}
	e.assertSecret("immich", secretA)
	e.assertNoop(docs)
}

// paperlessYAML is a second client restricted to the same group as immichYAML: with it a run
// has enough documents to list clients.
var paperlessYAML = strings.NewReplacer("id: immich", "id: paperless", "$DIR/immich", "$DIR/paperless",
	"name: Immich", "name: Paperless", "photos.example.com", "docs.example.com").Replace(immichYAML)

func TestUnmanagedFieldsSurviveUpdate(t *testing.T) {
	e := newTestEnv(t, pocketidtest.Options{})
	e.srv.AddGroup("family")
	e.secretFile("immich", secretA)
	docs := e.docs(immichYAML)
	e.mustConverge(docs)

	st := converged()
	st.Name = "drifted"
	st.Description = "set by an admin in the UI"
	st.RequiresReauthentication = true
	st.RequiresPushedAuthorizationRequests = true
	st.SkipConsent = true
	st.AccessTokenDurationMinutes = 15
	st.RefreshTokenDurationMinutes = 1440
	st.HasLogo, st.HasDarkLogo = true, true
	fed := json.RawMessage(`{"issuer":"https://token.actions.githubusercontent.com","subject":"repo:endsys/x","audience":"immich","replayProtection":true}`)
	st.FederatedIdentities = []json.RawMessage{fed}
	e.srv.PutClient(st)

	res := e.mustConverge(docs)
	if res.Clients[0].Outcome != Updated {
		t.Fatalf("outcome %s", res.Clients[0].Outcome)
	}
	c := e.client("immich")
	want := st
	want.Name = "Immich"
	if !equalState(c, want) {
		t.Errorf("after update\n got %+v\nwant %+v", c, want)
	}
	if len(c.FederatedIdentities) != 1 || !jsonEqual(c.FederatedIdentities[0], fed) {
		t.Errorf("federated identities %s, want [%s]", c.FederatedIdentities, fed)
	}
	e.assertNoop(docs)
}

func jsonEqual(a, b []byte) bool {
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return false
	}
	ja, _ := json.Marshal(x)
	jb, _ := json.Marshal(y)
	return string(ja) == string(jb)
}
