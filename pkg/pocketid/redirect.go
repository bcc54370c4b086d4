package pocketid

import (
	"fmt"
	"net/http"
)

// RedirectError is a 3xx answer. Redirects are never followed: the API key (X-API-Key) and
// client secrets (token endpoint) go to the configured origin only. It names where the
// redirect pointed by host alone; the rest of a Location can carry anything.
type RedirectError struct {
	Method, Path string
	StatusCode   int
	// LocationHost is the host (and port) the Location header names; "" when absent or
	// unreadable.
	LocationHost string
	// Origin is the configured Pocket ID host the client keeps to.
	Origin string
}

func (e *RedirectError) Error() string {
	to := "without a readable Location"
	if e.LocationHost != "" {
		to = "to host " + e.LocationHost
	}
	return fmt.Sprintf("pocket id: %s %s: answered %d %s, pointing %s; redirects are not followed, so the API key only goes to %s (set POCKETID_URL to the address Pocket ID answers on itself)",
		e.Method, e.Path, e.StatusCode, http.StatusText(e.StatusCode), to, e.Origin)
}

// refuseRedirect is every Client's http.Client.CheckRedirect: the 3xx answer is returned
// unfollowed, and once turns it into a RedirectError.
func refuseRedirect(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

func (c *Client) redirectError(resp *http.Response) *RedirectError {
	e := &RedirectError{StatusCode: resp.StatusCode, Origin: c.base.Host}
	if loc, err := resp.Location(); err == nil {
		e.LocationHost = loc.Host
	}
	return e
}
