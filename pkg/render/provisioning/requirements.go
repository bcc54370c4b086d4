package provisioning

import (
	"github.com/endsys/pocketid-oidc/pkg/api/v1alpha1"
	"github.com/endsys/pocketid-oidc/pkg/preset"
)

// Requirements are the names of a preset's prerequisites on Pocket ID, as the OIDCClient
// document's spec.requirements carries them for the provisioner to check against Pocket ID's
// application configuration. The one mapping from preset.Requires to those names: the
// function reports the same list as results.
func Requirements(r preset.Requires) []string {
	var names []string
	if r.EmailsVerified {
		names = append(names, v1alpha1.RequirementEmailsVerified)
	}
	return names
}
