package provision

import (
	"fmt"
	"io"
	"strings"
)

// WritePlan writes res as a human-readable plan, one block per client, field by field
// (old -> new). Secrets appear only as add/remove, by Pocket ID's id: no part of a value.
func WritePlan(w io.Writer, res Result) error {
	var b strings.Builder
	verb := map[Outcome]string{Created: "create", Updated: "update", Deleted: "delete", Unchanged: "no changes", Failed: "FAILED"}
	for _, c := range res.Clients {
		fmt.Fprintf(&b, "OIDCClient %s (%s): %s\n", c.ID, c.Source, verb[c.Outcome])
		for _, ch := range c.Changes {
			switch ch.Action {
			case "create":
				if ch.Field == "client" {
					continue
				}
				fmt.Fprintf(&b, "  + %s: %s\n", ch.Field, ch.New)
			case "update", "groups":
				fmt.Fprintf(&b, "  ~ %s: %s -> %s\n", ch.Field, orNone(ch.Old), orNone(ch.New))
			case "group-create":
				fmt.Fprintf(&b, "  + group %s (created in Pocket ID)\n", ch.New)
			case "secret-add":
				fmt.Fprintf(&b, "  + secret: add (%s)%s\n", ch.New, noteSuffix(ch.Note))
			case "secret-remove":
				fmt.Fprintf(&b, "  - secret: remove, %s\n", ch.Old)
			case "delete":
				fmt.Fprintf(&b, "  - client %s\n", c.ID)
			}
		}
		for _, w := range c.Warnings {
			fmt.Fprintf(&b, "  ! warning: %s\n", w)
		}
		if c.Pending != "" {
			fmt.Fprintf(&b, "  (pending: %s)\n", c.Pending)
		}
		if c.Err != nil {
			fmt.Fprintf(&b, "  error: %v\n", c.Err)
		}
	}
	s := res.Summary
	fmt.Fprintf(&b, "Plan: %d to create, %d to update, %d to delete, %d unchanged, %d failed.\n",
		s.Created, s.Updated, s.Deleted, s.Unchanged, s.Failed)
	_, err := io.WriteString(w, b.String())
	return err
}

func noteSuffix(note string) string {
	if note == "" {
		return ""
	}
	return "; " + note
}
