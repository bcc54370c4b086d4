// Package function is the render pipeline of pocketid-oidc: the ResourceList processor that
// turns OIDCIntegrations into HelmRelease wiring, ExternalSecrets and provisioning objects.
// The binary runs it as a KRM function (Run); a library user or another command calls Process
// or a Processor with its own preset catalog.
//
// The pipeline (processor.go) reads top to bottom, one file per stage:
//
//	config.go     read the functionConfig; merge the provider into each integration
//	items.go      index the items once: integrations, HelmReleases, objects we render; keys
//	resolve.go    decode, default, validate and resolve each integration's preset
//	checks.go     the rules that need the resolved wiring, and the warnings
//	requirements.go  the preset's requirements on Pocket ID (info) and warnings, on spec.preset
//	claims.go     integrations claiming one client id, one Secret or one container
//	wire.go       apply each integration's wiring to a copy of its HelmRelease
//	render.go     render each integration's objects; none is shared by two integrations
//	gateway.go    the gateway login: its SecurityPolicy and the claims on HTTPRoutes
//	retire.go     what integrations no longer in the input left: taken back under kpt, else a warning
//	inventory.go  the Inventory kio.Filter: upsert, prune, consume, kpt paths
//	results.go    every problem as a result naming the object and field
//	run.go        the KRM function around it; output.go writes the ResourceList
//
// Decisions:
//   - functionConfig: a PocketIDProvider (shared settings), or one OIDCIntegration with
//     spec.provider (the single-file form; kpt also passes it as an item, which is recognised
//     by namespace/name and rendered once). An empty config is allowed when every integration
//     carries spec.provider. Provider settings merge field by field, the integration's win.
//   - Items: every oidc.endsys.cloud/v1alpha1 OIDCIntegration is rendered. It is consumed
//     (removed) unless annotated config.kubernetes.io/local-config: "true" (kpt packages keep
//     their source). Without integrations the run changes nothing: that is the second
//     kustomize pass over our own output.
//   - HelmReleases (helm.toolkit.fluxcd.io, any version) are indexed once by namespace/name;
//     namespaces match exactly as written, "" included, so a Component running before the
//     kustomization's namespace: still pairs them. The integration's wiring is applied to a
//     copy by helmrelease.Filter; state absent (and strategy none) call it with an empty
//     Wiring to take back what an earlier render added. An env entry of the user's that the
//     wiring replaces is a warning on the HelmRelease, at that entry (restored on take-back).
//     Two integrations may wire one container only where they agree (an env var set to the
//     same value; never one file path). Under kyaml-based orchestrators (items carry an id
//     annotation) an entry whose form changes between a single value, a map and a list is an
//     error: kustomize would fail on it with "wrong node kind".
//   - Rendered objects are upserted by group/kind/namespace/name: a second render replaces
//     them (keeping the orchestrator's config.kubernetes.io/*, internal.config.kubernetes.io/*
//     and kustomize id annotations), never adds a copy. An object of the same identity that we
//     did not render is an error, not overwritten.
//   - Ownership: every rendered object carries the integration label of the one integration it
//     belongs to (the API key ExternalSecret and the reconcile CronJob too, one per
//     integration), so rendering apps one per run or all together gives the same objects.
//   - Pruning: an input object with our managed-by label that is not rendered again is removed
//     when its integration label names an integration of this run (in the app or provisioning
//     namespace), or, for an object without one (the per-namespace API key ExternalSecret and
//     CronJob of v0.1.0), when its namespace is a provisioning namespace of this run. Only the
//     kinds we render are ever pruned.
//   - Retiring: under kpt (the package is the source) an integration whose objects or wiring
//     are in the input but whose OIDCIntegration is not (by name, in any namespace) was
//     removed: its wiring is taken back from the HelmReleases as recorded there, its labelled
//     objects are pruned in the same run (also when it was the last integration), and a
//     warning names them all. Under kustomize that is only a warning on the HelmRelease.
//   - kpt: when any item has a path annotation, new objects get
//     internal.config.kubernetes.io/path <dir of the integration>/<name>-oidc.yaml and the
//     next free index of that file; the legacy
//     config.kubernetes.io/path too when the input uses it. kustomize items carry none, and then
//     neither do ours.
//   - Errors: every problem is a result naming the object and field (Run also prints it on
//     stderr); any error leaves rl.Items exactly as they came. Warnings and the presets' notes
//     and requirements on Pocket ID (info; the OIDCClient document carries the requirements
//     for the provisioner to check) do not stop the render.
//   - Everything is deterministic: integrations are processed in namespace/name order and
//     results follow that order.
package function
