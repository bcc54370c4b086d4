package provision

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/endsys/pocketid-oidc/pkg/contract"
	"github.com/endsys/pocketid-oidc/pkg/pocketid"
)

// DefaultRotationOverlap is how long older secrets stay valid after a new one is registered,
// when the document does not say.
const DefaultRotationOverlap = contract.DefaultRotationOverlap

// Options configure Run.
type Options struct {
	// Client talks to Pocket ID. Required.
	Client *pocketid.Client
	// Plan makes no change: Run only reads and reports what it would do.
	Plan bool
	// Strict fails a client whose requirements Pocket ID's configuration does not meet (the
	// default is a warning).
	Strict bool
	// Logger receives one line per client and action, and the summary. Default: discard.
	Logger *slog.Logger
	// Now is the clock that decides when a rotation overlap has passed. Default time.Now.
	Now func() time.Time
	// ReadSecret reads a client secret file. Default ReadSecretFile.
	ReadSecret func(path string) (string, error)
}

// Run makes Pocket ID match docs, one client after the other. It returns an error only when no
// client could be tried (Pocket ID unreachable, too old); a failed client is in the Result.
func Run(ctx context.Context, docs []Document, opts Options) (Result, error) {
	if opts.Client == nil {
		return Result{}, errors.New("provision: no Pocket ID client")
	}
	r := &reconciler{
		api: opts.Client, plan: opts.Plan, strict: opts.Strict, log: opts.Logger, now: opts.Now, readSecret: opts.ReadSecret,
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
	// The version is the run's first request and proves Pocket ID up; only when it is not is
	// /healthz polled (with backoff, up to the deadline) before asking again.
	v, err := r.api.ProbeVersion(ctx)
	if pocketid.IsTransient(err) && ctx.Err() == nil {
		if err := r.api.WaitHealthy(ctx); err != nil {
			return res, err
		}
		v, err = r.api.ServerVersion(ctx)
	}
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
	r.loadAppConfig(ctx, docs)
	r.loadSnapshot(ctx, docs)

	unreachable := error(nil)
	for _, d := range docs {
		var cr ClientResult
		if unreachable != nil {
			// Pocket ID stayed away until the deadline: the rest is not tried, and says so.
			cr = r.notTried(d, unreachable)
		} else {
			cr = r.reconcile(ctx, d)
		}
		res.Clients = append(res.Clients, cr)
		res.Summary.count(cr)
		if cr.Cause == CauseUnavailable && unreachable == nil {
			// Pocket ID went away mid-run: wait for it (up to the deadline) before the next
			// client rather than spend every client's retries on it.
			if err := r.api.WaitHealthy(ctx); err != nil {
				unreachable = err
			}
		}
	}
	r.logSummary(ctx, res)
	return res, nil
}

func (r *reconciler) logSummary(ctx context.Context, res Result) {
	s := res.Summary
	attrs := []any{"plan", r.plan, "status", res.Status(), "created", s.Created, "updated", s.Updated,
		"unchanged", s.Unchanged, "deleted", s.Deleted, "failed", s.Failed, "warnings", s.Warnings, "recovered", s.Recovered}
	level := slog.LevelInfo
	switch {
	case s.Failed > 0:
		level = slog.LevelError
		attrs = append(attrs, "causes", strings.Join(res.causes(), ","), "retryable", res.Transient())
	case s.Warnings > 0:
		level = slog.LevelWarn
	}
	r.log.Log(ctx, level, "summary", attrs...)
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
	strict     bool
	log        *slog.Logger
	now        func() time.Time
	readSecret func(string) (string, error)

	groupsLoaded bool
	groupIDs     map[string]string // name -> id

	// appConfig is Pocket ID's application configuration, read once when a document has
	// requirements; appConfigErr when that read failed.
	appConfig    map[string]string
	appConfigErr error

	// snap is the run's client listing (see snapshot).
	snap *snapshot
}
