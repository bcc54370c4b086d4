package provision

import (
	"strings"
	"testing"

	"github.com/kptdev/krm-functions-sdk/go/fn"

	"github.com/endsys/pocketid-oidc/pkg/function"
	"github.com/endsys/pocketid-oidc/pkg/pocketid/pocketidtest"
)

const vaultwardenYAML = `
apiVersion: oidc.endsys.cloud/v1alpha1
kind: OIDCClient
spec:
  id: vaultwarden
  callbackURLs: [https://vault.example.com/identity/connect/oidc-signin]
  requirements: [emailsVerified]
  secret: {file: $DIR/vaultwarden}
`

// TestRequirements: an app that refuses email_verified=false needs Pocket ID's "emails
// verified" setting, which is off by default. The provisioner reads the setting with the API
// key: a warning naming field and fix, or with --strict a failure before any write.
func TestRequirements(t *testing.T) {
	for _, tc := range []struct {
		name     string
		verified string
		args     []string
		code     int
		warn     bool
		outcome  string
	}{
		{"setting off: warning", "false", nil, ExitOK, true, "created"},
		{"setting off and strict: failure", "false", []string{"--strict"}, ExitFailed, false, ""},
		{"setting on", "true", []string{"--strict"}, ExitOK, false, "created"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newCmdEnv(t, pocketidtest.Options{AppConfig: map[string]string{"emailsVerified": tc.verified}})
			e.secretFile("vaultwarden", secretA)
			dir := e.clientsDir(map[string]string{"vaultwarden": vaultwardenYAML})
			code, out, _ := e.main(append([]string{"-f", dir}, tc.args...)...)
			if code != tc.code {
				t.Fatalf("exit %d, want %d\n%s", code, tc.code, out)
			}
			warn := lineWith(t, out, "requirement not met")
			if (warn != nil) != tc.warn {
				t.Errorf("warning line %v, want one: %v", warn, tc.warn)
			}
			if warn != nil && (warn["field"] != "spec.requirements[0]" || !strings.Contains(str(warn["problem"]), `turn on "Emails verified"`)) {
				t.Errorf("warning line %v", warn)
			}
			summary := lineWith(t, out, "summary")
			if tc.warn && (summary["warnings"] != 1.0 || summary["level"] != "WARN") {
				t.Errorf("summary %v, want the warning counted", summary)
			}
			if tc.outcome != "" {
				if done := lineWith(t, out, "client done"); done["outcome"] != tc.outcome {
					t.Errorf("client done %v", done)
				}
				return
			}
			failed := lineWith(t, out, "client failed")
			if failed["cause"] != "requirement_unmet" || !strings.Contains(str(failed["error"]), "spec.requirements[0]") {
				t.Errorf("failure line %v", failed)
			}
			if w := e.srv.Writes(); w != 0 {
				t.Errorf("%d writes despite --strict", w)
			}
		})
	}
}

func TestRequirementsInThePlan(t *testing.T) {
	e := newCmdEnv(t, pocketidtest.Options{})
	e.secretFile("vaultwarden", secretA)
	dir := e.clientsDir(map[string]string{"vaultwarden": vaultwardenYAML})
	code, stdout, _ := e.main("--plan", "-f", dir)
	if code != ExitOK || !strings.Contains(stdout, "  ! warning: spec.requirements[0]: the app needs Pocket ID setting emailsVerified, which is \"false\"") {
		t.Errorf("exit %d, plan\n%s", code, stdout)
	}
}

// TestNoRequirementsNoRequest: a run without requirements does not read the configuration.
func TestNoRequirementsNoRequest(t *testing.T) {
	e := newTestEnv(t, pocketidtest.Options{})
	e.srv.AddGroup("family")
	e.secretFile("immich", secretA)
	e.mustConverge(e.docs(immichYAML))
	for _, r := range e.srv.RequestLog() {
		if strings.Contains(r, "application-configuration") {
			t.Errorf("request %s without any requirement", r)
		}
	}
}

func TestUnknownRequirementIsRefused(t *testing.T) {
	_, err := ParseDocuments([]byte(strings.Replace(vaultwardenYAML, "[emailsVerified]", "[emailVerified]", 1)), "v.yaml")
	if err == nil || !strings.Contains(err.Error(), `spec.requirements[0]: Unsupported value: "emailVerified"`) {
		t.Errorf("err %v", err)
	}
}

// TestRenderedRequirements: the document the function renders for the vaultwarden preset
// (exactly the ConfigMap's value; only the secret mount path moves to the test directory)
// carries the requirement, and against a Pocket ID whose emails are not marked verified the
// run's summary counts the warning, and --strict fails the client without a write.
func TestRenderedRequirements(t *testing.T) {
	doc := renderedDocument(t, "vaultwarden", `
apiVersion: oidc.endsys.cloud/v1alpha1
kind: OIDCIntegration
metadata: {name: vaultwarden, namespace: security}
spec:
  preset: vaultwarden
  url: https://vault.example.com
  helmRelease: {name: vaultwarden, strategy: none}
`)
	if !strings.Contains(doc, "requirements:\n  - emailsVerified\n") {
		t.Fatalf("the rendered document carries no requirement:\n%s", doc)
	}
	doc = strings.ReplaceAll(doc, "/etc/pocketid-oidc/secrets/vaultwarden-oidc/client-secret", "$DIR/vaultwarden")
	for _, strict := range []bool{false, true} {
		e := newCmdEnv(t, pocketidtest.Options{AppConfig: map[string]string{"emailsVerified": "false"}})
		e.secretFile("vaultwarden", secretA)
		args := []string{"--client-file", e.clientsDir(map[string]string{"vaultwarden": doc})}
		if strict {
			args = append(args, "--strict")
		}
		code, out, _ := e.main(args...)
		summary := lineWith(t, out, "summary")
		switch {
		case !strict && (code != ExitOK || summary["warnings"] != 1.0 || summary["created"] != 1.0):
			t.Errorf("exit %d, summary %v: want the client created and the warning counted", code, summary)
		case strict && (code != ExitFailed || summary["failed"] != 1.0 || e.srv.Writes() != 0):
			t.Errorf("--strict: exit %d, summary %v, %d writes: want the client failed before any write", code, summary, e.srv.Writes())
		}
	}
}

// renderedDocument runs the function over one integration and returns the OIDCClient document
// of its provisioning ConfigMap.
func renderedDocument(t *testing.T, clientID, integration string) string {
	t.Helper()
	rl := &fn.ResourceList{}
	cfg, err := fn.ParseKubeObject([]byte(`
apiVersion: oidc.endsys.cloud/v1alpha1
kind: PocketIDProvider
metadata: {name: pocket-id}
spec:
  issuer: https://auth.example.com
  secretStoreRef: {name: bitwarden}
  apiKey: {remoteKey: pocket-id-api-key}
`))
	if err != nil {
		t.Fatal(err)
	}
	rl.FunctionConfig = cfg
	in, err := fn.ParseKubeObject([]byte(integration))
	if err != nil {
		t.Fatal(err)
	}
	rl.Items = append(rl.Items, in)
	if ok, err := function.Process(rl); !ok || err != nil {
		t.Fatalf("render failed: %v %v", err, rl.Results)
	}
	for _, o := range rl.Items {
		if o.GetKind() == "ConfigMap" {
			if doc, found, _ := o.NestedString("data", clientID+".yaml"); found {
				return doc
			}
		}
	}
	t.Fatalf("no ConfigMap holds %s.yaml", clientID)
	return ""
}
