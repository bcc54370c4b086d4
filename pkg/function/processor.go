package function

// The ResourceList processor: how OIDCIntegrations become objects.
//
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
//   - Pruning: an input object with our managed-by label that is not rendered again is removed
//     when its integration label names an integration of this run (in the app or provisioning
//     namespace), or, for the shared objects (API key ExternalSecret, CronJob, no integration
//     label), when its namespace is a provisioning namespace of this run. Only the kinds we
//     render are ever pruned.
//   - kpt: when any item has a path annotation, new objects get
//     internal.config.kubernetes.io/path <dir of the integration>/<name>-oidc.yaml (shared
//     objects: <dir>/pocketid-oidc.yaml) and the next free index of that file; the legacy
//     config.kubernetes.io/path too when the input uses it. kustomize items carry none, and then
//     neither do ours.
//   - Errors: every problem is a result naming the object and field (also printed on stderr
//     by Run); any error leaves rl.Items exactly as they came. Warnings and the
//     presets' notes (info) do not stop the render.
//   - Everything is deterministic: integrations are processed in namespace/name order and
//     results follow that order.

import (
	"errors"
	"fmt"
	"maps"
	"path"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/kptdev/krm-functions-sdk/go/fn"
	utilerrors "k8s.io/apimachinery/pkg/util/errors"
	"k8s.io/apimachinery/pkg/util/validation/field"
	"sigs.k8s.io/kustomize/kyaml/kio/kioutil"
	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/endsys/pocketid-oidc/pkg/api/v1alpha1"
	"github.com/endsys/pocketid-oidc/pkg/preset"
	"github.com/endsys/pocketid-oidc/pkg/render/helmrelease"
	"github.com/endsys/pocketid-oidc/pkg/render/provisioning"
	"github.com/endsys/pocketid-oidc/pkg/render/secrets"
)

// Processor renders OIDCIntegrations with a preset catalog; the zero value uses the built-in
// catalog.
type Processor struct {
	Catalog *preset.Catalog
}

var _ fn.ResourceListProcessor = (*Processor)(nil)

// Process renders every OIDCIntegration of rl with the built-in preset catalog.
func Process(rl *fn.ResourceList) (bool, error) { return (&Processor{}).Process(rl) }

// Process renders every OIDCIntegration of rl. It returns false with error results, and then
// leaves rl.Items exactly as they were.
func (p *Processor) Process(rl *fn.ResourceList) (bool, error) {
	catalog := p.Catalog
	if catalog == nil {
		catalog = preset.Default()
	}
	r := &rendering{catalog: catalog, rl: rl}
	r.process()
	rl.Results = append(rl.Results, r.results...)
	return !r.failed, nil
}

// Annotations that orchestrators own on items: kept when we replace an object we rendered
// before, so kpt writes it back to the same file and kustomize keeps tracking it.
var orchestratorPrefixes = []string{"config.kubernetes.io/", "internal.config.kubernetes.io/", "config.k8s.io/", "kustomize.config.k8s.io/"}

// Kinds we render: only these are ever pruned or replaced.
var renderedKinds = map[string]bool{
	"external-secrets.io/ExternalSecret":      true,
	"external-secrets.io/PushSecret":          true,
	"generators.external-secrets.io/Password": true,
	"/ConfigMap":    true,
	"batch/Job":     true,
	"batch/CronJob": true,
}

// rendering is the state of one Process call.
type rendering struct {
	catalog *preset.Catalog
	rl      *fn.ResourceList
	results fn.Results
	failed  bool

	providerObj  *fn.KubeObject         // the PocketIDProvider functionConfig, if any
	configBroken bool                   // the functionConfig did not decode
	provider     *v1alpha1.ProviderSpec // its spec
	kpt          bool                   // items carry path annotations: new objects get one too
	legacyPath   bool                   // ... including the legacy config.kubernetes.io/path

	integrations []*integration
	releases     map[string]int // namespace/name -> item index
	existing     map[string]int // key -> item index, for the kinds we render
}

// integration is one OIDCIntegration being rendered.
type integration struct {
	obj      *fn.KubeObject
	item     int // index in rl.Items; -1 for the functionConfig alone
	consume  bool
	api      v1alpha1.OIDCIntegration
	provider v1alpha1.ProviderSpec
	resolved *preset.Resolved
	provNS   string // provisioning namespace
	ok       bool
}

func (in *integration) id() string { return nsName(in.obj.GetNamespace(), in.obj.GetName()) }

func (in *integration) present() bool { return in.api.Spec.Client.State != v1alpha1.StateAbsent }

func (in *integration) public() bool { return in.api.Spec.Client.Public }

func nsName(ns, name string) string {
	if ns == "" {
		return name
	}
	return ns + "/" + name
}

func isKind(o *fn.KubeObject, kind string) bool {
	return o.GetAPIVersion() == v1alpha1.APIVersion && o.GetKind() == kind
}

func groupOf(apiVersion string) string {
	if i := strings.LastIndex(apiVersion, "/"); i >= 0 {
		return apiVersion[:i]
	}
	return ""
}

// keyOf identifies an object independently of its API version.
func keyOf(apiVersion, kind, namespace, name string) string {
	return groupOf(apiVersion) + "/" + kind + "|" + namespace + "|" + name
}

func objKey(o *fn.KubeObject) string {
	return keyOf(o.GetAPIVersion(), o.GetKind(), o.GetNamespace(), o.GetName())
}

func (r *rendering) process() {
	r.readConfig()
	r.scanItems()
	if len(r.integrations) == 0 {
		// Nothing to render: typically the second kustomize pass over our own output, where
		// the integrations were consumed by the first. Leave everything as it is.
		return
	}
	sort.SliceStable(r.integrations, func(i, j int) bool {
		a, b := r.integrations[i], r.integrations[j]
		if a.obj.GetNamespace() != b.obj.GetNamespace() {
			return a.obj.GetNamespace() < b.obj.GetNamespace()
		}
		return a.obj.GetName() < b.obj.GetName()
	})
	for _, in := range r.integrations {
		r.prepare(in)
	}
	r.checkClaims()
	if r.failed {
		return
	}
	releases := r.wire()
	desired := r.render()
	if r.failed {
		return
	}
	r.apply(releases, desired)
}

// readConfig takes the provider from a PocketIDProvider functionConfig, or the one integration
// of the single-file form.
func (r *rendering) readConfig() {
	cfg := r.rl.FunctionConfig
	switch {
	case cfg == nil || cfg.IsEmpty():
	case isKind(cfg, v1alpha1.KindPocketIDProvider):
		var p v1alpha1.PocketIDProvider
		if errs := decode(cfg, &p); len(errs) > 0 {
			r.report(cfg, errs, fn.Error)
			// Its settings are unknown: do not also report them missing on every integration.
			r.configBroken = true
			return
		}
		if errs := v1alpha1.ValidateProvider(&p.Spec, field.NewPath("spec")); len(errs) > 0 {
			r.report(cfg, errs, fn.Error)
		}
		r.providerObj, r.provider = cfg, &p.Spec
	case isKind(cfg, v1alpha1.KindOIDCIntegration):
		r.integrations = append(r.integrations, &integration{obj: cfg, item: -1})
	default:
		r.report(cfg, field.ErrorList{field.Invalid(field.NewPath("kind"), cfg.GetAPIVersion()+" "+cfg.GetKind(),
			"the functionConfig must be a "+v1alpha1.APIVersion+" PocketIDProvider or OIDCIntegration")}, fn.Error)
	}
}

// scanItems indexes the input once: integrations, HelmReleases by namespace/name, and the
// objects of the kinds we render, so nothing below searches the items linearly.
func (r *rendering) scanItems() {
	r.releases = map[string]int{}
	r.existing = map[string]int{}
	var single *integration
	if len(r.integrations) == 1 {
		single = r.integrations[0]
	}
	for i, o := range r.rl.Items {
		if o.GetAnnotation(kioutil.PathAnnotation) != "" {
			r.kpt = true
		}
		//lint:ignore SA1019 kpt before v1 still writes only the legacy annotations; honour them.
		if o.GetAnnotation(kioutil.LegacyPathAnnotation) != "" {
			r.kpt, r.legacyPath = true, true
		}
		apiVersion, kind := o.GetAPIVersion(), o.GetKind()
		switch {
		case apiVersion == v1alpha1.APIVersion && kind == v1alpha1.KindOIDCIntegration:
			consume := !o.IsLocalConfig()
			if single != nil && single.obj.GetName() == o.GetName() && single.obj.GetNamespace() == o.GetNamespace() {
				// kpt passes the config file as an item too: one integration, not two.
				single.item, single.consume = i, consume
				continue
			}
			r.integrations = append(r.integrations, &integration{obj: o, item: i, consume: consume})
		case apiVersion != v1alpha1.APIVersion && groupOf(apiVersion) == v1alpha1.Group &&
			(kind == v1alpha1.KindOIDCIntegration || kind == v1alpha1.KindPocketIDProvider):
			// Passing an integration of another version through unrendered would look like
			// success.
			r.report(o, field.ErrorList{field.NotSupported(field.NewPath("apiVersion"), apiVersion, []string{v1alpha1.APIVersion})}, fn.Error)
		case kind == "HelmRelease" && groupOf(apiVersion) == "helm.toolkit.fluxcd.io":
			r.releases[nsName(o.GetNamespace(), o.GetName())] = i
		case renderedKinds[groupOf(apiVersion)+"/"+kind]:
			r.existing[objKey(o)] = i
		}
	}
}

// prepare decodes, merges, defaults, validates and resolves one integration.
func (r *rendering) prepare(in *integration) {
	if errs := decode(in.obj, &in.api); len(errs) > 0 {
		r.report(in.obj, errs, fn.Error)
		return
	}
	in.provider = v1alpha1.MergeProvider(r.provider, in.api.Spec.Provider)
	v1alpha1.SetProviderDefaults(&in.provider)
	missing := v1alpha1.MissingProviderSettings(&in.provider)
	if len(missing) > 0 && !r.configBroken {
		r.reportMissing(in, missing)
	}
	explicitEmptyGroups := in.api.Spec.Client.AllowedGroups != nil && len(in.api.Spec.Client.AllowedGroups) == 0
	// Before defaulting, which fills secret.remoteKey: a public client that names a client
	// secret asks for one it will never get.
	errs := publicClientSecretErrs(&in.api.Spec)
	v1alpha1.SetIntegrationDefaults(&in.api)
	errs = append(errs, v1alpha1.ValidateIntegration(&in.api)...)

	spec := field.NewPath("spec")
	p := preset.Custom()
	if name := in.api.Spec.Preset; name != "" {
		var found bool
		if p, found = r.catalog.Get(name); !found {
			errs = append(errs, field.NotSupported(spec.Child("preset"), name, r.catalog.Names()))
		}
	}
	// A missing provider setting is reported above, maybe on the PocketIDProvider: resolving
	// the preset without it would only report it again, on this integration.
	if len(errs) > 0 || r.hasErrorFor(in.obj) || r.configBroken || len(missing) > 0 {
		r.report(in.obj, errs, fn.Error)
		return
	}

	s := &in.api.Spec
	in.provNS = in.provider.Namespace
	if in.provNS == "" {
		in.provNS = in.api.Namespace
	} else if in.api.Namespace == "" {
		r.report(in.obj, field.ErrorList{field.Invalid(field.NewPath("metadata", "namespace"), "",
			fmt.Sprintf("has no namespace while provisioning goes to namespace %q: a namespace transformer running after the function (kustomize namespace:, Flux targetNamespace) will move the app objects but may also move the provisioning objects; give the integration its namespace, or leave the provider's namespace unset", in.provNS))}, fn.Warning)
	}

	if in.present() {
		res, rerrs := p.Resolve(preset.Input{
			Issuer:              in.provider.Issuer,
			AppURL:              s.URL,
			ClientID:            s.Client.ID,
			ProviderKey:         s.Login.ProviderKey,
			ButtonText:          s.Login.ButtonText,
			SecretName:          s.Secret.Name,
			GeneratedSecretName: in.api.GeneratedSecretName(),
			Env:                 s.Env,
			CallbackURLs:        s.Client.CallbackURLs,
		})
		if len(rerrs) > 0 {
			r.report(in.obj, rerrs, fn.Error)
			return
		}
		in.resolved = res
		var cerrs field.ErrorList
		if s.Client.Public && needsClientSecret(res.Wiring) {
			who := "spec.env"
			if s.Preset != "" {
				who = "preset " + s.Preset + " (or spec.env)"
			}
			cerrs = append(cerrs, field.Invalid(spec.Child("client", "public"), true,
				"a public client has no client secret, but "+who+" needs one: make the client confidential or drop the secret from the app's settings"))
		}
		if s.Client.DisplayName == "" && res.DisplayName == "" && len(s.Client.ID) > v1alpha1.MaxDisplayNameLength {
			cerrs = append(cerrs, field.Required(spec.Child("client", "displayName"),
				fmt.Sprintf("the display name defaults to the client id, which is longer than Pocket ID's %d characters", v1alpha1.MaxDisplayNameLength)))
		}
		if len(cerrs) > 0 {
			r.report(in.obj, cerrs, fn.Error)
			return
		}
		var warns field.ErrorList
		if explicitEmptyGroups {
			warns = append(warns, field.Invalid(spec.Child("client", "allowedGroups"), "[]",
				"the list is empty, so every Pocket ID user may log in; list group names to restrict the client, or remove the field"))
		}
		warns = append(warns, literalSecretWarnings(s.Env, spec.Child("env"))...)
		if len(res.CallbackURLs) == 0 && len(s.Client.AdditionalCallbackURLs) == 0 {
			warns = append(warns, field.Required(spec.Child("client", "callbackURLs"),
				"no callback URL: Pocket ID accepts the first one a login uses and pins it; list the app's callbacks"))
		}
		r.report(in.obj, warns, fn.Warning)
		for _, n := range res.Wiring.Notes {
			r.results = append(r.results, r.result(in.obj, nil, n, fn.Info))
		}
	}
	in.ok = true
}

// publicClientSecretErrs refuses the client-secret settings of a public client (generate is
// ValidateIntegration's): it has no secret, so they would be ignored without a word.
func publicClientSecretErrs(s *v1alpha1.IntegrationSpec) field.ErrorList {
	if !s.Client.Public {
		return nil
	}
	var errs field.ErrorList
	sec := field.NewPath("spec", "secret")
	const detail = "a public client has no client secret: remove it or public"
	if s.Secret.RemoteKey != "" {
		errs = append(errs, field.Invalid(sec.Child("remoteKey"), s.Secret.RemoteKey, detail))
	}
	if s.Secret.RotationOverlap != nil {
		errs = append(errs, field.Invalid(sec.Child("rotationOverlap"), s.Secret.RotationOverlap.Duration.String(), detail))
	}
	if s.Secret.RetainOld {
		errs = append(errs, field.Invalid(sec.Child("retainOld"), true, detail))
	}
	return errs
}

// secretNameRE matches env names that usually hold a secret: by their end, so that
// OAUTH_TOKEN_URL or CLIENT_SECRET_FILE (a URL, a path) do not.
var secretNameRE = regexp.MustCompile(`(?i)(SECRET|SECRET_?KEY|PASSWORD|PASSWD|TOKEN|PRIVATE_?KEY|API_?KEY|CREDENTIALS?)$`)

// literalSecretWarnings warns about spec.env entries whose name says secret but whose value is
// a literal: it would be rendered in plain text into the HelmRelease. The value is never
// quoted. {{ .ClientSecret }} (a secretKeyRef) and ${VAR} placeholders are left alone.
func literalSecretWarnings(env map[string]string, fld *field.Path) field.ErrorList {
	var warns field.ErrorList
	for _, name := range slices.Sorted(maps.Keys(env)) {
		v := strings.TrimSpace(env[name])
		if v == "" || !secretNameRE.MatchString(name) || strings.Contains(v, "{{") || v1alpha1.HasPlaceholder(v) {
			continue
		}
		warns = append(warns, field.Invalid(fld.Key(name), field.OmitValueType{},
			"looks like a secret but is a literal, which is rendered in plain text into the HelmRelease: use \"{{ .ClientSecret }}\" for the client secret, or leave the entry to the HelmRelease as a valueFrom.secretKeyRef"))
	}
	return warns
}

// needsClientSecret reports whether the wiring references the client secret anywhere.
func needsClientSecret(w preset.Wiring) bool {
	for _, e := range w.Env {
		if e.SecretKeyRef != nil && e.SecretKeyRef.Key == preset.SecretKeyClientSecret {
			return true
		}
	}
	for _, t := range w.SecretTemplates {
		if strings.Contains(t, "."+preset.ClientSecretVar) {
			return true
		}
	}
	return false
}

// reportMissing puts a missing provider setting where the user can add it: on the
// PocketIDProvider when the integration relies on it alone, else on spec.provider.
func (r *rendering) reportMissing(in *integration, missing []string) {
	for _, m := range missing {
		msg := "required provider setting"
		if r.providerObj != nil && in.api.Spec.Provider == nil {
			// One error however many integrations rely on it.
			r.report(r.providerObj, field.ErrorList{field.Required(field.NewPath("spec", m),
				msg+": every OIDCIntegration without its own spec.provider."+m+" needs it")}, fn.Error)
			continue
		}
		if r.providerObj == nil {
			msg += ": give the function a PocketIDProvider, or set it here"
		} else {
			msg += ": set it here or in PocketIDProvider " + r.providerObj.GetName()
		}
		r.report(in.obj, field.ErrorList{field.Required(field.NewPath("spec", "provider", m), msg)}, fn.Error)
	}
}

// checkClaims finds integrations that would fight over one Pocket ID client or one Secret.
func (r *rendering) checkClaims() {
	clientIDs := map[string]*integration{}
	secretNames := map[string]*integration{}
	for _, in := range r.integrations {
		if !in.ok {
			continue
		}
		s := in.api.Spec
		var errs field.ErrorList
		if prev, ok := clientIDs[s.Client.ID]; ok {
			errs = append(errs, field.Invalid(field.NewPath("spec", "client", "id"), s.Client.ID,
				"client id already claimed by OIDCIntegration "+prev.id()))
		} else {
			clientIDs[s.Client.ID] = in
		}
		if in.present() {
			namespaces := []string{in.api.Namespace}
			if in.provNS != in.api.Namespace && !in.public() {
				namespaces = append(namespaces, in.provNS)
			}
			for _, ns := range namespaces {
				k := ns + "/" + s.Secret.Name
				if prev, ok := secretNames[k]; ok && prev != in {
					errs = append(errs, field.Invalid(field.NewPath("spec", "secret", "name"), s.Secret.Name,
						fmt.Sprintf("Secret %s already claimed by OIDCIntegration %s", nsName(ns, s.Secret.Name), prev.id())))
					break
				}
				secretNames[k] = in
			}
		}
		if len(errs) > 0 {
			in.ok = false
			r.report(in.obj, errs, fn.Error)
		}
	}
}

// wire applies each integration's wiring to a copy of its HelmRelease; the copies replace the
// items only when the whole run succeeds.
func (r *rendering) wire() map[int]*yaml.RNode {
	copies := map[int]*yaml.RNode{}
	wiredBy := map[string][]*integration{} // HelmRelease item|controller|container -> integrations
	for _, in := range r.integrations {
		if !in.ok {
			continue
		}
		hrRef := in.api.Spec.HelmRelease
		idx, found := r.releases[nsName(in.api.Namespace, hrRef.Name)]
		needed := in.present() && hrRef.Strategy != v1alpha1.StrategyNone
		if !found {
			if needed {
				where := fmt.Sprintf("in namespace %q", in.api.Namespace)
				if in.api.Namespace == "" {
					where = "without a namespace"
				}
				hint := "set spec.helmRelease.name, or strategy none"
				if others := r.releasesNamed(hrRef.Name); len(others) > 0 {
					// Typically a single-file integration under kustomize: namespace: sets the
					// items' namespace, not the transformer config's.
					hint = "found " + strings.Join(others, ", ") + ": set the integration's metadata.namespace to the HelmRelease's"
				}
				r.report(in.obj, field.ErrorList{{
					Type:     field.ErrorTypeNotFound,
					Field:    "spec.helmRelease.name",
					BadValue: hrRef.Name,
					Detail: fmt.Sprintf("no HelmRelease %s %s among the function's input (%s)",
						hrRef.Name, where, hint),
				}}, fn.Error)
			}
			continue
		}
		if in.present() && in.resolved != nil && hrRef.Strategy != v1alpha1.StrategyNone {
			k := strconv.Itoa(idx) + "|" + hrRef.Controller + "|" + hrRef.Container
			if errs := wiringConflicts(in, wiredBy[k]); len(errs) > 0 {
				r.report(in.obj, errs, fn.Error)
				continue
			}
			wiredBy[k] = append(wiredBy[k], in)
		}
		rn, ok := copies[idx]
		if !ok {
			rn = r.rl.Items[idx].CopyToResourceNode()
			copies[idx] = rn
		}
		f := helmrelease.Filter{
			Integration: in.api.Name,
			Strategy:    hrRef.Strategy,
			Controller:  hrRef.Controller,
			Container:   hrRef.Container,
		}
		if in.present() && in.resolved != nil {
			f.Wiring = in.resolved.Wiring
			for name := range in.api.Spec.Env {
				f.SpecEnv = append(f.SpecEnv, name)
			}
			sort.Strings(f.SpecEnv)
		}
		// The orchestrator maps outputs to inputs by this annotation and then walks both
		// (kyaml's comment copy and field order sync), failing on a field that changed between
		// a single value, a map and a list.
		var before *yaml.RNode
		if kioutil.GetIdAnnotation(rn) != "" {
			before = rn.Copy()
		}
		warns, err := f.Apply(rn)
		if err != nil {
			r.reportHelmRelease(r.rl.Items[idx], in, err)
		} else if before != nil {
			for _, p := range kindChanges(before.YNode(), rn.YNode(), nil) {
				r.results = append(r.results, r.result(r.rl.Items[idx], &fn.Field{Path: p},
					"the integration writes this entry in another form than the HelmRelease has it (a single value, a map or a list), which kustomize cannot take from a function (\"wrong node kind\"): remove the entry from the HelmRelease, the integration sets it (wiring OIDCIntegration "+in.id()+")", fn.Error))
				r.failed = true
			}
		}
		// The user's env entries taken over: warnings on the HelmRelease, at the entry.
		for _, w := range warns {
			r.results = append(r.results, r.result(r.rl.Items[idx], &fn.Field{Path: w.Field}, w.Detail+" (wiring OIDCIntegration "+in.id()+")", fn.Warning))
		}
	}
	return copies
}

// releasesNamed lists the HelmReleases of that name in any namespace, as namespace/name.
func (r *rendering) releasesNamed(name string) []string {
	var out []string
	for key, idx := range r.releases {
		if r.rl.Items[idx].GetName() == name {
			out = append(out, key)
		}
	}
	sort.Strings(out)
	return out
}

// wiringConflicts finds what in's wiring would silently take from integrations wiring the
// same container before it: an env var they set to another value (the app would log in with
// the last integration's client only) or a file mounted at the same path (Kubernetes refuses a
// container with two mounts at one path). An env var set to the same value may be shared.
func wiringConflicts(in *integration, before []*integration) field.ErrorList {
	var errs field.ErrorList
	fld := field.NewPath("spec", "helmRelease")
	for _, prev := range before {
		env := map[string]preset.EnvVar{}
		for _, e := range prev.resolved.Wiring.Env {
			env[e.Name] = e
		}
		for _, e := range in.resolved.Wiring.Env {
			if pe, ok := env[e.Name]; ok && !sameEnv(pe, e) {
				errs = append(errs, field.Invalid(fld, hrNameOf(in), fmt.Sprintf(
					"env var %s of the same container is set to another value by OIDCIntegration %s: wire each integration to its own container (spec.helmRelease.controller/container), or strategy none", e.Name, prev.id())))
			}
		}
		for _, f := range in.resolved.Wiring.Files {
			for _, pf := range prev.resolved.Wiring.Files {
				if f.MountPath == pf.MountPath {
					errs = append(errs, field.Invalid(fld, hrNameOf(in), fmt.Sprintf(
						"file %s of the same container is mounted by OIDCIntegration %s too: wire each integration to its own container (spec.helmRelease.controller/container), or strategy none", f.MountPath, prev.id())))
				}
			}
		}
	}
	return errs
}

func hrNameOf(in *integration) string { return in.api.Spec.HelmRelease.Name }

func sameEnv(a, b preset.EnvVar) bool {
	if (a.SecretKeyRef == nil) != (b.SecretKeyRef == nil) {
		return false
	}
	return a.Value == b.Value && (a.SecretKeyRef == nil || *a.SecretKeyRef == *b.SecretKeyRef)
}

// kindChanges lists the paths, below mappings, where after holds a node of another kind than
// before (null counts as absent). Lists are not entered: their items are not matched by index.
func kindChanges(before, after *yaml.Node, path []string) []string {
	if before == nil || after == nil || before.Kind != yaml.MappingNode || after.Kind != yaml.MappingNode {
		return nil
	}
	var out []string
	for i := 0; i+1 < len(before.Content); i += 2 {
		k := before.Content[i].Value
		b := before.Content[i+1]
		for j := 0; j+1 < len(after.Content); j += 2 {
			if after.Content[j].Value != k {
				continue
			}
			a := after.Content[j+1]
			p := append(slices.Clone(path), k)
			switch {
			case b.Tag == yaml.NodeTagNull || a.Tag == yaml.NodeTagNull || b.Kind == yaml.AliasNode || a.Kind == yaml.AliasNode:
			case a.Kind != b.Kind:
				out = append(out, strings.Join(p, "."))
			default:
				out = append(out, kindChanges(b, a, p)...)
			}
			break
		}
	}
	return out
}

// reportHelmRelease reports the Filter's errors on the HelmRelease, with their paths into it.
func (r *rendering) reportHelmRelease(hr *fn.KubeObject, in *integration, err error) {
	suffix := " (wiring OIDCIntegration " + in.id() + ")"
	var agg utilerrors.Aggregate
	var errs []error
	if errors.As(err, &agg) {
		errs = agg.Errors()
	} else {
		errs = []error{err}
	}
	for _, e := range errs {
		var fe *field.Error
		if errors.As(e, &fe) {
			r.results = append(r.results, r.result(hr, &fn.Field{Path: fe.Field}, fe.ErrorBody()+suffix, fn.Error))
		} else {
			r.results = append(r.results, r.result(hr, nil, e.Error()+suffix, fn.Error))
		}
		r.failed = true
	}
}

// desiredObject is one rendered object and the integration it belongs to (nil: shared).
type desiredObject struct {
	key   string
	node  *yaml.RNode
	owner *integration
	path  string // kpt file for a new object
}

// render builds every object the integrations need, in a deterministic order.
func (r *rendering) render() []desiredObject {
	var out []desiredObject
	index := map[string]int{}
	add := func(owner *integration, file string, nodes ...*yaml.RNode) {
		for _, n := range nodes {
			k := keyOf(n.GetApiVersion(), n.GetKind(), n.GetNamespace(), n.GetName())
			if i, dup := index[k]; dup {
				who := "the provider"
				if prev := out[i]; prev.owner != nil {
					who = "OIDCIntegration " + prev.owner.id()
				}
				r.report(r.configOr(owner), field.ErrorList{field.Invalid(field.NewPath("metadata", "name"), r.configOr(owner).GetName(),
					fmt.Sprintf("renders %s %s, which %s renders too", n.GetKind(), nsName(n.GetNamespace(), n.GetName()), who))}, fn.Error)
				continue
			}
			if i, ok := r.existing[k]; ok && r.rl.Items[i].GetLabel(v1alpha1.LabelManagedBy) != v1alpha1.ManagedByValue {
				who := r.configOr(owner)
				r.report(who, field.ErrorList{field.Invalid(field.NewPath("metadata", "name"), who.GetName(),
					fmt.Sprintf("would replace %s %s, which is in the input and not managed by pocketid-oidc: rename one of them", n.GetKind(), nsName(n.GetNamespace(), n.GetName())))}, fn.Error)
				continue
			}
			index[k] = len(out)
			out = append(out, desiredObject{key: k, node: n, owner: owner, path: file})
		}
	}

	type nsClients struct {
		provider v1alpha1.ProviderSpec
		apiKey   v1alpha1.KeyRef
		clients  []provisioning.Client
		file     string
	}
	byNS := map[string]*nsClients{}
	var nsOrder []string

	for _, in := range r.integrations {
		if !in.ok {
			continue
		}
		s := in.api.Spec
		file := r.fileFor(in.obj, in.api.Name+"-oidc.yaml")
		store := *in.provider.SecretStoreRef
		apiKey := v1alpha1.KeyRef{Name: secrets.APIKeySecretName, Key: v1alpha1.DefaultAPIKeySecretKey}
		if ref := in.provider.APIKey.SecretRef; ref != nil {
			apiKey = *ref
		}

		var templates map[string]string
		if in.resolved != nil {
			templates = in.resolved.Wiring.SecretTemplates
		}
		client := secrets.Client{
			Integration: in.api.Name,
			Namespace:   in.api.Namespace,
			StoreRef:    store,
			SecretName:  s.Secret.Name,
			RemoteKey:   s.Secret.RemoteKey,
			ClientID:    s.Client.ID,
			Templates:   templates,
		}
		if in.present() && !in.public() {
			add(in, file, secrets.ExternalSecret(client))
			if s.Secret.Generate {
				add(in, file, secrets.Seed(client)...)
			}
			if in.provNS != in.api.Namespace {
				// The Job cannot mount a Secret of another namespace: a second copy for it,
				// without the app's rendered keys.
				central := client
				central.Namespace, central.Templates = in.provNS, nil
				add(in, file, secrets.ExternalSecret(central))
			}
		}
		if in.present() && in.resolved != nil {
			add(in, file, secrets.Generated(in.api.Name, in.api.Namespace, in.api.GeneratedSecretName(), in.resolved.Wiring.Generated)...)
		}

		pc := provisioning.Client{
			Integration:  in.api.Name,
			Namespace:    in.provNS,
			Document:     provisioning.NewDocument(provisioning.DocumentInput{Integration: &in.api, Resolved: in.resolved}),
			Provider:     in.provider,
			APIKeySecret: apiKey,
		}
		if in.present() && !in.public() {
			pc.SecretName = s.Secret.Name
		}
		if errs := v1alpha1.ValidateOIDCClient(pc.Document); len(errs) > 0 {
			r.report(in.obj, prefixErrs(errs, "the resolved OIDCClient: "), fn.Error)
			continue
		}
		nodes, err := provisioning.Render(pc)
		if err != nil {
			r.report(in.obj, field.ErrorList{field.InternalError(field.NewPath("spec"), err)}, fn.Error)
			continue
		}
		add(in, file, nodes...)

		// Objects shared by a provisioning namespace are rendered once, from its first
		// integration; the others must agree (they differ only with per-integration
		// spec.provider overrides).
		g, ok := byNS[in.provNS]
		if !ok {
			g = &nsClients{provider: in.provider, apiKey: apiKey, file: r.fileFor(in.obj, "pocketid-oidc.yaml")}
			byNS[in.provNS] = g
			nsOrder = append(nsOrder, in.provNS)
			if k := in.provider.APIKey; k.RemoteKey != "" {
				add(nil, g.file, secrets.APIKey(in.provNS, store, k.RemoteKey))
			}
		} else if !sameShared(g.provider, in.provider) {
			r.report(in.obj, field.ErrorList{field.Invalid(field.NewPath("spec", "provider"), "",
				fmt.Sprintf("differs from the provider settings of the other integrations provisioned in namespace %q: they share one API key ExternalSecret (secretStoreRef, apiKey) and, with a reconcileSchedule, one CronJob (also apiURL, image, caConfigMapRef, jobTTLSecondsAfterFinished)", in.provNS))}, fn.Error)
		}
		g.clients = append(g.clients, pc)
	}
	for _, ns := range nsOrder {
		g := byNS[ns]
		if g.provider.ReconcileSchedule == "" {
			continue
		}
		cj, err := provisioning.CronJob(ns, g.provider, g.apiKey, g.clients)
		if err != nil {
			r.report(r.configOr(nil), field.ErrorList{field.InternalError(field.NewPath("spec", "reconcileSchedule"), err)}, fn.Error)
			continue
		}
		add(nil, g.file, cj)
	}
	return out
}

// sameShared reports whether two providers agree on what a provisioning namespace shares: the
// API key ExternalSecret, and with a reconcileSchedule the CronJob's settings.
func sameShared(a, b v1alpha1.ProviderSpec) bool {
	cron := a.ReconcileSchedule != "" || b.ReconcileSchedule != ""
	key := func(p v1alpha1.ProviderSpec) string {
		k := p.SecretStoreRef.Kind + "/" + p.SecretStoreRef.Name
		if cron {
			k += "|" + p.APIURL + "|" + p.Image + "|" + p.ReconcileSchedule
		}
		if p.APIKey.RemoteKey != "" {
			k += "|remote:" + p.APIKey.RemoteKey
		}
		if ref := p.APIKey.SecretRef; ref != nil {
			k += "|secret:" + ref.Name + "/" + ref.Key
		}
		if ca := p.CAConfigMapRef; ca != nil && cron {
			k += "|ca:" + ca.Name + "/" + ca.Key
		}
		if t := p.JobTTLSecondsAfterFinished; t != nil && cron {
			k += "|ttl:" + strconv.Itoa(int(*t))
		}
		return k
	}
	return key(a) == key(b)
}

func prefixErrs(errs field.ErrorList, prefix string) field.ErrorList {
	out := make(field.ErrorList, 0, len(errs))
	for _, e := range errs {
		c := *e
		c.Detail = prefix + c.Detail
		out = append(out, &c)
	}
	return out
}

// configOr names the object to blame for a shared object: the integration when there is one,
// else the functionConfig.
func (r *rendering) configOr(in *integration) *fn.KubeObject {
	if in != nil {
		return in.obj
	}
	if r.providerObj != nil {
		return r.providerObj
	}
	return r.rl.FunctionConfig
}

// fileFor is where kpt writes a new object: next to the integration's own file.
func (r *rendering) fileFor(o *fn.KubeObject, name string) string {
	if !r.kpt {
		return ""
	}
	p := o.PathAnnotation()
	if p == "" {
		return name
	}
	return path.Join(path.Dir(p), name)
}

// apply changes rl.Items: wired HelmReleases in, consumed integrations and stale objects of the
// rendered integrations out, rendered objects upserted (a second render replaces, never adds).
func (r *rendering) apply(releases map[int]*yaml.RNode, desired []desiredObject) {
	items := r.rl.Items
	remove := map[int]bool{}
	for _, in := range r.integrations {
		if in.consume && in.item >= 0 {
			remove[in.item] = true
		}
	}
	for idx, rn := range releases {
		items[idx] = fn.MoveToKubeObject(rn)
	}

	wanted := make(map[string]bool, len(desired))
	for _, d := range desired {
		wanted[d.key] = true
	}
	// Objects labelled with an integration of this run: the app objects share its namespace,
	// provisioning objects may sit in the provisioning namespace.
	ownedBy := map[string]bool{}
	touchedNS := map[string]bool{}
	for _, in := range r.integrations {
		ownedBy[in.api.Name+"|"+in.api.Namespace] = true
		ownedBy[in.api.Name+"|"+in.provNS] = true
		touchedNS[in.provNS] = true
	}
	for key, idx := range r.existing {
		o := items[idx]
		if o.GetLabel(v1alpha1.LabelManagedBy) != v1alpha1.ManagedByValue || wanted[key] {
			continue
		}
		owner, owned := o.GetLabels()[v1alpha1.LabelIntegration]
		switch {
		case owned && ownedBy[owner+"|"+o.GetNamespace()]:
			remove[idx] = true
		case !owned && touchedNS[o.GetNamespace()]:
			remove[idx] = true
		}
	}

	nextIndex := map[string]int{}
	if r.kpt {
		for _, o := range items {
			if p := o.PathAnnotation(); p != "" {
				if i := o.IndexAnnotation() + 1; i > nextIndex[p] {
					nextIndex[p] = i
				}
			}
		}
	}
	for _, d := range desired {
		ko := fn.MoveToKubeObject(d.node)
		if idx, ok := r.existing[d.key]; ok {
			// Sorted, as new objects get theirs below: a re-render must write the same text.
			old := items[idx].GetAnnotations()
			keys := make([]string, 0, len(old))
			for k := range old {
				if hasAnyPrefix(k, orchestratorPrefixes) {
					keys = append(keys, k)
				}
			}
			sort.Strings(keys)
			for _, k := range keys {
				_ = ko.SetAnnotation(k, old[k])
			}
			items[idx] = ko
			continue
		}
		if r.kpt && d.path != "" {
			i := nextIndex[d.path]
			nextIndex[d.path] = i + 1
			if r.legacyPath {
				//lint:ignore SA1019 answer an orchestrator that speaks only the legacy annotations in kind.
				_ = ko.SetAnnotation(kioutil.LegacyIndexAnnotation, strconv.Itoa(i))
				//lint:ignore SA1019 see above.
				_ = ko.SetAnnotation(kioutil.LegacyPathAnnotation, d.path)
			}
			_ = ko.SetAnnotation(kioutil.IndexAnnotation, strconv.Itoa(i))
			_ = ko.SetAnnotation(kioutil.PathAnnotation, d.path)
		}
		items = append(items, ko)
	}
	if len(remove) > 0 {
		kept := items[:0]
		for i, o := range items {
			if !remove[i] {
				kept = append(kept, o)
			}
		}
		items = kept
	}
	r.rl.Items = items
}

func hasAnyPrefix(s string, prefixes []string) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}

// decode reads one of our objects strictly.
func decode(o *fn.KubeObject, into any) field.ErrorList {
	b, err := o.CopyToResourceNode().MarshalJSON()
	if err != nil {
		return field.ErrorList{field.Invalid(nil, nil, err.Error())}
	}
	return v1alpha1.Decode(b, into)
}

func (r *rendering) hasErrorFor(o *fn.KubeObject) bool {
	for _, res := range r.results {
		if res.Severity == fn.Error && res.ResourceRef != nil && res.ResourceRef.Kind == o.GetKind() &&
			res.ResourceRef.Name == o.GetName() && res.ResourceRef.Namespace == o.GetNamespace() {
			return true
		}
	}
	return false
}

// report adds one result per field error; identical results (a provider setting missing for
// several integrations) are reported once.
func (r *rendering) report(o *fn.KubeObject, errs field.ErrorList, sev fn.Severity) {
	for _, e := range errs {
		var f *fn.Field
		if e.Field != "" && e.Field != "<nil>" {
			f = &fn.Field{Path: e.Field}
		}
		res := r.result(o, f, e.ErrorBody(), sev)
		if r.seen(res) {
			continue
		}
		r.results = append(r.results, res)
		if sev == fn.Error {
			r.failed = true
		}
	}
}

func (r *rendering) seen(res *fn.Result) bool {
	for _, x := range r.results {
		if x.Message == res.Message && x.Severity == res.Severity && *x.ResourceRef == *res.ResourceRef &&
			(x.Field == nil) == (res.Field == nil) && (x.Field == nil || x.Field.Path == res.Field.Path) {
			return true
		}
	}
	return false
}

func (r *rendering) result(o *fn.KubeObject, f *fn.Field, msg string, sev fn.Severity) *fn.Result {
	res := &fn.Result{
		Message:  msg,
		Severity: sev,
		ResourceRef: &fn.ResourceRef{
			APIVersion: o.GetAPIVersion(),
			Kind:       o.GetKind(),
			Name:       o.GetName(),
			Namespace:  o.GetNamespace(),
		},
		Field: f,
	}
	if p := o.PathAnnotation(); p != "" {
		res.File = &fn.File{Path: p, Index: o.IndexAnnotation()}
	}
	return res
}
