package contract

import (
	"regexp"
	"time"
)

// Paths inside the provisioning pod: the renderer mounts the client documents, the client
// secrets, the admin API key and an optional CA there; `pocketid-oidc provision` reads them.
const (
	BaseDir    = "/etc/pocketid-oidc"
	ClientsDir = BaseDir + "/clients"
	SecretsDir = BaseDir + "/secrets"
	APIKeyDir  = BaseDir + "/api-key"
	APIKeyFile = APIKeyDir + "/api-key"
	CADir      = BaseDir + "/ca"
	CAFile     = CADir + "/ca.crt"
)

// Environment variables `pocketid-oidc provision` reads; the rendered pod sets EnvURL and
// EnvAPIKeyFile.
const (
	EnvURL        = "POCKETID_URL"
	EnvAPIKey     = "POCKETID_API_KEY"
	EnvAPIKeyFile = "POCKETID_API_KEY_FILE"
	EnvCAFile     = "POCKETID_CA_FILE"
)

// DefaultRotationOverlap is how long an older client secret stays valid after a new one is
// registered, when the integration does not say. The function writes it into every client
// document; the provisioner applies it to a document that has none.
const DefaultRotationOverlap = 24 * time.Hour

// Pocket ID's limits. The kubebuilder markers on the API types repeat ClientIDPattern, because a
// marker cannot name a constant; TestClientIDMarker (pkg/api/v1alpha1) keeps them equal.
const (
	// ClientIDPattern is what Pocket ID accepts as a client id.
	ClientIDPattern = `^[a-zA-Z0-9._-]{2,128}$`
	// MaxDisplayNameLength is the most characters of a client's name.
	MaxDisplayNameLength = 50
	// MinGroupNameLength and MaxGroupNameLength bound a group's name, in characters: another
	// name can neither exist nor be created.
	MinGroupNameLength = 2
	MaxGroupNameLength = 255
)

var clientIDRE = regexp.MustCompile(ClientIDPattern)

// ValidClientID reports whether Pocket ID accepts id as a client id.
func ValidClientID(id string) bool { return clientIDRE.MatchString(id) }
