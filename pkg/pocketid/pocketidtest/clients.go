package pocketidtest

import (
	"net/http"
	"sort"
	"strings"
	"time"
)

// groupsShape is how a client answer carries its allowed groups.
type groupsShape int

const (
	// groupObjects: GET one client, POST, PUT (allowedUserGroups: [{...}]).
	groupObjects groupsShape = iota
	// groupCount: the list call (allowedUserGroupsCount).
	groupCount
	// noGroups: PUT allowed-user-groups, which answers the plain client DTO without any
	// group field: the answer cannot tell which ids were kept.
	noGroups
)

// clientJSON renders the answer of the configured version in the given shape.
func (s *Server) clientJSON(c *client, shape groupsShape) map[string]any {
	creds := map[string]any{}
	if len(c.FederatedIdentities) > 0 {
		creds["federatedIdentities"] = c.FederatedIdentities
	}
	if s.atLeast(2, 14) {
		secs := []any{}
		for _, sec := range c.Secrets {
			secs = append(secs, s.secretJSON(sec))
		}
		creds["secrets"] = secs
	}
	m := map[string]any{
		"id": c.ID, "name": c.Name, "description": c.Description, "hasLogo": c.HasLogo,
		"hasDarkLogo": c.HasDarkLogo, "launchURL": c.LaunchURL,
		"requiresReauthentication": c.RequiresReauthentication, "clientType": "standard",
		"callbackURLs": nonNil(c.CallbackURLs), "logoutCallbackURLs": nonNil(c.LogoutCallbackURLs),
		"isPublic": c.IsPublic, "pkceEnabled": c.PkceEnabled,
		"requiresPushedAuthorizationRequests": c.RequiresPushedAuthorizationRequests,
		"skipConsent":                         c.SkipConsent, "credentials": creds,
		"isGroupRestricted":           c.IsGroupRestricted,
		"accessTokenDurationMinutes":  c.AccessTokenDurationMinutes,
		"refreshTokenDurationMinutes": c.RefreshTokenDurationMinutes,
	}
	switch shape {
	case groupObjects:
		gs := []any{}
		for _, id := range c.Groups {
			if g := s.groups[id]; g != nil {
				gs = append(gs, map[string]any{"id": g.ID, "friendlyName": g.FriendlyName, "name": g.Name, "customClaims": []any{}, "ldapId": nil, "createdAt": g.CreatedAt.UTC().Format(time.RFC3339Nano)})
			}
		}
		m["allowedUserGroups"] = gs
	case groupCount:
		m["allowedUserGroupsCount"] = len(c.Groups)
	}
	return m
}

func (s *Server) listClients(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	search := strings.ToLower(r.URL.Query().Get("search"))
	var list []*client
	for _, c := range s.clients {
		if strings.Contains(strings.ToLower(c.Name), search) {
			list = append(list, c)
		}
	}
	sort.Slice(list, func(i, j int) bool {
		if list[i].Name != list[j].Name {
			return list[i].Name < list[j].Name
		}
		return list[i].ID < list[j].ID
	})
	start, end, p := paginate(r.URL.Query(), len(list))
	data := []any{}
	for _, c := range list[start:end] {
		data = append(data, s.clientJSON(c, groupCount))
	}
	writeJSON(w, http.StatusOK, map[string]any{"data": data, "pagination": p})
}

func (s *Server) createClient(w http.ResponseWriter, r *http.Request) {
	var in clientInput
	if !s.bindJSON(w, r, &in) {
		return
	}
	if errs := in.validate(true); len(errs) > 0 {
		s.validationError(w, errs)
		return
	}
	s.mu.Lock()
	id := in.ID
	if id == "" {
		id = s.nextID("client")
	}
	if _, dup := s.clients[id]; dup {
		s.mu.Unlock()
		if s.atLeast(2, 13) {
			s.writeError(w, http.StatusConflict, "client_id_already_exists", "A client with this ID already exists", nil)
		} else {
			s.writeError(w, http.StatusBadRequest, "", "A client with this ID already exists", nil)
		}
		return
	}
	c := &client{ID: id, CreatedAt: s.opts.Now()}
	c.apply(&in)
	if !s.atLeast(2, 14) && !c.IsPublic {
		// Before v2.14 creating a client minted its (single) secret; the create answer does
		// not carry it, so nobody knows it until the singular route replaces it.
		c.Secrets = []*secret{s.newSecret(randomSecret())}
	}
	s.clients[id] = c
	body := s.clientJSON(c, groupObjects)
	s.mu.Unlock()
	writeJSON(w, http.StatusCreated, body)
}

func (s *Server) getClient(w http.ResponseWriter, id string) {
	s.mu.Lock()
	c := s.clients[id]
	var body map[string]any
	if c != nil {
		body = s.clientJSON(c, groupObjects)
	}
	s.mu.Unlock()
	if c == nil {
		s.notFound(w, "OIDC client")
		return
	}
	writeJSON(w, http.StatusOK, body)
}

func (s *Server) updateClient(w http.ResponseWriter, r *http.Request, id string) {
	var in clientInput
	if !s.bindJSON(w, r, &in) {
		return
	}
	if errs := in.validate(false); len(errs) > 0 {
		s.validationError(w, errs)
		return
	}
	s.mu.Lock()
	c := s.clients[id]
	var body map[string]any
	if c != nil {
		c.apply(&in)
		body = s.clientJSON(c, groupObjects)
	}
	s.mu.Unlock()
	if c == nil {
		s.notFound(w, "OIDC client")
		return
	}
	writeJSON(w, http.StatusOK, body)
}

func (s *Server) deleteClient(w http.ResponseWriter, id string) {
	s.mu.Lock()
	_, ok := s.clients[id]
	delete(s.clients, id)
	s.mu.Unlock()
	if !ok {
		s.notFound(w, "OIDC client")
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) setGroups(w http.ResponseWriter, r *http.Request, id string) {
	var in struct {
		UserGroupIDs []string `json:"userGroupIds"`
	}
	if !s.bindJSON(w, r, &in) {
		return
	}
	// binding:"required": an omitted or null list is refused, [] clears.
	if in.UserGroupIDs == nil {
		s.validationError(w, []fieldError{{"userGroupIds", "required", "userGroupIds is required"}})
		return
	}
	s.mu.Lock()
	c := s.clients[id]
	var body map[string]any
	if c != nil {
		// Unknown ids are dropped without a word: the trap the provisioner must guard against.
		c.Groups = nil
		seen := map[string]bool{}
		for _, gid := range in.UserGroupIDs {
			if s.groups[gid] != nil && !seen[gid] {
				seen[gid] = true
				c.Groups = append(c.Groups, gid)
			}
		}
		body = s.clientJSON(c, noGroups)
	}
	s.mu.Unlock()
	if c == nil {
		s.notFound(w, "OIDC client")
		return
	}
	writeJSON(w, http.StatusOK, body)
}
