// Package helmrelease applies a preset.Wiring (environment variables, mounted Secret files,
// chart-specific values) to one Flux HelmRelease (helm.toolkit.fluxcd.io/v2), in place.
//
// Filter is a kyaml yaml.Filter: one HelmRelease RNode in, the same node edited out; its
// Apply method does the same and also returns the Warnings (the user's env entries taken over,
// below). It is idempotent (a second run on its own output changes nothing and warns about
// nothing) and it takes back what an earlier run of the same integration added and the
// current Wiring no longer asks for, so a shrinking preset, state: absent (the zero Wiring)
// and strategy none all render correctly.
//
// # Routes
//
// The Wiring reaches the app one of three ways, chosen by Strategy and the chart:
//
//   - Chart-specific (Wiring.Charts[chart], e.g. "immich"), under auto and values: env at the
//     chart's EnvPath below spec.values (a Kubernetes EnvVar list when EnvList, as harbor's
//     core.extraEnvVars), and the chart's Values deep-merged into spec.values (maps key by
//     key, everything else replaced, as Helm merges; except the lists named in ListKeys, such
//     as the gitea chart's gitea.oauth, whose items join the user's list by their key field
//     and replace only the item of the same key). Those values deliver the Files; nothing is
//     mounted. A value the chart refuses next to them (Conflicts: the immich chart fails on
//     immich.configuration with immich.existingConfiguration) is an error at the user's field
//     when it is set in Helm's sense (conflicts.go): no release the chart will not install.
//   - bjw-s app-template (chart "app-template" in spec.chart.spec.chart, or a spec.chartRef to
//     an OCIRepository/HelmChart named "app-template" or "*-app-template"), under auto and
//     values: env at controllers.<c>.containers.<k>.env, Files as one
//     persistence.<secret>: {type: secret, name, advancedMounts: {<c>: {<k>: [...]}}} per
//     Secret; advancedMounts rather than globalMounts so only our container sees the file.
//   - Any other chart under auto, and every chart under postRenderer: one
//     spec.postRenderers[].kustomize.patches[] entry, a strategic-merge patch on the workload.
//
// Strategy values on a chart with neither of the first two routes is an error.
//
// # Env forms
//
// In values the user's env form is kept: map form (NAME: value, NAME: {valueFrom: ...}, and
// the bjw-s shorthand NAME: {secretKeyRef: ...} in the user's entries) or list form
// ([{name, value|valueFrom}]). Our entries replace same-named ones where they stand and the
// others are appended after the user's, sorted by name; no env yet means a new map. (A
// same-named entry of the user's is taken over; see below.) A
// Wiring var with a SecretKeyRef is always written as valueFrom.secretKeyRef, never as a
// value. ${VAR} placeholders are plain text to us and pass through untouched.
//
// # Ownership: the managed-env annotation
//
// Once our entries sit in the user's env block they cannot be told apart by looking, so the
// HelmRelease carries oidc.endsys.cloud/managed-env (v1alpha1.AnnotationManagedEnv): a JSON
// map keyed by integration name of what each one wrote into spec.values — the env block's
// path and names, persistence keys, and values paths (a key we created is recorded whole; in
// the user's maps only our keys are). Keyed by integration so two integrations wiring one
// release do not take back each other's entries (a name both claim stays until both let go).
// Paths are key lists, not dot strings, so keys containing dots survive. The annotation is
// removed when no integration owns anything. Taking back deletes our entry and the maps that
// deletion left empty, so a block we created disappears wholesale (Helm merges an empty map
// like an absent key, so pruning one the user wrote changes nothing).
//
// # Taking over the user's env entries
//
// An env entry under one of our names that no integration has recorded is the user's (they
// wrote DOMAIN or OIDC_SIGNUP_ENABLED in spec.values themselves). Ours replaces it where it
// stands all the same, since the app must get the integration's value, but the original is
// recorded under "replaced" in the annotation, by name: the YAML text of a one-entry env block
// in the form it stood in ("NAME: value" with its comments, or "- {name: NAME, ...}"). That is
// a literal or a valueFrom reference, never more than the HelmRelease already showed (its
// values only reference Secrets); "$" is written \u0024 in the JSON, so Flux's postBuild does
// not substitute a ${VAR} there. When the integration lets go of the name (the Wiring shrank,
// state absent, strategy none, another container) the original takes our entry's place, in
// its form; if our entry is gone it is appended to the block, and if the block is gone or
// changed form (map vs list) it cannot come back and is dropped with ours. When another
// integration still claims the name, the original passes to it with the entry.
//
// Each takeover is a Warning, not an error: "HelmRelease media/vaultwarden:
// spec.values.controllers.main.containers.main.env.DOMAIN: set in the HelmRelease and
// replaced by the integration's value; set spec.env.DOMAIN in the OIDCIntegration to choose
// the value explicitly" (list form: ...env[2]; a name in Filter.SpecEnv gets advice to match).
// It comes once, on the render that takes the entry over: from then on the entry is ours.
// Warnings, like errors, never contain an env value.
//
// Only env entries are restored this way. A value of the user's that a chart route's values
// replace (a different one; the same value is no news), and a list item of the same key, are
// reported by a Warning once and then recorded as ours, and deleted when we let go; a
// persistence entry of the user's that already mounts our Secret is recorded as ours without
// a warning. List items are recorded under "items" (path, key field, value), so two
// integrations can each own an item of one list. The post-renderer route takes
// nothing over: it never edits spec.values or the user's patches, its patch overrides a
// same-named env var only in the rendered workload, and deleting the patch is the restore.
//
// # The post-renderer patch and its marker
//
// The patch document's metadata.name is "pocketid-oidc.<integration>". It is the marker that
// finds our entry on the next render (to replace it where it stands, never stacking a
// second) and that distinguishes it from the user's patches. The name is free for this: with
// a target set, kustomize (which helm-controller runs for postRenderers) selects by the
// target and restores the workload's own kind and name after merging, so the marker never
// reaches a rendered object. Annotations or labels in the patch would, and a comment would
// not survive YAML round trips. A new entry joins the post-renderer item that already holds
// another integration's patch, else a new item at the end, after the user's post-renderers.
//
// The target is exactly the app's workload, by kind and name, never by labels alone: every
// workload of a release (sub-charts', and a chart's own helpers like open-webui's redis
// Deployment) carries app.kubernetes.io/instance=<release name>, often the app's
// app.kubernetes.io/name too, and a strategic merge on a workload without the named container
// ADDS that container (with no image), which fails the Helm upgrade. The release name is
// spec.releaseName, else [targetNamespace-]name, shortened past 53 characters as
// helm-controller does. In order:
//
//   - Filter.Workload (spec.helmRelease.workload of the integration): its kind and name.
//   - app-template: the controller's workload, kind from controllers.<c>.type (deployment,
//     statefulset, daemonset; cronjob and job are refused), selected by the instance label and
//     app.kubernetes.io/controller=<controller>, which the library sets on that controller's
//     workload only (its name depends on the controller count and overrides).
//   - any other chart: kind "Deployment|StatefulSet" (kustomize anchors target fields as
//     regular expressions; charts like open-webui switch kinds on a value) and the name `helm
//     create`'s fullname helper gives: values.fullnameOverride, else the release name when it
//     contains values.nameOverride or the chart name, else <release>-<that name>. A chartRef
//     without either override has no known chart name: an error asks for
//     spec.helmRelease.workload.
//
// The container must be named: Filter.Container; else, for app-template, the controller's
// only container or "main"; else the chart name (single-container charts name their container
// after the chart). A chartRef to another chart has no chart name: there Container is
// required. Each env item sets the field it uses and nulls the other (value vs valueFrom), so
// a chart default of the other form cannot survive the merge. envFrom is never patched: it
// has no merge key and a patch would replace the chart's whole list.
//
// # Errors
//
// Errors are a field.ErrorList aggregate (utilerrors.Aggregate of *field.Error) with paths
// into the HelmRelease (spec.values.controllers.main.containers.web), naming the release and
// what was searched ("container \"web\" not found in controllers.main.containers of
// HelmRelease media/immich; found: main, sidecar"). Faults in the Wiring itself carry
// wiring.* paths. No error text contains an env value.
package helmrelease
