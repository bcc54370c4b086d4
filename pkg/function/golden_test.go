package function

import (
	"bytes"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/kptdev/krm-functions-sdk/go/fn"
)

// TestGolden runs every testdata/<case>/ through Run, the binary's real entry:
// the non-underscore YAML files are the items, _fnconfig.yaml the functionConfig (optional),
// _expected.yaml the whole output ResourceList and _expected_stderr.txt what stderr must say.
// UPDATE_GOLDEN=1 rewrites both. Each case is then run again on its own output and must
// come out with the same items: kpt re-renders its own output on every `kpt fn render`.
func TestGolden(t *testing.T) {
	dirs, err := os.ReadDir("testdata")
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range dirs {
		if !d.IsDir() {
			continue
		}
		dir := filepath.Join("testdata", d.Name())
		t.Run(d.Name(), func(t *testing.T) {
			input := goldenInput(t, dir)
			stdout, stderr, code := runFn(t, input)
			if code != 0 {
				t.Fatalf("exit code %d, stderr:\n%s", code, stderr)
			}
			compareGolden(t, filepath.Join(dir, "_expected.yaml"), stdout)
			compareGolden(t, filepath.Join(dir, "_expected_stderr.txt"), stderr)

			second, stderr2, code := runFn(t, withoutResults(t, stdout))
			if code != 0 {
				t.Fatalf("second run: exit code %d, stderr:\n%s", code, stderr2)
			}
			if diff := cmp.Diff(itemsYAML(t, stdout), itemsYAML(t, second)); diff != "" {
				t.Errorf("second run changed the items (-first +second):\n%s", diff)
			}
		})
	}
}

func runFn(t *testing.T, input []byte) (stdout, stderr []byte, code int) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = runFunction(bytes.NewReader(input), &out, &errOut)
	return out.Bytes(), errOut.Bytes(), code
}

// goldenInput builds the ResourceList of a case directory, files in name order.
func goldenInput(t *testing.T, dir string) []byte {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	names := make([]string, 0, len(entries))
	for _, e := range entries {
		if !e.IsDir() {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	rl := &fn.ResourceList{FunctionConfig: fn.NewEmptyKubeObject()}
	for _, n := range names {
		if !(strings.HasSuffix(n, ".yaml") || n == "Kptfile") || strings.HasPrefix(n, "_") {
			continue
		}
		objs, err := fn.ParseKubeObjects(mustRead(t, filepath.Join(dir, n)))
		if err != nil {
			t.Fatalf("%s: %v", n, err)
		}
		rl.Items = append(rl.Items, objs...)
	}
	if b, err := os.ReadFile(filepath.Join(dir, "_fnconfig.yaml")); err == nil {
		cfg, err := fn.ParseKubeObject(b)
		if err != nil {
			t.Fatalf("_fnconfig.yaml: %v", err)
		}
		rl.FunctionConfig = cfg
	}
	b, err := rl.ToYAML()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func withoutResults(t *testing.T, out []byte) []byte {
	t.Helper()
	rl, err := fn.ParseResourceList(out)
	if err != nil {
		t.Fatalf("output is not a ResourceList: %v", err)
	}
	rl.Results = nil
	b, err := rl.ToYAML()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func itemsYAML(t *testing.T, out []byte) string {
	t.Helper()
	rl, err := fn.ParseResourceList(out)
	if err != nil {
		t.Fatalf("output is not a ResourceList: %v", err)
	}
	var sb strings.Builder
	for _, o := range rl.Items {
		sb.WriteString(o.String())
		sb.WriteString("---\n")
	}
	return sb.String()
}

func compareGolden(t *testing.T, path string, got []byte) {
	t.Helper()
	if os.Getenv("UPDATE_GOLDEN") == "1" {
		if len(got) == 0 {
			_ = os.Remove(path)
			return
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s differs (-want +got); UPDATE_GOLDEN=1 rewrites it:\n%s", path, diff)
	}
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
