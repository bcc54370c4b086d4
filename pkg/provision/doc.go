// Package provision is the reconciler behind `pocketid-oidc provision`: it makes Pocket ID
// match OIDCClient documents (the desired state the KRM function writes into the provisioning
// Job's ConfigMap).
//
// For each document, in order:
//
//   - state: absent deletes the client if it exists.
//   - Allowed group names are resolved to ids (one listing per run, none when the client's own
//     groups already name them all). A name Pocket ID does not
//     know fails the client before anything is written, because Pocket ID silently drops
//     unknown group ids and would lock the group's members out; createMissingGroups creates it.
//   - A missing client is created with the caller's id. An existing one is compared field by
//     field (name, callbackURLs, logoutCallbackURLs, launchURL, isPublic, pkceEnabled,
//     isGroupRestricted, allowed groups) and updated only on drift. Pocket ID's PUT replaces
//     the whole client, so the update is the current client with the managed fields written
//     over it: description, logos, token lifetimes, federated identities, PAR, skipConsent...
//     survive. Groups are set before the client is restricted, and a client is never left
//     restricted to no group.
//   - The secret file's value is proven, never assumed from the 4-character prefix Pocket ID
//     lists: when a usable secret has its prefix, a client_credentials request at the token
//     endpoint says whether Pocket ID accepts the value; otherwise (or when it does not) the
//     value is registered. After a rotation the client's other secrets are removed once ours
//     is older than the rotation overlap (default 24h; 0 = at once), unless retainOld. When
//     several secrets share our prefix, which one is ours is unknown: after the overlap the
//     value is registered once more and every older secret goes. Duplicates of our value (two
//     runs at once, a retried POST) converge on the oldest copy. Public clients get no secret.
//     Before Pocket ID 2.14 there is one secret per client: it is replaced at once.
//   - requirements (e.g. emailsVerified) are checked against Pocket ID's application
//     configuration: a warning, or with Strict a failure before any write.
//
// No secret value, nor any part of one, appears in a log line, an error or the plan.
//
// Every step re-reads before it writes and treats "already there" answers (409 on create, 404
// on delete) as progress, so a run killed anywhere is completed by the next one and two runs
// at once (the Job and the CronJob) end in the same state; a create whose answer was lost is
// still reported as created. Failures carry a Cause; a run whose failures are all transient
// (Pocket ID unavailable) exits 3, so retries can tell "wait" from "fix" (pkg/contract holds
// the exit codes and what a retry of each can achieve).
//
// Reads are folded so that a run that changes nothing costs little: the version is the run's
// first request and proves Pocket ID up (/healthz only while it is not); a run of several
// documents lists the clients (a page holds 100) and proves each unchanged from the listing and
// its groups' member lists (snapshot.go), reading a client alone only when that cannot prove it;
// a run of one document reads its client with a GET, whose groups spare the group listing. An
// unchanged confidential client then costs its proof at the token endpoint: 100 clients, 104
// requests (BenchmarkProvision100). Plan mode writes nothing.
//
// Main is the command: flags, environment, exit codes and logs are described in
// docs/provision.md.
package provision
