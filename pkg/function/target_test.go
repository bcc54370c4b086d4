package function

import (
	"bytes"
	"testing"

	"github.com/kptdev/krm-functions-sdk/go/fn"
)

// TestTargetNamespacePrune: with a HelmRelease targetNamespace, a re-render replaces and prunes
// the integration's objects in the target namespace too (kpt re-renders its own output), also
// once the client is absent; objects of the same integration name elsewhere stay.
func TestTargetNamespacePrune(t *testing.T) {
	managed := func(ns, name string) string {
		return "apiVersion: external-secrets.io/v1\nkind: ExternalSecret\nmetadata: {name: " + name + ", namespace: " + ns +
			", labels: {app.kubernetes.io/managed-by: pocketid-oidc, oidc.endsys.cloud/integration: freshrss}}\nspec: {target: {name: " + name + "}}\n"
	}
	for _, tc := range []struct {
		name  string
		extra string
		want  map[string]bool
	}{{
		name: "present",
		want: map[string]bool{
			"ExternalSecret news/freshrss-oidc":           true, // replaced by the render
			"ExternalSecret news/freshrss-old":            false,
			"ExternalSecret news/freshrss-oidc-generated": true,
			"ExternalSecret flux-system/freshrss-oidc":    true, // the provisioning Job's copy
			"ExternalSecret other/freshrss-old":           true,
		},
	}, {
		name:  "absent",
		extra: "  client: {state: absent}\n",
		want: map[string]bool{
			"ExternalSecret news/freshrss-oidc":           false,
			"ExternalSecret news/freshrss-old":            false,
			"ExternalSecret news/freshrss-oidc-generated": false,
			"ExternalSecret other/freshrss-old":           true,
		},
	}} {
		t.Run(tc.name, func(t *testing.T) {
			input := resourceList(t, errProvider,
				wiringRelease("freshrss", "  targetNamespace: news\n"),
				wiringIntegration("freshrss", "freshrss", tc.extra),
				managed("news", "freshrss-oidc"), managed("news", "freshrss-old"), managed("other", "freshrss-old"))
			var stdout, stderr bytes.Buffer
			if code := runFunction(bytes.NewReader(input), &stdout, &stderr); code != 0 {
				t.Fatalf("exit %d: %s", code, stderr.String())
			}
			out, err := fn.ParseResourceList(stdout.Bytes())
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]int{}
			for _, o := range out.Items {
				got[o.GetKind()+" "+o.GetNamespace()+"/"+o.GetName()]++
			}
			for id, want := range tc.want {
				if (got[id] > 0) != want || got[id] > 1 {
					t.Errorf("%s: %d in the output, want present=%v once", id, got[id], want)
				}
			}
		})
	}
}
