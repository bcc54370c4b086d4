package docs

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode"
)

// markdownLink is an inline link [text](target); images and remote targets are told apart below.
var markdownLink = regexp.MustCompile(`\]\(([^)\s]+)\)`)

// TestLinks: every relative link of the docs names a file of the repository, and every #anchor a
// heading of its file (GitHub's anchors: lower case, punctuation dropped, spaces as dashes).
func TestLinks(t *testing.T) {
	root := repoRoot(t)
	var files []string
	for _, g := range documentedFiles {
		m, err := filepath.Glob(filepath.Join(root, g))
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, m...)
	}
	checked := 0
	for _, f := range files {
		rel, _ := filepath.Rel(root, f)
		for _, m := range markdownLink.FindAllStringSubmatch(readFile(t, f), -1) {
			target := m[1]
			if strings.Contains(target, "://") || strings.HasPrefix(target, "mailto:") {
				continue
			}
			checked++
			path, anchor, _ := strings.Cut(target, "#")
			file := f
			if path != "" {
				file = filepath.Join(filepath.Dir(f), path)
				if _, err := os.Stat(file); err != nil {
					t.Errorf("%s: link %q: %v", rel, target, err)
					continue
				}
			}
			if anchor != "" && !hasAnchor(t, file, anchor) {
				t.Errorf("%s: link %q: no heading with that anchor in %s", rel, target, filepath.Base(file))
			}
		}
	}
	t.Logf("%d relative links checked", checked)
	if checked < 5 {
		t.Errorf("only %d relative links found", checked)
	}
}

// hasAnchor reports whether a Markdown file has a heading whose GitHub anchor is anchor.
func hasAnchor(t *testing.T, file, anchor string) bool {
	t.Helper()
	inFence := false
	for _, line := range strings.Split(readFile(t, file), "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "```") {
			inFence = !inFence
		}
		if inFence || !strings.HasPrefix(line, "#") {
			continue
		}
		if headingAnchor(strings.TrimLeft(line, "#")) == anchor {
			return true
		}
	}
	return false
}

// headingAnchor is GitHub's anchor of a heading text.
func headingAnchor(heading string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(strings.TrimSpace(heading)) {
		switch {
		case r == ' ':
			b.WriteByte('-')
		case r == '-' || r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(r)
		}
	}
	return b.String()
}

// TestHeadingAnchor: the anchors GitHub gives the README's headings.
func TestHeadingAnchor(t *testing.T) {
	for heading, want := range map[string]string{
		" 2. kustomize, one provider for many app directories (a Component)": "2-kustomize-one-provider-for-many-app-directories-a-component",
		" FunctionConfig (API reference)":                                    "functionconfig-api-reference",
		" Gateway login (`spec.gateway`)":                                    "gateway-login-specgateway",
		" Size limits":                                                       "size-limits",
	} {
		if got := headingAnchor(heading); got != want {
			t.Errorf("headingAnchor(%q) = %q, want %q", heading, got, want)
		}
	}
}
