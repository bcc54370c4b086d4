package provisioning

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"

	"github.com/endsys/pocketid-oidc/pkg/api/v1alpha1"
)

// Labels of everything rendered here: each object belongs to one integration.
func Labels(integration string) map[string]string {
	return map[string]string{v1alpha1.LabelManagedBy: v1alpha1.ManagedByValue, v1alpha1.LabelIntegration: integration}
}

// hash is 10 hex digits of the SHA-256 of the ConfigMap's data, the Job's pod template and
// its pod failure policy, as JSON (map keys sorted): everything of the pair that cannot change
// under one name. The TTL, backoffLimit and activeDeadlineSeconds stay out: they change in
// place.
func hash(data map[string]string, template corev1.PodTemplateSpec, policy *batchv1.PodFailurePolicy) (string, error) {
	b, err := json.Marshal([]any{data, template, policy})
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

// Names of the per-integration objects with a fixed suffix. A CronJob name may have 52
// characters (the controller appends -<minutes> to name its Jobs within 63); Secrets and
// ExternalSecrets 253.
const (
	maxCronJobName = 52
	maxSecretName  = 253
)

// APIKeySecretName is the ExternalSecret, and its Secret, that pull the admin API key into the
// integration's provisioning namespace when the key comes from the store.
func APIKeySecretName(integration string) string {
	return boundedName(integration, "-oidc-api-key", maxSecretName)
}

// CronJobName is the integration's reconcile CronJob.
func CronJobName(integration string) string {
	return boundedName(integration, "-oidc-reconcile", maxCronJobName)
}

// boundedName is integration+suffix, or when that is longer than max, the integration cut
// short plus 6 hex digits of its SHA-256, so two long names that share their start still differ.
func boundedName(integration, suffix string, max int) string {
	if len(integration)+len(suffix) <= max {
		return integration + suffix
	}
	sum := sha256.Sum256([]byte(integration))
	tag := "-" + hex.EncodeToString(sum[:])[:6]
	p := strings.TrimRight(integration[:max-len(suffix)-len(tag)], "-.")
	return p + tag + suffix
}
