package docs

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestShellBlocks: how a Markdown file splits into commands (the ground TestDocumentedCommands
// stands on).
func TestShellBlocks(t *testing.T) {
	md := "# Title\n" +
		"```yaml\n" +
		"a: b   # not a command\n" +
		"```\n" +
		"```sh\n" +
		"# a comment line\n" +
		"make demo   # builds and renders\n" +
		"export A=1 \\\n" +
		"  B='x # y'\n" +
		"\n" +
		"for d in a b; do\n" +
		"  echo \"$d\"\n" +
		"done\n" +
		"```\n"
	blocks, err := shellBlocks("x.md", []byte(md))
	if err != nil {
		t.Fatal(err)
	}
	want := []docBlock{{File: "x.md", Line: 5, Commands: []docCommand{
		{Line: 7, Text: "make demo   # builds and renders", Key: "make demo"},
		{Line: 8, Text: "export A=1 \\\n  B='x # y'", Key: "export A=1 B='x # y'"},
		{Line: 11, Text: "for d in a b; do\n  echo \"$d\"\ndone", Key: "for d in a b; do\necho \"$d\"\ndone"},
	}}}
	if d := cmp.Diff(want, blocks); d != "" {
		t.Errorf("blocks (-want +got):\n%s", d)
	}
}

// TestShellBlocksRefuses: a shell block under another tag, or one left open, is an error, not a
// block the test silently does not run.
func TestShellBlocksRefuses(t *testing.T) {
	for name, tc := range map[string]struct{ md, want string }{
		"bash tag":   {"```bash\nmake demo\n```\n", "x.md:1: shell block tagged \"bash\""},
		"console":    {"```console\n$ make demo\n```\n", "tagged \"console\""},
		"not closed": {"```sh\nmake demo\n", "x.md:1: ```sh block not closed"},
		"unfinished": {"```sh\nfor d in a; do\n```\n", "x.md:2: unfinished command"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := shellBlocks("x.md", []byte(tc.md))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error = %v, want it to contain %q", err, tc.want)
			}
		})
	}
}

// TestSession: commands of a block share exported variables and the directory; a failing
// command is an error with its output.
func TestSession(t *testing.T) {
	dir := t.TempDir()
	s := newSession(t, dir, "/usr/bin:/bin")
	for _, c := range []string{"export GREETING=hello", "mkdir sub && cd sub"} {
		if out, err := s.run(c); err != nil {
			t.Fatalf("%s: %v\n%s", c, err, out)
		}
	}
	out, err := s.run(`echo "$GREETING $PWD"`)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := strings.TrimSpace(string(out)), "hello "+dir+"/sub"; got != want {
		t.Errorf("output = %q, want %q", got, want)
	}
	for _, c := range []string{"false", "false | true", "echo $UNSET_VARIABLE"} {
		if _, err := s.run(c); err == nil {
			t.Errorf("%q: no error; a failing documented command must fail the test", c)
		}
	}
}
