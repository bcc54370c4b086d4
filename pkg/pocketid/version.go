package pocketid

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"golang.org/x/mod/semver"
)

// Version is a Pocket ID release. It orders by semantic versioning, pre-releases included:
// 2.14.0-rc.1 is before 2.14.0, so a release candidate does not get the routes of the release.
type Version struct {
	// canonical is semver's canonical form ("v2.14.0-rc.1"); "" is the unknown version.
	canonical string
}

// Landmarks the client switches on.
var (
	// MinVersion is the oldest supported release: it accepts a caller-supplied client secret.
	MinVersion = MustParseVersion("2.12.0")
	// MultiSecretVersion introduced the plural /secrets routes (several secrets per client).
	MultiSecretVersion = MustParseVersion("2.14.0")
)

// String is the version without the leading "v", e.g. "2.14.0" or "2.15.0-rc.1".
func (v Version) String() string { return strings.TrimPrefix(v.canonical, "v") }

// Less orders versions by semantic versioning precedence.
func (v Version) Less(o Version) bool { return semver.Compare(v.canonical, o.canonical) < 0 }

// IsZero reports whether the version is unknown.
func (v Version) IsZero() bool { return v.canonical == "" }

// ParseVersion reads "2.14.0", "v2.14.0", "2.14" or "2.14.0-rc.1+abc". Build metadata is
// dropped; a pre-release tag is kept and orders before its release.
func ParseVersion(s string) (Version, error) {
	t := strings.TrimSpace(s)
	if !strings.HasPrefix(t, "v") {
		t = "v" + t
	}
	// semver accepts "v2" as short for v2.0.0; a version answer that short is not Pocket ID's.
	if !semver.IsValid(t) || !strings.Contains(strings.SplitN(t, "-", 2)[0], ".") {
		return Version{}, fmt.Errorf("version %q: want major.minor.patch", shorten(s))
	}
	return Version{canonical: semver.Canonical(t)}, nil
}

// MustParseVersion is ParseVersion for constants; it panics on a malformed version.
func MustParseVersion(s string) Version {
	v, err := ParseVersion(s)
	if err != nil {
		panic(err)
	}
	return v
}

// ServerVersion asks Pocket ID for its version and remembers it: routes that changed between
// releases (the client secret) follow it.
func (c *Client) ServerVersion(ctx context.Context) (Version, error) {
	return c.serverVersion(ctx, 0)
}

// ProbeVersion is ServerVersion in one attempt, without retries: a run's first request, which
// also tells that Pocket ID is up (so a run against a healthy Pocket ID needs no /healthz). On
// a transient error the caller waits with WaitHealthy and asks ServerVersion.
func (c *Client) ProbeVersion(ctx context.Context) (Version, error) {
	return c.serverVersion(ctx, 1)
}

func (c *Client) serverVersion(ctx context.Context, attempts int) (Version, error) {
	var raw []byte
	if err := c.do(ctx, request{method: http.MethodGet, path: "/api/version/current", attempts: attempts}, &raw); err != nil {
		return Version{}, err
	}
	v, err := decodeVersion(raw)
	if err != nil {
		return Version{}, fmt.Errorf("pocket id: GET /api/version/current: %w", err)
	}
	c.SetVersion(v)
	return v, nil
}

// decodeVersion accepts {"version": "..."}, {"currentVersion": "..."}, a JSON string or a bare
// string, since the answer's shape is not part of Pocket ID's documented contract.
func decodeVersion(raw []byte) (Version, error) {
	var obj map[string]json.RawMessage
	if json.Unmarshal(raw, &obj) == nil {
		for _, k := range []string{"version", "currentVersion", "current"} {
			var s string
			if v, ok := obj[k]; ok && json.Unmarshal(v, &s) == nil {
				return ParseVersion(s)
			}
		}
		return Version{}, fmt.Errorf("answer has no version field")
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return ParseVersion(s)
	}
	return ParseVersion(strings.Trim(strings.TrimSpace(string(raw)), `"`))
}

// SetVersion tells the client the server version without asking (tests, or a known server).
func (c *Client) SetVersion(v Version) {
	c.mu.Lock()
	c.version = v
	c.mu.Unlock()
}

// Version is the server version last learned, or zero.
func (c *Client) Version() Version {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.version
}

// MultiSecret reports whether the server has the plural /secrets routes. An unknown version is
// taken as current.
func (c *Client) MultiSecret() bool {
	v := c.Version()
	return v.IsZero() || !v.Less(MultiSecretVersion)
}
