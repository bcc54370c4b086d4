// Package v1alpha1 holds the API of pocketid-oidc, group oidc.endsys.cloud, version v1alpha1:
//
//   - PocketIDProvider: the Pocket ID instance and the settings every app shares (issuer, admin
//     API, secret store, provisioner image). It is the function's config.
//   - OIDCIntegration: one app that logs in through Pocket ID. The function expands it into app
//     wiring, ExternalSecrets and a provisioning Job.
//   - OIDCClient: the resolved desired state of one Pocket ID client, every default applied. The
//     function writes it into the provisioning Job's ConfigMap; `pocketid-oidc provision` reads it.
//
// These are plain data types: defaulting and validation live next to them (defaults.go,
// validation.go), rendering lives in other packages.
//
// +kubebuilder:object:generate=false
// +groupName=oidc.endsys.cloud
package v1alpha1
