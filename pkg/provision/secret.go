package provision

import (
	"context"
	"fmt"
	"sort"
	"time"

	"github.com/endsys/pocketid-oidc/pkg/pocketid"
)

// secretSource is how a secret we register is shown: never by value, not even by prefix.
const secretSource = "the value of spec.secret.file"

func (c *clientRun) overlap() time.Duration {
	if c.spec.Secret != nil && c.spec.Secret.RotationOverlap != nil {
		return c.spec.Secret.RotationOverlap.Duration
	}
	return DefaultRotationOverlap
}

// describe names a registered secret by what Pocket ID's UI shows besides its prefix.
func describe(s pocketid.Secret) string {
	return fmt.Sprintf("id %s (created %s)", s.ID, s.CreatedAt.UTC().Format(time.RFC3339))
}

// candidates are the usable secrets whose prefix is the value's, oldest first (ties by id) so
// that concurrent runs pick the same one to keep.
func candidates(secrets []pocketid.Secret, prefix string, now time.Time, exclude map[string]bool) []pocketid.Secret {
	var out []pocketid.Secret
	for _, s := range secrets {
		if s.Prefix == prefix && s.Usable(now) && !exclude[s.ID] {
			out = append(out, s)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if !out[i].CreatedAt.Equal(out[j].CreatedAt) {
			return out[i].CreatedAt.Before(out[j].CreatedAt)
		}
		return out[i].ID < out[j].ID
	})
	return out
}

func ids(secrets []pocketid.Secret) map[string]bool {
	m := make(map[string]bool, len(secrets))
	for _, s := range secrets {
		m[s.ID] = true
	}
	return m
}

func without(secrets []pocketid.Secret, drop map[string]bool) []pocketid.Secret {
	var out []pocketid.Secret
	for _, s := range secrets {
		if !drop[s.ID] {
			out = append(out, s)
		}
	}
	return out
}

// ensureSecret makes the value of the secret file a registered secret of the client, proven at
// the token endpoint, never assumed from its prefix; removes duplicates of it; and, after a
// rotation, removes the client's other secrets once the overlap passed.
//
// Pocket ID lists secrets by a 4-character prefix only, and users' own secrets often share one
// (app-..., s3cret-...). So whenever a listed secret has the value's prefix, a client_credentials
// request proves whether the value itself is registered: 200 yes, 401 no. No secret with the
// prefix means no proof is needed: the value is not registered.
func (c *clientRun) ensureSecret(ctx context.Context, cur *pocketid.OIDCClient, value string) (bool, error) {
	if !c.r.api.MultiSecret() {
		return c.ensureSingleSecret(ctx, value)
	}
	secrets := cur.Credentials.Secrets
	if secrets == nil {
		list, err := c.r.api.ListSecrets(ctx, c.spec.ID)
		if err != nil {
			return false, err
		}
		secrets = list
	}
	now := c.r.now()
	c.value, c.prefix = value, pocketid.SecretPrefix(value)
	cands := candidates(secrets, c.prefix, now, nil)
	registered := false
	if len(cands) > 0 {
		ok, err := c.r.api.CheckClientSecret(ctx, c.spec.ID, value)
		if err != nil {
			return false, fmt.Errorf("spec.secret.file: proving the client secret at the token endpoint: %w", err)
		}
		registered = ok
	}
	switch {
	case !registered:
		// Every listed secret with our prefix is proven someone else's value.
		return c.register(ctx, secrets, ids(cands), "")
	case len(cands) == 1:
		return c.removeOthers(ctx, cands[0], without(secrets, ids(cands)), now)
	default:
		return c.ambiguous(ctx, secrets, cands, now)
	}
}

// register adds the value, then re-lists: the secrets with our prefix that were not there
// before (notOurs) are ours, registered by this run or by a concurrent twin with the same
// value; all keep the oldest and delete the rest as duplicates.
func (c *clientRun) register(ctx context.Context, secrets []pocketid.Secret, notOurs map[string]bool, note string) (bool, error) {
	c.record(Change{Action: "secret-add", Field: "secret", New: secretSource, Note: note})
	if c.r.plan {
		if note != "" || c.overlap() == 0 && !c.spec.Secret.RetainOld {
			for _, s := range secrets {
				c.record(Change{Action: "secret-remove", Field: "secret", Old: describe(s)})
			}
		}
		return true, nil
	}
	now := c.r.now()
	if err := c.makeRoom(ctx, secrets, now); err != nil {
		return true, err
	}
	if _, err := c.r.api.AddSecret(ctx, c.spec.ID, c.value, nil); err != nil {
		return true, fmt.Errorf("spec.secret.file: registering the client secret: %w", err)
	}
	// Always re-listed, also for a client this run just created: a concurrent run that was
	// told the client exists (409) may have added the same value meanwhile, and only the run
	// whose add came last sees both copies to remove one.
	list, err := c.r.api.ListSecrets(ctx, c.spec.ID)
	if err != nil {
		return true, err
	}
	fresh := candidates(list, c.prefix, now, notOurs)
	if len(fresh) == 0 {
		return true, fmt.Errorf("spec.secret.file: the client secret was registered but is not listed (removed concurrently?)")
	}
	ours, dups := fresh[0], fresh[1:]
	for _, d := range dups {
		if err := c.removeSecret(ctx, d, ", duplicate of ours"); err != nil {
			return true, err
		}
	}
	others := without(list, ids(fresh))
	if note != "" {
		// Re-registered to tell ours apart: the overlap already passed for every older one.
		for _, s := range others {
			if err := c.removeSecret(ctx, s, ""); err != nil {
				return true, err
			}
		}
		return true, nil
	}
	_, err = c.removeOthers(ctx, ours, others, now)
	return true, err
}

// ambiguous: the value is registered, but several usable secrets share its prefix and the
// token endpoint accepts any of them, so which one is ours is unknown (a rotation to a value
// with the same prefix, or copies from two runs). Nothing is removed while the rotation overlap
// runs, counted from the newest of them (ours is at most that new). Once it passed, the value
// is registered once more: the new id is known to be ours, and every older secret goes.
func (c *clientRun) ambiguous(ctx context.Context, secrets, cands []pocketid.Secret, now time.Time) (bool, error) {
	if c.spec.Secret.RetainOld {
		return false, nil
	}
	newest := cands[len(cands)-1].CreatedAt
	if until := newest.Add(c.overlap()); c.overlap() > 0 && now.Before(until) {
		c.pending(len(secrets)-1, until)
		return false, nil
	}
	return c.register(ctx, secrets, ids(secrets),
		fmt.Sprintf("re-registered: %d secrets share its prefix, and only a new registration tells which is ours", len(cands)))
}

// removeOthers removes the client's secrets other than ours once ours is older than the
// rotation overlap, unless retainOld.
func (c *clientRun) removeOthers(ctx context.Context, ours pocketid.Secret, others []pocketid.Secret, now time.Time) (bool, error) {
	if len(others) == 0 || c.spec.Secret.RetainOld {
		return false, nil
	}
	until := ours.CreatedAt.Add(c.overlap())
	if c.overlap() > 0 && now.Before(until) {
		c.pending(len(others), until)
		return false, nil
	}
	for _, s := range others {
		if err := c.removeSecret(ctx, s, ""); err != nil {
			return true, err
		}
	}
	return true, nil
}

func (c *clientRun) pending(older int, until time.Time) {
	at := until.UTC().Format(time.RFC3339)
	c.res.Pending = fmt.Sprintf("%d older secret(s) removed after %s", older, at)
	c.r.log.Info("rotation overlap running", "client", c.spec.ID, "action", "secret-remove", "older", older, "until", at)
}

func (c *clientRun) removeSecret(ctx context.Context, s pocketid.Secret, why string) error {
	c.record(Change{Action: "secret-remove", Field: "secret", Old: describe(s) + why})
	if c.r.plan {
		return nil
	}
	if err := c.r.api.DeleteSecret(ctx, c.spec.ID, s.ID); err != nil && !pocketid.IsNotFound(err) {
		return err
	}
	return nil
}

// makeRoom deletes dead (inactive or expired) secrets when the client is at Pocket ID's cap, so
// a rotation is not blocked by secrets nobody can use anyway.
func (c *clientRun) makeRoom(ctx context.Context, secrets []pocketid.Secret, now time.Time) error {
	if len(secrets) < maxSecrets {
		return nil
	}
	for _, s := range secrets {
		if !s.Usable(now) {
			if err := c.removeSecret(ctx, s, ", unusable"); err != nil {
				return err
			}
		}
	}
	return nil
}

// maxSecrets is Pocket ID's per-client cap.
const maxSecrets = 20

// ensureSingleSecret is the v2.12-2.13 path: no listing, one secret. A token request tells
// whether the value is registered; if not, the singular route replaces the secret.
func (c *clientRun) ensureSingleSecret(ctx context.Context, value string) (bool, error) {
	ok, err := c.r.api.CheckClientSecret(ctx, c.spec.ID, value)
	if err != nil {
		return false, fmt.Errorf("spec.secret.file: proving the client secret at the token endpoint: %w", err)
	}
	if ok {
		return false, nil
	}
	c.record(Change{Action: "secret-add", Field: "secret", New: secretSource, Note: "replaces the current secret (Pocket ID before 2.14 keeps one)"})
	if c.r.plan {
		return true, nil
	}
	if _, err := c.r.api.AddSecret(ctx, c.spec.ID, value, nil); err != nil {
		return true, fmt.Errorf("spec.secret.file: registering the client secret: %w", err)
	}
	return true, nil
}
