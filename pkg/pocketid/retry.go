package pocketid

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"k8s.io/apimachinery/pkg/util/wait"
)

// RetryPolicy is an exponential backoff with jitter (apimachinery's wait.Backoff). The overall
// deadline is the context's.
type RetryPolicy struct {
	// MaxAttempts per call, first attempt included. Default 8.
	MaxAttempts int
	// Initial wait after the first failure. Default 250ms; doubled per attempt up to Max.
	Initial time.Duration
	// Max wait between attempts before jitter (a longer Retry-After still wins). Default 10s.
	Max time.Duration
	// Jitter adds up to this fraction of each wait at random, so clients that failed together
	// do not retry together. Default 0.5; negative turns it off (tests that compare waits).
	Jitter float64
}

// DefaultJitter is RetryPolicy.Jitter when unset.
const DefaultJitter = 0.5

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
	switch {
	case p.Jitter == 0:
		p.Jitter = DefaultJitter
	case p.Jitter < 0:
		p.Jitter = 0
	}
	return p
}

// backoff starts a fresh sequence of waits: Initial, doubling, capped at Max, each jittered.
func (p RetryPolicy) backoff() *wait.Backoff {
	return &wait.Backoff{Duration: p.Initial, Factor: 2, Jitter: p.Jitter, Steps: math.MaxInt32, Cap: p.Max}
}

// afterRetryAfter is the wait when Pocket ID's Retry-After outlasts the backoff: at least what
// it asks, plus jitter. Every Job throttled by one burst is told the same Retry-After; without
// the jitter they would all come back in the same second and be throttled together again.
func (p RetryPolicy) afterRetryAfter(d time.Duration) time.Duration {
	if p.Jitter <= 0 || d <= 0 {
		return d
	}
	return wait.Jitter(d, p.Jitter)
}

// TransportError is a request that got no HTTP answer: connection refused or dropped, a
// timeout, a TLS failure, the context ending.
type TransportError struct {
	Method, Path string
	Err          error
}

func (e *TransportError) Error() string {
	return fmt.Sprintf("pocket id: %s %s: %v", e.Method, e.Path, e.Err)
}

func (e *TransportError) Unwrap() error { return e.Err }

// retryableTransportError is false for errors a retry cannot fix: a certificate Pocket ID's
// host does not prove, a malformed URL, a redirect.
func retryableTransportError(err error) bool {
	var uerr *url.Error
	if errors.As(err, &uerr) && uerr.Op == "parse" {
		return false
	}
	var re *RedirectError
	var certErr *tls.CertificateVerificationError
	var unknownAuth x509.UnknownAuthorityError
	var hostErr x509.HostnameError
	var invalid x509.CertificateInvalidError
	if errors.As(err, &re) || errors.As(err, &certErr) || errors.As(err, &unknownAuth) || errors.As(err, &hostErr) || errors.As(err, &invalid) {
		return false
	}
	return true
}

// IsTransient reports whether err is a failure that running again later, unchanged, is
// expected to fix: Pocket ID unreachable or not answering, 5xx, 429, the deadline passing while
// waiting for it. Refusals (4xx), redirects and certificate errors are not transient: a person
// has to change something.
func IsTransient(err error) bool {
	if err == nil {
		return false
	}
	var ae *APIError
	if errors.As(err, &ae) {
		return ae.StatusCode == http.StatusTooManyRequests || ae.StatusCode >= 500
	}
	var te *TransportError
	if errors.As(err, &te) {
		return errors.Is(te.Err, context.DeadlineExceeded) || retryableTransportError(te.Err)
	}
	return errors.Is(err, context.DeadlineExceeded)
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
