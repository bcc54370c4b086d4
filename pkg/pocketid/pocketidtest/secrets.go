package pocketidtest

import (
	"fmt"
	"net/http"
	"strings"
	"time"
)

func (s *Server) secretJSON(sec *secret) map[string]any {
	return map[string]any{
		"id": sec.ID, "prefix": sec.Prefix, "createdAt": sec.CreatedAt.UTC().Format(time.RFC3339Nano),
		"expiresAt": timeOrNil(sec.ExpiresAt), "isActive": sec.IsActive,
	}
}

func timeOrNil(t *time.Time) any {
	if t == nil {
		return nil
	}
	return t.UTC().Format(time.RFC3339Nano)
}

func (s *Server) listSecrets(w http.ResponseWriter, id string) {
	s.mu.Lock()
	c := s.clients[id]
	out := []any{}
	if c != nil {
		for _, sec := range c.Secrets {
			out = append(out, s.secretJSON(sec))
		}
	}
	s.mu.Unlock()
	if c == nil {
		s.notFound(w, "OIDC client")
		return
	}
	writeJSON(w, http.StatusOK, out)
}

// MaxSecrets is how many secrets one client may hold.
const MaxSecrets = 20

func (s *Server) addSecret(w http.ResponseWriter, r *http.Request, id string) {
	var in struct {
		Secret    string     `json:"secret"`
		ExpiresAt *time.Time `json:"expiresAt"`
	}
	if !s.bindJSON(w, r, &in) {
		return
	}
	if in.ExpiresAt != nil && !in.ExpiresAt.After(s.opts.Now()) {
		s.validationError(w, []fieldError{{"expiresAt", "future", "The expiration date of a client secret must be in the future"}})
		return
	}
	c, value, ok := s.lockSecretTarget(w, id, in.Secret)
	if !ok {
		return
	}
	if len(c.Secrets) >= MaxSecrets {
		s.mu.Unlock()
		s.writeError(w, http.StatusBadRequest, "too_many_secrets", fmt.Sprintf("A client can have at most %d secrets", MaxSecrets), nil)
		return
	}
	sec := s.newSecret(value)
	sec.ExpiresAt = in.ExpiresAt
	c.Secrets = append(c.Secrets, sec)
	body := s.secretJSON(sec)
	s.mu.Unlock()
	body["secret"] = value
	writeJSON(w, http.StatusCreated, body)
}

// lockSecretTarget checks what both secret routes check, in the server's order: the value's
// length, the client's existence, and that it is confidential. On success it returns with s.mu
// held and the value to store (a generated one when the caller sent none); otherwise it has
// answered the request.
func (s *Server) lockSecretTarget(w http.ResponseWriter, id, value string) (*client, string, bool) {
	if value != "" && len(value) < 16 {
		s.validationError(w, []fieldError{{"secret", "min", "secret must be at least 16 characters"}})
		return nil, "", false
	}
	if value != "" && s.atLeast(2, 14) && strings.IndexFunc(value, notPrintASCII) >= 0 {
		// binding:"printascii" on the v2.14 create DTO: a space to a tilde, nothing else.
		s.validationError(w, []fieldError{{"secret", "printascii", "secret must contain only printable ASCII characters"}})
		return nil, "", false
	}
	s.mu.Lock()
	c := s.clients[id]
	if c == nil {
		s.mu.Unlock()
		s.notFound(w, "OIDC client")
		return nil, "", false
	}
	if c.IsPublic {
		s.mu.Unlock()
		s.writeError(w, http.StatusBadRequest, "public_client_secret", "Public clients cannot have a client secret", nil)
		return nil, "", false
	}
	if value == "" {
		value = randomSecret()
	}
	return c, value, true
}

func notPrintASCII(r rune) bool { return r < 0x20 || r > 0x7e }

// newSecret stores only what Pocket ID stores: a hash and a 4-character clear prefix.
func (s *Server) newSecret(value string) *secret {
	return &secret{ID: s.nextID("secret"), Prefix: value[:4], Hash: hashSecret(value), CreatedAt: s.opts.Now(), IsActive: true}
}

func (s *Server) deleteSecret(w http.ResponseWriter, id, secretID string) {
	s.mu.Lock()
	c := s.clients[id]
	found := false
	if c != nil {
		for i, sec := range c.Secrets {
			if sec.ID == secretID {
				c.Secrets = append(c.Secrets[:i:i], c.Secrets[i+1:]...)
				found = true
				break
			}
		}
	}
	s.mu.Unlock()
	switch {
	case c == nil:
		s.notFound(w, "OIDC client")
	case !found:
		s.notFound(w, "Client secret")
	default:
		w.WriteHeader(http.StatusNoContent)
	}
}

// replaceSecret is the singular route of v2.12-2.13: one secret, replaced.
func (s *Server) replaceSecret(w http.ResponseWriter, r *http.Request, id string) {
	var in struct {
		Secret string `json:"secret"`
	}
	// The body is optional on this route, and before v2.12 it is not read at all: the server
	// always generates the value, whatever the caller sent.
	if r.ContentLength != 0 && s.atLeast(2, 12) {
		if !s.bindJSON(w, r, &in) {
			return
		}
	}
	c, value, ok := s.lockSecretTarget(w, id, in.Secret)
	if !ok {
		return
	}
	c.Secrets = []*secret{s.newSecret(value)}
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]string{"secret": value})
}
