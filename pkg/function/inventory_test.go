package function

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"sigs.k8s.io/kustomize/kyaml/kio"
	"sigs.k8s.io/kustomize/kyaml/yaml"
)

func TestInventoryFilter(t *testing.T) {
	const ours = "app.kubernetes.io/managed-by: pocketid-oidc"
	tests := map[string]struct {
		items   string // input items
		objects string // rendered objects
		files   []string
		filter  Inventory // Objects are set from objects and files
		want    string
	}{
		"a new object is appended": {
			items: `apiVersion: v1
kind: ConfigMap
metadata: {name: app, namespace: media}
`,
			objects: `apiVersion: batch/v1
kind: Job
metadata: {name: immich-oidc-1, namespace: media}
`,
			want: `apiVersion: v1
kind: ConfigMap
metadata: {name: app, namespace: media}
---
apiVersion: batch/v1
kind: Job
metadata: {name: immich-oidc-1, namespace: media}
`,
		},
		"a rendered object replaces ours in place and keeps the orchestrator's annotations": {
			items: `apiVersion: external-secrets.io/v1beta1
kind: ExternalSecret
metadata:
  name: immich-oidc
  namespace: media
  labels: {` + ours + `}
  annotations: {config.kubernetes.io/path: media/immich-oidc.yaml, internal.config.kubernetes.io/index: "2", kustomize.config.k8s.io/id: "x", user/note: dropped}
spec: {old: true}
---
apiVersion: v1
kind: Service
metadata: {name: after}
`,
			objects: `apiVersion: external-secrets.io/v1
kind: ExternalSecret
metadata:
  name: immich-oidc
  namespace: media
  labels: {` + ours + `}
spec: {new: true}
`,
			want: `apiVersion: external-secrets.io/v1
kind: ExternalSecret
metadata:
  name: immich-oidc
  namespace: media
  labels: {app.kubernetes.io/managed-by: pocketid-oidc}
  annotations:
    config.kubernetes.io/path: media/immich-oidc.yaml
    internal.config.kubernetes.io/index: "2"
    kustomize.config.k8s.io/id: x
spec: {new: true}
---
apiVersion: v1
kind: Service
metadata: {name: after}
`,
		},
		"kpt: a new object gets its file and the next free index": {
			items: `apiVersion: v1
kind: ConfigMap
metadata:
  name: a
  annotations: {internal.config.kubernetes.io/path: apps/immich-oidc.yaml, internal.config.kubernetes.io/index: "1"}
`,
			objects: `apiVersion: v1
kind: ConfigMap
metadata:
  name: b
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: c
`,
			files:  []string{"apps/immich-oidc.yaml", "apps/pocketid-oidc.yaml"},
			filter: Inventory{Paths: true},
			want: `apiVersion: v1
kind: ConfigMap
metadata:
  name: a
  annotations: {internal.config.kubernetes.io/path: apps/immich-oidc.yaml, internal.config.kubernetes.io/index: "1"}
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: b
  annotations:
    internal.config.kubernetes.io/index: "2"
    internal.config.kubernetes.io/path: apps/immich-oidc.yaml
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: c
  annotations:
    internal.config.kubernetes.io/index: "0"
    internal.config.kubernetes.io/path: apps/pocketid-oidc.yaml
`,
		},
		"kpt with legacy annotations: both sets": {
			objects: `apiVersion: v1
kind: ConfigMap
metadata:
  name: b
`,
			files:  []string{"b.yaml"},
			filter: Inventory{Paths: true, LegacyPaths: true},
			want: `apiVersion: v1
kind: ConfigMap
metadata:
  name: b
  annotations:
    config.kubernetes.io/index: "0"
    config.kubernetes.io/path: b.yaml
    internal.config.kubernetes.io/index: "0"
    internal.config.kubernetes.io/path: b.yaml
`,
		},
		"without Paths no path is added": {
			objects: `apiVersion: v1
kind: ConfigMap
metadata: {name: b}
`,
			files: []string{"b.yaml"},
			want: `apiVersion: v1
kind: ConfigMap
metadata: {name: b}
`,
		},
		"prune: stale objects of the scope go, everything else stays": {
			items: `apiVersion: v1
kind: ConfigMap
metadata: {name: immich-oidc-old, namespace: media, labels: {` + ours + `, oidc.endsys.cloud/integration: immich}}
---
apiVersion: batch/v1
kind: Job
metadata: {name: immich-oidc-old, namespace: pocket-id, labels: {` + ours + `, oidc.endsys.cloud/integration: immich}}
---
apiVersion: batch/v1
kind: CronJob
metadata: {name: pocketid-oidc-reconcile, namespace: pocket-id, labels: {` + ours + `}}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: jellyfin-oidc-old, namespace: media, labels: {` + ours + `, oidc.endsys.cloud/integration: jellyfin}}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: immich-oidc-old, namespace: other, labels: {` + ours + `, oidc.endsys.cloud/integration: immich}}
---
apiVersion: batch/v1
kind: CronJob
metadata: {name: pocketid-oidc-reconcile, namespace: media, labels: {` + ours + `}}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: not-ours, namespace: media}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: not-a-kind-we-render, namespace: media, labels: {` + ours + `, oidc.endsys.cloud/integration: immich}}
`,
			filter: Inventory{Scopes: []Scope{{Integration: "immich", Namespace: "media", ProvisioningNamespace: "pocket-id"}}},
			want: `apiVersion: v1
kind: ConfigMap
metadata: {name: jellyfin-oidc-old, namespace: media, labels: {app.kubernetes.io/managed-by: pocketid-oidc, oidc.endsys.cloud/integration: jellyfin}}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: immich-oidc-old, namespace: other, labels: {app.kubernetes.io/managed-by: pocketid-oidc, oidc.endsys.cloud/integration: immich}}
---
apiVersion: batch/v1
kind: CronJob
metadata: {name: pocketid-oidc-reconcile, namespace: media, labels: {app.kubernetes.io/managed-by: pocketid-oidc}}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: not-ours, namespace: media}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: not-a-kind-we-render, namespace: media, labels: {app.kubernetes.io/managed-by: pocketid-oidc, oidc.endsys.cloud/integration: immich}}
`,
		},
		"consumed integrations are removed": {
			items: `apiVersion: oidc.endsys.cloud/v1alpha1
kind: OIDCIntegration
metadata: {name: immich, namespace: media}
---
apiVersion: oidc.endsys.cloud/v1alpha1
kind: OIDCIntegration
metadata: {name: kept, namespace: media}
`,
			filter: Inventory{Consumed: map[string]bool{"oidc.endsys.cloud/OIDCIntegration|media|immich": true}},
			want: `apiVersion: oidc.endsys.cloud/v1alpha1
kind: OIDCIntegration
metadata: {name: kept, namespace: media}
`,
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			f := tc.filter
			for i, n := range parseNodes(t, tc.objects) {
				o := Object{Node: n}
				if i < len(tc.files) {
					o.File = tc.files[i]
				}
				f.Objects = append(f.Objects, o)
			}
			out, err := f.Filter(parseNodes(t, tc.items))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(strings.TrimSpace(tc.want), strings.TrimSpace(nodesString(t, out))); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// TestInventoryFilterTwice: filtering its own output again with the same objects changes
// nothing (kpt re-renders its own output on every run).
func TestInventoryFilterTwice(t *testing.T) {
	objects := `apiVersion: v1
kind: ConfigMap
metadata: {name: b, namespace: media, labels: {app.kubernetes.io/managed-by: pocketid-oidc, oidc.endsys.cloud/integration: immich}}
`
	run := func(items []*yaml.RNode) []*yaml.RNode {
		f := Inventory{Paths: true, Scopes: []Scope{{Integration: "immich", Namespace: "media", ProvisioningNamespace: "media"}}}
		for _, n := range parseNodes(t, objects) {
			f.Objects = append(f.Objects, Object{Node: n, File: "media/immich-oidc.yaml"})
		}
		out, err := f.Filter(items)
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	first := nodesString(t, run(nil))
	second := nodesString(t, run(parseNodes(t, first)))
	if diff := cmp.Diff(first, second); diff != "" {
		t.Errorf("second run (-first +second):\n%s", diff)
	}
}

func parseNodes(t *testing.T, s string) []*yaml.RNode {
	t.Helper()
	if strings.TrimSpace(s) == "" {
		return nil
	}
	nodes, err := kio.FromBytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return nodes
}

func nodesString(t *testing.T, nodes []*yaml.RNode) string {
	t.Helper()
	var parts []string
	for _, n := range nodes {
		s, err := n.String()
		if err != nil {
			t.Fatal(err)
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, "---\n")
}
