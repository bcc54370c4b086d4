package pocketid

import (
	"context"
	"net/http"
)

// Application configuration keys the provisioner reads. Pocket ID answers every value as a
// string ("true"/"false" for booleans).
const (
	// AppConfigEmailsVerified is the "emails verified" setting (env EMAILS_VERIFIED when the
	// UI configuration is disabled): new users, and users whose email changes, get
	// email_verified = this value. Default false.
	AppConfigEmailsVerified = "emailsVerified"
)

// AppConfigVariable is one entry of the application configuration.
type AppConfigVariable struct {
	Key      string `json:"key"`
	Type     string `json:"type"`
	Value    string `json:"value"`
	IsPublic bool   `json:"isPublic"`
}

// AppConfig reads the whole application configuration, private settings included, with the
// admin API key: GET /api/application-configuration/all. The answer maps key to value. (The
// unauthenticated GET /api/application-configuration lists only the public settings, which do
// not include emailsVerified.)
func (c *Client) AppConfig(ctx context.Context) (map[string]string, error) {
	var list []AppConfigVariable
	if err := c.do(ctx, request{method: http.MethodGet, path: "/api/application-configuration/all"}, &list); err != nil {
		return nil, err
	}
	out := make(map[string]string, len(list))
	for _, v := range list {
		out[v.Key] = v.Value
	}
	return out, nil
}
