package pocketidtest

import (
	"net/http"
	"sort"
)

// appConfigEntry is one application configuration variable.
type appConfigEntry struct {
	Type, Value string
	Public      bool
}

// DefaultAppConfig is the part of Pocket ID's application configuration the fake answers, with
// Pocket ID's defaults: in particular emailsVerified is false, so email_verified is false for
// every user until an admin turns it on.
var DefaultAppConfig = map[string]string{
	"appName":             "Pocket ID",
	"sessionDuration":     "60",
	"emailsVerified":      "false",
	"allowOwnAccountEdit": "true",
	"disableAnimations":   "false",
}

// publicAppConfig are the keys the unauthenticated listing answers; emailsVerified is not one.
var publicAppConfig = map[string]bool{"appName": true, "allowOwnAccountEdit": true, "disableAnimations": true}

func defaultAppConfig() map[string]appConfigEntry {
	out := map[string]appConfigEntry{}
	for k, v := range DefaultAppConfig {
		typ := "string"
		switch v {
		case "true", "false":
			typ = "bool"
		}
		if k == "sessionDuration" {
			typ = "number"
		}
		out[k] = appConfigEntry{Type: typ, Value: v, Public: publicAppConfig[k]}
	}
	return out
}

// SetAppConfig sets one application configuration value, as an admin would in the UI.
func (s *Server) SetAppConfig(key, value string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e := s.appConfig[key]
	if e.Type == "" {
		e.Type = "string"
	}
	e.Value = value
	s.appConfig[key] = e
}

// listAppConfig is GET /api/application-configuration (public keys, without isPublic) and
// GET /api/application-configuration/all (admin: every key, with isPublic).
func (s *Server) listAppConfig(w http.ResponseWriter, all bool) {
	s.mu.Lock()
	keys := make([]string, 0, len(s.appConfig))
	for k := range s.appConfig {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := []map[string]any{}
	for _, k := range keys {
		e := s.appConfig[k]
		switch {
		case all:
			out = append(out, map[string]any{"key": k, "type": e.Type, "value": e.Value, "isPublic": e.Public})
		case e.Public:
			out = append(out, map[string]any{"key": k, "type": e.Type, "value": e.Value})
		}
	}
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, out)
}
