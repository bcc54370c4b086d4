package function

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/kptdev/krm-functions-sdk/go/fn"
	"k8s.io/apimachinery/pkg/util/validation/field"
)

// TestReport: one result per field error, each said once however often it is found, and only
// errors fail the run.
func TestReport(t *testing.T) {
	r := newRendering(t, rlHead+`items:
- {apiVersion: oidc.endsys.cloud/v1alpha1, kind: OIDCIntegration, metadata: {name: immich, namespace: media, annotations: {internal.config.kubernetes.io/path: apps/immich.yaml, internal.config.kubernetes.io/index: "1"}}}
`)
	o := r.rl.Items[0]
	warn := field.ErrorList{field.Invalid(field.NewPath("spec", "url"), "x", "bad")}
	r.report(o, warn, fn.Warning)
	if r.failed {
		t.Error("a warning failed the run")
	}
	missing := field.ErrorList{field.Required(field.NewPath("spec", "provider", "issuer"), "missing"), field.Invalid(nil, nil, "no field")}
	r.report(o, missing, fn.Error)
	r.report(o, missing, fn.Error)
	if !r.failed || !r.hasErrorFor(o) {
		t.Error("an error did not fail the run")
	}
	want := []string{
		`warning: OIDCIntegration media/immich: spec.url: Invalid value: "x": bad`,
		"error: OIDCIntegration media/immich: spec.provider.issuer: Required value: missing",
		"error: OIDCIntegration media/immich: Invalid value: null: no field",
	}
	if diff := cmp.Diff(want, resultLines(r.results)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if f := r.results[0].File; f == nil || f.Path != "apps/immich.yaml" || f.Index != 1 {
		t.Errorf("file %+v, want apps/immich.yaml index 1", f)
	}
}
