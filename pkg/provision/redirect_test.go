package provision

import (
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

// TestRedirectToAnotherHost: Pocket ID's URL answers redirects to another host, first for
// everything, then only for one write mid-run. The API key and the client secret never reach
// that host; the run fails naming the Location's host, and converges once the redirect is gone.
func TestRedirectToAnotherHost(t *testing.T) {
	other := newRecorder(t)
	host := strings.TrimPrefix(other.URL, "http://")

	e := newCmdEnv(t, pocketidtest.Options{})
	e.srv.AddGroup("family")
	e.secretFile("immich", secretA)
	dir := e.clientsDir(map[string]string{"immich": immichYAML})
	e.srv.SetRedirectTarget(other.URL)

	e.srv.SetHook(func(int, *http.Request) pocketidtest.Fault { return pocketidtest.Redirect })
	code, out, _ := e.main("-f", dir)
	line := lineWith(t, out, "pocket id unusable")
	if code != ExitFailed || line == nil || line["cause"] != "pocket_id_redirect" || !strings.Contains(str(line["error"]), "to host "+host) {
		t.Errorf("everything redirected: exit %d, line %v", code, line)
	}

	// Only the secret registration is redirected: the value would travel in its body.
	e.srv.SetHook(func(_ int, r *http.Request) pocketidtest.Fault {
		if r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/secrets") {
			return pocketidtest.Redirect
		}
		return pocketidtest.NoFault
	})
	code, out, _ = e.main("-f", dir)
	failed := lineWith(t, out, "client failed")
	if code != ExitFailed || failed == nil || failed["cause"] != "pocket_id_redirect" || !strings.Contains(str(failed["error"]), "to host "+host) {
		t.Errorf("secret POST redirected: exit %d, line %v", code, failed)
	}
	if got := other.requests(); len(got) != 0 {
		t.Fatalf("the other host received %v", got)
	}

	e.srv.SetHook(nil)
	if code, out, _ := e.main("-f", dir); code != ExitOK {
		t.Fatalf("after the redirect is gone: exit %d\n%s", code, out)
	}
	e.assertSecret("immich", secretA)
	if n := len(e.client("immich").Secrets); n != 1 {
		t.Errorf("%d secrets, want 1", n)
	}
}
