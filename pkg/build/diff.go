package build

import (
	"strings"

	"github.com/pmezard/go-difflib/difflib"
)

// unifiedDiff is the diff from the committed render (from) to the fresh one (to), as git prints
// it: three lines of context.
func unifiedDiff(from, to []byte, fromName, toName string) (string, error) {
	return difflib.GetUnifiedDiffString(difflib.UnifiedDiff{
		A: lines(from), B: lines(to), FromFile: fromName, ToFile: toName, Context: 3,
	})
}

// lines splits b after each newline. Unlike difflib.SplitLines it adds no line to an empty text
// (a missing render diffs as all additions), and it marks a last line without newline the way
// diff does, so that a missing final newline shows instead of an identical-looking hunk.
func lines(b []byte) []string {
	if len(b) == 0 {
		return nil
	}
	l := strings.SplitAfter(string(b), "\n")
	if last := l[len(l)-1]; last == "" {
		l = l[:len(l)-1]
	} else {
		l[len(l)-1] = last + "\n\\ No newline at end of file\n"
	}
	return l
}
