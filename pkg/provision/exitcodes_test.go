package provision

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/endsys/pocketid-oidc/pkg/contract"
	"github.com/endsys/pocketid-oidc/pkg/pocketid/pocketidtest"
)

// TestExitCodeContract holds one case per failure pkg/contract assigns an exit code to: the
// rendered Job's podFailurePolicy relies on 2 meaning "this pod can never succeed" and 3
// meaning "nothing to fix, run again". Every case runs in fake time with a one-minute
// --timeout, so a code that should be 1 or 2 cannot pass by waiting for the deadline.
func TestExitCodeContract(t *testing.T) {
	const good = "apiVersion: oidc.endsys.cloud/v1alpha1\nkind: OIDCClient\nspec: {id: cli, public: true}\n"
	with := func(field string) string { return strings.Replace(good, "public: true", field, 1) }
	goodDir := func(e *cmdEnv) []string { return []string{"-f", e.clientsDir(map[string]string{"cli": good})} }
	hook := func(f func(r *http.Request) pocketidtest.Fault) func(e *cmdEnv) {
		return func(e *cmdEnv) {
			e.srv.SetHook(func(_ int, r *http.Request) pocketidtest.Fault { return f(r) })
		}
	}
	for _, tc := range []struct {
		name    string
		version string
		args    func(e *cmdEnv) []string
		setup   func(e *cmdEnv)
		code    int
		output  string
	}{
		{name: "ok", args: goodDir, code: contract.ExitOK},
		{name: "help", args: func(*cmdEnv) []string { return []string{"--help"} }, code: contract.ExitOK, output: "Usage: pocketid-oidc provision"},

		// 2: the pod spec (args, env) or the documents its ConfigMap holds.
		{name: "no client file", args: func(*cmdEnv) []string { return nil }, code: contract.ExitUsage, output: "--client-file is required"},
		{name: "unknown flag", args: func(*cmdEnv) []string { return []string{"--nope"} }, code: contract.ExitUsage, output: "flag provided but not defined: -nope"},
		{name: "stray argument", args: func(*cmdEnv) []string { return []string{"-f", "x", "extra"} }, code: contract.ExitUsage, output: `unexpected argument "extra"`},
		{name: "bad log format", args: func(*cmdEnv) []string { return []string{"-f", "x", "--log-format", "xml"} }, code: contract.ExitUsage, output: "--log-format must be"},
		{name: "timeout without unit", args: func(*cmdEnv) []string { return []string{"-f", "x", "--timeout", "5"} }, code: contract.ExitUsage, output: "has no unit"},
		{name: "no URL", args: goodDir, setup: func(e *cmdEnv) { delete(e.env, EnvURL) }, code: contract.ExitUsage, output: "POCKETID_URL is not set"},
		{name: "URL not http", args: goodDir, setup: func(e *cmdEnv) { e.env[EnvURL] = "ftp://pocket-id" }, code: contract.ExitUsage, output: "want http(s)://host[:port]"},
		{name: "no key", args: goodDir, setup: func(e *cmdEnv) { delete(e.env, EnvAPIKeyFile) }, code: contract.ExitUsage, output: "set POCKETID_API_KEY or POCKETID_API_KEY_FILE"},
		{name: "both keys", args: goodDir, setup: func(e *cmdEnv) { e.env[EnvAPIKey] = "x" }, code: contract.ExitUsage, output: "not both"},
		{name: "client file missing", args: func(e *cmdEnv) []string { return []string{"-f", filepath.Join(e.dir, "nope")} }, code: contract.ExitUsage, output: "no such file"},
		{name: "unknown field", args: func(e *cmdEnv) []string {
			return []string{"-f", e.clientsDir(map[string]string{"cli": with("public: true, bogus: 1")})}
		}, code: contract.ExitUsage, output: `cli.yaml: unknown field \"spec.bogus\"`},
		{name: "local validation mirrors Pocket ID", args: func(e *cmdEnv) []string {
			return []string{"-f", e.clientsDir(map[string]string{"cli": with("public: true, launchURL: 'https://'")})}
		}, code: contract.ExitUsage, output: "spec.launchURL"},

		// 1: fixed outside the pod (Pocket ID, the store, a proxy); the next pod can succeed.
		{name: "key in env", args: goodDir, setup: func(e *cmdEnv) { delete(e.env, EnvAPIKeyFile); e.env[EnvAPIKey] = pocketidtest.DefaultAPIKey }, code: contract.ExitOK},
		{name: "wrong key", args: goodDir, setup: func(e *cmdEnv) { delete(e.env, EnvAPIKeyFile); e.env[EnvAPIKey] = "wrong-key-wrong-key" },
			code: contract.ExitFailed, output: `"code":"not_signed_in"`},
		{name: "empty API key file", args: goodDir, setup: func(e *cmdEnv) { must(t, os.WriteFile(e.env[EnvAPIKeyFile], []byte("\n"), 0o600)) },
			code: contract.ExitFailed, output: `"cause":"mounted_file"`},
		{name: "CA file without a certificate", args: goodDir, setup: func(e *cmdEnv) {
			ca := filepath.Join(e.dir, "ca.crt")
			must(t, os.WriteFile(ca, []byte("not PEM"), 0o644))
			e.env[EnvCAFile] = ca
		}, code: contract.ExitFailed, output: "CA file holds no PEM certificate"},
		{name: "missing group", args: func(e *cmdEnv) []string {
			return []string{"-f", e.clientsDir(map[string]string{"cli": with("public: true, allowedGroups: [nope]")})}
		}, code: contract.ExitFailed, output: `group \"nope\" does not exist`},
		{name: "missing secret file", args: func(e *cmdEnv) []string {
			return []string{"-f", e.clientsDir(map[string]string{"cli": with("secret: {file: /nonexistent}")})}
		}, code: contract.ExitFailed, output: "spec.secret.file: reading the client secret"},
		{name: "secret too short", args: func(e *cmdEnv) []string {
			e.secretFile("cli", "0123456789")
			return []string{"-f", e.clientsDir(map[string]string{"cli": with("secret: {file: $DIR/cli}")})}
		}, code: contract.ExitFailed, output: "Pocket ID needs at least 16"},
		{name: "server too old", version: "2.10.0", args: goodDir, code: contract.ExitFailed, output: "Pocket ID 2.10.0, too old"},
		{name: "requirement unmet with --strict", args: func(e *cmdEnv) []string {
			return []string{"--strict", "-f", e.clientsDir(map[string]string{"cli": with("public: true, requirements: [emailsVerified]")})}
		}, code: contract.ExitFailed, output: `"cause":"requirement_unmet"`},
		{name: "redirect", args: goodDir, setup: func(e *cmdEnv) {
			e.srv.SetRedirectTarget("http://127.0.0.1:9")
			e.srv.SetHook(func(int, *http.Request) pocketidtest.Fault { return pocketidtest.Redirect })
		}, code: contract.ExitFailed, output: `"cause":"pocket_id_redirect"`},
		{name: "transient and permanent failures together", args: func(e *cmdEnv) []string {
			return []string{"-f", e.clientsDir(map[string]string{
				"a": with("public: true, allowedGroups: [nope]"),
				"b": strings.Replace(good, "id: cli", "id: other", 1),
			})}
		}, setup: hook(func(r *http.Request) pocketidtest.Fault {
			if r.Method == http.MethodPost {
				return pocketidtest.Fail500
			}
			return pocketidtest.NoFault
		}), code: contract.ExitFailed, output: `"causes":"group_missing,pocket_id_unavailable"`},

		// 3: Pocket ID away until the deadline; nothing to fix.
		{name: "Pocket ID down", args: goodDir, setup: hook(func(*http.Request) pocketidtest.Fault { return pocketidtest.Drop }),
			code: contract.ExitTransient, output: `"msg":"pocket id unusable"`},
		{name: "500 on every write", args: goodDir, setup: hook(func(r *http.Request) pocketidtest.Fault {
			if r.Method == http.MethodPost {
				return pocketidtest.Fail500
			}
			return pocketidtest.NoFault
		}), code: contract.ExitTransient, output: `"causes":"pocket_id_unavailable","retryable":true`},
		{name: "429 until the deadline", args: goodDir, setup: hook(func(r *http.Request) pocketidtest.Fault {
			if r.URL.Path != "/healthz" {
				return pocketidtest.Throttle
			}
			return pocketidtest.NoFault
		}), code: contract.ExitTransient, output: `"retryable":true`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newCmdEnv(t, pocketidtest.Options{Version: tc.version})
			if tc.setup != nil {
				tc.setup(e)
			}
			code, out := e.mainFor(time.Minute, tc.args(e)...)
			if code != tc.code || !strings.Contains(out, tc.output) {
				t.Errorf("exit %d, want %d; output %q not in\n%s", code, tc.code, tc.output, out)
			}
			if tc.code == contract.ExitUsage && e.srv.Total() != 0 {
				t.Errorf("exit 2 after %d requests: nothing may be tried", e.srv.Total())
			}
		})
	}
}

// TestTerminatedWhileWaitingIsTransient: the kubelet's SIGTERM (activeDeadlineSeconds, a node
// drain) cancels the run while it waits for Pocket ID; the exit code says "run again", not
// "fix something".
func TestTerminatedWhileWaitingIsTransient(t *testing.T) {
	e := newCmdEnv(t, pocketidtest.Options{})
	e.srv.SetHook(func(int, *http.Request) pocketidtest.Fault { return pocketidtest.Drop })
	dir := e.clientsDir(map[string]string{"cli": "apiVersion: oidc.endsys.cloud/v1alpha1\nkind: OIDCClient\nspec: {id: cli, public: true}\n"})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var mu sync.Mutex
	waits := 0
	sleep := func(ctx context.Context, _ time.Duration) error {
		mu.Lock()
		defer mu.Unlock()
		if waits++; waits == 3 {
			cancel() // SIGTERM
		}
		return ctx.Err()
	}
	var out strings.Builder
	code := Main(ctx, []string{"-f", dir}, Env{Stdout: &out, Stderr: &out, Getenv: func(k string) string { return e.env[k] }, Sleep: sleep, Now: e.clock.Now})
	e.logs.Write([]byte(out.String()))
	if code != contract.ExitTransient || !strings.Contains(out.String(), `"retryable":true`) {
		t.Errorf("exit %d, want %d\n%s", code, contract.ExitTransient, out.String())
	}
}
