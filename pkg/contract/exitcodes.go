package contract

// Exit codes of `pocketid-oidc provision`. The renderer keys the provisioning Job's
// podFailurePolicy on them, so each code promises what retrying the very same pod (same
// documents, same env, the mounted Secrets as they are now or later) can achieve:
//
//	code  meaning                                         retry the same pod?
//	0     every client converged                          -
//	1     a failure a person (or the store) must fix      yes, with backoff: it succeeds once fixed
//	2     the pod itself is wrong: flags, env, documents  no: it fails the same way every time
//	3     only transient failures (Pocket ID away)        yes: expected to succeed unchanged
//
// Which failure exits with which code (docs/provision.md repeats this table; TestExitCodeContract
// in pkg/provision holds one case per row):
//
//	ExitFailed (1): a client failed for a reason outside the pod spec: an allowed group that does
//	  not exist yet (created later in Pocket ID), a client secret file that is empty, too short
//	  or missing (ESO has not written it yet, the store holds a bad value), Pocket ID refusing a
//	  request (4xx: a wrong API key, a value it rejects, the 20-secret cap), a redirect (the URL
//	  points at a proxy that redirects; fixed on that side), a certificate Pocket ID's host does
//	  not prove, Pocket ID too old, a requirement unmet under --strict, an API key or CA file
//	  whose content is unusable (empty key, no PEM certificate: fixed in the store). Mixed with
//	  transient failures, 1 wins: a person has to look.
//	ExitUsage (2): bad flags, a missing or contradictory environment variable (POCKETID_URL,
//	  POCKETID_API_KEY vs POCKETID_API_KEY_FILE), a client document that does not decode or
//	  validate, an unreadable --client-file. All of these come from the pod spec and the
//	  ConfigMap its name is hashed from: nothing was sent to Pocket ID, and a retry of the same
//	  pod cannot succeed. (The Go runtime also exits 2 on an unrecovered panic, a bug that a
//	  retry does not fix either.)
//	ExitTransient (3): every failure of the run is Pocket ID being unreachable, answering 5xx or
//	  429 until --timeout, or the run being cancelled (SIGTERM) while waiting for it. Nothing a
//	  person needs to do; a retry is expected to succeed unchanged.
//
// Every run logs its outcome as one structured line (msg "summary", status "converged" or
// "failed", with "causes" and "retryable" when failed; or msg "pocket id unusable" when no
// client could be tried), so the Job's log says the same as its exit code.
const (
	ExitOK        = 0
	ExitFailed    = 1
	ExitUsage     = 2
	ExitTransient = 3
)
