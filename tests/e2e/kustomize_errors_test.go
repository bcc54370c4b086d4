package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestKustomizeInputErrors runs input mistakes through the real kustomize, in the layouts the
// README documents: the function's error reaches the user on kustomize's stderr, the build
// fails and prints nothing, and the fix the message gives makes the same build pass. The
// namespace hints rest on kustomize's order (a Component's transformers run before the
// including kustomization's namespace:, which never reaches a transformer config): this keeps
// them true.
func TestKustomizeInputErrors(t *testing.T) {
	kustomize := requireEnv(t, "KUSTOMIZE")
	bin := functionBinary(t)
	annotation := "  annotations:\n    config.kubernetes.io/function: |\n      exec:\n        path: " + bin + "\n"
	provider := "apiVersion: oidc.endsys.cloud/v1alpha1\nkind: PocketIDProvider\nmetadata:\n  name: pocket-id\n" + annotation +
		"spec:\n  issuer: https://auth.example.com\n  secretStoreRef: {name: bitwarden}\n  apiKey: {remoteKey: pocket-id-api-key}\n"
	release := func(ns string) string {
		return "apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: immich\n" + ns +
			"spec:\n  chartRef: {kind: OCIRepository, name: app-template}\n  values:\n    controllers:\n      main:\n        containers:\n          main:\n            image: {repository: ghcr.io/immich-app/immich-server, tag: v2.3.1}\n"
	}
	const spec = "spec:\n  url: https://immich.example.com\n  env: {OIDC_CLIENT_ID: \"{{ .ClientID }}\"}\n  client: {callbackURLs: [https://immich.example.com/cb]}\n"
	integration := func(kind, meta string) string {
		return "apiVersion: oidc.endsys.cloud/v1alpha1\nkind: " + kind + "\nmetadata:\n  name: immich\n" + meta + spec
	}
	component := map[string]string{
		"comp/kustomization.yaml": "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\ntransformers: [pocket-id.yaml]\n",
		"comp/pocket-id.yaml":     provider,
		"app/kustomization.yaml":  "namespace: media\nresources: [helmrelease.yaml, oidc.yaml]\ncomponents: [../comp]\n",
		"app/helmrelease.yaml":    release(""),
	}
	singleFile := map[string]string{
		"app/kustomization.yaml": "namespace: media\nresources: [helmrelease.yaml]\ntransformers: [oidc.yaml]\n",
		"app/helmrelease.yaml":   release(""),
	}
	singleSpec := spec + "  provider: {issuer: https://auth.example.com, secretStoreRef: {name: bitwarden}, apiKey: {remoteKey: k}}\n"
	tests := []struct {
		name       string
		files      map[string]string
		bad, fixed map[string]string // files over files
		wantStderr string
	}{
		{
			name: "misspelled kind", files: component,
			bad:        map[string]string{"app/oidc.yaml": integration("OIDCIntegraton", "")},
			fixed:      map[string]string{"app/oidc.yaml": integration("OIDCIntegration", "")},
			wantStderr: `error: OIDCIntegraton immich: kind: Invalid value: "OIDCIntegraton": group oidc.endsys.cloud has no such kind (did you mean OIDCIntegration?)`,
		},
		{
			name: "Component: the integration names a namespace the HelmRelease gets only later", files: component,
			bad:        map[string]string{"app/oidc.yaml": integration("OIDCIntegration", "  namespace: media\n")},
			fixed:      map[string]string{"app/oidc.yaml": integration("OIDCIntegration", "")},
			wantStderr: `no HelmRelease immich in namespace "media" among the function's input (found immich: the HelmRelease has no namespace yet when the function runs from a Component`,
		},
		{
			name: "single file: namespace: does not reach the integration", files: singleFile,
			bad: map[string]string{"app/oidc.yaml": "apiVersion: oidc.endsys.cloud/v1alpha1\nkind: OIDCIntegration\nmetadata:\n  name: immich\n" + annotation + singleSpec},
			fixed: map[string]string{"app/oidc.yaml": "apiVersion: oidc.endsys.cloud/v1alpha1\nkind: OIDCIntegration\nmetadata:\n  name: immich\n  namespace: media\n" +
				annotation + singleSpec},
			wantStderr: `no HelmRelease immich without a namespace among the function's input (found media/immich: give the integration the HelmRelease's metadata.namespace`,
		},
		{
			name: "a 2 MB url", files: component,
			bad: map[string]string{"app/oidc.yaml": strings.Replace(integration("OIDCIntegration", ""), "url: https://immich.example.com",
				"url: https://immich.example.com/"+strings.Repeat("a", 2<<20), 1)},
			fixed:      map[string]string{"app/oidc.yaml": integration("OIDCIntegration", "")},
			wantStderr: "error: OIDCIntegration immich: spec.url: Too long: may not be more than 2048 bytes",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			write := func(files map[string]string) {
				for name, text := range files {
					p := filepath.Join(dir, name)
					if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
						t.Fatal(err)
					}
					if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
						t.Fatal(err)
					}
				}
			}
			write(tc.files)
			write(tc.bad)
			out, stderr, err := runE(dir, nil, kustomize, append([]string{"build"}, append(execFlags, "app")...)...)
			if err == nil {
				t.Fatalf("kustomize build passed:\n%.2000s", out)
			}
			if len(out) != 0 {
				t.Errorf("kustomize printed output on failure:\n%.2000s", out)
			}
			if !strings.Contains(string(stderr), tc.wantStderr) {
				t.Errorf("stderr lacks %q:\n%.3000s", tc.wantStderr, stderr)
			}
			write(tc.fixed)
			rendered := kustomizeBuild(t, kustomize, dir, "app", execFlags...)
			if !strings.Contains(string(rendered), "OIDC_CLIENT_ID") {
				t.Errorf("the fixed build did not wire the HelmRelease:\n%s", rendered)
			}
		})
	}
}
