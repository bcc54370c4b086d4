package function

// Retiring an app: what an integration that is no longer in the input left in it. Under kpt
// the package is the source (rendered objects and the wiring are written into it), so an
// integration missing from it was removed: its wiring is taken back exactly as recorded in the
// HelmRelease (the managed-env annotation, our post-renderer patch) and its labelled objects
// are pruned in the same run, so the package never keeps a HelmRelease pointing at a Secret
// whose ExternalSecret is gone. Under kustomize the input is rebuilt from the repository every
// time and a HelmRelease carries our wiring only when it was committed that way, or when
// another render's output is included: that is not ours to undo, so it is a warning naming the
// HelmRelease and every leftover object.

import (
	"fmt"
	"sort"
	"strings"

	"github.com/kptdev/krm-functions-sdk/go/fn"
	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/endsys/pocketid-oidc/pkg/api/v1alpha1"
	"github.com/endsys/pocketid-oidc/pkg/render/helmrelease"
)

// leftover is what one absent integration left in the input: item indexes.
type leftover struct {
	integration string
	releases    []int
	objects     []int
}

// leftovers lists, by integration name, the HelmReleases wired by and the objects labelled for
// integrations of no name in this run (any namespace: a name present anywhere keeps its things).
func (r *rendering) leftovers() []leftover {
	present := map[string]bool{}
	for _, in := range r.integrations {
		present[in.obj.GetName()] = true
	}
	by := map[string]*leftover{}
	get := func(name string) *leftover {
		if by[name] == nil {
			by[name] = &leftover{integration: name}
		}
		return by[name]
	}
	for _, idx := range r.releases {
		for _, owner := range helmrelease.Owners(r.rl.Items[idx].CopyToResourceNode()) {
			if !present[owner] {
				get(owner).releases = append(get(owner).releases, idx)
			}
		}
	}
	for _, idx := range r.existing {
		o := r.rl.Items[idx]
		owner := o.GetLabel(v1alpha1.LabelIntegration)
		if o.GetLabel(v1alpha1.LabelManagedBy) == v1alpha1.ManagedByValue && owner != "" && !present[owner] {
			get(owner).objects = append(get(owner).objects, idx)
		}
	}
	out := make([]leftover, 0, len(by))
	for _, l := range by {
		sort.Ints(l.releases)
		sort.Ints(l.objects)
		out = append(out, *l)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].integration < out[j].integration })
	return out
}

// retiring reports whether a run without integrations still has work: a kpt package with
// what a removed integration left.
func (r *rendering) retiring() bool { return r.kpt && len(r.leftovers()) > 0 }

// retire handles the leftovers: under kpt it takes the wiring back in the copies of the
// HelmReleases and returns the scopes whose objects the Inventory prunes; else it warns.
func (r *rendering) retire(copies map[int]*yaml.RNode) []Scope {
	var scopes []Scope
	for _, l := range r.leftovers() {
		var names []string
		namespaces := map[string]bool{}
		for _, idx := range l.objects {
			o := r.rl.Items[idx]
			names = append(names, o.GetKind()+" "+nsName(o.GetNamespace(), o.GetName()))
			namespaces[o.GetNamespace()] = true
		}
		objects := "none"
		if len(names) > 0 {
			objects = strings.Join(names, ", ")
		}
		if !r.kpt {
			for _, idx := range l.releases {
				r.results = append(r.results, r.result(r.rl.Items[idx], &fn.Field{Path: "metadata.annotations[" + v1alpha1.AnnotationManagedEnv + "]"}, fmt.Sprintf(
					"carries the wiring of OIDCIntegration %s, which is not in this render; objects labelled for it in the input: %s. If %s was removed, remove its entry from this annotation, its post-renderer patch pocketid-oidc.%s and those objects; if it is rendered elsewhere, render it together with this HelmRelease",
					l.integration, objects, l.integration, l.integration), fn.Warning))
			}
			continue
		}
		var releases []string
		for _, idx := range l.releases {
			rn, ok := copies[idx]
			if !ok {
				rn = r.rl.Items[idx].CopyToResourceNode()
				copies[idx] = rn
			}
			back := helmrelease.Filter{Integration: l.integration, Strategy: v1alpha1.StrategyNone}
			if _, err := back.Apply(rn); err != nil {
				r.results = append(r.results, r.result(r.rl.Items[idx], nil, err.Error()+" (taking back the wiring of the removed OIDCIntegration "+l.integration+")", fn.Error))
				r.failed = true
				continue
			}
			releases = append(releases, "HelmRelease "+nsName(rn.GetNamespace(), rn.GetName()))
			namespaces[rn.GetNamespace()] = true
		}
		for ns := range namespaces {
			scopes = append(scopes, Scope{Integration: l.integration, Namespace: ns, ProvisioningNamespace: ns})
		}
		what := "its wiring was taken back from " + strings.Join(releases, ", ")
		if len(releases) == 0 {
			what = "no HelmRelease carried its wiring"
		}
		target := r.configOr(nil)
		if len(l.releases) > 0 {
			target = r.rl.Items[l.releases[0]]
		} else if len(l.objects) > 0 {
			target = r.rl.Items[l.objects[0]]
		}
		r.results = append(r.results, r.result(target, nil, fmt.Sprintf(
			"OIDCIntegration %s is not in the package any more: %s, and its objects are removed: %s. Its Pocket ID client stays; to delete it, restore the integration with client.state: absent, let its Job run, then remove it",
			l.integration, what, objects), fn.Warning))
	}
	sort.Slice(scopes, func(i, j int) bool {
		return scopes[i].Integration+"|"+scopes[i].Namespace < scopes[j].Integration+"|"+scopes[j].Namespace
	})
	return scopes
}
