package provisioning

import (
	"path"

	"github.com/endsys/pocketid-oidc/pkg/preset"
)

// Paths inside the provisioning pod: the fixed contract with `pocketid-oidc provision`.
const (
	BaseDir       = "/etc/pocketid-oidc"
	ClientsDir    = BaseDir + "/clients"
	SecretsDir    = BaseDir + "/secrets"
	APIKeyDir     = BaseDir + "/api-key"
	APIKeyFile    = APIKeyDir + "/api-key"
	CADir         = BaseDir + "/ca"
	CAFile        = CADir + "/ca.crt"
	EnvURL        = "POCKETID_URL"
	EnvAPIKeyFile = "POCKETID_API_KEY_FILE"
)

// SecretFile is where the provisioning pod sees the client secret of the app Secret secretName.
func SecretFile(secretName string) string {
	return path.Join(SecretsDir, secretName, preset.SecretKeyClientSecret)
}
