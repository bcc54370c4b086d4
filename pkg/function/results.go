package function

// Results: every problem as a KRM result naming the object and field.

import (
	"strings"

	"github.com/kptdev/krm-functions-sdk/go/fn"
	"k8s.io/apimachinery/pkg/util/validation/field"
)

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

func (r *rendering) hasErrorFor(o *fn.KubeObject) bool {
	for _, res := range r.results {
		if res.Severity == fn.Error && res.ResourceRef != nil && res.ResourceRef.Kind == o.GetKind() &&
			res.ResourceRef.Name == o.GetName() && res.ResourceRef.Namespace == o.GetNamespace() {
			return true
		}
	}
	return false
}

// hasErrorAt reports whether o has an error result at fld or at a field that contains it.
func (r *rendering) hasErrorAt(o *fn.KubeObject, fld *field.Path) bool {
	for _, res := range r.results {
		if res.Severity != fn.Error || res.Field == nil || res.ResourceRef == nil || res.ResourceRef.Kind != o.GetKind() ||
			res.ResourceRef.Name != o.GetName() || res.ResourceRef.Namespace != o.GetNamespace() {
			continue
		}
		if p := fld.String(); p == res.Field.Path || strings.HasPrefix(p, res.Field.Path+".") {
			return true
		}
	}
	return false
}
