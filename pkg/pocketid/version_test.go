package pocketid

import (
	"context"
	"testing"
)

func TestServerVersion(t *testing.T) {
	for _, tc := range []struct {
		body    string
		want    string
		wantErr bool
	}{
		{`{"version":"2.14.0"}`, "2.14.0", false},
		{`{"version":"v2.13.1"}`, "2.13.1", false},
		{`{"currentVersion":"2.12"}`, "2.12.0", false},
		{`"v2.14.3"`, "2.14.3", false},
		{"2.15.0-rc.1\n", "2.15.0-rc.1", false},
		{`{"version":"2.14.0+build.7"}`, "2.14.0", false},
		{`{"other":"x"}`, "", true},
		{`{"version":"latest"}`, "", true},
		{`{"version":"2"}`, "", true},
	} {
		srv, _ := scripted(t, step{status: 200, body: tc.body})
		c := newTestClient(t, srv.URL, &sleepRecorder{})
		got, err := c.ServerVersion(context.Background())
		if (err != nil) != tc.wantErr || got.String() != tc.want {
			t.Errorf("%s: %v, %v; want %v err=%v", tc.body, got, err, tc.want, tc.wantErr)
		}
		if !tc.wantErr && c.Version() != got {
			t.Errorf("%s: version not remembered", tc.body)
		}
	}
}

func TestVersionLess(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		less bool
	}{
		{"2.11.9", "2.12.0", true},
		{"2.12.0", "2.12.0", false},
		{"1.99.0", "2.0.0", true},
		{"2.13.9", "2.14.0", true},
		{"3.0.0", "2.14.0", false},
		{"2.9.0", "2.10.0", true},
		// A release candidate precedes its release: it must not get the release's routes.
		{"2.14.0-rc.1", "2.14.0", true},
		{"2.14.0", "2.14.0-rc.1", false},
		{"2.14.0-rc.1", "2.14.0-rc.2", true},
		{"2.14.0-rc.9", "2.14.0-rc.10", true},
		{"2.14.0-beta", "2.14.0-rc.1", true},
	} {
		a, b := MustParseVersion(tc.a), MustParseVersion(tc.b)
		if got := a.Less(b); got != tc.less {
			t.Errorf("%v < %v = %v, want %v", a, b, got, tc.less)
		}
	}
	if rc := MustParseVersion("2.14.0-rc.1"); !rc.Less(MultiSecretVersion) {
		t.Error("2.14.0-rc.1 counts as 2.14.0")
	}
}
