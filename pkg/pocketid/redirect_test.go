package pocketid

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
)

// TestRedirectsAreNotFollowed: Pocket ID (or a proxy in front of it) answering a redirect to
// another server must not hand that server the API key or a client secret. The other server is
// a real loopback listener that records every request it gets: it must get none.
func TestRedirectsAreNotFollowed(t *testing.T) {
	const key = "key-0123456789abcdef"
	var mu sync.Mutex
	var leaked []http.Header
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		leaked = append(leaked, r.Header.Clone())
		mu.Unlock()
		w.WriteHeader(http.StatusOK)
	}))
	t.Cleanup(other.Close)
	otherHost := strings.TrimPrefix(other.URL, "http://")

	for _, status := range []int{http.StatusMovedPermanently, http.StatusFound, http.StatusTemporaryRedirect, http.StatusPermanentRedirect} {
		for _, call := range []struct {
			name string
			do   func(c *Client) error
		}{
			{"admin GET", func(c *Client) error { _, err := c.GetClient(context.Background(), "c1"); return err }},
			{"admin POST", func(c *Client) error {
				_, err := c.CreateClient(context.Background(), ClientInput{ID: "c1", Name: "C"})
				return err
			}},
			{"healthz", func(c *Client) error { return c.Healthy(context.Background()) }},
			{"token", func(c *Client) error {
				_, err := c.CheckClientSecret(context.Background(), "c1", "client-secret-0123456789")
				return err
			}},
		} {
			t.Run(http.StatusText(status)+"/"+call.name, func(t *testing.T) {
				srv, seen := scripted(t, step{status: status, header: map[string]string{"Location": other.URL + "/steal?x=1"}})
				c, err := New(Options{BaseURL: srv.URL, APIKey: key, Sleep: (&sleepRecorder{}).sleep})
				if err != nil {
					t.Fatal(err)
				}
				err = call.do(c)
				var re *RedirectError
				if !errors.As(err, &re) || re.LocationHost != otherHost || re.StatusCode != status {
					t.Fatalf("err %v, want a RedirectError naming %s", err, otherHost)
				}
				msg := err.Error()
				if !strings.Contains(msg, "to host "+otherHost) || strings.Contains(msg, key) || strings.Contains(msg, "steal") || strings.Contains(msg, "client-secret") {
					t.Errorf("error %q: want the Location host named, nothing else of it, no key or secret", msg)
				}
				if len(*seen) != 1 {
					t.Errorf("Pocket ID got %d requests, want 1 (a redirect is not retried)", len(*seen))
				}
				if IsTransient(err) {
					t.Error("a redirect counts as transient: it would be retried forever")
				}
			})
		}
	}
	mu.Lock()
	defer mu.Unlock()
	if len(leaked) != 0 {
		t.Errorf("the other server got %d requests, first headers %v", len(leaked), leaked[0])
	}
}

func TestRelativeRedirectIsRefusedToo(t *testing.T) {
	srv, seen := scripted(t, step{status: http.StatusFound, header: map[string]string{"Location": "/login"}})
	c := newTestClient(t, srv.URL, &sleepRecorder{})
	_, err := c.GetClient(context.Background(), "c1")
	u, _ := url.Parse(srv.URL)
	var re *RedirectError
	if !errors.As(err, &re) || re.LocationHost != u.Host {
		t.Fatalf("err %v, want a RedirectError naming %s", err, u.Host)
	}
	if len(*seen) != 1 {
		t.Errorf("%d requests, want 1: the redirect was followed", len(*seen))
	}
}
