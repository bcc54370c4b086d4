package pocketidtest

import (
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
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
	// AppConfig overrides application configuration values (e.g. "emailsVerified": "true");
	// the rest keep Pocket ID's defaults (see DefaultAppConfig).
	AppConfig map[string]string
}

// RateLimit is a token bucket per client IP; Pocket ID's defaults are 100/s, burst 300.
type RateLimit struct {
	PerSecond float64
	Burst     int
}

// DefaultRateLimit is what a real Pocket ID enforces.
var DefaultRateLimit = RateLimit{PerSecond: 100, Burst: 300}

// Server is a fake Pocket ID admin API, as strict as the reference contract. All methods are
// safe for concurrent use.
type Server struct {
	*httptest.Server

	opts    Options
	version [3]int

	mu       sync.Mutex
	clients  map[string]*client
	groups   map[string]*group
	seq      int
	requests int
	byMethod map[string]int
	tokens   int
	health   int
	log      []string
	hook     Hook
	// redirectTo is where the Redirect fault points.
	redirectTo string
	// appConfig is the application configuration (key -> value, as Pocket ID answers it).
	appConfig map[string]appConfigEntry
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
	s.appConfig = defaultAppConfig()
	for k, v := range opts.AppConfig {
		e := s.appConfig[k]
		e.Value = v
		if e.Type == "" {
			e.Type = "string"
		}
		s.appConfig[k] = e
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
	case Redirect:
		s.mu.Lock()
		target := s.redirectTo
		s.mu.Unlock()
		http.Redirect(w, r, target+r.URL.RequestURI(), http.StatusTemporaryRedirect)
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
	if path == "/api/application-configuration" && r.Method == http.MethodGet {
		// Public: no key needed, and only the public settings.
		s.listAppConfig(w, false)
		return
	}
	if r.Header.Get("X-API-Key") != s.opts.APIKey {
		s.writeError(w, http.StatusUnauthorized, "not_signed_in", "You are not signed in", nil)
		return
	}
	seg := strings.Split(strings.TrimPrefix(path, "/api/"), "/")
	m := r.Method
	switch {
	case len(seg) == 2 && seg[0] == "application-configuration" && seg[1] == "all" && m == http.MethodGet:
		s.listAppConfig(w, true)
	case len(seg) == 2 && seg[0] == "version" && seg[1] == "current" && m == http.MethodGet:
		writeJSON(w, http.StatusOK, map[string]string{"version": s.opts.Version})
	case len(seg) == 1 && seg[0] == "user-groups" && m == http.MethodGet:
		s.listGroups(w, r)
	case len(seg) == 1 && seg[0] == "user-groups" && m == http.MethodPost:
		s.createGroup(w, r)
	case len(seg) == 2 && seg[0] == "user-groups" && m == http.MethodGet:
		s.getGroup(w, seg[1])
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
