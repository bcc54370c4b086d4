package provision

import (
	"testing"

	"github.com/endsys/pocketid-oidc/pkg/pocketid/pocketidtest"
)

func TestAbsent(t *testing.T) {
	const yaml = `
apiVersion: oidc.endsys.cloud/v1alpha1
kind: OIDCClient
spec: {id: immich, state: absent}
`
	for _, tc := range []struct {
		name    string
		exists  bool
		outcome Outcome
	}{
		{"deletes an existing client", true, Deleted},
		{"nothing to delete", false, Unchanged},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newTestEnv(t, pocketidtest.Options{})
			e.srv.PutClient(pocketidtest.ClientState{ID: "other", Name: "other"})
			if tc.exists {
				e.srv.PutClient(pocketidtest.ClientState{ID: "immich", Name: "Immich"})
				e.seedSecret("immich", secretA, e.clock.Now())
			}
			docs := e.docs(yaml)
			res := e.mustConverge(docs)
			if got := res.Clients[0].Outcome; got != tc.outcome {
				t.Errorf("outcome %s, want %s", got, tc.outcome)
			}
			if ids := e.srv.ClientIDs(); !equalLists(ids, []string{"other"}) {
				t.Errorf("clients %v, want only [other]", ids)
			}
			e.assertNoop(docs)
		})
	}
}
