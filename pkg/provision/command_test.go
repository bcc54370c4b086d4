package provision

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/endsys/pocketid-oidc/pkg/pocketid/pocketidtest"
)

// cmdEnv runs Main against a fake with the environment the rendered Job sets.
type cmdEnv struct {
	*testEnv
	env map[string]string
}

func newCmdEnv(t *testing.T, opts pocketidtest.Options) *cmdEnv {
	e := &cmdEnv{testEnv: newTestEnv(t, opts)}
	keyFile := filepath.Join(e.dir, "api-key")
	must(t, os.WriteFile(keyFile, []byte(pocketidtest.DefaultAPIKey+"\n"), 0o600))
	e.env = map[string]string{EnvURL: e.srv.URL, EnvAPIKeyFile: keyFile}
	return e
}

func (e *cmdEnv) main(args ...string) (code int, stdout, stderr string) {
	var out, errb bytes.Buffer
	code = Main(context.Background(), args, Env{
		Stdout: &out, Stderr: &errb, Getenv: func(k string) string { return e.env[k] },
		Sleep: noSleep, Now: e.clock.Now,
	})
	fmt.Fprintf(&e.logs, "%s\n%s\n", out.String(), errb.String())
	return code, out.String(), errb.String()
}

// clientsDir writes one <id>.yaml per document, as the ConfigMap does.
func (e *cmdEnv) clientsDir(docs map[string]string) string {
	dir := filepath.Join(e.dir, "clients")
	must(e.t, os.MkdirAll(dir, 0o755))
	for id, y := range docs {
		must(e.t, os.WriteFile(filepath.Join(dir, id+".yaml"), []byte(strings.ReplaceAll(y, "$DIR", e.dir)), 0o644))
	}
	return dir
}

func TestCommand(t *testing.T) {
	e := newCmdEnv(t, pocketidtest.Options{})
	e.srv.AddGroup("family")
	e.secretFile("immich", secretA)
	dir := e.clientsDir(map[string]string{"immich": immichYAML})

	code, stdout, stderr := e.main("--client-file", dir)
	if code != ExitOK {
		t.Fatalf("exit %d\nstdout %s\nstderr %s", code, stdout, stderr)
	}
	lines := jsonLines(t, stdout)
	var actions []string
	for _, l := range lines {
		if l["client"] == "immich" {
			actions = append(actions, l["msg"].(string)+":"+str(l["action"])+str(l["outcome"]))
		}
	}
	want := []string{"changed:create", "changed:groups", "changed:secret-add", "client done:created"}
	if !equalLists(actions, want) {
		t.Errorf("client log lines %v, want %v", actions, want)
	}
	last := lines[len(lines)-1]
	if last["msg"] != "summary" || last["created"] != 1.0 || last["failed"] != 0.0 {
		t.Errorf("last line %v, want the summary", last)
	}
	if strings.Contains(stdout+stderr, secretA) || strings.Contains(stdout+stderr, pocketidtest.DefaultAPIKey) {
		t.Error("a secret value or the API key appears in the output")
	}

	// The same run again with text logs and the short flag: no change.
	e.srv.ResetCounters()
	code, stdout, _ = e.main("-f", dir, "--log-format", "text")
	if code != ExitOK || e.srv.Writes() != 0 || !strings.Contains(stdout, "msg=summary plan=false status=converged created=0 updated=0 unchanged=1") {
		t.Errorf("second run: exit %d, %d writes, stdout %s", code, e.srv.Writes(), stdout)
	}
}

func str(v any) string {
	s, _ := v.(string)
	return s
}

func jsonLines(t *testing.T, s string) []map[string]any {
	t.Helper()
	var out []map[string]any
	sc := bufio.NewScanner(strings.NewReader(s))
	for sc.Scan() {
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("log line %q is not JSON: %v", sc.Text(), err)
		}
		out = append(out, m)
	}
	return out
}

func TestCommandPlan(t *testing.T) {
	e := newCmdEnv(t, pocketidtest.Options{})
	e.srv.AddGroup("family")
	e.secretFile("immich", secretA)
	dir := e.clientsDir(map[string]string{"immich": immichYAML})
	code, stdout, stderr := e.main("--plan", "-f", dir)
	if code != ExitOK || e.srv.Writes() != 0 {
		t.Fatalf("exit %d, %d writes, stderr %s", code, e.srv.Writes(), stderr)
	}
	if !strings.HasPrefix(stdout, "OIDCClient immich (") || !strings.Contains(stdout, "+ secret: add (the value of spec.secret.file)\n") ||
		!strings.HasSuffix(stdout, "Plan: 1 to create, 0 to update, 0 to delete, 0 unchanged, 0 failed.\n") {
		t.Errorf("plan output:\n%s", stdout)
	}
	// Logs go to stderr in plan mode, so stdout is only the plan.
	if !strings.Contains(stderr, `"msg":"plan"`) {
		t.Errorf("stderr %s, want plan log lines", stderr)
	}
}

func TestCommandErrorCarriesPocketIDDetails(t *testing.T) {
	// The provisioner's own checks mirror Pocket ID's; a rule only the server has (here: a
	// name that is fine locally but refused remotely is simulated by a 500 burst) must still
	// reach the log with code and request_id.
	e := newCmdEnv(t, pocketidtest.Options{})
	dir := e.clientsDir(map[string]string{"cli": "apiVersion: oidc.endsys.cloud/v1alpha1\nkind: OIDCClient\nspec: {id: cli, public: true}\n"})
	e.srv.SetHook(func(_ int, r *http.Request) pocketidtest.Fault {
		if r.Method == "POST" {
			return pocketidtest.Fail500
		}
		return pocketidtest.NoFault
	})
	code, stdout, _ := e.main("-f", dir)
	if code != ExitRetry {
		t.Fatalf("exit %d, want %d: a 500 that outlasts the retries is for a later run", code, ExitRetry)
	}
	var failed map[string]any
	retries := 0
	for _, l := range jsonLines(t, stdout) {
		switch l["msg"] {
		case "client failed":
			failed = l
		case "pocket id request failed, retrying":
			retries++
		}
	}
	if retries != 7 {
		t.Errorf("%d retry warnings, want 7 (8 attempts)", retries)
	}
	if failed == nil || failed["code"] != "internal_error" || str(failed["request_id"]) == "" || failed["status"] != 500.0 ||
		failed["cause"] != "pocket_id_unavailable" || failed["retryable"] != true {
		t.Errorf("failure line %v, want code, request_id and status", failed)
	}
}

func TestCommandTLS(t *testing.T) {
	e := newCmdEnv(t, pocketidtest.Options{TLS: true})
	dir := e.clientsDir(map[string]string{"cli": "apiVersion: oidc.endsys.cloud/v1alpha1\nkind: OIDCClient\nspec: {id: cli, public: true}\n"})
	// Without the CA the certificate is refused, at once (not retried until the deadline).
	if code, stdout, _ := e.main("-f", dir); code != ExitFailed || !strings.Contains(stdout, "certificate") {
		t.Errorf("without CA: exit %d, stdout %s", code, stdout)
	}
	ca := filepath.Join(e.dir, "ca.crt")
	must(t, os.WriteFile(ca, e.srv.CertificatePEM(), 0o644))
	if code, stdout, _ := e.main("-f", dir, "--ca-file", ca); code != ExitOK {
		t.Errorf("with --ca-file: exit %d, stdout %s", code, stdout)
	}
	e.env[EnvCAFile] = ca
	if code, stdout, _ := e.main("-f", dir); code != ExitOK {
		t.Errorf("with POCKETID_CA_FILE: exit %d, stdout %s", code, stdout)
	}
	notPEM := filepath.Join(e.dir, "bad.crt")
	must(t, os.WriteFile(notPEM, []byte("nope"), 0o644))
	// The CA's content comes from a Secret or ConfigMap the user fixes: the next pod reads it
	// again, so this is a failure to retry (1), not a pod spec that can never work (2).
	if code, stdout, _ := e.main("-f", dir, "--ca-file", notPEM); code != ExitFailed || lineWith(t, stdout, "unusable mounted file")["cause"] != "mounted_file" {
		t.Errorf("with a non-PEM CA: exit %d, want %d; stdout %s", code, ExitFailed, stdout)
	}
}
