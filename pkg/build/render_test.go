package build_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/endsys/pocketid-oidc/pkg/build"
	"github.com/endsys/pocketid-oidc/pkg/build/fnspec"
)

// The provider names an exec path that exists nowhere and, in the second form, only an image:
// render runs the binary it is given either way.
const providerExec = `apiVersion: oidc.endsys.cloud/v1alpha1
kind: PocketIDProvider
metadata:
  name: pocket-id
  annotations:
    config.kubernetes.io/function: |
      exec:
        path: ../../nowhere/pocketid-oidc
spec:
  issuer: https://auth.example.com
  apiURL: http://pocket-id.pocket-id.svc:1411
  secretStoreRef:
    kind: ClusterSecretStore
    name: bitwarden
  apiKey:
    remoteKey: pocket-id-api-key
`

var providerImage = strings.Replace(providerExec, "exec:\n        path: ../../nowhere/pocketid-oidc",
	"container:\n        image: ghcr.io/endsys/pocketid-oidc:v0.1.0", 1)

// fluxRepo writes a repository in the layout of examples/flux: two apps of the quickstart
// (HelmRelease + OIDCIntegration) in their own namespaces, one provider Component.
func fluxRepo(t *testing.T, provider string) string {
	t.Helper()
	root := t.TempDir()
	quickstart := filepath.Join(repoRoot(t), "examples", "quickstart")
	files := map[string]string{
		"components/pocket-id/kustomization.yaml": "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\ntransformers: [pocket-id.yaml]\n",
		"components/pocket-id/pocket-id.yaml":     provider,
	}
	for _, ns := range []string{"media", "photos"} {
		app := "apps/" + ns + "/immich/"
		files[app+"kustomization.yaml"] = "namespace: " + ns + "\nresources: [helmrelease.yaml, oidc.yaml]\ncomponents: [../../../components/pocket-id]\n"
		files[app+"helmrelease.yaml"] = read(t, filepath.Join(quickstart, "helmrelease.yaml"))
		files[app+"oidc.yaml"] = read(t, filepath.Join(quickstart, "oidc.yaml"))
	}
	writeTree(t, root, files)
	return root
}

func renderOpts(t *testing.T, dirs ...string) (build.Options, *bytes.Buffer, *bytes.Buffer) {
	bin := functionBin(t)
	var out, log bytes.Buffer
	return build.Options{
		Dirs: dirs, Out: &out, Log: &log, Parallel: 2,
		Exec: func(string) fnspec.Exec { return fnspec.Exec{Path: bin} },
	}, &out, &log
}

func TestRenderWritesEveryRoot(t *testing.T) {
	inline := "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\ntransformers:\n- |\n  " +
		strings.ReplaceAll(strings.TrimSuffix(providerExec, "\n"), "\n", "\n  ") + "\n"
	for name, provider := range map[string]string{"exec": providerExec, "image": providerImage, "inline": ""} {
		t.Run(name, func(t *testing.T) {
			root := fluxRepo(t, provider)
			if name == "inline" {
				writeTree(t, root, map[string]string{"components/pocket-id/kustomization.yaml": inline})
			}
			o, _, log := renderOpts(t, root)
			if err := build.Render(o); err != nil {
				t.Fatalf("%v\n%s", err, log)
			}
			for _, ns := range []string{"media", "photos"} {
				dir := filepath.Join(root, "apps", ns, "immich")
				got := read(t, filepath.Join(dir, "rendered.yaml"))
				want := build.Build(dir, o.Exec(dir))
				if want.Err != nil {
					t.Fatal(want.Err)
				}
				if got != string(want.YAML) {
					t.Errorf("%s/rendered.yaml is not the build", dir)
				}
				if !strings.Contains(got, "kind: ExternalSecret") || strings.Contains(got, "kind: OIDCIntegration") {
					t.Errorf("%s: the function did not run:\n%s", dir, got)
				}
				// HelmRelease, app ExternalSecret, API key ExternalSecret, ConfigMap, Job, CronJob.
				if !strings.Contains(log.String(), dir+": 6 objects, ") {
					t.Errorf("no line for %s with its object count:\n%s", dir, log)
				}
			}
			if _, err := os.Stat(filepath.Join(root, "components", "pocket-id", "rendered.yaml")); err == nil {
				t.Error("the Component was rendered")
			}
		})
	}
}

func TestRenderCheck(t *testing.T) {
	root := fluxRepo(t, providerExec)
	o, _, log := renderOpts(t, root)
	if err := build.Render(o); err != nil {
		t.Fatalf("%v\n%s", err, log)
	}
	media := filepath.Join(root, "apps", "media", "immich", "rendered.yaml")
	photos := filepath.Join(root, "apps", "photos", "immich", "rendered.yaml")

	o, out, log := renderOpts(t, root)
	o.Check = true
	if err := build.Render(o); err != nil {
		t.Fatalf("fresh renders are stale: %v\n%s\n%s", err, out, log)
	}
	if out.Len() != 0 {
		t.Errorf("diff output without a stale render:\n%s", out)
	}

	// One edited, one deleted: both reported, neither touched.
	edited := strings.Replace(read(t, media), "namespace: media", "namespace: old", 1)
	writeTree(t, root, map[string]string{"apps/media/immich/rendered.yaml": edited})
	if err := os.Remove(photos); err != nil {
		t.Fatal(err)
	}
	o, out, log = renderOpts(t, root)
	o.Check = true
	err := build.Render(o)
	if err == nil || !strings.Contains(err.Error(), "2 of 2 renders are stale") {
		t.Fatalf("err = %v", err)
	}
	diff := out.String()
	for _, want := range []string{
		"--- a/" + filepath.ToSlash(media) + "\n+++ b/" + filepath.ToSlash(media) + "\n",
		"-  namespace: old\n+  namespace: media\n",
		"--- /dev/null\n+++ b/" + filepath.ToSlash(photos) + "\n@@ -0,0 +1,",
	} {
		if !strings.Contains(diff, want) {
			t.Errorf("diff lacks %q:\n%s", want, diff)
		}
	}
	if !strings.Contains(log.String(), ", stale\n") {
		t.Errorf("log does not say stale:\n%s", log)
	}
	if read(t, media) != edited {
		t.Error("--check wrote a render")
	}
	if _, err := os.Stat(photos); err == nil {
		t.Error("--check wrote a render")
	}
}

func TestRenderFailureWritesNothing(t *testing.T) {
	root := fluxRepo(t, providerExec)
	bad := filepath.Join(root, "apps", "photos", "immich")
	writeTree(t, bad, map[string]string{
		"oidc.yaml": strings.Replace(read(t, filepath.Join(bad, "oidc.yaml")), "https://immich.endsys.cloud/auth/login", "not a url", 1),
	})
	o, _, log := renderOpts(t, root)
	err := build.Render(o)
	if err == nil || err.Error() != "1 of 2 kustomizations failed; nothing written" {
		t.Fatalf("err = %v\n%s", err, log)
	}
	if !strings.Contains(log.String(), "error: "+bad+": ") {
		t.Errorf("the error does not name the directory:\n%s", log)
	}
	for _, ns := range []string{"media", "photos"} {
		if _, err := os.Stat(filepath.Join(root, "apps", ns, "immich", "rendered.yaml")); err == nil {
			t.Errorf("apps/%s/immich/rendered.yaml written although a build failed", ns)
		}
	}
}

func TestRenderStdout(t *testing.T) {
	root := fluxRepo(t, providerExec)
	dir := filepath.Join(root, "apps", "media", "immich")
	for _, o := range []func(*build.Options){
		func(o *build.Options) { o.Stdout = true },
		func(o *build.Options) { o.Output = "-" },
	} {
		opts, out, log := renderOpts(t, dir)
		o(&opts)
		if err := build.Render(opts); err != nil {
			t.Fatalf("%v\n%s", err, log)
		}
		if want := build.Build(dir, opts.Exec(dir)); !bytes.Equal(want.YAML, out.Bytes()) {
			t.Errorf("stdout is not the build:\n%s", out)
		}
		if _, err := os.Stat(filepath.Join(dir, "rendered.yaml")); err == nil {
			t.Error("--stdout wrote a file")
		}
	}
}

func TestRenderRefuses(t *testing.T) {
	root := fluxRepo(t, providerExec)
	for _, tc := range []struct {
		name string
		o    func(*build.Options)
		want string
	}{
		{"stdout of two", func(o *build.Options) { o.Stdout = true }, "--stdout renders one kustomization"},
		{"stdout and check", func(o *build.Options) { o.Stdout, o.Check = true, true }, "exclude each other"},
		{"output path", func(o *build.Options) { o.Output = "../x.yaml" }, "--output takes a file name"},
		{"nothing to render", func(o *build.Options) { o.Dirs = []string{filepath.Join(root, "components")} }, "no kustomization under"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			opts, _, _ := renderOpts(t, root)
			tc.o(&opts)
			err := build.Render(opts)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want %q", err, tc.want)
			}
		})
	}
}

func TestRenderOutputName(t *testing.T) {
	root := fluxRepo(t, providerExec)
	o, _, log := renderOpts(t, root)
	o.Output = "all.yaml"
	if err := build.Render(o); err != nil {
		t.Fatalf("%v\n%s", err, log)
	}
	dir := filepath.Join(root, "apps", "media", "immich")
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	// No temporary file left behind, no rendered.yaml.
	if d := cmp.Diff([]string{"all.yaml", "helmrelease.yaml", "kustomization.yaml", "oidc.yaml"}, names); d != "" {
		t.Errorf("files (-want +got):\n%s", d)
	}
}
