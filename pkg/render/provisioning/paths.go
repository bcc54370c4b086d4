package provisioning

import (
	"path"

	"github.com/endsys/pocketid-oidc/pkg/contract"
	"github.com/endsys/pocketid-oidc/pkg/preset"
)

// Paths inside the provisioning pod: the fixed contract with `pocketid-oidc provision`, which
// reads them from package contract too.
const (
	BaseDir       = contract.BaseDir
	ClientsDir    = contract.ClientsDir
	SecretsDir    = contract.SecretsDir
	APIKeyDir     = contract.APIKeyDir
	APIKeyFile    = contract.APIKeyFile
	CADir         = contract.CADir
	CAFile        = contract.CAFile
	EnvURL        = contract.EnvURL
	EnvAPIKeyFile = contract.EnvAPIKeyFile
)

// SecretFile is where the provisioning pod sees the client secret of the app Secret secretName.
func SecretFile(secretName string) string {
	return path.Join(SecretsDir, secretName, preset.SecretKeyClientSecret)
}
