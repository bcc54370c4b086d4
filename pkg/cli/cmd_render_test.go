package cli

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestRenderCommand runs the built binary (POCKETID_OIDC_BIN), because render executes the binary
// it runs in as the function of every build: the test binary cannot stand in for it.
func TestRenderCommand(t *testing.T) {
	bin := os.Getenv("POCKETID_OIDC_BIN")
	if bin == "" {
		t.Fatal("POCKETID_OIDC_BIN is not set: run `make test`, or `make build && export POCKETID_OIDC_BIN=$PWD/bin/pocketid-oidc`")
	}
	root := t.TempDir()
	for _, app := range []string{"good", "bad"} {
		dir := filepath.Join(root, "apps", app)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		for _, f := range []string{"kustomization.yaml", "helmrelease.yaml", "oidc.yaml", "pocket-id.yaml"} {
			b, err := os.ReadFile(filepath.Join("..", "..", "examples", "quickstart", f))
			if err != nil {
				t.Fatal(err)
			}
			if app == "bad" && f == "oidc.yaml" {
				b = bytes.Replace(b, []byte("https://immich.endsys.cloud/auth/login"), []byte("not a url"), 1)
			}
			if err := os.WriteFile(filepath.Join(dir, f), b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	render := func(args ...string) (stdout, stderr string, code int) {
		cmd := exec.Command(bin, append([]string{"render"}, args...)...)
		cmd.Dir = root
		var o, e bytes.Buffer
		cmd.Stdout, cmd.Stderr = &o, &e
		err := cmd.Run()
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		return o.String(), e.String(), code
	}

	// The function's own message names the directory, the object and the field.
	_, stderr, code := render("apps")
	if code != 1 {
		t.Errorf("exit code %d with a bad integration, want 1", code)
	}
	for _, want := range []string{
		`apps/bad: error: OIDCIntegration media/immich: spec.client.callbackURLs[0]: Invalid value: "not a url"`,
		"error: apps/bad: couldn't execute function: exit status 1\n",
		"1 of 2 kustomizations failed; nothing written",
	} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	if _, err := os.Stat(filepath.Join(root, "apps", "good", "rendered.yaml")); err == nil {
		t.Error("rendered.yaml written although another directory failed")
	}

	// Flags may follow the directory; --stdout prints the one render.
	stdout, stderr, code := render("apps/good", "--stdout")
	if code != 0 || !strings.Contains(stdout, "kind: ExternalSecret") {
		t.Errorf("render apps/good --stdout: exit %d\n%s\n%s", code, stdout, stderr)
	}
	if _, _, code := render("apps/good"); code != 0 {
		t.Errorf("render apps/good: exit %d", code)
	}
	if _, stderr, code := render("--check", "apps/good"); code != 0 {
		t.Errorf("render --check right after render: exit %d\n%s", code, stderr)
	}
	if _, _, code := render("--no-such-flag"); code != 2 {
		t.Errorf("unknown flag: exit %d, want 2", code)
	}
}
