package e2e

import (
	"bufio"
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/fluxcd/pkg/envsubst"
	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// fluxRoot stands for the root of a user's Git repository: Flux Kustomization paths in
// examples/flux are relative to it.
const fluxRoot = "examples/flux"

// Flux's kustomize-controller refuses variable names outside this pattern before substituting.
var fluxVarName = regexp.MustCompile(`^[_[:alpha:]][_[:alpha:][:digit:]]*$`)

const substituteKey = "kustomize.toolkit.fluxcd.io/substitute"

// fluxSubstitute does what kustomize-controller's postBuild does to one rendered object: the
// object's full YAML through envsubst, strict (unset variables fail, the default since v1.9.0).
func fluxSubstitute(doc string, vars map[string]string) (string, error) {
	for name := range vars {
		if !fluxVarName.MatchString(name) {
			return "", fmt.Errorf("variable name %q is invalid for Flux", name)
		}
	}
	return envsubst.Eval(doc, func(name string) (string, bool) {
		v, ok := vars[name]
		return v, ok
	})
}

// mangledShellText finds text Flux's substitution would change or reject although no variable
// was meant: `$$` silently becomes `$`, `${arr[@]}` is a parse error, any other `${` is a
// variable reference that must be declared.
func mangledShellText(doc string) []string {
	var found []string
	if strings.Contains(doc, "$$") {
		found = append(found, "`$$` (Flux turns it into `$`)")
	}
	if strings.Contains(doc, "[@]}") || strings.Contains(doc, "[*]}") {
		found = append(found, "a shell array expansion like `${arr[@]}` (a Flux parse error)")
	}
	return found
}

// TestFluxEnvsubstStrict runs Flux's own substitution over every rendered example (the kpt
// package's too) with that example's variables: no error, every placeholder resolved, and nothing but the placeholders
// changed.
func TestFluxEnvsubstStrict(t *testing.T) {
	varsByExample := fluxVariables(t)
	sets := renderedSets(t)
	for _, rel := range sortedKeys(sets) {
		t.Run(rel, func(t *testing.T) {
			vars := varsByExample[rel]
			if vars == nil {
				vars = varsEnv(t, filepath.Join(repoRoot(t), filepath.FromSlash(rel), "vars.env"))
			}
			for _, n := range sets[rel] {
				if n.GetLabels()[substituteKey] == "disabled" || n.GetAnnotations()[substituteKey] == "disabled" {
					continue
				}
				doc := n.MustString()
				for _, m := range mangledShellText(doc) {
					t.Errorf("%s contains %s", objectKey(n), m)
				}
				got, err := fluxSubstitute(doc, vars)
				if err != nil {
					t.Errorf("%s: Flux substitution fails: %v (variables: %v)", objectKey(n), err, sortedKeys(vars))
					continue
				}
				if strings.Contains(got, "${") {
					t.Errorf("%s: `${` left after substitution:\n%s", objectKey(n), got)
				}
				want := doc
				for _, name := range sortedKeys(vars) {
					want = strings.ReplaceAll(want, "${"+name+"}", vars[name])
				}
				if !sameYAML(t, want, got) {
					t.Errorf("%s: substitution changed more than the placeholders:\n%s", objectKey(n),
						diffText(want, got, "placeholders replaced as text", "flux envsubst"))
				}
			}
		})
	}
}

// TestFluxEnvsubstCatchesShellText proves the checks above can fail: each input is text a
// function could emit by mistake (a shell script in a Job, an escaped dollar).
func TestFluxEnvsubstCatchesShellText(t *testing.T) {
	vars := map[string]string{"SECRET_DOMAIN": "example.com"}
	for _, tc := range []struct{ name, doc string }{
		{"unset variable", "script: echo ${HOME}\n"},
		{"array expansion", "script: for a in ${args[@]}; do echo $a; done\n"},
		{"escaped dollar", "script: echo $$PATH\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := fluxSubstitute(tc.doc, vars)
			mangled := mangledShellText(tc.doc)
			if err == nil && len(mangled) == 0 && got == tc.doc {
				t.Fatalf("neither Flux nor the shell-text check objects to %q", tc.doc)
			}
		})
	}
	got, err := fluxSubstitute("url: https://auth.${SECRET_DOMAIN}\nplain: $VAR\n", vars)
	if err != nil || got != "url: https://auth.example.com\nplain: $VAR\n" {
		t.Fatalf("substitution of a plain placeholder: %q, %v", got, err)
	}
}

func sameYAML(t testing.TB, a, b string) bool {
	t.Helper()
	na, errA := yaml.Parse(a)
	nb, errB := yaml.Parse(b)
	if errA != nil || errB != nil {
		t.Errorf("parse after substitution: %v / %v", errA, errB)
		return false
	}
	ma, errA := na.Map()
	mb, errB := nb.Map()
	if errA != nil || errB != nil {
		t.Errorf("decode after substitution: %v / %v", errA, errB)
		return false
	}
	return reflect.DeepEqual(ma, mb)
}

// varsEnv reads KEY=value lines (# comments); a missing file means no variables.
func varsEnv(t testing.TB, file string) map[string]string {
	t.Helper()
	vars := map[string]string{}
	data, err := os.ReadFile(file)
	if os.IsNotExist(err) {
		return vars
	}
	if err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for line := 1; sc.Scan(); line++ {
		text := strings.TrimSpace(sc.Text())
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		k, v, ok := strings.Cut(text, "=")
		if !ok {
			t.Fatalf("%s:%d: want KEY=value, got %q", file, line, text)
		}
		vars[k] = v
	}
	return vars
}

// fluxVariables maps each example under examples/flux to the variables its Flux Kustomization
// substitutes, the way kustomize-controller resolves them: substituteFrom ConfigMaps in order,
// then the inline substitute map, which wins.
func fluxVariables(t testing.TB) map[string]map[string]string {
	t.Helper()
	root := repoRoot(t)
	objs := fluxManifests(t, filepath.Join(root, filepath.FromSlash(fluxRoot)))
	configMaps := map[string]*yaml.RNode{}
	for _, n := range objs {
		if n.GetApiVersion() == "v1" && n.GetKind() == "ConfigMap" {
			configMaps[n.GetNamespace()+"/"+n.GetName()] = n
		}
	}
	out := map[string]map[string]string{}
	for _, ks := range objs {
		if ks.GetApiVersion() != "kustomize.toolkit.fluxcd.io/v1" || ks.GetKind() != "Kustomization" {
			continue
		}
		p, err := ks.GetString("spec.path")
		if err != nil {
			t.Fatalf("Flux Kustomization %s: spec.path: %v", ks.GetName(), err)
		}
		rel := path.Join(fluxRoot, p)
		if _, dup := out[rel]; dup {
			t.Fatalf("two Flux Kustomizations deploy %s", rel)
		}
		vars := map[string]string{}
		from, _ := ks.Pipe(yaml.Lookup("spec", "postBuild", "substituteFrom"))
		if from != nil {
			refs, _ := from.Elements()
			for _, ref := range refs {
				kind, _ := ref.GetString("kind")
				name, _ := ref.GetString("name")
				// a YAML bool, which GetString does not return
				opt, _ := ref.Pipe(yaml.Lookup("optional"))
				optional := opt != nil && yaml.GetValue(opt) == "true"
				cm, ok := configMaps[ks.GetNamespace()+"/"+name]
				if kind != "ConfigMap" || !ok {
					if optional {
						continue
					}
					t.Fatalf("Flux Kustomization %s substitutes from %s %s/%s, which is not in %s",
						ks.GetName(), kind, ks.GetNamespace(), name, fluxRoot)
				}
				for k, v := range cm.GetDataMap() {
					vars[k] = v
				}
			}
		}
		inline, _ := ks.Pipe(yaml.Lookup("spec", "postBuild", "substitute"))
		if inline != nil {
			_ = inline.VisitFields(func(f *yaml.MapNode) error {
				vars[yaml.GetValue(f.Key)] = yaml.GetValue(f.Value)
				return nil
			})
		}
		out[rel] = vars
	}
	// Every rendered app of the Flux example must be deployed by some Flux Kustomization;
	// otherwise its variables are unknown and Flux never applies it.
	for _, ex := range renderedExamples(t) {
		if strings.HasPrefix(ex.Rel, fluxRoot+"/") {
			if _, ok := out[ex.Rel]; !ok {
				t.Errorf("%s has no Flux Kustomization with spec.path ./%s", ex.Rel, strings.TrimPrefix(ex.Rel, fluxRoot+"/"))
			}
		}
	}
	return out
}

// fluxManifests reads the Kubernetes objects of a Flux repository layout, skipping CI files and
// rendered output (which holds only app objects).
func fluxManifests(t testing.TB, dir string) []*yaml.RNode {
	t.Helper()
	var out []*yaml.RNode
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if d.Name() == ".github" {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(p, ".yaml") || d.Name() == "rendered.yaml" {
			return nil
		}
		for _, n := range readDocs(t, p) {
			if n.GetKind() != "" {
				out = append(out, n)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}
