package pocketidtest

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"time"
)

// DefaultAPIKey is the admin API key a Server accepts unless Options.APIKey says otherwise.
const DefaultAPIKey = "pocketidtest-static-api-key"

// Options configure a Server.
type Options struct {
	// Version answered by /api/version/current, default "2.14.0". Below 2.14 the server has the
	// singular secret route and no secret listing; below 2.13 errors are {"error": "..."} only and
	// a duplicate client id is a 400.
	Version string
	// APIKey accepted in X-API-Key. Default DefaultAPIKey.
	APIKey string
	// RateLimit tunes Pocket ID's limiter. Nil is Pocket ID's default, DefaultRateLimit: like
	// the real server, the fake limits unless told otherwise.
	RateLimit *RateLimit
	// DisableRateLimiting is DISABLE_RATE_LIMITING=true: no limiter at all.
	DisableRateLimiting bool
	// Now is the server clock (createdAt, expiry, the limiter). Default time.Now.
	Now func() time.Time
	// TLS serves HTTPS with httptest's self-signed certificate (see Server.CertificatePEM).
	TLS bool
}

// RateLimit is a token bucket per client IP; Pocket ID's defaults are 100/s, burst 300.
type RateLimit struct {
	PerSecond float64
	Burst     int
}

// DefaultRateLimit is what a real Pocket ID enforces.
var DefaultRateLimit = RateLimit{PerSecond: 100, Burst: 300}

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
)

func (f Fault) String() string {
	return [...]string{"none", "500", "drop", "drop-after", "429"}[f]
}

// Hook decides the fault for the n-th request (1-based, every request counted). It runs
// without the server lock held, so it may block to line up concurrent callers.
type Hook func(n int, r *http.Request) Fault

// Server is a fake Pocket ID admin API, as strict as the reference contract. All methods are
// safe for concurrent use.
type Server struct {
	*httptest.Server

	opts    Options
	version [3]int

	mu        sync.Mutex
	clients   map[string]*client
	groups    map[string]*group
	seq       int
	requests  int
	byMethod  map[string]int
	tokens    int
	health    int
	log       []string
	hook      Hook
	throttleN int
	bucket    float64
	bucketAt  time.Time
}

type client struct {
	ID, Name, Description               string
	CallbackURLs, LogoutCallbackURLs    []string
	LaunchURL                           *string
	IsPublic, PkceEnabled               bool
	RequiresReauthentication            bool
	RequiresPushedAuthorizationRequests bool
	SkipConsent, IsGroupRestricted      bool
	AccessTokenDurationMinutes          int
	RefreshTokenDurationMinutes         int
	FederatedIdentities                 []json.RawMessage
	HasLogo, HasDarkLogo                bool
	Groups                              []string
	Secrets                             []*secret
	CreatedAt                           time.Time
}

type secret struct {
	ID        string
	Prefix    string
	Hash      [32]byte
	CreatedAt time.Time
	ExpiresAt *time.Time
	IsActive  bool
}

type group struct {
	ID, Name, FriendlyName string
	CreatedAt              time.Time
}

// New starts a fake Pocket ID; it is closed by t.Cleanup when t is non-nil.
func New(t interface{ Cleanup(func()) }, opts Options) *Server {
	if opts.Version == "" {
		opts.Version = "2.14.0"
	}
	if opts.APIKey == "" {
		opts.APIKey = DefaultAPIKey
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.DisableRateLimiting {
		opts.RateLimit = nil
	} else if opts.RateLimit == nil {
		rl := DefaultRateLimit
		opts.RateLimit = &rl
	}
	s := &Server{
		opts:     opts,
		clients:  map[string]*client{},
		groups:   map[string]*group{},
		byMethod: map[string]int{},
	}
	fmt.Sscanf(opts.Version, "%d.%d.%d", &s.version[0], &s.version[1], &s.version[2])
	if opts.RateLimit != nil {
		s.bucket = float64(opts.RateLimit.Burst)
		s.bucketAt = opts.Now()
	}
	s.Server = httptest.NewUnstartedServer(http.HandlerFunc(s.serve))
	// Refused handshakes and dropped connections are what tests provoke, not news.
	s.Config.ErrorLog = log.New(io.Discard, "", 0)
	if opts.TLS {
		s.StartTLS()
	} else {
		s.Start()
	}
	if t != nil {
		t.Cleanup(s.Close)
	}
	return s
}

func (s *Server) atLeast(major, minor int) bool {
	return s.version[0] > major || s.version[0] == major && s.version[1] >= minor
}

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

func (s *Server) nextID(prefix string) string {
	s.seq++
	return fmt.Sprintf("%s-%08d-0000-4000-8000-000000000000", prefix, s.seq)
}

// serve is the whole request pipeline: count, fault, rate limit, auth, route.
func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.requests++
	n := s.requests
	hook := s.hook
	throttle := s.throttleN > 0
	if throttle {
		s.throttleN--
	}
	s.mu.Unlock()

	fault := NoFault
	if hook != nil {
		fault = hook(n, r)
	}
	if throttle {
		fault = Throttle
	}
	switch fault {
	case Drop:
		hijackClose(w)
		return
	case Fail500:
		s.recordRequest(r)
		s.writeError(w, http.StatusInternalServerError, "internal_error", "Something went wrong", nil)
		return
	case Throttle:
		s.recordRequest(r)
		w.Header().Set("Retry-After", "1")
		s.writeError(w, http.StatusTooManyRequests, "rate_limited", "Too many requests", nil)
		return
	}
	if !s.allow() {
		s.recordRequest(r)
		w.Header().Set("Retry-After", "1")
		s.writeError(w, http.StatusTooManyRequests, "rate_limited", "Too many requests", nil)
		return
	}
	s.recordRequest(r)
	if fault == DropAfter {
		rec := httptest.NewRecorder()
		s.route(rec, r)
		hijackClose(w)
		return
	}
	s.route(w, r)
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

func (s *Server) recordRequest(r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case r.URL.Path == "/healthz":
		s.health++
	case r.URL.Path == "/api/oidc/token":
		s.tokens++
	default:
		s.byMethod[r.Method]++
	}
	s.log = append(s.log, r.Method+" "+r.URL.Path)
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

func (s *Server) route(w http.ResponseWriter, r *http.Request) {
	path := r.URL.Path
	if path == "/healthz" && r.Method == http.MethodGet {
		w.WriteHeader(http.StatusNoContent)
		return
	}
	if path == "/api/oidc/token" && r.Method == http.MethodPost {
		s.token(w, r)
		return
	}
	if !strings.HasPrefix(path, "/api/") {
		notFoundRoute(w)
		return
	}
	if r.Header.Get("X-API-Key") != s.opts.APIKey {
		s.writeError(w, http.StatusUnauthorized, "not_signed_in", "You are not signed in", nil)
		return
	}
	seg := strings.Split(strings.TrimPrefix(path, "/api/"), "/")
	m := r.Method
	switch {
	case len(seg) == 2 && seg[0] == "version" && seg[1] == "current" && m == http.MethodGet:
		writeJSON(w, http.StatusOK, map[string]string{"version": s.opts.Version})
	case len(seg) == 1 && seg[0] == "user-groups" && m == http.MethodGet:
		s.listGroups(w, r)
	case len(seg) == 1 && seg[0] == "user-groups" && m == http.MethodPost:
		s.createGroup(w, r)
	case len(seg) == 2 && seg[0] == "oidc" && seg[1] == "clients" && m == http.MethodGet:
		s.listClients(w, r)
	case len(seg) == 2 && seg[0] == "oidc" && seg[1] == "clients" && m == http.MethodPost:
		s.createClient(w, r)
	case len(seg) == 3 && seg[0] == "oidc" && seg[1] == "clients":
		switch m {
		case http.MethodGet:
			s.getClient(w, seg[2])
		case http.MethodPut:
			s.updateClient(w, r, seg[2])
		case http.MethodDelete:
			s.deleteClient(w, seg[2])
		default:
			notFoundRoute(w)
		}
	case len(seg) == 4 && seg[0] == "oidc" && seg[1] == "clients" && seg[3] == "allowed-user-groups" && m == http.MethodPut:
		s.setGroups(w, r, seg[2])
	case len(seg) == 4 && seg[0] == "oidc" && seg[1] == "clients" && seg[3] == "secrets" && s.atLeast(2, 14) && m == http.MethodGet:
		s.listSecrets(w, seg[2])
	case len(seg) == 4 && seg[0] == "oidc" && seg[1] == "clients" && seg[3] == "secrets" && s.atLeast(2, 14) && m == http.MethodPost:
		s.addSecret(w, r, seg[2])
	case len(seg) == 5 && seg[0] == "oidc" && seg[1] == "clients" && seg[3] == "secrets" && s.atLeast(2, 14) && m == http.MethodDelete:
		s.deleteSecret(w, seg[2], seg[4])
	case len(seg) == 4 && seg[0] == "oidc" && seg[1] == "clients" && seg[3] == "secret" && !s.atLeast(2, 14) && m == http.MethodPost:
		s.replaceSecret(w, r, seg[2])
	default:
		notFoundRoute(w)
	}
}

// notFoundRoute is the router's answer to an unknown route: plain text, no JSON body.
func notFoundRoute(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "text/plain")
	w.WriteHeader(http.StatusNotFound)
	fmt.Fprint(w, "404 page not found")
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// writeError writes the error body of the configured version.
func (s *Server) writeError(w http.ResponseWriter, status int, code, msg string, details map[string]any) {
	if !s.atLeast(2, 13) {
		writeJSON(w, status, map[string]any{"error": msg})
		return
	}
	s.mu.Lock()
	s.seq++
	rid := fmt.Sprintf("00000000-0000-4000-8000-%012d", s.seq)
	s.mu.Unlock()
	body := map[string]any{"error": msg, "code": code, "request_id": rid}
	if details != nil {
		body["details"] = details
	}
	w.Header().Set("X-Request-Id", rid)
	writeJSON(w, status, body)
}

type fieldError struct {
	Field   string `json:"field"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

func (s *Server) validationError(w http.ResponseWriter, errs []fieldError) {
	s.writeError(w, http.StatusBadRequest, "validation_failed", "Validation failed: "+errs[0].Message,
		map[string]any{"fields": errs})
}

func (s *Server) notFound(w http.ResponseWriter, resource string) {
	s.writeError(w, http.StatusNotFound, "not_found", resource+" not found", map[string]any{"resource": resource})
}

// bindJSON enforces the content type and decodes like Gin's binding: unknown keys ignored,
// type mismatches refused.
func (s *Server) bindJSON(w http.ResponseWriter, r *http.Request, v any) bool {
	ct := r.Header.Get("Content-Type")
	if i := strings.Index(ct, ";"); i >= 0 {
		ct = ct[:i]
	}
	if strings.TrimSpace(strings.ToLower(ct)) != "application/json" {
		s.writeError(w, http.StatusBadRequest, "invalid_request_body", "Content-Type must be application/json", nil)
		return false
	}
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20)).Decode(v); err != nil {
		s.writeError(w, http.StatusBadRequest, "invalid_request_body", "Invalid request body", nil)
		return false
	}
	return true
}

func randomSecret() string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b)
}

func hashSecret(v string) [32]byte { return sha256.Sum256([]byte(v)) }

// token is POST /api/oidc/token, only as far as client_credentials goes.
func (s *Server) token(w http.ResponseWriter, r *http.Request) {
	oauthErr := func(status int, code, desc string) {
		writeJSON(w, status, map[string]string{"error": code, "error_description": desc})
	}
	if err := r.ParseForm(); err != nil {
		oauthErr(http.StatusBadRequest, "invalid_request", "malformed form")
		return
	}
	if gt := r.PostForm.Get("grant_type"); gt != "client_credentials" {
		oauthErr(http.StatusBadRequest, "unsupported_grant_type", "only client_credentials is faked")
		return
	}
	id, sec, basic := r.BasicAuth()
	if basic {
		var err1, err2 error
		id, err1 = unescape(id)
		sec, err2 = unescape(sec)
		if err1 != nil || err2 != nil || r.PostForm.Has("client_secret") {
			oauthErr(http.StatusBadRequest, "invalid_request", "malformed client authentication")
			return
		}
	} else {
		id, sec = r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.clients[id]
	if c == nil || c.IsPublic || sec == "" || !s.secretMatches(c, sec) {
		w.Header().Set("WWW-Authenticate", `Basic realm="pocket-id"`)
		writeJSON(w, http.StatusUnauthorized, map[string]string{"error": "invalid_client", "error_description": "client authentication failed"})
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"access_token": "fake-access-token", "token_type": "Bearer", "expires_in": 3600})
}

func unescape(s string) (string, error) {
	return url.QueryUnescape(s)
}

func (s *Server) secretMatches(c *client, value string) bool {
	h := hashSecret(value)
	now := s.opts.Now()
	for _, sec := range c.Secrets {
		if sec.Hash == h && sec.IsActive && (sec.ExpiresAt == nil || sec.ExpiresAt.After(now)) {
			return true
		}
	}
	return false
}
