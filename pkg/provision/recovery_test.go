package provision

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/endsys/pocketid-oidc/pkg/pocketid/pocketidtest"
)

// lineWith returns the last JSON log line whose msg is msg.
func lineWith(t *testing.T, out, msg string) map[string]any {
	t.Helper()
	var found map[string]any
	for _, l := range jsonLines(t, out) {
		if l["msg"] == msg {
			found = l
		}
	}
	return found
}

// TestGroupCreatedAfterFailedRun: the first run finds no group "family". It writes nothing,
// names the cause in a structured line and exits 1 (a person must act). Once the group exists
// the next run converges and its summary says so.
func TestGroupCreatedAfterFailedRun(t *testing.T) {
	e := newCmdEnv(t, pocketidtest.Options{})
	e.secretFile("immich", secretA)
	dir := e.clientsDir(map[string]string{"immich": immichYAML})

	code, out, _ := e.main("-f", dir)
	if code != ExitFailed {
		t.Fatalf("exit %d, want %d\n%s", code, ExitFailed, out)
	}
	failed := lineWith(t, out, "client failed")
	if failed == nil || failed["cause"] != "group_missing" || failed["retryable"] != false ||
		!strings.Contains(str(failed["error"]), `spec.allowedGroups[0]: Not found: group "family" does not exist`) {
		t.Errorf("failure line %v", failed)
	}
	summary := lineWith(t, out, "summary")
	if summary["status"] != "failed" || summary["causes"] != "group_missing" || summary["level"] != "ERROR" {
		t.Errorf("summary %v", summary)
	}
	if w := e.srv.Writes(); w != 0 {
		t.Errorf("%d writes before the group existed", w)
	}

	e.srv.AddGroup("family")
	code, out, _ = e.main("-f", dir)
	if code != ExitOK {
		t.Fatalf("after the group was created: exit %d\n%s", code, out)
	}
	if s := lineWith(t, out, "summary"); s["status"] != "converged" || s["created"] != 1.0 {
		t.Errorf("summary %v", s)
	}
	e.assertSecret("immich", secretA)
	e.assertNoop(e.docs(immichYAML))
}

// TestSecretRotatedInTheStore: ESO writes a new value into the mounted Secret; the next run
// (Job or CronJob) registers it, keeps the old one for the overlap, and a run after that
// changes nothing. What counts is the app's view, asked at the token endpoint as the app asks
// it: the new value is accepted right after the run, the old one until the overlap passed.
// The new value may share its first 4 characters (all Pocket ID lists) with the old one.
func TestSecretRotatedInTheStore(t *testing.T) {
	for _, tc := range []struct{ name, old, new string }{
		{"another prefix", secretA, secretB},
		{"the same prefix", appOld, appNew},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newCmdEnv(t, pocketidtest.Options{})
			e.srv.AddGroup("family")
			e.secretFile("immich", tc.old)
			dir := e.clientsDir(map[string]string{"immich": immichYAML})
			if code, out, _ := e.main("-f", dir); code != ExitOK {
				t.Fatalf("exit %d\n%s", code, out)
			}
			e.clock.Advance(72 * time.Hour)
			e.secretFile("immich", tc.new)
			if got := appLogin(t, e.srv, "immich", tc.new); got != http.StatusUnauthorized {
				t.Fatalf("before the run the new value is answered %d", got)
			}
			code, out, _ := e.main("-f", dir)
			if code != ExitOK || lineWith(t, out, "client done")["outcome"] != "updated" || lineWith(t, out, "rotation overlap running") == nil {
				t.Fatalf("rotation run: exit %d\n%s", code, out)
			}
			if got := appLogin(t, e.srv, "immich", tc.new); got != http.StatusOK {
				t.Errorf("after the run the new value is answered %d, want 200", got)
			}
			if got := appLogin(t, e.srv, "immich", tc.old); got != http.StatusOK {
				t.Errorf("during the overlap the old value is answered %d, want 200", got)
			}
			e.assertSecret("immich", tc.new)
			e.assertNoop(e.docs(immichYAML))

			e.clock.Advance(DefaultRotationOverlap)
			if code, out, _ := e.main("-f", dir); code != ExitOK {
				t.Fatalf("after the overlap: exit %d\n%s", code, out)
			}
			if got := appLogin(t, e.srv, "immich", tc.old); got != http.StatusUnauthorized {
				t.Errorf("after the overlap the old value is answered %d, want 401", got)
			}
			if got := appLogin(t, e.srv, "immich", tc.new); got != http.StatusOK {
				t.Errorf("after the overlap the new value is answered %d, want 200", got)
			}
			if n := len(e.client("immich").Secrets); n != 1 {
				t.Errorf("%d secrets after the overlap, want 1", n)
			}
			e.assertNoop(e.docs(immichYAML))
		})
	}
}

// appLogin is what the app does with its secret: a client_credentials grant at the token
// endpoint (client_secret_post, as many apps send it). It returns the status.
func appLogin(t *testing.T, srv *pocketidtest.Server, id, secret string) int {
	t.Helper()
	resp, err := http.PostForm(srv.URL+"/api/oidc/token", url.Values{
		"grant_type": {"client_credentials"}, "client_id": {id}, "client_secret": {secret},
	})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// TestTimeoutNeedsAUnit: "--timeout 5" says what is wrong, not "parse error".
func TestTimeoutNeedsAUnit(t *testing.T) {
	e := newCmdEnv(t, pocketidtest.Options{})
	for arg, want := range map[string]string{
		"5":    `"5" has no unit: write 5s for seconds or 5m for minutes`,
		"1.5":  `"1.5" has no unit: write 1.5s for seconds or 1.5m for minutes`,
		"soon": `"soon" is not a duration: write e.g. 90s, 5m or 1h`,
	} {
		code, _, stderr := e.main("-f", "x", "--timeout", arg)
		if code != ExitUsage || !strings.Contains(stderr, want) || strings.Contains(stderr, "parse error") {
			t.Errorf("--timeout %s: exit %d, stderr %s", arg, code, stderr)
		}
	}
}

// TestShortSecretIsNotPrinted: a secret too short for Pocket ID fails the client with the file
// and the length named, and no part of the value (its prefix is half of it) in any output; the
// scan at the end of every test checks the value and its prefix.
func TestShortSecretIsNotPrinted(t *testing.T) {
	e := newCmdEnv(t, pocketidtest.Options{})
	e.srv.AddGroup("family")
	e.secretFile("immich", "Tq9z-pw")
	dir := e.clientsDir(map[string]string{"immich": immichYAML})
	code, out, _ := e.main("-f", dir)
	failed := lineWith(t, out, "client failed")
	if code != ExitFailed || failed["cause"] != "secret_file" || !strings.Contains(str(failed["error"]), "has 7 characters; Pocket ID needs at least 16") {
		t.Errorf("exit %d, line %v", code, failed)
	}
	if w := e.srv.Writes(); w != 0 {
		t.Errorf("%d writes", w)
	}
}
