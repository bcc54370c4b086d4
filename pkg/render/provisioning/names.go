package provisioning

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"

	corev1 "k8s.io/api/core/v1"

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

// hash is 10 hex digits of the SHA-256 of the ConfigMap's data and the Job's pod template,
// as JSON (map keys sorted): everything of the pair that cannot change under one name. The
// TTL and the Job's other limits stay out: they change in place.
func hash(data map[string]string, template corev1.PodTemplateSpec) (string, error) {
	b, err := json.Marshal([]any{data, template})
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])[:10], nil
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
