package e2e

import (
	"bytes"
	"strings"
	"testing"

	"sigs.k8s.io/kustomize/kyaml/kio"
	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// runFunction execs the function binary on a ResourceList the way kustomize and kpt do, and
// returns the output items. Error results or a failing exit fail the test with the function's
// stderr and results. Annotations on the items (kpt's path and index) go in as they are.
func runFunction(t testing.TB, bin string, items []*yaml.RNode, fnConfig *yaml.RNode) []*yaml.RNode {
	t.Helper()
	var in bytes.Buffer
	w := kio.ByteWriter{
		Writer:                &in,
		KeepReaderAnnotations: true,
		FunctionConfig:        fnConfig,
		WrappingKind:          kio.ResourceListKind,
		WrappingAPIVersion:    kio.ResourceListAPIVersion,
	}
	if err := w.Write(items); err != nil {
		t.Fatal(err)
	}
	stdout, stderr, err := runE("", in.Bytes(), bin)
	r := &kio.ByteReader{Reader: bytes.NewReader(stdout), OmitReaderAnnotations: true, WrapBareSeqNode: true}
	out, readErr := r.Read()
	if err != nil || readErr != nil {
		t.Fatalf("function failed: %v %v\nstderr:\n%s\nresults:\n%s", err, readErr, stderr, resultsText(r.Results))
	}
	if errs := errorResults(r.Results); len(errs) > 0 {
		t.Fatalf("function exited 0 but reported errors:\n%s", strings.Join(errs, "\n"))
	}
	return out
}

func resultsText(results *yaml.RNode) string {
	if results == nil {
		return "(none)"
	}
	return results.MustString()
}

func errorResults(results *yaml.RNode) []string {
	if results == nil {
		return nil
	}
	elems, _ := results.Elements()
	var out []string
	for _, e := range elems {
		if sev, _ := e.GetString("severity"); sev == "error" {
			out = append(out, e.MustString())
		}
	}
	return out
}

// byKey indexes objects by apiVersion, kind, namespace and name; a duplicate is a bug of the
// function (an append where an upsert belongs).
func byKey(t testing.TB, objs []*yaml.RNode) map[string]*yaml.RNode {
	t.Helper()
	m := map[string]*yaml.RNode{}
	for _, n := range objs {
		k := objectKey(n)
		if _, dup := m[k]; dup {
			t.Fatalf("duplicate object in output: %s", k)
		}
		m[k] = n
	}
	return m
}

// managedBy reports whether the function emitted the object.
func managedBy(n *yaml.RNode) bool {
	return n.GetLabels()["app.kubernetes.io/managed-by"] == "pocketid-oidc"
}

// oidcClients returns the OIDCClient documents held by a ConfigMap's data values.
func oidcClients(t testing.TB, cm *yaml.RNode) []*yaml.RNode {
	t.Helper()
	var out []*yaml.RNode
	for _, value := range cm.GetDataMap() {
		// Values that are not YAML (a CA bundle, a script) hold no OIDCClient.
		docs, err := (&kio.ByteReader{Reader: strings.NewReader(value), OmitReaderAnnotations: true}).Read()
		if err != nil {
			continue
		}
		for _, d := range docs {
			if d.GetKind() == "OIDCClient" {
				out = append(out, d)
			}
		}
	}
	return out
}
