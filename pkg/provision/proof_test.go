package provision

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/endsys/pocketid-oidc/pkg/pocketid/pocketidtest"
)

// appOld and appNew share their first four characters ("app-"), the only part Pocket ID lists,
// as users' own secrets in a password manager often do.
const appOld = "app-0ld-Kq7vX2mN9pL4wR"

var appNew = pocketidtest.CollidingSecret(appOld, 1)

func sameDocs(e *testEnv, extra string) []Document {
	return e.docs(strings.Replace(rotationYAML, "EXTRA", extra, 1))
}

// TestSamePrefixRotation: the store rotates to a value with the registered secret's prefix. The
// new value must reach Pocket ID (a prefix match is proven at the token endpoint, not trusted),
// the old one must stay valid for the overlap, and in the end exactly the new value is left.
func TestSamePrefixRotation(t *testing.T) {
	for _, tc := range []struct {
		name    string
		extra   string
		overlap time.Duration
	}{
		{"default overlap", "", DefaultRotationOverlap},
		{"overlap 1h", "rotationOverlap: 1h", time.Hour},
		{"overlap 0", "rotationOverlap: 0s", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newTestEnv(t, pocketidtest.Options{})
			e.secretFile("immich", appOld)
			docs := sameDocs(e, tc.extra)
			e.mustConverge(docs)
			e.assertSecret("immich", appOld)

			e.clock.Advance(72 * time.Hour)
			e.secretFile("immich", appNew)
			e.srv.ResetCounters()
			res := e.mustConverge(docs)
			if e.srv.TokenRequests() == 0 {
				t.Fatal("no token request: the prefix match was trusted")
			}
			if res.Clients[0].Outcome != Updated {
				t.Errorf("outcome %s, want updated", res.Clients[0].Outcome)
			}
			e.assertSecret("immich", appNew)
			if valid, _ := e.srv.HasSecret("immich", appOld); valid != (tc.overlap > 0) {
				t.Errorf("old secret valid=%v right after the rotation, overlap %s", valid, tc.overlap)
			}
			if tc.overlap > 0 {
				// During the overlap: both listed with one prefix, the proof passes, which one
				// is ours is unknown, and nothing is written.
				e.clock.Advance(tc.overlap / 2)
				e.srv.ResetCounters()
				res = e.mustConverge(docs)
				if e.srv.Writes() != 0 || res.Clients[0].Pending == "" || res.Clients[0].Outcome != Unchanged {
					t.Errorf("during the overlap: %d writes, pending %q, outcome %s", e.srv.Writes(), res.Clients[0].Pending, res.Clients[0].Outcome)
				}
				if valid, _ := e.srv.HasSecret("immich", appOld); !valid {
					t.Error("old secret removed before the overlap passed")
				}
				// After it: the value is registered once more to tell it apart, every older
				// secret goes.
				e.clock.Advance(tc.overlap/2 + time.Second)
				e.mustConverge(docs)
			}
			if valid, _ := e.srv.HasSecret("immich", appOld); valid {
				t.Error("old secret still valid after the overlap")
			}
			e.assertSecret("immich", appNew)
			if n := len(e.client("immich").Secrets); n != 1 {
				t.Errorf("%d secrets at the end, want 1", n)
			}
			e.assertNoop(docs)
		})
	}
}

// TestForeignSecretWithOurPrefix: the only listed secret has our prefix but is another value
// (made in the UI). Trusting the prefix would leave the app with a secret Pocket ID refuses.
func TestForeignSecretWithOurPrefix(t *testing.T) {
	e := newTestEnv(t, pocketidtest.Options{})
	e.srv.PutClient(pocketidtest.ClientState{ID: "immich", Name: "immich", CallbackURLs: []string{"https://photos.example.com/auth/login"}})
	e.seedSecret("immich", pocketidtest.CollidingSecret(appOld, 7), e.clock.Now().Add(-time.Hour))
	e.secretFile("immich", appOld)
	docs := sameDocs(e, "rotationOverlap: 0s")
	res := e.mustConverge(docs)
	if res.Clients[0].Outcome != Updated {
		t.Errorf("outcome %s, want updated", res.Clients[0].Outcome)
	}
	e.assertSecret("immich", appOld)
	if n := len(e.client("immich").Secrets); n != 1 {
		t.Errorf("%d secrets, want ours only", n)
	}
	e.assertNoop(docs)
}

// TestUnprovenSecretIsNotAssumed: when the token endpoint cannot answer, the client fails; it
// is neither taken as registered nor registered blindly.
func TestUnprovenSecretIsNotAssumed(t *testing.T) {
	e := newTestEnv(t, pocketidtest.Options{})
	e.srv.PutClient(pocketidtest.ClientState{ID: "immich", Name: "immich", CallbackURLs: []string{"https://photos.example.com/auth/login"}})
	e.seedSecret("immich", appOld, e.clock.Now().Add(-time.Hour))
	e.secretFile("immich", appOld)
	e.srv.SetHook(func(_ int, r *http.Request) pocketidtest.Fault {
		if r.URL.Path == "/api/oidc/token" {
			return pocketidtest.Fail500
		}
		return pocketidtest.NoFault
	})
	docs := sameDocs(e, "")
	res := e.run(docs, false)
	c := res.Clients[0]
	if c.Outcome != Failed || c.Cause != CauseUnavailable || !strings.Contains(c.Err.Error(), "proving the client secret at the token endpoint") {
		t.Errorf("outcome %s cause %s err %v", c.Outcome, c.Cause, c.Err)
	}
	if w := e.srv.Writes(); w != 0 {
		t.Errorf("%d writes without a proof", w)
	}
	e.srv.SetHook(nil)
	e.mustConverge(docs)
	e.assertNoop(docs)
}
