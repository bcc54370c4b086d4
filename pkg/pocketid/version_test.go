package pocketid

import (
	"context"
	"testing"
)

func TestServerVersion(t *testing.T) {
	for _, tc := range []struct {
		body    string
		want    Version
		wantErr bool
	}{
		{`{"version":"2.14.0"}`, Version{2, 14, 0}, false},
		{`{"version":"v2.13.1"}`, Version{2, 13, 1}, false},
		{`{"currentVersion":"2.12"}`, Version{2, 12, 0}, false},
		{`"v2.14.3"`, Version{2, 14, 3}, false},
		{"2.15.0-rc.1\n", Version{2, 15, 0}, false},
		{`{"other":"x"}`, Version{}, true},
		{`{"version":"latest"}`, Version{}, true},
	} {
		srv, _ := scripted(t, step{status: 200, body: tc.body})
		c := newTestClient(t, srv.URL, &sleepRecorder{})
		got, err := c.ServerVersion(context.Background())
		if (err != nil) != tc.wantErr || got != tc.want {
			t.Errorf("%s: %v, %v; want %v err=%v", tc.body, got, err, tc.want, tc.wantErr)
		}
		if !tc.wantErr && c.Version() != tc.want {
			t.Errorf("%s: version not remembered", tc.body)
		}
	}
}

func TestVersionLess(t *testing.T) {
	for _, tc := range []struct {
		a, b Version
		less bool
	}{
		{Version{2, 11, 9}, MinVersion, true},
		{Version{2, 12, 0}, MinVersion, false},
		{Version{1, 99, 0}, Version{2, 0, 0}, true},
		{Version{2, 13, 9}, MultiSecretVersion, true},
		{Version{3, 0, 0}, MultiSecretVersion, false},
	} {
		if got := tc.a.Less(tc.b); got != tc.less {
			t.Errorf("%v < %v = %v", tc.a, tc.b, got)
		}
	}
}
