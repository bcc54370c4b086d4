package helmrelease

import (
	"testing"

	"github.com/endsys/pocketid-oidc/pkg/api/v1alpha1"
	"github.com/endsys/pocketid-oidc/pkg/preset"
)

func TestOwnership(t *testing.T) {
	runCases(t, []testCase{{
		name:   "wiring shrank: entries we no longer want go, the user's stay where they are",
		filter: Filter{Integration: "immich", Wiring: preset.Wiring{Env: oidcEnv[:1]}},
		in: hrYAML(`
name: immich
annotations:
  oidc.endsys.cloud/managed-env: '{"immich":{"envPath":["controllers","main","containers","main","env"],"env":["OAUTH_AUTO_LAUNCH","OAUTH_CLIENT_ID","OAUTH_CLIENT_SECRET","OAUTH_ISSUER_URL"]}}'
`, appTemplate(mainContainer(`
env:
  OAUTH_AUTO_LAUNCH: "true"
  OAUTH_CLIENT_ID: immich
  OAUTH_CLIENT_SECRET:
    valueFrom:
      secretKeyRef: {name: immich-oidc, key: client-secret}
  OAUTH_ISSUER_URL: https://auth.${SECRET_DOMAIN}
  TZ: Europe/Berlin
`))),
		want: hrYAML(`
name: immich
annotations:
  oidc.endsys.cloud/managed-env: '{"immich":{"envPath":["controllers","main","containers","main","env"],"env":["OAUTH_CLIENT_ID"]}}'
`, appTemplate(mainContainer(`
env:
  OAUTH_CLIENT_ID: immich
  TZ: Europe/Berlin
`))),
	}, {
		name:   "state absent in list form: ours go, the user's stay, the annotation goes",
		filter: Filter{Integration: "immich"},
		in: hrYAML(`
name: immich
annotations:
  oidc.endsys.cloud/managed-env: '{"immich":{"envPath":["controllers","main","containers","main","env"],"env":["OAUTH_CLIENT_ID"]}}'
  kustomize.toolkit.fluxcd.io/substitute: disabled
`, appTemplate(mainContainer(`
env:
  - {name: OAUTH_CLIENT_ID, value: immich}
  - {name: TZ, value: UTC}
`))),
		want: hrYAML(`
name: immich
annotations:
  kustomize.toolkit.fluxcd.io/substitute: disabled
`, appTemplate(mainContainer(`
env:
  - {name: TZ, value: UTC}
`))),
	}, {
		name:   "strategy none takes back our patch and keeps the user's post-renderer",
		filter: Filter{Integration: "grafana", Strategy: v1alpha1.StrategyNone, Wiring: grafanaWiring},
		in: hrYAML(`name: grafana`, `
chart: {spec: {chart: grafana}}
postRenderers:
  - kustomize:
      patches:
        - target: {kind: Deployment}
          patch: |
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: mine}
            spec: {replicas: 2}
        - target: {kind: Deployment|StatefulSet}
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
        - target: {kind: Deployment}
          patch: |
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: mine}
            spec: {replicas: 2}
`),
	}, {
		name:   "switching from values to postRenderer moves the env out of the values",
		filter: Filter{Integration: "immich", Strategy: v1alpha1.StrategyPostRenderer, Wiring: preset.Wiring{Env: oidcEnv[:1]}},
		in: hrYAML(`
name: immich
annotations:
  oidc.endsys.cloud/managed-env: '{"immich":{"envPath":["controllers","main","containers","main","env"],"env":["OAUTH_CLIENT_ID"]}}'
`, appTemplate(mainContainer(`
image: {repository: immich}
env: {OAUTH_CLIENT_ID: immich}
`))),
		want: hrYAML(`name: immich`, `
chart: {spec: {chart: app-template}}
values:
  controllers:
    main:
      containers:
        main:
          image: {repository: immich}
postRenderers:
  - kustomize:
      patches:
        - target:
            group: apps
            kind: Deployment
            labelSelector: app.kubernetes.io/instance=immich,app.kubernetes.io/controller=main
          patch: |
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: pocketid-oidc.immich
            spec:
              template:
                spec:
                  containers:
                  - name: main
                    env:
                    - name: OAUTH_CLIENT_ID
                      value: immich
                      valueFrom: null
`),
	}, {
		name:   "a different controller: the old entries leave the old container",
		filter: Filter{Integration: "app", Controller: "worker", Wiring: preset.Wiring{Env: []preset.EnvVar{{Name: "X", Value: "1"}}}},
		in: hrYAML(`
name: app
annotations:
  oidc.endsys.cloud/managed-env: '{"app":{"envPath":["controllers","main","containers","main","env"],"env":["X"]}}'
`, appTemplate(`
controllers:
  main:
    containers:
      main: {env: {TZ: UTC, X: "1"}}
  worker:
    containers:
      main: {}
`)),
		want: hrYAML(`
name: app
annotations:
  oidc.endsys.cloud/managed-env: '{"app":{"envPath":["controllers","worker","containers","main","env"],"env":["X"]}}'
`, appTemplate(`
controllers:
  main:
    containers:
      main: {env: {TZ: UTC}}
  worker:
    containers:
      main: {env: {X: "1"}}
`)),
	}, {
		name:   "a second integration on the same release: both recorded, neither disturbed",
		filter: Filter{Integration: "b", Wiring: preset.Wiring{Env: []preset.EnvVar{{Name: "B", Value: "b"}}}},
		in: hrYAML(`
name: app
annotations:
  oidc.endsys.cloud/managed-env: '{"a":{"envPath":["controllers","main","containers","main","env"],"env":["A","SHARED"]}}'
`, appTemplate(`
controllers:
  main:
    containers:
      main: {env: {A: a, SHARED: s}}
`)),
		want: hrYAML(`
name: app
annotations:
  oidc.endsys.cloud/managed-env: '{"a":{"envPath":["controllers","main","containers","main","env"],"env":["A","SHARED"]},"b":{"envPath":["controllers","main","containers","main","env"],"env":["B"]}}'
`, appTemplate(`
controllers:
  main:
    containers:
      main: {env: {A: a, SHARED: s, B: b}}
`)),
	}, {
		name:   "one of two integrations goes: a name the other also claims stays",
		filter: Filter{Integration: "a"},
		in: hrYAML(`
name: app
annotations:
  oidc.endsys.cloud/managed-env: '{"a":{"envPath":["controllers","main","containers","main","env"],"env":["A","SHARED"]},"b":{"envPath":["controllers","main","containers","main","env"],"env":["B","SHARED"]}}'
`, appTemplate(`
controllers:
  main:
    containers:
      main: {env: {A: a, SHARED: s, B: b}}
`)),
		want: hrYAML(`
name: app
annotations:
  oidc.endsys.cloud/managed-env: '{"b":{"envPath":["controllers","main","containers","main","env"],"env":["B","SHARED"]}}'
`, appTemplate(`
controllers:
  main:
    containers:
      main: {env: {SHARED: s, B: b}}
`)),
	}, {
		name:   "two integrations' patches share one post-renderer item; each replaces only its own",
		filter: Filter{Integration: "b", Container: "app", Wiring: preset.Wiring{Env: []preset.EnvVar{{Name: "B", Value: "b"}}}},
		in: hrYAML(`name: app`, `
chart: {spec: {chart: some-chart}}
postRenderers:
  - kustomize:
      patches:
        - target: {group: apps, kind: Deployment|StatefulSet, labelSelector: "app.kubernetes.io/instance=app,app.kubernetes.io/name=some-chart"}
          patch: |
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: pocketid-oidc.a
            spec: {template: {spec: {containers: [{name: app, env: [{name: A, value: a}]}]}}}
`),
		want: hrYAML(`name: app`, `
chart: {spec: {chart: some-chart}}
postRenderers:
  - kustomize:
      patches:
        - target: {group: apps, kind: Deployment|StatefulSet, labelSelector: "app.kubernetes.io/instance=app,app.kubernetes.io/name=some-chart"}
          patch: |
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: pocketid-oidc.a
            spec: {template: {spec: {containers: [{name: app, env: [{name: A, value: a}]}]}}}
        - target:
            group: apps
            kind: Deployment|StatefulSet
            name: app-some-chart
          patch: |
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: pocketid-oidc.b
            spec:
              template:
                spec:
                  containers:
                  - name: app
                    env:
                    - name: B
                      value: b
                      valueFrom: null
`),
	}})
}

// TestRenderThenRemoveRestoresInput renders, then renders state absent (the zero Wiring) on
// the result: when we replaced none of the user's entries, that must give back the input
// byte for byte, including blocks we created (env, persistence, postRenderers, values maps).
func TestRenderThenRemoveRestoresInput(t *testing.T) {
	for _, tc := range []struct {
		name   string
		filter Filter
		in     string
	}{{
		name:   "app-template, no env yet, files",
		filter: Filter{Integration: "t", Wiring: preset.Wiring{Env: oidcEnv, Files: []preset.File{{SecretName: "t-oidc", SecretKey: "f.json", MountPath: "/f.json"}}}},
		in:     hrYAML(`name: t`, appTemplate(`controllers: {main: {containers: {main: {image: {repository: x}}}}}`)),
	}, {
		name:   "app-template, list env and persistence of the user's",
		filter: Filter{Integration: "t", Wiring: preset.Wiring{Env: oidcEnv, Files: []preset.File{{SecretName: "t-oidc", SecretKey: "f.json", MountPath: "/f.json"}}}},
		in: hrYAML(`
name: t
annotations: {a: b}
`, appTemplate(`
controllers: {main: {containers: {main: {env: [{name: TZ, value: UTC}]}}}}
persistence: {data: {existingClaim: d}}
`)),
	}, {
		name:   "post-renderer next to the user's",
		filter: Filter{Integration: "g", Wiring: grafanaWiring},
		in: hrYAML(`name: g`, `
chart: {spec: {chart: grafana}}
postRenderers:
  - kustomize:
      images: [{name: grafana/grafana, newTag: "12.2.0"}]
`),
	}, {
		name:   "chart route creating nested values",
		filter: Filter{Integration: "immich", Wiring: immichChartWiring},
		in:     hrYAML(`name: immich`, `chart: {spec: {chart: immich}}`),
	}} {
		t.Run(tc.name, func(t *testing.T) {
			rendered, err := apply(t, tc.filter, tc.in)
			if err != nil {
				t.Fatal(err)
			}
			if rendered == normalize(t, tc.in) {
				t.Fatal("rendering changed nothing; the case tests nothing")
			}
			back, err := apply(t, Filter{Integration: tc.filter.Integration, Strategy: tc.filter.Strategy}, rendered)
			if err != nil {
				t.Fatal(err)
			}
			if want := normalize(t, tc.in); back != want {
				t.Fatalf("removal did not restore the input\n--- got\n%s\n--- want\n%s", back, want)
			}
		})
	}
}
