package pocketidtest

import "net/http"

// Fault is what the server does to one request instead of (or after) answering it.
type Fault int

const (
	// NoFault answers normally.
	NoFault Fault = iota
	// Fail500 answers 500 internal_error without touching state.
	Fail500
	// Drop closes the connection before the request is handled: nothing changed.
	Drop
	// DropAfter handles the request (state changes) and closes the connection instead of
	// answering: the caller cannot know it succeeded.
	DropAfter
	// Throttle answers 429 rate_limited with Retry-After: 1.
	Throttle
	// Redirect answers 307 to the same path on the host set by SetRedirectTarget, as a
	// misconfigured proxy or a moved Pocket ID would. Nothing changes.
	Redirect
)

func (f Fault) String() string {
	return [...]string{"none", "500", "drop", "drop-after", "429", "redirect"}[f]
}

// SetRedirectTarget sets the base URL (scheme://host:port) the Redirect fault points at.
func (s *Server) SetRedirectTarget(base string) {
	s.mu.Lock()
	s.redirectTo = base
	s.mu.Unlock()
}

// Hook decides the fault for the n-th request (1-based, every request counted). It runs
// without the server lock held, so it may block to line up concurrent callers.
type Hook func(n int, r *http.Request) Fault

// SetHook installs (or with nil removes) the fault hook.
func (s *Server) SetHook(h Hook) {
	s.mu.Lock()
	s.hook = h
	s.mu.Unlock()
}

// FailNth makes the n-th request from now fail with f.
func (s *Server) FailNth(n int, f Fault) {
	s.mu.Lock()
	base := s.requests
	s.mu.Unlock()
	s.SetHook(func(i int, _ *http.Request) Fault {
		if i == base+n {
			return f
		}
		return NoFault
	})
}

// ThrottleNext answers the next n requests with 429 and Retry-After: 1.
func (s *Server) ThrottleNext(n int) {
	s.mu.Lock()
	s.throttleN = n
	s.mu.Unlock()
}

func hijackClose(w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		panic("pocketidtest: response writer cannot hijack")
	}
	conn, _, err := hj.Hijack()
	if err == nil {
		conn.Close()
	}
}

// allow is the token bucket of Pocket ID's limiter (one bucket: every test caller is loopback).
func (s *Server) allow() bool {
	if s.opts.RateLimit == nil {
		return true
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.opts.Now()
	s.bucket += now.Sub(s.bucketAt).Seconds() * s.opts.RateLimit.PerSecond
	s.bucketAt = now
	if max := float64(s.opts.RateLimit.Burst); s.bucket > max {
		s.bucket = max
	}
	if s.bucket < 1 {
		return false
	}
	s.bucket--
	return true
}
