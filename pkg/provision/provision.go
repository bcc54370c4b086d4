package provision

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/endsys/pocketid-oidc/pkg/api/v1alpha1"
	"github.com/endsys/pocketid-oidc/pkg/pocketid"
)

// DefaultRotationOverlap is how long older secrets stay valid after a new one is registered,
// when the document does not say.
const DefaultRotationOverlap = 24 * time.Hour

// Options configure Run.
type Options struct {
	// Client talks to Pocket ID. Required.
	Client *pocketid.Client
	// Plan makes no change: Run only reads and reports what it would do.
	Plan bool
	// Logger receives one line per client and action, and the summary. Default: discard.
	Logger *slog.Logger
	// Now is the clock that decides when a rotation overlap has passed. Default time.Now.
	Now func() time.Time
	// ReadSecret reads a client secret file. Default ReadSecretFile.
	ReadSecret func(path string) (string, error)
}

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
// Old and New are display strings; secrets appear only by prefix.
type Change struct {
	Action string // create, update, groups, group-create, secret-add, secret-remove, delete
	Field  string
	Old    string
	New    string
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
	Err     error
}

// Summary counts outcomes.
type Summary struct {
	Created, Updated, Unchanged, Deleted, Failed int
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

// Run makes Pocket ID match docs, one client after the other. It returns an error only when no
// client could be tried (Pocket ID unreachable, too old); a failed client is in the Result.
func Run(ctx context.Context, docs []Document, opts Options) (Result, error) {
	if opts.Client == nil {
		return Result{}, errors.New("provision: no Pocket ID client")
	}
	r := &reconciler{
		api: opts.Client, plan: opts.Plan, log: opts.Logger, now: opts.Now, readSecret: opts.ReadSecret,
	}
	if r.log == nil {
		r.log = slog.New(slog.DiscardHandler)
	}
	if r.now == nil {
		r.now = time.Now
	}
	if r.readSecret == nil {
		r.readSecret = ReadSecretFile
	}
	res := Result{Plan: opts.Plan}
	if err := r.api.WaitHealthy(ctx); err != nil {
		return res, err
	}
	v, err := r.api.ServerVersion(ctx)
	if err != nil {
		return res, fmt.Errorf("reading the Pocket ID version: %w", err)
	}
	res.Server = v
	if v.Less(pocketid.MinVersion) {
		return res, fmt.Errorf("server runs Pocket ID %s, too old: pocketid-oidc needs %s or later (caller-supplied client secrets); %s or later is recommended", v, pocketid.MinVersion, pocketid.MultiSecretVersion)
	}
	attrs := []any{"version", v.String(), "plan", r.plan}
	if v.Less(pocketid.MultiSecretVersion) {
		attrs = append(attrs, "note", "before 2.14 a client has one secret: a rotation replaces it at once, without overlap")
	}
	r.log.Info("pocket id ready", attrs...)

	for _, d := range docs {
		cr := r.reconcile(ctx, d)
		res.Clients = append(res.Clients, cr)
		switch cr.Outcome {
		case Created:
			res.Summary.Created++
		case Updated:
			res.Summary.Updated++
		case Unchanged:
			res.Summary.Unchanged++
		case Deleted:
			res.Summary.Deleted++
		default:
			res.Summary.Failed++
		}
	}
	s := res.Summary
	level := slog.LevelInfo
	if s.Failed > 0 {
		level = slog.LevelError
	}
	r.log.Log(ctx, level, "summary", "plan", r.plan, "created", s.Created, "updated", s.Updated,
		"unchanged", s.Unchanged, "deleted", s.Deleted, "failed", s.Failed)
	return res, nil
}

// ReadSecretFile reads a secret or key file and trims one trailing newline (what `echo` and most
// editors add). The error never contains the value.
func ReadSecretFile(path string) (string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return "", err
	}
	s := strings.TrimSuffix(string(b), "\n")
	s = strings.TrimSuffix(s, "\r")
	if s == "" {
		return "", fmt.Errorf("%s is empty", path)
	}
	return s, nil
}

type reconciler struct {
	api        *pocketid.Client
	plan       bool
	log        *slog.Logger
	now        func() time.Time
	readSecret func(string) (string, error)

	groupsLoaded bool
	groupIDs     map[string]string // name -> id
}

// clientRun carries one client through reconcile.
type clientRun struct {
	r    *reconciler
	spec v1alpha1.OIDCClientSpec
	res  ClientResult
}

// record notes a change and logs it: one line per action.
func (c *clientRun) record(ch Change) {
	c.res.Changes = append(c.res.Changes, ch)
	attrs := []any{"client", c.spec.ID, "action", ch.Action}
	if ch.Field != "" {
		attrs = append(attrs, "field", ch.Field)
	}
	if ch.Old != "" {
		attrs = append(attrs, "old", ch.Old)
	}
	if ch.New != "" {
		attrs = append(attrs, "new", ch.New)
	}
	msg := "changed"
	if c.r.plan {
		msg = "plan"
	}
	c.r.log.Info(msg, attrs...)
}

func (r *reconciler) reconcile(ctx context.Context, d Document) ClientResult {
	c := &clientRun{r: r, spec: d.Client.Spec, res: ClientResult{ID: d.Client.Spec.ID, Source: d.Source}}
	outcome, err := c.run(ctx)
	c.res.Outcome = outcome
	if err != nil {
		c.res.Outcome = Failed
		c.res.Err = err
		attrs := append([]any{"client", c.spec.ID, "source", d.Source, "outcome", Failed}, errorAttrs(err)...)
		r.log.Error("client failed", attrs...)
		return c.res
	}
	attrs := []any{"client", c.spec.ID, "outcome", outcome, "plan", r.plan}
	if c.res.Pending != "" {
		attrs = append(attrs, "pending", c.res.Pending)
	}
	r.log.Info("client done", attrs...)
	return c.res
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
	var value string
	if !c.spec.Public {
		v, err := c.r.readSecret(c.spec.Secret.File)
		if err != nil {
			return Failed, fmt.Errorf("spec.secret.file: reading the client secret: %w", err)
		}
		if n := len(v); n < 16 {
			return Failed, fmt.Errorf("spec.secret.file: the client secret in %s has %d characters; Pocket ID needs at least 16", c.spec.Secret.File, n)
		}
		value = v
	} else if c.spec.Secret != nil {
		c.r.log.Warn("public client: spec.secret ignored", "client", c.spec.ID)
	}
	groups, err := c.resolveGroups(ctx)
	if err != nil {
		return Failed, err
	}
	want := desiredOf(c.spec)

	outcome := Unchanged
	cur, err := c.r.api.GetClient(ctx, c.spec.ID)
	switch {
	case pocketid.IsNotFound(err):
		if c.r.plan {
			c.planCreate(want, groups)
			return Created, nil
		}
		cur, err = c.create(ctx, want, groups)
		if err != nil {
			return Failed, err
		}
		if cur == nil {
			// Someone else created it between our GET and POST: it is theirs to have created,
			// ours to converge.
			cur, err = c.r.api.GetClient(ctx, c.spec.ID)
			if err != nil {
				return Failed, err
			}
		} else {
			outcome = Created
		}
	case err != nil:
		return Failed, err
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

// create POSTs the client. It answers nil, nil when the id turned out to exist already (a
// concurrent run, or a retried POST whose first answer was lost).
func (c *clientRun) create(ctx context.Context, want desired, groups []group) (*pocketid.OIDCClient, error) {
	in := want.apply(pocketid.ClientInput{ID: c.spec.ID})
	// Restricted from the first moment: until the groups are set nobody can log in, which is
	// safer than a window in which everybody can.
	in.IsGroupRestricted = len(groups) > 0
	created, err := c.r.api.CreateClient(ctx, in)
	if err != nil {
		if pocketid.HasCode(err, pocketid.CodeClientIDAlreadyExists) || pre213Conflict(err) {
			c.r.log.Info("client exists already", "client", c.spec.ID, "action", "create", "note", "created concurrently or by an earlier attempt; converging it")
			return nil, nil
		}
		return nil, err
	}
	c.record(Change{Action: "create", Field: "client", New: c.spec.ID})
	return created, nil
}

// pre213Conflict: before v2.13 a taken id was a 400 without a code. The caller re-reads the
// client, and a 404 then surfaces as the error.
func pre213Conflict(err error) bool {
	var ae *pocketid.APIError
	return errors.As(err, &ae) && ae.StatusCode == 400 && ae.Code == "" && strings.Contains(strings.ToLower(ae.Message), "already")
}
