package helmrelease

import (
	"strings"
	"testing"

	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/endsys/pocketid-oidc/pkg/preset"
)

// giteaWiring is what the gitea preset resolves to: one gitea.oauth item, merged by name.
var giteaWiring = preset.Wiring{Charts: map[string]preset.ChartWiring{"gitea": {
	ListKeys: map[string]string{"gitea.oauth": "name"},
	Values: map[string]any{"gitea": map[string]any{"oauth": []any{map[string]any{
		"name": "pocketid", "provider": "openidConnect", "existingSecret": "gitea-oidc",
		"autoDiscoverUrl": "https://auth.${SECRET_DOMAIN}/.well-known/openid-configuration",
	}}}},
}}}

// harborWiring is what the harbor preset resolves to: env into the chart's EnvVar list.
var harborWiring = preset.Wiring{
	Env: []preset.EnvVar{
		{Name: "CONFIG_OVERWRITE_JSON", SecretKeyRef: &preset.SecretKeyRef{Name: "harbor-oidc", Key: "CONFIG_OVERWRITE_JSON"}},
		{Name: "EXT_ENDPOINT", Value: "https://harbor.${SECRET_DOMAIN}"},
	},
	Charts: map[string]preset.ChartWiring{"harbor": {EnvPath: "core.extraEnvVars", EnvList: true}},
}

const ourOAuth = `autoDiscoverUrl: https://auth.${SECRET_DOMAIN}/.well-known/openid-configuration
        existingSecret: gitea-oidc
        name: pocketid
        provider: openidConnect`

func TestListMerge(t *testing.T) {
	runCases(t, []testCase{{
		name:   "gitea: no gitea.oauth yet: a list with our item",
		filter: Filter{Integration: "gitea", Wiring: giteaWiring},
		in: hrYAML(`name: gitea`, `
chart: {spec: {chart: gitea}}
values:
  gitea:
    config: {server: {ROOT_URL: "https://git.${SECRET_DOMAIN}/"}}
`),
		want: hrYAML(`
name: gitea
annotations:
  oidc.endsys.cloud/managed-env: '{"gitea":{"items":[{"path":["gitea","oauth"],"key":"name","value":"pocketid"}]}}'
`, `
chart: {spec: {chart: gitea}}
values:
  gitea:
    config: {server: {ROOT_URL: "https://git.${SECRET_DOMAIN}/"}}
    oauth:
      - `+ourOAuth+`
`),
	}, {
		name:   "gitea: the user's other sources stay, ours joins after them",
		filter: Filter{Integration: "gitea", Wiring: giteaWiring},
		in: hrYAML(`name: gitea`, `
chart: {spec: {chart: gitea}}
values:
  gitea:
    oauth:
      - {name: github, provider: github, existingSecret: gh}
`),
		want: hrYAML(`
name: gitea
annotations:
  oidc.endsys.cloud/managed-env: '{"gitea":{"items":[{"path":["gitea","oauth"],"key":"name","value":"pocketid"}]}}'
`, `
chart: {spec: {chart: gitea}}
values:
  gitea:
    oauth:
      - {name: github, provider: github, existingSecret: gh}
      - `+ourOAuth+`
`),
	}, {
		name:   "gitea: a user's item of our name is replaced where it stands",
		filter: Filter{Integration: "gitea", Wiring: giteaWiring},
		in: hrYAML(`name: gitea`, `
chart: {spec: {chart: gitea}}
values:
  gitea:
    oauth:
      - {name: pocketid, provider: openidConnect, key: old}
      - {name: github, provider: github}
`),
		want: hrYAML(`
name: gitea
annotations:
  oidc.endsys.cloud/managed-env: '{"gitea":{"items":[{"path":["gitea","oauth"],"key":"name","value":"pocketid"}]}}'
`, `
chart: {spec: {chart: gitea}}
values:
  gitea:
    oauth:
      - `+ourOAuth+`
      - {name: github, provider: github}
`),
	}, {
		name:   "gitea: gitea.oauth that is not a list",
		filter: Filter{Integration: "gitea", Wiring: giteaWiring},
		in: hrYAML(`name: gitea
namespace: dev`, `
chart: {spec: {chart: gitea}}
values:
  gitea:
    oauth: {name: pocketid}
`),
		wantField: "spec.values.gitea.oauth",
		wantErr:   []string{"HelmRelease dev/gitea: must be a list to add the integration's entry to it"},
	}, {
		name:   "harbor: env into a new EnvVar list, never the map form",
		filter: Filter{Integration: "harbor", Wiring: harborWiring},
		in:     hrYAML(`name: harbor`, "chart: {spec: {chart: harbor}}\nvalues:\n  externalURL: https://harbor.${SECRET_DOMAIN}\n"),
		want: hrYAML(`
name: harbor
annotations:
  oidc.endsys.cloud/managed-env: '{"harbor":{"envPath":["core","extraEnvVars"],"env":["CONFIG_OVERWRITE_JSON","EXT_ENDPOINT"]}}'
`, `
chart: {spec: {chart: harbor}}
values:
  externalURL: https://harbor.${SECRET_DOMAIN}
  core:
    extraEnvVars:
      - name: CONFIG_OVERWRITE_JSON
        valueFrom:
          secretKeyRef:
            name: harbor-oidc
            key: CONFIG_OVERWRITE_JSON
      - name: EXT_ENDPOINT
        value: https://harbor.${SECRET_DOMAIN}
`),
	}, {
		name:   "harbor: after the user's extra env",
		filter: Filter{Integration: "harbor", Wiring: harborWiring},
		in: hrYAML(`name: harbor`, `
chart: {spec: {chart: harbor}}
values:
  core:
    extraEnvVars:
      - {name: TZ, value: UTC}
`),
		want: hrYAML(`
name: harbor
annotations:
  oidc.endsys.cloud/managed-env: '{"harbor":{"envPath":["core","extraEnvVars"],"env":["CONFIG_OVERWRITE_JSON","EXT_ENDPOINT"]}}'
`, `
chart: {spec: {chart: harbor}}
values:
  core:
    extraEnvVars:
      - {name: TZ, value: UTC}
      - name: CONFIG_OVERWRITE_JSON
        valueFrom:
          secretKeyRef:
            name: harbor-oidc
            key: CONFIG_OVERWRITE_JSON
      - name: EXT_ENDPOINT
        value: https://harbor.${SECRET_DOMAIN}
`),
	}, {
		name:   "harbor: a map where the chart takes only a list",
		filter: Filter{Integration: "harbor", Wiring: harborWiring},
		in: hrYAML(`name: harbor`, `
chart: {spec: {chart: harbor}}
values:
  core:
    extraEnvVars: {TZ: UTC}
`),
		wantField: "spec.values.core.extraEnvVars",
		wantErr:   []string{"the chart takes env here only as a list"},
	}})
}

// TestListMergeWarnsAndTakesBack follows one release through its life: the user's item of our
// name is replaced with a warning (once), a second integration adds its own item, and letting
// go removes exactly ours, then the list, leaving the user's values as they were.
func TestListMergeWarnsAndTakesBack(t *testing.T) {
	hr := yaml.MustParse(hrYAML(`name: gitea
namespace: dev`, `
chart: {spec: {chart: gitea}}
values:
  gitea:
    oauth:
      - {name: pocketid, provider: github}
`))
	f := Filter{Integration: "gitea", Wiring: giteaWiring}
	warns, err := f.Apply(hr)
	if err != nil {
		t.Fatal(err)
	}
	if len(warns) != 1 || warns[0].Field != "spec.values.gitea.oauth[0]" || !strings.Contains(warns[0].String(), `HelmRelease dev/gitea: spec.values.gitea.oauth[0]: the entry with name "pocketid" is set in the HelmRelease and replaced`) {
		t.Fatalf("warnings %v, want one about spec.values.gitea.oauth[0]", warns)
	}
	if warns, err = f.Apply(hr); err != nil || len(warns) != 0 {
		t.Fatalf("second render: warnings %v, error %v; want neither", warns, err)
	}

	// A second integration (another provider key) owns its own item in the same list.
	other := giteaWiring
	other.Charts = map[string]preset.ChartWiring{"gitea": {ListKeys: giteaWiring.Charts["gitea"].ListKeys,
		Values: map[string]any{"gitea": map[string]any{"oauth": []any{map[string]any{"name": "corp", "provider": "openidConnect"}}}}}}
	if _, err := (Filter{Integration: "corp", Wiring: other}).Apply(hr); err != nil {
		t.Fatal(err)
	}
	if got := names(t, hr); got != "pocketid,corp" {
		t.Fatalf("items %s, want pocketid,corp", got)
	}

	// Letting go (state absent) removes only this integration's item.
	if _, err := (Filter{Integration: "gitea"}).Apply(hr); err != nil {
		t.Fatal(err)
	}
	if got := names(t, hr); got != "corp" {
		t.Fatalf("after gitea let go: items %s, want corp", got)
	}
	if _, err := (Filter{Integration: "corp"}).Apply(hr); err != nil {
		t.Fatal(err)
	}
	want := normalize(t, hrYAML(`name: gitea
namespace: dev`, `chart: {spec: {chart: gitea}}`))
	if got := hr.MustString(); got != want {
		t.Fatalf("after both let go\n--- got\n%s\n--- want\n%s", got, want)
	}
}

func names(t *testing.T, hr *yaml.RNode) string {
	t.Helper()
	list, err := hr.Pipe(yaml.Lookup("spec", "values", "gitea", "oauth"))
	if err != nil || list == nil {
		t.Fatalf("no gitea.oauth: %v\n%s", err, hr.MustString())
	}
	var out []string
	for _, item := range list.YNode().Content {
		out = append(out, str(mapGet(item, "name")))
	}
	return strings.Join(out, ",")
}

// TestChartValueReplacesUsers: a scalar of the user's that a chart route's value replaces is
// reported once, and not again on the next render.
func TestChartValueReplacesUsers(t *testing.T) {
	w := preset.Wiring{Charts: map[string]preset.ChartWiring{"nextcloud": {
		Values: map[string]any{"nextcloud": map[string]any{"hooks": map[string]any{"before-starting": "#!/bin/sh\necho ours\n"}}},
	}}}
	hr := yaml.MustParse(hrYAML(`name: nextcloud`, `
chart: {spec: {chart: nextcloud}}
values:
  nextcloud:
    hooks:
      before-starting: echo mine
      post-installation: echo kept
`))
	f := Filter{Integration: "nextcloud", Wiring: w}
	warns, err := f.Apply(hr)
	if err != nil {
		t.Fatal(err)
	}
	if len(warns) != 1 || warns[0].Field != "spec.values.nextcloud.hooks.before-starting" || strings.Contains(warns[0].String(), "echo") {
		t.Fatalf("warnings %v, want one about spec.values.nextcloud.hooks.before-starting that quotes no value", warns)
	}
	if warns, err = f.Apply(hr); err != nil || len(warns) != 0 {
		t.Fatalf("second render: warnings %v, error %v; want neither", warns, err)
	}
	// The same value as ours is no news.
	hr = yaml.MustParse(hrYAML(`name: nextcloud`, "chart: {spec: {chart: nextcloud}}\nvalues: {nextcloud: {hooks: {before-starting: \"#!/bin/sh\\necho ours\\n\"}}}\n"))
	if warns, err = f.Apply(hr); err != nil || len(warns) != 0 {
		t.Fatalf("same value: warnings %v, error %v; want neither", warns, err)
	}
}
