package docs

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestKptRetireIntegration is docs/provision.md "Retiring an app" with the real kpt: in the
// rendered kpt example, delete Immich's integration (the whole file, which holds what was
// rendered for it too; or only the OIDCIntegration document), render again, and the
// HelmRelease is back to the package's own, byte for byte, nothing labelled for Immich is
// left, and Grafana's files are untouched.
func TestKptRetireIntegration(t *testing.T) {
	for name, remove := range map[string]func(t *testing.T, file string){
		"the integration's file": func(t *testing.T, file string) {
			if err := os.Remove(file); err != nil {
				t.Fatal(err)
			}
		},
		"only the OIDCIntegration document": func(t *testing.T, file string) {
			b, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			var kept []string
			for _, doc := range strings.Split(string(b), "\n---\n") {
				if !strings.Contains(doc, "\nkind: OIDCIntegration\n") {
					kept = append(kept, doc)
				}
			}
			if len(kept) == len(strings.Split(string(b), "\n---\n")) {
				t.Fatalf("no OIDCIntegration document in %s", file)
			}
			if err := os.WriteFile(file, []byte(strings.Join(kept, "\n---\n")), 0o644); err != nil {
				t.Fatal(err)
			}
		},
	} {
		t.Run(name, func(t *testing.T) {
			repo := kptRepo(t)
			pkg := filepath.Join(repo, "examples", "kpt", "rendered")
			remove(t, filepath.Join(pkg, "media", "immich-oidc.yaml"))
			out, err := kpt(t, repo, "fn", "render", "examples/kpt/rendered", "--allow-exec")
			if err != nil {
				t.Fatalf("kpt fn render: %v\n%s", err, out)
			}
			if !strings.Contains(out, "OIDCIntegration immich is not in the package any more") {
				t.Errorf("kpt's output lacks the warning naming what was taken back:\n%s", out)
			}
			got := readTree(t, pkg)
			original, err := os.ReadFile(filepath.Join(repoRoot(t), "examples", "kpt", "package", "media", "immich-helmrelease.yaml"))
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(string(original), got["media/immich-helmrelease.yaml"]); d != "" {
				t.Errorf("the HelmRelease is not back to the package's own (-package +rendered):\n%s", d)
			}
			for file, text := range got {
				if strings.Contains(text, "oidc.endsys.cloud/integration: immich") {
					t.Errorf("%s still holds objects of the removed integration", file)
				}
			}
			committed := readTree(t, filepath.Join(repoRoot(t), "examples", "kpt", "rendered"))
			for file, text := range committed {
				if strings.HasPrefix(file, "observability/") && got[file] != text {
					t.Errorf("%s of another integration changed", file)
				}
			}
		})
	}
}
