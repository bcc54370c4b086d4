package bench

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// GenerateRepo writes a Flux repository of apps app directories under dir, in the layout of
// examples/flux: apps/<namespace>/<app>/ holding a kustomization (namespace, HelmRelease,
// OIDCIntegration, the shared Component), the Component components/pocket-id/ holding the
// PocketIDProvider, whose exec path is bin. The objects are those of Generate; apps spread over
// its 25 namespaces, so 100 apps put 4 in each.
func GenerateRepo(dir string, apps int, presets []string, bin string) error {
	if len(presets) == 0 {
		presets = DefaultPresets
	}
	files := map[string]string{
		"components/pocket-id/kustomization.yaml": `apiVersion: kustomize.config.k8s.io/v1alpha1
kind: Component
transformers:
- pocket-id.yaml
`,
		"components/pocket-id/pocket-id.yaml": provider(fmt.Sprintf(`    config.kubernetes.io/function: |
      exec:
        path: %s
`, bin)),
	}
	for i := range apps {
		d := filepath.Join("apps", ns(i), app(i))
		files[filepath.Join(d, "kustomization.yaml")] = fmt.Sprintf(`apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
namespace: %s
resources:
- helmrelease.yaml
- oidc.yaml
components:
- ../../../components/pocket-id
`, ns(i))
		files[filepath.Join(d, "helmrelease.yaml")] = document(fmt.Sprintf(helmRelease, app(i), ns(i), i%7+1))
		files[filepath.Join(d, "oidc.yaml")] = document(integration(i, presets[i%len(presets)]))
	}
	for p, c := range files {
		path := filepath.Join(dir, p)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(path, []byte(c), 0o644); err != nil {
			return err
		}
	}
	return nil
}

// document turns one item of Generate's list ("- a: 1\n  b: 2\n") into a file ("a: 1\nb: 2\n").
func document(item string) string {
	lines := strings.SplitAfter(strings.TrimPrefix(item, "- "), "\n")
	for i := 1; i < len(lines); i++ {
		lines[i] = strings.TrimPrefix(lines[i], "  ")
	}
	return strings.Join(lines, "")
}
