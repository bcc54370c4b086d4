package helmrelease

import (
	"testing"

	"github.com/endsys/pocketid-oidc/pkg/preset"
)

// immichConfigWiring is the immich preset's chart route: the chart reads the config file from
// our Secret (immich.existingConfiguration) and refuses immich.configuration next to it.
var immichConfigWiring = preset.Wiring{
	Env:   []preset.EnvVar{{Name: "IMMICH_CONFIG_FILE", Value: "/config/immich-config.yaml"}},
	Files: []preset.File{{SecretName: "immich-oidc", SecretKey: "immich-config.yaml", MountPath: "/config/immich-config.yaml"}},
	Charts: map[string]preset.ChartWiring{"immich": {
		EnvPath:   "server.controllers.main.containers.main.env",
		Values:    map[string]any{"immich": map[string]any{"existingConfiguration": "immich-oidc", "configurationKind": "Secret"}},
		Conflicts: map[string]string{"immich.configuration": "move the settings elsewhere (https://example.com/chart)"},
	}},
}

// immichRelease is an immich chart release with the given lines under spec.values.immich.
func immichRelease(immich string) string {
	return hrYAML("name: immich\nnamespace: media", "chart: {spec: {chart: immich}}\nvalues:\n  immich:\n"+indent(immich, "    "))
}

// wired is immichRelease after the route: our values next to the user's.
func wired(immich string) string {
	return hrYAML(`
name: immich
namespace: media
annotations:
  oidc.endsys.cloud/managed-env: '{"immich":{"envPath":["server","controllers","main","containers","main","env"],"env":["IMMICH_CONFIG_FILE"],"values":[["immich","configurationKind"],["immich","existingConfiguration"]]}}'
`, `
chart: {spec: {chart: immich}}
values:
  immich:
`+indent(immich, "    ")+`    configurationKind: Secret
    existingConfiguration: immich-oidc
  server:
    controllers:
      main:
        containers:
          main:
            env:
              IMMICH_CONFIG_FILE: /config/immich-config.yaml
`)
}

func TestChartConflicts(t *testing.T) {
	f := Filter{Integration: "immich", Wiring: immichConfigWiring}
	const field = "spec.values.immich.configuration"
	want := []string{
		`spec.values.immich.configuration: Forbidden: HelmRelease media/immich: chart "immich" refuses it next to immich.configurationKind and immich.existingConfiguration, which integration immich sets: remove it from spec.values; move the settings elsewhere (https://example.com/chart)`,
	}
	runCases(t, []testCase{{
		name:      "a configuration the chart would render is refused at its field",
		filter:    f,
		in:        immichRelease("configuration:\n  trash: {enabled: false}\n"),
		wantField: field, wantErr: want,
	}, {
		name:      "a Flux placeholder is a value once substituted",
		filter:    f,
		in:        immichRelease("configuration: ${IMMICH_CONFIG}\n"),
		wantField: field, wantErr: want,
	}, {
		name:      "a list is a value",
		filter:    f,
		in:        immichRelease("configuration: [a]\n"),
		wantField: field, wantErr: want,
	}, {
		name:      "true is a value",
		filter:    f,
		in:        immichRelease("configuration: true\n"),
		wantField: field, wantErr: want,
	}, {
		name:   "the chart's default, an empty map, is no value",
		filter: f,
		in:     immichRelease("configuration: {}\n"),
		want:   wired("configuration: {}\n"),
	}, {
		name:   "null is no value to the chart's if",
		filter: f,
		in:     immichRelease("configuration: null\n"),
		want:   wired("configuration: null\n"),
	}, {
		name:   "false is no value",
		filter: f,
		in:     immichRelease("configuration: false\n"),
		want:   wired("configuration: false\n"),
	}, {
		name:   "0 is no value",
		filter: f,
		in:     immichRelease("configuration: 0\n"),
		want:   wired("configuration: 0\n"),
	}, {
		name:   "an empty string is no value",
		filter: f,
		in:     immichRelease("configuration: \"\"\n"),
		want:   wired("configuration: \"\"\n"),
	}, {
		name:   "state absent takes back our values and leaves the user's configuration alone",
		filter: Filter{Integration: "immich"},
		in:     wired("configuration:\n  trash: {enabled: false}\n"),
		want: hrYAML("name: immich\nnamespace: media", `
chart: {spec: {chart: immich}}
values:
  immich:
    configuration:
      trash: {enabled: false}
`),
	}})
}
