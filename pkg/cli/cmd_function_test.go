package cli

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"
)

// TestFunctionOnATerminal: run by hand without a pipe, the function says what it expects
// instead of waiting for input (a character device stands in for the terminal).
func TestFunctionOnATerminal(t *testing.T) {
	tty, err := os.Open(os.DevNull)
	if err != nil {
		t.Fatal(err)
	}
	defer tty.Close()
	var stdout, stderr bytes.Buffer
	if code := Run(context.Background(), nil, tty, &stdout, &stderr); code != 2 {
		t.Errorf("exit code %d, want 2", code)
	}
	if !strings.Contains(stderr.String(), "reads a ResourceList on stdin, which kustomize and kpt pipe in; stdin is a terminal or another device, not a pipe") ||
		!strings.Contains(stderr.String(), "pocketid-oidc render [DIR...]") || stdout.Len() != 0 {
		t.Errorf("stdout %q, stderr %q", stdout.String(), stderr.String())
	}
}

// TestFunctionFromAPipe: piped input reaches the function (a file is what a pipe looks like
// to it here).
func TestFunctionFromAPipe(t *testing.T) {
	f, err := os.CreateTemp(t.TempDir(), "rl")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteString("- a\n- b\n"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.Seek(0, 0); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	if code := Run(context.Background(), nil, f, &stdout, &stderr); code != 1 || !strings.HasPrefix(stderr.String(), "error: the input is a YAML list, not a ResourceList") {
		t.Errorf("exit %d, stderr %q", code, stderr.String())
	}
}
