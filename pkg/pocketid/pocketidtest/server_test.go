package pocketidtest

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

type answer struct {
	status int
	header http.Header
	raw    string
	body   map[string]any
}

// call sends a raw request, the way a careless client might, so the fake's refusals are tested.
func call(t *testing.T, s *Server, method, path, body string, hdr ...string) answer {
	t.Helper()
	req, err := http.NewRequest(method, s.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("X-API-Key", DefaultAPIKey)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		if hdr[i+1] == "" {
			req.Header.Del(hdr[i])
		} else {
			req.Header.Set(hdr[i], hdr[i+1])
		}
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	a := answer{status: resp.StatusCode, header: resp.Header, raw: string(b)}
	_ = json.Unmarshal(b, &a.body)
	return a
}

func (a answer) code() string { s, _ := a.body["code"].(string); return s }

func (a answer) fields() []string {
	d, _ := a.body["details"].(map[string]any)
	fs, _ := d["fields"].([]any)
	var out []string
	for _, f := range fs {
		out = append(out, f.(map[string]any)["field"].(string))
	}
	return out
}

func TestStrictRequests(t *testing.T) {
	const ok = `{"id":"immich","name":"Immich","callbackURLs":["https://x.example.com/cb"]}`
	for _, tc := range []struct {
		name         string
		method, path string
		body         string
		hdr          []string
		status       int
		code         string
		fields       []string
	}{
		{name: "no key", method: "GET", path: "/api/oidc/clients", hdr: []string{"X-API-Key", ""}, status: 401, code: "not_signed_in"},
		{name: "wrong key", method: "GET", path: "/api/oidc/clients", hdr: []string{"X-API-Key", "nope"}, status: 401, code: "not_signed_in"},
		{name: "health needs no key", method: "GET", path: "/healthz", hdr: []string{"X-API-Key", ""}, status: 204},
		{name: "no content type", method: "POST", path: "/api/oidc/clients", body: ok, hdr: []string{"Content-Type", ""}, status: 400, code: "invalid_request_body"},
		{name: "form content type", method: "POST", path: "/api/oidc/clients", body: ok, hdr: []string{"Content-Type", "application/x-www-form-urlencoded"}, status: 400, code: "invalid_request_body"},
		{name: "bad JSON", method: "POST", path: "/api/oidc/clients", body: `{"name":`, status: 400, code: "invalid_request_body"},
		{name: "wrong type", method: "POST", path: "/api/oidc/clients", body: `{"name":"x","isPublic":"yes"}`, status: 400, code: "invalid_request_body"},
		{name: "name required", method: "POST", path: "/api/oidc/clients", body: `{"id":"ab"}`, status: 400, code: "validation_failed", fields: []string{"name"}},
		{name: "name too long", method: "POST", path: "/api/oidc/clients", body: `{"name":"` + strings.Repeat("n", 51) + `"}`, status: 400, code: "validation_failed", fields: []string{"name"}},
		{name: "description too long", method: "POST", path: "/api/oidc/clients", body: `{"name":"n","description":"` + strings.Repeat("d", 151) + `"}`, status: 400, code: "validation_failed", fields: []string{"description"}},
		{name: "bad id", method: "POST", path: "/api/oidc/clients", body: `{"id":"a b","name":"n"}`, status: 400, code: "validation_failed", fields: []string{"id"}},
		{name: "id too short", method: "POST", path: "/api/oidc/clients", body: `{"id":"a","name":"n"}`, status: 400, code: "validation_failed", fields: []string{"id"}},
		{name: "callback without scheme", method: "POST", path: "/api/oidc/clients", body: `{"name":"n","callbackURLs":["https://ok.example.com","immich.example.com/cb"]}`, status: 400, code: "validation_failed", fields: []string{"callbackURLs[1]"}},
		{name: "javascript logout callback", method: "POST", path: "/api/oidc/clients", body: `{"name":"n","logoutCallbackURLs":["javascript:alert(1)"]}`, status: 400, code: "validation_failed", fields: []string{"logoutCallbackURLs[0]"}},
		{name: "data callback", method: "POST", path: "/api/oidc/clients", body: `{"name":"n","callbackURLs":["DATA:text/html,x"]}`, status: 400, code: "validation_failed", fields: []string{"callbackURLs[0]"}},
		{name: "custom scheme and wildcards are fine", method: "POST", path: "/api/oidc/clients", body: `{"name":"n","callbackURLs":["app.immich:///oauth-callback","https://*.example.com/**","*"]}`, status: 201},
		{name: "launchURL must be a URL", method: "POST", path: "/api/oidc/clients", body: `{"name":"n","launchURL":"photos"}`, status: 400, code: "validation_failed", fields: []string{"launchURL"}},
		{name: "launchURL null is fine", method: "POST", path: "/api/oidc/clients", body: `{"name":"n","launchURL":null}`, status: 201},
		{name: "token duration range", method: "POST", path: "/api/oidc/clients", body: `{"name":"n","accessTokenDurationMinutes":525601,"refreshTokenDurationMinutes":-1}`, status: 400, code: "validation_failed", fields: []string{"accessTokenDurationMinutes", "refreshTokenDurationMinutes"}},
		{name: "several fields in order", method: "POST", path: "/api/oidc/clients", body: `{"id":"!","callbackURLs":["x"]}`, status: 400, code: "validation_failed", fields: []string{"id", "name", "callbackURLs[0]"}},
		{name: "unknown client", method: "GET", path: "/api/oidc/clients/nope", status: 404, code: "not_found"},
		{name: "unknown route", method: "GET", path: "/api/oidc/nope", status: 404},
		{name: "group names", method: "POST", path: "/api/user-groups", body: `{"friendlyName":"x","name":"y"}`, status: 400, code: "validation_failed", fields: []string{"friendlyName", "name"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := New(t, Options{})
			a := call(t, s, tc.method, tc.path, tc.body, tc.hdr...)
			if a.status != tc.status || a.code() != tc.code || strings.Join(a.fields(), ",") != strings.Join(tc.fields, ",") {
				t.Errorf("got %d %q fields %v, want %d %q %v\n%s", a.status, a.code(), a.fields(), tc.status, tc.code, tc.fields, a.raw)
			}
			if tc.code != "" && (a.body["request_id"] == "" || a.body["error"] == "") {
				t.Errorf("error body without request_id or error: %s", a.raw)
			}
			if tc.status >= 300 && s.Writes() > 0 && len(s.ClientIDs()) > 0 {
				t.Error("a refused request changed state")
			}
		})
	}
}

func TestConflicts(t *testing.T) {
	for _, tc := range []struct {
		version, raw string
		status       int
	}{
		{"2.14.0", `"code":"client_id_already_exists"`, 409},
		{"2.13.0", `"code":"client_id_already_exists"`, 409},
		{"2.12.0", `{"error":"A client with this ID already exists"}`, 400},
	} {
		s := New(t, Options{Version: tc.version})
		call(t, s, "POST", "/api/oidc/clients", `{"id":"dup","name":"n"}`)
		a := call(t, s, "POST", "/api/oidc/clients", `{"id":"dup","name":"n"}`)
		if a.status != tc.status || !strings.Contains(a.raw, tc.raw) {
			t.Errorf("%s: %d %s", tc.version, a.status, a.raw)
		}
		if tc.version == "2.12.0" && (a.body["code"] != nil || a.body["request_id"] != nil) {
			t.Errorf("2.12 error body has v2.13 keys: %s", a.raw)
		}
	}
	s := New(t, Options{})
	call(t, s, "POST", "/api/user-groups", `{"friendlyName":"Family","name":"family"}`)
	a := call(t, s, "POST", "/api/user-groups", `{"friendlyName":"Family 2","name":"family"}`)
	if a.status != 409 || a.code() != "already_in_use" || !strings.Contains(a.raw, `"property":"name"`) {
		t.Errorf("duplicate group: %d %s", a.status, a.raw)
	}
}

func TestFullReplacementPut(t *testing.T) {
	s := New(t, Options{})
	g := s.AddGroup("family")
	call(t, s, "POST", "/api/oidc/clients", `{"id":"c1","name":"C","description":"d","skipConsent":true,"requiresReauthentication":true,
		"accessTokenDurationMinutes":5,"launchURL":"https://x.example.com","isGroupRestricted":true,
		"credentials":{"federatedIdentities":[{"issuer":"https://i"}]}}`)
	call(t, s, "PUT", "/api/oidc/clients/c1/allowed-user-groups", `{"userGroupIds":["`+g+`"]}`)

	// isGroupRestricted true keeps the groups; everything omitted is reset.
	a := call(t, s, "PUT", "/api/oidc/clients/c1", `{"name":"C2","isGroupRestricted":true,"id":"ignored"}`)
	c, _ := s.Client("c1")
	if a.status != 200 || c.ID != "c1" || c.Name != "C2" || c.Description != "" || c.SkipConsent || c.RequiresReauthentication ||
		c.AccessTokenDurationMinutes != DefaultAccessTokenDurationMinutes || c.LaunchURL != "" || len(c.FederatedIdentities) != 0 || len(c.Groups) != 1 {
		t.Errorf("after PUT: %d %+v", a.status, c)
	}
	// Omitting isGroupRestricted clears the groups.
	call(t, s, "PUT", "/api/oidc/clients/c1", `{"name":"C3"}`)
	if c, _ := s.Client("c1"); c.IsGroupRestricted || len(c.Groups) != 0 {
		t.Errorf("groups survived an unrestricted PUT: %+v", c)
	}
	if a := call(t, s, "PUT", "/api/oidc/clients/nope", `{"name":"x"}`); a.status != 404 {
		t.Errorf("PUT unknown: %d", a.status)
	}
}

func TestGroupsAndPKCE(t *testing.T) {
	s := New(t, Options{})
	g := s.AddGroup("family")
	call(t, s, "POST", "/api/oidc/clients", `{"id":"pub","name":"P","isPublic":true,"pkceEnabled":false}`)
	if c, _ := s.Client("pub"); !c.PkceEnabled {
		t.Error("a public client must be stored with PKCE")
	}
	a := call(t, s, "PUT", "/api/oidc/clients/pub/allowed-user-groups", `{"userGroupIds":["`+g+`","made-up","`+g+`"]}`)
	if _, has := a.body["allowedUserGroups"]; a.status != 200 || has || strings.Contains(a.raw, "allowedUserGroupsCount") {
		t.Errorf("the allowed-user-groups answer is the client without its groups: %d %s", a.status, a.raw)
	}
	one := call(t, s, "GET", "/api/oidc/clients/pub", "")
	groups, _ := one.body["allowedUserGroups"].([]any)
	if len(groups) != 1 {
		t.Errorf("unknown ids must be dropped silently: %s", one.raw)
	}
	if c, _ := s.Client("pub"); c.IsGroupRestricted {
		t.Error("setting groups must not restrict the client")
	}
}

func TestSecrets(t *testing.T) {
	s := New(t, Options{})
	call(t, s, "POST", "/api/oidc/clients", `{"id":"c1","name":"C"}`)
	call(t, s, "POST", "/api/oidc/clients", `{"id":"pub","name":"P","isPublic":true}`)

	a := call(t, s, "POST", "/api/oidc/clients/c1/secrets", `{"secret":"wxyz-0123456789abcdef"}`)
	if a.status != 201 || a.body["secret"] != "wxyz-0123456789abcdef" || a.body["prefix"] != "wxyz" {
		t.Fatalf("add: %d %s", a.status, a.raw)
	}
	gen := call(t, s, "POST", "/api/oidc/clients/c1/secrets", `{}`)
	if v, _ := gen.body["secret"].(string); gen.status != 201 || len(v) != 32 {
		t.Errorf("generated: %d %s", gen.status, gen.raw)
	}
	list := call(t, s, "GET", "/api/oidc/clients/c1/secrets", "")
	if list.status != 200 || strings.Contains(list.raw, "0123456789abcdef") || strings.Contains(list.raw, `"secret"`) {
		t.Errorf("a listing must never carry values: %s", list.raw)
	}
	if one := call(t, s, "GET", "/api/oidc/clients/c1", ""); strings.Contains(one.raw, "0123456789abcdef") || !strings.Contains(one.raw, `"prefix":"wxyz"`) {
		t.Errorf("client answer: %s", one.raw)
	}
	for _, tc := range []struct {
		path, body string
		status     int
		code       string
	}{
		{"/api/oidc/clients/c1/secrets", `{"secret":"short"}`, 400, "validation_failed"},
		{"/api/oidc/clients/pub/secrets", `{"secret":"wxyz-0123456789abcdef"}`, 400, "public_client_secret"},
		{"/api/oidc/clients/nope/secrets", `{}`, 404, "not_found"},
		{"/api/oidc/clients/c1/secret", `{}`, 404, ""},
	} {
		if a := call(t, s, "POST", tc.path, tc.body); a.status != tc.status || a.code() != tc.code {
			t.Errorf("POST %s %s: %d %s", tc.path, tc.body, a.status, a.raw)
		}
	}
	for range MaxSecrets - 2 {
		call(t, s, "POST", "/api/oidc/clients/c1/secrets", `{}`)
	}
	if a := call(t, s, "POST", "/api/oidc/clients/c1/secrets", `{}`); a.status != 400 {
		t.Errorf("secret %d: %d, want 400", MaxSecrets+1, a.status)
	}
	id, _ := a.body["id"].(string)
	if d := call(t, s, "DELETE", "/api/oidc/clients/c1/secrets/"+id, ""); d.status != 204 {
		t.Errorf("delete: %d", d.status)
	}
	if d := call(t, s, "DELETE", "/api/oidc/clients/c1/secrets/"+id, ""); d.status != 404 || !strings.Contains(d.raw, `"resource":"Client secret"`) {
		t.Errorf("delete again: %d %s", d.status, d.raw)
	}
}

func TestTokenEndpoint(t *testing.T) {
	s := New(t, Options{})
	s.PutClient(ClientState{ID: "c 1", Name: "C"})
	const value = "wxyz-0123456789ab:cdef"
	s.AddSecret("c 1", value, time.Now())
	token := func(form url.Values, user, pass string) answer {
		req, _ := http.NewRequest("POST", s.URL+"/api/oidc/token", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if user != "" {
			req.SetBasicAuth(url.QueryEscape(user), url.QueryEscape(pass))
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		a := answer{status: resp.StatusCode, raw: string(b)}
		_ = json.Unmarshal(b, &a.body)
		return a
	}
	cc := url.Values{"grant_type": {"client_credentials"}}
	for _, tc := range []struct {
		name       string
		form       url.Values
		user, pass string
		status     int
		err        string
	}{
		{"basic", cc, "c 1", value, 200, ""},
		{"post", url.Values{"grant_type": {"client_credentials"}, "client_id": {"c 1"}, "client_secret": {value}}, "", "", 200, ""},
		{"wrong secret", cc, "c 1", "wxyz-0123456789ab:cdeX", 401, "invalid_client"},
		{"unknown client", cc, "nope", value, 401, "invalid_client"},
		{"both methods", url.Values{"grant_type": {"client_credentials"}, "client_secret": {value}}, "c 1", value, 400, "invalid_request"},
		{"other grant", url.Values{"grant_type": {"password"}}, "c 1", value, 400, "unsupported_grant_type"},
	} {
		a := token(tc.form, tc.user, tc.pass)
		if a.status != tc.status || tc.err != "" && a.body["error"] != tc.err {
			t.Errorf("%s: %d %s", tc.name, a.status, a.raw)
		}
	}
	if s.TokenRequests() != 6 || s.Writes() != 0 {
		t.Errorf("token requests %d writes %d: token calls are counted apart", s.TokenRequests(), s.Writes())
	}
}

func TestRateLimit(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var mu sync.Mutex
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	s := New(t, Options{RateLimit: &RateLimit{PerSecond: 2, Burst: 3}, Now: clock})
	var statuses []int
	for range 4 {
		statuses = append(statuses, call(t, s, "GET", "/api/oidc/clients", "").status)
	}
	a := call(t, s, "GET", "/healthz", "")
	if want := []int{200, 200, 200, 429}; !equalInts(statuses, want) || a.status != 429 || a.header.Get("Retry-After") != "1" {
		t.Errorf("statuses %v then %d (Retry-After %q), want %v then 429", statuses, a.status, a.header.Get("Retry-After"), want)
	}
	mu.Lock()
	now = now.Add(time.Second)
	mu.Unlock()
	if a := call(t, s, "GET", "/api/oidc/clients", ""); a.status != 200 {
		t.Errorf("after a second: %d", a.status)
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestSingularRouteBefore214(t *testing.T) {
	s := New(t, Options{Version: "2.13.0"})
	call(t, s, "POST", "/api/oidc/clients", `{"id":"c1","name":"C"}`)
	if a := call(t, s, "GET", "/api/oidc/clients/c1/secrets", ""); a.status != 404 || a.raw != "404 page not found" {
		t.Errorf("plural route on 2.13: %d %s", a.status, a.raw)
	}
	if a := call(t, s, "GET", "/api/oidc/clients/c1", ""); strings.Contains(a.raw, `"secrets"`) {
		t.Errorf("2.13 answers no secrets: %s", a.raw)
	}
	call(t, s, "POST", "/api/oidc/clients/c1/secret", `{"secret":"first-value-0123456789"}`)
	a := call(t, s, "POST", "/api/oidc/clients/c1/secret", `{"secret":"second-value-0123456789"}`)
	if a.status != 200 || a.body["secret"] != "second-value-0123456789" {
		t.Errorf("singular route: %d %s", a.status, a.raw)
	}
	if ok, _ := s.HasSecret("c1", "first-value-0123456789"); ok {
		t.Error("the singular route must replace the secret")
	}
}

func TestFaultsAndCounters(t *testing.T) {
	s := New(t, Options{})
	s.FailNth(1, DropAfter)
	req, _ := http.NewRequest("POST", s.URL+"/api/oidc/clients", strings.NewReader(`{"id":"c1","name":"C"}`))
	req.Header.Set("X-API-Key", DefaultAPIKey)
	req.Header.Set("Content-Type", "application/json")
	if _, err := http.DefaultClient.Do(req); err == nil {
		t.Fatal("DropAfter answered")
	}
	if _, ok := s.Client("c1"); !ok {
		t.Error("DropAfter must apply the request")
	}
	s.FailNth(1, Drop)
	req, _ = http.NewRequest("DELETE", s.URL+"/api/oidc/clients/c1", nil)
	req.Header.Set("X-API-Key", DefaultAPIKey)
	if _, err := http.DefaultClient.Do(req); err == nil {
		t.Fatal("Drop answered")
	}
	if _, ok := s.Client("c1"); !ok {
		t.Error("Drop must not apply the request")
	}
	s.SetHook(nil)
	s.ThrottleNext(2)
	if a, b, c := call(t, s, "GET", "/api/oidc/clients", "").status, call(t, s, "GET", "/api/oidc/clients", "").status, call(t, s, "GET", "/api/oidc/clients", "").status; a != 429 || b != 429 || c != 200 {
		t.Errorf("ThrottleNext(2): %d %d %d", a, b, c)
	}
	s.FailNth(1, Fail500)
	if a := call(t, s, "GET", "/api/oidc/clients", ""); a.status != 500 || a.code() != "internal_error" {
		t.Errorf("Fail500: %d %s", a.status, a.raw)
	}
	if s.Writes() != 1 || s.Requests("GET") != 4 {
		t.Errorf("writes %d gets %d, want 1 and 4: %v", s.Writes(), s.Requests("GET"), s.RequestLog())
	}
}

func TestPagination(t *testing.T) {
	s := New(t, Options{})
	for _, n := range []string{"a1", "b2", "c3"} {
		s.PutClient(ClientState{ID: n, Name: n})
	}
	for _, tc := range []struct {
		query string
		ids   string
		page  float64
	}{
		{"pagination[limit]=2", "a1,b2", 1},
		{"pagination[limit]=2&pagination[page]=2", "c3", 2},
		{"pagination[limit]=2&pagination[page]=9", "c3", 2},
		{"search=B", "b2", 1},
	} {
		a := call(t, s, "GET", "/api/oidc/clients?"+tc.query, "")
		var ids []string
		for _, d := range a.body["data"].([]any) {
			ids = append(ids, d.(map[string]any)["id"].(string))
		}
		p := a.body["pagination"].(map[string]any)
		if strings.Join(ids, ",") != tc.ids || p["currentPage"] != tc.page {
			t.Errorf("%s: %v page %v", tc.query, ids, p["currentPage"])
		}
	}
}

// TestStrictAllowedUserGroups: userGroupIds is required (binding:"required"): omitted or null is
// refused and changes nothing, [] clears.
func TestStrictAllowedUserGroups(t *testing.T) {
	s := New(t, Options{})
	g := s.AddGroup("family")
	call(t, s, "POST", "/api/oidc/clients", `{"id":"c1","name":"C","isGroupRestricted":true}`)
	call(t, s, "PUT", "/api/oidc/clients/c1/allowed-user-groups", `{"userGroupIds":["`+g+`"]}`)
	for _, body := range []string{`{}`, `{"userGroupIds":null}`, `{"groupIds":[]}`} {
		a := call(t, s, "PUT", "/api/oidc/clients/c1/allowed-user-groups", body)
		if a.status != 400 || a.code() != "validation_failed" || strings.Join(a.fields(), ",") != "userGroupIds" {
			t.Errorf("%s: %d %s", body, a.status, a.raw)
		}
	}
	if c, _ := s.Client("c1"); len(c.Groups) != 1 {
		t.Errorf("a refused request changed the groups: %+v", c.Groups)
	}
	if a := call(t, s, "PUT", "/api/oidc/clients/c1/allowed-user-groups", `{"userGroupIds":[]}`); a.status != 200 {
		t.Errorf("[]: %d %s", a.status, a.raw)
	}
	if c, _ := s.Client("c1"); len(c.Groups) != 0 {
		t.Errorf("[] must clear the groups: %+v", c.Groups)
	}
}

// TestDefaultTokenDurations: 0 (or omitted) is stored and answered as the default lifetime, not
// as 0; 1..525600 are kept as sent.
func TestDefaultTokenDurations(t *testing.T) {
	s := New(t, Options{})
	a := call(t, s, "POST", "/api/oidc/clients", `{"id":"c1","name":"C","refreshTokenDurationMinutes":0}`)
	if a.body["accessTokenDurationMinutes"] != float64(60) || a.body["refreshTokenDurationMinutes"] != float64(43200) {
		t.Errorf("create with 0: %s", a.raw)
	}
	a = call(t, s, "PUT", "/api/oidc/clients/c1", `{"name":"C","accessTokenDurationMinutes":1,"refreshTokenDurationMinutes":525600}`)
	if a.body["accessTokenDurationMinutes"] != float64(1) || a.body["refreshTokenDurationMinutes"] != float64(525600) {
		t.Errorf("PUT 1 and 525600: %s", a.raw)
	}
	call(t, s, "PUT", "/api/oidc/clients/c1", `{"name":"C"}`)
	if c, _ := s.Client("c1"); c.AccessTokenDurationMinutes != 60 || c.RefreshTokenDurationMinutes != 43200 {
		t.Errorf("omitted durations after PUT: %d %d", c.AccessTokenDurationMinutes, c.RefreshTokenDurationMinutes)
	}
}

// TestSecretExpiryInThePast: a secret that could never be used is refused, not stored.
func TestSecretExpiryInThePast(t *testing.T) {
	now := time.Date(2026, 9, 1, 12, 0, 0, 0, time.UTC)
	s := New(t, Options{Now: func() time.Time { return now }})
	call(t, s, "POST", "/api/oidc/clients", `{"id":"c1","name":"C"}`)
	for _, at := range []string{"2026-09-01T11:00:00Z", "2026-09-01T12:00:00Z"} {
		a := call(t, s, "POST", "/api/oidc/clients/c1/secrets", `{"secret":"wxyz-0123456789abcdef","expiresAt":"`+at+`"}`)
		if a.status != 400 || a.code() != "validation_failed" {
			t.Errorf("expiresAt %s: %d %s", at, a.status, a.raw)
		}
	}
	if c, _ := s.Client("c1"); len(c.Secrets) != 0 {
		t.Errorf("a refused secret was stored: %+v", c.Secrets)
	}
	if a := call(t, s, "POST", "/api/oidc/clients/c1/secrets", `{"secret":"wxyz-0123456789abcdef","expiresAt":"2026-09-02T12:00:00Z"}`); a.status != 201 {
		t.Errorf("future expiresAt: %d %s", a.status, a.raw)
	}
}

// TestSecretsBefore214: before v2.14 creating a confidential client mints a secret nobody is
// told (public clients get none), and before v2.12 the singular route ignores a caller's value.
func TestSecretsBefore214(t *testing.T) {
	s := New(t, Options{Version: "2.13.0"})
	a := call(t, s, "POST", "/api/oidc/clients", `{"id":"c1","name":"C"}`)
	if strings.Contains(a.raw, `"secret`) {
		t.Errorf("the create answer carries no secret: %s", a.raw)
	}
	if c, _ := s.Client("c1"); len(c.Secrets) != 1 {
		t.Errorf("2.13 create must mint one secret: %+v", c.Secrets)
	}
	call(t, s, "POST", "/api/oidc/clients", `{"id":"pub","name":"P","isPublic":true}`)
	if c, _ := s.Client("pub"); len(c.Secrets) != 0 {
		t.Errorf("a public client got a secret: %+v", c.Secrets)
	}

	old := New(t, Options{Version: "2.11.0"})
	call(t, old, "POST", "/api/oidc/clients", `{"id":"c1","name":"C"}`)
	const value = "caller-chosen-value-0123456789"
	a = call(t, old, "POST", "/api/oidc/clients/c1/secret", `{"secret":"`+value+`"}`)
	got, _ := a.body["secret"].(string)
	if a.status != 200 || got == value || len(got) != 32 {
		t.Errorf("2.11 singular route: %d %s", a.status, a.raw)
	}
	if ok, _ := old.HasSecret("c1", value); ok {
		t.Error("2.11 must not store a caller-supplied secret")
	}
	if ok, _ := old.HasSecret("c1", got); !ok {
		t.Error("2.11 must store the secret it answered")
	}
}

// TestRateLimitOnByDefault: Pocket ID limits unless DISABLE_RATE_LIMITING=true, so the fake does
// too: the default burst is 300, the 301st request at the same instant is refused.
func TestRateLimitOnByDefault(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		opts Options
		want int
	}{
		{Options{}, 429},
		{Options{DisableRateLimiting: true}, 200},
		{Options{DisableRateLimiting: true, RateLimit: &RateLimit{PerSecond: 1, Burst: 1}}, 200},
	} {
		tc.opts.Now = func() time.Time { return now }
		s := New(t, tc.opts)
		for i := range DefaultRateLimit.Burst {
			if a := call(t, s, "GET", "/api/version/current", ""); a.status != 200 {
				t.Fatalf("%+v: request %d answered %d", tc.opts, i+1, a.status)
			}
		}
		a := call(t, s, "GET", "/api/version/current", "")
		if a.status != tc.want || tc.want == 429 && (a.code() != "rate_limited" || a.header.Get("Retry-After") == "") {
			t.Errorf("DisableRateLimiting=%v: request %d answered %d %s, want %d", tc.opts.DisableRateLimiting, DefaultRateLimit.Burst+1, a.status, a.raw, tc.want)
		}
	}
}

// TestReadOnlyAndSearch: credentials.secrets is read-only on input (a PUT can neither add nor
// drop secrets), the client search matches the name only, never the id, and a limit above 100 is
// clamped to 100.
func TestReadOnlyAndSearch(t *testing.T) {
	s := New(t, Options{})
	call(t, s, "POST", "/api/oidc/clients", `{"id":"c1","name":"C","credentials":{"secrets":[{"id":"forged","prefix":"abcd"}]}}`)
	if c, _ := s.Client("c1"); len(c.Secrets) != 0 {
		t.Errorf("create took credentials.secrets: %+v", c.Secrets)
	}
	call(t, s, "POST", "/api/oidc/clients/c1/secrets", `{"secret":"wxyz-0123456789abcdef"}`)
	call(t, s, "PUT", "/api/oidc/clients/c1", `{"name":"C","credentials":{"secrets":[]}}`)
	if ok, _ := s.HasSecret("c1", "wxyz-0123456789abcdef"); !ok {
		t.Error("a PUT with credentials.secrets [] dropped a secret")
	}

	for i := range 105 {
		s.PutClient(ClientState{ID: fmt.Sprintf("id-%03d", i), Name: fmt.Sprintf("Name %03d", i)})
	}
	if a := call(t, s, "GET", "/api/oidc/clients?search=id-00", ""); len(a.body["data"].([]any)) != 0 {
		t.Errorf("search matched ids: %s", a.raw)
	}
	if a := call(t, s, "GET", "/api/oidc/clients?search=name%2000", ""); len(a.body["data"].([]any)) != 10 {
		t.Errorf("search by name: %d results", len(a.body["data"].([]any)))
	}
	a := call(t, s, "GET", "/api/oidc/clients?pagination[limit]=500", "")
	if p := a.body["pagination"].(map[string]any); len(a.body["data"].([]any)) != 100 || p["itemsPerPage"] != float64(100) || p["totalPages"] != float64(2) {
		t.Errorf("limit 500: %d items, pagination %v", len(a.body["data"].([]any)), p)
	}
}
