// Package preset is the catalog of apps that log in through Pocket ID, and the engine that
// applies one app's preset to one integration.
//
// Presets are data, not code: one YAML file per app under presets/ (embedded), parsed strictly
// by Parse. A preset names the app's callback paths, PKCE default, scopes, the env vars it sets
// (values are Go text/template over TemplateVars: {{ .Issuer }}, {{ .DiscoveryURL }},
// {{ .TokenURL }}, {{ .ClientID }}, {{ .AppURL }}, {{ .CallbackURL }}, {{ .ProviderKey }}, ...),
// structured values that hold the secret (SecretEnv: JSON or Python literals; Files: config
// files), random values to generate, chart-specific wiring and notes for manual steps.
//
// Preset.Resolve turns a preset plus an Input into a Resolved (wiring.go, the contract with
// the renderers). The client secret never becomes a value: {{ .ClientSecret }} is only
// allowed as a whole value and turns into a secretKeyRef in env, or into the ESO template
// expression {{ .clientSecret | toJson }} inside structured values. Those are serialized by
// real encoders with a sentinel in place of the secret, literal "{{" is escaped for ESO, and
// only then the sentinel is swapped for the expression, so whatever the secret contains, ESO
// produces valid JSON, YAML or Python. Flux ${VAR} placeholders pass through untouched.
//
// Every preset is a fact with evidence (evidence.go): the app repository and version whose
// source was read, and for every key it sets (env names, "<file key>:<dotted.path>" of file
// data, "chart:<chart>:<dotted.path>" of chart values) and every callback, the file that reads
// or routes it; minVersion says why. PublicURL says how the app's redirects stay right behind
// a TLS-terminating ingress (a setting the preset sets, forwarded headers it makes the app
// trust, the request, an absolute callback, or, for client-only apps, the app's own setting).
// Requires are prerequisites on Pocket ID (emails marked verified) and Warnings caveats that
// can lose data; both travel on Resolved for the function to report. Limits are lengths the
// app enforces on an env value (Outline's OIDC_DISPLAY_NAME: 2 to 50), checked on the resolved
// value and reported at the spec field it came from (limits.go); a chart's Conflicts are its
// values that cannot stand next to the preset's (chartspec.go). Both carry their evidence.
// Preset.EvidenceGaps is the rule, and a catalog test holds every preset to it.
//
// Custom is the preset-less path (only spec.env). docs/presets.md is generated from the
// catalog by Catalog.Markdown; TestDocs fails when it is stale
// (UPDATE_GOLDEN=1 go test ./pkg/preset -run TestDocs regenerates it).
package preset
