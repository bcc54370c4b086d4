package pocketidtest

import (
	"crypto/rand"
	"crypto/sha256"
	"net/http"
	"net/url"
)

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
