package provision

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestParseDocuments(t *testing.T) {
	const head = "apiVersion: oidc.endsys.cloud/v1alpha1\nkind: OIDCClient\n"
	for _, tc := range []struct {
		name    string
		yaml    string
		ids     []string
		wantErr string
	}{
		{name: "one", yaml: head + "spec: {id: immich, secret: {file: /s}}\n", ids: []string{"immich"}},
		{name: "several with empty documents", yaml: "---\n" + head + "spec: {id: a1, public: true}\n---\n---\n" + head + "spec: {id: b2, public: true}\n", ids: []string{"a1", "b2"}},
		{name: "full", yaml: head + `metadata: {name: immich, namespace: apps, labels: {a: b}}
spec:
  id: immich
  state: present
  name: Immich
  callbackURLs: [https://x.example.com/cb]
  logoutCallbackURLs: [https://x.example.com/out]
  launchURL: https://x.example.com
  pkce: true
  allowedGroups: [family]
  createMissingGroups: true
  secret: {file: /s, rotationOverlap: 1h30m, retainOld: true}
`, ids: []string{"immich"}},
		{name: "unknown field", yaml: head + "spec: {id: immich, public: true, callbackURL: [https://x]}\n", wantErr: `test.yaml: unknown field "spec.callbackURL"`},
		{name: "unknown nested field", yaml: head + "spec: {id: immich, secret: {file: /s, overlap: 1h}}\n", wantErr: `unknown field "spec.secret.overlap"`},
		{name: "duplicate field", yaml: head + "spec: {id: immich, id: other, public: true}\n", wantErr: `test.yaml`},
		{name: "wrong kind", yaml: "apiVersion: oidc.endsys.cloud/v1alpha1\nkind: OIDCIntegration\nspec: {}\n", wantErr: `want apiVersion oidc.endsys.cloud/v1alpha1 kind OIDCClient, got apiVersion "oidc.endsys.cloud/v1alpha1" kind "OIDCIntegration"`},
		{name: "wrong type", yaml: head + "spec: {id: immich, public: yes-please}\n", wantErr: `test.yaml`},
		{name: "second document names its index", yaml: head + "spec: {id: ok, public: true}\n---\n" + head + "spec: {id: x}\n", wantErr: `test.yaml#2: OIDCClient "x": [spec.id: Invalid value`},
		{name: "missing id", yaml: head + "spec: {public: true}\n", wantErr: "spec.id: Required value"},
		{name: "bad state", yaml: head + "spec: {id: immich, state: gone, public: true}\n", wantErr: `spec.state: Unsupported value: "gone"`},
		{name: "callback without scheme", yaml: head + "spec: {id: immich, public: true, callbackURLs: [https://ok.example.com, immich.example.com/cb]}\n", wantErr: "spec.callbackURLs[1]: Invalid value"},
		{name: "javascript logout", yaml: head + "spec: {id: immich, public: true, logoutCallbackURLs: ['javascript:alert(1)']}\n", wantErr: "spec.logoutCallbackURLs[0]: Invalid value"},
		{name: "name too long", yaml: head + "spec: {id: immich, public: true, name: " + strings.Repeat("n", 51) + "}\n", wantErr: "spec.name: Too long"},
		{name: "confidential without secret", yaml: head + "spec: {id: immich}\n", wantErr: "spec.secret: Required value"},
		{name: "duplicate group", yaml: head + "spec: {id: immich, public: true, allowedGroups: [a, a]}\n", wantErr: `spec.allowedGroups[1]: Duplicate value: "a"`},
		{name: "group name too short for Pocket ID", yaml: head + "spec: {id: immich, public: true, allowedGroups: [family, x]}\n", wantErr: `spec.allowedGroups[1]: Invalid value: "x": a Pocket ID group name has 2 to 255 characters`},
		{name: "group name too long for Pocket ID", yaml: head + "spec: {id: immich, public: true, allowedGroups: [" + strings.Repeat("g", 256) + "]}\n", wantErr: `spec.allowedGroups[0]: Invalid value`},
		{name: "negative overlap", yaml: head + "spec: {id: immich, secret: {file: /s, rotationOverlap: -1h}}\n", wantErr: "spec.secret.rotationOverlap: Invalid value"},
		{name: "absent needs nothing else", yaml: head + "spec: {id: immich, state: absent}\n", ids: []string{"immich"}},
		{name: "not yaml", yaml: "spec: [\n", wantErr: "test.yaml"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			docs, err := ParseDocuments([]byte(tc.yaml), "test.yaml")
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var ids []string
			for _, d := range docs {
				ids = append(ids, d.Client.Spec.ID)
			}
			if !equalLists(ids, tc.ids) {
				t.Errorf("ids %v, want %v", ids, tc.ids)
			}
		})
	}
}

func TestLoadFilesConfigMapDirectory(t *testing.T) {
	// A ConfigMap volume: files are symlinks into a ..<timestamp> directory via ..data.
	dir := t.TempDir()
	ts := filepath.Join(dir, "..2026_09_01_12_00_00.000000001")
	must(t, os.Mkdir(ts, 0o755))
	must(t, os.Symlink(filepath.Base(ts), filepath.Join(dir, "..data")))
	for _, id := range []string{"paperless", "immich"} {
		must(t, os.WriteFile(filepath.Join(ts, id+".yaml"), []byte("apiVersion: oidc.endsys.cloud/v1alpha1\nkind: OIDCClient\nspec: {id: "+id+", public: true}\n"), 0o644))
		must(t, os.Symlink(filepath.Join("..data", id+".yaml"), filepath.Join(dir, id+".yaml")))
	}
	must(t, os.WriteFile(filepath.Join(dir, ".hidden.yaml"), []byte("not: [valid"), 0o644))
	must(t, os.WriteFile(filepath.Join(dir, "README"), []byte("ignored"), 0o644))

	docs, err := LoadFiles([]string{dir})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, d := range docs {
		ids = append(ids, d.Client.Spec.ID)
	}
	if !equalLists(ids, []string{"immich", "paperless"}) {
		t.Errorf("ids %v, want [immich paperless] (sorted, hidden entries skipped)", ids)
	}

	// The same client twice (a file and the directory): an error naming both.
	_, err = LoadFiles([]string{dir, filepath.Join(dir, "immich.yaml")})
	if err == nil || !strings.Contains(err.Error(), `"immich" is also defined in`) {
		t.Errorf("err %v, want a duplicate id error", err)
	}
	for _, bad := range [][]string{nil, {filepath.Join(dir, "missing.yaml")}, {t.TempDir()}} {
		if _, err := LoadFiles(bad); err == nil {
			t.Errorf("LoadFiles(%v): no error", bad)
		}
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func TestReadSecretFile(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		content, want string
		err           bool
	}{
		{"value\n", "value", false},
		{"value\r\n", "value", false},
		{"value\n\n", "value\n", false},
		{"value", "value", false},
		{" value ", " value ", false},
		{"\n", "", true},
		{"", "", true},
	} {
		p := filepath.Join(dir, "s")
		must(t, os.WriteFile(p, []byte(tc.content), 0o600))
		got, err := ReadSecretFile(p)
		if (err != nil) != tc.err || got != tc.want {
			t.Errorf("ReadSecretFile(%q) = %q, %v; want %q, err=%v", tc.content, got, err, tc.want, tc.err)
		}
	}
}
