package provisioning

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/endsys/pocketid-oidc/pkg/api/v1alpha1"
)

// Labels of everything rendered here; integration "" for the shared CronJob.
func Labels(integration string) map[string]string {
	l := map[string]string{v1alpha1.LabelManagedBy: v1alpha1.ManagedByValue}
	if integration != "" {
		l[v1alpha1.LabelIntegration] = integration
	}
	return l
}

// hash covers everything the Job acts on: the document, the image, the API endpoint, the CA
// and the Secrets it reads. Not the TTL, which does not change what the Job does.
func hash(c Client, docYAML string) string {
	h := sha256.New()
	ca := ""
	if c.Provider.CAConfigMapRef != nil {
		ca = c.Provider.CAConfigMapRef.Name + "/" + c.Provider.CAConfigMapRef.Key
	}
	for _, s := range []string{docYAML, c.Provider.Image, c.Provider.APIURL, ca,
		c.APIKeySecret.Name + "/" + c.APIKeySecret.Key, c.SecretName} {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))[:10]
}

// maxPrefix keeps <prefix>-oidc-<10 hex> within 63 characters: Job names become a label value
// (job-name) on their pods.
const maxPrefix = 63 - len("-oidc-") - 10

func objectName(integration, sum string) string {
	p := integration
	if len(p) > maxPrefix {
		p = strings.TrimRight(p[:maxPrefix], "-.")
	}
	return fmt.Sprintf("%s-oidc-%s", p, sum)
}
