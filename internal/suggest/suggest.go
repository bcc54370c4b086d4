package suggest

import (
	"sort"
	"strings"
	"unicode"
)

// Similar returns the candidates close to name, closest first (ties in the candidates' order):
// equal when case and separators are ignored, one a prefix of the other (paperless,
// paperless-ngx), or within an edit distance of a quarter of the name's length (at least 1, at
// most 3). Exact matches are not suggested: the caller only asks for a name it did not find.
func Similar(name string, candidates []string) []string {
	n := normalize(name)
	if n == "" {
		return nil
	}
	type hit struct {
		name string
		dist int
	}
	var hits []hit
	limit := min(max(len(n)/4, 1), 3)
	for _, c := range candidates {
		if c == name {
			continue
		}
		cn := normalize(c)
		d := distance(n, cn)
		switch {
		case d == 0:
		case len(n) >= 4 && len(cn) >= 4 && (strings.HasPrefix(cn, n) || strings.HasPrefix(n, cn)):
			d = 1
		case d > limit:
			continue
		}
		hits = append(hits, hit{c, d})
	}
	sort.SliceStable(hits, func(i, j int) bool { return hits[i].dist < hits[j].dist })
	out := make([]string, len(hits))
	for i, h := range hits {
		out[i] = h.name
	}
	return out
}

// DidYouMean is Similar as the end of a message: ` (did you mean immich?)`, or "" when nothing
// is close.
func DidYouMean(name string, candidates []string) string {
	s := Similar(name, candidates)
	if len(s) == 0 {
		return ""
	}
	if len(s) > 3 {
		s = s[:3]
	}
	return " (did you mean " + strings.Join(s, " or ") + "?)"
}

// normalize lowercases and drops everything but letters and digits.
func normalize(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return unicode.ToLower(r)
		}
		return -1
	}, s)
}

// distance is the edit distance of a and b, by runes: insertions, deletions, substitutions
// and transpositions of neighbours (gitae, gitea) cost 1 each.
func distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	d := make([][]int, len(ra)+1)
	for i := range d {
		d[i] = make([]int, len(rb)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(ra); i++ {
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(ra)][len(rb)]
}
