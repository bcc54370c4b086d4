package pocketidtest

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestAppConfig(t *testing.T) {
	s := New(t, Options{DisableRateLimiting: true})
	// The admin listing needs the key, like every admin route.
	if a := call(t, s, http.MethodGet, "/api/application-configuration/all", "", "X-API-Key", ""); a.status != http.StatusUnauthorized || a.code() != "not_signed_in" {
		t.Errorf("without key: %d %s", a.status, a.raw)
	}
	a := call(t, s, http.MethodGet, "/api/application-configuration/all", "")
	if a.status != http.StatusOK || !strings.Contains(a.raw, `{"isPublic":false,"key":"emailsVerified","type":"bool","value":"false"}`) {
		t.Errorf("all: %d %s, want emailsVerified false by default", a.status, a.raw)
	}
	// The public listing answers without a key and does not include emailsVerified.
	a = call(t, s, http.MethodGet, "/api/application-configuration", "", "X-API-Key", "")
	if a.status != http.StatusOK || strings.Contains(a.raw, "emailsVerified") || !strings.Contains(a.raw, `"key":"appName"`) {
		t.Errorf("public: %d %s", a.status, a.raw)
	}
	s.SetAppConfig("emailsVerified", "true")
	if a := call(t, s, http.MethodGet, "/api/application-configuration/all", ""); !strings.Contains(a.raw, `"key":"emailsVerified","type":"bool","value":"true"`) {
		t.Errorf("after SetAppConfig: %s", a.raw)
	}
	o := New(t, Options{DisableRateLimiting: true, AppConfig: map[string]string{"emailsVerified": "true"}})
	if a := call(t, o, http.MethodGet, "/api/application-configuration/all", ""); !strings.Contains(a.raw, `"key":"emailsVerified","type":"bool","value":"true"`) {
		t.Errorf("Options.AppConfig: %s", a.raw)
	}
}

func TestRedirectFault(t *testing.T) {
	s := New(t, Options{DisableRateLimiting: true})
	s.SetRedirectTarget("http://127.0.0.1:9")
	s.SetHook(func(int, *http.Request) Fault { return Redirect })
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Get(s.URL + "/api/oidc/clients?search=x")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusTemporaryRedirect || resp.Header.Get("Location") != "http://127.0.0.1:9/api/oidc/clients?search=x" {
		t.Errorf("%d Location %q", resp.StatusCode, resp.Header.Get("Location"))
	}
}

// TestCollidingSecrets: two values with one prefix are two secrets; the listing cannot tell
// them apart, only the token endpoint can.
func TestCollidingSecrets(t *testing.T) {
	s := New(t, Options{DisableRateLimiting: true})
	s.PutClient(ClientState{ID: "app", Name: "App"})
	ours := "app-ours-0123456789abcdef"
	theirs := CollidingSecret(ours, 1)
	if theirs[:4] != ours[:4] || theirs == ours || len(theirs) < 16 {
		t.Fatalf("CollidingSecret(%q) = %q", ours, theirs)
	}
	s.AddSecret("app", theirs, s.opts.Now())
	st, _ := s.Client("app")
	if len(st.Secrets) != 1 || st.Secrets[0].Prefix != "app-" {
		t.Fatalf("secrets %+v", st.Secrets)
	}
	token := func(secret string) int {
		form := url.Values{"grant_type": {"client_credentials"}, "client_id": {"app"}, "client_secret": {secret}}
		resp, err := http.PostForm(s.URL+"/api/oidc/token", form)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if got := token(ours); got != http.StatusUnauthorized {
		t.Errorf("our value, only theirs registered: %d, want 401", got)
	}
	if got := token(theirs); got != http.StatusOK {
		t.Errorf("their value: %d, want 200", got)
	}
}
