// Package gateway renders the login of an app that has no OIDC login of its own: an Envoy
// Gateway SecurityPolicy (gateway.envoyproxy.io/v1alpha1) whose spec.oidc makes the gateway
// send every visitor without a session to Pocket ID, on the app's Gateway API HTTPRoute
// (spec.gateway of the OIDCIntegration).
//
// The rendered policy, field by field, with where Envoy Gateway reads it (repository
// envoyproxy/gateway at v1.9.1 unless said otherwise):
//   - targetRefs: [{group: gateway.networking.k8s.io, kind: HTTPRoute, name}]: targetRefs is
//     LocalPolicyTargetReferenceWithSectionName (api/v1alpha1/policy_helpers.go), so policy and
//     route share a namespace; the policy is rendered in the integration's namespace, which is
//     the HTTPRoute's. targetRefs replaced targetRef in v1.1.0 (release-notes/v1.1.0.yaml).
//   - oidc.provider.issuer: the provider's issuer. Envoy Gateway discovers the authorization,
//     token and end-session endpoints from its /.well-known/openid-configuration
//     (internal/gatewayapi/securitypolicy.go buildOIDCProvider); since v1.9.1 it accepts only
//     https (validateOIDCIssuerURL, and the CRD pattern ^https://[^/?#@]+(/[^?#]*)?$ in
//     api/v1alpha1/oidc_types.go): CheckIssuer refuses anything else at render time.
//   - oidc.clientID: the client id, a literal (not secret; clientIDRef needs v1.5).
//   - oidc.clientSecret: {name: <app Secret>}, the Secret our ExternalSecret fills. Envoy
//     Gateway reads its key "client-secret" (OIDCClientSecretKey in oidc_types.go; read in
//     securitypolicy.go buildOIDC), the key the app Secret has anyway
//     (preset.SecretKeyClientSecret). A SecretObjectReference without namespace: the policy's.
//   - oidc.redirectURL: <origin of spec.url><callbackPath>. Envoy intercepts requests on its
//     path (extractRedirectPath) and Pocket ID must know the whole URL, so Register adds it to
//     the client's callbacks. Since v1.8.0 the OAuth2 settings are per route
//     (release-notes/v1.8.0.yaml), so the path must be routed by the targeted HTTPRoute: the
//     default is below spec.url's path.
//   - oidc.logoutPath: clears Envoy's cookies, then redirects to Pocket ID's end-session
//     endpoint (discovered, v1.5.0) with post_logout_redirect_uri = <scheme>://<host>/
//     (envoyproxy/envoy source/extensions/filters/http/oauth2/filter.cc signOutUser; Envoy
//     Gateway sets no post_logout_redirect_uri of its own). Pocket ID refuses the logout of a
//     client without logout callbacks and any post_logout_redirect_uri it does not list
//     (pocket-id/pocket-id backend/internal/service/oidc_service.go ValidateEndSession,
//     getLogoutCallbackURL), so Register adds <origin of spec.url>/ to the logout callbacks.
//   - oidc.scopes: spec.gateway.scopes (default openid, email, profile); Envoy Gateway adds
//     openid when missing (appendOpenidScopeIfNotExist).
//   - oidc.forwardAccessToken: false, written out: the app has no OIDC and gets no bearer
//     token; the user's identity stays in Envoy's cookies.
//   - oidc.cookieDomain and oidc.cookieConfig.sameSite only when spec.gateway sets them
//     (cookieDomain v1.1.0, cookieConfig v1.5.0).
//
// PKCE: Envoy's OAuth2 filter always sends an S256 code challenge (filter.cc
// redirectToOAuthServer), so Register turns PKCE on for a client the gateway alone logs in to
// (no preset, no env), unless spec.client.pkce says otherwise. With an app login of its own
// the preset's PKCE setting stands: Pocket ID checks a verifier only with PKCE on.
//
// Envoy Gateway v1.5.0 or later is needed (end-session discovery, cookieConfig); the CRDs the
// tests validate against are v1.9.1's.
//
// Decisions:
//   - The policy is named <integration>-oidc and labelled like every object we render
//     (managed-by and integration), so a later render replaces it and pruning removes it.
//   - Nothing here reads a secret value: the policy only names the Secret.
package gateway
