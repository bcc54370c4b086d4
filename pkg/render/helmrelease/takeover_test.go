package helmrelease

import (
	"slices"
	"strings"
	"testing"

	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/endsys/pocketid-oidc/pkg/api/v1alpha1"
	"github.com/endsys/pocketid-oidc/pkg/preset"
)

// applyWarn runs f.Apply on the YAML text and returns the resulting text and the warnings.
func applyWarn(t *testing.T, f Filter, in string) (string, []Warning) {
	t.Helper()
	hr, err := yaml.Parse(in)
	if err != nil {
		t.Fatalf("input: %v", err)
	}
	warns, err := f.Apply(hr)
	if err != nil {
		t.Fatalf("Apply: %v", err)
	}
	return hr.MustString(), warns
}

var vaultwardenWiring = preset.Wiring{Env: []preset.EnvVar{
	{Name: "DOMAIN", Value: "https://vault.example.com"},
	{Name: "SSO_CLIENT_SECRET", SecretKeyRef: &preset.SecretKeyRef{Name: "vaultwarden-oidc", Key: preset.SecretKeyClientSecret}},
	{Name: "SSO_ENABLED", Value: "true"},
}}

// TestTakeOverAndRestore renders over the user's own entries of the same names, renders the
// output again, then lets go (state absent, and a shrunk Wiring): the user's entries come
// back in their form and place, the release exactly as it was.
func TestTakeOverAndRestore(t *testing.T) {
	const domainMsg = "set in the HelmRelease and replaced by the integration's value; set spec.env.DOMAIN in the OIDCIntegration to choose the value explicitly"
	for _, tc := range []struct {
		name      string
		filter    Filter
		in        string
		wantWarns []Warning
		// rendered: text the first render's output must contain.
		rendered []string
	}{{
		name:   "map form: a literal and a valueFrom, with quotes, comments and a ${VAR}",
		filter: Filter{Integration: "vaultwarden", Wiring: vaultwardenWiring},
		in: hrYAML(`
name: vaultwarden
namespace: media
`, appTemplate(mainContainer(`
env:
  TZ: Europe/Berlin
  # the public URL
  DOMAIN: "https://vault.${SECRET_DOMAIN}" # keep in sync with the route
  SSO_CLIENT_SECRET:
    valueFrom:
      secretKeyRef: {name: my-own, key: secret}
  LOG_LEVEL: info
`))),
		wantWarns: []Warning{{
			Release: "media/vaultwarden",
			Field:   "spec.values.controllers.main.containers.main.env.DOMAIN",
			Detail:  domainMsg,
		}, {
			Release: "media/vaultwarden",
			Field:   "spec.values.controllers.main.containers.main.env.SSO_CLIENT_SECRET",
			Detail:  "set in the HelmRelease and replaced by a reference to key client-secret of Secret vaultwarden-oidc, which the integration fills from the secret store (spec.secret): remove the entry from the HelmRelease",
		}},
		rendered: []string{
			`oidc.endsys.cloud/managed-env: '{"vaultwarden":{"envPath":["controllers","main","containers","main","env"],"env":["DOMAIN","SSO_CLIENT_SECRET","SSO_ENABLED"],"replaced":{"DOMAIN":"# the public URL\nDOMAIN: \"https://vault.\u0024{SECRET_DOMAIN}\" # keep in sync with the route","SSO_CLIENT_SECRET":"SSO_CLIENT_SECRET:\n  valueFrom:\n    secretKeyRef: {name: my-own, key: secret}"}}}'`,
			// The line comment was the user's value's: it waits in the annotation.
			`              DOMAIN: https://vault.example.com`,
		},
	}, {
		// kustomize refuses a function output where a field changed from a map to a scalar.
		name:   "map form: a literal replacing a valueFrom keeps the map form",
		filter: Filter{Integration: "vaultwarden", Wiring: vaultwardenWiring},
		in: hrYAML(`
name: vaultwarden
namespace: media
`, appTemplate(mainContainer(`
env:
  DOMAIN:
    valueFrom:
      configMapKeyRef: {name: urls, key: vault}
`))),
		wantWarns: []Warning{{
			Release: "media/vaultwarden",
			Field:   "spec.values.controllers.main.containers.main.env.DOMAIN",
			Detail:  domainMsg,
		}},
		rendered: []string{"              DOMAIN:\n                value: https://vault.example.com\n"},
	}, {
		name:   "list form: flow and block items, a valueFrom item",
		filter: Filter{Integration: "vaultwarden", Wiring: vaultwardenWiring, SpecEnv: []string{"DOMAIN"}},
		in: hrYAML(`
name: vaultwarden
namespace: media
`, appTemplate(mainContainer(`
env:
  - {name: TZ, value: UTC}
  - {name: DOMAIN, value: 'https://old.example.com'}
  - name: SSO_ENABLED
    valueFrom:
      configMapKeyRef: {name: flags, key: sso}
  - {name: LOG_LEVEL, value: info}
`))),
		wantWarns: []Warning{{
			Release: "media/vaultwarden",
			Field:   "spec.values.controllers.main.containers.main.env[1]",
			Detail:  "set in the HelmRelease and replaced by spec.env.DOMAIN of the OIDCIntegration; the HelmRelease's entry comes back when the integration no longer sets it",
		}, {
			Release: "media/vaultwarden",
			Field:   "spec.values.controllers.main.containers.main.env[2]",
			Detail:  "set in the HelmRelease and replaced by the integration's value; set spec.env.SSO_ENABLED in the OIDCIntegration to choose the value explicitly",
		}},
		rendered: []string{
			`"replaced":{"DOMAIN":"- {name: DOMAIN, value: ''https://old.example.com''}","SSO_ENABLED":"- name: SSO_ENABLED\n  valueFrom:\n    configMapKeyRef: {name: flags, key: sso}"}`,
		},
	}, {
		name: "chart route: the chart's env path",
		filter: Filter{Integration: "immich", Wiring: preset.Wiring{Env: []preset.EnvVar{{Name: "DOMAIN", Value: "x"}},
			Charts: map[string]preset.ChartWiring{"immich": {EnvPath: "server.controllers.main.containers.main.env"}}}},
		in: hrYAML(`name: immich`, `
chart: {spec: {chart: immich}}
values:
  server:
    controllers: {main: {containers: {main: {env: {DOMAIN: "y", TZ: UTC}}}}}
`),
		wantWarns: []Warning{{
			Release: "immich",
			Field:   "spec.values.server.controllers.main.containers.main.env.DOMAIN",
			Detail:  domainMsg,
		}},
	}} {
		t.Run(tc.name, func(t *testing.T) {
			in := normalize(t, tc.in)
			rendered, warns := applyWarn(t, tc.filter, in)
			if !slices.Equal(warns, tc.wantWarns) {
				t.Errorf("warnings\n got %q\nwant %q", warns, tc.wantWarns)
			}
			for _, w := range warns {
				if strings.Contains(w.String(), "old.example.com") || strings.Contains(w.String(), "my-own") {
					t.Errorf("warning quotes the user's value: %s", w)
				}
			}
			for _, line := range tc.rendered {
				if !strings.Contains(rendered, line) {
					t.Errorf("rendered output lacks\n%s\n--- got\n%s", line, rendered)
				}
			}
			if strings.Contains(rendered, "${") && strings.Contains(rendered, `replaced":{`) {
				for _, l := range strings.Split(rendered, "\n") {
					if strings.Contains(l, v1alpha1.AnnotationManagedEnv) && strings.Contains(l, "$") {
						t.Errorf("the annotation carries $ text Flux would substitute: %s", l)
					}
				}
			}

			again, warns := applyWarn(t, tc.filter, rendered)
			if len(warns) > 0 {
				t.Errorf("a render of our own output warned: %q", warns)
			}
			if again != rendered {
				t.Fatalf("second run changed the output\n--- first\n%s\n--- second\n%s", rendered, again)
			}

			back, warns := applyWarn(t, Filter{Integration: tc.filter.Integration}, rendered)
			if len(warns) > 0 {
				t.Errorf("letting go warned: %q", warns)
			}
			if back != in {
				t.Fatalf("state absent did not restore the input\n--- got\n%s\n--- want\n%s", back, in)
			}

			// Letting go of one name at a time: each comes back where it stood.
			shrunk := tc.filter
			shrunk.Wiring.Env = nil
			back, _ = applyWarn(t, shrunk, rendered)
			if back != in {
				t.Fatalf("a Wiring without env did not restore the input\n--- got\n%s\n--- want\n%s", back, in)
			}
		})
	}
}

func TestTakeOverShrinkAndMove(t *testing.T) {
	runCases(t, []testCase{{
		name:   "wiring shrank: the user's replaced entry comes back in place, the rest stays ours",
		filter: Filter{Integration: "v", Wiring: preset.Wiring{Env: []preset.EnvVar{{Name: "SSO_ENABLED", Value: "true"}}}},
		in: hrYAML(`
name: v
annotations:
  oidc.endsys.cloud/managed-env: '{"v":{"envPath":["controllers","main","containers","main","env"],"env":["DOMAIN","SSO_ENABLED"],"replaced":{"DOMAIN":"DOMAIN: https://vault.\u0024{SECRET_DOMAIN}"}}}'
`, appTemplate(`
controllers:
  main:
    containers:
      main: {env: {TZ: UTC, DOMAIN: https://vault.example.com, SSO_ENABLED: "true"}}
`)),
		want: hrYAML(`
name: v
annotations:
  oidc.endsys.cloud/managed-env: '{"v":{"envPath":["controllers","main","containers","main","env"],"env":["SSO_ENABLED"]}}'
`, appTemplate(`
controllers:
  main:
    containers:
      main: {env: {TZ: UTC, DOMAIN: 'https://vault.${SECRET_DOMAIN}', SSO_ENABLED: "true"}}
`)),
	}, {
		name:   "a different container: the old one gets the user's entry back, the new one's is taken over",
		filter: Filter{Integration: "v", Container: "app", Wiring: preset.Wiring{Env: []preset.EnvVar{{Name: "DOMAIN", Value: "https://vault.example.com"}}}},
		in: hrYAML(`
name: v
annotations:
  oidc.endsys.cloud/managed-env: '{"v":{"envPath":["controllers","main","containers","main","env"],"env":["DOMAIN"],"replaced":{"DOMAIN":"- {name: DOMAIN, value: old}"}}}'
`, appTemplate(`
controllers:
  main:
    containers:
      main: {env: [{name: DOMAIN, value: https://vault.example.com}, {name: TZ, value: UTC}]}
      app: {env: {DOMAIN: app-old}}
`)),
		want: hrYAML(`
name: v
annotations:
  oidc.endsys.cloud/managed-env: '{"v":{"envPath":["controllers","main","containers","app","env"],"env":["DOMAIN"],"replaced":{"DOMAIN":"DOMAIN: app-old"}}}'
`, appTemplate(`
controllers:
  main:
    containers:
      main: {env: [{name: DOMAIN, value: old}, {name: TZ, value: UTC}]}
      app: {env: {DOMAIN: https://vault.example.com}}
`)),
	}, {
		name:   "our entry gone by hand: the user's comes back at the end of the block",
		filter: Filter{Integration: "v"},
		in: hrYAML(`
name: v
annotations:
  oidc.endsys.cloud/managed-env: '{"v":{"envPath":["controllers","main","containers","main","env"],"env":["DOMAIN"],"replaced":{"DOMAIN":"DOMAIN: old"}}}'
`, appTemplate(`
controllers:
  main:
    containers:
      main: {env: {TZ: UTC}}
`)),
		want: hrYAML(`name: v`, appTemplate(`
controllers:
  main:
    containers:
      main: {env: {TZ: UTC, DOMAIN: old}}
`)),
	}, {
		name:   "the env block changed form meanwhile: ours goes, the original cannot come back",
		filter: Filter{Integration: "v"},
		in: hrYAML(`
name: v
annotations:
  oidc.endsys.cloud/managed-env: '{"v":{"envPath":["controllers","main","containers","main","env"],"env":["DOMAIN"],"replaced":{"DOMAIN":"DOMAIN: old"}}}'
`, appTemplate(`
controllers:
  main:
    containers:
      main: {env: [{name: DOMAIN, value: new}, {name: TZ, value: UTC}]}
`)),
		want: hrYAML(`name: v`, appTemplate(`
controllers:
  main:
    containers:
      main: {env: [{name: TZ, value: UTC}]}
`)),
	}, {
		name:      "a recorded entry that is not a one-entry env block is an error that quotes nothing",
		filter:    Filter{Integration: "v"},
		wantField: "metadata.annotations[oidc.endsys.cloud/managed-env]",
		wantErr:   []string{"the env entry DOMAIN recorded for integration v", "remove the annotation"},
		in: hrYAML(`
name: v
annotations:
  oidc.endsys.cloud/managed-env: '{"v":{"envPath":["controllers","main","containers","main","env"],"env":["DOMAIN"],"replaced":{"DOMAIN":"OTHER: hunter2"}}}'
`, `
chart: {spec: {chart: app-template}}
values: {controllers: {main: {containers: {main: {env: {DOMAIN: x}}}}}}
`),
	}})
}

// Two integrations set the same name over the user's entry: the original moves to the one
// that stays, and comes back when the last one lets go.
func TestTakeOverTwoIntegrations(t *testing.T) {
	in := normalize(t, hrYAML(`name: app`, appTemplate(`controllers: {main: {containers: {main: {env: {DOMAIN: mine, TZ: UTC}}}}}`)))
	a := Filter{Integration: "a", Wiring: preset.Wiring{Env: []preset.EnvVar{{Name: "DOMAIN", Value: "x"}, {Name: "A", Value: "a"}}}}
	b := Filter{Integration: "b", Wiring: preset.Wiring{Env: []preset.EnvVar{{Name: "DOMAIN", Value: "x"}, {Name: "B", Value: "b"}}}}
	out, warns := applyWarn(t, a, in)
	if len(warns) != 1 {
		t.Fatalf("a: want one warning, got %q", warns)
	}
	out, warns = applyWarn(t, b, out)
	if len(warns) != 0 {
		t.Fatalf("b: DOMAIN is a's, not the user's; got %q", warns)
	}
	out, _ = applyWarn(t, Filter{Integration: "a"}, out)
	if !strings.Contains(out, `"b":{"envPath":["controllers","main","containers","main","env"],"env":["B","DOMAIN"],"replaced":{"DOMAIN":"DOMAIN: mine"}}`) {
		t.Fatalf("the original did not move to b:\n%s", out)
	}
	if !strings.Contains(out, "DOMAIN: x") {
		t.Fatalf("b's DOMAIN was taken back with a's:\n%s", out)
	}
	out, _ = applyWarn(t, Filter{Integration: "b"}, out)
	if out != in {
		t.Fatalf("the last one letting go did not restore the input\n--- got\n%s\n--- want\n%s", out, in)
	}
}

// The post-renderer route never edits the user's values or patches: its patch overrides a
// same-named env var in the rendered workload only, and deleting the patch is the restore.
// Nothing is taken over, so nothing is recorded or warned about.
func TestPostRendererTakesNothingOver(t *testing.T) {
	in := normalize(t, hrYAML(`name: vaultwarden`, appTemplate(`controllers: {main: {containers: {main: {env: {DOMAIN: mine}}}}}`)))
	f := Filter{Integration: "vaultwarden", Strategy: v1alpha1.StrategyPostRenderer, Wiring: vaultwardenWiring}
	out, warns := applyWarn(t, f, in)
	if len(warns) != 0 {
		t.Errorf("warnings: %q", warns)
	}
	if !strings.Contains(out, "env: {DOMAIN: mine}") || strings.Contains(out, v1alpha1.AnnotationManagedEnv) {
		t.Errorf("the values were touched or recorded:\n%s", out)
	}
	back, _ := applyWarn(t, Filter{Integration: "vaultwarden"}, out)
	if back != in {
		t.Fatalf("state absent did not restore the input\n--- got\n%s\n--- want\n%s", back, in)
	}
}

// A replaced entry that uses a YAML alias is recorded with the alias resolved, so the
// annotation parses on its own; it comes back as the value, not as the alias.
func TestTakeOverResolvesAliases(t *testing.T) {
	in := hrYAML(`name: app`, appTemplate(`
common: &domain https://old.example.com
controllers: {main: {containers: {main: {env: {DOMAIN: *domain}}}}}
`))
	f := Filter{Integration: "app", Wiring: preset.Wiring{Env: []preset.EnvVar{{Name: "DOMAIN", Value: "x"}}}}
	out, _ := applyWarn(t, f, in)
	if !strings.Contains(out, `"replaced":{"DOMAIN":"DOMAIN: https://old.example.com"}`) {
		t.Fatalf("alias not resolved in the record:\n%s", out)
	}
	back, _ := applyWarn(t, Filter{Integration: "app"}, out)
	if !strings.Contains(back, "{DOMAIN: 'https://old.example.com'}") {
		t.Fatalf("not restored:\n%s", back)
	}
}

// TestTakeOverWarnings: a user's entry that already says what ours says is taken over without
// a word (and still restored later); a secret reference of ours points at the store, never at
// spec.env, whatever the user's entry held.
func TestTakeOverWarnings(t *testing.T) {
	const field = "spec.values.controllers.main.containers.main.env"
	for _, tc := range []struct {
		name, env string
		wiring    preset.Wiring
		specEnv   []string
		want      []Warning
	}{{
		name:   "identical literal, map form",
		env:    "env:\n  DOMAIN: https://vault.example.com\n  SSO_ENABLED: \"true\"\n",
		wiring: vaultwardenWiring,
	}, {
		name:   "identical literal, {value: x} and list forms",
		env:    "env:\n  - {name: DOMAIN, value: https://vault.example.com}\n  - name: SSO_ENABLED\n    value: \"true\"\n",
		wiring: vaultwardenWiring,
	}, {
		name:   "identical literal through an alias",
		env:    "x: &d https://vault.example.com\nenv:\n  DOMAIN: *d\n",
		wiring: vaultwardenWiring,
	}, {
		name:   "identical secret reference",
		env:    "env:\n  SSO_CLIENT_SECRET:\n    valueFrom:\n      secretKeyRef: {name: vaultwarden-oidc, key: client-secret}\n",
		wiring: vaultwardenWiring,
	}, {
		name:   "identical value set through spec.env",
		env:    "env:\n  DOMAIN: https://vault.example.com\n",
		wiring: vaultwardenWiring, specEnv: []string{"DOMAIN"},
	}, {
		name:   "another literal",
		env:    "env:\n  DOMAIN: https://old.example.com\n",
		wiring: vaultwardenWiring,
		want: []Warning{{Release: "media/vaultwarden", Field: field + ".DOMAIN",
			Detail: "set in the HelmRelease and replaced by the integration's value; set spec.env.DOMAIN in the OIDCIntegration to choose the value explicitly"}},
	}, {
		name:   "a literal secret replaced by our reference",
		env:    "env:\n  SSO_CLIENT_SECRET: hunter2\n",
		wiring: vaultwardenWiring,
		want: []Warning{{Release: "media/vaultwarden", Field: field + ".SSO_CLIENT_SECRET",
			Detail: "set in the HelmRelease and replaced by a reference to key client-secret of Secret vaultwarden-oidc, which the integration fills from the secret store (spec.secret): remove the entry from the HelmRelease; it held a literal, so the secret is in plain text in git: rotate it"}},
	}, {
		name: "a literal replaced by our generated value",
		env:  "env:\n  - {name: OIDC_CLIENT_CRYPTO_KEY, value: hunter2}\n",
		wiring: preset.Wiring{Env: []preset.EnvVar{{Name: "OIDC_CLIENT_CRYPTO_KEY",
			SecretKeyRef: &preset.SecretKeyRef{Name: "freshrss-oidc-generated", Key: "OIDC_CLIENT_CRYPTO_KEY"}}}},
		want: []Warning{{Release: "media/vaultwarden", Field: field + "[0]",
			Detail: "set in the HelmRelease and replaced by a reference to key OIDC_CLIENT_CRYPTO_KEY of Secret freshrss-oidc-generated, which the integration generates: remove the entry from the HelmRelease; it held a literal, so the secret is in plain text in git: rotate it"}},
	}} {
		t.Run(tc.name, func(t *testing.T) {
			in := normalize(t, hrYAML("name: vaultwarden\nnamespace: media\n", appTemplate(mainContainer(tc.env))))
			rendered, warns := applyWarn(t, Filter{Integration: "vaultwarden", Wiring: tc.wiring, SpecEnv: tc.specEnv}, in)
			if !slices.Equal(warns, tc.want) {
				t.Errorf("warnings\n got %q\nwant %q", warns, tc.want)
			}
			for _, w := range warns {
				if strings.Contains(w.String(), "hunter2") || strings.Contains(w.String(), "old.example.com") {
					t.Errorf("warning quotes the user's value: %s", w)
				}
			}
			// Taken over all the same: letting go restores the user's entry.
			if !strings.Contains(rendered, `"replaced":{`) {
				t.Errorf("the user's entry is not recorded for restoring:\n%s", rendered)
			}
		})
	}
}
