package function

import (
	"bytes"
	"strings"
	"testing"

	"github.com/kptdev/krm-functions-sdk/go/fn"
)

// TestPruneScope: a render removes only stale objects of the integrations it renders; objects
// of other integrations (rendered by another kustomization, or whose integration is elsewhere)
// and objects we did not render stay.
func TestPruneScope(t *testing.T) {
	stale := func(kind, apiVersion, ns, name, integration string) string {
		labels := "{app.kubernetes.io/managed-by: pocketid-oidc"
		if integration != "" {
			labels += ", oidc.endsys.cloud/integration: " + integration
		}
		labels += "}"
		return "apiVersion: " + apiVersion + "\nkind: " + kind + "\nmetadata: {name: " + name + ", namespace: " + ns + ", labels: " + labels + "}\n"
	}
	input := resourceList(t, errProvider,
		errRelease,
		immichIntegration("immich", ""),
		stale("ConfigMap", "v1", "media", "immich-oidc-0000000000", "immich"),                           // ours, stale: pruned
		stale("Job", "batch/v1", "media", "immich-oidc-0000000000", "immich"),                           // ours, stale: pruned
		stale("CronJob", "batch/v1", "media", "pocketid-oidc-reconcile", ""),                            // v0.1.0 shared it (no integration label): pruned here
		stale("ConfigMap", "v1", "media", "jellyfin-oidc-0000000000", "jellyfin"),                       // another integration: kept
		stale("CronJob", "batch/v1", "pocket-id", "pocketid-oidc-reconcile", ""),                        // another namespace: kept
		"apiVersion: v1\nkind: ConfigMap\nmetadata: {name: immich-oidc-1111111111, namespace: media}\n", // not ours: kept
	)
	var stdout, stderr bytes.Buffer
	if code := runFunction(bytes.NewReader(input), &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	out, err := fn.ParseResourceList(stdout.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	for _, o := range out.Items {
		got[o.GetKind()+" "+o.GetNamespace()+"/"+o.GetName()] = true
	}
	for id, want := range map[string]bool{
		"ConfigMap media/immich-oidc-0000000000":    false,
		"Job media/immich-oidc-0000000000":          false,
		"CronJob media/pocketid-oidc-reconcile":     false,
		"ConfigMap media/jellyfin-oidc-0000000000":  true,
		"CronJob pocket-id/pocketid-oidc-reconcile": true,
		"ConfigMap media/immich-oidc-1111111111":    true,
		"OIDCIntegration media/immich":              false,
		"HelmRelease media/immich":                  true,
		"ExternalSecret media/immich-oidc":          true,
	} {
		if got[id] != want {
			t.Errorf("%s present = %v, want %v", id, got[id], want)
		}
	}
	var rendered int
	for id := range got {
		if strings.HasPrefix(id, "Job media/immich-oidc-") {
			rendered++
		}
	}
	if rendered != 1 {
		t.Errorf("want exactly one immich Job, got %d", rendered)
	}
}
