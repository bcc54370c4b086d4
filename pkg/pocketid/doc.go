// Package pocketid is a typed client for the Pocket ID admin API (v2.12 and later; v2.14 is the
// target), as far as pocketid-oidc needs it: health, version, OIDC clients, their secrets and
// allowed user groups, user groups, and a client_credentials request that proves a secret is
// registered.
//
// Every call sends X-API-Key and JSON, to the configured origin only: redirects are never
// followed (Go keeps X-API-Key across hosts), a 3xx is a *RedirectError naming the Location's
// host. TLS is always verified (Options.CAPEM adds a private CA). Connection errors, 5xx and
// 429 are retried with apimachinery's wait.Backoff, exponential with jitter (429 waits at least
// its Retry-After); IsTransient tells such failures from refusals. A retry answered 409 after
// an attempt whose answer was lost is marked (AnswerLost): the lost attempt was most likely
// applied. Any other 4xx is returned at once as an *APIError carrying
// Pocket ID's code, request_id and offending fields, decoded from both the v2.13+ error body
// and the older {"error": "..."} one. The overall deadline is the context's. Sleep and the
// clock are injectable, so retry tests do not wait.
//
// AppConfig reads the application configuration (emailsVerified) with the admin key.
//
// Versions compare by semantic versioning (golang.org/x/mod/semver), pre-releases before their
// release. Routes that changed between releases follow the version learned by ServerVersion: the
// plural /secrets routes (several secrets per client) since v2.14, the singular /secret route
// (one secret, replaced) on v2.12-v2.13.
//
// Update is a full replacement on the server: build its body from OIDCClient.Input of a fresh
// GET so fields the caller does not manage (and fields this package does not know) survive.
package pocketid
