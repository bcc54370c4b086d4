// Package provision is the reconciler behind `pocketid-oidc provision`: it makes Pocket ID
// match OIDCClient documents (the desired state the KRM function writes into the provisioning
// Job's ConfigMap).
//
// For each document, in order:
//
//   - state: absent deletes the client if it exists.
//   - Allowed group names are resolved to ids (one listing per run). A name Pocket ID does not
//     know fails the client before anything is written, because Pocket ID silently drops
//     unknown group ids and would lock the group's members out; createMissingGroups creates it.
//   - A missing client is created with the caller's id. An existing one is compared field by
//     field (name, callbackURLs, logoutCallbackURLs, launchURL, isPublic, pkceEnabled,
//     isGroupRestricted, allowed groups) and updated only on drift. Pocket ID's PUT replaces
//     the whole client, so the update is the current client with the managed fields written
//     over it: description, logos, token lifetimes, federated identities, PAR, skipConsent...
//     survive. Groups are set before the client is restricted, and a client is never left
//     restricted to no group.
//   - The secret file's value is registered unless a usable secret with its 4-character prefix
//     exists; several such secrets are disambiguated with a client_credentials request. After a
//     rotation the client's other secrets are removed once ours is older than the rotation
//     overlap (default 24h; 0 = at once), unless retainOld. Duplicates of our value (two runs
//     at once, a retried POST) converge on the oldest copy. Public clients get no secret.
//     Before Pocket ID 2.14 there is one secret per client: it is replaced at once.
//
// Every step re-reads before it writes and treats "already there" answers (409 on create, 404
// on delete) as progress, so a run killed anywhere is completed by the next one and two runs
// at once (the Job and the CronJob) end in the same state. An unchanged client costs one GET;
// Plan mode writes nothing.
//
// Main is the command: flags, environment, exit codes and logs are described in
// docs/provision.md.
package provision
