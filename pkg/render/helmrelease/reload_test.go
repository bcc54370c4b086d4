package helmrelease

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/endsys/pocketid-oidc/pkg/preset"
)

// TestReloadAppTemplate: Reload puts Reloader's annotation on the app-template controller,
// owned like every value we write (taken back when Reload goes off or the wiring goes), and
// leaves the user's own Reloader annotations alone.
func TestReloadAppTemplate(t *testing.T) {
	on := Filter{Integration: "immich", Wiring: oidcWiring, Reload: true}
	env := `
env:
  OAUTH_CLIENT_ID: immich
  OAUTH_CLIENT_SECRET:
    valueFrom:
      secretKeyRef:
        name: immich-oidc
        key: client-secret
  OAUTH_ISSUER_URL: https://auth.${SECRET_DOMAIN}
`
	owned := func(values string) string {
		return `oidc.endsys.cloud/managed-env: '{"immich":{"envPath":["controllers","main","containers","main","env"],"env":["OAUTH_CLIENT_ID","OAUTH_CLIENT_SECRET","OAUTH_ISSUER_URL"]` + values + `}}'`
	}
	ours := `,"values":[["controllers","main","annotations","secret.reloader.stakater.com/reload"]]`
	withController := func(annotations string) string {
		return appTemplate("controllers:\n  main:\n" + indent(annotations, "    ") + "    containers:\n      main:\n        image: {repository: x}\n")
	}
	withEnv := func(annotations string) string {
		return appTemplate("controllers:\n  main:\n" + indent(annotations, "    ") + "    containers:\n      main:\n        image: {repository: x}\n" + indent(strings.TrimPrefix(env, "\n"), "        "))
	}
	// A new annotations map goes after the controller's keys.
	withEnvThen := func(annotations string) string {
		return appTemplate("controllers:\n  main:\n    containers:\n      main:\n        image: {repository: x}\n" + indent(strings.TrimPrefix(env, "\n"), "        ") + indent(annotations, "    "))
	}
	runCases(t, []testCase{
		{
			name:   "the controller gets the annotation naming the app Secret",
			filter: on,
			in:     hrYAML("name: immich", withController("")),
			want: hrYAML("name: immich\nannotations:\n  "+owned(ours),
				withEnvThen("annotations:\n  secret.reloader.stakater.com/reload: immich-oidc\n")),
		},
		{
			name:   "Reload off takes our annotation back, the user's stay",
			filter: Filter{Integration: "immich", Wiring: oidcWiring},
			in: hrYAML("name: immich\nannotations:\n  "+owned(ours),
				withEnv("annotations:\n  team: media\n  secret.reloader.stakater.com/reload: immich-oidc\n")),
			want: hrYAML("name: immich\nannotations:\n  "+owned(""), withEnv("annotations:\n  team: media\n")),
		},
		{
			name:   "state absent (no wiring) takes it back with the env",
			filter: Filter{Integration: "immich", Reload: true},
			in: hrYAML("name: immich\nannotations:\n  "+owned(ours),
				withEnv("annotations:\n  secret.reloader.stakater.com/reload: immich-oidc\n")),
			want: hrYAML("name: immich", withController("")),
		},
		{
			name:   "reloader auto already restarts the app: nothing added",
			filter: on,
			in:     hrYAML("name: immich", withController("annotations:\n  reloader.stakater.com/auto: \"true\"\n")),
			want:   hrYAML("name: immich\nannotations:\n  "+owned(""), withEnv("annotations:\n  reloader.stakater.com/auto: \"true\"\n")),
		},
		{
			name:   "the user's own reload annotation naming our Secret is theirs",
			filter: on,
			in:     hrYAML("name: immich", withController("annotations:\n  secret.reloader.stakater.com/reload: db, immich-oidc\n")),
			want:   hrYAML("name: immich\nannotations:\n  "+owned(""), withEnv("annotations:\n  secret.reloader.stakater.com/reload: db, immich-oidc\n")),
		},
	})
}

// TestReloadUserAnnotationWithoutOurSecret: the user's own reload list that lacks our Secret is
// kept and warned about, at its path.
func TestReloadUserAnnotationWithoutOurSecret(t *testing.T) {
	hr := yaml.MustParse(hrYAML("name: immich\nnamespace: media", appTemplate(mainContainer("image: {repository: x}\n"))))
	ctrl, err := hr.Pipe(yaml.Lookup("spec", "values", "controllers", "main"))
	if err != nil {
		t.Fatal(err)
	}
	if err := ctrl.PipeE(yaml.SetField("annotations", yaml.NewMapRNode(&map[string]string{ReloadAnnotation: "db"}))); err != nil {
		t.Fatal(err)
	}
	warns, err := Filter{Integration: "immich", Wiring: oidcWiring, Reload: true}.Apply(hr)
	if err != nil {
		t.Fatal(err)
	}
	if len(warns) != 1 || warns[0].Field != "spec.values.controllers.main.annotations[secret.reloader.stakater.com/reload]" ||
		!strings.Contains(warns[0].Detail, "without the Secret immich-oidc") {
		t.Fatalf("warnings %+v", warns)
	}
	if v, _ := hr.Pipe(yaml.Lookup("spec", "values", "controllers", "main", "annotations", ReloadAnnotation)); yaml.GetValue(v) != "db" {
		t.Errorf("the user's annotation changed to %q", yaml.GetValue(v))
	}
}

// TestReloadPostRenderer: with the real kustomize, our patch's annotation lands on the app's
// workload (and nowhere else), next to the env; the marker name does not.
func TestReloadPostRenderer(t *testing.T) {
	hr := helmRelease("open-webui", `
chart: {spec: {chart: open-webui, version: 16.0.0, sourceRef: {kind: HelmRepository, name: open-webui}}}
values: {ollama: {enabled: false}, pipelines: {enabled: false}, persistence: {enabled: false}}
`)
	w := preset.Wiring{Env: []preset.EnvVar{
		{Name: "OAUTH_CLIENT_SECRET", SecretKeyRef: &preset.SecretKeyRef{Name: "open-webui-oidc", Key: preset.SecretKeyClientSecret}},
	}}
	patches, err := patchEntries(t, Filter{Integration: "open-webui", Wiring: w, Reload: true}, hr)
	if err != nil {
		t.Fatal(err)
	}
	rendered, err := os.ReadFile(filepath.Join("testdata", "open-webui.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	plain := kustomizeBuild(t, rendered, "")
	ours := kustomizeBuild(t, rendered, patches.MustString())
	app := "Deployment/open-webui"
	for id, doc := range plain {
		if id != app && ours[id] != doc {
			t.Errorf("%s changed by our patch", id)
		}
	}
	dep := yaml.MustParse(ours[app])
	if got := dep.GetAnnotations()[ReloadAnnotation]; got != "open-webui-oidc" {
		t.Errorf("annotation %s = %q on the app's Deployment, want open-webui-oidc:\n%s", ReloadAnnotation, got, ours[app])
	}
	if dep.GetName() != "open-webui" || strings.Contains(ours[app], "pocketid-oidc.open-webui") {
		t.Errorf("the marker reached the workload:\n%s", ours[app])
	}
	// The control: without Reload the patch adds no annotation.
	off, err := patchEntries(t, Filter{Integration: "open-webui", Wiring: w}, hr)
	if err != nil {
		t.Fatal(err)
	}
	if _, has := yaml.MustParse(kustomizeBuild(t, rendered, off.MustString())[app]).GetAnnotations()[ReloadAnnotation]; has {
		t.Error("control: the annotation is there without Reload")
	}
}

// TestReloadChartRouteWarns: a chart route cannot carry Reloader's annotation, so with
// restartOnSecretChange on the user hears why the app will not restart on a rotation, with the
// annotation to add; turned off, nothing is said.
func TestReloadChartRouteWarns(t *testing.T) {
	in := hrYAML("name: immich\nnamespace: media\n", "chart:\n  spec:\n    chart: immich\n")
	for _, reload := range []bool{true, false} {
		hr, err := yaml.Parse(in)
		if err != nil {
			t.Fatal(err)
		}
		f := Filter{Integration: "immich", Wiring: immichChartWiring, Reload: reload, AppSecret: "immich-oidc"}
		warns, err := f.Apply(hr)
		if err != nil {
			t.Fatal(err)
		}
		var got []Warning
		for _, w := range warns {
			if strings.Contains(w.Detail, ReloadAnnotation) {
				got = append(got, w)
			}
		}
		if !reload {
			if len(got) != 0 {
				t.Errorf("Reload off: %+v", got)
			}
			continue
		}
		if len(got) != 1 || got[0].Release != "media/immich" || got[0].Field != "spec.values" ||
			!strings.Contains(got[0].Detail, ReloadAnnotation+": immich-oidc") ||
			!strings.Contains(got[0].Detail, "restartOnSecretChange: false") {
			t.Errorf("Reload on: want one warning at spec.values naming immich-oidc, got %+v", got)
		}
	}
}
