package pocketidtest

import (
	"strings"
	"testing"
)

// TestGroupAnswersItsClients: GET /api/user-groups/{id} names every client the group is allowed
// on (and the list of clients only counts a client's groups): the two together tell a client's
// groups without reading it alone. The answer has the group's users instead of a user count;
// an unknown id is 404 "User group"; the admin key is required.
func TestGroupAnswersItsClients(t *testing.T) {
	s := New(t, Options{})
	family, admins := s.AddGroup("family"), s.AddGroup("admins")
	for _, id := range []string{"c2", "c1", "c3"} {
		call(t, s, "POST", "/api/oidc/clients", `{"id":"`+id+`","name":"C","isGroupRestricted":true}`)
	}
	call(t, s, "PUT", "/api/oidc/clients/c2/allowed-user-groups", `{"userGroupIds":["`+family+`"]}`)
	call(t, s, "PUT", "/api/oidc/clients/c1/allowed-user-groups", `{"userGroupIds":["`+family+`","`+admins+`"]}`)

	a := call(t, s, "GET", "/api/user-groups/"+family, "")
	var ids []string
	clients, _ := a.body["allowedOidcClients"].([]any)
	for _, c := range clients {
		m := c.(map[string]any)
		ids = append(ids, m["id"].(string))
		if _, ok := m["callbackURLs"]; ok {
			t.Errorf("a group's client is its metadata only, not the whole client: %v", m)
		}
	}
	if a.status != 200 || strings.Join(ids, ",") != "c1,c2" || a.body["name"] != "family" {
		t.Errorf("family: %d %s", a.status, a.raw)
	}
	if users, ok := a.body["users"].([]any); !ok || len(users) != 0 {
		t.Errorf("users: %s", a.raw)
	}
	if _, ok := a.body["userCount"]; ok {
		t.Errorf("the single group answers its users, not a count: %s", a.raw)
	}

	list := call(t, s, "GET", "/api/oidc/clients", "")
	counts := map[string]float64{}
	for _, c := range list.body["data"].([]any) {
		m := c.(map[string]any)
		counts[m["id"].(string)] = m["allowedUserGroupsCount"].(float64)
		if _, ok := m["allowedUserGroups"]; ok {
			t.Errorf("the list answers a count, not the groups: %v", m)
		}
	}
	if counts["c1"] != 2 || counts["c2"] != 1 || counts["c3"] != 0 {
		t.Errorf("counts %v", counts)
	}

	if a := call(t, s, "GET", "/api/user-groups/nope", ""); a.status != 404 || a.code() != "not_found" || !strings.Contains(a.raw, "User group") {
		t.Errorf("unknown id: %d %s", a.status, a.raw)
	}
	if a := call(t, s, "GET", "/api/user-groups/"+family, "", "X-API-Key", ""); a.status != 401 {
		t.Errorf("without the key: %d %s", a.status, a.raw)
	}
}
