package pocketid

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// pageSize is Pocket ID's maximum page size: the fewest requests for a full listing.
const pageSize = 100

// Healthy asks GET /healthz once, without retries.
func (c *Client) Healthy(ctx context.Context) error {
	u := *c.base
	u.Path = c.base.Path + "/healthz"
	status, header, body, err := c.once(ctx, request{method: http.MethodGet, path: "/healthz", noAuth: true}, u.String(), nil, "")
	if err != nil {
		var re *RedirectError
		if errors.As(err, &re) {
			re.Method, re.Path = http.MethodGet, "/healthz"
			return re
		}
		return &TransportError{Method: http.MethodGet, Path: "/healthz", Err: err}
	}
	if status < 200 || status >= 300 {
		ae := DecodeAPIError(status, header, body)
		ae.Method, ae.Path = http.MethodGet, "/healthz"
		if status == http.StatusTooManyRequests {
			ae.retryAfter = retryAfter(header, c.now())
		}
		return ae
	}
	return nil
}

// WaitHealthy polls /healthz with the jittered retry backoff (without the attempt cap) until
// it answers 2xx or ctx ends: at startup Pocket ID may still be migrating its database, and a
// Pocket ID that is down is waited for up to the run's deadline. When it answers after
// failures, a line says so: the outage is over.
func (c *Client) WaitHealthy(ctx context.Context) error {
	backoff := c.retry.backoff()
	start := c.now()
	for attempt := 1; ; attempt++ {
		err := c.Healthy(ctx)
		if err == nil {
			if attempt > 1 {
				c.log.Info("pocket id healthy again", "attempts", attempt, "waited", c.now().Sub(start).Round(time.Millisecond).String())
			}
			return nil
		}
		if ctx.Err() != nil {
			return fmt.Errorf("waiting for pocket id to be healthy: %w (last error: %w)", ctx.Err(), err)
		}
		var ae *APIError
		if !errors.As(err, &ae) && !retryableTransportError(err) {
			return err
		}
		wait := backoff.Step()
		if ae != nil && ae.retryAfter > wait {
			// The limiter counts /healthz too: coming back early only earns another 429.
			wait = c.retry.afterRetryAfter(ae.retryAfter)
		}
		c.log.Warn("waiting for pocket id to be healthy", "attempt", attempt, "wait", wait.Round(time.Millisecond).String(), "error", err.Error())
		if serr := c.sleep(ctx, wait); serr != nil {
			return fmt.Errorf("waiting for pocket id to be healthy: %w (last error: %w)", serr, err)
		}
	}
}

func clientPath(id string) string { return "/api/oidc/clients/" + url.PathEscape(id) }

// GetClient returns one client with its allowed user groups (and, since v2.14, its secrets).
// An unknown id is an *APIError with IsNotFound.
func (c *Client) GetClient(ctx context.Context, id string) (*OIDCClient, error) {
	var out OIDCClient
	if err := c.do(ctx, request{method: http.MethodGet, path: clientPath(id)}, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// ListClients returns every client whose name contains search ("" = all), all pages.
func (c *Client) ListClients(ctx context.Context, search string) ([]OIDCClient, error) {
	var all []OIDCClient
	for page := 1; ; page++ {
		data, p, err := c.ListClientsPage(ctx, search, page)
		if err != nil {
			return nil, err
		}
		all = append(all, data...)
		// The server clamps a page past the end to the last one: stop on the reported total,
		// never on an empty page.
		if page >= p.TotalPages || len(data) == 0 {
			return all, nil
		}
	}
}

// ListClientsPage returns one page (of the largest size Pocket ID allows) of the clients whose
// name contains search. A listed client carries every field of a GET except its groups: the
// list answers allowedUserGroupsCount instead of allowedUserGroups.
func (c *Client) ListClientsPage(ctx context.Context, search string, page int) ([]OIDCClient, Pagination, error) {
	var out struct {
		Data       []OIDCClient `json:"data"`
		Pagination Pagination   `json:"pagination"`
	}
	if err := c.do(ctx, request{method: http.MethodGet, path: "/api/oidc/clients", query: pageQuery(search, page)}, &out); err != nil {
		return nil, Pagination{}, err
	}
	return out.Data, out.Pagination, nil
}

func pageQuery(search string, page int) url.Values {
	q := url.Values{}
	q.Set("search", search)
	q.Set("pagination[page]", strconv.Itoa(page))
	q.Set("pagination[limit]", strconv.Itoa(pageSize))
	return q
}

// CreateClient creates a client. A taken id is an *APIError with code client_id_already_exists
// (v2.13+) or a 400 (older); AnswerLost tells whether that answer came after an attempt whose
// own answer was lost, i.e. whether this very call most likely created the client.
func (c *Client) CreateClient(ctx context.Context, in ClientInput) (*OIDCClient, error) {
	var out OIDCClient
	if err := c.do(ctx, request{method: http.MethodPost, path: "/api/oidc/clients", body: in}, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// AnswerLost reports whether err is Pocket ID's answer to a retry of a request whose earlier
// attempt got no answer (the connection dropped): the earlier attempt may have been applied.
func AnswerLost(err error) bool {
	var ae *APIError
	return errors.As(err, &ae) && ae.AfterLostAnswer
}

// UpdateClient replaces the client: every field of in is written, omitted ones are reset. Start
// from OIDCClient.Input of a fresh GET.
func (c *Client) UpdateClient(ctx context.Context, id string, in ClientInput) (*OIDCClient, error) {
	in.ID = ""
	var out OIDCClient
	if err := c.do(ctx, request{method: http.MethodPut, path: clientPath(id), body: in}, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// DeleteClient deletes a client.
func (c *Client) DeleteClient(ctx context.Context, id string) error {
	return c.do(ctx, request{method: http.MethodDelete, path: clientPath(id)}, nil)
}

// SetAllowedUserGroups replaces the client's allowed groups and returns the client as stored
// afterwards. Pocket ID silently drops ids it does not know, so callers must compare the answer
// with what they sent. The PUT's own answer is the plain client without its groups (the
// reference promises only a 200), so the client is read back with a GET to learn which ids were
// kept.
func (c *Client) SetAllowedUserGroups(ctx context.Context, id string, groupIDs []string) (*OIDCClient, error) {
	body := struct {
		UserGroupIDs []string `json:"userGroupIds"`
	}{nonNil(groupIDs)}
	if err := c.do(ctx, request{method: http.MethodPut, path: clientPath(id) + "/allowed-user-groups", body: body}, nil); err != nil {
		return nil, err
	}
	return c.GetClient(ctx, id)
}

// ErrSingleSecret is returned by secret listing and deletion on servers before v2.14, which keep
// one secret per client and have no way to list it.
var ErrSingleSecret = errors.New("pocket id before 2.14 keeps a single client secret and cannot list or delete it")

// ListSecrets lists the client's secrets (v2.14+): prefixes and dates, never values.
func (c *Client) ListSecrets(ctx context.Context, id string) ([]Secret, error) {
	if !c.MultiSecret() {
		return nil, ErrSingleSecret
	}
	var out []Secret
	if err := c.do(ctx, request{method: http.MethodGet, path: clientPath(id) + "/secrets"}, &out); err != nil {
		return nil, err
	}
	return out, nil
}

// AddSecret registers value as a client secret. Since v2.14 it adds one (older ones stay valid);
// before, it replaces the single secret through the singular route and the answer carries no
// id or prefix beyond the one derived from value. The value echoed by the server is dropped.
func (c *Client) AddSecret(ctx context.Context, id, value string, expiresAt *time.Time) (*Secret, error) {
	if !c.MultiSecret() {
		body := struct {
			Secret string `json:"secret"`
		}{value}
		var out struct{}
		if err := c.do(ctx, request{method: http.MethodPost, path: clientPath(id) + "/secret", body: body}, &out); err != nil {
			return nil, err
		}
		return &Secret{Prefix: SecretPrefix(value), CreatedAt: c.now(), IsActive: true}, nil
	}
	body := struct {
		Secret    string     `json:"secret,omitempty"`
		ExpiresAt *time.Time `json:"expiresAt,omitempty"`
	}{value, expiresAt}
	var out Secret
	if err := c.do(ctx, request{method: http.MethodPost, path: clientPath(id) + "/secrets", body: body}, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// DeleteSecret removes one secret (v2.14+).
func (c *Client) DeleteSecret(ctx context.Context, id, secretID string) error {
	if !c.MultiSecret() {
		return ErrSingleSecret
	}
	return c.do(ctx, request{method: http.MethodDelete, path: clientPath(id) + "/secrets/" + url.PathEscape(secretID)}, nil)
}

// SecretPrefix is the clear part Pocket ID keeps of a secret: its first four characters.
func SecretPrefix(value string) string {
	r := []rune(value)
	if len(r) > 4 {
		r = r[:4]
	}
	return string(r)
}

// ListUserGroups returns every user group matching search ("" = all), all pages.
func (c *Client) ListUserGroups(ctx context.Context, search string) ([]UserGroup, error) {
	var all []UserGroup
	for page := 1; ; page++ {
		var out struct {
			Data       []UserGroup `json:"data"`
			Pagination Pagination  `json:"pagination"`
		}
		if err := c.do(ctx, request{method: http.MethodGet, path: "/api/user-groups", query: pageQuery(search, page)}, &out); err != nil {
			return nil, err
		}
		all = append(all, out.Data...)
		if page >= out.Pagination.TotalPages || len(out.Data) == 0 {
			return all, nil
		}
	}
}

// GetUserGroup returns one group with the clients it is allowed on (and its users, which this
// package does not read). An unknown id is an *APIError with IsNotFound.
func (c *Client) GetUserGroup(ctx context.Context, id string) (*UserGroupDetail, error) {
	var out UserGroupDetail
	if err := c.do(ctx, request{method: http.MethodGet, path: "/api/user-groups/" + url.PathEscape(id)}, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// CreateUserGroup creates a group. A taken name is an *APIError with code already_in_use.
func (c *Client) CreateUserGroup(ctx context.Context, name, friendlyName string) (*UserGroup, error) {
	body := struct {
		FriendlyName string `json:"friendlyName"`
		Name         string `json:"name"`
	}{friendlyName, name}
	var out UserGroup
	if err := c.do(ctx, request{method: http.MethodPost, path: "/api/user-groups", body: body}, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// CheckClientSecret proves whether secret is registered for the client by a client_credentials
// grant at the token endpoint: true on 200, false on 401 invalid_client. The access token in the
// answer is discarded unread.
func (c *Client) CheckClientSecret(ctx context.Context, clientID, secret string) (bool, error) {
	form := url.Values{"grant_type": {"client_credentials"}}
	err := c.do(ctx, request{
		method: http.MethodPost, path: "/api/oidc/token", form: form,
		basicUser: clientID, basicPass: secret,
	}, nil)
	switch {
	case err == nil:
		return true, nil
	case HasCode(err, CodeInvalidClient) || StatusCode(err) == http.StatusUnauthorized:
		return false, nil
	default:
		return false, err
	}
}
