package provision

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/endsys/pocketid-oidc/pkg/pocketid/pocketidtest"
)

// faultScenario is a starting state, documents and the state every run must end in.
type faultScenario struct {
	name  string
	setup func(e *testEnv) []Document
	check func(t *testing.T, e *testEnv)
	// settle is how long the clock runs, before one more run, for a state a fault can leave
	// behind to converge. Only telling same-prefix secrets apart needs it: interrupted after
	// registering our value again, the next run sees one more copy with our prefix, cannot
	// tell it from a rotation, and waits out the overlap again (the old secret stays valid
	// meanwhile: late, never broken).
	settle time.Duration
}

var faultScenarios = []faultScenario{
	{
		name: "create",
		setup: func(e *testEnv) []Document {
			e.srv.AddGroup("family")
			e.secretFile("immich", secretA)
			return e.docs(immichYAML)
		},
		check: func(t *testing.T, e *testEnv) {
			if c := e.client("immich"); !equalState(c, converged()) || len(c.Secrets) != 1 {
				t.Errorf("client %+v, want converged with one secret", c)
			}
			e.assertSecret("immich", secretA)
		},
	},
	{
		name: "rotate and repair drift",
		setup: func(e *testEnv) []Document {
			e.srv.AddGroup("family")
			e.srv.AddGroup("admins")
			st := converged()
			st.Name, st.Groups = "drifted", []string{"admins"}
			e.srv.PutClient(st)
			e.seedSecret("immich", secretA, e.clock.Now().Add(-time.Hour))
			e.secretFile("immich", secretB)
			return e.docs(strings.Replace(immichYAML, "file: $DIR/immich", "file: $DIR/immich\n    rotationOverlap: 0s", 1))
		},
		check: func(t *testing.T, e *testEnv) {
			if c := e.client("immich"); !equalState(c, converged()) || len(c.Secrets) != 1 {
				t.Errorf("client %+v, want converged with one secret", c)
			}
			e.assertSecret("immich", secretB)
		},
	},
	{
		name: "rotate to the same prefix",
		setup: func(e *testEnv) []Document {
			e.srv.PutClient(pocketidtest.ClientState{ID: "immich", Name: "immich", CallbackURLs: []string{"https://photos.example.com/auth/login"}})
			e.seedSecret("immich", appOld, e.clock.Now().Add(-time.Hour))
			e.secretFile("immich", appNew)
			return sameDocs(e, "rotationOverlap: 0s")
		},
		check: onlySecret(appNew, appOld),
	},
	{
		name: "tell apart two secrets with our prefix",
		setup: func(e *testEnv) []Document {
			e.srv.PutClient(pocketidtest.ClientState{ID: "immich", Name: "immich", CallbackURLs: []string{"https://photos.example.com/auth/login"}})
			e.seedSecret("immich", appOld, e.clock.Now().Add(-50*time.Hour))
			e.seedSecret("immich", appNew, e.clock.Now().Add(-25*time.Hour))
			e.secretFile("immich", appNew)
			return sameDocs(e, "")
		},
		check:  onlySecret(appNew, appOld),
		settle: DefaultRotationOverlap + time.Second,
	},
	{
		name: "delete",
		setup: func(e *testEnv) []Document {
			e.srv.PutClient(pocketidtest.ClientState{ID: "immich", Name: "Immich"})
			return e.docs("apiVersion: oidc.endsys.cloud/v1alpha1\nkind: OIDCClient\nspec: {id: immich, state: absent}\n")
		},
		check: func(t *testing.T, e *testEnv) {
			if ids := e.srv.ClientIDs(); len(ids) != 0 {
				t.Errorf("clients %v, want none", ids)
			}
		},
	},
}

// onlySecret checks that value is the client's one secret, registered once, and old is gone.
func onlySecret(value, old string) func(t *testing.T, e *testEnv) {
	return func(t *testing.T, e *testEnv) {
		e.assertSecret("immich", value)
		if valid, _ := e.srv.HasSecret("immich", old); valid {
			t.Error("the old secret is still valid")
		}
		if n := len(e.client("immich").Secrets); n != 1 {
			t.Errorf("%d secrets, want 1", n)
		}
	}
}

// TestFaultAtEveryStep fails each request of a clean run in turn, with each kind of fault, and
// requires the next run to converge to the same state with nothing duplicated.
func TestFaultAtEveryStep(t *testing.T) {
	faults := []pocketidtest.Fault{pocketidtest.Fail500, pocketidtest.Drop, pocketidtest.DropAfter, pocketidtest.Throttle}
	for _, sc := range faultScenarios {
		clean := newTestEnv(t, pocketidtest.Options{})
		docs := sc.setup(clean)
		clean.srv.ResetCounters()
		base := clean.srv.Total()
		clean.mustConverge(docs)
		steps := clean.srv.Total() - base
		sc.check(t, clean)
		log := clean.srv.RequestLog()

		for n := 1; n <= steps; n++ {
			for _, f := range faults {
				t.Run(fmt.Sprintf("%s/%d %s/%s", sc.name, n, log[n-1], f), func(t *testing.T) {
					e := newTestEnv(t, pocketidtest.Options{})
					docs := sc.setup(e)
					e.srv.FailNth(n, f)
					// The faulty run may succeed (retries) or fail; either way the next completes.
					_, _ = e.tryRun(docs, false)
					e.srv.SetHook(nil)
					e.mustConverge(docs)
					e.settle(sc.settle, docs)
					sc.check(t, e)
					e.assertNoop(docs)
				})
			}
			// A crash: the process dies after request n-1; nothing after it arrives.
			t.Run(fmt.Sprintf("%s/crash before %d %s", sc.name, n, log[n-1]), func(t *testing.T) {
				e := newTestEnv(t, pocketidtest.Options{})
				docs := sc.setup(e)
				start := e.srv.Total()
				e.srv.SetHook(func(i int, _ *http.Request) pocketidtest.Fault {
					if i-start >= n {
						return pocketidtest.Drop
					}
					return pocketidtest.NoFault
				})
				res, err := e.tryRun(docs, false)
				if err == nil && res.OK() {
					t.Fatal("a run that lost its connection reported success")
				}
				e.srv.SetHook(nil)
				e.mustConverge(docs)
				e.settle(sc.settle, docs)
				sc.check(t, e)
				e.assertNoop(docs)
			})
		}
	}
}

// settle lets the clock run for d and runs once more (nothing when d is 0).
func (e *testEnv) settle(d time.Duration, docs []Document) {
	e.t.Helper()
	if d > 0 {
		e.clock.Advance(d)
		e.mustConverge(docs)
	}
}

func TestFaultsWithinRetryBudgetConvergeInOneRun(t *testing.T) {
	for _, tc := range []struct {
		name  string
		fault func(e *testEnv)
	}{
		{"429 burst", func(e *testEnv) { e.srv.ThrottleNext(3) }},
		{"500 then ok", func(e *testEnv) { e.srv.FailNth(4, pocketidtest.Fail500) }},
		{"answer lost after the secret was added", func(e *testEnv) {
			e.srv.SetHook(func(_ int, r *http.Request) pocketidtest.Fault {
				if r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/secrets") {
					e.srv.SetHook(nil)
					return pocketidtest.DropAfter
				}
				return pocketidtest.NoFault
			})
		}},
		{"answer lost after the client was created", func(e *testEnv) {
			e.srv.SetHook(func(_ int, r *http.Request) pocketidtest.Fault {
				if r.Method == http.MethodPost && r.URL.Path == "/api/oidc/clients" {
					e.srv.SetHook(nil)
					return pocketidtest.DropAfter
				}
				return pocketidtest.NoFault
			})
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newTestEnv(t, pocketidtest.Options{})
			docs := faultScenarios[0].setup(e)
			tc.fault(e)
			res := e.mustConverge(docs)
			// Whatever was retried, this run made the client: a create whose answer was lost
			// (its retry answered "id taken") is still "created", not unchanged or updated.
			if res.Clients[0].Outcome != Created {
				t.Errorf("outcome %s, want created", res.Clients[0].Outcome)
			}
			if strings.Contains(tc.name, "client was created") && !strings.Contains(e.logs.String(), "the answer to the create was lost") {
				t.Errorf("the lost answer is not logged:\n%s", e.logs.String())
			}
			faultScenarios[0].check(t, e)
			e.assertNoop(docs)
		})
	}
}

// TestRateLimitedBulkRun: 100 new clients make more requests than Pocket ID's burst allows. The
// run must ride the 429s out (Retry-After) and converge. Sleeping advances the shared clock, so
// the limiter refills without the test waiting.
func TestRateLimitedBulkRun(t *testing.T) {
	e := newTestEnv(t, pocketidtest.Options{RateLimit: &pocketidtest.DefaultRateLimit})
	e.srv.AddGroup("family")
	var sb strings.Builder
	for i := range 100 {
		id := fmt.Sprintf("app-%02d", i)
		e.secretFile(id, id+"-secret-value-0123456789")
		fmt.Fprintf(&sb, "---\napiVersion: oidc.endsys.cloud/v1alpha1\nkind: OIDCClient\nspec: {id: %s, callbackURLs: ['https://x.example.com/cb'], allowedGroups: [family], secret: {file: $DIR/%s}}\n", id, id)
	}
	docs := e.docs(sb.String())
	var waits []time.Duration
	sleep := func(ctx context.Context, d time.Duration) error {
		waits = append(waits, d)
		e.clock.Advance(d)
		return ctx.Err()
	}
	res, err := Run(context.Background(), docs, Options{Client: e.apiWith(sleep), Now: e.clock.Now})
	if err != nil || !res.OK() {
		t.Fatalf("err %v summary %+v", err, res.Summary)
	}
	if len(waits) == 0 {
		t.Fatal("the limiter never answered 429: the test does not test anything")
	}
	for _, w := range waits {
		if w < time.Second {
			t.Errorf("waited %s after a 429 with Retry-After: 1", w)
		}
	}
	for i := range 100 {
		id := fmt.Sprintf("app-%02d", i)
		e.assertSecret(id, id+"-secret-value-0123456789")
	}
}

func TestCrashBetweenCreateAndSecret(t *testing.T) {
	e := newTestEnv(t, pocketidtest.Options{})
	docs := faultScenarios[0].setup(e)
	created := false
	e.srv.SetHook(func(_ int, r *http.Request) pocketidtest.Fault {
		if created {
			return pocketidtest.Drop // the process is gone
		}
		created = r.Method == http.MethodPost && r.URL.Path == "/api/oidc/clients"
		return pocketidtest.NoFault
	})
	if res, err := e.tryRun(docs, false); err == nil && res.OK() {
		t.Fatal("the crashed run reported success")
	}
	// Left closed, not open: restricted, no group, no secret.
	c := e.client("immich")
	if !c.IsGroupRestricted || len(c.Groups) != 0 || len(c.Secrets) != 0 {
		t.Errorf("after the crash: %+v", c)
	}
	e.srv.SetHook(nil)
	res := e.mustConverge(docs)
	if res.Clients[0].Outcome != Updated {
		t.Errorf("outcome %s, want updated (the client existed)", res.Clients[0].Outcome)
	}
	// The state only an interrupted run leaves is recognised, and the recovery said.
	if res.Clients[0].Recovered == "" || res.Summary.Recovered != 1 || !strings.Contains(e.logs.String(), `"msg":"recovered","client":"immich"`) {
		t.Errorf("recovery not reported: %+v\n%s", res.Summary, e.logs.String())
	}
	faultScenarios[0].check(t, e)
	e.assertNoop(docs)
}

// TestEveryAnswerLostOnce: every request's first attempt loses its connection, then is
// retried. With drop-after, Pocket ID applied the request before the connection went: creates
// come back "id taken", secrets are added twice, deletes come back 404. With drop, the request
// never arrived. Each scenario still converges in one run, with nothing duplicated.
func TestEveryAnswerLostOnce(t *testing.T) {
	for _, sc := range faultScenarios {
		for _, fault := range []pocketidtest.Fault{pocketidtest.DropAfter, pocketidtest.Drop} {
			t.Run(sc.name+"/"+fault.String(), func(t *testing.T) { testEveryAnswerLostOnce(t, sc, fault) })
		}
	}
}

func testEveryAnswerLostOnce(t *testing.T, sc faultScenario, fault pocketidtest.Fault) {
	t.Helper()
	e := newTestEnv(t, pocketidtest.Options{})
	docs := sc.setup(e)
	var mu sync.Mutex
	lose := true
	e.srv.SetHook(func(int, *http.Request) pocketidtest.Fault {
		mu.Lock()
		defer mu.Unlock()
		lose = !lose
		if !lose {
			return fault
		}
		return pocketidtest.NoFault
	})
	res := e.mustConverge(docs)
	e.srv.SetHook(nil)
	e.settle(sc.settle, docs)
	sc.check(t, e)
	if sc.name == "create" && res.Clients[0].Outcome != Created {
		t.Errorf("outcome %s, want created", res.Clients[0].Outcome)
	}
	e.assertNoop(docs)
}
