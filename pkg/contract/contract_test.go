package contract

import (
	"strings"
	"testing"
)

func TestValidClientID(t *testing.T) {
	for id, want := range map[string]bool{
		"immich":                 true,
		"my.app_v2-x":            true,
		"ab":                     true,
		strings.Repeat("a", 128): true,
		"a":                      false,
		strings.Repeat("a", 129): false,
		"immich app":             false,
		"immich/app":             false,
		"":                       false,
		"ïmmich":                 false,
	} {
		if got := ValidClientID(id); got != want {
			t.Errorf("ValidClientID(%q) = %v, want %v", id, got, want)
		}
	}
}

// The pod paths nest under BaseDir: the renderer mounts BaseDir's children one by one.
func TestPathsUnderBaseDir(t *testing.T) {
	for _, p := range []string{ClientsDir, SecretsDir, APIKeyDir, APIKeyFile, CADir, CAFile} {
		if !strings.HasPrefix(p, BaseDir+"/") {
			t.Errorf("%s is not under %s", p, BaseDir)
		}
	}
}
