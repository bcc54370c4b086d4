package preset

// This file is the contract between the preset engine (which produces a Resolved) and the
// renderers (pkg/render/...), which turn it into HelmRelease edits, app-Secret keys and the
// OIDCClient document. Change it only together with both sides.

// ClientSecretVar is the name of the ExternalSecret data entry holding the client secret, as
// ESO templates see it: `{{ .clientSecret }}`.
const ClientSecretVar = "clientSecret"

// Well-known keys of the app Secret.
const (
	SecretKeyClientID     = "client-id"
	SecretKeyClientSecret = "client-secret"
)

// Input is what the engine needs to resolve a preset for one integration. All values are
// already defaulted; ${VAR} placeholders are kept as written.
type Input struct {
	Issuer      string // no trailing slash
	AppURL      string // no trailing slash
	ClientID    string
	ProviderKey string // default "pocketid"
	ButtonText  string // default "Pocket ID"
	// SecretName is the app Secret (client-id, client-secret and rendered keys).
	SecretName string
	// GeneratedSecretName is the Secret holding the preset's generated random values.
	GeneratedSecretName string
	// Env are the user's additions and overrides (spec.env): templates like preset env values.
	Env map[string]string
	// CallbackURLs, when set (spec.client.callbackURLs), replace the preset's callbacks, so
	// that Resolved.CallbackURLs and {{ .CallbackURL }} follow the user's choice. Optional.
	CallbackURLs []string
}

// Resolved is one preset applied to one Input.
type Resolved struct {
	// DisplayName is the preset's display name ("" without a preset).
	DisplayName string
	// CallbackURLs and LogoutCallbackURLs are absolute (paths joined to AppURL).
	CallbackURLs       []string
	LogoutCallbackURLs []string
	// PKCE is the preset's default.
	PKCE bool
	// Requires are the preset's prerequisites on Pocket ID (emails marked verified), for the
	// function and the provisioner to report.
	Requires Requires
	// Wiring is what the app itself needs.
	Wiring Wiring
}

// Wiring is what the app needs, independent of how it gets there (values or post-renderer).
type Wiring struct {
	// Env is sorted by Name. A var either has a literal Value or a SecretKeyRef.
	Env []EnvVar
	// SecretTemplates are keys of the app Secret besides client-id/client-secret, as ESO
	// template text (engineVersion v2) that may use {{ .clientSecret }}: JSON env values and
	// config files. Keys are sorted when rendered.
	SecretTemplates map[string]string
	// Files are keys of the app Secret mounted into the container.
	Files []File
	// Generated are random values the app needs besides OIDC (FreshRSS's crypto key), produced
	// once by an ESO Password generator into GeneratedSecretName.
	Generated []Generated
	// Charts holds chart-specific wiring keyed by chart name (e.g. "immich"); it takes
	// precedence over the generic app-template/post-renderer routes for that chart.
	Charts map[string]ChartWiring
	// Notes are manual app-side steps (client-only presets), reported as info results.
	Notes []string
	// Warnings are caveats that can lose data or break a login, reported as warning results.
	Warnings []string
}

// EnvVar is one environment variable of the app container.
type EnvVar struct {
	Name  string
	Value string
	// SecretKeyRef, when set, is used instead of Value.
	SecretKeyRef *SecretKeyRef
}

// SecretKeyRef points at a key of a Secret in the app namespace.
type SecretKeyRef struct {
	Name string
	Key  string
}

// File is an app-Secret key mounted as a file.
type File struct {
	SecretName string
	SecretKey  string
	// MountPath is the absolute path of the file inside the container.
	MountPath string
}

// Generated is one random value, kept in GeneratedSecretName under Key.
type Generated struct {
	Key    string
	Length int
}

// ChartWiring is how a specific chart takes the wiring.
type ChartWiring struct {
	// EnvPath is the dot path of the env block in spec.values: a bjw-s style block
	// ("server.controllers.main.containers.main.env") or, with EnvList, a Kubernetes EnvVar
	// list ("core.extraEnvVars").
	EnvPath string
	// EnvList: a new env block is a list ([{name, value|valueFrom}]), as the chart requires.
	EnvList bool
	// Values are merged into spec.values (e.g. immich.existingConfiguration). When set, Files
	// are delivered by these values and not mounted.
	Values map[string]any
	// ListKeys names, per dot path of a list in Values ("gitea.oauth"), the field identifying
	// its items ("name"): our items replace same-keyed ones where they stand and join the
	// user's list otherwise, instead of replacing the list.
	ListKeys map[string]string
	// Conflicts are values of the chart, by dot path, that it refuses next to Values, each
	// with why and what to do instead (the preset's reason, then its evidence): the renderer
	// refuses a HelmRelease that sets one.
	Conflicts map[string]string
}
