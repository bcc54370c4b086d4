package pocketidtest

import (
	"encoding/json"
	"fmt"
	"net/url"
	"regexp"
	"sort"
	"strings"
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
