package function

import (
	"sort"
	"strconv"
	"strings"

	"sigs.k8s.io/kustomize/kyaml/kio"
	"sigs.k8s.io/kustomize/kyaml/kio/kioutil"
	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/endsys/pocketid-oidc/pkg/api/v1alpha1"
)

// Inventory is the kio.Filter that reconciles the items of a ResourceList with the objects one
// render produced, so that rendering again replaces and never adds:
//
//   - Upsert: a rendered object replaces the input object of its identity (group, kind,
//     namespace, name; not the API version), keeping the annotations the orchestrator owns on
//     it, so kpt writes it back to the same file and kustomize keeps tracking it. Otherwise it
//     is appended; with Paths, under kpt's path annotation File and the next free index of that
//     file.
//   - Prune: an input object with our managed-by label, of a kind we render, that is not
//     rendered again is removed when its integration label names an integration of Scopes (in
//     its app or provisioning namespace), or, for an object without one (what v0.1.0 shared per
//     namespace: the API key ExternalSecret and the CronJob), when its namespace is a
//     provisioning namespace of Scopes. Everything else stays: it belongs to another render.
//   - Consume: the input items whose identity is in Consumed (the integrations) are removed.
//
// The Filter changes none of the input nodes, only the rendered ones.
type Inventory struct {
	// Objects are the rendered objects, in order.
	Objects []Object
	// Scopes are the integrations of this render: what may be pruned.
	Scopes []Scope
	// Consumed holds the identities (see Key) of the input items to remove.
	Consumed map[string]bool
	// Paths gives new objects kpt's path and index annotations; LegacyPaths adds the legacy
	// config.kubernetes.io ones, for an orchestrator that speaks only those.
	Paths, LegacyPaths bool
}

// Object is one rendered object.
type Object struct {
	Node *yaml.RNode
	// File is the kpt file a new object goes to, with Paths.
	File string
}

// Scope is one integration of a render and the namespaces its objects may be in.
type Scope struct {
	Integration, Namespace, ProvisioningNamespace string
}

var _ kio.Filter = Inventory{}

// Annotations that orchestrators own on items: kept when we replace an object we rendered
// before, so kpt writes it back to the same file and kustomize keeps tracking it.
var orchestratorPrefixes = []string{"config.kubernetes.io/", "internal.config.kubernetes.io/", "config.k8s.io/", "kustomize.config.k8s.io/"}

// Key identifies an object independently of its API version: group/kind|namespace|name.
func Key(n *yaml.RNode) string {
	return keyOf(n.GetApiVersion(), n.GetKind(), n.GetNamespace(), n.GetName())
}

// Filter returns the reconciled items.
func (f Inventory) Filter(items []*yaml.RNode) ([]*yaml.RNode, error) {
	remove := map[int]bool{}
	existing := map[string]int{}
	for i, n := range items {
		switch k := Key(n); {
		case f.Consumed[k]:
			remove[i] = true
		case renderedKinds[groupOf(n.GetApiVersion())+"/"+n.GetKind()]:
			existing[k] = i
		}
	}
	f.prune(items, existing, remove)

	out := make([]*yaml.RNode, len(items), len(items)+len(f.Objects))
	copy(out, items)
	nextIndex := f.nextIndexes(items)
	for _, o := range f.Objects {
		if idx, ok := existing[Key(o.Node)]; ok {
			if err := keepOrchestratorAnnotations(o.Node, items[idx]); err != nil {
				return nil, err
			}
			out[idx] = o.Node
			continue
		}
		if f.Paths && o.File != "" {
			i := nextIndex[o.File]
			nextIndex[o.File] = i + 1
			if err := f.setPath(o.Node, o.File, i); err != nil {
				return nil, err
			}
		}
		out = append(out, o.Node)
	}
	kept := out[:0]
	for i, n := range out {
		if !remove[i] {
			kept = append(kept, n)
		}
	}
	return kept, nil
}

// prune marks the stale objects of the scopes in remove.
func (f Inventory) prune(items []*yaml.RNode, existing map[string]int, remove map[int]bool) {
	wanted := make(map[string]bool, len(f.Objects))
	for _, o := range f.Objects {
		wanted[Key(o.Node)] = true
	}
	// The app objects share the integration's namespace; provisioning objects may sit in the
	// provisioning namespace.
	ownedBy := map[string]bool{}
	touchedNS := map[string]bool{}
	for _, s := range f.Scopes {
		ownedBy[s.Integration+"|"+s.Namespace] = true
		ownedBy[s.Integration+"|"+s.ProvisioningNamespace] = true
		touchedNS[s.ProvisioningNamespace] = true
	}
	for key, idx := range existing {
		n := items[idx]
		labels := n.GetLabels()
		if labels[v1alpha1.LabelManagedBy] != v1alpha1.ManagedByValue || wanted[key] {
			continue
		}
		owner, owned := labels[v1alpha1.LabelIntegration]
		switch {
		case owned && ownedBy[owner+"|"+n.GetNamespace()]:
			remove[idx] = true
		case !owned && touchedNS[n.GetNamespace()]:
			remove[idx] = true
		}
	}
}

// nextIndexes is, per kpt file, the index after the highest one in use.
func (f Inventory) nextIndexes(items []*yaml.RNode) map[string]int {
	next := map[string]int{}
	if !f.Paths {
		return next
	}
	for _, n := range items {
		a := n.GetAnnotations(kioutil.PathAnnotation, kioutil.IndexAnnotation)
		p := a[kioutil.PathAnnotation]
		if p == "" {
			continue
		}
		i := -1 // no index: the file's first object
		if s, ok := a[kioutil.IndexAnnotation]; ok {
			i, _ = strconv.Atoi(s)
		}
		if i+1 > next[p] {
			next[p] = i + 1
		}
	}
	return next
}

// setPath gives a new object its kpt file and index.
func (f Inventory) setPath(n *yaml.RNode, file string, index int) error {
	i := strconv.Itoa(index)
	if f.LegacyPaths {
		//lint:ignore SA1019 answer an orchestrator that speaks only the legacy annotations in kind.
		if err := setAnnotation(n, kioutil.LegacyIndexAnnotation, i); err != nil {
			return err
		}
		//lint:ignore SA1019 see above.
		if err := setAnnotation(n, kioutil.LegacyPathAnnotation, file); err != nil {
			return err
		}
	}
	if err := setAnnotation(n, kioutil.IndexAnnotation, i); err != nil {
		return err
	}
	return setAnnotation(n, kioutil.PathAnnotation, file)
}

// keepOrchestratorAnnotations copies the orchestrator's annotations of old onto n, sorted, as
// new objects get theirs: a re-render must write the same text.
func keepOrchestratorAnnotations(n, old *yaml.RNode) error {
	annotations := old.GetAnnotations()
	keys := make([]string, 0, len(annotations))
	for k := range annotations {
		for _, p := range orchestratorPrefixes {
			if strings.HasPrefix(k, p) {
				keys = append(keys, k)
				break
			}
		}
	}
	sort.Strings(keys)
	for _, k := range keys {
		if err := setAnnotation(n, k, annotations[k]); err != nil {
			return err
		}
	}
	return nil
}

// setAnnotation sets an annotation as a plain string scalar, quoted only where YAML needs it
// (kyaml's SetAnnotation always single-quotes, which would change the text of every render).
func setAnnotation(n *yaml.RNode, key, value string) error {
	return n.PipeE(yaml.LookupCreate(yaml.MappingNode, yaml.MetadataField, yaml.AnnotationsField),
		yaml.SetField(key, yaml.NewStringRNode(value)))
}
