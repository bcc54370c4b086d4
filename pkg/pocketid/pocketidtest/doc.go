// Package pocketidtest is a fake Pocket ID admin API (httptest) for tests, as strict as Pocket
// ID v2.14's admin API, never kinder: a fake that forgives what the real server refuses hides
// bugs.
//
// It reproduces: X-API-Key auth (401 not_signed_in), the JSON content type (400
// invalid_request_body), validation with JSON field names in details.fields, 404 not_found with
// details.resource, 409 client_id_already_exists and already_in_use, full-replacement PUT
// (omitted fields reset; isGroupRestricted false clears the groups; a 0 token duration stored
// as the default 60 / 43200 minutes), allowed-user-groups requiring userGroupIds, silently
// dropping unknown ids and answering the client WITHOUT its groups (only a GET tells which ids
// were kept), pkceEnabled stored as isPublic || pkceEnabled, secrets stored
// as a SHA-256 hash plus a 4-character prefix with the value answered only once, the 20-secret
// cap, no secrets for public clients, no secret expiring in the past, the token endpoint's
// client_credentials grant (basic and post), the list of clients answering allowedUserGroupsCount
// where GET answers allowedUserGroups, GET of one group naming the clients it is allowed on
// (allowedOidcClients), pagination (limit max 100, a page past the end
// clamped), the rate limiter, on by default as in Pocket ID (100/s, burst 300; 429
// rate_limited with Retry-After; Options.DisableRateLimiting turns it off), and older releases
// through Options.Version: before 2.14 the singular /secret route (one secret, replaced), no
// listing, and a create that mints a secret nobody is told; before 2.13 the {"error": "..."}
// body and a 400 for a duplicate client id; before 2.12 a caller-supplied secret ignored.
//
// It also answers the application configuration: GET /api/application-configuration/all
// (admin key; every setting, emailsVerified false by default as in Pocket ID) and the public
// GET /api/application-configuration (no key; public settings only).
//
// For tests it adds: request counters by method (Reads, Writes, so a test can assert "zero
// writes"), a request log, state inspection and seeding (Client, PutClient, AddSecret,
// HasSecret, AddGroup), and fault injection: a Hook deciding per request to answer 500, drop
// the connection before or after handling, answer 429, or redirect to another host
// (SetRedirectTarget); FailNth and ThrottleNext as shortcuts. CollidingSecret makes values that
// share a 4-character prefix, the case only the token endpoint can tell apart.
//
// Where the contract is silent the fake picks and documents a behaviour: the code of the
// public-client and 20-secret refusals (public_client_secret, too_many_secrets), validation
// codes other than callback_url_pattern, and the client list order (name, then id).
package pocketidtest
