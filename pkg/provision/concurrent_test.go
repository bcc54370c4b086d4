package provision

import (
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/endsys/pocketid-oidc/pkg/pocketid/pocketidtest"
)

// barrier holds the first n requests matching match until all n arrived, so two runs are
// forced through the same window (both see "missing", both add). It holds requests before they
// are handled: to be sure both runs read the old state, match their first write, which each
// run only makes after its read was answered.
func barrier(n int, match func(*http.Request) bool) pocketidtest.Hook {
	var mu sync.Mutex
	arrived := 0
	release := make(chan struct{})
	return func(_ int, r *http.Request) pocketidtest.Fault {
		if !match(r) {
			return pocketidtest.NoFault
		}
		mu.Lock()
		arrived++
		me := arrived
		if arrived == n {
			close(release)
		}
		mu.Unlock()
		if me <= n {
			<-release
		}
		return pocketidtest.NoFault
	}
}

func TestConcurrentRuns(t *testing.T) {
	for _, tc := range []struct {
		name  string
		setup func(e *testEnv)
		// match selects the request both runs must make before either goes on.
		match func(*http.Request) bool
	}{
		{
			name:  "both create the client",
			setup: func(e *testEnv) {},
			match: func(r *http.Request) bool {
				return r.Method == http.MethodPost && r.URL.Path == "/api/oidc/clients"
			},
		},
		{
			name: "both register the secret",
			setup: func(e *testEnv) {
				e.srv.PutClient(converged())
			},
			match: func(r *http.Request) bool {
				return r.Method == http.MethodPost && r.URL.Path == "/api/oidc/clients/immich/secrets"
			},
		},
		{
			name: "both rotate",
			setup: func(e *testEnv) {
				e.srv.PutClient(converged())
				e.seedSecret("immich", secretB, e.clock.Now().Add(-48*time.Hour))
			},
			match: func(r *http.Request) bool {
				return r.Method == http.MethodPost && r.URL.Path == "/api/oidc/clients/immich/secrets"
			},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newTestEnv(t, pocketidtest.Options{})
			e.srv.AddGroup("family")
			tc.setup(e)
			e.secretFile("immich", secretA)
			docs := e.docs(immichYAML)
			// Both runs read the client before either writes, then meet again at match.
			readClient := barrier(2, func(r *http.Request) bool {
				return r.Method == http.MethodGet && r.URL.Path == "/api/oidc/clients/immich"
			})
			meet := barrier(2, tc.match)
			e.srv.SetHook(func(n int, r *http.Request) pocketidtest.Fault {
				readClient(n, r)
				return meet(n, r)
			})

			var wg sync.WaitGroup
			results := make([]Result, 2)
			errs := make([]error, 2)
			for i := range 2 {
				wg.Go(func() { results[i], errs[i] = e.tryRun(docs, false) })
			}
			wg.Wait()
			e.srv.SetHook(nil)
			for i := range 2 {
				if errs[i] != nil || !results[i].OK() {
					t.Errorf("run %d: err %v, clients %+v", i, errs[i], results[i].Clients)
				}
			}
			if ids := e.srv.ClientIDs(); len(ids) != 1 {
				t.Fatalf("clients %v", ids)
			}
			if c := e.client("immich"); !equalState(c, converged()) {
				t.Errorf("client %+v", c)
			}
			e.assertSecret("immich", secretA)
			e.mustConverge(docs)
			e.assertNoop(docs)
			e.assertSecret("immich", secretA)
		})
	}
}
