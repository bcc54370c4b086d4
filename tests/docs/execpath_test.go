package docs

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestKustomizeExecPath checks, with the real kustomize, what the README says of the provider's
// `exec: path:`: relative to the directory of the kustomization or Component whose
// `transformers:` lists the config (kustomize api internal/target/kusttarget.go gives each
// target's plugin loader that root as working directory), not to the config file's own
// directory, nor to the app directory that includes a Component, nor to where kustomize runs;
// a bare name is looked up on PATH. Each case builds `build` from the repository root stand-in;
// the app is examples/quickstart's HelmRelease and integration.
func TestKustomizeExecPath(t *testing.T) {
	kustomize := requireEnv(t, "KUSTOMIZE")
	bin := requireEnv(t, "POCKETID_OIDC_BIN")
	quickstart := filepath.Join(repoRoot(t), "examples", "quickstart")
	app := map[string]string{
		"helmrelease.yaml": readFile(t, filepath.Join(quickstart, "helmrelease.yaml")),
		"oidc.yaml":        readFile(t, filepath.Join(quickstart, "oidc.yaml")),
	}
	const component = "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\ntransformers: [pocket-id.yaml]\n"
	const appWithComponent = "namespace: media\nresources: [helmrelease.yaml, oidc.yaml]\ncomponents: [../../../components/pocket-id]\n"

	for name, tc := range map[string]struct {
		files   map[string]string // besides the app's two files in appDir; bin/pocketid-oidc is there
		appDir  string
		path    bool   // put bin/ on PATH
		wantErr string // "" = the function ran
	}{
		"kustomization: relative to its directory": {
			appDir: "apps/media/immich",
			files: map[string]string{
				"apps/media/immich/kustomization.yaml": "namespace: media\nresources: [helmrelease.yaml, oidc.yaml]\ntransformers: [pocket-id.yaml]\n",
				"apps/media/immich/pocket-id.yaml":     "../../../bin/pocketid-oidc",
			},
		},
		"config in a subdirectory: relative to the kustomization, not to the file": {
			appDir: "apps/media/immich",
			files: map[string]string{
				"apps/media/immich/kustomization.yaml":    "namespace: media\nresources: [helmrelease.yaml, oidc.yaml]\ntransformers: [config/pocket-id.yaml]\n",
				"apps/media/immich/config/pocket-id.yaml": "../../../bin/pocketid-oidc",
			},
		},
		"config in a subdirectory, path written from the file: fails": {
			appDir: "apps/media/immich",
			files: map[string]string{
				"apps/media/immich/kustomization.yaml":    "namespace: media\nresources: [helmrelease.yaml, oidc.yaml]\ntransformers: [config/pocket-id.yaml]\n",
				"apps/media/immich/config/pocket-id.yaml": "../../../../bin/pocketid-oidc",
			},
			wantErr: "couldn't execute function: fork/exec ../../../../bin/pocketid-oidc: no such file or directory",
		},
		"Component: relative to the Component's directory": {
			appDir: "apps/media/immich",
			files: map[string]string{
				"apps/media/immich/kustomization.yaml":    appWithComponent,
				"components/pocket-id/kustomization.yaml": component,
				"components/pocket-id/pocket-id.yaml":     "../../bin/pocketid-oidc",
			},
		},
		"Component, path written from the app directory: fails": {
			appDir: "apps/media/immich",
			files: map[string]string{
				"apps/media/immich/kustomization.yaml":    appWithComponent,
				"components/pocket-id/kustomization.yaml": component,
				"components/pocket-id/pocket-id.yaml":     "../../../bin/pocketid-oidc",
			},
			wantErr: "couldn't execute function: fork/exec ../../../bin/pocketid-oidc: no such file or directory",
		},
		"config outside the kustomization's directory: refused by the load restrictor": {
			appDir: "apps/media/immich",
			files: map[string]string{
				"apps/media/immich/kustomization.yaml": "namespace: media\nresources: [helmrelease.yaml, oidc.yaml]\ntransformers: [../../../components/pocket-id/pocket-id.yaml]\n",
				"components/pocket-id/pocket-id.yaml":  "../../bin/pocketid-oidc",
			},
			wantErr: "is not in or below",
		},
		"bare name: looked up on PATH": {
			appDir: "apps/media/immich",
			path:   true,
			files: map[string]string{
				"apps/media/immich/kustomization.yaml": "namespace: media\nresources: [helmrelease.yaml, oidc.yaml]\ntransformers: [pocket-id.yaml]\n",
				"apps/media/immich/pocket-id.yaml":     "pocketid-oidc",
			},
		},
	} {
		t.Run(name, func(t *testing.T) {
			repo := t.TempDir()
			if err := copyFile(bin, filepath.Join(repo, "bin", "pocketid-oidc")); err != nil {
				t.Fatal(err)
			}
			for rel, content := range app {
				writeFile(t, filepath.Join(repo, tc.appDir, rel), content)
			}
			for rel, content := range tc.files {
				if filepath.Base(rel) == "pocket-id.yaml" {
					content = providerWithExec(t, quickstart, content)
				}
				writeFile(t, filepath.Join(repo, rel), content)
			}
			cmd := exec.Command(kustomize, "build", "--enable-alpha-plugins", "--enable-exec", tc.appDir)
			cmd.Dir = repo
			env := os.Environ()
			if tc.path {
				env = append(env, "PATH="+filepath.Join(repo, "bin")+string(os.PathListSeparator)+os.Getenv("PATH"))
			}
			cmd.Env = env
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			out, err := cmd.Output()
			switch {
			case tc.wantErr != "":
				if err == nil || !strings.Contains(stderr.String(), tc.wantErr) {
					t.Fatalf("kustomize build: err=%v, want a failure with %q; stderr:\n%s", err, tc.wantErr, stderr.String())
				}
			case err != nil:
				t.Fatalf("kustomize build: %v\n%s", err, stderr.String())
			case !strings.Contains(string(out), "kind: ExternalSecret"):
				t.Fatalf("kustomize build printed no ExternalSecret: the function did not run\n%s", out)
			}
		})
	}
}

// providerWithExec is examples/quickstart's provider with another exec path.
func providerWithExec(t *testing.T, quickstart, path string) string {
	t.Helper()
	const old = "path: ../../bin/pocketid-oidc"
	p := readFile(t, filepath.Join(quickstart, "pocket-id.yaml"))
	if !strings.Contains(p, old) {
		t.Fatalf("examples/quickstart/pocket-id.yaml has no %q", old)
	}
	return strings.Replace(p, old, "path: "+path, 1)
}

func readFile(t *testing.T, p string) string {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func writeFile(t *testing.T, p, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}
