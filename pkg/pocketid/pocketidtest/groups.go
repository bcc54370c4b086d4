package pocketidtest

import (
	"net/http"
	"slices"
	"sort"
	"strings"
	"time"
)

func (s *Server) listGroups(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	search := strings.ToLower(r.URL.Query().Get("search"))
	var list []*group
	for _, g := range s.groups {
		if strings.Contains(strings.ToLower(g.Name), search) || strings.Contains(strings.ToLower(g.FriendlyName), search) {
			list = append(list, g)
		}
	}
	sort.Slice(list, func(i, j int) bool {
		return list[i].FriendlyName+"\x00"+list[i].ID < list[j].FriendlyName+"\x00"+list[j].ID
	})
	start, end, p := paginate(r.URL.Query(), len(list))
	data := []any{}
	for _, g := range list[start:end] {
		data = append(data, s.groupJSON(g))
	}
	writeJSON(w, http.StatusOK, map[string]any{"data": data, "pagination": p})
}

func (s *Server) groupJSON(g *group) map[string]any {
	users := 0
	return map[string]any{"id": g.ID, "friendlyName": g.FriendlyName, "name": g.Name, "customClaims": []any{}, "userCount": users, "ldapId": nil, "createdAt": g.CreatedAt.UTC().Format(time.RFC3339Nano)}
}

// getGroup is GET /api/user-groups/{id}: the group with its custom claims, its users (the fake
// has none) and the clients it is allowed on, as OIDC client metadata, in client id order.
func (s *Server) getGroup(w http.ResponseWriter, id string) {
	s.mu.Lock()
	g := s.groups[id]
	var body map[string]any
	if g != nil {
		body = s.groupJSON(g)
		delete(body, "userCount")
		body["users"] = []any{}
		var ids []string
		for cid, c := range s.clients {
			if slices.Contains(c.Groups, g.ID) {
				ids = append(ids, cid)
			}
		}
		sort.Strings(ids)
		allowed := []any{}
		for _, cid := range ids {
			c := s.clients[cid]
			allowed = append(allowed, map[string]any{"id": c.ID, "name": c.Name, "description": c.Description,
				"hasLogo": c.HasLogo, "hasDarkLogo": c.HasDarkLogo, "launchURL": c.LaunchURL,
				"requiresReauthentication": c.RequiresReauthentication, "clientType": "standard"})
		}
		body["allowedOidcClients"] = allowed
	}
	s.mu.Unlock()
	if g == nil {
		s.notFound(w, "User group")
		return
	}
	writeJSON(w, http.StatusOK, body)
}

func (s *Server) createGroup(w http.ResponseWriter, r *http.Request) {
	var in struct {
		FriendlyName string `json:"friendlyName"`
		Name         string `json:"name"`
	}
	if !s.bindJSON(w, r, &in) {
		return
	}
	var errs []fieldError
	if n := len([]rune(in.FriendlyName)); n < 2 || n > 50 {
		errs = append(errs, fieldError{"friendlyName", "len", "friendlyName must be between 2 and 50 characters"})
	}
	if n := len([]rune(in.Name)); n < 2 || n > 255 {
		errs = append(errs, fieldError{"name", "len", "name must be between 2 and 255 characters"})
	}
	if len(errs) > 0 {
		s.validationError(w, errs)
		return
	}
	s.mu.Lock()
	for _, g := range s.groups {
		if g.Name == in.Name {
			s.mu.Unlock()
			s.writeError(w, http.StatusConflict, "already_in_use", "Name is already in use", map[string]any{"property": "name"})
			return
		}
	}
	g := &group{ID: s.nextID("group"), Name: in.Name, FriendlyName: in.FriendlyName, CreatedAt: s.opts.Now()}
	s.groups[g.ID] = g
	body := s.groupJSON(g)
	s.mu.Unlock()
	writeJSON(w, http.StatusCreated, body)
}
