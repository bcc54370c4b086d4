package provision

import (
	"strings"
	"testing"

	"github.com/endsys/pocketid-oidc/pkg/pocketid/pocketidtest"
)

func TestMissingGroup(t *testing.T) {
	const yaml = `
apiVersion: oidc.endsys.cloud/v1alpha1
kind: OIDCClient
spec:
  id: immich
  callbackURLs: [https://photos.example.com/auth/login]
  allowedGroups: [family, admins]
  createMissingGroups: CREATE
  secret: {file: $DIR/immich}
`
	for _, tc := range []struct {
		name       string
		create     bool
		existing   []string
		wantErr    string
		wantGroups []string
	}{
		{name: "fails loudly", existing: []string{"family"}, wantErr: `spec.allowedGroups[1]: Not found: group "admins" does not exist`},
		{name: "all missing", wantErr: `spec.allowedGroups[0]: Not found: group "family" does not exist`},
		{name: "created when asked", create: true, existing: []string{"family"}, wantGroups: []string{"admins", "family"}},
		{name: "all created", create: true, wantGroups: []string{"admins", "family"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newTestEnv(t, pocketidtest.Options{})
			for _, g := range tc.existing {
				e.srv.AddGroup(g)
			}
			e.secretFile("immich", secretA)
			y := strings.Replace(yaml, "CREATE", map[bool]string{true: "true", false: "false"}[tc.create], 1)
			docs := e.docs(y)
			res := e.run(docs, false)
			cr := res.Clients[0]
			if tc.wantErr != "" {
				if cr.Outcome != Failed || cr.Err == nil || !strings.Contains(cr.Err.Error(), tc.wantErr) {
					t.Fatalf("outcome %s err %v, want failure %q", cr.Outcome, cr.Err, tc.wantErr)
				}
				// Nothing may be written: a client without its groups would lock users out.
				if w := e.srv.Writes(); w != 0 {
					t.Errorf("%d writes for a client that cannot be resolved: %v", w, e.srv.RequestLog())
				}
				if len(e.srv.ClientIDs()) != 0 {
					t.Errorf("clients %v created", e.srv.ClientIDs())
				}
				return
			}
			if cr.Err != nil {
				t.Fatal(cr.Err)
			}
			c := e.client("immich")
			if !equalLists(c.Groups, tc.wantGroups) || !c.IsGroupRestricted {
				t.Errorf("groups %v restricted=%v, want %v restricted", c.Groups, c.IsGroupRestricted, tc.wantGroups)
			}
			e.assertNoop(docs)
		})
	}
}

func TestGroupDeletedBetweenListAndSet(t *testing.T) {
	// Pocket ID drops unknown group ids silently; the provisioner must notice, not report success.
	e := newTestEnv(t, pocketidtest.Options{})
	e.srv.AddGroup("family")
	e.secretFile("immich", secretA)
	docs := e.docs(immichYAML)
	// A run that lists groups, then sets them on a client the stale id no longer matches.
	r := &reconciler{api: e.api(), log: discardLogger(), now: e.clock.Now, readSecret: ReadSecretFile}
	r.groupsLoaded = true
	r.groupIDs = map[string]string{"family": "group-deleted-meanwhile"}
	cr := r.reconcile(t.Context(), docs[0])
	if cr.Outcome != Failed || !strings.Contains(cr.Err.Error(), "drops unknown ids") {
		t.Fatalf("outcome %s err %v, want a failure about dropped group ids", cr.Outcome, cr.Err)
	}
}

func TestUnrestrict(t *testing.T) {
	e := newTestEnv(t, pocketidtest.Options{})
	e.srv.AddGroup("family")
	e.secretFile("immich", secretA)
	e.mustConverge(e.docs(immichYAML))
	docs := e.docs(strings.Replace(immichYAML, "allowedGroups: [family]", "", 1))
	e.mustConverge(docs)
	c := e.client("immich")
	if c.IsGroupRestricted || len(c.Groups) != 0 {
		t.Errorf("restricted=%v groups=%v, want unrestricted", c.IsGroupRestricted, c.Groups)
	}
	e.assertNoop(docs)
}

// TestGroupChangeIsReadBack is the regression test for trusting the answer of PUT
// allowed-user-groups: Pocket ID answers the plain client there, without allowedUserGroups, so
// judging the kept ids from that answer failed every restricted client whose groups changed
// ("Pocket ID kept groups [] of [...]"). The groups must be read back with a GET.
func TestGroupChangeIsReadBack(t *testing.T) {
	e := newTestEnv(t, pocketidtest.Options{})
	e.srv.AddGroup("family")
	e.srv.AddGroup("admins")
	st := converged()
	st.Groups = []string{"admins"}
	e.srv.PutClient(st)
	e.secretFile("immich", secretA)
	docs := e.docs(immichYAML)
	res := e.mustConverge(docs)
	if res.Clients[0].Outcome != Updated {
		t.Errorf("outcome %s, want updated", res.Clients[0].Outcome)
	}
	if c := e.client("immich"); !equalLists(c.Groups, []string{"family"}) || !c.IsGroupRestricted {
		t.Errorf("groups %v restricted %v, want [family] restricted", c.Groups, c.IsGroupRestricted)
	}
	log := e.srv.RequestLog()
	for i, l := range log {
		if l == "PUT /api/oidc/clients/immich/allowed-user-groups" {
			if i+1 >= len(log) || log[i+1] != "GET /api/oidc/clients/immich" {
				t.Errorf("the group PUT is not followed by a GET of the client: %v", log)
			}
			break
		}
	}
	e.assertNoop(docs)
}
