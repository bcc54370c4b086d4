package provision

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"sort"

	"github.com/endsys/pocketid-oidc/pkg/api/v1alpha1"
	"github.com/endsys/pocketid-oidc/pkg/contract"
	"github.com/endsys/pocketid-oidc/pkg/pocketid"
)

// desired holds the managed fields, normalised the way Pocket ID stores them so a stored client
// compares equal to the document that made it.
type desired struct {
	Name               string
	CallbackURLs       []string
	LogoutCallbackURLs []string
	LaunchURL          string
	IsPublic           bool
	PkceEnabled        bool
}

func desiredOf(s v1alpha1.OIDCClientSpec) desired {
	name := s.Name
	if name == "" {
		// Pocket ID requires a name of at most 50 characters; ids may be 128.
		name = s.ID
		if r := []rune(name); len(r) > contract.MaxDisplayNameLength {
			name = string(r[:contract.MaxDisplayNameLength])
		}
	}
	return desired{
		Name:               name,
		CallbackURLs:       s.CallbackURLs,
		LogoutCallbackURLs: s.LogoutCallbackURLs,
		LaunchURL:          s.LaunchURL,
		IsPublic:           s.Public,
		// Pocket ID stores isPublic || pkceEnabled; asking for less would be drift forever.
		PkceEnabled: s.Public || s.PKCE,
	}
}

// apply writes the managed fields over in and leaves every other field as it is.
func (d desired) apply(in pocketid.ClientInput) pocketid.ClientInput {
	in.Name = d.Name
	in.CallbackURLs = slices.Clone(d.CallbackURLs)
	in.LogoutCallbackURLs = slices.Clone(d.LogoutCallbackURLs)
	in.LaunchURL = nil
	if d.LaunchURL != "" {
		v := d.LaunchURL
		in.LaunchURL = &v
	}
	in.IsPublic = d.IsPublic
	in.PkceEnabled = d.PkceEnabled
	return in
}

func show(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func showList(l []string) string {
	if l == nil {
		l = []string{}
	}
	return show(l)
}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// diff lists the managed fields that differ, in a fixed order.
func (d desired) diff(cur *pocketid.OIDCClient, restricted bool) []Change {
	var out []Change
	add := func(field, old, new string) {
		out = append(out, Change{Action: "update", Field: field, Old: old, New: new})
	}
	if cur.Name != d.Name {
		add("name", show(cur.Name), show(d.Name))
	}
	if !equalLists(cur.CallbackURLs, d.CallbackURLs) {
		add("callbackURLs", showList(cur.CallbackURLs), showList(d.CallbackURLs))
	}
	if !equalLists(cur.LogoutCallbackURLs, d.LogoutCallbackURLs) {
		add("logoutCallbackURLs", showList(cur.LogoutCallbackURLs), showList(d.LogoutCallbackURLs))
	}
	if deref(cur.LaunchURL) != d.LaunchURL {
		add("launchURL", show(deref(cur.LaunchURL)), show(d.LaunchURL))
	}
	if cur.IsPublic != d.IsPublic {
		add("isPublic", show(cur.IsPublic), show(d.IsPublic))
	}
	if cur.PkceEnabled != d.PkceEnabled {
		add("pkceEnabled", show(cur.PkceEnabled), show(d.PkceEnabled))
	}
	if cur.IsGroupRestricted != restricted {
		add("isGroupRestricted", show(cur.IsGroupRestricted), show(restricted))
	}
	return out
}

// equalLists compares in order: Pocket ID keeps the order it is given, and nil equals empty.
func equalLists(a, b []string) bool {
	return len(a) == len(b) && (len(a) == 0 || slices.Equal(a, b))
}

func (c *clientRun) planCreate(want desired, groups []group) {
	c.record(Change{Action: "create", Field: "client", New: c.spec.ID})
	empty := &pocketid.OIDCClient{}
	for _, ch := range want.diff(empty, len(groups) > 0) {
		ch.Action = "create"
		ch.Old = ""
		c.record(ch)
	}
	if len(groups) > 0 {
		c.record(Change{Action: "create", Field: "allowedGroups", New: show(groupNames(groups))})
	}
	if !c.spec.Public {
		c.record(Change{Action: "secret-add", Field: "secret", New: secretSource})
	}
}

// converge brings the managed fields and the allowed groups to the document, groups first:
// setting them on a client before restricting it never opens a window in which the client is
// restricted to nobody.
func (c *clientRun) converge(ctx context.Context, cur *pocketid.OIDCClient, want desired, groups []group) (bool, *pocketid.OIDCClient, error) {
	restricted := len(groups) > 0
	changed := false
	wantIDs := groupIDList(groups)
	if restricted && !sameSet(cur.AllowedGroupIDs(), wantIDs) {
		changed = true
		c.record(Change{Action: "groups", Field: "allowedGroups", Old: show(currentGroupNames(cur)), New: show(groupNames(groups))})
		if !c.r.plan {
			updated, err := c.r.api.SetAllowedUserGroups(ctx, cur.ID, wantIDs)
			if err != nil {
				return changed, cur, err
			}
			if !sameSet(updated.AllowedGroupIDs(), wantIDs) {
				return changed, cur, withCause(CauseGroupsDropped, fmt.Errorf("spec.allowedGroups: Pocket ID kept groups %s of %s (it drops unknown ids silently; was a group deleted meanwhile?)",
					show(currentGroupNames(updated)), show(groupNames(groups))))
			}
			cur = updated
		}
	}
	diffs := want.diff(cur, restricted)
	if len(diffs) > 0 {
		changed = true
		for _, d := range diffs {
			c.record(d)
		}
		if !c.r.plan {
			in := want.apply(cur.Input())
			in.IsGroupRestricted = restricted
			updated, err := c.r.api.UpdateClient(ctx, cur.ID, in)
			if err != nil {
				return changed, cur, err
			}
			cur = updated
		}
	}
	if !c.r.plan && cur.IsGroupRestricted && len(cur.AllowedUserGroups) == 0 {
		return changed, cur, fmt.Errorf("client %s is group-restricted with no allowed group: nobody could log in", cur.ID)
	}
	return changed, cur, nil
}

func sameSet(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	x, y := slices.Clone(a), slices.Clone(b)
	sort.Strings(x)
	sort.Strings(y)
	return slices.Equal(x, y)
}

func currentGroupNames(c *pocketid.OIDCClient) []string {
	names := make([]string, 0, len(c.AllowedUserGroups))
	for _, g := range c.AllowedUserGroups {
		names = append(names, g.Name)
	}
	sort.Strings(names)
	return names
}
