package helmrelease

import (
	"strings"
	"testing"

	"sigs.k8s.io/kustomize/api/krusty"
	"sigs.k8s.io/kustomize/kyaml/filesys"
	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/endsys/pocketid-oidc/pkg/api/v1alpha1"
	"github.com/endsys/pocketid-oidc/pkg/preset"
)

var grafanaWiring = preset.Wiring{
	Env: []preset.EnvVar{
		{Name: "GF_AUTH_GENERIC_OAUTH_CLIENT_ID", Value: "grafana"},
		{Name: "GF_AUTH_GENERIC_OAUTH_CLIENT_SECRET", SecretKeyRef: &preset.SecretKeyRef{Name: "grafana-oidc", Key: "client-secret"}},
		{Name: "GF_AUTH_GENERIC_OAUTH_ENABLED", Value: "true"},
	},
}

func TestPostRenderer(t *testing.T) {
	runCases(t, []testCase{{
		name:   "another chart gets one patch; the container defaults to the chart name; ${VAR} untouched",
		filter: Filter{Integration: "grafana", Wiring: grafanaWiring},
		in: hrYAML(`
name: grafana
namespace: monitoring
`, `
chart:
  spec:
    chart: grafana
    sourceRef: {kind: HelmRepository, name: grafana}
values:
  grafana.ini:
    server:
      root_url: https://grafana.${SECRET_DOMAIN}
`),
		wantPatch: patchItem("grafana", `
group: apps
kind: Deployment|StatefulSet
name: grafana
`, "grafana", `
env:
- name: GF_AUTH_GENERIC_OAUTH_CLIENT_ID
  value: grafana
  valueFrom: null
- name: GF_AUTH_GENERIC_OAUTH_CLIENT_SECRET
  value: null
  valueFrom:
    secretKeyRef:
      name: grafana-oidc
      key: client-secret
- name: GF_AUTH_GENERIC_OAUTH_ENABLED
  value: "true"
  valueFrom: null
`, ""),
	}, {
		name: "the user's post-renderers are kept and run first; files become volumes; releaseName wins",
		filter: Filter{Integration: "pgadmin", Container: "pgadmin4", Wiring: preset.Wiring{
			Env:   []preset.EnvVar{{Name: "PGADMIN_CONFIG_OAUTH2_CONFIG", SecretKeyRef: &preset.SecretKeyRef{Name: "pgadmin-oidc", Key: "oauth2-config"}}},
			Files: []preset.File{{SecretName: "pgadmin-oidc", SecretKey: "config_local.py", MountPath: "/pgadmin4/config_local.py"}},
		}},
		in: hrYAML(`
name: pgadmin
namespace: db
`, `
releaseName: pga
chart:
  spec:
    chart: pgadmin4
postRenderers:
  - kustomize:
      images:
        - name: dpage/pgadmin4
          newTag: "9.8"
      patches:
        - target: {kind: Service}
          patch: |
            - op: add
              path: /metadata/labels/team
              value: data
`),
		wantPatch: patchItem("pgadmin", `
group: apps
kind: Deployment|StatefulSet
name: pga-pgadmin4
`, "pgadmin4", `
env:
- name: PGADMIN_CONFIG_OAUTH2_CONFIG
  value: null
  valueFrom:
    secretKeyRef:
      name: pgadmin-oidc
      key: oauth2-config
volumeMounts:
- name: pgadmin-oidc
  mountPath: /pgadmin4/config_local.py
  subPath: config_local.py
  readOnly: true
`, `
volumes:
- name: pgadmin-oidc
  secret:
    secretName: pgadmin-oidc
`),
	}, {
		name:   "strategy postRenderer on app-template: container from values, release name from targetNamespace",
		filter: Filter{Integration: "immich", Strategy: v1alpha1.StrategyPostRenderer, Wiring: preset.Wiring{Env: oidcEnv[:1]}},
		in: hrYAML(`
name: immich
namespace: flux-system
`, `
targetNamespace: media
chart:
  spec:
    chart: app-template
values:
  controllers:
    main:
      containers:
        server: {env: {TZ: UTC}}
`),
		wantPatch: patchItem("immich", `
group: apps
kind: Deployment
labelSelector: app.kubernetes.io/instance=media-immich,app.kubernetes.io/controller=main
`, "server", `
env:
- name: OAUTH_CLIENT_ID
  value: immich
  valueFrom: null
`, ""),
	}, {
		name:   "a stale copy of our patch is rewritten in place and a duplicate dropped",
		filter: Filter{Integration: "grafana", Wiring: preset.Wiring{Env: grafanaWiring.Env[2:]}},
		in: hrYAML(`name: grafana`, `
chart: {spec: {chart: grafana}}
postRenderers:
  - kustomize:
      patches:
        - target: {kind: Deployment, labelSelector: app.kubernetes.io/instance=grafana}
          patch: |
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: pocketid-oidc.grafana
            spec: {template: {spec: {containers: [{name: grafana, env: [{name: OLD, value: x}]}]}}}
        - target: {kind: Deployment}
          patch: |
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: mine}
            spec: {replicas: 2}
        - target: {kind: Deployment, labelSelector: app.kubernetes.io/instance=grafana}
          patch: |
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: pocketid-oidc.grafana
`),
		want: hrYAML(`name: grafana`, `
chart: {spec: {chart: grafana}}
postRenderers:
  - kustomize:
      patches:
        - target:
            group: apps
            kind: Deployment|StatefulSet
            name: grafana
          patch: |
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: pocketid-oidc.grafana
            spec:
              template:
                spec:
                  containers:
                  - name: grafana
                    env:
                    - name: GF_AUTH_GENERIC_OAUTH_ENABLED
                      value: "true"
                      valueFrom: null
        - target: {kind: Deployment}
          patch: |
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: mine}
            spec: {replicas: 2}
`),
	}, {
		name:   "a chartRef with the container named: the selector takes the name from values.nameOverride",
		filter: Filter{Integration: "gitea", Container: "gitea", Wiring: preset.Wiring{Env: grafanaWiring.Env[2:]}},
		in: hrYAML(`name: gitea`, `
chartRef: {kind: OCIRepository, name: gitea-charts}
values:
  nameOverride: git
`),
		wantPatch: patchItem("gitea", `
group: apps
kind: Deployment|StatefulSet
name: gitea
`, "gitea", `
env:
- name: GF_AUTH_GENERIC_OAUTH_ENABLED
  value: "true"
  valueFrom: null
`, ""),
	}, {
		name:      "a chartRef that is not app-template needs the container named",
		filter:    Filter{Integration: "grafana", Wiring: grafanaWiring},
		in:        "apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata: {name: grafana, namespace: monitoring}\nspec:\n  chartRef: {kind: OCIRepository, name: grafana}\n",
		wantField: "spec.chartRef",
		wantErr:   []string{`HelmRelease monitoring/grafana installs chartRef "grafana"`, "set spec.helmRelease.container"},
	}})
}

func TestReleaseName(t *testing.T) {
	for _, tc := range []struct{ spec, want string }{
		{"{}", "app"},
		{"{releaseName: custom}", "custom"},
		{"{targetNamespace: media}", "media-app"},
		// helm-controller shortens past 53 characters: 40 characters, '-', 12 of the SHA-256.
		{"{targetNamespace: a-very-long-target-namespace-name-for-testing-purposes}", "a-very-long-target-namespace-name-for-te-c0a1ee6da255"},
	} {
		hr := yaml.MustParse("apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata: {name: app}\nspec: " + tc.spec)
		rel, err := newRelease(hr)
		if err != nil {
			t.Fatal(err)
		}
		if got := releaseName(rel); got != tc.want {
			t.Errorf("spec %s: release name %q, want %q", tc.spec, got, tc.want)
		}
	}
}

// TestPostRendererPatchAppliesWithKustomize runs our patch entry through kustomize itself, as
// helm-controller does with postRenderers: the target regex must select both workload kinds,
// the workload keeps its kind and name, env merges by name (nulling the other form of a
// chart's same-named var), and the release's other workloads (a sidecar Deployment with its
// own name label) and other releases' are not touched.
func TestPostRendererPatchAppliesWithKustomize(t *testing.T) {
	hr := yaml.MustParse(`
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: {name: grafana}
spec:
  chart: {spec: {chart: grafana}}
`)
	w := grafanaWiring
	w.Files = []preset.File{{SecretName: "grafana-oidc", SecretKey: "ca.pem", MountPath: "/etc/grafana/oidc-ca.pem"}}
	if _, err := (Filter{Integration: "grafana", Wiring: w}).Filter(hr); err != nil {
		t.Fatal(err)
	}
	patches, err := hr.Pipe(yaml.Lookup("spec", "postRenderers", "0", "kustomize", "patches"))
	if err != nil || patches == nil {
		t.Fatalf("no patches: %v", err)
	}
	kustomization := "resources: [rendered.yaml]\npatches:\n" + indent(patches.MustString(), "")
	rendered := `
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: grafana
  labels: {app.kubernetes.io/instance: grafana, app.kubernetes.io/name: grafana}
spec:
  template:
    spec:
      containers:
        - name: grafana-sc-dashboard
          image: kiwigrid/k8s-sidecar
        - name: grafana
          image: grafana/grafana
          env:
            - {name: GF_AUTH_GENERIC_OAUTH_CLIENT_SECRET, value: chart-default}
            - {name: GF_AUTH_GENERIC_OAUTH_ENABLED, valueFrom: {secretKeyRef: {name: x, key: y}}}
            - {name: GF_PATHS_DATA, value: /var/lib/grafana}
          envFrom:
            - secretRef: {name: grafana-env}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: grafana-image-renderer
  labels: {app.kubernetes.io/instance: grafana, app.kubernetes.io/name: grafana-image-renderer}
spec:
  template:
    spec:
      containers:
        - name: grafana-image-renderer
          image: grafana/grafana-image-renderer
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: other
  labels: {app.kubernetes.io/instance: other}
spec:
  template:
    spec:
      containers:
        - name: grafana
          image: grafana/grafana
`
	fs := filesys.MakeFsInMemory()
	if err := fs.WriteFile("/app/kustomization.yaml", []byte(kustomization)); err != nil {
		t.Fatal(err)
	}
	if err := fs.WriteFile("/app/rendered.yaml", []byte(rendered)); err != nil {
		t.Fatal(err)
	}
	m, err := krusty.MakeKustomizer(krusty.MakeDefaultOptions()).Run(fs, "/app")
	if err != nil {
		t.Fatalf("kustomize: %v\nkustomization:\n%s", err, kustomization)
	}
	out, err := m.AsYaml()
	if err != nil {
		t.Fatal(err)
	}
	want := `apiVersion: apps/v1
kind: StatefulSet
metadata:
  labels:
    app.kubernetes.io/instance: grafana
    app.kubernetes.io/name: grafana
  name: grafana
spec:
  template:
    spec:
      containers:
      - env:
        - name: GF_AUTH_GENERIC_OAUTH_CLIENT_ID
          value: grafana
        - name: GF_AUTH_GENERIC_OAUTH_CLIENT_SECRET
          valueFrom:
            secretKeyRef:
              key: client-secret
              name: grafana-oidc
        - name: GF_AUTH_GENERIC_OAUTH_ENABLED
          value: "true"
        - name: GF_PATHS_DATA
          value: /var/lib/grafana
        envFrom:
        - secretRef:
            name: grafana-env
        image: grafana/grafana
        name: grafana
        volumeMounts:
        - mountPath: /etc/grafana/oidc-ca.pem
          name: grafana-oidc
          readOnly: true
          subPath: ca.pem
      - image: kiwigrid/k8s-sidecar
        name: grafana-sc-dashboard
      volumes:
      - name: grafana-oidc
        secret:
          secretName: grafana-oidc
---
apiVersion: apps/v1
kind: Deployment
metadata:
  labels:
    app.kubernetes.io/instance: grafana
    app.kubernetes.io/name: grafana-image-renderer
  name: grafana-image-renderer
spec:
  template:
    spec:
      containers:
      - image: grafana/grafana-image-renderer
        name: grafana-image-renderer
---
apiVersion: apps/v1
kind: Deployment
metadata:
  labels:
    app.kubernetes.io/instance: other
  name: other
spec:
  template:
    spec:
      containers:
      - image: grafana/grafana
        name: grafana
`
	if string(out) != want {
		t.Fatalf("kustomize output differs\n--- got\n%s\n--- want\n%s", out, want)
	}
}

func indent(s, prefix string) string {
	lines := strings.SplitAfter(s, "\n")
	for i, l := range lines {
		if l != "" {
			lines[i] = prefix + l
		}
	}
	return strings.Join(lines, "")
}
