package provision

import (
	"errors"

	"github.com/endsys/pocketid-oidc/pkg/pocketid"
)

// Cause classifies why a client failed, for the "client failed" log line and the summary, so
// an alert or a person can tell "wait" from "fix something" without reading the message.
type Cause string

const (
	// CauseUnavailable: Pocket ID did not answer, answered 5xx or kept answering 429 until the
	// deadline. Transient: the next run is expected to succeed unchanged (exit code 3).
	CauseUnavailable Cause = "pocket_id_unavailable"
	// CauseRedirect: Pocket ID's URL answers a redirect, which is never followed.
	CauseRedirect Cause = "pocket_id_redirect"
	// CauseRefused: Pocket ID refused a request (a 4xx: bad API key, a value it rejects, the
	// secret cap).
	CauseRefused Cause = "pocket_id_refused"
	// CauseGroupMissing: an allowed group does not exist and createMissingGroups is off.
	CauseGroupMissing Cause = "group_missing"
	// CauseGroupsDropped: Pocket ID did not keep the allowed groups it was given.
	CauseGroupsDropped Cause = "groups_dropped"
	// CauseSecretFile: the client secret file is missing, empty or too short.
	CauseSecretFile Cause = "secret_file"
	// CauseMountedFile: the API key or CA file the pod mounts holds nothing usable (empty key,
	// no PEM certificate): fixed in the store, read again by the next pod.
	CauseMountedFile Cause = "mounted_file"
	// CauseRequirement: with --strict, Pocket ID's configuration lacks what the app needs.
	CauseRequirement Cause = "requirement_unmet"
	// CauseOther: anything else (see the error).
	CauseOther Cause = "error"
)

// causeError attaches a cause the error's type does not tell.
type causeError struct {
	cause Cause
	err   error
}

func (e *causeError) Error() string { return e.err.Error() }
func (e *causeError) Unwrap() error { return e.err }

func withCause(c Cause, err error) error { return &causeError{cause: c, err: err} }

// causeOf classifies err: an explicit cause first, then what Pocket ID's answer says.
func causeOf(err error) Cause {
	var ce *causeError
	var re *pocketid.RedirectError
	var ae *pocketid.APIError
	switch {
	case errors.As(err, &ce):
		return ce.cause
	case errors.As(err, &re):
		return CauseRedirect
	case pocketid.IsTransient(err):
		return CauseUnavailable
	case errors.As(err, &ae):
		return CauseRefused
	default:
		return CauseOther
	}
}
