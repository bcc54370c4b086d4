package pocketid

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

// Version is a Pocket ID release, major.minor.patch.
type Version struct {
	Major, Minor, Patch int
}

// Landmarks the client switches on.
var (
	// MinVersion is the oldest supported release: it accepts a caller-supplied client secret.
	MinVersion = Version{2, 12, 0}
	// MultiSecretVersion introduced the plural /secrets routes (several secrets per client).
	MultiSecretVersion = Version{2, 14, 0}
)

func (v Version) String() string { return fmt.Sprintf("%d.%d.%d", v.Major, v.Minor, v.Patch) }

// Less orders versions.
func (v Version) Less(o Version) bool {
	if v.Major != o.Major {
		return v.Major < o.Major
	}
	if v.Minor != o.Minor {
		return v.Minor < o.Minor
	}
	return v.Patch < o.Patch
}

// IsZero reports whether the version is unknown.
func (v Version) IsZero() bool { return v == Version{} }

// ParseVersion reads "2.14.0", "v2.14.0", "2.14" or "2.14.0-rc.1+abc" (suffixes are ignored).
func ParseVersion(s string) (Version, error) {
	t := strings.TrimPrefix(strings.TrimSpace(s), "v")
	if i := strings.IndexAny(t, "-+ "); i >= 0 {
		t = t[:i]
	}
	parts := strings.Split(t, ".")
	if len(parts) < 2 || len(parts) > 3 {
		return Version{}, fmt.Errorf("version %q: want major.minor.patch", shorten(s))
	}
	var n [3]int
	for i, p := range parts {
		x, err := strconv.Atoi(p)
		if err != nil || x < 0 {
			return Version{}, fmt.Errorf("version %q: want major.minor.patch", shorten(s))
		}
		n[i] = x
	}
	return Version{n[0], n[1], n[2]}, nil
}

// ServerVersion asks Pocket ID for its version and remembers it: routes that changed between
// releases (the client secret) follow it.
func (c *Client) ServerVersion(ctx context.Context) (Version, error) {
	var raw []byte
	if err := c.do(ctx, request{method: http.MethodGet, path: "/api/version/current"}, &raw); err != nil {
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
