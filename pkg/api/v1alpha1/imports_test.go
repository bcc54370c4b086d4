package v1alpha1

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestImportsNoMachinery: the API package holds types, defaults and validation only. It may
// import the standard library (but not net/http), apimachinery's types and validation helpers,
// a strict JSON decoder, pkg/contract and internal/suggest (did-you-mean, standard library
// only); an HTTP client, the build's version or a renderer here
// would make every user of the types carry them.
func TestImportsNoMachinery(t *testing.T) {
	allowed := []string{
		"k8s.io/apimachinery/pkg/apis/meta/v1",
		"k8s.io/apimachinery/pkg/runtime",
		"k8s.io/apimachinery/pkg/util/",
		"sigs.k8s.io/json",
		"github.com/endsys/pocketid-oidc/pkg/contract",
		"github.com/endsys/pocketid-oidc/internal/suggest",
	}
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		f, err := parser.ParseFile(token.NewFileSet(), name, src, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range f.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			if !strings.Contains(strings.Split(p, "/")[0], ".") && !strings.HasPrefix(p, "net/http") {
				continue // the standard library
			}
			ok := false
			for _, a := range allowed {
				if p == a || strings.HasSuffix(a, "/") && strings.HasPrefix(p, a) {
					ok = true
				}
			}
			if !ok {
				t.Errorf("%s imports %s", name, p)
			}
		}
	}
}
