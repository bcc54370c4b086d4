package function

import (
	"strings"
	"testing"

	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// TestObjectLimits: the API server's limits on one rendered object, each at its boundary.
func TestObjectLimits(t *testing.T) {
	cm := func(data string) string {
		return "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: media}\ndata: {a: " + data + "}\n"
	}
	tests := []struct {
		name, obj string
		want      []string
	}{
		{"ConfigMap at 1 MiB", cm(strings.Repeat("d", 1<<20-1)), nil},
		{"ConfigMap over 1 MiB", cm(strings.Repeat("d", 1<<20)), []string{"data: Too long: may not be more than 1048576 bytes"}},
		{"Secret stringData counts", "apiVersion: v1\nkind: Secret\nmetadata: {name: s}\nstringData: {a: " + strings.Repeat("d", 1<<20) + "}\n",
			[]string{"data: Too long: may not be more than 1048576 bytes"}},
		{"label value", "apiVersion: batch/v1\nkind: Job\nmetadata: {name: j, labels: {oidc.endsys.cloud/integration: " + strings.Repeat("l", 64) + "}}\n",
			[]string{"metadata.labels: Invalid value: \"" + strings.Repeat("l", 64) + "\": must be no more than 63 bytes"}},
		{"annotations", "apiVersion: batch/v1\nkind: Job\nmetadata: {name: j, annotations: {a: " + strings.Repeat("a", 256<<10) + "}}\n",
			[]string{"metadata.annotations: Too long: may not be more than 262144 bytes"}},
		{"whole object", "apiVersion: batch/v1\nkind: Job\nmetadata: {name: j}\nspec: {x: " + strings.Repeat("o", 3<<19) + "}\n",
			[]string{"<nil>: Too long: may not be more than 1572864 bytes"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			n, err := yaml.Parse(tc.obj)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, e := range objectLimitErrs(n) {
				got = append(got, e.Error())
			}
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("got %.300q, want %q", got, tc.want)
			}
		})
	}
}

// TestCheckLimitsBlamesTheOwner: a rendered object over a limit is an error on what rendered
// it, naming the object and its field in the message.
func TestCheckLimitsBlamesTheOwner(t *testing.T) {
	r := newRendering(t, rlHead+testProvider)
	r.readConfig()
	n, err := yaml.Parse("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: big, namespace: media}\ndata: {a: " + strings.Repeat("d", 1<<20) + "}\n")
	if err != nil {
		t.Fatal(err)
	}
	r.checkLimits(nil, []desiredObject{{node: n}})
	want := "error: PocketIDProvider pocket-id: Invalid value: renders ConfigMap media/big over the API server's limits: data: Too long: may not be more than 1048576 bytes; shorten the values that reach it"
	if got := resultLines(r.results); len(got) != 1 || got[0] != want || !r.failed {
		t.Errorf("got %q, failed %v; want %q", got, r.failed, want)
	}
}
