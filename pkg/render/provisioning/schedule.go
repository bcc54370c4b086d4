package provisioning

import (
	"crypto/sha256"
	"encoding/binary"
	"strconv"
	"strings"

	"github.com/endsys/pocketid-oidc/pkg/api/v1alpha1"
)

// Schedule is the reconcile CronJob's schedule for a validated, defaulted reconcileSchedule:
// "" for never (no CronJob), else the schedule with an H minute replaced by the integration's
// own minute, the SHA-256 of namespace/name modulo 60. The minute is deterministic (every
// render, joint or separate, writes the same) and spreads 40 apps over the hour.
func Schedule(spec, namespace, integration string) string {
	if spec == v1alpha1.ReconcileNever {
		return ""
	}
	fields := strings.Fields(spec)
	if len(fields) == 0 || fields[0] != v1alpha1.ReconcileHash {
		return spec
	}
	fields[0] = strconv.Itoa(Minute(namespace, integration))
	return strings.Join(fields, " ")
}

// Minute is the integration's minute of the hour, 0 to 59.
func Minute(namespace, integration string) int {
	sum := sha256.Sum256([]byte(namespace + "/" + integration))
	return int(binary.BigEndian.Uint64(sum[:8]) % 60)
}
