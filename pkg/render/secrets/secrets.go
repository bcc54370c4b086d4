package secrets

import (
	"regexp"
	"sort"
	"strings"

	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/endsys/pocketid-oidc/pkg/api/v1alpha1"
	"github.com/endsys/pocketid-oidc/pkg/preset"
	"github.com/endsys/pocketid-oidc/pkg/render/yamlnode"
)

// API versions of the External Secrets Operator objects, as served by ESO chart 2.x.
const (
	ExternalSecretAPIVersion = "external-secrets.io/v1"
	PushSecretAPIVersion     = "external-secrets.io/v1alpha1"
	GeneratorAPIVersion      = "generators.external-secrets.io/v1alpha1"
)

// ClientSecretLength is the length of a generated client secret: alphanumeric, so it survives
// every app's config syntax (JSON, YAML, env) without quoting, and long enough (~285 bits).
const ClientSecretLength = 48

// refreshInterval is how often ESO re-reads the store: a rotated secret reaches the app within it.
const refreshInterval = "1h"

// Client is the client-secret side of one integration.
type Client struct {
	// Integration is the integration's name, for the labels.
	Integration string
	// Namespace of the objects, kept as-is ("" lets a later namespace transformer place them).
	Namespace string
	StoreRef  v1alpha1.SecretStoreRef
	// SecretName is the app Secret; RemoteKey the secret's name in the store.
	SecretName string
	RemoteKey  string
	ClientID   string
	// Templates are extra keys of the app Secret (the preset's SecretTemplates).
	Templates map[string]string
}

// ExternalSecret renders the ExternalSecret that fills the app Secret from the store: the
// client id as a literal, the client secret and every template key rendered by ESO, so no
// secret value ever passes through the function.
func ExternalSecret(c Client) *yaml.RNode {
	data := map[string]any{
		preset.SecretKeyClientID:     c.ClientID,
		preset.SecretKeyClientSecret: "{{ ." + preset.ClientSecretVar + " }}",
	}
	for k, v := range c.Templates {
		data[k] = v
	}
	return object(ExternalSecretAPIVersion, "ExternalSecret", c.SecretName, c.Namespace, c.Integration, map[string]any{
		"refreshInterval": refreshInterval,
		"secretStoreRef":  storeRef(c.StoreRef),
		"target": map[string]any{
			"name":           c.SecretName,
			"creationPolicy": "Owner",
			"template": map[string]any{
				"engineVersion": "v2",
				"data":          data,
			},
		},
		"data": []any{map[string]any{
			"secretKey": preset.ClientSecretVar,
			"remoteRef": map[string]any{"key": c.RemoteKey},
		}},
	})
}

// SeedName is the name shared by the Password generator, the CreatedOnce ExternalSecret and the
// PushSecret that seed the store with a generated client secret.
func SeedName(secretName string) string { return secretName + "-seed" }

// Seed renders what `secret.generate: true` adds: a Password generator, an ExternalSecret that
// runs it once (refreshPolicy CreatedOnce, else every refresh would make a new secret) into
// <secret>-seed, and a PushSecret that copies that value to the store only if the key does not
// exist (updatePolicy IfNotExists) and never deletes it (deletionPolicy None). The app's own
// ExternalSecret keeps reading the store, so the store stays the single source of truth: after
// a cluster rebuild the stored secret is reused and the new seed is simply not pushed.
func Seed(c Client) []*yaml.RNode {
	name := SeedName(c.SecretName)
	return []*yaml.RNode{
		password(name, c.Namespace, c.Integration, preset.SecretKeyClientSecret, ClientSecretLength),
		object(ExternalSecretAPIVersion, "ExternalSecret", name, c.Namespace, c.Integration, map[string]any{
			"refreshPolicy": "CreatedOnce",
			"target": map[string]any{
				"name":           name,
				"creationPolicy": "Owner",
			},
			"dataFrom": []any{generatorSource(name)},
		}),
		object(PushSecretAPIVersion, "PushSecret", name, c.Namespace, c.Integration, map[string]any{
			"refreshInterval": refreshInterval,
			"updatePolicy":    "IfNotExists",
			"deletionPolicy":  "None",
			"secretStoreRefs": []any{storeRef(c.StoreRef)},
			"selector":        map[string]any{"secret": map[string]any{"name": name}},
			"data": []any{map[string]any{
				"match": map[string]any{
					"secretKey": preset.SecretKeyClientSecret,
					"remoteRef": map[string]any{"remoteKey": c.RemoteKey},
				},
			}},
		}),
	}
}

// Generated renders a preset's random values (FreshRSS's crypto key): one Password generator per
// value and one CreatedOnce ExternalSecret collecting them into secretName. These values are
// not pushed to the store: they only protect app-local state, and the app re-creates that state
// when a rebuilt cluster generates new ones. Nil when there is nothing to generate.
func Generated(integration, namespace, secretName string, values []preset.Generated) []*yaml.RNode {
	if len(values) == 0 {
		return nil
	}
	sorted := append([]preset.Generated(nil), values...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].Key < sorted[j].Key })
	var out []*yaml.RNode
	var sources []any
	for _, g := range sorted {
		name := secretName + "-" + nameSafe(g.Key)
		out = append(out, password(name, namespace, integration, g.Key, g.Length))
		sources = append(sources, generatorSource(name))
	}
	out = append(out, object(ExternalSecretAPIVersion, "ExternalSecret", secretName, namespace, integration, map[string]any{
		"refreshPolicy": "CreatedOnce",
		"target": map[string]any{
			"name":           secretName,
			"creationPolicy": "Owner",
		},
		"dataFrom": sources,
	}))
	return out
}

// APIKey renders the ExternalSecret that pulls the admin API key into the Secret name (key
// api-key) for one integration's provisioning: each integration has its own, so apps of one
// namespace rendered by different Kustomizations never share (and prune) one object.
func APIKey(integration, name, namespace string, store v1alpha1.SecretStoreRef, remoteKey string) *yaml.RNode {
	return object(ExternalSecretAPIVersion, "ExternalSecret", name, namespace, integration, map[string]any{
		"refreshInterval": refreshInterval,
		"secretStoreRef":  storeRef(store),
		"target": map[string]any{
			"name":           name,
			"creationPolicy": "Owner",
		},
		"data": []any{map[string]any{
			"secretKey": v1alpha1.DefaultAPIKeySecretKey,
			"remoteRef": map[string]any{"key": remoteKey},
		}},
	})
}

func password(name, namespace, integration, key string, length int) *yaml.RNode {
	if length <= 0 {
		length = ClientSecretLength
	}
	return object(GeneratorAPIVersion, "Password", name, namespace, integration, map[string]any{
		"length":      length,
		"digits":      length / 4,
		"symbols":     0,
		"noUpper":     false,
		"allowRepeat": true,
		"secretKeys":  []any{key},
	})
}

func generatorSource(name string) map[string]any {
	return map[string]any{"sourceRef": map[string]any{"generatorRef": map[string]any{
		"apiVersion": GeneratorAPIVersion,
		"kind":       "Password",
		"name":       name,
	}}}
}

func storeRef(r v1alpha1.SecretStoreRef) map[string]any {
	kind := r.Kind
	if kind == "" {
		kind = v1alpha1.DefaultSecretStoreKind
	}
	return map[string]any{"kind": kind, "name": r.Name}
}

var unsafeRE = regexp.MustCompile(`[^a-z0-9-]+`)

// nameSafe turns a Secret key (OIDC_CLIENT_CRYPTO_KEY) into a name fragment (oidc-client-crypto-key).
func nameSafe(s string) string {
	return strings.Trim(unsafeRE.ReplaceAllString(strings.ToLower(s), "-"), "-")
}

// Labels returns the labels of everything rendered for integration ("" for objects shared by
// several integrations).
func Labels(integration string) map[string]any {
	l := map[string]any{v1alpha1.LabelManagedBy: v1alpha1.ManagedByValue}
	if integration != "" {
		l[v1alpha1.LabelIntegration] = integration
	}
	return l
}

func object(apiVersion, kind, name, namespace, integration string, spec map[string]any) *yaml.RNode {
	meta := map[string]any{"name": name, "labels": Labels(integration)}
	if namespace != "" {
		meta["namespace"] = namespace
	}
	return yamlnode.Object(map[string]any{
		"apiVersion": apiVersion,
		"kind":       kind,
		"metadata":   meta,
		"spec":       spec,
	})
}
