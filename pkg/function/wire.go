package function

// Wiring the HelmReleases: each integration's wiring applied to a copy of its HelmRelease.

import (
	"errors"
	"fmt"
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
	"github.com/endsys/pocketid-oidc/pkg/render/helmrelease"
)

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
				hint := r.releaseHint(in.api.Namespace, hrRef.Name)
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
			Workload:    hrRef.Workload,
		}
		if in.present() && in.resolved != nil {
			f.Wiring = in.resolved.Wiring
			f.Reload = in.provider.RestartOnSecretChange != nil && *in.provider.RestartOnSecretChange
			f.AppSecret = in.api.Spec.Secret.Name
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
