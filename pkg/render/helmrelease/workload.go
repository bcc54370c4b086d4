package helmrelease

import (
	"crypto/sha256"
	"fmt"
)

// releaseName is the Helm release name Flux uses, which charts put into the
// app.kubernetes.io/instance label: spec.releaseName, else [targetNamespace-]name, shortened
// the way helm-controller shortens names over 53 characters.
func releaseName(rel *release) string {
	name := str(mapGet(rel.spec, "releaseName"))
	if name == "" {
		name = rel.hr.GetName()
		if tns := str(mapGet(rel.spec, "targetNamespace")); tns != "" {
			name = tns + "-" + name
		}
	}
	if len(name) <= 53 {
		return name
	}
	sum := fmt.Sprintf("%x", sha256.Sum256([]byte(name)))
	return name[:53-13] + "-" + sum[:12]
}
