package function

import (
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/kptdev/krm-functions-sdk/go/fn"

	"github.com/endsys/pocketid-oidc/pkg/api/v1alpha1"
)

// splitApps are four apps of one namespace, each with its own HelmRelease: a preset app on
// app-template, a generated secret, a public client and one with env only. Together they
// render every kind of object an integration can have.
var splitApps = map[string]string{
	"mealie": `
- apiVersion: helm.toolkit.fluxcd.io/v2
  kind: HelmRelease
  metadata: {name: mealie, namespace: media}
  spec:
    chartRef: {kind: OCIRepository, name: app-template}
    values: {controllers: {main: {containers: {main: {image: {repository: ghcr.io/mealie-recipes/mealie, tag: v3.0.0}}}}}}
- apiVersion: oidc.endsys.cloud/v1alpha1
  kind: OIDCIntegration
  metadata: {name: mealie, namespace: media}
  spec: {preset: mealie, url: https://mealie.example.com}
`,
	"wiki": `
- apiVersion: helm.toolkit.fluxcd.io/v2
  kind: HelmRelease
  metadata: {name: wiki, namespace: media}
  spec:
    chartRef: {kind: OCIRepository, name: app-template}
    values: {controllers: {main: {containers: {main: {image: {repository: x/wiki, tag: "1"}}}}}}
- apiVersion: oidc.endsys.cloud/v1alpha1
  kind: OIDCIntegration
  metadata: {name: wiki, namespace: media}
  spec:
    url: https://wiki.example.com
    client: {callbackURLs: ["https://wiki.example.com/oauth/callback"]}
    secret: {generate: true}
    env: {OIDC_ISSUER: "{{ .Issuer }}", OIDC_CLIENT_SECRET: "{{ .ClientSecret }}"}
`,
	"tasks": `
- apiVersion: helm.toolkit.fluxcd.io/v2
  kind: HelmRelease
  metadata: {name: tasks, namespace: media}
  spec:
    chartRef: {kind: OCIRepository, name: app-template}
    values: {controllers: {main: {containers: {main: {image: {repository: x/tasks, tag: "1"}}}}}}
- apiVersion: oidc.endsys.cloud/v1alpha1
  kind: OIDCIntegration
  metadata: {name: tasks, namespace: media}
  spec:
    url: https://tasks.example.com
    client: {public: true, callbackURLs: ["https://tasks.example.com/cb"]}
    env: {OIDC_CLIENT_ID: "{{ .ClientID }}"}
`,
	"notes": `
- apiVersion: helm.toolkit.fluxcd.io/v2
  kind: HelmRelease
  metadata: {name: notes, namespace: media}
  spec:
    chartRef: {kind: OCIRepository, name: app-template}
    values: {controllers: {main: {containers: {main: {image: {repository: x/notes, tag: "1"}}}}}}
- apiVersion: oidc.endsys.cloud/v1alpha1
  kind: OIDCIntegration
  metadata: {name: notes, namespace: media}
  spec:
    url: https://notes.example.com
    client: {callbackURLs: ["https://notes.example.com/cb"]}
    provider: {reconcileSchedule: "H */6 * * *"}
    env: {OIDC_CLIENT_SECRET: "{{ .ClientSecret }}"}
`,
}

// renderUnit runs the function over the apps' items and returns its output by identity.
func renderUnit(t *testing.T, apps ...string) map[string]string {
	t.Helper()
	var items strings.Builder
	for _, a := range apps {
		items.WriteString(strings.TrimPrefix(splitApps[a], "\n"))
	}
	rl, err := fn.ParseResourceList([]byte(rlHead + "items:\n" + items.String() + testProvider))
	if err != nil {
		t.Fatal(err)
	}
	if ok, err := Process(rl); !ok || err != nil {
		t.Fatalf("render of %v failed: %v\n%s", apps, err, strings.Join(resultLines(rl.Results), "\n"))
	}
	out := map[string]string{}
	for _, o := range rl.Items {
		k := objKey(o)
		if _, dup := out[k]; dup {
			t.Fatalf("render of %v emits %s twice", apps, k)
		}
		out[k] = o.String()
	}
	return out
}

// TestOwnershipSplit: apps of one namespace rendered one per run (one Kustomization or kpt
// package each) and all in one run give the same objects. No identity comes out of two
// separate runs (two Flux Kustomizations would fight over it, and pruning one would delete
// what the other needs), every object of a run names that run's integration, and the separate
// runs' union is the joint run.
func TestOwnershipSplit(t *testing.T) {
	names := make([]string, 0, len(splitApps))
	for a := range splitApps {
		names = append(names, a)
	}
	sort.Strings(names)

	union := map[string]string{}
	from := map[string]string{} // identity -> the app whose run emitted it
	for _, a := range names {
		for k, v := range renderUnit(t, a) {
			if prev, dup := from[k]; dup {
				same := "the same content"
				if union[k] != v {
					same = "different content"
				}
				t.Errorf("%s is rendered by the runs of %s and %s (%s)", k, prev, a, same)
				continue
			}
			from[k] = a
			union[k] = v
			if !strings.HasPrefix(k, "helm.toolkit.fluxcd.io/HelmRelease|") {
				if got := labelOf(t, v, v1alpha1.LabelIntegration); got != a {
					t.Errorf("%s of the run of %s is labelled for integration %q", k, a, got)
				}
			}
		}
	}
	joint := renderUnit(t, names...)
	if diff := cmp.Diff(union, joint); diff != "" {
		t.Errorf("separate runs (-) and the joint run (+) differ:\n%s", diff)
	}
	// The apps cover every kind an integration renders, so the checks above saw each.
	kinds := map[string]int{}
	for k := range joint {
		kinds[strings.SplitN(k, "|", 2)[0]]++
	}
	for _, kind := range []string{"external-secrets.io/ExternalSecret", "/ConfigMap", "batch/Job", "batch/CronJob", "external-secrets.io/PushSecret", "generators.external-secrets.io/Password"} {
		if kinds[kind] == 0 {
			t.Errorf("no %s rendered: the apps do not cover every kind (%v)", kind, kinds)
		}
	}
	if kinds["batch/CronJob"] != len(names) {
		t.Errorf("%d CronJobs for %d apps: want one each", kinds["batch/CronJob"], len(names))
	}
}

func labelOf(t *testing.T, obj, label string) string {
	t.Helper()
	o, err := fn.ParseKubeObject([]byte(obj))
	if err != nil {
		t.Fatal(err)
	}
	return o.GetLabel(label)
}

// TestReconcileMinuteSpread: the default schedule gives apps of one namespace their own
// minutes, the same in every run.
func TestReconcileMinuteSpread(t *testing.T) {
	out := renderUnit(t, "mealie", "wiki", "tasks", "notes")
	schedules := map[string]string{}
	for k, v := range out {
		if !strings.HasPrefix(k, "batch/CronJob|") {
			continue
		}
		o, err := fn.ParseKubeObject([]byte(v))
		if err != nil {
			t.Fatal(err)
		}
		s, _, _ := o.NestedString("spec", "schedule")
		schedules[o.GetName()] = s
	}
	for name, s := range schedules {
		f := strings.Fields(s)
		if len(f) != 5 || f[0] == "H" {
			t.Errorf("%s: schedule %q", name, s)
		}
	}
	if s := schedules["notes-oidc-reconcile"]; !strings.HasSuffix(s, " */6 * * *") {
		t.Errorf("notes: the integration's own reconcileSchedule is %q, want <minute> */6 * * *", s)
	}
	if s := schedules["mealie-oidc-reconcile"]; !strings.HasSuffix(s, " * * * *") {
		t.Errorf("mealie: default schedule %q, want hourly", s)
	}
}
