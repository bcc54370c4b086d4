package pocketidtest

import (
	"encoding/json"
	"encoding/pem"
	"fmt"
	"net/http"
	"sort"
	"time"
)

// ClientState is a test's view of one stored client. Secret values are not part of it; ask
// HasSecret.
type ClientState struct {
	ID, Name, Description               string
	CallbackURLs, LogoutCallbackURLs    []string
	LaunchURL                           string
	IsPublic, PkceEnabled               bool
	RequiresReauthentication            bool
	RequiresPushedAuthorizationRequests bool
	SkipConsent, IsGroupRestricted      bool
	AccessTokenDurationMinutes          int
	RefreshTokenDurationMinutes         int
	FederatedIdentities                 []json.RawMessage
	HasLogo, HasDarkLogo                bool
	// Groups are group NAMES.
	Groups  []string
	Secrets []SecretState
}

// SecretState is one stored secret, without its value.
type SecretState struct {
	ID, Prefix string
	CreatedAt  time.Time
	ExpiresAt  *time.Time
	IsActive   bool
}

// AddGroup stores a group named name (friendly name = name) and returns its id.
func (s *Server) AddGroup(name string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	g := &group{ID: s.nextID("group"), Name: name, FriendlyName: name, CreatedAt: s.opts.Now()}
	s.groups[g.ID] = g
	return g.ID
}

// GroupID returns the id of the group named name.
func (s *Server) GroupID(name string) (string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, g := range s.groups {
		if g.Name == name {
			return g.ID, true
		}
	}
	return "", false
}

// PutClient stores c as is (Groups must name existing groups), bypassing validation, so tests
// can start from any state a real server could be in; a 0 token duration, which a real server
// never holds, is stored as the default. Secrets in c are ignored; use AddSecret.
func (s *Server) PutClient(c ClientState) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := &client{
		ID: c.ID, Name: c.Name, Description: c.Description,
		CallbackURLs: c.CallbackURLs, LogoutCallbackURLs: c.LogoutCallbackURLs,
		IsPublic: c.IsPublic, PkceEnabled: c.PkceEnabled,
		RequiresReauthentication:            c.RequiresReauthentication,
		RequiresPushedAuthorizationRequests: c.RequiresPushedAuthorizationRequests,
		SkipConsent:                         c.SkipConsent, IsGroupRestricted: c.IsGroupRestricted,
		// A real server never holds 0: it stores the default instead.
		AccessTokenDurationMinutes:  cmpOr(c.AccessTokenDurationMinutes, DefaultAccessTokenDurationMinutes),
		RefreshTokenDurationMinutes: cmpOr(c.RefreshTokenDurationMinutes, DefaultRefreshTokenDurationMinutes),
		FederatedIdentities:         c.FederatedIdentities, HasLogo: c.HasLogo, HasDarkLogo: c.HasDarkLogo,
		CreatedAt: s.opts.Now(),
	}
	if c.LaunchURL != "" {
		v := c.LaunchURL
		st.LaunchURL = &v
	}
	if old := s.clients[c.ID]; old != nil {
		st.Secrets = old.Secrets
	}
	for _, name := range c.Groups {
		for _, g := range s.groups {
			if g.Name == name {
				st.Groups = append(st.Groups, g.ID)
			}
		}
	}
	s.clients[c.ID] = st
}

// AddSecret registers value for the client as if created at createdAt and returns its id.
func (s *Server) AddSecret(clientID, value string, createdAt time.Time) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.clients[clientID]
	if c == nil {
		panic("pocketidtest: AddSecret for unknown client " + clientID)
	}
	sec := &secret{ID: s.nextID("secret"), Prefix: value[:4], Hash: hashSecret(value), CreatedAt: createdAt, IsActive: true}
	c.Secrets = append(c.Secrets, sec)
	return sec.ID
}

// HasSecret reports whether the token endpoint would accept value for the client, and how many
// stored secrets have value.
func (s *Server) HasSecret(clientID, value string) (valid bool, copies int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.clients[clientID]
	if c == nil {
		return false, 0
	}
	h := hashSecret(value)
	for _, sec := range c.Secrets {
		if sec.Hash == h {
			copies++
		}
	}
	return s.secretMatches(c, value), copies
}

// Client returns the stored client.
func (s *Server) Client(id string) (ClientState, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.clients[id]
	if c == nil {
		return ClientState{}, false
	}
	out := ClientState{
		ID: c.ID, Name: c.Name, Description: c.Description,
		CallbackURLs: c.CallbackURLs, LogoutCallbackURLs: c.LogoutCallbackURLs,
		IsPublic: c.IsPublic, PkceEnabled: c.PkceEnabled,
		RequiresReauthentication:            c.RequiresReauthentication,
		RequiresPushedAuthorizationRequests: c.RequiresPushedAuthorizationRequests,
		SkipConsent:                         c.SkipConsent, IsGroupRestricted: c.IsGroupRestricted,
		AccessTokenDurationMinutes: c.AccessTokenDurationMinutes, RefreshTokenDurationMinutes: c.RefreshTokenDurationMinutes,
		FederatedIdentities: c.FederatedIdentities, HasLogo: c.HasLogo, HasDarkLogo: c.HasDarkLogo,
	}
	if c.LaunchURL != nil {
		out.LaunchURL = *c.LaunchURL
	}
	for _, id := range c.Groups {
		if g := s.groups[id]; g != nil {
			out.Groups = append(out.Groups, g.Name)
		}
	}
	sort.Strings(out.Groups)
	for _, sec := range c.Secrets {
		out.Secrets = append(out.Secrets, SecretState{ID: sec.ID, Prefix: sec.Prefix, CreatedAt: sec.CreatedAt, ExpiresAt: sec.ExpiresAt, IsActive: sec.IsActive})
	}
	return out, true
}

// ClientIDs lists stored client ids, sorted.
func (s *Server) ClientIDs() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	ids := make([]string, 0, len(s.clients))
	for id := range s.clients {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}

// Requests counts admin API requests (not /healthz, not the token endpoint) by method.
func (s *Server) Requests(method string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.byMethod[method]
}

// Reads counts admin API GETs.
func (s *Server) Reads() int { return s.Requests(http.MethodGet) }

// Writes counts admin API requests that may change state (POST, PUT, PATCH, DELETE).
func (s *Server) Writes() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.byMethod[http.MethodPost] + s.byMethod[http.MethodPut] + s.byMethod[http.MethodPatch] + s.byMethod[http.MethodDelete]
}

// TokenRequests counts token endpoint calls (secret proofs); they change no state.
func (s *Server) TokenRequests() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.tokens
}

// Total counts every request the server received, faulted ones included.
func (s *Server) Total() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.requests
}

// RequestLog returns "METHOD /path" of every request that reached the handler, in order.
func (s *Server) RequestLog() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.log...)
}

// ResetCounters zeroes the counters and the request log (not the state, not Total's sequence
// used by FailNth).
func (s *Server) ResetCounters() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.byMethod = map[string]int{}
	s.tokens, s.health = 0, 0
	s.log = nil
}

// CertificatePEM is the PEM of the TLS server's certificate (Options.TLS), for a CA file.
func (s *Server) CertificatePEM() []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: s.Certificate().Raw})
}

// CollidingSecret returns a secret value that shares value's 4-character prefix (the only part
// Pocket ID shows) and differs after it: the i-th of as many as a test needs. Users who choose
// their own secrets produce such pairs all the time (app-..., s3cret-...).
func CollidingSecret(value string, i int) string {
	return fmt.Sprintf("%s-collides-%02d-0123456789", value[:4], i)
}
