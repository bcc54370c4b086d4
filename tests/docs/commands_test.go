package docs

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// documentedFiles are the Markdown files whose ```sh blocks are commands a user runs.
var documentedFiles = []string{"README.md", "examples/*/README.md", "docs/*.md"}

// workDir is where a file's commands run, relative to the repository root: the repository root
// unless the file is written for another directory. examples/flux stands for the root of a
// user's GitOps repository.
var workDir = map[string]string{
	"examples/flux/README.md": "examples/flux",
}

// notRunHere lists every documented command this test does not run, with the reason. Keys are
// commands as commandKey writes them (comments dropped, continuation lines joined). An entry
// that matches no documented command fails the test, so the list cannot go stale.
var notRunHere = map[string]string{
	"go install github.com/endsys/pocketid-oidc/cmd/pocketid-oidc@latest": "installs the published release through the network (TestDocumentedGoInstall checks the package); the commands after it run the binary `make build` made, first on PATH as pocketid-oidc",
	"make test":                 "the suite this test is part of",
	"make image VERSION=v0.1.0": "needs a Docker engine; tests/image builds the same image without one (`make image-oci`)",
	"make build && go test -count=1 ./tests/e2e/":                                                                      "runs tests/e2e, which `make test` runs itself",
	"go test -run '^$' -bench SDKIdentity -benchtime 3x -cpuprofile cpu.out -memprofile mem.out ./tests/bench":         "a profiling benchmark (minutes); `make bench` is where benchmarks run",
	"go tool pprof -top -cum tests/bench.test cpu.out":                                                                 "reads the profile of the benchmark above",
	"POCKETID_URL=https://auth.example.com POCKETID_API_KEY_FILE=./api-key pocketid-oidc provision -f clients/ --plan": "talks to a Pocket ID instance; pkg/provision and pkg/cli test the command against the strict fake",
}

// docCommand is one command of a ```sh block: Text as written (comments, line breaks), Key
// without comments and continuation breaks.
type docCommand struct {
	Line      int
	Text, Key string
}

// docBlock is one ```sh block.
type docBlock struct {
	File     string // relative to the repository root
	Line     int
	Commands []docCommand
}

// TestDocumentedCommands runs every command of every ```sh block of the docs, each block in a
// fresh copy of the repository (its commands in order, sharing exported variables and the
// directory like one shell session), with bin/pocketid-oidc (the binary under test), kustomize
// and kpt first on PATH. A command that exits non-zero fails the test.
func TestDocumentedCommands(t *testing.T) {
	root := repoRoot(t)
	bin := requireEnv(t, "POCKETID_OIDC_BIN")
	path := strings.Join([]string{
		filepath.Dir(requireEnv(t, "KUSTOMIZE")),
		filepath.Dir(requireEnv(t, "KPT")),
		os.Getenv("PATH"),
	}, string(os.PathListSeparator))
	blocks := documentedBlocks(t, root)

	// What is run and what is not follows from the docs alone, whichever subtests -run selects.
	used := map[string]bool{}
	runnable := 0
	for _, b := range blocks {
		for _, c := range b.Commands {
			if _, ok := notRunHere[c.Key]; ok {
				used[c.Key] = true
			} else {
				runnable++
			}
		}
	}
	for _, b := range blocks {
		t.Run(fmt.Sprintf("%s:%d", b.File, b.Line), func(t *testing.T) {
			var run []docCommand
			for _, c := range b.Commands {
				if reason, ok := notRunHere[c.Key]; ok {
					t.Logf("%s:%d not run: %s", b.File, c.Line, reason)
					continue
				}
				run = append(run, c)
			}
			if len(run) == 0 {
				return
			}
			repo := t.TempDir()
			copyRepo(t, repo)
			// The binary under test as bin/pocketid-oidc, with its modification time: the
			// Makefile's targets see it as up to date exactly when it is in the repository.
			if err := copyFile(bin, filepath.Join(repo, "bin", "pocketid-oidc")); err != nil {
				t.Fatal(err)
			}
			sh := newSession(t, filepath.Join(repo, workDir[b.File]),
				filepath.Join(repo, "bin")+string(os.PathListSeparator)+path)
			for _, c := range run {
				if out, err := sh.run(c.Text); err != nil {
					t.Errorf("%s:%d: documented command failed (%v):\n$ %s\n%s", b.File, c.Line, err, c.Text, tail(out))
					return // later commands of the block may depend on this one
				}
			}
		})
	}
	for key := range notRunHere {
		if !used[key] {
			t.Errorf("notRunHere lists %q, which no documented ```sh block holds any more: drop the entry", key)
		}
	}
	t.Logf("%d documented commands to run, %d listed in notRunHere", runnable, len(notRunHere))
	if runnable < 10 {
		t.Errorf("only %d documented commands to run: the extraction finds too little", runnable)
	}
}

// session runs commands one after another like one interactive shell: exported variables and
// the working directory carry over from one command to the next.
type session struct {
	t          testing.TB
	state, cwd string // files holding `export -p` and `pwd` after the last command
	env        []string
}

func newSession(t testing.TB, dir, path string) *session {
	tmp := t.TempDir()
	s := &session{t: t, state: filepath.Join(tmp, "state"), cwd: filepath.Join(tmp, "cwd")}
	if err := os.WriteFile(s.state, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(s.cwd, []byte(dir), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "PATH=") {
			s.env = append(s.env, kv)
		}
	}
	s.env = append(s.env, "PATH="+path)
	return s
}

// run runs one command under bash -euo pipefail and returns its combined output.
func (s *session) run(command string) ([]byte, error) {
	script := `set -euo pipefail
source "$STATE"
cd "$(<"$CWD")"
` + command + `
export -p >"$STATE"
pwd >"$CWD"
`
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "bash", "-c", script)
	cmd.Env = append(slices.Clip(s.env), "STATE="+s.state, "CWD="+s.cwd)
	return cmd.CombinedOutput()
}

// tail is the end of a command's output, enough to see why it failed.
func tail(out []byte) string {
	const max = 4000
	if len(out) > max {
		return "...\n" + string(out[len(out)-max:])
	}
	return string(out)
}

// documentedBlocks reads every ```sh block of documentedFiles. A shell block under another tag
// (bash, shell, console) fails the test: it would escape it.
func documentedBlocks(t testing.TB, root string) []docBlock {
	t.Helper()
	var files []string
	for _, g := range documentedFiles {
		m, err := filepath.Glob(filepath.Join(root, g))
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, m...)
	}
	var blocks []docBlock
	for _, f := range files {
		rel, _ := filepath.Rel(root, f)
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		bs, err := shellBlocks(filepath.ToSlash(rel), src)
		if err != nil {
			t.Error(err)
		}
		blocks = append(blocks, bs...)
	}
	return blocks
}

// shellBlocks splits the ```sh blocks of one Markdown file into commands.
func shellBlocks(file string, src []byte) ([]docBlock, error) {
	var (
		blocks  []docBlock
		cur     *docBlock
		pending []string // lines of an unfinished command
		start   int
		inOther bool // inside a fenced block of another language
		errs    []string
	)
	sc := bufio.NewScanner(bytes.NewReader(src))
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		trimmed := strings.TrimSpace(line)
		if fence, ok := strings.CutPrefix(trimmed, "```"); ok {
			switch {
			case cur != nil: // closing a sh block
				if len(pending) > 0 {
					errs = append(errs, fmt.Sprintf("%s:%d: unfinished command at the end of the block", file, start))
				}
				blocks = append(blocks, *cur)
				cur, pending = nil, nil
			case inOther:
				inOther = false
			case fence == "sh":
				cur = &docBlock{File: file, Line: n}
			case fence == "bash" || fence == "shell" || fence == "console" || fence == "zsh":
				errs = append(errs, fmt.Sprintf("%s:%d: shell block tagged %q: tag it sh so that TestDocumentedCommands runs it", file, n, fence))
				inOther = true
			default:
				inOther = true
			}
			continue
		}
		if cur == nil {
			continue
		}
		if len(pending) == 0 {
			if trimmed == "" || strings.HasPrefix(trimmed, "#") {
				continue
			}
			start = n
		}
		pending = append(pending, line)
		text := strings.Join(pending, "\n")
		if strings.HasSuffix(line, `\`) || !completeShell(text) {
			continue
		}
		cur.Commands = append(cur.Commands, docCommand{Line: start, Text: text, Key: commandKey(text)})
		pending = nil
	}
	if cur != nil {
		errs = append(errs, fmt.Sprintf("%s:%d: ```sh block not closed", file, cur.Line))
	}
	if len(errs) > 0 {
		return blocks, fmt.Errorf("%s", strings.Join(errs, "\n"))
	}
	return blocks, nil
}

// completeShell reports whether text parses as complete shell input (a for loop is complete at
// its done), asking bash itself.
func completeShell(text string) bool {
	return exec.Command("bash", "-n", "-c", text).Run() == nil
}

// commandKey is a command without its comments, continuation breaks joined, runs of blanks
// collapsed: the form notRunHere lists.
func commandKey(text string) string {
	var lines []string
	for _, l := range strings.Split(strings.ReplaceAll(text, "\\\n", " "), "\n") {
		if l = strings.TrimSpace(stripComment(l)); l != "" {
			lines = append(lines, strings.Join(strings.Fields(l), " "))
		}
	}
	return strings.Join(lines, "\n")
}

// stripComment drops a shell comment: a # at the start of a word, outside quotes.
func stripComment(line string) string {
	var quote rune
	prev := ' '
	for i, r := range line {
		switch {
		case quote != 0:
			if r == quote {
				quote = 0
			}
		case r == '\'' || r == '"':
			quote = r
		case r == '#' && (prev == ' ' || prev == '\t'):
			return line[:i]
		}
		prev = r
	}
	return line
}

// TestDocumentedGoInstall: what the allow-listed `go install MODULE/PATH@VERSION` commands would
// install is a main package of this module (the network part is all they leave untested).
func TestDocumentedGoInstall(t *testing.T) {
	root := repoRoot(t)
	found := 0
	for _, b := range documentedBlocks(t, root) {
		for _, c := range b.Commands {
			rest, ok := strings.CutPrefix(c.Key, "go install ")
			if !ok {
				continue
			}
			pkg, _, _ := strings.Cut(rest, "@")
			found++
			cmd := exec.Command("go", "list", "-f", "{{.Name}}", pkg)
			cmd.Dir = root
			out, err := cmd.CombinedOutput()
			if err != nil || strings.TrimSpace(string(out)) != "main" {
				t.Errorf("%s:%d: %s is not a main package of this module (%v): %s", b.File, c.Line, pkg, err, out)
			}
		}
	}
	if found == 0 {
		t.Error("no documented go install command found")
	}
}
