// Package contract holds what the function (which renders the provisioning Job) and the
// provisioner (which runs in it) must agree on, in one place: the paths and environment of the
// provisioning pod, the exit codes of `pocketid-oidc provision` (which the Job's
// podFailurePolicy keys on), the rotation-overlap default, and the limits Pocket ID puts on a
// client id, a display name and a group name. Both sides import it; neither restates a value.
//
// It imports nothing of this module, so any package may import it.
package contract
