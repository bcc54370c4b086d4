package docs

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// codeSpan is a Markdown code span: `x`, or “x“ when x holds a backtick.
var codeSpan = regexp.MustCompile("``(.+?)``|`([^`]+)`")

// TestTroubleshootingMessagesExist: every message the README's troubleshooting tables quote
// (the code spans of a row's first cell; "..." stands for names and values) is one the code
// still produces: it appears in the Go sources, or verbatim in a test that checks a tool's
// output. A reworded message leaves no stale entry behind. This file is not searched.
func TestTroubleshootingMessagesExist(t *testing.T) {
	root := repoRoot(t)
	readme := readFile(t, filepath.Join(root, "README.md"))
	start := strings.Index(readme, "\n## Troubleshooting\n")
	if start < 0 {
		t.Fatal("README.md has no ## Troubleshooting section")
	}
	section := readme[start+1:]
	if end := strings.Index(section, "\n## "); end >= 0 {
		section = section[:end]
	}
	corpus := goSources(t, root)

	checked := 0
	for _, line := range strings.Split(section, "\n") {
		cell, ok := firstCell(line)
		if !ok {
			continue
		}
		for _, m := range codeSpan.FindAllStringSubmatch(cell, -1) {
			quote := m[1] + m[2]
			for _, frag := range strings.Split(quote, "...") {
				frag = strings.TrimSpace(frag)
				if len(frag) < 6 {
					continue
				}
				checked++
				if !strings.Contains(corpus, frag) {
					t.Errorf("README troubleshooting quotes %q, which no Go source holds: the message changed; update the row\n  row: %s", frag, line)
				}
			}
		}
	}
	if checked < 40 {
		t.Errorf("only %d quoted messages found in the troubleshooting tables; the parsing finds too little", checked)
	}
}

// firstCell is the first cell of a Markdown table row, or false for anything else (the
// separator row included).
func firstCell(line string) (string, bool) {
	if !strings.HasPrefix(line, "| ") || strings.HasPrefix(line, "|---") {
		return "", false
	}
	rest := line[2:]
	// The first " | " outside a code span ends the cell ("\|" is an escaped pipe).
	inCode := false
	for i := 0; i < len(rest); i++ {
		switch {
		case rest[i] == '`':
			inCode = !inCode
		case !inCode && strings.HasPrefix(rest[i:], " | "):
			return rest[:i], true // a header cell holds no code span: nothing to check
		}
	}
	return "", false
}

// goSources is every Go file of the repository but this one, concatenated, with \" read as ".
func goSources(t *testing.T, root string) string {
	t.Helper()
	self, err := filepath.Abs("troubleshooting_test.go")
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && skipInCopy[d.Name()] {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(p, ".go") || p == self {
			return nil
		}
		src, err := os.ReadFile(p)
		b.Write(src)
		b.WriteByte('\n')
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return strings.ReplaceAll(b.String(), `\"`, `"`)
}
