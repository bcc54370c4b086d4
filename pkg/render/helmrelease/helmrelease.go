package helmrelease

import (
	"fmt"
	"slices"
	"strings"

	"k8s.io/apimachinery/pkg/util/validation/field"
	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/endsys/pocketid-oidc/pkg/api/v1alpha1"
	"github.com/endsys/pocketid-oidc/pkg/preset"
)

// Filter applies one integration's Wiring to one Flux HelmRelease, in place.
//
// The zero Wiring (and StrategyNone) takes back everything this integration added earlier and
// adds nothing, which is how state: absent and a switch to strategy none are rendered.
type Filter struct {
	// Integration is the OIDCIntegration's name. It keys our entries in the managed-env
	// annotation and names our post-renderer patch, so two integrations can wire one release.
	Integration string
	// Strategy is one of v1alpha1.StrategyAuto (also ""), StrategyValues, StrategyPostRenderer
	// or StrategyNone.
	Strategy string
	// Controller of an app-template chart: "" means the only controller, else "main".
	Controller string
	// Container to wire: "" means the only container of the controller, else "main"
	// (app-template), or the chart name (post-renderer route on other charts).
	Container string
	// Wiring is what the app needs; Env and Files are used, and Charts for a chart-specific
	// route. SecretTemplates, Generated and Notes are other renderers' business.
	Wiring preset.Wiring
	// Workload, when set, is the workload the post-renderer patch targets (Kind "" stands for
	// Deployment or StatefulSet); else it is derived from the release and the chart's naming.
	Workload *v1alpha1.WorkloadRef
	// SpecEnv names the Wiring.Env entries the OIDCIntegration sets in spec.env. It only
	// shapes the advice of a Warning: a user's entry replaced by one of these was replaced at
	// the user's own request.
	SpecEnv []string
	// Reload annotates the app's workload for stakater Reloader with the Secrets the Wiring
	// references, so the app restarts when they change (reload.go).
	Reload bool
	// AppSecret is the app Secret's name (spec.secret.name), for the advice of a Warning only.
	AppSecret string
}

var _ yaml.Filter = Filter{}

// Warning is something Apply did that the user should know about and that is no error: an
// env entry the user wrote in the HelmRelease that the integration's entry replaced (see
// doc.go). It never holds an env value.
type Warning struct {
	// Release is the HelmRelease, namespace/name.
	Release string
	// Field is the entry's path into the HelmRelease:
	// spec.values.controllers.main.containers.main.env.DOMAIN, or ...env[2] in the list form.
	Field string
	// Detail says what happened and what to do.
	Detail string
}

// String is the warning as one line: "HelmRelease media/vaultwarden: spec.values...: detail".
func (w Warning) String() string {
	return "HelmRelease " + w.Release + ": " + w.Field + ": " + w.Detail
}

// route is how the wiring reaches the app.
type route int

const (
	routeRemove       route = iota // nothing to write: only take back what we wrote before
	routeAppTemplate               // spec.values of a bjw-s app-template chart
	routeChart                     // Wiring.Charts[chart]: an env path and values of that chart
	routePostRenderer              // a strategic-merge patch in spec.postRenderers
)

// release is what one Filter call knows about the HelmRelease.
type release struct {
	hr    *yaml.RNode
	id    string // namespace/name, for messages
	spec  *yaml.Node
	chart chart
}

// chart identifies the chart a HelmRelease installs.
type chart struct {
	name string      // chart name, or the chartRef's name
	path *field.Path // where name was read
	ref  bool        // name came from spec.chartRef
}

var (
	specPath   = field.NewPath("spec")
	valuesPath = specPath.Child("values")
)

// Filter implements yaml.Filter: Apply without the warnings.
func (f Filter) Filter(hr *yaml.RNode) (*yaml.RNode, error) {
	if _, err := f.Apply(hr); err != nil {
		return nil, err
	}
	return hr, nil
}

// Apply edits hr and returns the warnings: the user's env entries taken over on this render.
// Errors are a field.ErrorList aggregate (utilerrors.Aggregate of *field.Error) with paths
// into the HelmRelease.
//
// On error hr is left as it was: the edits are made on a copy that replaces hr's content only
// once everything succeeded.
func (f Filter) Apply(hr *yaml.RNode) ([]Warning, error) {
	if hr == nil || hr.YNode() == nil {
		return nil, field.ErrorList{field.Required(field.NewPath("kind"), "no HelmRelease given")}.ToAggregate()
	}
	out, warns, err := f.apply(hr.Copy())
	if err != nil {
		return nil, err
	}
	hr.SetYNode(out.YNode())
	return warns, nil
}

func (f Filter) apply(hr *yaml.RNode) (*yaml.RNode, []Warning, error) {
	rel, err := newRelease(hr)
	if err != nil {
		return nil, nil, field.ErrorList{err}.ToAggregate()
	}
	if f.Integration == "" {
		return nil, nil, field.ErrorList{field.InternalError(field.NewPath("metadata", "annotations").Key(v1alpha1.AnnotationManagedEnv),
			fmt.Errorf("helmrelease.Filter on HelmRelease %s: Integration is empty", rel.id))}.ToAggregate()
	}
	st, serr := readState(hr)
	if serr != nil {
		return nil, nil, field.ErrorList{serr}.ToAggregate()
	}

	env, errs := sortedEnv(f.Wiring.Env, rel.id)
	if len(errs) > 0 {
		return nil, nil, errs.ToAggregate()
	}
	rt, cw, errs := f.route(rel, env)
	if len(errs) > 0 {
		return nil, nil, errs.ToAggregate()
	}

	var next record
	var warns []Warning
	switch rt {
	case routeAppTemplate:
		next, warns, errs = f.applyAppTemplate(rel, st, env)
	case routeChart:
		next, warns, errs = f.applyChart(rel, st, env, cw)
	case routePostRenderer:
		errs = f.applyPostRenderer(rel, env)
	}
	if len(errs) > 0 {
		return nil, nil, errs.ToAggregate()
	}
	reloadWarns, errs := f.applyReload(rel, st, rt, &next)
	if len(errs) > 0 {
		return nil, nil, errs.ToAggregate()
	}
	warns = append(warns, reloadWarns...)
	if rt != routePostRenderer {
		removePatch(rel.spec, f.marker())
	}
	next.normalize()
	takeBack(rel.spec, st, f.Integration, next)
	st[f.Integration] = next
	if err := writeState(hr, st); err != nil {
		return nil, nil, field.ErrorList{field.InternalError(annotationPath, err)}.ToAggregate()
	}
	return hr, warns, nil
}

func newRelease(hr *yaml.RNode) (*release, *field.Error) {
	meta, _ := hr.GetMeta()
	id := meta.Name
	if meta.Namespace != "" {
		id = meta.Namespace + "/" + meta.Name
	}
	if meta.Kind != "HelmRelease" || !strings.HasPrefix(meta.APIVersion, "helm.toolkit.fluxcd.io/") {
		return nil, field.Invalid(field.NewPath("kind"), meta.APIVersion+"/"+meta.Kind,
			fmt.Sprintf("%s is not a Flux HelmRelease (helm.toolkit.fluxcd.io)", id))
	}
	spec := mapGet(hr.YNode(), "spec")
	if !isMap(spec) {
		return nil, field.Required(specPath, fmt.Sprintf("HelmRelease %s has no spec", id))
	}
	return &release{hr: hr, id: id, spec: spec, chart: chartOf(spec)}, nil
}

// chartOf reads the chart name from spec.chart.spec.chart, else from a spec.chartRef to an
// OCIRepository or HelmChart (whose own name is all we can see without the source object).
func chartOf(spec *yaml.Node) chart {
	if name := str(mapGet(mapGet(mapGet(spec, "chart"), "spec"), "chart")); name != "" {
		return chart{name: name, path: specPath.Child("chart", "spec", "chart")}
	}
	ref := mapGet(spec, "chartRef")
	switch str(mapGet(ref, "kind")) {
	case "OCIRepository", "HelmChart":
		if name := str(mapGet(ref, "name")); name != "" {
			return chart{name: name, path: specPath.Child("chartRef", "name"), ref: true}
		}
	}
	return chart{}
}

// is reports whether the chart is the named one. A chartRef names a source object, which
// people call after the chart with a prefix ("bjw-s-app-template"), hence the suffix match
// after a separator, never a bare suffix ("myapp-template" is not app-template).
func (c chart) is(name string) bool {
	if c.name == name {
		return true
	}
	return c.ref && (strings.HasSuffix(c.name, "-"+name) || strings.HasSuffix(c.name, "."+name))
}

func (c chart) isAppTemplate() bool { return c.is("app-template") }

// chartWiring finds Wiring.Charts' entry for this chart; an exact name wins over a suffix.
func (c chart) wiring(w preset.Wiring) (preset.ChartWiring, bool) {
	if cw, ok := w.Charts[c.name]; ok && c.name != "" {
		return cw, true
	}
	keys := make([]string, 0, len(w.Charts))
	for k := range w.Charts {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		if c.is(k) {
			return w.Charts[k], true
		}
	}
	return preset.ChartWiring{}, false
}

func (f Filter) route(rel *release, env []preset.EnvVar) (route, preset.ChartWiring, field.ErrorList) {
	cw, hasCW := rel.chart.wiring(f.Wiring)
	generic := len(env) > 0 || len(f.Wiring.Files) > 0
	chartSpecific := hasCW && (generic || len(cw.Values) > 0)
	switch f.Strategy {
	case v1alpha1.StrategyNone:
		return routeRemove, cw, nil
	case "", v1alpha1.StrategyAuto, v1alpha1.StrategyValues:
		switch {
		case hasCW:
			if !chartSpecific {
				return routeRemove, cw, nil
			}
			return routeChart, cw, nil
		case !generic:
			return routeRemove, cw, nil
		case rel.chart.isAppTemplate():
			return routeAppTemplate, cw, nil
		case f.Strategy != v1alpha1.StrategyValues:
			return routePostRenderer, cw, nil
		}
		p, v := rel.chart.path, rel.chart.name
		if p == nil {
			p, v = specPath.Child("chart"), ""
		}
		return 0, cw, field.ErrorList{field.Invalid(p, v, fmt.Sprintf(
			"strategy %q edits spec.values only for bjw-s app-template charts (chart app-template, or a chartRef named *app-template) and for charts with a preset route; HelmRelease %s installs %s: use strategy auto or postRenderer",
			v1alpha1.StrategyValues, rel.id, describeChart(rel.chart)))}
	case v1alpha1.StrategyPostRenderer:
		if !generic {
			return routeRemove, cw, nil
		}
		return routePostRenderer, cw, nil
	}
	return 0, cw, field.ErrorList{field.NotSupported(field.NewPath("strategy"), f.Strategy, []string{
		v1alpha1.StrategyAuto, v1alpha1.StrategyValues, v1alpha1.StrategyPostRenderer, v1alpha1.StrategyNone})}
}

func describeChart(c chart) string {
	switch {
	case c.name == "":
		return "no chart named in spec.chart.spec.chart or an OCIRepository/HelmChart spec.chartRef"
	case c.ref:
		return fmt.Sprintf("chartRef %q", c.name)
	}
	return fmt.Sprintf("chart %q", c.name)
}

// sortedEnv returns Env sorted by name (the contract says it already is; a new block's order
// must not depend on that) and refuses what would render wrong: duplicate names and secret
// references without a Secret name or key.
func sortedEnv(in []preset.EnvVar, id string) ([]preset.EnvVar, field.ErrorList) {
	env := slices.Clone(in)
	slices.SortStableFunc(env, func(a, b preset.EnvVar) int { return strings.Compare(a.Name, b.Name) })
	var errs field.ErrorList
	p := field.NewPath("wiring", "env")
	for i, e := range env {
		switch {
		case e.Name == "":
			errs = append(errs, field.Required(p.Index(i).Child("name"), "wiring for HelmRelease "+id+" has an env var without a name"))
		case i > 0 && env[i-1].Name == e.Name:
			errs = append(errs, field.Duplicate(p.Index(i).Child("name"), e.Name))
		case e.SecretKeyRef != nil && (e.SecretKeyRef.Name == "" || e.SecretKeyRef.Key == ""):
			errs = append(errs, field.Required(p.Index(i).Child("secretKeyRef"), "env var "+e.Name+" needs a Secret name and key"))
		}
	}
	return env, errs
}
