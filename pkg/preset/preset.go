package preset

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"sort"
	"strings"
	"sync"

	"k8s.io/apimachinery/pkg/util/validation/field"
	"sigs.k8s.io/yaml"
)

// Delivery says how a preset hands the OIDC settings, above all the client secret, to the app.
type Delivery string

const (
	// DeliveryEnv: plain env vars; the secret through valueFrom.secretKeyRef.
	DeliveryEnv Delivery = "env"
	// DeliveryJSON: the secret sits inside a structured env value (JSON or a Python literal), so
	// the whole value is rendered into a key of the app Secret by an ESO template.
	DeliveryJSON Delivery = "json"
	// DeliveryFile: the app reads its OAuth settings from a config file only.
	DeliveryFile Delivery = "file"
	// DeliveryClientOnly: the app is configured in its UI or CLI; the preset registers the
	// client, delivers the secret to the app Secret and reports the manual step.
	DeliveryClientOnly Delivery = "client-only"
	// DeliveryChart: the app is configured through the values of its official Helm chart
	// (Charts), which runs the app's own setup command or reads a config Secret at start; with
	// any other chart nothing is wired and the notes say the manual step.
	DeliveryChart Delivery = "chart"
)

// Format is the serialization of a structured value.
type Format string

const (
	FormatJSON Format = "json"
	FormatYAML Format = "yaml"
	// FormatPython is a Python literal (pgAdmin evaluates PGADMIN_CONFIG_* values as Python).
	FormatPython Format = "python"
)

// Preset is one app of the catalog, as written in pkg/preset/presets/<name>.yaml. String values
// in Env, Callbacks, Notes, structured Data and chart Values are Go templates over the Input
// (see TemplateVars).
type Preset struct {
	// Name is the slug users write in spec.preset.
	Name string `json:"name"`
	// Aliases are other names the app is widely known by (Vaultwarden: bitwarden, the server
	// it reimplements). They are only suggested (spec.preset: bitwarden is an error that says
	// "did you mean vaultwarden?"), never resolved: the other name may be another app.
	Aliases []string `json:"aliases,omitempty"`

	DisplayName string `json:"displayName"`
	// Docs links to the app's own OIDC documentation.
	Docs string `json:"docs"`
	// MinVersion is the first app version the preset works with ("" when any recent one does).
	MinVersion string   `json:"minVersion,omitempty"`
	Delivery   Delivery `json:"delivery"`
	// Discovery says which form of the provider address the app takes: issuer, wellKnown,
	// endpoints or none. Informational (docs and `pocketid-oidc presets`).
	Discovery string `json:"discovery"`
	// Callbacks are paths joined to the app URL, or absolute URLs (custom schemes).
	Callbacks       []string `json:"callbacks,omitempty"`
	LogoutCallbacks []string `json:"logoutCallbacks,omitempty"`
	// PKCE is the client's default; true only where the preset also makes the app send PKCE.
	PKCE   bool     `json:"pkce"`
	Scopes []string `json:"scopes"`
	// ProviderKeyPattern, when set, restricts spec.login.providerKey (Vikunja: lower case, no _).
	ProviderKeyPattern string `json:"providerKeyPattern,omitempty"`
	// Env maps env var names (templates too: Vikunja puts the provider key into names) to
	// value templates. A value of exactly {{ .ClientSecret }} becomes a secretKeyRef.
	Env map[string]string `json:"env,omitempty"`
	// Limits are lengths the app enforces on Env values, by env name as written (limits.go).
	Limits map[string]Limit `json:"limits,omitempty"`
	// SecretEnv are env vars whose structured value holds the secret.
	SecretEnv []SecretValue `json:"secretEnv,omitempty"`
	// Files are config files rendered into the app Secret and mounted.
	Files []FileValue `json:"files,omitempty"`
	// Generated are random values the app needs, exposed as env vars.
	Generated []GeneratedValue `json:"generated,omitempty"`
	// SecretKeys are extra keys of the app Secret, by key, with plain template values (a whole
	// {{ .ClientSecret }} is the secret itself), for charts that read fixed key names from an
	// existing Secret (the gitea chart's gitea.oauth[].existingSecret reads key and secret).
	SecretKeys map[string]string `json:"secretKeys,omitempty"`
	// Charts is chart-specific wiring keyed by chart name.
	Charts map[string]ChartSpec `json:"charts,omitempty"`
	// Notes are manual app-side steps and caveats, reported as info results.
	Notes []string `json:"notes,omitempty"`
	// Warnings are caveats that can lose data or break a login (Immich's config file replaces
	// every system setting), reported as warning results.
	Warnings []string `json:"warnings,omitempty"`
	// Evidence says where in the app's own source each key and callback is read (evidence.go).
	Evidence Evidence `json:"evidence"`
	// PublicURL says how the app's redirects stay right behind a TLS-terminating ingress.
	PublicURL PublicURL `json:"publicURL"`
	// Requires are prerequisites on Pocket ID, reported by the function.
	Requires Requires `json:"requires,omitempty"`
}

// Evidence records where the app reads what the preset sets. Every value is a reference:
// a path in Repository at Version (optionally with a #L anchor) or an https URL, then
// optionally free text after whitespace ("conf.go: defaults to false").
type Evidence struct {
	// Repository is the owner/name on GitHub of the source that was read.
	Repository string `json:"repository"`
	// Version is the tag (or version) of the app that was checked.
	Version string `json:"version"`
	// Keys maps every key the preset sets (EvidenceKeys) to where the app reads it.
	Keys map[string]string `json:"keys"`
	// Callbacks maps every callback and logout callback, as written in the preset, to where
	// the app routes it.
	Callbacks map[string]string `json:"callbacks"`
	// MinVersion says why MinVersion is what it is; required when MinVersion is set.
	MinVersion string `json:"minVersion,omitempty"`
	// Requires says where the app refuses what Preset.Requires guards against (a false
	// email_verified claim); required when the preset has a requirement.
	Requires string `json:"requires,omitempty"`
}

// PublicURLMode is how an app learns its public URL for redirects.
type PublicURLMode string

const (
	// PublicURLSetting: a key the preset sets holds the public URL.
	PublicURLSetting PublicURLMode = "setting"
	// PublicURLForwardedHeaders: the preset makes the app trust X-Forwarded-*.
	PublicURLForwardedHeaders PublicURLMode = "forwarded-headers"
	// PublicURLRequestHost: the app builds it from the Host header and handles the scheme
	// (the evidence says how).
	PublicURLRequestHost PublicURLMode = "request-host"
	// PublicURLAbsolute: the callback itself is configured as an absolute URL.
	PublicURLAbsolute PublicURLMode = "absolute"
	// PublicURLAppSetting: client-only presets only; the app builds the redirect from its own
	// public-URL setting (Gitea's ROOT_URL), which the preset cannot set and the notes name.
	PublicURLAppSetting PublicURLMode = "app-setting"
)

// PublicURL says how redirects stay right behind a TLS-terminating ingress.
type PublicURL struct {
	Mode PublicURLMode `json:"mode"`
	// Keys are the keys the preset sets that implement it; empty for request-host and
	// app-setting.
	Keys []string `json:"keys,omitempty"`
	// Evidence is a reference like those of Evidence.Keys.
	Evidence string `json:"evidence"`
}

// Requires are prerequisites the app has on Pocket ID.
type Requires struct {
	// EmailsVerified: the app refuses users whose email_verified claim is false, so Pocket ID
	// must mark emails verified (its EMAILS_VERIFIED setting).
	EmailsVerified bool `json:"emailsVerified,omitempty"`
	// Unless is the app's own setting that makes it accept what Pocket ID sends
	// (requires.go): set in spec.env, the requirement is neither reported nor checked.
	Unless *Waiver `json:"unless,omitempty"`
}

// SecretValue is an env var whose value is structured data serialized in Format.
type SecretValue struct {
	Env string `json:"env"`
	// Key of the app Secret; default Env.
	Key    string `json:"key,omitempty"`
	Format Format `json:"format"`
	Data   any    `json:"data"`
}

// FileValue is a config file kept in the app Secret under Key and mounted at MountPath.
type FileValue struct {
	Key       string `json:"key"`
	Format    Format `json:"format"`
	MountPath string `json:"mountPath"`
	// Env, when set, is given the mount path (IMMICH_CONFIG_FILE).
	Env  string `json:"env,omitempty"`
	Data any    `json:"data"`
}

// GeneratedValue is a random value produced once by the ESO Password generator.
type GeneratedValue struct {
	Env string `json:"env"`
	// Key in the generated Secret; default Env.
	Key    string `json:"key,omitempty"`
	Length int    `json:"length"`
}

//go:embed presets/*.yaml
var embedded embed.FS

// Catalog is a set of presets by name.
type Catalog struct {
	presets map[string]*Preset
}

var (
	defaultOnce    sync.Once
	defaultCatalog *Catalog
)

// Default is the embedded catalog. It panics only when an embedded file is broken, which
// TestDefaultCatalog guards, so a released binary cannot hit it.
func Default() *Catalog {
	defaultOnce.Do(func() {
		c, err := Load(embedded, "presets")
		if err != nil {
			panic(fmt.Sprintf("preset: embedded catalog: %v", err))
		}
		defaultCatalog = c
	})
	return defaultCatalog
}

// Load reads every *.yaml file of dir in fsys as one preset and checks it.
func Load(fsys fs.FS, dir string) (*Catalog, error) {
	files, err := fs.Glob(fsys, path.Join(dir, "*.yaml"))
	if err != nil {
		return nil, err
	}
	c := &Catalog{presets: map[string]*Preset{}}
	for _, f := range files {
		b, err := fs.ReadFile(fsys, f)
		if err != nil {
			return nil, err
		}
		p, err := Parse(b)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", f, err)
		}
		if want := strings.TrimSuffix(path.Base(f), ".yaml"); p.Name != want {
			return nil, fmt.Errorf("%s: name %q must match the file name", f, p.Name)
		}
		c.presets[p.Name] = p
	}
	return c, nil
}

var (
	slugRE    = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	secretKey = regexp.MustCompile(`^[-._a-zA-Z0-9]+$`)
)

// Parse reads one preset strictly (an unknown field is an error, so a typo in the catalog
// cannot silently drop a setting) and checks what does not need an Input.
func Parse(b []byte) (*Preset, error) {
	p := &Preset{}
	if err := yaml.UnmarshalStrict(b, p); err != nil {
		return nil, err
	}
	var errs []string
	bad := func(format string, a ...any) { errs = append(errs, fmt.Sprintf(format, a...)) }
	if !slugRE.MatchString(p.Name) {
		bad("name %q is not a lower-case slug", p.Name)
	}
	if p.DisplayName == "" {
		bad("displayName is required")
	}
	if !strings.HasPrefix(p.Docs, "https://") {
		bad("docs must be an https link")
	}
	switch p.Delivery {
	case DeliveryEnv, DeliveryJSON, DeliveryFile, DeliveryClientOnly, DeliveryChart:
	default:
		bad("delivery %q is not one of env, json, file, client-only, chart", p.Delivery)
	}
	switch p.Discovery {
	case "issuer", "wellKnown", "endpoints", "none":
	default:
		bad("discovery %q is not one of issuer, wellKnown, endpoints, none", p.Discovery)
	}
	if len(p.Callbacks) == 0 {
		bad("callbacks: at least one is required")
	}
	if len(p.Scopes) == 0 {
		bad("scopes: at least one is required")
	}
	if p.ProviderKeyPattern != "" {
		if _, err := regexp.Compile(p.ProviderKeyPattern); err != nil {
			bad("providerKeyPattern: %v", err)
		}
	}
	if p.Delivery == DeliveryClientOnly && len(p.Notes) == 0 {
		bad("notes: a client-only preset must say the manual step")
	}
	if p.Delivery == DeliveryChart && (len(p.Charts) == 0 || len(p.Notes) == 0) {
		bad("a chart preset needs charts and notes that say the manual step with any other chart")
	}
	if p.Delivery == DeliveryJSON && len(p.SecretEnv) == 0 {
		bad("secretEnv: a json preset needs one")
	}
	if p.Delivery == DeliveryFile && len(p.Files) == 0 {
		bad("files: a file preset needs one")
	}
	for i := range p.SecretEnv {
		s := &p.SecretEnv[i]
		if s.Key == "" {
			s.Key = s.Env
		}
		if s.Env == "" || !secretKey.MatchString(s.Key) || !knownFormat(s.Format) || s.Data == nil {
			bad("secretEnv[%d]: env, a valid key, format (json, yaml, python) and data are required", i)
		}
	}
	for i, f := range p.Files {
		if !secretKey.MatchString(f.Key) || !knownFormat(f.Format) || !strings.HasPrefix(f.MountPath, "/") || f.Data == nil {
			bad("files[%d]: key, format, an absolute mountPath and data are required", i)
		}
	}
	for i := range p.Generated {
		g := &p.Generated[i]
		if g.Key == "" {
			g.Key = g.Env
		}
		if g.Env == "" || !secretKey.MatchString(g.Key) || g.Length < 16 {
			bad("generated[%d]: env, a valid key and a length of at least 16 are required", i)
		}
	}
	for i, k := range sortedKeys(p.SecretKeys) {
		if !secretKey.MatchString(k) || k == SecretKeyClientID || k == SecretKeyClientSecret || p.SecretKeys[k] == "" {
			bad("secretKeys[%d]: %q must be a valid Secret key other than %s and %s, with a value", i, k, SecretKeyClientID, SecretKeyClientSecret)
		}
	}
	for _, name := range sortedKeys(p.Charts) {
		errs = append(errs, p.Charts[name].check(name, p.setsEnv())...)
	}
	errs = append(errs, p.checkLimits()...)
	errs = append(errs, p.evidenceShape()...)
	if len(errs) > 0 {
		return nil, fmt.Errorf("preset %q: %s", p.Name, strings.Join(errs, "; "))
	}
	return p, nil
}

func knownFormat(f Format) bool {
	return f == FormatJSON || f == FormatYAML || f == FormatPython
}

// Get returns the preset called name.
func (c *Catalog) Get(name string) (*Preset, bool) {
	p, ok := c.presets[name]
	return p, ok
}

// Names returns the preset names, sorted.
func (c *Catalog) Names() []string {
	names := make([]string, 0, len(c.presets))
	for n := range c.presets {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Custom is the preset-less path: no callbacks, no env besides the user's spec.env.
func Custom() *Preset {
	return &Preset{Scopes: []string{"openid", "profile", "email"}}
}

// Lookup is Get for spec.preset: "" is Custom, an unknown name an error at spec.preset that
// lists the known ones.
func (c *Catalog) Lookup(name string) (*Preset, *field.Error) {
	if name == "" {
		return Custom(), nil
	}
	if p, ok := c.presets[name]; ok {
		return p, nil
	}
	return nil, c.unknown(name)
}
