package provision

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/endsys/pocketid-oidc/pkg/pocketid"
	"github.com/endsys/pocketid-oidc/pkg/pocketid/pocketidtest"
)

// clock is a settable clock shared by the fake server and the reconciler.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Date(2026, 9, 1, 12, 0, 0, 0, time.UTC)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// deadlineAfter is a sleeper that returns at once and ends the run's context after n waits:
// the overall deadline passing, without a test waiting for it.
func deadlineAfter(n int, cancel context.CancelFunc) func(context.Context, time.Duration) error {
	var mu sync.Mutex
	return func(ctx context.Context, _ time.Duration) error {
		mu.Lock()
		defer mu.Unlock()
		if n--; n <= 0 {
			cancel()
		}
		return ctx.Err()
	}
}

// noSleep returns at once: retries are tested for what they do, not how long they wait.
func noSleep(ctx context.Context, _ time.Duration) error { return ctx.Err() }

// testEnv is a fake Pocket ID, a clock and a directory for secret files.
type testEnv struct {
	t     *testing.T
	srv   *pocketidtest.Server
	clock *clock
	dir   string
	// logs is everything a run printed: log lines, plans, errors. Every test's logs are
	// scanned for secrets when it ends (scanForSecrets).
	logs syncBuffer

	mu sync.Mutex
	// secrets are every secret value the test wrote to a file or seeded into the fake.
	secrets []string
}

func (e *testEnv) remember(value string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.secrets = append(e.secrets, value)
}

// seedSecret registers value for a client in the fake, as if created at createdAt.
func (e *testEnv) seedSecret(clientID, value string, createdAt time.Time) string {
	e.remember(value)
	return e.srv.AddSecret(clientID, value, createdAt)
}

// scanForSecrets fails the test when any output of its runs holds the API key, a secret value,
// its 4-character prefix (what Pocket ID shows; not even that may be printed), or any 8
// consecutive characters of it. Shorter pieces of these readable test values ("app-", "0123")
// occur in honest output; TestNoSecretBytesInAnyOutput closes that gap with values whose every
// 3 characters are foreign to the output.
func (e *testEnv) scanForSecrets() {
	text := e.logs.String()
	e.mu.Lock()
	values := append([]string(nil), e.secrets...)
	e.mu.Unlock()
	needles := []string{pocketidtest.DefaultAPIKey}
	for _, v := range values {
		needles = append(needles, v, pocketid.SecretPrefix(v))
		for i := 0; i+8 <= len(v); i++ {
			needles = append(needles, v[i:i+8])
		}
	}
	for _, n := range needles {
		if i := strings.Index(text, n); i >= 0 {
			lo, hi := max(0, i-120), min(len(text), i+len(n)+40)
			e.t.Errorf("the output holds %q, a secret or part of one: ...%s...", n, text[lo:hi])
		}
	}
}

// syncBuffer is a bytes.Buffer two concurrent runs may log into.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func newTestEnv(t *testing.T, opts pocketidtest.Options) *testEnv {
	t.Helper()
	e := &testEnv{t: t, clock: newClock(), dir: t.TempDir()}
	if opts.Now == nil {
		opts.Now = e.clock.Now
	}
	e.srv = pocketidtest.New(t, opts)
	t.Cleanup(e.scanForSecrets)
	return e
}

// secretFile writes value (with the trailing newline a Secret mount often has) and returns the
// path.
func (e *testEnv) secretFile(name, value string) string {
	e.t.Helper()
	e.remember(value)
	p := filepath.Join(e.dir, name)
	if err := os.WriteFile(p, []byte(value+"\n"), 0o600); err != nil {
		e.t.Fatal(err)
	}
	return p
}

// docs parses YAML after replacing $DIR with the secret directory.
func (e *testEnv) docs(yaml string) []Document {
	e.t.Helper()
	d, err := ParseDocuments([]byte(strings.ReplaceAll(yaml, "$DIR", e.dir)), "test.yaml")
	if err != nil {
		e.t.Fatal(err)
	}
	return d
}

func (e *testEnv) api() *pocketid.Client { return e.apiWith(noSleep) }

func (e *testEnv) apiWith(sleep func(context.Context, time.Duration) error) *pocketid.Client {
	e.t.Helper()
	c, err := pocketid.New(pocketid.Options{
		BaseURL: e.srv.URL, APIKey: pocketidtest.DefaultAPIKey, Sleep: sleep, Now: e.clock.Now,
		Retry: pocketid.RetryPolicy{MaxAttempts: 4},
	})
	if err != nil {
		e.t.Fatal(err)
	}
	return c
}

// run reconciles docs once and fails the test on a preflight error.
func (e *testEnv) run(docs []Document, plan bool) Result {
	e.t.Helper()
	res, err := e.tryRun(docs, plan)
	if err != nil {
		e.t.Fatalf("Run: %v", err)
	}
	return res
}

func (e *testEnv) tryRun(docs []Document, plan bool) (Result, error) {
	return e.tryRunWith(docs, Options{Plan: plan})
}

// tryRunWith runs with opts (Client, Logger and Now filled in) and keeps the plan and any
// error in the scanned output.
func (e *testEnv) tryRunWith(docs []Document, opts Options) (Result, error) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if opts.Client == nil {
		opts.Client = e.apiWith(deadlineAfter(100, cancel))
	}
	opts.Logger = slog.New(slog.NewJSONHandler(&e.logs, nil))
	opts.Now = e.clock.Now
	res, err := Run(ctx, docs, opts)
	if err != nil {
		fmt.Fprintf(&e.logs, "run error: %v\n", err)
	}
	_ = WritePlan(&e.logs, res)
	return res, err
}

// mustConverge runs and requires every client to converge.
func (e *testEnv) mustConverge(docs []Document) Result {
	e.t.Helper()
	res := e.run(docs, false)
	for _, c := range res.Clients {
		if c.Err != nil {
			e.t.Fatalf("client %s: %v", c.ID, c.Err)
		}
	}
	return res
}

// assertNoop runs again and requires zero writes and every client unchanged.
func (e *testEnv) assertNoop(docs []Document) {
	e.t.Helper()
	e.srv.ResetCounters()
	res := e.mustConverge(docs)
	if w := e.srv.Writes(); w != 0 {
		e.t.Errorf("no-op run made %d writes: %v", w, e.srv.RequestLog())
	}
	for _, c := range res.Clients {
		if c.Outcome != Unchanged {
			e.t.Errorf("no-op run: client %s %s, changes %v", c.ID, c.Outcome, c.Changes)
		}
	}
}

func (e *testEnv) client(id string) pocketidtest.ClientState {
	e.t.Helper()
	c, ok := e.srv.Client(id)
	if !ok {
		e.t.Fatalf("client %s does not exist", id)
	}
	return c
}

// assertSecret requires value to be registered exactly once.
func (e *testEnv) assertSecret(id, value string) {
	e.t.Helper()
	valid, copies := e.srv.HasSecret(id, value)
	if !valid || copies != 1 {
		e.t.Errorf("client %s: secret valid=%v copies=%d, want valid and 1 copy", id, valid, copies)
	}
}

const secretA = "aaaa-first-secret-value-0123456789"
const secretB = "bbbb-second-secret-value-0123456789"

const immichYAML = `
apiVersion: oidc.endsys.cloud/v1alpha1
kind: OIDCClient
metadata: {name: immich}
spec:
  id: immich
  name: Immich
  callbackURLs: [https://photos.example.com/auth/login, app.immich:///oauth-callback]
  logoutCallbackURLs: [https://photos.example.com/logout]
  launchURL: https://photos.example.com
  pkce: true
  allowedGroups: [family]
  secret:
    file: $DIR/immich
`

func discardLogger() *slog.Logger { return slog.New(slog.DiscardHandler) }

func mustVersion(t *testing.T, s string) pocketid.Version {
	t.Helper()
	v, err := pocketid.ParseVersion(s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}
