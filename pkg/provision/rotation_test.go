package provision

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/endsys/pocketid-oidc/pkg/pocketid/pocketidtest"
)

const rotationYAML = `
apiVersion: oidc.endsys.cloud/v1alpha1
kind: OIDCClient
spec:
  id: immich
  callbackURLs: [https://photos.example.com/auth/login]
  secret:
    file: $DIR/immich
    EXTRA
`

func TestRotation(t *testing.T) {
	for _, tc := range []struct {
		name  string
		extra string
		// steps: advance the clock, run, then expect the old secret valid or not.
		steps []rotationStep
	}{
		{name: "default overlap 24h", steps: []rotationStep{
			{advance: 0, oldValid: true, pending: true},
			{advance: 23 * time.Hour, oldValid: true, pending: true},
			{advance: time.Hour, oldValid: false},
		}},
		{name: "overlap 1h", extra: "rotationOverlap: 1h", steps: []rotationStep{
			{advance: 0, oldValid: true, pending: true},
			{advance: 59 * time.Minute, oldValid: true, pending: true},
			{advance: time.Minute, oldValid: false},
		}},
		{name: "overlap 0 removes at once", extra: "rotationOverlap: 0s", steps: []rotationStep{
			{advance: 0, oldValid: false},
		}},
		{name: "retainOld keeps the old secret", extra: "retainOld: true", steps: []rotationStep{
			{advance: 0, oldValid: true},
			{advance: 48 * time.Hour, oldValid: true},
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newTestEnv(t, pocketidtest.Options{})
			e.secretFile("immich", secretA)
			docs := e.docs(strings.Replace(rotationYAML, "EXTRA", tc.extra, 1))
			e.mustConverge(docs)

			e.clock.Advance(72 * time.Hour)
			e.secretFile("immich", secretB)
			for i, st := range tc.steps {
				e.clock.Advance(st.advance)
				e.srv.ResetCounters()
				res := e.mustConverge(docs)
				if valid, _ := e.srv.HasSecret("immich", secretA); valid != st.oldValid {
					t.Errorf("step %d: old secret valid=%v, want %v", i, valid, st.oldValid)
				}
				e.assertSecret("immich", secretB)
				if got := res.Clients[0].Pending != ""; got != st.pending {
					t.Errorf("step %d: pending %q, want pending=%v", i, res.Clients[0].Pending, st.pending)
				}
				if i > 0 && st.oldValid && e.srv.Writes() != 0 {
					t.Errorf("step %d: %d writes while the overlap runs: %v", i, e.srv.Writes(), e.srv.RequestLog())
				}
			}
			if !tc.steps[len(tc.steps)-1].oldValid {
				if n := len(e.client("immich").Secrets); n != 1 {
					t.Errorf("%d secrets after the rotation, want 1", n)
				}
			}
			e.assertNoop(docs)
		})
	}
}

type rotationStep struct {
	advance  time.Duration
	oldValid bool
	pending  bool
}

func TestForeignSecretsAreRotatedOut(t *testing.T) {
	// A secret generated in the UI (unknown value, other prefix) goes like any older secret.
	e := newTestEnv(t, pocketidtest.Options{})
	e.srv.PutClient(pocketidtest.ClientState{ID: "immich", Name: "immich", CallbackURLs: []string{"https://photos.example.com/auth/login"}})
	e.seedSecret("immich", "zzzz-generated-in-the-ui-000000", e.clock.Now().Add(-time.Hour))
	e.secretFile("immich", secretA)
	docs := e.docs(strings.Replace(rotationYAML, "EXTRA", "rotationOverlap: 0s", 1))
	e.mustConverge(docs)
	c := e.client("immich")
	if len(c.Secrets) != 1 || c.Secrets[0].Prefix != "aaaa" {
		t.Errorf("secrets %+v, want only ours", c.Secrets)
	}
}

func TestPrefixCollisionIsProven(t *testing.T) {
	// Another secret shares our prefix: only a token request can tell whether ours is there.
	e := newTestEnv(t, pocketidtest.Options{})
	e.srv.PutClient(pocketidtest.ClientState{ID: "immich", Name: "immich", CallbackURLs: []string{"https://photos.example.com/auth/login"}})
	e.seedSecret("immich", "aaaa-but-another-value-000000", e.clock.Now().Add(-2*time.Hour))
	e.seedSecret("immich", "aaaa-and-yet-another-value-0000", e.clock.Now().Add(-time.Hour))
	e.secretFile("immich", secretA)
	docs := e.docs(strings.Replace(rotationYAML, "EXTRA", "rotationOverlap: 0s", 1))
	e.mustConverge(docs)
	if e.srv.TokenRequests() == 0 {
		t.Error("no token request proved the ambiguous prefix")
	}
	e.assertSecret("immich", secretA)
	c := e.client("immich")
	if len(c.Secrets) != 1 {
		t.Errorf("secrets %+v, want only ours", c.Secrets)
	}
	e.assertNoop(docs)
}

func TestSecretCap(t *testing.T) {
	// 20 foreign secrets: Pocket ID refuses a 21st. The run must fail clearly, not loop.
	e := newTestEnv(t, pocketidtest.Options{})
	e.srv.PutClient(pocketidtest.ClientState{ID: "immich", Name: "immich", CallbackURLs: []string{"https://photos.example.com/auth/login"}})
	for i := range pocketidtest.MaxSecrets {
		e.seedSecret("immich", fmt.Sprintf("z%03d-foreign-secret-value", i), e.clock.Now())
	}
	e.secretFile("immich", secretA)
	res := e.run(e.docs(strings.Replace(rotationYAML, "EXTRA", "", 1)), false)
	if err := res.Clients[0].Err; err == nil || !strings.Contains(err.Error(), "too_many_secrets") || !strings.Contains(err.Error(), "spec.secret.file") {
		t.Errorf("err %v, want the cap named", err)
	}
}
