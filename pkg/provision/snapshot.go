package provision

import (
	"context"
	"errors"
	"net/http"

	"github.com/endsys/pocketid-oidc/pkg/api/v1alpha1"
	"github.com/endsys/pocketid-oidc/pkg/pocketid"
)

// snapshot is the client listing of a run: one page of up to 100 clients replaces as many
// GETs. A listed client carries every field a GET does (managed fields, isGroupRestricted,
// secrets) except its allowed groups, of which it gives only the count; the groups are proven
// from the other side: GET of a group names every client it is allowed on. A client whose
// groups are all desired groups, and whose count says there is no other, has exactly those.
//
// The snapshot only ever proves a client unchanged. A client it does not hold, or holds out of
// step with its document, is read alone (GET) before anything is written, so every write
// still starts from a fresh read.
type snapshot struct {
	clients map[string]*pocketid.OIDCClient
	// members maps a group id to the set of client ids it is allowed on (loaded per group,
	// when a listed client needs it).
	members map[string]map[string]bool
	// complete: every page was read, so a client the listing lacks did not exist when it was
	// read.
	complete bool
}

// loadSnapshot lists clients when the run has enough present documents for the listing to
// cost less than reading them one by one: at least two, and no more pages than documents.
// A run of one client (the per-integration CronJob) reads it alone. A listing that fails leaves
// the snapshot empty: every client is then read alone, and its own failure says why.
func (r *reconciler) loadSnapshot(ctx context.Context, docs []Document) {
	r.snap = &snapshot{clients: map[string]*pocketid.OIDCClient{}, members: map[string]map[string]bool{}}
	present := 0
	for _, d := range docs {
		if d.Client.Spec.State != v1alpha1.StateAbsent {
			present++
		}
	}
	if present < 2 {
		return
	}
	for page := 1; ; page++ {
		list, p, err := r.api.ListClientsPage(ctx, "", page)
		if err != nil {
			r.log.Warn("listing clients failed; reading each client alone", "error", err.Error())
			return
		}
		for i := range list {
			r.snap.clients[list[i].ID] = &list[i]
		}
		if page >= p.TotalPages || len(list) == 0 {
			r.snap.complete = true
			return
		}
		if p.TotalPages > present {
			return
		}
	}
}

// current is the client as the run needs it: proven unchanged by the snapshot, or read alone.
// A client a complete listing lacks is not found without asking: the create that follows
// handles one made meanwhile (409) like any concurrent create.
func (c *clientRun) current(ctx context.Context, want desired, groups []group) (*pocketid.OIDCClient, error) {
	if cur := c.listed(ctx, want, groups); cur != nil {
		return cur, nil
	}
	if s := c.r.snap; s != nil && s.complete && s.clients[c.spec.ID] == nil {
		return nil, errNotListed
	}
	return c.alone(ctx)
}

// decides reports whether the snapshot answers for client id without a GET: it holds the
// client, or it is complete and so its lack means "not found".
func (s *snapshot) decides(id string) bool {
	return s != nil && (s.clients[id] != nil || s.complete)
}

// errNotListed is the not-found of a client a complete listing lacks.
var errNotListed = &pocketid.APIError{StatusCode: http.StatusNotFound, Code: "not_found", Message: "OIDC client not in the listing"}

// listed returns the client as the snapshot proves it, its allowed groups filled in, when it
// matches the document; nil when it must be read alone.
func (c *clientRun) listed(ctx context.Context, want desired, groups []group) *pocketid.OIDCClient {
	snap := c.r.snap
	if snap == nil {
		return nil
	}
	l := snap.clients[c.spec.ID]
	if l == nil {
		return nil
	}
	cur := *l
	cur.AllowedUserGroups = nil
	if cur.AllowedUserGroupsCount > 0 {
		for _, g := range groups {
			m, err := c.r.groupMembers(ctx, g.ID)
			if err != nil {
				return nil
			}
			if m[cur.ID] {
				cur.AllowedUserGroups = append(cur.AllowedUserGroups, pocketid.UserGroup{ID: g.ID, Name: g.Name})
			}
		}
		if len(cur.AllowedUserGroups) != cur.AllowedUserGroupsCount {
			return nil // allowed on a group the document does not name
		}
	}
	restricted := len(groups) > 0
	if restricted && !sameSet(cur.AllowedGroupIDs(), groupIDList(groups)) || len(want.diff(&cur, restricted)) > 0 {
		return nil
	}
	return &cur
}

// groupMembers is the set of clients group id is allowed on, read once per run.
func (r *reconciler) groupMembers(ctx context.Context, id string) (map[string]bool, error) {
	if m, ok := r.snap.members[id]; ok {
		return m, nil
	}
	if id == "" {
		return nil, errPlanned
	}
	g, err := r.api.GetUserGroup(ctx, id)
	if err != nil {
		return nil, err
	}
	m := make(map[string]bool, len(g.AllowedOidcClients))
	for _, c := range g.AllowedOidcClients {
		m[c.ID] = true
	}
	r.snap.members[id] = m
	return m, nil
}

// errPlanned: a group plan mode would create has no id to read.
var errPlanned = errors.New("group planned, not created")
