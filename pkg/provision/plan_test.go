package provision

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/endsys/pocketid-oidc/pkg/pocketid/pocketidtest"
)

func TestPlan(t *testing.T) {
	e := newTestEnv(t, pocketidtest.Options{})
	e.srv.AddGroup("family")
	e.srv.AddGroup("admins")
	e.secretFile("immich", secretA)
	e.secretFile("paperless", secretB)

	// immich exists with drift and an old secret; paperless is new; old is to be deleted.
	st := converged()
	st.Name = "Photos"
	st.CallbackURLs = []string{"https://photos.example.com/auth/login"}
	st.Groups = []string{"admins"}
	e.srv.PutClient(st)
	e.seedSecret("immich", "zzzz-old-secret-value-9876543210", e.clock.Now().Add(-time.Hour))
	e.srv.PutClient(pocketidtest.ClientState{ID: "old", Name: "Old"})

	docs := e.docs(strings.Replace(immichYAML, "file: $DIR/immich", "file: $DIR/immich\n    rotationOverlap: 0s", 1) + `
---
apiVersion: oidc.endsys.cloud/v1alpha1
kind: OIDCClient
spec:
  id: paperless
  name: Paperless
  callbackURLs: [https://docs.example.com/accounts/oidc/pocket-id/login/callback/]
  allowedGroups: [staff]
  createMissingGroups: true
  secret: {file: $DIR/paperless}
---
apiVersion: oidc.endsys.cloud/v1alpha1
kind: OIDCClient
spec: {id: old, state: absent}
`)
	before, _ := e.srv.Client("immich")
	e.srv.ResetCounters()
	res := e.run(docs, true)
	if w := e.srv.Writes(); w != 0 {
		t.Fatalf("plan made %d writes: %v", w, e.srv.RequestLog())
	}
	after, _ := e.srv.Client("immich")
	if !equalState(before, after) || len(e.srv.ClientIDs()) != 2 {
		t.Fatal("plan changed state")
	}
	var out bytes.Buffer
	if err := WritePlan(&out, res); err != nil {
		t.Fatal(err)
	}
	want := `OIDCClient immich (test.yaml#1): update
  ~ allowedGroups: ["admins"] -> ["family"]
  ~ name: "Photos" -> "Immich"
  ~ callbackURLs: ["https://photos.example.com/auth/login"] -> ["https://photos.example.com/auth/login","app.immich:///oauth-callback"]
  + secret: add (the value of spec.secret.file)
  - secret: remove, id SECRET (created 2026-09-01T11:00:00Z)
OIDCClient paperless (test.yaml#2): create
  + group staff (created in Pocket ID)
  + name: "Paperless"
  + callbackURLs: ["https://docs.example.com/accounts/oidc/pocket-id/login/callback/"]
  + isGroupRestricted: true
  + allowedGroups: ["staff"]
  + secret: add (the value of spec.secret.file)
OIDCClient old (test.yaml#3): delete
  - client old
Plan: 1 to create, 1 to update, 1 to delete, 0 unchanged, 0 failed.
`
	want = strings.Replace(want, "SECRET", e.client("immich").Secrets[0].ID, 1)
	if out.String() != want {
		t.Errorf("plan\n%s\nwant\n%s", out.String(), want)
	}
	for _, v := range []string{secretA, secretB} {
		if strings.Contains(out.String()+e.logs.String(), v) {
			t.Error("a secret value appears in the plan or logs")
		}
	}
}
