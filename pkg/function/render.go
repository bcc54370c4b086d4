package function

// Rendering the objects every integration needs: its client secret's ExternalSecrets, the
// preset's generated values, and its provisioning objects (API key ExternalSecret, ConfigMap,
// Job, reconcile CronJob). Nothing is shared between integrations: any split of the apps into
// render units renders the same objects.

import (
	"fmt"
	"path"
	"runtime"
	"sync"

	"github.com/kptdev/krm-functions-sdk/go/fn"
	"k8s.io/apimachinery/pkg/util/validation/field"
	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/endsys/pocketid-oidc/pkg/api/v1alpha1"
	"github.com/endsys/pocketid-oidc/pkg/render/gateway"
	"github.com/endsys/pocketid-oidc/pkg/render/provisioning"
	"github.com/endsys/pocketid-oidc/pkg/render/secrets"
)

// desiredObject is one rendered object and the integration it belongs to.
type desiredObject struct {
	key   string
	node  *yaml.RNode
	owner *integration
	path  string // kpt file for a new object
}

// render builds every object the integrations need, in a deterministic order. Each object
// belongs to one integration and is the same whichever other integrations the run renders.
func (r *rendering) render() []desiredObject {
	d := &desiredSet{r: r, index: map[string]int{}}
	provisioned := r.provisionAll()
	for i, in := range r.integrations {
		if !in.ok {
			continue
		}
		file := r.fileFor(in.obj, in.api.Name+"-oidc.yaml")
		r.renderSecrets(d, in, file)
		r.renderGateway(d, in, file)
		r.renderProvisioning(d, in, file, provisioned[i])
	}
	return d.out
}

// renderSecrets adds the ExternalSecrets of the client secret (and its seed, with generate)
// and the Secret of the preset's generated values.
func (r *rendering) renderSecrets(d *desiredSet, in *integration, file string) {
	s := in.api.Spec
	var templates map[string]string
	if in.resolved != nil {
		templates = in.resolved.Wiring.SecretTemplates
	}
	client := secrets.Client{
		Integration: in.api.Name,
		Namespace:   in.api.Namespace,
		StoreRef:    *in.provider.SecretStoreRef,
		SecretName:  s.Secret.Name,
		RemoteKey:   s.Secret.RemoteKey,
		ClientID:    s.Client.ID,
		Templates:   templates,
	}
	// What the pods reference goes where they run (target.go); the seed only fills the store.
	app := client
	app.Namespace = appNamespaceOf(in)
	if in.present() && !in.public() {
		d.add(in, file, secrets.ExternalSecret(app))
		if s.Secret.Generate {
			d.add(in, file, secrets.Seed(client)...)
		}
		if in.provNS != app.Namespace {
			// The Job cannot mount a Secret of another namespace: a second copy for it,
			// without the app's rendered keys.
			central := client
			central.Namespace, central.Templates = in.provNS, nil
			d.add(in, file, secrets.ExternalSecret(central))
		}
	}
	if in.present() && in.resolved != nil {
		d.add(in, file, secrets.Generated(in.api.Name, app.Namespace, in.api.GeneratedSecretName(), in.resolved.Wiring.Generated)...)
	}
}

// provisioned is one integration's provisioning objects, built apart from the run's state
// (see provisionAll).
type provisioned struct {
	apiKey   v1alpha1.KeyRef
	docErrs  field.ErrorList // the resolved OIDCClient is invalid: nothing is rendered
	nodes    []*yaml.RNode
	err      error
	rendered bool
}

// provisionAll builds the provisioning objects of every integration still ok, on every CPU:
// converting the typed ConfigMap, Job and CronJob to YAML is most of a large render's own
// work, and it reads only its integration. Indexed like r.integrations; what to report and
// add is decided afterwards, in order (renderProvisioning), so results stay deterministic.
func (r *rendering) provisionAll() []provisioned {
	out := make([]provisioned, len(r.integrations))
	next := make(chan int, len(r.integrations))
	for i, in := range r.integrations {
		if in.ok {
			next <- i
		}
	}
	close(next)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(r.integrations)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				out[i] = provision(r.integrations[i])
			}
		}()
	}
	wg.Wait()
	return out
}

// provision builds what provisions the integration's client: the ConfigMap and Job, and the
// reconcile CronJob unless its schedule is never.
func provision(in *integration) provisioned {
	p := provisioned{rendered: true}
	p.apiKey = v1alpha1.KeyRef{Name: provisioning.APIKeySecretName(in.api.Name), Key: v1alpha1.DefaultAPIKeySecretKey}
	if ref := in.provider.APIKey.SecretRef; ref != nil {
		p.apiKey = *ref
	}
	pc := provisioning.Client{
		Integration:  in.api.Name,
		Namespace:    in.provNS,
		Document:     provisioning.NewDocument(provisioning.DocumentInput{Integration: &in.api, Resolved: in.resolved}),
		Provider:     in.provider,
		APIKeySecret: p.apiKey,
	}
	// The gateway login needs its redirect and logout URLs registered, and PKCE.
	gateway.Register(pc.Document, &in.api)
	if in.present() && !in.public() {
		pc.SecretName = in.api.Spec.Secret.Name
	}
	if p.docErrs = v1alpha1.ValidateOIDCClient(pc.Document, v1alpha1.Rendered); len(p.docErrs) > 0 {
		return p
	}
	pc.Schedule = provisioning.Schedule(in.provider.ReconcileSchedule, in.api.Namespace, in.api.Name)
	p.nodes, p.err = provisioning.Render(pc)
	return p
}

// renderProvisioning adds the integration's provisioning objects (provision): the API key
// ExternalSecret (when the key comes from the store), the ConfigMap and Job, and the reconcile
// CronJob unless its schedule is never.
func (r *rendering) renderProvisioning(d *desiredSet, in *integration, file string, p provisioned) {
	if !p.rendered {
		p = provision(in)
	}
	if len(p.docErrs) > 0 {
		r.report(in.obj, prefixErrs(p.docErrs, "the resolved OIDCClient: "), fn.Error)
		return
	}
	if k := in.provider.APIKey.RemoteKey; k != "" {
		d.add(in, file, secrets.APIKey(in.api.Name, p.apiKey.Name, in.provNS, *in.provider.SecretStoreRef, k))
	}
	if p.err != nil {
		r.report(in.obj, field.ErrorList{field.InternalError(field.NewPath("spec"), p.err)}, fn.Error)
		return
	}
	d.add(in, file, p.nodes...)
}

// desiredSet collects the rendered objects: each identity once, never one that is in the input
// and not ours.
type desiredSet struct {
	r     *rendering
	out   []desiredObject
	index map[string]int // key -> index in out
}

func (d *desiredSet) add(owner *integration, file string, nodes ...*yaml.RNode) {
	r := d.r
	for _, n := range nodes {
		k := Key(n)
		if i, dup := d.index[k]; dup {
			who := "the provider"
			if prev := d.out[i]; prev.owner != nil {
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
		d.index[k] = len(d.out)
		d.out = append(d.out, desiredObject{key: k, node: n, owner: owner, path: file})
	}
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
