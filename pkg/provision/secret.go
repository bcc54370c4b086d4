package provision

import (
	"context"
	"fmt"
	"sort"
	"time"

	"github.com/endsys/pocketid-oidc/pkg/pocketid"
)

func (c *clientRun) overlap() time.Duration {
	if c.spec.Secret != nil && c.spec.Secret.RotationOverlap != nil {
		return c.spec.Secret.RotationOverlap.Duration
	}
	return DefaultRotationOverlap
}

func describe(s pocketid.Secret) string {
	return fmt.Sprintf("prefix %s (id %s, created %s)", s.Prefix, s.ID, s.CreatedAt.UTC().Format(time.RFC3339))
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

// ensureSecret makes the value of the secret file a registered secret of the client, removes
// duplicates of it, and, after a rotation, the client's other secrets once the overlap passed.
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
	prefix := pocketid.SecretPrefix(value)
	cands := candidates(secrets, prefix, now, nil)
	changed := false

	var ours *pocketid.Secret
	var dups []pocketid.Secret
	notOurs := map[string]bool{}
	switch len(cands) {
	case 0:
	case 1:
		// One secret with the value's prefix: a different value sharing four characters is too
		// unlikely to pay a token request on every run.
		ours = &cands[0]
	default:
		ok, err := c.r.api.CheckClientSecret(ctx, c.spec.ID, value)
		if err != nil {
			return false, fmt.Errorf("proving the client secret (several secrets have prefix %s): %w", prefix, err)
		}
		if ok {
			// Several copies: concurrent runs, or a POST retried after its answer was lost.
			// Everyone keeps the oldest.
			ours, dups = &cands[0], cands[1:]
		} else {
			for _, s := range cands {
				notOurs[s.ID] = true
			}
		}
	}

	if ours == nil {
		changed = true
		c.record(Change{Action: "secret-add", Field: "secret", New: "prefix " + prefix})
		if c.r.plan {
			// The new secret would be created now: with no overlap the others go at once.
			if c.overlap() == 0 && !c.spec.Secret.RetainOld {
				for _, s := range secrets {
					c.record(Change{Action: "secret-remove", Field: "secret", Old: describe(s)})
				}
			}
			return changed, nil
		}
		if err := c.makeRoom(ctx, secrets, now); err != nil {
			return changed, err
		}
		if _, err := c.r.api.AddSecret(ctx, c.spec.ID, value, nil); err != nil {
			return changed, fmt.Errorf("spec.secret.file: registering the client secret: %w", err)
		}
		// Re-read rather than trust our answer: a concurrent run may have added the same value
		// meanwhile, and then both must keep the same (oldest) copy.
		list, err := c.r.api.ListSecrets(ctx, c.spec.ID)
		if err != nil {
			return changed, err
		}
		secrets = list
		cands = candidates(secrets, prefix, now, notOurs)
		if len(cands) == 0 {
			return changed, fmt.Errorf("the client secret was registered but is not listed (removed concurrently?)")
		}
		ours, dups = &cands[0], cands[1:]
	}

	for _, d := range dups {
		changed = true
		c.record(Change{Action: "secret-remove", Field: "secret", Old: describe(d) + ", duplicate"})
		if !c.r.plan {
			if err := c.r.api.DeleteSecret(ctx, c.spec.ID, d.ID); err != nil && !pocketid.IsNotFound(err) {
				return changed, err
			}
		}
	}

	var others []pocketid.Secret
	isDup := map[string]bool{}
	for _, d := range dups {
		isDup[d.ID] = true
	}
	for _, s := range secrets {
		if s.ID != ours.ID && !isDup[s.ID] {
			others = append(others, s)
		}
	}
	if len(others) == 0 || c.spec.Secret.RetainOld {
		return changed, nil
	}
	overlap := c.overlap()
	until := ours.CreatedAt.Add(overlap)
	if overlap > 0 && now.Before(until) {
		c.res.Pending = fmt.Sprintf("%d older secret(s) removed after %s", len(others), until.UTC().Format(time.RFC3339))
		c.r.log.Info("rotation overlap running", "client", c.spec.ID, "action", "secret-remove", "older", len(others), "until", until.UTC().Format(time.RFC3339))
		return changed, nil
	}
	for _, s := range others {
		changed = true
		c.record(Change{Action: "secret-remove", Field: "secret", Old: describe(s)})
		if !c.r.plan {
			if err := c.r.api.DeleteSecret(ctx, c.spec.ID, s.ID); err != nil && !pocketid.IsNotFound(err) {
				return changed, err
			}
		}
	}
	return changed, nil
}

// makeRoom deletes dead (inactive or expired) secrets when the client is at Pocket ID's cap, so
// a rotation is not blocked by secrets nobody can use anyway.
func (c *clientRun) makeRoom(ctx context.Context, secrets []pocketid.Secret, now time.Time) error {
	if len(secrets) < maxSecrets {
		return nil
	}
	for _, s := range secrets {
		if s.Usable(now) {
			continue
		}
		c.record(Change{Action: "secret-remove", Field: "secret", Old: describe(s) + ", unusable"})
		if err := c.r.api.DeleteSecret(ctx, c.spec.ID, s.ID); err != nil && !pocketid.IsNotFound(err) {
			return err
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
		return false, fmt.Errorf("proving the client secret: %w", err)
	}
	if ok {
		return false, nil
	}
	c.record(Change{Action: "secret-add", Field: "secret", New: "prefix " + pocketid.SecretPrefix(value) + " (replaces the current secret)"})
	if c.r.plan {
		return true, nil
	}
	if _, err := c.r.api.AddSecret(ctx, c.spec.ID, value, nil); err != nil {
		return true, fmt.Errorf("spec.secret.file: registering the client secret: %w", err)
	}
	return true, nil
}
