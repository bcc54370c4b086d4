// Package secrets renders the External Secrets Operator objects of an integration. No secret
// value ever passes through the function: the store (Bitwarden) holds it, ESO copies it into
// the cluster, and everything here only names where it is.
//
//   - ExternalSecret (external-secrets.io/v1) in the app namespace, named like the app Secret it
//     fills: client-id (a literal: the client id is not secret), client-secret, and the preset's
//     rendered keys (a JSON env value, a config file), all as ESO templates (engineVersion v2)
//     over the one store entry "clientSecret". The provisioning Job reads the same Secret.
//   - Seed, for secret.generate: a Password generator (alphanumeric, 48 characters), an
//     ExternalSecret with refreshPolicy CreatedOnce that runs it once into <secret>-seed, and a
//     PushSecret (external-secrets.io/v1alpha1, updatePolicy IfNotExists, deletionPolicy None)
//     that copies the seed to the store only where the key does not exist yet. The app keeps
//     reading the store, so the store stays the single source of truth: after a cluster rebuild
//     the existing secret wins and the fresh seed is never pushed.
//   - Generated: a preset's random app values (FreshRSS's crypto key), one Password generator
//     each, collected once (CreatedOnce) into <secret>-generated. They are not pushed to the
//     store: they protect only app-local state that the app can re-create.
//   - APIKey: the ExternalSecret that pulls the Pocket ID admin API key into the provisioning
//     namespace for one integration: Secret <integration>-oidc-api-key, key api-key.
//
// Decisions:
//   - Objects keep the namespace they are given, also "" (a later kustomize namespace
//     transformer places them next to the app).
//   - Everything carries app.kubernetes.io/managed-by: pocketid-oidc and
//     oidc.endsys.cloud/integration, except the API key ExternalSecret, which every integration
//     of a provisioning namespace shares and which therefore names none.
//   - refreshInterval is 1h: a secret rotated in the store reaches the app within an hour.
//   - Public clients have no secret: the caller renders nothing from here for them.
//
// The tests check the shapes against the pinned upstream CRDs (`hack/tools.sh crds`,
// $UPSTREAM_CRDS).
package secrets
