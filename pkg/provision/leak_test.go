package provision

import (
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/endsys/pocketid-oidc/pkg/pocketid/pocketidtest"
)

// canary is the alphabet of this file's secrets and API key: printable ASCII that Pocket ID
// accepts in a secret, and that no honest output of the provisioner (log lines in JSON and
// text, the plan, errors) ever contains. So the check needs no threshold: a single canary
// character in the output is a byte of a secret, or of the key, that leaked.
const canary = "~^|`"

// canaryValue spells n in base 4 over the canary alphabet, least significant digit first: the
// first 4 characters (Pocket ID's prefix) are n%256, the next the rest of n, then a pattern of
// the position fills length. Values of the same n%256 share their prefix, which makes prefix
// collisions as easy as choosing n. (Two n can spell the same value; the test checks that its
// values differ.)
func canaryValue(n, length int) string {
	b := make([]byte, length)
	for i := range b {
		if i < 4 || n > 0 {
			b[i] = canary[n%len(canary)]
			n /= len(canary)
		} else {
			b[i] = canary[(i*7+i/3)%len(canary)]
		}
	}
	return string(b)
}

// TestNoSecretBytesInAnyOutput runs the provisioner through every path that reports a
// secret (create, no-op, plan, a rotation to a value with the same prefix and its overlap, a
// secret too short, one with a character Pocket ID refuses, a proof that fails, a redirected
// registration, a lost answer, the secret cap), with the API key and every secret made of
// canary characters, in JSON and text logs, and fails on any canary character in the output.
func TestNoSecretBytesInAnyOutput(t *testing.T) {
	apiKey := canaryValue(1, 32)
	first := canaryValue(2, 24)
	// Same prefix as first (the same n%256), another value.
	rotated := canaryValue(2+2*256, 24)
	if first[:4] != rotated[:4] || first == rotated {
		t.Fatalf("canary values %q %q: want one prefix, two values", first, rotated)
	}
	seen := map[string]bool{}
	for _, n := range []int{1, 2, 2 + 2*256, 3, 4, 5000} {
		seen[canaryValue(n, 24)] = true
	}
	for i := range pocketidtest.MaxSecrets {
		seen[canaryValue(1000+i, 24)] = true
	}
	if len(seen) != 6+pocketidtest.MaxSecrets {
		t.Fatal("canary values repeat")
	}
	e := newCmdEnv(t, pocketidtest.Options{APIKey: apiKey})
	must(t, os.WriteFile(e.env[EnvAPIKeyFile], []byte(apiKey+"\n"), 0o600))
	e.remember(apiKey)
	e.srv.AddGroup("family")
	e.srv.SetRedirectTarget("http://127.0.0.1:9")
	e.secretFile("immich", first)
	dir := e.clientsDir(map[string]string{"immich": immichYAML})

	var out strings.Builder
	step := func(name string, wantCode int, args ...string) {
		t.Helper()
		code, o := e.mainFor(time.Minute, append([]string{"-f", dir}, args...)...)
		out.WriteString(o)
		if code != wantCode {
			t.Errorf("%s: exit %d, want %d\n%s", name, code, wantCode, o)
		}
	}
	hook := func(match func(r *http.Request) bool, f pocketidtest.Fault) {
		e.srv.SetHook(func(_ int, r *http.Request) pocketidtest.Fault {
			if match(r) {
				return f
			}
			return pocketidtest.NoFault
		})
	}
	isProof := func(r *http.Request) bool { return r.URL.Path == "/api/oidc/token" }
	isSecretPOST := func(r *http.Request) bool {
		return r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/secrets")
	}

	step("plan on an empty Pocket ID", ExitOK, "--plan")
	hook(isSecretPOST, pocketidtest.Redirect)
	step("secret registration redirected", ExitFailed)
	once := true
	e.srv.SetHook(func(_ int, r *http.Request) pocketidtest.Fault {
		if isSecretPOST(r) && once {
			once = false
			return pocketidtest.DropAfter
		}
		return pocketidtest.NoFault
	})
	step("answer to the registration lost", ExitOK, "--log-format", "text")
	e.srv.SetHook(nil)
	step("no-op", ExitOK)

	e.clock.Advance(72 * time.Hour)
	e.secretFile("immich", rotated)
	step("plan of the rotation", ExitOK, "--plan", "--log-format", "text")
	hook(isProof, pocketidtest.Fail500)
	step("proof fails", ExitRetry)
	e.srv.SetHook(nil)
	step("rotation to the same prefix", ExitOK)
	e.clock.Advance(time.Hour)
	step("overlap running", ExitOK, "--log-format", "text")
	e.clock.Advance(DefaultRotationOverlap)
	step("overlap passed: registered again", ExitOK)
	if !strings.Contains(out.String(), "only a new registration tells which is ours") {
		t.Error("the same-prefix re-registration did not happen: a path of this test is not covered")
	}

	for i := range pocketidtest.MaxSecrets {
		e.seedSecret("immich", canaryValue(1000+i, 20), e.clock.Now())
	}
	e.secretFile("immich", canaryValue(5000, 30))
	step("secret cap", ExitFailed)
	e.secretFile("immich", canaryValue(3, 7))
	step("secret too short", ExitFailed, "--log-format", "text")
	e.secretFile("immich", canaryValue(4, 20)+"\x01"+canaryValue(4, 3))
	step("character Pocket ID refuses", ExitFailed)

	text := out.String()
	for _, want := range []string{"has 7 characters", "refuses at byte 21", "too_many_secrets", "pointing to host 127.0.0.1:9", "proving the client secret"} {
		if !strings.Contains(text, want) {
			t.Errorf("no step reported %q: a path of this test is not covered", want)
		}
	}
	if i := strings.IndexAny(text, canary); i >= 0 {
		lo, hi := max(0, i-200), min(len(text), i+40)
		t.Errorf("a byte of a secret or of the API key is in the output: ...%s...", text[lo:hi])
	}
}
