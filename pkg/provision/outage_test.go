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

// fakeTime is a sleeper for Main: it advances the shared clock instead of waiting and, once a
// run slept for budget, answers like a context whose deadline passed. Hours of outage take
// milliseconds.
type fakeTime struct {
	clock  *clock
	budget time.Duration

	mu    sync.Mutex
	slept time.Duration
}

func (f *fakeTime) sleep(ctx context.Context, d time.Duration) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.slept+d > f.budget {
		f.clock.Advance(f.budget - f.slept)
		f.slept = f.budget
		return context.DeadlineExceeded
	}
	f.slept += d
	f.clock.Advance(d)
	return ctx.Err()
}

// downUntil drops every connection while the clock is before t: Pocket ID is down.
func downUntil(c *clock, t time.Time) pocketidtest.Hook {
	return func(int, *http.Request) pocketidtest.Fault {
		if c.Now().Before(t) {
			return pocketidtest.Drop
		}
		return pocketidtest.NoFault
	}
}

// outage lets the first client create through, then drops every connection for a while: Pocket
// ID goes down between a client's create and the rest of its setup.
type outage struct {
	clock *clock
	d     time.Duration

	mu    sync.Mutex
	until time.Time
}

func downAfterTheCreate(c *clock, d time.Duration) *outage { return &outage{clock: c, d: d} }

func (o *outage) hook(_ int, r *http.Request) pocketidtest.Fault {
	o.mu.Lock()
	defer o.mu.Unlock()
	now := o.clock.Now()
	if o.until.IsZero() && r.Method == http.MethodPost && r.URL.Path == "/api/oidc/clients" {
		o.until = now.Add(o.d)
		return pocketidtest.NoFault
	}
	if !o.until.IsZero() && now.Before(o.until) {
		return pocketidtest.Drop
	}
	return pocketidtest.NoFault
}

// back is when Pocket ID answers again (zero before the create).
func (o *outage) back() time.Time {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.until
}

// mainFor runs Main with a --timeout of budget in fake time.
func (e *cmdEnv) mainFor(budget time.Duration, args ...string) (int, string) {
	ft := &fakeTime{clock: e.clock, budget: budget}
	var out, errb strings.Builder
	code := Main(context.Background(), append(args, "--timeout", budget.String()), Env{
		Stdout: &out, Stderr: &errb, Getenv: func(k string) string { return e.env[k] },
		Sleep: ft.sleep, Now: e.clock.Now,
	})
	fmt.Fprintf(&e.logs, "%s\n%s\n", out.String(), errb.String())
	return code, out.String() + errb.String()
}

// TestPocketIDDownForAnHour: the Job and its retries (every 10 minutes here) find Pocket ID
// down. Each run waits up to --timeout, logs why, writes nothing and exits 3 (run again later);
// the first run after Pocket ID is back converges, and a run that was waiting when it came back
// says so.
func TestPocketIDDownForAnHour(t *testing.T) {
	e := newCmdEnv(t, pocketidtest.Options{})
	e.srv.AddGroup("family")
	e.secretFile("immich", secretA)
	dir := e.clientsDir(map[string]string{"immich": immichYAML})
	back := e.clock.Now().Add(time.Hour)
	e.srv.SetHook(downUntil(e.clock, back))

	runs := 0
	// Runs of 5 minutes, 4 minutes apart, until less than 7 minutes of the outage are left.
	for ; back.Sub(e.clock.Now()) > 7*time.Minute; runs++ {
		code, out := e.mainFor(5*time.Minute, "-f", dir)
		if code != ExitRetry {
			t.Fatalf("run %d while down: exit %d, want %d\n%s", runs, code, ExitRetry, out)
		}
		var line map[string]any
		for _, l := range jsonLines(t, out) {
			if l["msg"] == "pocket id unusable" {
				line = l
			}
		}
		if line == nil || line["cause"] != "pocket_id_unavailable" || line["retryable"] != true || line["status"] != "failed" ||
			!strings.Contains(str(line["error"]), "waiting for pocket id to be healthy") {
			t.Fatalf("run %d: failure line %v", runs, line)
		}
		e.clock.Advance(4 * time.Minute)
	}
	if runs < 4 {
		t.Fatalf("only %d runs during the outage", runs)
	}
	if ids := e.srv.ClientIDs(); len(ids) != 0 {
		t.Fatalf("clients %v written while Pocket ID was down", ids)
	}
	// This run starts while Pocket ID is still down and sees it come back.
	code, out := e.mainFor(10*time.Minute, "-f", dir)
	if code != ExitOK || !strings.Contains(out, `"msg":"pocket id healthy again"`) || !strings.Contains(out, `"status":"converged"`) {
		t.Fatalf("run across the recovery: exit %d\n%s", code, out)
	}
	e.assertSecret("immich", secretA)
	e.assertNoop(e.docs(immichYAML))
}

// TestPocketIDDownForAnHourAfterTheCreate: Pocket ID goes down right after a client's create,
// before its groups and secret, and stays down for an hour. Every run meanwhile (the Job's
// retries) exits 3 with a structured line naming the cause; the first run after Pocket ID is
// back finds the client it left restricted to nobody, completes it, and logs the recovery: a
// "recovered" line naming client and what, and a converged summary counting it.
func TestPocketIDDownForAnHourAfterTheCreate(t *testing.T) {
	e := newCmdEnv(t, pocketidtest.Options{})
	e.srv.AddGroup("family")
	e.secretFile("immich", secretA)
	dir := e.clientsDir(map[string]string{"immich": immichYAML})
	down := downAfterTheCreate(e.clock, time.Hour)
	e.srv.SetHook(down.hook)
	runs := 0
	for ; runs == 0 || e.clock.Now().Before(down.back()); runs++ {
		code, out := e.mainFor(5*time.Minute, "-f", dir)
		if code != ExitRetry {
			t.Fatalf("run %d while down: exit %d, want %d\n%s", runs, code, ExitRetry, out)
		}
		failed := lineWith(t, out, "client failed")
		if failed == nil {
			failed = lineWith(t, out, "pocket id unusable")
		}
		if failed == nil || failed["cause"] != "pocket_id_unavailable" || failed["retryable"] != true {
			t.Fatalf("run %d: failure line %v\n%s", runs, failed, out)
		}
		e.clock.Advance(10 * time.Minute)
	}
	if runs < 4 {
		t.Fatalf("only %d runs during the outage", runs)
	}
	if c := e.client("immich"); !c.IsGroupRestricted || len(c.Groups) != 0 || len(c.Secrets) != 0 {
		t.Fatalf("left by the outage: %+v, want restricted to nobody, no secret", c)
	}
	code, out := e.mainFor(5*time.Minute, "-f", dir)
	rec := lineWith(t, out, "recovered")
	sum := lineWith(t, out, "summary")
	if code != ExitOK || rec == nil || rec["client"] != "immich" || !strings.Contains(str(rec["what"]), "interrupted run") ||
		sum["status"] != "converged" || sum["recovered"] != 1.0 || sum["updated"] != 1.0 {
		t.Fatalf("run after the outage: exit %d, recovered %v, summary %v\n%s", code, rec, sum, out)
	}
	if ids := e.srv.ClientIDs(); len(ids) != 1 {
		t.Errorf("clients %v, want immich once", ids)
	}
	e.assertSecret("immich", secretA)
	e.assertNoop(e.docs(immichYAML))
}

// TestPocketIDGoesAwayMidRun: Pocket ID disappears after the first client's create for three
// minutes. That client fails (transient), the run waits for Pocket ID before the next client
// instead of failing it too, and the next run completes the first one without duplicates.
func TestPocketIDGoesAwayMidRun(t *testing.T) {
	e := newTestEnv(t, pocketidtest.Options{})
	e.srv.AddGroup("family")
	e.secretFile("immich", secretA)
	e.secretFile("paperless", secretB)
	docs := e.docs(immichYAML + "---\n" + strings.NewReplacer("id: immich", "id: paperless", "$DIR/immich", "$DIR/paperless", "name: Immich", "name: Paperless").Replace(immichYAML))
	e.srv.SetHook(downAfterTheCreate(e.clock, 3*time.Minute).hook)
	ft := &fakeTime{clock: e.clock, budget: 10 * time.Minute}
	res, err := e.tryRunWith(docs, Options{Client: e.apiWith(ft.sleep)})
	if err != nil {
		t.Fatal(err)
	}
	if c := res.Clients[0]; c.Outcome != Failed || c.Cause != CauseUnavailable {
		t.Errorf("immich: %s %s %v, want failed, pocket_id_unavailable", c.Outcome, c.Cause, c.Err)
	}
	if c := res.Clients[1]; c.Outcome != Created {
		t.Errorf("paperless: %s %v, want created after waiting for Pocket ID", c.Outcome, c.Err)
	}
	if !res.Transient() {
		t.Error("the run's failures are not reported as transient")
	}
	e.srv.SetHook(nil)
	e.mustConverge(docs)
	e.assertSecret("immich", secretA)
	e.assertSecret("paperless", secretB)
	e.assertNoop(docs)
}

// TestPocketIDGoneUntilTheDeadline: Pocket ID goes away after the first client's create and does
// not come back before --timeout: the clients after it are reported "not tried", without a
// request, and the run's failures are all transient (exit 3).
func TestPocketIDGoneUntilTheDeadline(t *testing.T) {
	e := newTestEnv(t, pocketidtest.Options{})
	e.srv.AddGroup("family")
	e.secretFile("immich", secretA)
	e.secretFile("paperless", secretB)
	docs := e.docs(immichYAML + "---\n" + strings.NewReplacer("id: immich", "id: paperless", "$DIR/immich", "$DIR/paperless", "name: Immich", "name: Paperless").Replace(immichYAML))
	var mu sync.Mutex
	down := false
	e.srv.SetHook(func(_ int, r *http.Request) pocketidtest.Fault {
		mu.Lock()
		defer mu.Unlock()
		if down {
			return pocketidtest.Drop
		}
		down = r.Method == http.MethodPost && r.URL.Path == "/api/oidc/clients"
		return pocketidtest.NoFault
	})
	ft := &fakeTime{clock: e.clock, budget: 5 * time.Minute}
	res, err := e.tryRunWith(docs, Options{Client: e.apiWith(ft.sleep)})
	if err != nil {
		t.Fatal(err)
	}
	if c := res.Clients[1]; c.Outcome != Failed || c.Cause != CauseUnavailable || !strings.HasPrefix(c.Err.Error(), "not tried: ") {
		t.Errorf("paperless: %s %s %v", c.Outcome, c.Cause, c.Err)
	}
	for _, r := range e.srv.RequestLog() {
		if strings.Contains(r, "paperless") {
			t.Errorf("request %s for a client that was not to be tried", r)
		}
	}
	if !res.Transient() || res.Status() != "failed" {
		t.Errorf("transient %v status %s", res.Transient(), res.Status())
	}
}

// Test429Storm: two of every three requests are throttled for a long stretch. The run rides it
// out in one go, honouring Retry-After, and leaves nothing duplicated.
func Test429Storm(t *testing.T) {
	e := newTestEnv(t, pocketidtest.Options{})
	e.srv.AddGroup("family")
	docs := stormDocs(e, 10)
	e.srv.SetHook(func(n int, _ *http.Request) pocketidtest.Fault {
		if n < 400 && n%3 != 0 {
			return pocketidtest.Throttle
		}
		return pocketidtest.NoFault
	})
	var waits []time.Duration
	sleep := func(ctx context.Context, d time.Duration) error {
		waits = append(waits, d)
		e.clock.Advance(d)
		return ctx.Err()
	}
	res, err := e.tryRunWith(docs, Options{Client: e.apiWith(sleep)})
	if err != nil || !res.OK() {
		t.Fatalf("err %v, summary %+v", err, res.Summary)
	}
	if len(waits) < 50 {
		t.Fatalf("only %d waits: the storm did not happen", len(waits))
	}
	for _, w := range waits {
		if w < time.Second {
			t.Fatalf("waited %s after a 429 with Retry-After: 1", w)
		}
	}
	for i := range 10 {
		id := fmt.Sprintf("storm-%02d", i)
		e.assertSecret(id, stormSecret(i))
	}
	e.srv.SetHook(nil)
	e.assertNoop(docs)
}

func stormSecret(i int) string { return fmt.Sprintf("s%03d-storm-secret-value-0123456789", i) }

func stormDocs(e *testEnv, n int) []Document {
	var sb strings.Builder
	for i := range n {
		id := fmt.Sprintf("storm-%02d", i)
		e.secretFile(id, stormSecret(i))
		fmt.Fprintf(&sb, "---\napiVersion: oidc.endsys.cloud/v1alpha1\nkind: OIDCClient\nspec: {id: %s, callbackURLs: ['https://x.example.com/cb'], allowedGroups: [family], secret: {file: $DIR/%s}}\n", id, id)
	}
	return e.docs(sb.String())
}
