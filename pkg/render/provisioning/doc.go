// Package provisioning renders what makes Pocket ID match an integration: the OIDCClient
// document in a ConfigMap, the Job that runs `pocketid-oidc provision` on it, and the
// integration's reconcile CronJob that runs the same pod on a schedule.
//
// The contract with the provisioner (pkg/provision):
//   - the pod runs the provider image with args
//     ["provision", "--client-file", "/etc/pocketid-oidc/clients", "--timeout", "5m"] (plus
//     "--ca-file /etc/pocketid-oidc/ca/ca.crt" when the provider names a CA ConfigMap), env
//     POCKETID_URL=<apiURL> and POCKETID_API_KEY_FILE=/etc/pocketid-oidc/api-key/api-key;
//   - /etc/pocketid-oidc/clients holds one <client id>.yaml per client: an OIDCClient
//     (oidc.endsys.cloud/v1alpha1) with every default applied; an absent client's document
//     carries only its id and state;
//   - a confidential client's secret is the file /etc/pocketid-oidc/secrets/<app Secret>/client-secret
//     (spec.secret.file of the document).
//
// Decisions:
//   - ConfigMap and Job are named <integration>-oidc-<hash>, the hash (10 hex digits of
//     SHA-256) covering everything that cannot change under one name: the ConfigMap's data and
//     the Job's whole pod template (image, args, env, the Secrets and ConfigMaps it mounts,
//     resources, security context). A change starts a new Job and Flux prunes the old pair; an
//     unchanged render starts none. The TTL changes in place and stays out. The integration
//     part is cut so the name fits 63 characters (the job-name label of the pods).
//   - The ConfigMap is immutable: its name changes with its content. The hash is taken before
//     Flux's postBuild substitution, though, so when either object holds a ${VAR} placeholder
//     anywhere (document, image, API URL, a Secret or ConfigMap name or key),
//     ConfigMap and Job carry kustomize.toolkit.fluxcd.io/force: enabled (Flux re-creates them
//     instead of failing on an immutable change) and the pod template carries
//     oidc.endsys.cloud/substitutions with the placeholders, so a new value changes the Job
//     and the re-created Job runs on the new document.
//   - The pod passes Pod Security "restricted": non-root 65532, RuntimeDefault seccomp, no
//     privilege escalation, read-only root (a small emptyDir is /tmp), all capabilities dropped.
//     It mounts no service account token (it never talks to Kubernetes) and has no service
//     links. Requests 10m/32Mi, limits 200m/64Mi; restartPolicy Never; ttlSecondsAfterFinished
//     only when the provider sets it.
//   - Retries (pod.go): --timeout 5m per run, backoffLimit 10 and activeDeadlineSeconds 7200, so
//     Pocket ID down for an hour converges within the Job; a podFailurePolicy fails the Job at
//     once on exit code 2 (bad input, contract.ExitUsage) and ignores disruptions. The policy is
//     in the hash: it cannot change under one name.
//   - Every object belongs to one integration (managed-by and integration labels), so any
//     split of the apps into render units renders the same objects.
//   - The CronJob <integration>-oidc-reconcile (cut with a hash to 52 characters) runs exactly
//     the Job's pod on Client.Schedule, concurrencyPolicy Forbid. Schedule turns the
//     reconcileSchedule into it: H in the minute is the SHA-256 of namespace/name modulo 60, so
//     the CronJobs of many apps spread over the hour; "never" renders none.
//   - Typed k8s.io/api objects are converted without creationTimestamp/status noise, with
//     apiVersion, kind and metadata first.
package provisioning
