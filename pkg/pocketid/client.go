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
	"strconv"
	"strings"
	"sync"
	"time"
)

// maxBody bounds every answer read into memory; Pocket ID answers are small.
const maxBody = 4 << 20

// Options configure a Client. BaseURL and APIKey are required.
type Options struct {
	// BaseURL is Pocket ID's APP_URL or in-cluster Service URL, without a path.
	BaseURL string
	// APIKey is sent as X-API-Key. It never appears in errors.
	APIKey string
	// CAPEM adds PEM certificates to the system roots. TLS is always verified.
	CAPEM []byte
	// HTTPClient replaces the default transport (tests). CAPEM is ignored when set.
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
}

// New returns a Client for opts.
func New(opts Options) (*Client, error) {
	if opts.BaseURL == "" {
		return nil, errors.New("pocket id URL is empty")
	}
	u, err := url.Parse(strings.TrimRight(opts.BaseURL, "/"))
	if err != nil {
		return nil, fmt.Errorf("pocket id URL: %w", err)
	}
	if u.Scheme != "http" && u.Scheme != "https" || u.Host == "" {
		return nil, fmt.Errorf("pocket id URL %q: want http(s)://host[:port]", opts.BaseURL)
	}
	if opts.APIKey == "" {
		return nil, errors.New("pocket id API key is empty")
	}
	c := &Client{
		base: u, apiKey: opts.APIKey, http: opts.HTTPClient, retry: opts.Retry.withDefaults(),
		sleep: opts.Sleep, now: opts.Now, userAgent: opts.UserAgent, log: opts.Logger,
	}
	if c.log == nil {
		c.log = slog.New(slog.DiscardHandler)
	}
	if c.http == nil {
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
				return fmt.Errorf("pocket id: %s %s: %w (last error: %v)", req.method, req.path, ctx.Err(), err)
			}
			if !retryableTransportError(err) {
				return fmt.Errorf("pocket id: %s %s: %w", req.method, req.path, err)
			}
			lastErr = fmt.Errorf("pocket id: %s %s: %w", req.method, req.path, err)
		} else {
			ae := DecodeAPIError(status, header, body)
			ae.Method, ae.Path = req.method, req.path
			lastErr = ae
			if status != http.StatusTooManyRequests && status < 500 {
				return ae
			}
			if status == http.StatusTooManyRequests {
				wait = retryAfter(header, c.now())
			}
		}
		if attempt >= c.retry.MaxAttempts {
			return fmt.Errorf("giving up after %d attempts: %w", attempt, lastErr)
		}
		if d := c.retry.backoff(attempt); d > wait {
			wait = d
		}
		if dl, ok := ctx.Deadline(); ok && wait > time.Until(dl) {
			// Waiting past the deadline only delays the same failure.
			return fmt.Errorf("no time left to wait %s before retrying: %w", wait, lastErr)
		}
		c.log.Warn("pocket id request failed, retrying", "method", req.method, "path", req.path,
			"attempt", attempt, "wait", wait.String(), "error", lastErr.Error())
		if err := c.sleep(ctx, wait); err != nil {
			return fmt.Errorf("%w (last error: %v)", err, lastErr)
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
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		// A body cut off mid-way is a connection problem: retryable.
		return 0, nil, nil, err
	}
	return resp.StatusCode, resp.Header, b, nil
}

// retryableTransportError is false for errors a retry cannot fix: a certificate Pocket ID's
// host does not prove, a malformed URL.
func retryableTransportError(err error) bool {
	var uerr *url.Error
	if errors.As(err, &uerr) && uerr.Op == "parse" {
		return false
	}
	var certErr *tls.CertificateVerificationError
	var unknownAuth x509.UnknownAuthorityError
	var hostErr x509.HostnameError
	var invalid x509.CertificateInvalidError
	if errors.As(err, &certErr) || errors.As(err, &unknownAuth) || errors.As(err, &hostErr) || errors.As(err, &invalid) {
		return false
	}
	return true
}

// retryAfter reads Retry-After as seconds or an HTTP date; 1s when absent or unreadable, since
// Pocket ID's limiter refills per second.
func retryAfter(h http.Header, now time.Time) time.Duration {
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return time.Second
	}
	if s, err := strconv.Atoi(v); err == nil && s >= 0 {
		return time.Duration(s) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil {
		if d := t.Sub(now); d > 0 {
			return d
		}
		return 0
	}
	return time.Second
}

// RetryPolicy is a capped exponential backoff. The overall deadline is the context's.
type RetryPolicy struct {
	// MaxAttempts per call, first attempt included. Default 8.
	MaxAttempts int
	// Initial wait after the first failure. Default 250ms; doubled per attempt up to Max.
	Initial time.Duration
	// Max wait between attempts (a longer Retry-After still wins). Default 10s.
	Max time.Duration
}

func (p RetryPolicy) withDefaults() RetryPolicy {
	if p.MaxAttempts <= 0 {
		p.MaxAttempts = 8
	}
	if p.Initial <= 0 {
		p.Initial = 250 * time.Millisecond
	}
	if p.Max <= 0 {
		p.Max = 10 * time.Second
	}
	return p
}

func (p RetryPolicy) backoff(attempt int) time.Duration {
	d := p.Initial
	for i := 1; i < attempt && d < p.Max; i++ {
		d *= 2
	}
	if d > p.Max {
		d = p.Max
	}
	return d
}
