package helmrelease

import (
	"testing"

	"github.com/endsys/pocketid-oidc/pkg/preset"
)

// immichChartWiring is a chart-specific route: env at the immich chart's server container,
// and values that mount the rendered config file (so Files are not mounted by us).
var immichChartWiring = preset.Wiring{
	Env:   []preset.EnvVar{{Name: "IMMICH_CONFIG_FILE", Value: "/config/immich.json"}},
	Files: []preset.File{{SecretName: "immich-oidc", SecretKey: "immich.json", MountPath: "/config/immich.json"}},
	Charts: map[string]preset.ChartWiring{"immich": {
		EnvPath: "server.controllers.main.containers.main.env",
		Values: map[string]any{"server": map[string]any{"persistence": map[string]any{"oidc-config": map[string]any{
			"type":         "secret",
			"name":         "immich-oidc",
			"globalMounts": []any{map[string]any{"path": "/config/immich.json", "subPath": "immich.json", "readOnly": true}},
		}}}},
	}},
}

func TestChartRoute(t *testing.T) {
	runCases(t, []testCase{{
		name:   "immich chart: env at the chart's path, values deep-merged next to the user's",
		filter: Filter{Integration: "immich", Wiring: immichChartWiring},
		in: hrYAML(`
name: immich
namespace: media
`, `
chart:
  spec:
    chart: immich
    version: 0.10.3
values:
  immich:
    persistence:
      library:
        existingClaim: immich-library
  server:
    ingress:
      main:
        hosts:
          - host: photos.${SECRET_DOMAIN}
    persistence:
      cache:
        type: emptyDir
`),
		want: hrYAML(`
name: immich
namespace: media
annotations:
  oidc.endsys.cloud/managed-env: '{"immich":{"envPath":["server","controllers","main","containers","main","env"],"env":["IMMICH_CONFIG_FILE"],"values":[["server","persistence","oidc-config"]]}}'
`, `
chart:
  spec:
    chart: immich
    version: 0.10.3
values:
  immich:
    persistence:
      library:
        existingClaim: immich-library
  server:
    ingress:
      main:
        hosts:
          - host: photos.${SECRET_DOMAIN}
    persistence:
      cache:
        type: emptyDir
      oidc-config:
        globalMounts:
          - path: /config/immich.json
            readOnly: true
            subPath: immich.json
        name: immich-oidc
        type: secret
    controllers:
      main:
        containers:
          main:
            env:
              IMMICH_CONFIG_FILE: /config/immich.json
`),
	}, {
		name:   "chart route on a chartRef, user env in list form; a block we create is recorded whole",
		filter: Filter{Integration: "immich", Wiring: immichChartWiring},
		in: hrYAML(`name: immich`, `
chartRef: {kind: OCIRepository, name: immich}
values:
  server:
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
  oidc.endsys.cloud/managed-env: '{"immich":{"envPath":["server","controllers","main","containers","main","env"],"env":["IMMICH_CONFIG_FILE"],"values":[["server","persistence"]]}}'
`, `
chartRef: {kind: OCIRepository, name: immich}
values:
  server:
    controllers:
      main:
        containers:
          main:
            env:
              - {name: TZ, value: UTC}
              - name: IMMICH_CONFIG_FILE
                value: /config/immich.json
    persistence:
      oidc-config:
        globalMounts:
          - path: /config/immich.json
            readOnly: true
            subPath: immich.json
        name: immich-oidc
        type: secret
`),
	}, {
		name:   "a value that is not a map where the env path needs one",
		filter: Filter{Integration: "immich", Wiring: immichChartWiring},
		in: hrYAML(`
name: immich
namespace: media
`, `
chart: {spec: {chart: immich}}
values:
  server:
    controllers: "${CONTROLLERS}"
`),
		wantField: "spec.values.server.controllers",
		wantErr:   []string{"HelmRelease media/immich: must be a map to hold env at spec.values.server.controllers.main.containers.main.env"},
	}})
}
