package function

// The API server's limits, checked on every object the run would emit: the field limits of
// v1alpha1 (validation_limits.go) keep each integration's own objects far below them, but not
// what many integrations share (a namespace's reconcile CronJob) nor the user's HelmRelease
// with our wiring added. An object over a limit would render and then fail when Flux applies
// it, so it is an error here, on the integration it comes from.

import (
	"fmt"

	"github.com/kptdev/krm-functions-sdk/go/fn"
	corev1 "k8s.io/api/core/v1"
	apivalidation "k8s.io/apimachinery/pkg/api/validation"
	metav1validation "k8s.io/apimachinery/pkg/apis/meta/v1/validation"
	"k8s.io/apimachinery/pkg/util/validation/field"
	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// maxObjectBytes is etcd's default request limit (--max-request-bytes, 1.5 MiB): the API
// server cannot store a larger object.
const maxObjectBytes = 3 * 512 * 1024

// checkLimits reports every rendered object and wired HelmRelease over an API server limit.
func (r *rendering) checkLimits(releases map[int]*yaml.RNode, desired []desiredObject) {
	for _, d := range desired {
		// The field is the rendered object's: told in the message, not as the integration's.
		for _, e := range objectLimitErrs(d.node) {
			what := e.ErrorBody()
			if e.Field != "<nil>" {
				what = e.Field + ": " + what
			}
			r.report(r.configOr(d.owner), field.ErrorList{field.Invalid(nil, field.OmitValueType{}, fmt.Sprintf(
				"renders %s %s over the API server's limits: %s; shorten the values that reach it",
				d.node.GetKind(), nsName(d.node.GetNamespace(), d.node.GetName()), what))}, fn.Error)
		}
	}
	for idx, rn := range releases {
		// The user's object with our wiring: blamed on it, at the field.
		errs := objectLimitErrs(rn)
		for _, e := range errs {
			e.Detail += " (the HelmRelease with the integration's wiring added)"
		}
		r.report(r.rl.Items[idx], errs, fn.Error)
	}
}

// objectLimitErrs checks one object against the API server's limits: labels, annotations (256
// KiB together), the data of a ConfigMap or Secret (1 MiB), the whole object (1.5 MiB).
func objectLimitErrs(n *yaml.RNode) field.ErrorList {
	meta := field.NewPath("metadata")
	errs := metav1validation.ValidateLabels(n.GetLabels(), meta.Child("labels"))
	errs = append(errs, apivalidation.ValidateAnnotations(n.GetAnnotations(), meta.Child("annotations"))...)
	if k := n.GetKind(); (k == "ConfigMap" || k == "Secret") && n.GetApiVersion() == "v1" {
		size := 0
		for _, key := range []string{"data", "binaryData", "stringData"} {
			m, _ := n.Pipe(yaml.Lookup(key))
			if m == nil {
				continue
			}
			_ = m.VisitFields(func(f *yaml.MapNode) error {
				size += len(f.Key.YNode().Value) + len(f.Value.YNode().Value)
				return nil
			})
		}
		if size > corev1.MaxSecretSize {
			errs = append(errs, field.TooLong(field.NewPath("data"), "", corev1.MaxSecretSize))
		}
	}
	if nodeBytes(n.YNode()) > maxObjectBytes {
		errs = append(errs, field.TooLong(nil, "", maxObjectBytes))
	}
	return errs
}

// nodeBytes is about the size of a node as JSON: its text and a few bytes of syntax per node
// (quotes, colon, comma). Marshalling every rendered object to measure it exactly would cost
// a third of the render's time, for a limit no object comes near unless a value is huge.
func nodeBytes(n *yaml.Node) int {
	size := len(n.Value) + 4
	for _, c := range n.Content {
		size += nodeBytes(c)
	}
	return size
}
