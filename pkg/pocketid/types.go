package pocketid

import (
	"encoding/json"
	"time"
)

// OIDCClient is an OIDC client as Pocket ID answers it (GET, POST, PUT).
type OIDCClient struct {
	ID                                  string   `json:"id"`
	Name                                string   `json:"name"`
	Description                         string   `json:"description"`
	HasLogo                             bool     `json:"hasLogo"`
	HasDarkLogo                         bool     `json:"hasDarkLogo"`
	LaunchURL                           *string  `json:"launchURL"`
	RequiresReauthentication            bool     `json:"requiresReauthentication"`
	ClientType                          string   `json:"clientType,omitempty"`
	CallbackURLs                        []string `json:"callbackURLs"`
	LogoutCallbackURLs                  []string `json:"logoutCallbackURLs"`
	IsPublic                            bool     `json:"isPublic"`
	PkceEnabled                         bool     `json:"pkceEnabled"`
	RequiresPushedAuthorizationRequests bool     `json:"requiresPushedAuthorizationRequests"`
	SkipConsent                         bool     `json:"skipConsent"`
	IsGroupRestricted                   bool     `json:"isGroupRestricted"`
	AccessTokenDurationMinutes          int      `json:"accessTokenDurationMinutes"`
	RefreshTokenDurationMinutes         int      `json:"refreshTokenDurationMinutes"`
	// LogoURL and DarkLogoURL are not documented response fields; when a server does answer
	// them they are carried into updates so the logo source survives.
	LogoURL     string      `json:"logoUrl,omitempty"`
	DarkLogoURL string      `json:"darkLogoUrl,omitempty"`
	Credentials Credentials `json:"credentials"`
	// AllowedUserGroups is answered by GET (one client) and POST; the list call answers
	// AllowedUserGroupsCount instead.
	AllowedUserGroups      []UserGroup `json:"allowedUserGroups"`
	AllowedUserGroupsCount int         `json:"allowedUserGroupsCount,omitempty"`

	// raw is the answer as received: fields this package does not know yet are sent back on
	// update, because PUT resets every field it is not given.
	raw map[string]json.RawMessage
}

// Credentials of a client. Secrets is nil when the server did not answer the key at all (before
// v2.14), and empty when the client has none.
type Credentials struct {
	// FederatedIdentities are kept as raw JSON: the provisioner never edits them, it only has
	// to hand them back unchanged.
	FederatedIdentities []json.RawMessage `json:"federatedIdentities,omitempty"`
	Secrets             []Secret          `json:"secrets"`
}

// Secret is a registered client secret. The value is never part of it: Pocket ID keeps a hash.
type Secret struct {
	ID        string     `json:"id"`
	Prefix    string     `json:"prefix"`
	CreatedAt time.Time  `json:"createdAt"`
	ExpiresAt *time.Time `json:"expiresAt"`
	IsActive  bool       `json:"isActive"`
}

// Usable reports whether the token endpoint accepts this secret at now.
func (s Secret) Usable(now time.Time) bool {
	return s.IsActive && (s.ExpiresAt == nil || s.ExpiresAt.After(now))
}

// UserGroup is a Pocket ID user group.
type UserGroup struct {
	ID           string `json:"id"`
	FriendlyName string `json:"friendlyName"`
	Name         string `json:"name"`
}

// UserGroupDetail is GET /api/user-groups/{id}: the group and the clients it is allowed on.
type UserGroupDetail struct {
	UserGroup
	AllowedOidcClients []ClientMetadata `json:"allowedOidcClients"`
}

// ClientMetadata is how a group's answer names a client it is allowed on.
type ClientMetadata struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// Pagination is the pagination object of list answers.
type Pagination struct {
	TotalPages   int `json:"totalPages"`
	TotalItems   int `json:"totalItems"`
	CurrentPage  int `json:"currentPage"`
	ItemsPerPage int `json:"itemsPerPage"`
}

// UnmarshalJSON keeps the raw object next to the typed fields.
func (c *OIDCClient) UnmarshalJSON(b []byte) error {
	type plain OIDCClient
	var p plain
	if err := json.Unmarshal(b, &p); err != nil {
		return err
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	*c = OIDCClient(p)
	c.raw = raw
	return nil
}

// AllowedGroupIDs returns the ids of the allowed user groups.
func (c *OIDCClient) AllowedGroupIDs() []string {
	ids := make([]string, 0, len(c.AllowedUserGroups))
	for _, g := range c.AllowedUserGroups {
		ids = append(ids, g.ID)
	}
	return ids
}

// ClientInput is the body of create (POST) and update (PUT). PUT replaces the whole client, so
// an update must start from OIDCClient.Input of the current client, never from a zero value.
type ClientInput struct {
	// ID is only honoured on create; Pocket ID generates a UUID when it is empty.
	ID                                  string
	Name                                string
	Description                         string
	CallbackURLs                        []string
	LogoutCallbackURLs                  []string
	LaunchURL                           *string
	IsPublic                            bool
	PkceEnabled                         bool
	RequiresReauthentication            bool
	RequiresPushedAuthorizationRequests bool
	SkipConsent                         bool
	IsGroupRestricted                   bool
	AccessTokenDurationMinutes          int
	RefreshTokenDurationMinutes         int
	FederatedIdentities                 []json.RawMessage
	LogoURL                             string
	DarkLogoURL                         string
	// Extra holds fields of the current client this package does not know; they are sent
	// unchanged so a newer server does not reset them.
	Extra map[string]json.RawMessage
}

// knownResponseKeys are the answer fields that are either mapped to ClientInput or read-only;
// anything else in an answer lands in ClientInput.Extra.
var knownResponseKeys = map[string]bool{
	"id": true, "name": true, "description": true, "hasLogo": true, "hasDarkLogo": true,
	"launchURL": true, "requiresReauthentication": true, "clientType": true, "callbackURLs": true,
	"logoutCallbackURLs": true, "isPublic": true, "pkceEnabled": true,
	"requiresPushedAuthorizationRequests": true, "skipConsent": true, "isGroupRestricted": true,
	"accessTokenDurationMinutes": true, "refreshTokenDurationMinutes": true, "credentials": true,
	"allowedUserGroups": true, "allowedUserGroupsCount": true, "logoUrl": true, "darkLogoUrl": true,
	"createdAt": true,
}

// Input returns the update body that would leave c exactly as it is.
func (c *OIDCClient) Input() ClientInput {
	in := ClientInput{
		Name:                                c.Name,
		Description:                         c.Description,
		CallbackURLs:                        append([]string(nil), c.CallbackURLs...),
		LogoutCallbackURLs:                  append([]string(nil), c.LogoutCallbackURLs...),
		LaunchURL:                           c.LaunchURL,
		IsPublic:                            c.IsPublic,
		PkceEnabled:                         c.PkceEnabled,
		RequiresReauthentication:            c.RequiresReauthentication,
		RequiresPushedAuthorizationRequests: c.RequiresPushedAuthorizationRequests,
		SkipConsent:                         c.SkipConsent,
		IsGroupRestricted:                   c.IsGroupRestricted,
		AccessTokenDurationMinutes:          c.AccessTokenDurationMinutes,
		RefreshTokenDurationMinutes:         c.RefreshTokenDurationMinutes,
		FederatedIdentities:                 c.Credentials.FederatedIdentities,
		LogoURL:                             c.LogoURL,
		DarkLogoURL:                         c.DarkLogoURL,
	}
	for k, v := range c.raw {
		if !knownResponseKeys[k] {
			if in.Extra == nil {
				in.Extra = map[string]json.RawMessage{}
			}
			in.Extra[k] = v
		}
	}
	return in
}

type clientInputJSON struct {
	ID                                  string           `json:"id,omitempty"`
	Name                                string           `json:"name"`
	Description                         string           `json:"description"`
	CallbackURLs                        []string         `json:"callbackURLs"`
	LogoutCallbackURLs                  []string         `json:"logoutCallbackURLs"`
	LaunchURL                           *string          `json:"launchURL"`
	IsPublic                            bool             `json:"isPublic"`
	PkceEnabled                         bool             `json:"pkceEnabled"`
	RequiresReauthentication            bool             `json:"requiresReauthentication"`
	RequiresPushedAuthorizationRequests bool             `json:"requiresPushedAuthorizationRequests"`
	SkipConsent                         bool             `json:"skipConsent"`
	IsGroupRestricted                   bool             `json:"isGroupRestricted"`
	AccessTokenDurationMinutes          int              `json:"accessTokenDurationMinutes"`
	RefreshTokenDurationMinutes         int              `json:"refreshTokenDurationMinutes"`
	Credentials                         credentialsInput `json:"credentials"`
	LogoURL                             string           `json:"logoUrl,omitempty"`
	DarkLogoURL                         string           `json:"darkLogoUrl,omitempty"`
}

type credentialsInput struct {
	FederatedIdentities []json.RawMessage `json:"federatedIdentities"`
}

// MarshalJSON writes the exact JSON names Pocket ID binds, empty lists as [] (not null), and
// Extra for keys not written otherwise.
func (in ClientInput) MarshalJSON() ([]byte, error) {
	j := clientInputJSON{
		ID: in.ID, Name: in.Name, Description: in.Description,
		CallbackURLs: nonNil(in.CallbackURLs), LogoutCallbackURLs: nonNil(in.LogoutCallbackURLs),
		LaunchURL: in.LaunchURL, IsPublic: in.IsPublic, PkceEnabled: in.PkceEnabled,
		RequiresReauthentication:            in.RequiresReauthentication,
		RequiresPushedAuthorizationRequests: in.RequiresPushedAuthorizationRequests,
		SkipConsent:                         in.SkipConsent, IsGroupRestricted: in.IsGroupRestricted,
		AccessTokenDurationMinutes:  in.AccessTokenDurationMinutes,
		RefreshTokenDurationMinutes: in.RefreshTokenDurationMinutes,
		Credentials:                 credentialsInput{FederatedIdentities: in.FederatedIdentities},
		LogoURL:                     in.LogoURL, DarkLogoURL: in.DarkLogoURL,
	}
	if j.Credentials.FederatedIdentities == nil {
		j.Credentials.FederatedIdentities = []json.RawMessage{}
	}
	b, err := json.Marshal(j)
	if err != nil || len(in.Extra) == 0 {
		return b, err
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, err
	}
	for k, v := range in.Extra {
		if _, ok := m[k]; !ok {
			m[k] = v
		}
	}
	return json.Marshal(m)
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
