package provision

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/endsys/pocketid-oidc/pkg/pocketid/pocketidtest"
)

// manyDocs writes n confidential clients restricted to family, each with its own secret.
func manyDocs(e *testEnv, n int) []Document {
	var sb strings.Builder
	for i := range n {
		id := fmt.Sprintf("app-%02d", i)
		e.secretFile(id, fmt.Sprintf("a%03d-snapshot-secret-value-0123456789", i))
		fmt.Fprintf(&sb, "---\napiVersion: oidc.endsys.cloud/v1alpha1\nkind: OIDCClient\nspec: {id: %s, callbackURLs: ['https://%s.example.com/cb'], allowedGroups: [family], secret: {file: $DIR/%s}}\n", id, id, id)
	}
	return e.docs(sb.String())
}

// TestNoopRunReadsTheListing: a run of several clients in sync proves each from the client
// listing and the group's member list; its only per-client request is the secret's proof.
func TestNoopRunReadsTheListing(t *testing.T) {
	e := newTestEnv(t, pocketidtest.Options{})
	e.srv.AddGroup("family")
	docs := manyDocs(e, 5)
	e.mustConverge(docs)
	e.srv.ResetCounters()
	e.assertNoop(docs)
	got := e.srv.RequestLog()
	want := []string{"GET /api/version/current", "GET /api/oidc/clients", "GET /api/user-groups"}
	if len(got) < 4 || !slices.Equal(got[:3], want) || !strings.HasPrefix(got[3], "GET /api/user-groups/") {
		t.Fatalf("requests %v, want %v and the group's member list first", got, want)
	}
	for _, r := range got[4:] {
		if r != "POST /api/oidc/token" {
			t.Errorf("per-client request %s: only the proof should be left", r)
		}
	}
	if n := e.srv.TokenRequests(); n != 5 {
		t.Errorf("%d proofs, want 5", n)
	}
}

// TestOneClientIsReadAlone: a run of one document (the per-integration CronJob) reads its
// client with a GET, which also names its groups: no client listing, no group listing. Its
// no-op is three requests: the version, the GET and the proof.
func TestOneClientIsReadAlone(t *testing.T) {
	e := newTestEnv(t, pocketidtest.Options{})
	e.srv.AddGroup("family")
	e.secretFile("immich", secretA)
	docs := e.docs(immichYAML)
	e.mustConverge(docs)
	e.assertNoop(docs)
	want := []string{"GET /api/version/current", "GET /api/oidc/clients/immich", "POST /api/oidc/token"}
	if got := e.srv.RequestLog(); !slices.Equal(got, want) {
		t.Errorf("no-op requests %v, want %v", got, want)
	}
	// A group the client lacks is looked up in the listing, and set.
	e.srv.AddGroup("admins")
	docs = e.docs(strings.Replace(immichYAML, "allowedGroups: [family]", "allowedGroups: [family, admins]", 1))
	e.mustConverge(docs)
	if c := e.client("immich"); !equalLists(c.Groups, []string{"admins", "family"}) {
		t.Errorf("groups %v", c.Groups)
	}
	e.assertNoop(docs)
}

// TestListingOfManyForeignClientsStops: Pocket ID holds 250 clients that are not ours; a run
// of 2 documents reads the first page only (3 pages cost more than 2 GETs) and the rest alone.
func TestListingOfManyForeignClientsStops(t *testing.T) {
	e := newTestEnv(t, pocketidtest.Options{})
	e.srv.AddGroup("family")
	for i := range 250 {
		e.srv.PutClient(pocketidtest.ClientState{ID: fmt.Sprintf("foreign-%03d", i), Name: fmt.Sprintf("Foreign %03d", i)})
	}
	docs := manyDocs(e, 2)
	e.mustConverge(docs)
	e.assertNoop(docs)
	pages := 0
	for _, r := range e.srv.RequestLog() {
		if r == "GET /api/oidc/clients" {
			pages++
		}
	}
	if pages != 1 {
		t.Errorf("%d pages listed, want 1: %v", pages, e.srv.RequestLog())
	}
}

// TestListingFailsEveryClientIsReadAlone: the listing keeps failing; the run warns once, reads
// each client alone, and converges.
func TestListingFailsEveryClientIsReadAlone(t *testing.T) {
	e := newTestEnv(t, pocketidtest.Options{})
	e.srv.AddGroup("family")
	docs := manyDocs(e, 3)
	e.mustConverge(docs)
	e.srv.SetHook(func(_ int, r *http.Request) pocketidtest.Fault {
		if r.Method == http.MethodGet && r.URL.Path == "/api/oidc/clients" {
			return pocketidtest.Fail500
		}
		return pocketidtest.NoFault
	})
	e.assertNoop(docs)
	if n := strings.Count(e.logs.String(), `"msg":"listing clients failed; reading each client alone"`); n != 1 {
		t.Errorf("%d warnings about the listing, want 1", n)
	}
	gets := 0
	for _, r := range e.srv.RequestLog() {
		if strings.HasPrefix(r, "GET /api/oidc/clients/app-") {
			gets++
		}
	}
	if gets != 3 {
		t.Errorf("%d clients read alone, want 3: %v", gets, e.srv.RequestLog())
	}
}
