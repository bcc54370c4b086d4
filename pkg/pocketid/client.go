package pocketid

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// maxBody bounds every answer read into memory; Pocket ID answers are small.
const maxBody = 4 << 20

// Options configure a Client. BaseURL and APIKey are required.
type Options struct {
	// BaseURL is Pocket ID's APP_URL or in-cluster Service URL, without a path.
	BaseURL string
	// APIKey is sent as X-API-Key, only to BaseURL's origin. It never appears in errors.
	APIKey string
	// CAPEM adds PEM certificates to the system roots. TLS is always verified.
	CAPEM []byte
	// HTTPClient replaces the default transport (tests). CAPEM is ignored when set. Its
	// CheckRedirect is replaced: redirects are never followed.
	HTTPClient *http.Client
	// Retry tunes retries of connection errors, 5xx and 429.
	Retry RetryPolicy
	// Sleep waits between attempts; tests inject one that returns at once.
	Sleep func(ctx context.Context, d time.Duration) error
	// Now is the clock used to interpret Retry-After dates.
	Now func() time.Time
	// UserAgent defaults to "pocketid-oidc".
	UserAgent string
	// Logger, when set, gets a warning per retry and per failed health check, so a run
	// waiting on a slow Pocket ID says why.
	Logger *slog.Logger
}

// Client talks to the Pocket ID admin API. It is safe for concurrent use.
type Client struct {
	base      *url.URL
	apiKey    string
	http      *http.Client
	retry     RetryPolicy
	sleep     func(ctx context.Context, d time.Duration) error
	now       func() time.Time
	userAgent string
	log       *slog.Logger

	mu      sync.Mutex
	version Version
	// lostAnswers counts attempts that got no answer (see LostAnswers).
	lostAnswers atomic.Int64
}

// LostAnswers counts the attempts, over the client's life, that got no answer (the connection
// dropped or timed out) and were retried: each may have been applied by Pocket ID without the
// caller knowing. A caller compares it before and after a call to learn whether that call's
// effect can have happened twice.
func (c *Client) LostAnswers() int64 { return c.lostAnswers.Load() }

// New returns a Client for opts.
func New(opts Options) (*Client, error) {
	u, err := ParseBaseURL(opts.BaseURL)
	if err != nil {
		return nil, err
	}
	if opts.APIKey == "" {
		return nil, errors.New("pocket id API key is empty")
	}
	c := &Client{
		base: u, apiKey: opts.APIKey, retry: opts.Retry.withDefaults(),
		sleep: opts.Sleep, now: opts.Now, userAgent: opts.UserAgent, log: opts.Logger,
	}
	if c.log == nil {
		c.log = slog.New(slog.DiscardHandler)
	}
	if opts.HTTPClient != nil {
		hc := *opts.HTTPClient
		c.http = &hc
	} else {
		tr := http.DefaultTransport.(*http.Transport).Clone()
		tr.TLSClientConfig = &tls.Config{MinVersion: tls.VersionTLS12}
		if len(opts.CAPEM) > 0 {
			pool, err := x509.SystemCertPool()
			if err != nil || pool == nil {
				pool = x509.NewCertPool()
			}
			if !pool.AppendCertsFromPEM(opts.CAPEM) {
				return nil, errors.New("CA file holds no PEM certificate")
			}
			tr.TLSClientConfig.RootCAs = pool
		}
		c.http = &http.Client{Transport: tr, Timeout: 60 * time.Second}
	}
	// Go drops Authorization on a redirect to another host but not X-API-Key: following any
	// redirect could hand the admin key to whoever the Location names. The 3xx becomes an error.
	c.http.CheckRedirect = refuseRedirect
	if c.sleep == nil {
		c.sleep = sleepContext
	}
	if c.now == nil {
		c.now = time.Now
	}
	if c.userAgent == "" {
		c.userAgent = "pocketid-oidc"
	}
	return c, nil
}

// ParseBaseURL checks a Pocket ID base URL (http or https, a host, no trailing slash needed).
func ParseBaseURL(s string) (*url.URL, error) {
	if s == "" {
		return nil, errors.New("pocket id URL is empty")
	}
	u, err := url.Parse(strings.TrimRight(s, "/"))
	if err != nil {
		return nil, fmt.Errorf("pocket id URL: %w", err)
	}
	if u.Scheme != "http" && u.Scheme != "https" || u.Host == "" {
		return nil, fmt.Errorf("pocket id URL %q: want http(s)://host[:port]", s)
	}
	return u, nil
}

func sleepContext(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// request is one logical call; attempts are made by do.
type request struct {
	method string
	path   string
	query  url.Values
	body   any
	// form is sent as application/x-www-form-urlencoded instead of body (token endpoint).
	form url.Values
	// basicUser/basicPass replace X-API-Key (token endpoint).
	basicUser, basicPass string
	noAuth               bool
	// attempts overrides RetryPolicy.MaxAttempts (1: a probe that is not retried).
	attempts int
}

// do runs req with retries and decodes a 2xx JSON answer into out (when non-nil).
func (c *Client) do(ctx context.Context, req request, out any) error {
	var payload []byte
	contentType := ""
	switch {
	case req.form != nil:
		payload = []byte(req.form.Encode())
		contentType = "application/x-www-form-urlencoded"
	case req.body != nil:
		b, err := json.Marshal(req.body)
		if err != nil {
			return fmt.Errorf("encode %s %s: %w", req.method, req.path, err)
		}
		payload = b
		contentType = "application/json"
	}
	u := *c.base
	u.Path = c.base.Path + req.path
	if req.query != nil {
		u.RawQuery = req.query.Encode()
	}
	backoff := c.retry.backoff()
	// lost: an earlier attempt may have reached Pocket ID and been applied, but its answer
	// never arrived (connection dropped or timed out).
	lost := false
	var lastErr error
	for attempt := 1; ; attempt++ {
		status, header, body, err := c.once(ctx, req, u.String(), payload, contentType)
		if err == nil && status >= 200 && status < 300 {
			if p, ok := out.(*[]byte); ok {
				*p = body
				return nil
			}
			if out != nil && len(bytes.TrimSpace(body)) > 0 {
				if err := json.Unmarshal(body, out); err != nil {
					return fmt.Errorf("pocket id: %s %s: decode answer: %w", req.method, req.path, err)
				}
			}
			return nil
		}
		var wait time.Duration
		if err != nil {
			if ctx.Err() != nil {
				return &TransportError{Method: req.method, Path: req.path, Err: fmt.Errorf("%w (last error: %v)", ctx.Err(), err)}
			}
			var re *RedirectError
			if errors.As(err, &re) {
				re.Method, re.Path = req.method, req.path
				return re
			}
			te := &TransportError{Method: req.method, Path: req.path, Err: err}
			if !retryableTransportError(err) {
				return te
			}
			lastErr, lost = te, true
			c.lostAnswers.Add(1)
		} else {
			ae := DecodeAPIError(status, header, body)
			ae.Method, ae.Path, ae.AfterLostAnswer = req.method, req.path, lost
			lastErr = ae
			if status != http.StatusTooManyRequests && status < 500 {
				return ae
			}
			if status == http.StatusTooManyRequests {
				wait = retryAfter(header, c.now())
			}
		}
		if attempt >= c.retry.MaxAttempts || attempt >= req.attempts && req.attempts > 0 {
			return fmt.Errorf("giving up after %d attempts: %w", attempt, lastErr)
		}
		// Jittered, so many Jobs throttled together do not come back in lockstep; a longer
		// Retry-After still wins, jittered on top.
		if d := backoff.Step(); d > wait {
			wait = d
		} else {
			wait = c.retry.afterRetryAfter(wait)
		}
		if dl, ok := ctx.Deadline(); ok && wait > time.Until(dl) {
			// Waiting past the deadline only delays the same failure.
			return fmt.Errorf("no time left to wait %s before retrying: %w", wait.Round(time.Millisecond), lastErr)
		}
		c.log.Warn("pocket id request failed, retrying", "method", req.method, "path", req.path,
			"attempt", attempt, "wait", wait.Round(time.Millisecond).String(), "error", lastErr.Error())
		if err := c.sleep(ctx, wait); err != nil {
			return fmt.Errorf("%w (last error: %w)", err, lastErr)
		}
	}
}

func (c *Client) once(ctx context.Context, req request, u string, payload []byte, contentType string) (int, http.Header, []byte, error) {
	var body io.Reader
	if payload != nil {
		body = bytes.NewReader(payload)
	}
	hr, err := http.NewRequestWithContext(ctx, req.method, u, body)
	if err != nil {
		return 0, nil, nil, err
	}
	if contentType != "" {
		hr.Header.Set("Content-Type", contentType)
	}
	hr.Header.Set("Accept", "application/json")
	hr.Header.Set("User-Agent", c.userAgent)
	switch {
	case req.basicUser != "":
		// RFC 6749 2.3.1: form-encode both parts before Basic encoding.
		hr.SetBasicAuth(url.QueryEscape(req.basicUser), url.QueryEscape(req.basicPass))
	case !req.noAuth:
		hr.Header.Set("X-API-Key", c.apiKey)
	}
	resp, err := c.http.Do(hr)
	if err != nil {
		return 0, nil, nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 300 && resp.StatusCode < 400 {
		return 0, nil, nil, c.redirectError(resp)
	}
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		// A body cut off mid-way is a connection problem: retryable.
		return 0, nil, nil, err
	}
	return resp.StatusCode, resp.Header, b, nil
}
