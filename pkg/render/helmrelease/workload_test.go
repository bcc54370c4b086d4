package helmrelease

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"sigs.k8s.io/kustomize/kyaml/kio"
	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/endsys/pocketid-oidc/internal/testenv"
	"github.com/endsys/pocketid-oidc/pkg/api/v1alpha1"
	"github.com/endsys/pocketid-oidc/pkg/preset"
)

// helmRelease is a HelmRelease named name in namespace apps with the given spec (YAML, flow
// or block), the fixture every target case starts from.
func helmRelease(name, spec string) string {
	return hrYAML("name: "+name+"\nnamespace: apps", spec)
}

// patchEntries runs f on the HelmRelease and returns its post-renderer patch entries.
func patchEntries(t *testing.T, f Filter, hr string) (*yaml.RNode, error) {
	t.Helper()
	rn := yaml.MustParse(hr)
	if _, err := f.Filter(rn); err != nil {
		return nil, err
	}
	patches, err := rn.Pipe(yaml.Lookup("spec", "postRenderers", "0", "kustomize", "patches"))
	if err != nil || patches == nil {
		t.Fatalf("no patch entries: %v\n%s", err, rn.MustString())
	}
	return patches, nil
}

func TestPatchTarget(t *testing.T) {
	env := preset.Wiring{Env: grafanaWiring.Env[2:]}
	appTemplate := func(controller string) string {
		return "chart: {spec: {chart: app-template}}\nvalues: {controllers: {main: {" + controller + "containers: {app: {image: {repository: x}}}}}}"
	}
	for _, tc := range []struct {
		name, release, spec string
		workload            *v1alpha1.WorkloadRef
		want                string // the target, YAML
		wantField           string
		wantErr             []string
	}{
		{name: "chart name not in the release name: <release>-<chart>", release: "ui", spec: "chart: {spec: {chart: open-webui}}",
			want: "{group: apps, kind: Deployment|StatefulSet, name: ui-open-webui}"},
		{name: "release name containing the chart name is the full name", release: "open-webui", spec: "chart: {spec: {chart: open-webui}}",
			want: "{group: apps, kind: Deployment|StatefulSet, name: open-webui}"},
		{name: "targetNamespace prefixes the release name", release: "open-webui", spec: "targetNamespace: ai\nchart: {spec: {chart: open-webui}}",
			want: "{group: apps, kind: Deployment|StatefulSet, name: ai-open-webui}"},
		{name: "releaseName wins over targetNamespace", release: "x", spec: "targetNamespace: ai\nreleaseName: chat\nchart: {spec: {chart: open-webui}}",
			want: "{group: apps, kind: Deployment|StatefulSet, name: chat-open-webui}"},
		{name: "nameOverride replaces the chart name", release: "chat", spec: "chart: {spec: {chart: open-webui}}\nvalues: {nameOverride: at}",
			want: "{group: apps, kind: Deployment|StatefulSet, name: chat}"},
		{name: "fullnameOverride is the name, cut to 63 without a trailing dash", release: "chat",
			spec: "chart: {spec: {chart: open-webui}}\nvalues: {fullnameOverride: " + strings.Repeat("a", 62) + "-b}",
			want: "{group: apps, kind: Deployment|StatefulSet, name: " + strings.Repeat("a", 62) + "}"},
		{name: "a dot in the name is escaped: kustomize reads a regular expression", release: "my.chat", spec: "chart: {spec: {chart: open-webui}}",
			want: `{group: apps, kind: Deployment|StatefulSet, name: 'my\.chat-open-webui'}`},
		{name: "chartRef with nameOverride", release: "gitea", spec: "chartRef: {kind: OCIRepository, name: gitea-charts}\nvalues: {nameOverride: git}",
			want: "{group: apps, kind: Deployment|StatefulSet, name: gitea}"},
		{name: "chartRef without overrides: the workload must be named", release: "gitea", spec: "chartRef: {kind: OCIRepository, name: gitea-charts}",
			wantField: "spec.chartRef", wantErr: []string{`HelmRelease apps/gitea installs chartRef "gitea-charts", whose chart name is unknown`, "set spec.helmRelease.workload"}},
		{name: "spec.helmRelease.workload overrides a chartRef", release: "gitea", spec: "chartRef: {kind: OCIRepository, name: gitea-charts}",
			workload: &v1alpha1.WorkloadRef{Kind: "StatefulSet", Name: "gitea-main"},
			want:     "{group: apps, kind: StatefulSet, name: gitea-main}"},
		{name: "spec.helmRelease.workload overrides the chart's naming", release: "open-webui", spec: "chart: {spec: {chart: open-webui}}",
			workload: &v1alpha1.WorkloadRef{Kind: "Deployment", Name: "webui"},
			want:     "{group: apps, kind: Deployment, name: webui}"},
		{name: "a workload without a kind is a Deployment or StatefulSet", release: "open-webui", spec: "chart: {spec: {chart: open-webui}}",
			workload: &v1alpha1.WorkloadRef{Name: "webui"},
			want:     "{group: apps, kind: Deployment|StatefulSet, name: webui}"},
		{name: "app-template: the controller's own label, kind from its type (default deployment)", release: "immich", spec: appTemplate(""),
			want: "{group: apps, kind: Deployment, labelSelector: 'app.kubernetes.io/instance=immich,app.kubernetes.io/controller=main'}"},
		{name: "app-template statefulset controller", release: "immich", spec: appTemplate("type: statefulset, "),
			want: "{group: apps, kind: StatefulSet, labelSelector: 'app.kubernetes.io/instance=immich,app.kubernetes.io/controller=main'}"},
		{name: "app-template daemonset controller", release: "immich", spec: appTemplate("type: daemonset, "),
			want: "{group: apps, kind: DaemonSet, labelSelector: 'app.kubernetes.io/instance=immich,app.kubernetes.io/controller=main'}"},
		{name: "app-template with spec.helmRelease.workload", release: "immich", spec: appTemplate(""),
			workload: &v1alpha1.WorkloadRef{Kind: "Deployment", Name: "immich-server"},
			want:     "{group: apps, kind: Deployment, name: immich-server}"},
		{name: "app-template cronjob controller has no pod template to patch", release: "immich", spec: appTemplate("type: cronjob, "),
			wantField: "spec.values.controllers.main.type", wantErr: []string{`Unsupported value: "cronjob"`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := Filter{Integration: "app", Strategy: v1alpha1.StrategyPostRenderer, Container: "web", Workload: tc.workload, Wiring: env}
			if strings.Contains(tc.spec, "app-template") {
				f.Container = "" // the controller's only container
			}
			patches, err := patchEntries(t, f, helmRelease(tc.release, tc.spec))
			if tc.wantErr != nil {
				checkErr(t, err, tc.wantField, tc.wantErr)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var got, want map[string]any
			target, err := yaml.NewRNode(patches.Content()[0]).Pipe(yaml.Get("target"))
			if err != nil || target == nil {
				t.Fatalf("no target: %v", err)
			}
			if err := target.YNode().Decode(&got); err != nil {
				t.Fatal(err)
			}
			if err := yaml.Unmarshal([]byte(tc.want), &want); err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(want, got); d != "" {
				t.Errorf("target (-want +got):\n%s", d)
			}
		})
	}
}

// TestPatchTouchesOnlyTheAppWorkload applies our patch with the real kustomize (which
// helm-controller runs for postRenderers) to the open-webui chart's rendered manifests
// (testdata/open-webui.yaml), whose redis Deployment carries the app's instance and name
// labels. Only the app's Deployment may change, and only by our env; everything else must be
// byte for byte what kustomize makes of the chart's output without the patch. A patch
// selecting by those labels (the old target) is run on the same data as the control: it does
// change the redis Deployment, so the data reproduces the bug.
func TestPatchTouchesOnlyTheAppWorkload(t *testing.T) {
	hr := helmRelease("open-webui", `
chart: {spec: {chart: open-webui, version: 16.0.0, sourceRef: {kind: HelmRepository, name: open-webui}}}
values: {ollama: {enabled: false}, pipelines: {enabled: false}, persistence: {enabled: false}}
`)
	w := preset.Wiring{Env: []preset.EnvVar{
		{Name: "OAUTH_CLIENT_ID", Value: "open-webui"},
		{Name: "OAUTH_CLIENT_SECRET", SecretKeyRef: &preset.SecretKeyRef{Name: "open-webui-oidc", Key: preset.SecretKeyClientSecret}},
		{Name: "OPENID_PROVIDER_URL", Value: "https://auth.example.com/.well-known/openid-configuration"},
	}}
	patches, err := patchEntries(t, Filter{Integration: "open-webui", Wiring: w}, hr)
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
			t.Errorf("%s changed by our patch:\n%s", id, cmp.Diff(doc, ours[id]))
		}
	}
	if len(ours) != len(plain) {
		t.Errorf("%d objects with the patch, %d without", len(ours), len(plain))
	}
	wantEnv := `- name: OAUTH_CLIENT_ID
  value: open-webui
- name: OAUTH_CLIENT_SECRET
  valueFrom:
    secretKeyRef:
      key: client-secret
      name: open-webui-oidc
- name: OPENID_PROVIDER_URL
  value: https://auth.example.com/.well-known/openid-configuration
`
	chartEnv := envOf(t, plain[app], "open-webui")
	// A strategic merge puts the patch's new list items first.
	if got, want := envOf(t, ours[app], "open-webui"), wantEnv+chartEnv; got != want {
		t.Errorf("env of the app container:\n%s", cmp.Diff(want, got))
	}

	// The control: the label selector every workload of the release matches.
	old := strings.Replace(patches.MustString(), "name: open-webui\n", "labelSelector: app.kubernetes.io/instance=open-webui,app.kubernetes.io/name=open-webui\n", 1)
	if old == patches.MustString() {
		t.Fatalf("control: no target name to replace in\n%s", old)
	}
	byLabels := kustomizeBuild(t, rendered, old)
	if got := envOf(t, byLabels["Deployment/open-webui-redis"], "open-webui"); !strings.Contains(got, "OAUTH_CLIENT_ID") {
		t.Errorf("control: a label-selected patch should have added an open-webui container to the redis Deployment, got:\n%s", byLabels["Deployment/open-webui-redis"])
	}
}

// kustomizeBuild runs the real kustomize on the rendered manifests with the patch entries (a
// YAML list, or "" for none), as helm-controller's post-renderer does, and returns the output
// objects by kind/name.
func kustomizeBuild(t *testing.T, rendered []byte, patches string) map[string]string {
	t.Helper()
	bin := testenv.Tool(t, "KUSTOMIZE")
	dir := t.TempDir()
	k := "resources: [rendered.yaml]\n"
	if patches != "" {
		k += "patches:\n" + patches
	}
	for name, data := range map[string][]byte{"kustomization.yaml": []byte(k), "rendered.yaml": rendered} {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	out, err := exec.Command(bin, "build", dir).Output()
	if err != nil {
		t.Fatalf("kustomize build: %v\n%s\nkustomization:\n%s", err, stderrOf(err), k)
	}
	nodes, err := kio.FromBytes(out)
	if err != nil {
		t.Fatal(err)
	}
	objs := map[string]string{}
	for _, n := range nodes {
		objs[n.GetKind()+"/"+n.GetName()] = n.MustString()
	}
	return objs
}

func stderrOf(err error) string {
	if ee, ok := err.(*exec.ExitError); ok {
		return string(ee.Stderr)
	}
	return ""
}

// envOf is the env list of the named container of a workload, as YAML ("" when it has none).
func envOf(t *testing.T, workload, container string) string {
	t.Helper()
	env, err := yaml.MustParse(workload).Pipe(yaml.Lookup("spec", "template", "spec", "containers", "[name="+container+"]", "env"))
	if err != nil {
		t.Fatal(err)
	}
	if env == nil {
		return ""
	}
	return env.MustString()
}
