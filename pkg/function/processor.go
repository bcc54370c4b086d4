package function

import (
	"slices"
	"sort"

	"github.com/kptdev/krm-functions-sdk/go/fn"
	"k8s.io/apimachinery/pkg/util/validation/field"
	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/endsys/pocketid-oidc/pkg/api/v1alpha1"
	"github.com/endsys/pocketid-oidc/pkg/preset"
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

// process is the pipeline. Each stage reads what the ones before it left in r; a stage that
// finds a problem reports it and marks the integration (or the run) failed, and the run goes on
// so that every problem is reported at once. Nothing touches rl.Items before the last stage.
func (r *rendering) process() {
	r.readConfig()
	r.indexItems()
	if len(r.integrations) == 0 && !r.retiring() {
		// Nothing to render: typically the second kustomize pass over our own output, where
		// the integrations were consumed by the first. Leave everything as it is. (A kpt
		// package whose last integration was removed still has its leftovers retired.)
		return
	}
	// Deterministic: integrations, and so results, in namespace/name order.
	sort.SliceStable(r.integrations, func(i, j int) bool {
		a, b := r.integrations[i], r.integrations[j]
		if a.obj.GetNamespace() != b.obj.GetNamespace() {
			return a.obj.GetNamespace() < b.obj.GetNamespace()
		}
		return a.obj.GetName() < b.obj.GetName()
	})
	for _, in := range r.integrations {
		r.resolve(in)
	}
	r.checkSubstitutions()
	r.placeApps()
	r.checkClaims()
	r.checkGatewayClaims()
	// The integrations still ok are wired and rendered even when others failed: their
	// problems (a HelmRelease or container not found, an object over a limit) belong in the
	// same report.
	releases := r.wire()
	r.retired = r.retire(releases)
	desired := r.render()
	r.checkLimits(releases, desired)
	r.checkSecretOwners(desired)
	if r.failed {
		return
	}
	r.reconcile(releases, desired)
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
	retired      []Scope        // what removed integrations left, to prune (retire.go)
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
	appNS    string // where the app's pods run: its HelmRelease's targetNamespace, else the integration's (target.go)
	ok       bool
}

func (in *integration) id() string { return nsName(in.obj.GetNamespace(), in.obj.GetName()) }

func (in *integration) present() bool { return in.api.Spec.Client.State != v1alpha1.StateAbsent }

func (in *integration) public() bool { return in.api.Spec.Client.Public }

// reconcile is the last stage: the wired HelmReleases replace theirs, and the Inventory upserts
// the rendered objects, prunes stale ones and removes the consumed integrations.
func (r *rendering) reconcile(releases map[int]*yaml.RNode, desired []desiredObject) {
	inv := Inventory{Paths: r.kpt, LegacyPaths: r.legacyPath, Consumed: map[string]bool{}}
	for _, in := range r.integrations {
		if in.consume && in.item >= 0 {
			inv.Consumed[objKey(in.obj)] = true
		}
		inv.Scopes = append(inv.Scopes, Scope{Integration: in.api.Name, Namespace: in.api.Namespace, ProvisioningNamespace: in.provNS})
		if ns := appNamespaceOf(in); ns != in.api.Namespace {
			inv.Scopes = append(inv.Scopes, Scope{Integration: in.api.Name, Namespace: ns, ProvisioningNamespace: in.provNS})
		}
	}
	inv.Scopes = append(inv.Scopes, r.retired...)
	for _, d := range desired {
		inv.Objects = append(inv.Objects, Object{Node: d.node, File: d.path})
	}
	items := make([]*yaml.RNode, len(r.rl.Items))
	for i, o := range r.rl.Items {
		items[i] = o.MoveToResourceNode()
	}
	input := slices.Clone(items)
	for idx, rn := range releases {
		input[idx] = rn
	}
	out, err := inv.Filter(input)
	if err != nil {
		// The Filter changes none of its input nodes: the items go back as they came.
		r.rl.Items = fn.MoveToKubeObjects(items)
		r.report(r.configOr(nil), field.ErrorList{field.InternalError(nil, err)}, fn.Error)
		return
	}
	r.rl.Items = fn.MoveToKubeObjects(out)
}
