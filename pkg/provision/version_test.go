package provision

import (
	"strings"
	"testing"
	"time"

	"github.com/endsys/pocketid-oidc/pkg/pocketid/pocketidtest"
)

func TestSingularSecretRoute(t *testing.T) {
	for _, version := range []string{"2.13.2", "2.12.0"} {
		t.Run(version, func(t *testing.T) {
			e := newTestEnv(t, pocketidtest.Options{Version: version})
			e.srv.AddGroup("family")
			e.secretFile("immich", secretA)
			docs := e.docs(immichYAML)
			e.mustConverge(docs)
			e.assertSecret("immich", secretA)
			for _, r := range e.srv.RequestLog() {
				if strings.Contains(r, "/secrets") {
					t.Errorf("plural route used on %s: %s", version, r)
				}
			}
			e.assertNoop(docs)

			// Rotation replaces the single secret at once.
			e.clock.Advance(time.Hour)
			e.secretFile("immich", secretB)
			e.mustConverge(docs)
			e.assertSecret("immich", secretB)
			if valid, _ := e.srv.HasSecret("immich", secretA); valid {
				t.Error("the old secret is still valid")
			}
			e.assertNoop(docs)

			// A duplicate id (concurrent create) is a 400 before 2.13, a 409 after: both recover.
			e.srv.PutClient(pocketidtest.ClientState{ID: "race", Name: "race"})
			e.secretFile("race", secretB)
			r := &reconciler{api: e.api(), log: discardLogger(), now: e.clock.Now, readSecret: ReadSecretFile}
			r.api.SetVersion(mustVersion(t, version))
			run := &clientRun{r: r, spec: e.docs(strings.NewReplacer("id: immich", "id: race", "$DIR/immich", "$DIR/race").Replace(immichYAML))[0].Client.Spec}
			got, created, err := run.create(t.Context(), desiredOf(run.spec), nil)
			if err != nil || got == nil || got.ID != "race" || created {
				t.Errorf("create of an existing id: %v, %v, %v; want the existing client, not created by us", got, created, err)
			}
		})
	}
}

func TestVersionTooOld(t *testing.T) {
	e := newTestEnv(t, pocketidtest.Options{Version: "2.11.1"})
	e.secretFile("immich", secretA)
	_, err := e.tryRun(e.docs(immichYAML), false)
	if err == nil || !strings.Contains(err.Error(), "Pocket ID 2.11.1, too old: pocketid-oidc needs 2.12.0 or later") {
		t.Fatalf("err %v, want a clear too-old error", err)
	}
	if w := e.srv.Writes(); w != 0 {
		t.Errorf("%d writes against a too old server", w)
	}
}
