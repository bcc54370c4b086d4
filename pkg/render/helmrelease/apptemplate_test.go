package helmrelease

import (
	"testing"

	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/endsys/pocketid-oidc/pkg/api/v1alpha1"
	"github.com/endsys/pocketid-oidc/pkg/preset"
)

func TestAppTemplateEnv(t *testing.T) {
	runCases(t, []testCase{{
		name:   "map env keeps the user's entries, order and shorthand; ours replace same names in place",
		filter: Filter{Integration: "immich", Wiring: oidcWiring},
		in: hrYAML(`
name: immich
namespace: media
`, `
chart:
  spec:
    chart: app-template
    sourceRef: {kind: HelmRepository, name: bjw-s}
values:
  controllers:
    main:
      containers:
        main:
          image: {repository: ghcr.io/immich-app/immich-server, tag: v1.140.0}
          env:
            TZ: Europe/Berlin
            OAUTH_ISSUER_URL: https://old.example.com
            DB_PASSWORD:
              secretKeyRef: {name: immich-db, key: password}
`),
		want: hrYAML(`
name: immich
namespace: media
annotations:
  oidc.endsys.cloud/managed-env: '{"immich":{"envPath":["controllers","main","containers","main","env"],"env":["OAUTH_CLIENT_ID","OAUTH_CLIENT_SECRET","OAUTH_ISSUER_URL"],"replaced":{"OAUTH_ISSUER_URL":"OAUTH_ISSUER_URL: https://old.example.com"}}}'
`, `
chart:
  spec:
    chart: app-template
    sourceRef: {kind: HelmRepository, name: bjw-s}
values:
  controllers:
    main:
      containers:
        main:
          image: {repository: ghcr.io/immich-app/immich-server, tag: v1.140.0}
          env:
            TZ: Europe/Berlin
            OAUTH_ISSUER_URL: https://auth.${SECRET_DOMAIN}
            DB_PASSWORD:
              secretKeyRef: {name: immich-db, key: password}
            OAUTH_CLIENT_ID: immich
            OAUTH_CLIENT_SECRET:
              valueFrom:
                secretKeyRef:
                  name: immich-oidc
                  key: client-secret
`),
	}, {
		name:   "list env stays a list",
		filter: Filter{Integration: "immich", Wiring: oidcWiring},
		in: hrYAML(`name: immich`, appTemplate(mainContainer(`
env:
  - name: TZ
    value: Europe/Berlin
  - name: OAUTH_CLIENT_ID
    value: old
  - name: REDIS_PASSWORD
    valueFrom:
      secretKeyRef: {name: redis, key: password}
`))),
		want: hrYAML(`
name: immich
annotations:
  oidc.endsys.cloud/managed-env: '{"immich":{"envPath":["controllers","main","containers","main","env"],"env":["OAUTH_CLIENT_ID","OAUTH_CLIENT_SECRET","OAUTH_ISSUER_URL"],"replaced":{"OAUTH_CLIENT_ID":"- name: OAUTH_CLIENT_ID\n  value: old"}}}'
`, appTemplate(mainContainer(`
env:
  - name: TZ
    value: Europe/Berlin
  - name: OAUTH_CLIENT_ID
    value: immich
  - name: REDIS_PASSWORD
    valueFrom:
      secretKeyRef: {name: redis, key: password}
  - name: OAUTH_CLIENT_SECRET
    valueFrom:
      secretKeyRef:
        name: immich-oidc
        key: client-secret
  - name: OAUTH_ISSUER_URL
    value: https://auth.${SECRET_DOMAIN}
`))),
	}, {
		name: "no env yet: a map, sorted by name whatever order the wiring has",
		filter: Filter{Integration: "immich", Wiring: preset.Wiring{Env: []preset.EnvVar{
			oidcEnv[2], oidcEnv[0], oidcEnv[1], {Name: "OAUTH_AUTO_LAUNCH", Value: "true"},
		}}},
		in: hrYAML(`name: immich`, appTemplate(mainContainer(`
image:
  repository: ghcr.io/immich-app/immich-server
`))),
		want: hrYAML(`
name: immich
annotations:
  oidc.endsys.cloud/managed-env: '{"immich":{"envPath":["controllers","main","containers","main","env"],"env":["OAUTH_AUTO_LAUNCH","OAUTH_CLIENT_ID","OAUTH_CLIENT_SECRET","OAUTH_ISSUER_URL"]}}'
`, appTemplate(mainContainer(`
image:
  repository: ghcr.io/immich-app/immich-server
env:
  OAUTH_AUTO_LAUNCH: "true"
  OAUTH_CLIENT_ID: immich
  OAUTH_CLIENT_SECRET:
    valueFrom:
      secretKeyRef:
        name: immich-oidc
        key: client-secret
  OAUTH_ISSUER_URL: https://auth.${SECRET_DOMAIN}
`))),
	}, {
		name:   "the only controller and container are found whatever their names; ${VAR} elsewhere untouched",
		filter: Filter{Integration: "vikunja", Wiring: preset.Wiring{Env: []preset.EnvVar{{Name: "VIKUNJA_AUTH_OPENID_ENABLED", Value: "true"}}}},
		in: hrYAML(`name: vikunja`, appTemplate(`
controllers:
  vikunja:
    containers:
      app:
        env:
          VIKUNJA_SERVICE_PUBLICURL: https://tasks.${SECRET_DOMAIN}
ingress:
  app:
    hosts:
      - host: tasks.${SECRET_DOMAIN}
`)),
		want: hrYAML(`
name: vikunja
annotations:
  oidc.endsys.cloud/managed-env: '{"vikunja":{"envPath":["controllers","vikunja","containers","app","env"],"env":["VIKUNJA_AUTH_OPENID_ENABLED"]}}'
`, appTemplate(`
controllers:
  vikunja:
    containers:
      app:
        env:
          VIKUNJA_SERVICE_PUBLICURL: https://tasks.${SECRET_DOMAIN}
          VIKUNJA_AUTH_OPENID_ENABLED: "true"
ingress:
  app:
    hosts:
      - host: tasks.${SECRET_DOMAIN}
`)),
	}, {
		name:   "explicit controller among several; its only container",
		filter: Filter{Integration: "paperless", Controller: "web", Wiring: preset.Wiring{Env: []preset.EnvVar{{Name: "PAPERLESS_APPS", Value: "allauth.socialaccount.providers.openid_connect"}}}},
		in: hrYAML(`name: paperless`, appTemplate(`
controllers:
  web:
    containers:
      paperless: {image: {repository: paperless-ngx}}
  worker:
    containers:
      paperless: {image: {repository: paperless-ngx}}
`)),
		want: hrYAML(`
name: paperless
annotations:
  oidc.endsys.cloud/managed-env: '{"paperless":{"envPath":["controllers","web","containers","paperless","env"],"env":["PAPERLESS_APPS"]}}'
`, appTemplate(`
controllers:
  web:
    containers:
      paperless: {image: {repository: paperless-ngx}, env: {PAPERLESS_APPS: allauth.socialaccount.providers.openid_connect}}
  worker:
    containers:
      paperless: {image: {repository: paperless-ngx}}
`)),
	}, {
		name:   "several controllers: main is the default",
		filter: Filter{Integration: "app", Wiring: preset.Wiring{Env: []preset.EnvVar{{Name: "X", Value: "1"}}}},
		in: hrYAML(`name: app`, appTemplate(`
controllers:
  cron:
    containers:
      main: {}
  main:
    containers:
      sidecar: {}
      main: {}
`)),
		want: hrYAML(`
name: app
annotations:
  oidc.endsys.cloud/managed-env: '{"app":{"envPath":["controllers","main","containers","main","env"],"env":["X"]}}'
`, appTemplate(`
controllers:
  cron:
    containers:
      main: {}
  main:
    containers:
      sidecar: {}
      main: {env: {X: "1"}}
`)),
	}, {
		name:   "chartRef to an OCIRepository named app-template",
		filter: Filter{Integration: "immich", Wiring: preset.Wiring{Env: oidcEnv[:1]}},
		in: hrYAML(`name: immich`, `
chartRef:
  kind: OCIRepository
  name: app-template
values:
  controllers:
    main:
      containers:
        main:
          env: {}
`),
		want: hrYAML(`
name: immich
annotations:
  oidc.endsys.cloud/managed-env: '{"immich":{"envPath":["controllers","main","containers","main","env"],"env":["OAUTH_CLIENT_ID"]}}'
`, `
chartRef:
  kind: OCIRepository
  name: app-template
values:
  controllers:
    main:
      containers:
        main:
          env: {OAUTH_CLIENT_ID: immich}
`),
	}, {
		name:   "chartRef to a HelmChart whose name ends in -app-template",
		filter: Filter{Integration: "immich", Strategy: v1alpha1.StrategyValues, Wiring: preset.Wiring{Env: oidcEnv[:1]}},
		in: hrYAML(`name: immich`, `
chartRef: {kind: HelmChart, name: bjw-s-app-template}
values:
  controllers:
    main:
      containers:
        main:
          env:
            - {name: TZ, value: UTC}
`),
		want: hrYAML(`
name: immich
annotations:
  oidc.endsys.cloud/managed-env: '{"immich":{"envPath":["controllers","main","containers","main","env"],"env":["OAUTH_CLIENT_ID"]}}'
`, `
chartRef: {kind: HelmChart, name: bjw-s-app-template}
values:
  controllers:
    main:
      containers:
        main:
          env:
            - {name: TZ, value: UTC}
            - name: OAUTH_CLIENT_ID
              value: immich
`),
	}})
}

func TestAppTemplateFiles(t *testing.T) {
	runCases(t, []testCase{{
		name: "files become one secret persistence entry mounted into our container only",
		filter: Filter{Integration: "tandoor", Wiring: preset.Wiring{
			Env: []preset.EnvVar{{Name: "SOCIALACCOUNT_PROVIDERS_FILE", Value: "/config/oidc/providers.json"}},
			Files: []preset.File{
				{SecretName: "tandoor-oidc", SecretKey: "providers.json", MountPath: "/config/oidc/providers.json"},
				{SecretName: "tandoor-oidc", SecretKey: "ca.pem", MountPath: "/config/oidc/ca.pem"},
			},
		}},
		in: hrYAML(`name: tandoor`, appTemplate(`
controllers:
  tandoor:
    containers:
      app:
        image: {repository: vabene1111/recipes}
persistence:
  media:
    existingClaim: tandoor-media
    globalMounts:
      - path: /opt/recipes/mediafiles
`)),
		want: hrYAML(`
name: tandoor
annotations:
  oidc.endsys.cloud/managed-env: '{"tandoor":{"envPath":["controllers","tandoor","containers","app","env"],"env":["SOCIALACCOUNT_PROVIDERS_FILE"],"persistence":["tandoor-oidc"]}}'
`, appTemplate(`
controllers:
  tandoor:
    containers:
      app:
        image: {repository: vabene1111/recipes}
        env:
          SOCIALACCOUNT_PROVIDERS_FILE: /config/oidc/providers.json
persistence:
  media:
    existingClaim: tandoor-media
    globalMounts:
      - path: /opt/recipes/mediafiles
  tandoor-oidc:
    type: secret
    name: tandoor-oidc
    advancedMounts:
      tandoor:
        app:
          - path: /config/oidc/ca.pem
            subPath: ca.pem
            readOnly: true
          - path: /config/oidc/providers.json
            subPath: providers.json
            readOnly: true
`)),
	}, {
		name: "a user persistence entry of the same name for something else is refused",
		filter: Filter{Integration: "tandoor", Wiring: preset.Wiring{
			Files: []preset.File{{SecretName: "tandoor-oidc", SecretKey: "providers.json", MountPath: "/config/providers.json"}},
		}},
		in: hrYAML(`
name: tandoor
namespace: food
`, appTemplate(`
controllers:
  main:
    containers:
      main: {}
persistence:
  tandoor-oidc:
    type: configMap
    name: something-else
`)),
		wantField: "spec.values.persistence.tandoor-oidc",
		wantErr:   []string{`HelmRelease food/tandoor already has persistence "tandoor-oidc" that is not ours`},
	}})
}

func TestAppTemplateErrors(t *testing.T) {
	twoContainers := hrYAML(`
name: immich
namespace: media
`, appTemplate(`
controllers:
  main:
    containers:
      main: {}
      sidecar: {}
`))
	runCases(t, []testCase{{
		name:      "container not found",
		filter:    Filter{Integration: "immich", Container: "web", Wiring: oidcWiring},
		in:        twoContainers,
		wantField: "spec.values.controllers.main.containers.web",
		wantErr:   []string{`container "web" not found in controllers.main.containers of HelmRelease media/immich; found: main, sidecar`},
	}, {
		name:      "controller not found",
		filter:    Filter{Integration: "immich", Controller: "worker", Wiring: oidcWiring},
		in:        twoContainers,
		wantField: "spec.values.controllers.worker",
		wantErr:   []string{`controller "worker" not found in spec.values.controllers of HelmRelease media/immich; found: main`},
	}, {
		name:   "several controllers, none called main, none chosen",
		filter: Filter{Integration: "immich", Wiring: oidcWiring},
		in: hrYAML(`
name: immich
namespace: media
`, appTemplate(`
controllers:
  server: {containers: {main: {}}}
  ml: {containers: {main: {}}}
`)),
		wantField: "spec.values.controllers",
		wantErr:   []string{"several controllers and none is \"main\": server, ml", "spec.helmRelease.controller"},
	}, {
		name:   "no controllers in spec.values (they may sit in valuesFrom)",
		filter: Filter{Integration: "immich", Wiring: oidcWiring},
		in: hrYAML(`
name: immich
namespace: media
`, `
chart: {spec: {chart: app-template}}
valuesFrom:
  - kind: ConfigMap
    name: immich-values
`),
		wantField: "spec.values.controllers",
		wantErr:   []string{"no controllers in spec.values of HelmRelease media/immich", "valuesFrom are not read"},
	}, {
		name:      "env that is neither a map nor a list",
		filter:    Filter{Integration: "immich", Wiring: oidcWiring},
		in:        hrYAML(`name: immich`, appTemplate(mainContainer(`env: "{{ .Values.x }}"`))),
		wantField: "spec.values.controllers.main.containers.main.env",
		wantErr:   []string{"env must be a map"},
	}, {
		name:      "strategy values on a chart that is not app-template",
		filter:    Filter{Integration: "grafana", Strategy: v1alpha1.StrategyValues, Wiring: oidcWiring},
		in:        "apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata: {name: grafana, namespace: monitoring}\nspec:\n  chart: {spec: {chart: grafana}}\n",
		wantField: "spec.chart.spec.chart",
		wantErr:   []string{`HelmRelease monitoring/grafana installs chart "grafana": use strategy auto or postRenderer`},
	}, {
		name:      "strategy values on a chartRef that only looks like app-template",
		filter:    Filter{Integration: "x", Strategy: v1alpha1.StrategyValues, Wiring: oidcWiring},
		in:        "apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata: {name: x}\nspec:\n  chartRef: {kind: OCIRepository, name: myapp-template}\n",
		wantField: "spec.chartRef.name",
		wantErr:   []string{`installs chartRef "myapp-template"`},
	}, {
		name:      "a wiring secret without a key is refused, not written",
		filter:    Filter{Integration: "x", Wiring: preset.Wiring{Env: []preset.EnvVar{{Name: "S", SecretKeyRef: &preset.SecretKeyRef{Name: "x-oidc"}}}}},
		in:        twoContainers,
		wantField: "wiring.env[0].secretKeyRef",
	}, {
		name:      "duplicate env names in the wiring",
		filter:    Filter{Integration: "x", Wiring: preset.Wiring{Env: []preset.EnvVar{{Name: "A", Value: "1"}, {Name: "A", Value: "2"}}}},
		in:        twoContainers,
		wantField: "wiring.env[1].name",
	}, {
		name:      "not a HelmRelease",
		filter:    Filter{Integration: "x", Wiring: oidcWiring},
		in:        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: x}\nspec: {}\n",
		wantField: "kind",
	}, {
		name:      "no integration name",
		filter:    Filter{Wiring: oidcWiring},
		in:        twoContainers,
		wantField: "metadata.annotations[oidc.endsys.cloud/managed-env]",
	}, {
		name:      "unknown strategy",
		filter:    Filter{Integration: "x", Strategy: "kustomize", Wiring: oidcWiring},
		in:        twoContainers,
		wantField: "strategy",
	}, {
		name:   "a managed-env annotation we cannot read",
		filter: Filter{Integration: "x", Wiring: oidcWiring},
		in: `
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: x
  annotations:
    oidc.endsys.cloud/managed-env: "x: A,B"
spec: {}
`,
		wantField: "metadata.annotations[oidc.endsys.cloud/managed-env]",
		wantErr:   []string{"not the JSON map pocketid-oidc writes"},
	}})
}

func TestFilterLeavesInputAloneOnError(t *testing.T) {
	in := hrYAML(`name: tandoor`, appTemplate(`
controllers: {main: {containers: {main: {env: {TZ: UTC}}}}}
persistence:
  tandoor-oidc: {type: configMap, name: other}
`))
	hr, err := yaml.Parse(in)
	if err != nil {
		t.Fatal(err)
	}
	before := hr.MustString()
	// The env is written before the persistence conflict is found.
	_, err = Filter{Integration: "tandoor", Wiring: preset.Wiring{
		Env:   oidcEnv,
		Files: []preset.File{{SecretName: "tandoor-oidc", SecretKey: "k", MountPath: "/k"}},
	}}.Filter(hr)
	if err == nil {
		t.Fatal("expected the persistence conflict")
	}
	if after := hr.MustString(); after != before {
		t.Fatalf("input changed on error\n--- after\n%s\n--- before\n%s", after, before)
	}
}

func TestNullContainerGetsABody(t *testing.T) {
	runCases(t, []testCase{{
		name:   "an empty container entry (chart defaults only)",
		filter: Filter{Integration: "a", Wiring: preset.Wiring{Env: []preset.EnvVar{{Name: "X", Value: "1"}}}},
		in:     "apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: a\nspec:\n  chart: {spec: {chart: app-template}}\n  values:\n    controllers:\n      main:\n        containers:\n          main:\n",
		want: hrYAML(`
name: a
annotations:
  oidc.endsys.cloud/managed-env: '{"a":{"envPath":["controllers","main","containers","main","env"],"env":["X"]}}'
`, appTemplate(mainContainer(`
env:
  X: "1"
`))),
	}})
}
