package pocketid

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// script answers the n-th request with steps[n] (the last one repeats).
type step struct {
	status int
	header map[string]string
	body   string
	drop   bool
}

func scripted(t *testing.T, steps ...step) (*httptest.Server, *[]*http.Request) {
	t.Helper()
	var mu sync.Mutex
	var seen []*http.Request
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		i := len(seen)
		seen = append(seen, r)
		mu.Unlock()
		s := steps[min(i, len(steps)-1)]
		if s.drop {
			conn, _, _ := w.(http.Hijacker).Hijack()
			conn.Close()
			return
		}
		for k, v := range s.header {
			w.Header().Set(k, v)
		}
		w.WriteHeader(s.status)
		_, _ = w.Write([]byte(s.body))
	}))
	t.Cleanup(srv.Close)
	return srv, &seen
}

type sleepRecorder struct {
	mu    sync.Mutex
	slept []time.Duration
}

func (s *sleepRecorder) sleep(ctx context.Context, d time.Duration) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.slept = append(s.slept, d)
	return ctx.Err()
}

func newTestClient(t *testing.T, url string, rec *sleepRecorder) *Client {
	t.Helper()
	// No jitter: the waits are compared exactly (TestRetryJitter covers the jitter).
	c, err := New(Options{BaseURL: url, APIKey: "key-0123456789abcdef", Sleep: rec.sleep, Retry: RetryPolicy{Jitter: -1},
		Now: func() time.Time { return time.Date(2026, 9, 1, 12, 0, 0, 0, time.UTC) }})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestRetries(t *testing.T) {
	ok := step{status: 200, body: `{"id":"c1","name":"C"}`}
	for _, tc := range []struct {
		name     string
		steps    []step
		attempts int
		slept    []time.Duration
		err      string
	}{
		{name: "ok at once", steps: []step{ok}, attempts: 1},
		{name: "500 then ok", steps: []step{{status: 500, body: `{"error":"x","code":"internal_error"}`}, ok}, attempts: 2, slept: []time.Duration{250 * time.Millisecond}},
		{name: "502 from a proxy, then ok", steps: []step{{status: 502, body: "<html>bad gateway</html>"}, {status: 503}, ok}, attempts: 3,
			slept: []time.Duration{250 * time.Millisecond, 500 * time.Millisecond}},
		{name: "dropped connection then ok", steps: []step{{drop: true}, ok}, attempts: 2, slept: []time.Duration{250 * time.Millisecond}},
		{name: "429 honours Retry-After seconds", steps: []step{{status: 429, header: map[string]string{"Retry-After": "3"}, body: `{"error":"slow down","code":"rate_limited"}`}, ok},
			attempts: 2, slept: []time.Duration{3 * time.Second}},
		{name: "429 honours Retry-After date", steps: []step{{status: 429, header: map[string]string{"Retry-After": "Tue, 01 Sep 2026 12:00:05 GMT"}}, ok},
			attempts: 2, slept: []time.Duration{5 * time.Second}},
		{name: "429 without Retry-After waits a second", steps: []step{{status: 429}, ok}, attempts: 2, slept: []time.Duration{time.Second}},
		{name: "backoff is capped", steps: []step{{status: 500}}, attempts: 8,
			slept: []time.Duration{250 * time.Millisecond, 500 * time.Millisecond, time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second, 10 * time.Second},
			err:   "giving up after 8 attempts: pocket id: GET /api/oidc/clients/c1: 500"},
		{name: "400 is not retried", steps: []step{{status: 400, body: `{"error":"bad","code":"validation_failed"}`}}, attempts: 1, err: "400 validation_failed: bad"},
		{name: "401 is not retried", steps: []step{{status: 401, body: `{"error":"no","code":"not_signed_in"}`}}, attempts: 1, err: "not_signed_in"},
		{name: "404 is not retried", steps: []step{{status: 404, body: `{"error":"OIDC client not found","code":"not_found"}`}}, attempts: 1, err: "not_found"},
		{name: "409 is not retried", steps: []step{{status: 409, body: `{"error":"dup","code":"client_id_already_exists"}`}}, attempts: 1, err: "client_id_already_exists"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv, seen := scripted(t, tc.steps...)
			rec := &sleepRecorder{}
			c := newTestClient(t, srv.URL, rec)
			_, err := c.GetClient(context.Background(), "c1")
			if tc.err == "" && err != nil || tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)) {
				t.Fatalf("err %v, want %q", err, tc.err)
			}
			if len(*seen) != tc.attempts {
				t.Errorf("%d attempts, want %d", len(*seen), tc.attempts)
			}
			if !equalDurations(rec.slept, tc.slept) {
				t.Errorf("slept %v, want %v", rec.slept, tc.slept)
			}
		})
	}
}

func TestRetryJitter(t *testing.T) {
	srv, _ := scripted(t, step{status: 503})
	rec := &sleepRecorder{}
	c, err := New(Options{BaseURL: srv.URL, APIKey: "key-0123456789abcdef", Sleep: rec.sleep})
	if err != nil {
		t.Fatal(err)
	}
	_, _ = c.GetClient(context.Background(), "c1")
	base := []time.Duration{250 * time.Millisecond, 500 * time.Millisecond, time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second, 10 * time.Second}
	if len(rec.slept) != len(base) {
		t.Fatalf("slept %v", rec.slept)
	}
	jittered := 0
	for i, d := range rec.slept {
		hi := base[i] + time.Duration(DefaultJitter*float64(base[i]))
		if d < base[i] || d > hi {
			t.Errorf("wait %d: %s, want within [%s, %s]", i, d, base[i], hi)
		}
		if d != base[i] {
			jittered++
		}
	}
	if jittered == 0 {
		t.Errorf("no wait was jittered: %v", rec.slept)
	}
}

// TestRetryAfterIsJittered: every Job throttled by one burst is told the same Retry-After.
// Each waits at least that long, and not all the same: the same second for all of them would
// make the next burst.
func TestRetryAfterIsJittered(t *testing.T) {
	for _, call := range []struct {
		name string
		do   func(ctx context.Context, c *Client) error
	}{
		{"request", func(ctx context.Context, c *Client) error { _, err := c.GetClient(ctx, "c1"); return err }},
		{"health check", func(ctx context.Context, c *Client) error { return c.WaitHealthy(ctx) }},
	} {
		t.Run(call.name, func(t *testing.T) {
			srv, _ := scripted(t, step{status: 429, header: map[string]string{"Retry-After": "3"}})
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			var slept []time.Duration
			sleep := func(ctx context.Context, d time.Duration) error {
				if slept = append(slept, d); len(slept) == 5 {
					cancel()
				}
				return ctx.Err()
			}
			c, err := New(Options{BaseURL: srv.URL, APIKey: "key-0123456789abcdef", Sleep: sleep})
			if err != nil {
				t.Fatal(err)
			}
			_ = call.do(ctx, c)
			if len(slept) < 3 {
				t.Fatalf("slept %v", slept)
			}
			distinct := map[time.Duration]bool{}
			for _, d := range slept[:3] {
				if d < 3*time.Second || d > 3*time.Second+time.Duration(DefaultJitter*float64(3*time.Second)) {
					t.Errorf("waited %s after Retry-After: 3, want within [3s, 4.5s]", d)
				}
				distinct[d] = true
			}
			if len(distinct) == 1 {
				t.Errorf("waits %v after the same Retry-After are all equal: throttled Jobs come back together", slept[:3])
			}
		})
	}
}

func equalDurations(a, b []time.Duration) bool {
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

func TestRetryStopsAtDeadline(t *testing.T) {
	srv, seen := scripted(t, step{status: 429, header: map[string]string{"Retry-After": "120"}})
	rec := &sleepRecorder{}
	c := newTestClient(t, srv.URL, rec)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	_, err := c.GetClient(ctx, "c1")
	if err == nil || !strings.Contains(err.Error(), "no time left to wait 2m0s") || !strings.Contains(err.Error(), "rate_limited") && !strings.Contains(err.Error(), "429") {
		t.Errorf("err %v, want a deadline error naming the 429", err)
	}
	if len(*seen) != 1 || len(rec.slept) != 0 {
		t.Errorf("%d attempts, slept %v; want 1 attempt and no wait", len(*seen), rec.slept)
	}

	cancelled, cancelNow := context.WithCancel(context.Background())
	cancelNow()
	if _, err := c.GetClient(cancelled, "c1"); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled context: err %v", err)
	}
}

func TestRequestHeaders(t *testing.T) {
	srv, seen := scripted(t, step{status: 201, body: `{"id":"c1"}`})
	c := newTestClient(t, srv.URL+"/", &sleepRecorder{})
	if _, err := c.CreateClient(context.Background(), ClientInput{ID: "c1", Name: "C"}); err != nil {
		t.Fatal(err)
	}
	r := (*seen)[0]
	if r.Method != http.MethodPost || r.URL.Path != "/api/oidc/clients" || r.Header.Get("X-API-Key") != "key-0123456789abcdef" ||
		r.Header.Get("Content-Type") != "application/json" || r.Header.Get("Authorization") != "" {
		t.Errorf("request %s %s headers %v", r.Method, r.URL.Path, r.Header)
	}
}

func TestNewRefusesBadOptions(t *testing.T) {
	for _, o := range []Options{
		{APIKey: "k"},
		{BaseURL: "ftp://x", APIKey: "k"},
		{BaseURL: "pocket-id:1411", APIKey: "k"},
		{BaseURL: "http://x"},
		{BaseURL: "http://x", APIKey: "k", CAPEM: []byte("not pem")},
	} {
		if _, err := New(o); err == nil {
			t.Errorf("New(%+v): no error", o)
		} else if strings.Contains(err.Error(), "k\"") {
			t.Errorf("error leaks the key: %v", err)
		}
	}
}

func TestAnswerLost(t *testing.T) {
	conflict := step{status: 409, body: `{"error":"A client with this ID already exists","code":"client_id_already_exists"}`}
	for _, tc := range []struct {
		name  string
		steps []step
		lost  bool
	}{
		// The first POST was applied but its connection dropped: the retry's 409 is our own.
		{"409 after a dropped attempt", []step{{drop: true}, conflict}, true},
		{"409 after a 503", []step{{status: 503}, conflict}, false},
		{"409 at once: someone else", []step{conflict}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv, _ := scripted(t, tc.steps...)
			c := newTestClient(t, srv.URL, &sleepRecorder{})
			_, err := c.CreateClient(context.Background(), ClientInput{ID: "c1", Name: "C"})
			if !HasCode(err, CodeClientIDAlreadyExists) || AnswerLost(err) != tc.lost {
				t.Errorf("err %v, AnswerLost %v; want 409 and %v", err, AnswerLost(err), tc.lost)
			}
		})
	}
}

func TestIsTransient(t *testing.T) {
	for _, tc := range []struct {
		steps     []step
		transient bool
	}{
		{[]step{{status: 503}}, true},
		{[]step{{status: 429}}, true},
		{[]step{{drop: true}}, true},
		{[]step{{status: 401, body: `{"error":"no","code":"not_signed_in"}`}}, false},
		{[]step{{status: 400, body: `{"error":"bad","code":"validation_failed"}`}}, false},
		{[]step{{status: 302, header: map[string]string{"Location": "https://elsewhere.example/"}}}, false},
	} {
		srv, _ := scripted(t, tc.steps...)
		c := newTestClient(t, srv.URL, &sleepRecorder{})
		_, err := c.GetClient(context.Background(), "c1")
		if got := IsTransient(err); got != tc.transient {
			t.Errorf("%+v: IsTransient(%v) = %v", tc.steps[0], err, got)
		}
	}
	if IsTransient(nil) {
		t.Error("nil is transient")
	}
}
