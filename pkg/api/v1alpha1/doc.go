// Package v1alpha1 holds the API of pocketid-oidc, group oidc.endsys.cloud, version v1alpha1:
//
//   - PocketIDProvider: the Pocket ID instance and the settings every app shares (issuer, admin
//     API, secret store, provisioner image). It is the function's config.
//   - OIDCIntegration: one app that logs in through Pocket ID. The function expands it into app
//     wiring, ExternalSecrets and a provisioning Job.
//   - OIDCClient: the resolved desired state of one Pocket ID client, every default applied. The
//     function writes it into the provisioning Job's ConfigMap; `pocketid-oidc provision` reads it.
//
// These are plain data types: strict decoding (decode.go), defaulting (defaults.go) and
// validation (validation.go; client_validation.go for the OIDCClient document, the one set of
// rules the function and the provisioner share; callbackurl.go for what Pocket ID accepts as a
// callback URL) live next to them, and deep copies are generated (zz_generated.deepcopy.go,
// make schema). The package imports no machinery: rendering, HTTP and the build's version live
// in other packages, and the values shared with the provisioner come from pkg/contract.
//
// Decisions:
//   - Decoding is strict: an unknown or duplicate field is an error with its full path
//     (spec.client.callbackURL), because a silently dropped typo renders a client without what
//     the user meant.
//   - Provider settings merge field by field: a PocketIDProvider, overridden by each field an
//     integration sets under spec.provider. A struct field (apiKey, secretStoreRef,
//     caConfigMapRef) is replaced as a whole, so an apiKey never ends up with both sources.
//   - Defaults: apiURL = issuer; issuer, apiURL and url lose a trailing slash (Pocket ID's issuer
//     is its APP_URL without one, and apps compare it byte for byte); secretStoreRef.kind
//     ClusterSecretStore; apiKey.secretRef.key api-key; caConfigMapRef.key ca.crt; image: the
//     caller's (the function passes this build's ghcr.io/endsys/pocketid-oidc tag); helmRelease.name and client.id = metadata.name;
//     strategy auto; launchURL = url; state present; a public client always uses PKCE; button
//     text "Pocket ID"; provider key "pocketid"; secret.name <name>-oidc; secret.remoteKey
//     <client id>-oauth-client-secret; rotationOverlap 24h. Display name, callbacks and PKCE
//     come from the preset and are applied when the OIDCClient document is built.
//   - ${VAR} placeholders (Flux postBuild) are accepted everywhere: a URL is checked with its
//     placeholders replaced by a neutral token, and a value made only of placeholders is left to
//     the cluster to judge. The provisioner reads documents after substitution
//     (ValidateOIDCClient with Substituted): a placeholder left there is taken as written.
//   - Validation returns field.ErrorList with full paths, one error per problem, so the function
//     reports all of them in one run.
//
// +kubebuilder:object:generate=true
// +groupName=oidc.endsys.cloud
package v1alpha1
