package pocketidtest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
)

// clientInput is the create/update body with Gin's JSON names. Pointers tell "omitted" from
// zero only where the server itself cares (launchURL may be null).
type clientInput struct {
	ID                                  string   `json:"id"`
	Name                                string   `json:"name"`
	Description                         string   `json:"description"`
	CallbackURLs                        []string `json:"callbackURLs"`
	LogoutCallbackURLs                  []string `json:"logoutCallbackURLs"`
	LaunchURL                           *string  `json:"launchURL"`
	IsPublic                            bool     `json:"isPublic"`
	PkceEnabled                         bool     `json:"pkceEnabled"`
	RequiresReauthentication            bool     `json:"requiresReauthentication"`
	RequiresPushedAuthorizationRequests bool     `json:"requiresPushedAuthorizationRequests"`
	SkipConsent                         bool     `json:"skipConsent"`
	IsGroupRestricted                   bool     `json:"isGroupRestricted"`
	AccessTokenDurationMinutes          int      `json:"accessTokenDurationMinutes"`
	RefreshTokenDurationMinutes         int      `json:"refreshTokenDurationMinutes"`
	Credentials                         struct {
		FederatedIdentities []json.RawMessage `json:"federatedIdentities"`
	} `json:"credentials"`
	LogoURL     string `json:"logoUrl"`
	DarkLogoURL string `json:"darkLogoUrl"`
}

var (
	clientIDRE = regexp.MustCompile(`^[a-zA-Z0-9._-]+$`)
	schemeRE   = regexp.MustCompile(`^([a-zA-Z][a-zA-Z0-9+.-]*):`)
)

// validateCallback is the server's callback URL rule, written apart from the provisioner's own
// check so a test can catch the two disagreeing.
func validateCallback(u string) (string, bool) {
	if u == "*" {
		return "", true
	}
	m := schemeRE.FindStringSubmatch(u)
	if m == nil {
		return "must be an absolute URL with a scheme", false
	}
	switch strings.ToLower(m[1]) {
	case "javascript", "data":
		return "scheme " + m[1] + " is not allowed", false
	}
	if strings.ContainsAny(u, " \t\r\n") || len(u) == len(m[0]) {
		return "must be a valid URL", false
	}
	return "", true
}

func validURL(u string) bool {
	p, err := url.Parse(u)
	return err == nil && p.Scheme != "" && p.Host != ""
}

func (in *clientInput) validate(create bool) []fieldError {
	var errs []fieldError
	add := func(field, code, msg string) { errs = append(errs, fieldError{field, code, msg}) }
	if create && in.ID != "" {
		if len(in.ID) < 2 || len(in.ID) > 128 {
			add("id", "len", "id must be between 2 and 128 characters")
		} else if !clientIDRE.MatchString(in.ID) {
			add("id", "client_id", "id may only contain letters, digits, '.', '_' and '-'")
		}
	}
	switch n := len([]rune(in.Name)); {
	case n == 0:
		add("name", "required", "name is required")
	case n > 50:
		add("name", "max", "name must be at most 50 characters")
	}
	if len([]rune(in.Description)) > 150 {
		add("description", "max", "description must be at most 150 characters")
	}
	for key, list := range map[string][]string{"callbackURLs": in.CallbackURLs, "logoutCallbackURLs": in.LogoutCallbackURLs} {
		for i, u := range list {
			if msg, ok := validateCallback(u); !ok {
				add(fmt.Sprintf("%s[%d]", key, i), "callback_url_pattern", msg)
			}
		}
	}
	if in.LaunchURL != nil && *in.LaunchURL != "" && !validURL(*in.LaunchURL) {
		add("launchURL", "url", "launchURL must be a valid URL")
	}
	for key, v := range map[string]int{"accessTokenDurationMinutes": in.AccessTokenDurationMinutes, "refreshTokenDurationMinutes": in.RefreshTokenDurationMinutes} {
		if v != 0 && (v < 1 || v > 525600) {
			add(key, "range", key+" must be 0 or between 1 and 525600")
		}
	}
	for i, fi := range in.Credentials.FederatedIdentities {
		var f struct {
			Issuer string `json:"issuer"`
		}
		if json.Unmarshal(fi, &f) != nil || f.Issuer == "" {
			add(fmt.Sprintf("credentials.federatedIdentities[%d].issuer", i), "required", "issuer is required")
		}
	}
	for _, key := range []string{"logoUrl", "darkLogoUrl"} {
		v := in.LogoURL
		if key == "darkLogoUrl" {
			v = in.DarkLogoURL
		}
		if v != "" && !validURL(v) {
			add(key, "url", key+" must be a valid URL")
		}
	}
	// Gin reports fields in struct order; the maps above are not ordered.
	sort.SliceStable(errs, func(i, j int) bool { return fieldOrder(errs[i].Field) < fieldOrder(errs[j].Field) })
	return errs
}

func fieldOrder(f string) string {
	for i, p := range []string{"id", "name", "description", "callbackURLs", "logoutCallbackURLs", "launchURL", "accessTokenDurationMinutes", "refreshTokenDurationMinutes", "credentials", "logoUrl", "darkLogoUrl"} {
		if f == p || strings.HasPrefix(f, p+"[") || strings.HasPrefix(f, p+".") {
			return fmt.Sprintf("%02d%s", i, f)
		}
	}
	return "99" + f
}

// apply writes a body over c the way Pocket ID does: every field replaced.
func (c *client) apply(in *clientInput) {
	c.Name, c.Description = in.Name, in.Description
	c.CallbackURLs = append([]string{}, in.CallbackURLs...)
	c.LogoutCallbackURLs = append([]string{}, in.LogoutCallbackURLs...)
	c.LaunchURL = nil
	if in.LaunchURL != nil && *in.LaunchURL != "" {
		v := *in.LaunchURL
		c.LaunchURL = &v
	}
	c.IsPublic = in.IsPublic
	c.PkceEnabled = in.IsPublic || in.PkceEnabled
	c.RequiresReauthentication = in.RequiresReauthentication
	c.RequiresPushedAuthorizationRequests = in.RequiresPushedAuthorizationRequests
	c.SkipConsent = in.SkipConsent
	c.IsGroupRestricted = in.IsGroupRestricted
	if !in.IsGroupRestricted {
		c.Groups = nil
	}
	// 0 asks for the default, and the default is what is stored and answered.
	c.AccessTokenDurationMinutes = cmpOr(in.AccessTokenDurationMinutes, DefaultAccessTokenDurationMinutes)
	c.RefreshTokenDurationMinutes = cmpOr(in.RefreshTokenDurationMinutes, DefaultRefreshTokenDurationMinutes)
	c.FederatedIdentities = append([]json.RawMessage{}, in.Credentials.FederatedIdentities...)
	// The server downloads logos from these URLs; the fake only records that it has one.
	if in.LogoURL != "" {
		c.HasLogo = true
	}
	if in.DarkLogoURL != "" {
		c.HasDarkLogo = true
	}
}

// Token lifetimes Pocket ID stores for a 0 (omitted) duration.
const (
	DefaultAccessTokenDurationMinutes  = 60
	DefaultRefreshTokenDurationMinutes = 43200
)

func cmpOr(v, def int) int {
	if v == 0 {
		return def
	}
	return v
}

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

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// paginate reads pagination[page] and pagination[limit] (default 20, max 100; a page past the
// end is clamped to the last page).
func paginate(q url.Values, total int) (start, end int, p map[string]int) {
	limit, err := strconv.Atoi(q.Get("pagination[limit]"))
	if err != nil || limit < 1 {
		limit = 20
	}
	if limit > 100 {
		limit = 100
	}
	page, err := strconv.Atoi(q.Get("pagination[page]"))
	if err != nil || page < 1 {
		page = 1
	}
	pages := (total + limit - 1) / limit
	if page > pages && pages > 0 {
		page = pages
	}
	start = (page - 1) * limit
	end = min(start+limit, total)
	return start, end, map[string]int{"totalPages": pages, "totalItems": total, "currentPage": page, "itemsPerPage": limit}
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
