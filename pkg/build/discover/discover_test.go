package discover_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/endsys/pocketid-oidc/pkg/build/discover"
)

const provider = `apiVersion: oidc.endsys.cloud/v1alpha1
kind: PocketIDProvider
metadata:
  name: pocket-id
  annotations:
    config.kubernetes.io/function: |
      exec:
        path: ../../bin/pocketid-oidc
`

const otherFunction = `apiVersion: example.com/v1
kind: Settings
metadata:
  name: other
  annotations:
    config.kubernetes.io/function: |
      exec:
        path: ./other
`

// writeTree writes files (slash paths) under a new temporary directory and returns it.
func writeTree(t *testing.T, files map[string]string) string {
	t.Helper()
	root := t.TempDir()
	for p, c := range files {
		path := filepath.Join(root, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(c), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

func TestRoots(t *testing.T) {
	root := writeTree(t, map[string]string{
		// A provider Component and one that only includes it.
		"components/pocket-id/kustomization.yaml": "kind: Component\napiVersion: kustomize.config.k8s.io/v1alpha1\ntransformers: [pocket-id.yaml]\n",
		"components/pocket-id/pocket-id.yaml":     provider,
		"components/wrapper/Kustomization":        "kind: Component\napiVersion: kustomize.config.k8s.io/v1alpha1\ncomponents: [../pocket-id]\n",
		// Apps: directly, through a component, through a component of a component.
		"apps/direct/kustomization.yaml":            "resources: [app.yaml]\ntransformers: [pocket-id.yaml]\n",
		"apps/direct/pocket-id.yaml":                provider,
		"apps/direct/app.yaml":                      "kind: ConfigMap\n",
		"apps/media/immich/kustomization.yml":       "namespace: media\ncomponents: [../../../components/pocket-id]\n",
		"apps/media/nested/kustomization.yaml":      "components: [../../../components/wrapper]\n",
		"apps/inline/kustomization.yaml":            "transformers:\n- |\n" + indent(provider, "  "),
		"apps/configdir/kustomization.yaml":         "transformers: [configs]\n",
		"apps/configdir/configs/kustomization.yaml": "resources: [pocket-id.yaml]\n",
		"apps/configdir/configs/pocket-id.yaml":     provider,
		"apps/generator/kustomization.yaml":         "generators: [pocket-id.yaml]\n",
		"apps/generator/pocket-id.yaml":             provider,
		// Not roots: another function, no function, only a base that uses it, a remote base.
		"apps/other/kustomization.yaml":    "transformers: [other.yaml]\n",
		"apps/other/other.yaml":            otherFunction,
		"apps/plain/kustomization.yaml":    "resources: [cm.yaml]\n",
		"apps/plain/cm.yaml":               "kind: ConfigMap\n",
		"clusters/home/kustomization.yaml": "resources: [../../apps/direct, https://example.com/x.git//base]\n",
		// Hidden directories are not searched; a stray provider file is not a kustomization.
		".github/kustomization.yaml": "transformers: [p.yaml]\n",
		".github/p.yaml":             provider,
		"stray/pocket-id.yaml":       provider,
	})
	got, err := discover.Roots(root)
	if err != nil {
		t.Fatal(err)
	}
	for i := range got {
		got[i] = filepath.ToSlash(strings.TrimPrefix(got[i], root+string(filepath.Separator)))
	}
	want := []string{
		"apps/configdir", "apps/direct", "apps/generator", "apps/inline", "apps/media/immich", "apps/media/nested",
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("Roots (-want +got):\n%s", d)
	}
}

func TestRootsOverlappingDirs(t *testing.T) {
	root := writeTree(t, map[string]string{
		"a/kustomization.yaml": "transformers: [p.yaml]\n",
		"a/p.yaml":             provider,
	})
	got, err := discover.Roots(root, filepath.Join(root, "a"), root+"/a/")
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{filepath.Join(root, "a")}; !cmp.Equal(want, got) {
		t.Errorf("Roots = %v, want %v (each root once)", got, want)
	}
}

func TestRootsErrors(t *testing.T) {
	for _, tc := range []struct {
		name  string
		files map[string]string
		dir   string
		want  []string // substrings of the error
	}{
		{
			name:  "unreadable kustomization",
			files: map[string]string{"app/kustomization.yaml": "resources: {not: a list}\n"},
			want:  []string{filepath.Join("app", "kustomization.yaml"), "invalid Kustomization"},
		},
		{
			name:  "missing transformer config",
			files: map[string]string{"app/kustomization.yaml": "resources: []\ntransformers: [ok.yaml, gone.yaml]\n", "app/ok.yaml": "kind: X\n"},
			want:  []string{filepath.Join("app", "kustomization.yaml") + ": transformers[1]", "gone.yaml"},
		},
		{
			name:  "missing component",
			files: map[string]string{"app/kustomization.yaml": "components: [../nowhere]\n"},
			want:  []string{filepath.Join("app", "kustomization.yaml") + ": components[0]", "nowhere"},
		},
		{
			name:  "not a directory",
			files: map[string]string{"file.yaml": "kind: X\n"},
			dir:   "file.yaml",
			want:  []string{"file.yaml: not a directory"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			root := writeTree(t, tc.files)
			_, err := discover.Roots(filepath.Join(root, tc.dir))
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
		})
	}
}

func indent(s, prefix string) string {
	return prefix + strings.ReplaceAll(strings.TrimSuffix(s, "\n"), "\n", "\n"+prefix) + "\n"
}
