package docs

import (
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/endsys/pocketid-oidc/pkg/api/v1alpha1"
)

// TestSpecTables: the README's API reference has a row for every field of PocketIDProvider and
// OIDCIntegration spec (a row for a struct field, such as provider, covers the fields under
// it), and no row for a field the types do not have.
func TestSpecTables(t *testing.T) {
	readme := readFile(t, filepath.Join(repoRoot(t), "README.md"))
	for _, tc := range []struct {
		heading string
		spec    reflect.Type
	}{
		{"### PocketIDProvider `spec`", reflect.TypeFor[v1alpha1.ProviderSpec]()},
		{"### OIDCIntegration `spec`", reflect.TypeFor[v1alpha1.IntegrationSpec]()},
	} {
		t.Run(tc.heading, func(t *testing.T) {
			rows := tableFields(t, readme, tc.heading)
			fields := fieldPaths(tc.spec, "")
			for _, f := range fields {
				if !isLeaf(f, fields) {
					continue // a struct: its fields are checked
				}
				if !coveredBy(f, rows) {
					t.Errorf("no README row for spec.%s (under %s)", f, tc.heading)
				}
			}
			for _, r := range rows {
				if !slices.Contains(fields, r) {
					t.Errorf("README row %q under %s: the type has no such field", r, tc.heading)
				}
			}
		})
	}
}

// tableFields is the code spans of the first cells of the table under heading.
func tableFields(t *testing.T, readme, heading string) []string {
	t.Helper()
	i := strings.Index(readme, "\n"+heading+"\n")
	if i < 0 {
		t.Fatalf("README.md has no %q", heading)
	}
	section := readme[i+len(heading)+2:]
	if end := strings.Index(section, "\n#"); end >= 0 {
		section = section[:end]
	}
	var fields []string
	for _, line := range strings.Split(section, "\n") {
		cell, ok := firstCell(line)
		if !ok {
			continue
		}
		for _, m := range codeSpan.FindAllStringSubmatch(cell, -1) {
			fields = append(fields, m[1]+m[2])
		}
	}
	if len(fields) < 5 {
		t.Fatalf("only %d fields in the table under %q", len(fields), heading)
	}
	return fields
}

// fieldPaths lists the JSON paths of a spec type: every field, and the fields of a struct field
// below it (durations and lists are values).
func fieldPaths(typ reflect.Type, prefix string) []string {
	var paths []string
	for f := range typ.Fields() {
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "" || name == "-" {
			continue
		}
		p := prefix + name
		paths = append(paths, p)
		ft := f.Type
		if ft.Kind() == reflect.Pointer {
			ft = ft.Elem()
		}
		if ft.Kind() == reflect.Struct && ft != reflect.TypeFor[metav1.Duration]() {
			paths = append(paths, fieldPaths(ft, p+".")...)
		}
	}
	return paths
}

// isLeaf: no field lies under f.
func isLeaf(f string, fields []string) bool {
	return !slices.ContainsFunc(fields, func(g string) bool { return strings.HasPrefix(g, f+".") })
}

// coveredBy: a row names the field or a struct field above it.
func coveredBy(field string, rows []string) bool {
	for _, r := range rows {
		if field == r || strings.HasPrefix(field, r+".") {
			return true
		}
	}
	return false
}
