package provision

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/endsys/pocketid-oidc/pkg/api/v1alpha1"
	"github.com/endsys/pocketid-oidc/pkg/pocketid"
)

// clientRun carries one client through reconcile.
type clientRun struct {
	r    *reconciler
	spec v1alpha1.OIDCClientSpec
	res  ClientResult
	// value and prefix are the client secret (from spec.secret.file) and its 4-character clear
	// part: used in requests, never in a log line, an error or the plan.
	value, prefix string
	// aloneRead, aloneCur and aloneErr are the answer to the client's GET (see alone).
	aloneRead bool
	aloneCur  *pocketid.OIDCClient
	aloneErr  error
}

// alone reads the client with a GET, once: a later need of the same read gets the same answer.
func (c *clientRun) alone(ctx context.Context) (*pocketid.OIDCClient, error) {
	if !c.aloneRead {
		c.aloneCur, c.aloneErr = c.r.api.GetClient(ctx, c.spec.ID)
		c.aloneRead = true
	}
	return c.aloneCur, c.aloneErr
}

// record notes a change and logs it: one line per action.
func (c *clientRun) record(ch Change) {
	c.res.Changes = append(c.res.Changes, ch)
	attrs := []any{"client", c.spec.ID, "action", ch.Action}
	for _, kv := range [][2]string{{"field", ch.Field}, {"old", ch.Old}, {"new", ch.New}, {"note", ch.Note}} {
		if kv[1] != "" {
			attrs = append(attrs, kv[0], kv[1])
		}
	}
	msg := "changed"
	if c.r.plan {
		msg = "plan"
	}
	c.r.log.Info(msg, attrs...)
}

// recovered notes that this run completes what an earlier, interrupted run left unfinished.
func (c *clientRun) recovered(what string) {
	if c.res.Recovered == "" {
		c.res.Recovered = what
		c.r.log.Info("recovered", "client", c.spec.ID, "what", what)
	}
}

func (r *reconciler) reconcile(ctx context.Context, d Document) ClientResult {
	c := &clientRun{r: r, spec: d.Client.Spec, res: ClientResult{ID: d.Client.Spec.ID, Source: d.Source}}
	outcome, err := c.run(ctx)
	c.res.Outcome = outcome
	if err != nil {
		return r.failed(c.res, d.Source, err)
	}
	attrs := []any{"client", c.spec.ID, "outcome", outcome, "plan", r.plan}
	if c.res.Pending != "" {
		attrs = append(attrs, "pending", c.res.Pending)
	}
	r.log.Info("client done", attrs...)
	return c.res
}

// failed logs the structured failure line: the cause first, then what Pocket ID said.
func (r *reconciler) failed(res ClientResult, source string, err error) ClientResult {
	res.Outcome, res.Err, res.Cause = Failed, err, causeOf(err)
	attrs := append([]any{"client", res.ID, "source", source, "outcome", Failed, "cause", res.Cause,
		"retryable", res.Cause == CauseUnavailable}, errorAttrs(err)...)
	r.log.Error("client failed", attrs...)
	return res
}

// notTried fails a client without a request: Pocket ID was unreachable until the deadline.
func (r *reconciler) notTried(d Document, err error) ClientResult {
	res := ClientResult{ID: d.Client.Spec.ID, Source: d.Source}
	return r.failed(res, d.Source, fmt.Errorf("not tried: %w", err))
}

// errorAttrs spreads what Pocket ID said over log attributes an operator can search.
func errorAttrs(err error) []any {
	attrs := []any{"error", err.Error()}
	var ae *pocketid.APIError
	if errors.As(err, &ae) {
		attrs = append(attrs, "status", ae.StatusCode)
		if ae.Code != "" {
			attrs = append(attrs, "code", ae.Code)
		}
		if ae.RequestID != "" {
			attrs = append(attrs, "request_id", ae.RequestID)
		}
		if f := ae.Field(); f != "" {
			attrs = append(attrs, "field", f)
		}
	}
	return attrs
}

func (c *clientRun) run(ctx context.Context) (Outcome, error) {
	if c.spec.State == v1alpha1.StateAbsent {
		return c.absent(ctx)
	}
	if err := c.checkRequirements(); err != nil {
		return Failed, err
	}
	var value string
	if !c.spec.Public {
		v, err := c.r.readSecret(c.spec.Secret.File)
		if err != nil {
			return Failed, withCause(CauseSecretFile, fmt.Errorf("spec.secret.file: reading the client secret: %w", err))
		}
		if n := len(v); n < 16 {
			return Failed, withCause(CauseSecretFile, fmt.Errorf("spec.secret.file: the client secret in %s has %d characters; Pocket ID needs at least 16", c.spec.Secret.File, n))
		}
		if i := strings.IndexFunc(v, func(r rune) bool { return r < 0x20 || r > 0x7e }); i >= 0 {
			// Named by position only: the character itself is part of the secret.
			return Failed, withCause(CauseSecretFile, fmt.Errorf("spec.secret.file: the client secret in %s has a character Pocket ID refuses at byte %d: only printable ASCII (0x20 to 0x7E) is accepted", c.spec.Secret.File, i+1))
		}
		value = v
	} else if c.spec.Secret != nil {
		c.r.log.Warn("public client: spec.secret ignored", "client", c.spec.ID)
	}
	var known []pocketid.UserGroup
	if len(c.spec.AllowedGroups) > 0 && !c.r.groupsLoaded && !c.r.snap.decides(c.spec.ID) {
		// The client is read alone anyway: its answer names its groups, which may be every
		// allowed group, and then the run needs no group listing (a one-client run's no-op is
		// the version, this GET and the proof).
		if cur, err := c.alone(ctx); err == nil {
			known = cur.AllowedUserGroups
		}
	}
	groups, err := c.resolveGroups(ctx, known)
	if err != nil {
		return Failed, err
	}
	want := desiredOf(c.spec)

	outcome := Unchanged
	var cur *pocketid.OIDCClient
	cur, err = c.current(ctx, want, groups)
	switch {
	case pocketid.IsNotFound(err):
		if c.r.plan {
			c.planCreate(want, groups)
			return Created, nil
		}
		var created bool
		cur, created, err = c.create(ctx, want, groups)
		if err != nil {
			return Failed, err
		}
		if created {
			outcome = Created
		}
	case err != nil:
		return Failed, err
	default:
		c.noticeUnfinished(cur, groups)
	}

	changed, cur, err := c.converge(ctx, cur, want, groups)
	if err != nil {
		return Failed, err
	}
	if !c.spec.Public {
		secretChanged, err := c.ensureSecret(ctx, cur, value)
		if err != nil {
			return Failed, err
		}
		changed = changed || secretChanged
	}
	if outcome == Unchanged && changed {
		outcome = Updated
	}
	return outcome, nil
}

// noticeUnfinished recognises the state only an interrupted run of ours leaves: a client
// created restricted whose groups never came (a create is restricted from its first moment).
func (c *clientRun) noticeUnfinished(cur *pocketid.OIDCClient, groups []group) {
	if len(groups) > 0 && cur.IsGroupRestricted && len(cur.AllowedUserGroups) == 0 {
		c.recovered("client was left restricted to no group by an interrupted run")
	}
}

func (c *clientRun) absent(ctx context.Context) (Outcome, error) {
	_, err := c.r.api.GetClient(ctx, c.spec.ID)
	if pocketid.IsNotFound(err) {
		return Unchanged, nil
	}
	if err != nil {
		return Failed, err
	}
	c.record(Change{Action: "delete", Field: "client"})
	if c.r.plan {
		return Deleted, nil
	}
	// A concurrent run may have deleted it first; the goal is reached either way.
	if err := c.r.api.DeleteClient(ctx, c.spec.ID); err != nil && !pocketid.IsNotFound(err) {
		return Failed, err
	}
	return Deleted, nil
}

// create POSTs the client and returns it as stored, and whether this run created it. A taken
// id answered to a retry whose first attempt lost its answer is our own create; a taken id
// answered at once is a concurrent run's, ours to converge.
func (c *clientRun) create(ctx context.Context, want desired, groups []group) (*pocketid.OIDCClient, bool, error) {
	in := want.apply(pocketid.ClientInput{ID: c.spec.ID})
	// Restricted from the first moment: until the groups are set nobody can log in, which is
	// safer than a window in which everybody can.
	in.IsGroupRestricted = len(groups) > 0
	created, err := c.r.api.CreateClient(ctx, in)
	if err == nil {
		c.record(Change{Action: "create", Field: "client", New: c.spec.ID})
		return created, true, nil
	}
	if !pocketid.HasCode(err, pocketid.CodeClientIDAlreadyExists) && !pre213Conflict(err) {
		return nil, false, err
	}
	cur, gerr := c.r.api.GetClient(ctx, c.spec.ID)
	if gerr != nil {
		return nil, false, gerr
	}
	if pocketid.AnswerLost(err) {
		c.record(Change{Action: "create", Field: "client", New: c.spec.ID,
			Note: "the answer to the create was lost; its retry found the client, created by the lost attempt"})
		return cur, true, nil
	}
	c.r.log.Info("client exists already", "client", c.spec.ID, "action", "create", "note", "created concurrently by another run; converging it")
	return cur, false, nil
}

// pre213Conflict: before v2.13 a taken id was a 400 without a code. The caller re-reads the
// client, and a 404 then surfaces as the error.
func pre213Conflict(err error) bool {
	var ae *pocketid.APIError
	return errors.As(err, &ae) && ae.StatusCode == 400 && ae.Code == "" && strings.Contains(strings.ToLower(ae.Message), "already")
}
