package provision

import (
	"fmt"

	"github.com/endsys/pocketid-oidc/pkg/pocketid"
)

// Outcome is what happened to one client.
type Outcome string

const (
	Created   Outcome = "created"
	Updated   Outcome = "updated"
	Unchanged Outcome = "unchanged"
	Deleted   Outcome = "deleted"
	Failed    Outcome = "failed"
)

// Change is one difference between Pocket ID and the document, made or (in plan mode) to make.
// Old and New are display strings. Secrets appear by Pocket ID's id and creation time only:
// not even their 4-character prefix is shown.
type Change struct {
	Action string // create, update, groups, group-create, secret-add, secret-remove, delete
	Field  string
	Old    string
	New    string
	// Note says why, where it is not obvious (a lost answer, a re-registration).
	Note string
}

func (c Change) String() string {
	switch {
	case c.Field != "" && (c.Old != "" || c.New != ""):
		return fmt.Sprintf("%s: %s -> %s", c.Field, orNone(c.Old), orNone(c.New))
	case c.Field != "":
		return c.Action + " " + c.Field
	default:
		return c.Action
	}
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

// ClientResult is the result of one document.
type ClientResult struct {
	ID      string
	Source  string
	Outcome Outcome
	Changes []Change
	// Pending says why the client will change on a later run (a rotation overlap running).
	Pending string
	// Warnings name what can still break a login although the client converged: an unmet
	// requirement on Pocket ID's configuration.
	Warnings []string
	// Recovered says what this run completed that an earlier, interrupted run left unfinished.
	Recovered string
	Err       error
	// Cause classifies Err (see the Cause constants).
	Cause Cause
}

// Summary counts outcomes.
type Summary struct {
	Created, Updated, Unchanged, Deleted, Failed int
	// Warnings counts clients with at least one warning; Recovered, clients completed after an
	// earlier interrupted run.
	Warnings, Recovered int
}

// Result of a run.
type Result struct {
	Plan    bool
	Server  pocketid.Version
	Clients []ClientResult
	Summary Summary
}

// OK reports whether every client converged (or, in plan mode, could be planned).
func (r Result) OK() bool { return r.Summary.Failed == 0 }

// Status is the summary's one-word state: "converged" or "failed". Alerts key on it: a failed
// run raises, the next converged run is the recovery.
func (r Result) Status() string {
	if r.OK() {
		return "converged"
	}
	return "failed"
}

// Transient reports whether every failure of the run is one that running again later,
// unchanged, is expected to fix (Pocket ID unreachable or overloaded). False when the run
// converged.
func (r Result) Transient() bool {
	if r.OK() {
		return false
	}
	for _, c := range r.Clients {
		if c.Outcome == Failed && c.Cause != CauseUnavailable {
			return false
		}
	}
	return true
}

// causes lists the distinct causes of failed clients, in order of first appearance.
func (r Result) causes() []string {
	var out []string
	seen := map[Cause]bool{}
	for _, c := range r.Clients {
		if c.Outcome == Failed && !seen[c.Cause] {
			seen[c.Cause] = true
			out = append(out, string(c.Cause))
		}
	}
	return out
}

func (s *Summary) count(c ClientResult) {
	switch c.Outcome {
	case Created:
		s.Created++
	case Updated:
		s.Updated++
	case Unchanged:
		s.Unchanged++
	case Deleted:
		s.Deleted++
	default:
		s.Failed++
	}
	if len(c.Warnings) > 0 {
		s.Warnings++
	}
	if c.Recovered != "" {
		s.Recovered++
	}
}
