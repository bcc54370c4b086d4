package provision

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/endsys/pocketid-oidc/pkg/pocketid/pocketidtest"
)

// recorder is another loopback server: whatever reaches it has left Pocket ID's origin.
type recorder struct {
	*httptest.Server
	mu  sync.Mutex
	got []string
}

func newRecorder(t *testing.T) *recorder {
	r := &recorder{}
	r.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		r.mu.Lock()
		r.got = append(r.got, req.Method+" "+req.URL.Path+" "+req.Header.Get("X-API-Key")+" "+req.Header.Get("Authorization"))
		r.mu.Unlock()
	}))
	t.Cleanup(r.Close)
	return r
}

func (r *recorder) requests() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.got...)
}

// sentHeaders records, per request the fake received, how it authenticated: the fake stands
// for Pocket ID's origin, the only place the API key and client secrets may go.
type sentHeaders struct {
	mu  sync.Mutex
	got []string
}

// hook wraps h, noting "path key=<whether X-API-Key is the key> basic=<whether Basic auth>".
func (s *sentHeaders) hook(h pocketidtest.Hook) pocketidtest.Hook {
	return func(n int, r *http.Request) pocketidtest.Fault {
		_, _, basic := r.BasicAuth()
		s.mu.Lock()
		s.got = append(s.got, fmt.Sprintf("%s key=%v basic=%v", r.URL.Path, r.Header.Get("X-API-Key") == pocketidtest.DefaultAPIKey, basic))
		s.mu.Unlock()
		if h == nil {
			return pocketidtest.NoFault
		}
		return h(n, r)
	}
}

// check: admin requests carry the key, token requests Basic auth and no key, /healthz neither.
func (s *sentHeaders) check(t *testing.T) {
	t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.got) == 0 {
		t.Fatal("the fake received nothing")
	}
	for _, g := range s.got {
		path := strings.Fields(g)[0]
		want := path + " key=true basic=false"
		switch {
		case path == "/api/oidc/token":
			want = path + " key=false basic=true"
		case path == "/healthz":
			want = path + " key=false basic=false"
		}
		if g != want {
			t.Errorf("Pocket ID received %q, want %q", g, want)
		}
	}
}

// TestRedirectToAnotherHost: Pocket ID's URL answers redirects to another host: for
// everything, for the secret's registration (the value is in its body), for the proof (the
// value is in its Authorization header). Pocket ID's origin receives the key and the secret as
// it should; the other host, a real listener, receives nothing at all; every run fails naming
// the Location's host, and the run after the redirect is gone converges.
func TestRedirectToAnotherHost(t *testing.T) {
	other := newRecorder(t)
	host := strings.TrimPrefix(other.URL, "http://")

	e := newCmdEnv(t, pocketidtest.Options{})
	e.srv.AddGroup("family")
	e.secretFile("immich", secretA)
	dir := e.clientsDir(map[string]string{"immich": immichYAML})
	e.srv.SetRedirectTarget(other.URL)
	sent := &sentHeaders{}
	redirect := func(match func(r *http.Request) bool) {
		e.srv.SetHook(sent.hook(func(_ int, r *http.Request) pocketidtest.Fault {
			if match(r) {
				return pocketidtest.Redirect
			}
			return pocketidtest.NoFault
		}))
	}

	redirect(func(*http.Request) bool { return true })
	code, out, _ := e.main("-f", dir)
	line := lineWith(t, out, "pocket id unusable")
	if code != ExitFailed || line == nil || line["cause"] != "pocket_id_redirect" || !strings.Contains(str(line["error"]), "to host "+host) {
		t.Errorf("everything redirected: exit %d, line %v", code, line)
	}

	redirect(func(r *http.Request) bool {
		return r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/secrets")
	})
	code, out, _ = e.main("-f", dir)
	failed := lineWith(t, out, "client failed")
	if code != ExitFailed || failed == nil || failed["cause"] != "pocket_id_redirect" || !strings.Contains(str(failed["error"]), "to host "+host) {
		t.Errorf("secret POST redirected: exit %d, line %v", code, failed)
	}

	e.srv.SetHook(sent.hook(nil))
	if code, out, _ := e.main("-f", dir); code != ExitOK {
		t.Fatalf("after the redirect is gone: exit %d\n%s", code, out)
	}

	redirect(func(r *http.Request) bool { return r.URL.Path == "/api/oidc/token" })
	code, out, _ = e.main("-f", dir)
	failed = lineWith(t, out, "client failed")
	if code != ExitFailed || failed == nil || failed["cause"] != "pocket_id_redirect" || !strings.Contains(str(failed["error"]), "to host "+host) ||
		!strings.Contains(str(failed["error"]), "proving the client secret") {
		t.Errorf("proof redirected: exit %d, line %v", code, failed)
	}

	if got := other.requests(); len(got) != 0 {
		t.Fatalf("the other host received %v", got)
	}
	sent.check(t)
	e.srv.SetHook(nil)
	e.assertSecret("immich", secretA)
	if n := len(e.client("immich").Secrets); n != 1 {
		t.Errorf("%d secrets, want 1", n)
	}
	e.assertNoop(e.docs(immichYAML))
}
