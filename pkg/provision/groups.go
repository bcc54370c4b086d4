package provision

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/endsys/pocketid-oidc/pkg/pocketid"
)

// group is a resolved allowed group. ID is empty for a group plan mode would create.
type group struct {
	Name, ID string
}

func groupNames(gs []group) []string {
	out := make([]string, 0, len(gs))
	for _, g := range gs {
		out = append(out, g.Name)
	}
	sort.Strings(out)
	return out
}

func groupIDList(gs []group) []string {
	out := make([]string, 0, len(gs))
	for _, g := range gs {
		out = append(out, g.ID)
	}
	return out
}

// loadGroups lists the groups once per run: one read covers every client.
func (r *reconciler) loadGroups(ctx context.Context, force bool) error {
	if r.groupsLoaded && !force {
		return nil
	}
	list, err := r.api.ListUserGroups(ctx, "")
	if err != nil {
		return fmt.Errorf("listing user groups: %w", err)
	}
	r.groupIDs = make(map[string]string, len(list))
	for _, g := range list {
		r.groupIDs[g.Name] = g.ID
	}
	r.groupsLoaded = true
	return nil
}

// resolveGroups maps spec.allowedGroups names to ids. A missing name fails the client, because
// Pocket ID would drop the unknown id without a word and lock its members out, unless the
// document lets us create the group.
//
// known are groups a GET of the client answered: when they name every allowed group (the
// client is as it should be), their ids are Pocket ID's and no listing is needed.
func (c *clientRun) resolveGroups(ctx context.Context, known []pocketid.UserGroup) ([]group, error) {
	if len(c.spec.AllowedGroups) == 0 {
		return nil, nil
	}
	if out, ok := fromKnown(c.spec.AllowedGroups, known); ok && !c.r.groupsLoaded {
		return out, nil
	}
	if err := c.r.loadGroups(ctx, false); err != nil {
		return nil, err
	}
	var out []group
	var missing []string
	for i, name := range c.spec.AllowedGroups {
		if id, ok := c.r.groupIDs[name]; ok {
			out = append(out, group{Name: name, ID: id})
			continue
		}
		if !c.spec.CreateMissingGroups {
			missing = append(missing, fmt.Sprintf("spec.allowedGroups[%d]: Not found: group %q does not exist in Pocket ID", i, name))
			continue
		}
		g, err := c.createGroup(ctx, name)
		if err != nil {
			return nil, fmt.Errorf("spec.allowedGroups[%d]: creating group %q: %w", i, name, err)
		}
		out = append(out, g)
	}
	if len(missing) > 0 {
		return nil, withCause(CauseGroupMissing, fmt.Errorf("%s (create the group in Pocket ID, or set createMissingGroups)", strings.Join(missing, "; ")))
	}
	return out, nil
}

// fromKnown resolves every name among known, or reports false.
func fromKnown(names []string, known []pocketid.UserGroup) ([]group, bool) {
	ids := make(map[string]string, len(known))
	for _, g := range known {
		ids[g.Name] = g.ID
	}
	out := make([]group, 0, len(names))
	for _, n := range names {
		id, ok := ids[n]
		if !ok {
			return nil, false
		}
		out = append(out, group{Name: n, ID: id})
	}
	return out, true
}

func (c *clientRun) createGroup(ctx context.Context, name string) (group, error) {
	c.record(Change{Action: "group-create", Field: "group", New: name})
	if c.r.plan {
		// Planned once: later clients of this run see it as if it existed (without an id).
		c.r.groupIDs[name] = ""
		return group{Name: name}, nil
	}
	friendly := name
	if r := []rune(friendly); len(r) > 50 {
		friendly = string(r[:50])
	}
	g, err := c.r.api.CreateUserGroup(ctx, name, friendly)
	if pocketid.HasCode(err, pocketid.CodeAlreadyInUse) {
		// Created meanwhile (a concurrent run): take the existing one.
		if err := c.r.loadGroups(ctx, true); err != nil {
			return group{}, err
		}
		if id, ok := c.r.groupIDs[name]; ok {
			return group{Name: name, ID: id}, nil
		}
	}
	if err != nil {
		return group{}, err
	}
	c.r.groupIDs[name] = g.ID
	return group{Name: name, ID: g.ID}, nil
}
