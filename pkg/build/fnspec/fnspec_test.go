package fnspec_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/endsys/pocketid-oidc/pkg/build/fnspec"
)

func TestOurs(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   string
		want bool
	}{
		{"provider with exec path", `
apiVersion: oidc.endsys.cloud/v1alpha1
kind: PocketIDProvider
metadata:
  name: p
  annotations:
    config.kubernetes.io/function: |
      exec:
        path: ../../bin/pocketid-oidc
`, true},
		{"our kind, binary renamed", `
apiVersion: oidc.endsys.cloud/v1alpha1
kind: OIDCIntegration
metadata:
  name: p
  annotations:
    config.kubernetes.io/function: |
      exec:
        path: ./fn
`, true},
		{"other kind, our binary", `
apiVersion: example.com/v1
kind: Settings
metadata:
  name: p
  annotations:
    config.kubernetes.io/function: |
      exec:
        path: /usr/local/bin/pocketid-oidc
`, true},
		{"other kind, our image with tag", `
apiVersion: example.com/v1
kind: Settings
metadata:
  name: p
  annotations:
    config.kubernetes.io/function: |
      container:
        image: ghcr.io/endsys/pocketid-oidc:v0.1.0
`, true},
		{"our image by digest, old annotation", `
apiVersion: example.com/v1
kind: Settings
metadata:
  name: p
  annotations:
    config.k8s.io/function: |
      container:
        image: ghcr.io/endsys/pocketid-oidc@sha256:0123
`, true},
		{"legacy container annotation", `
apiVersion: example.com/v1
kind: Settings
metadata:
  name: p
  annotations:
    config.kubernetes.io/container: ghcr.io/endsys/pocketid-oidc
`, true},
		{"another function", `
apiVersion: example.com/v1
kind: Settings
metadata:
  name: p
  annotations:
    config.kubernetes.io/function: |
      container:
        image: ghcr.io/endsys/pocketid-oidc-other:v1
`, false},
		{"another exec function", `
apiVersion: example.com/v1
kind: Settings
metadata:
  name: p
  annotations:
    config.kubernetes.io/function: |
      exec:
        path: ./pocketid-oidc-wrapper
`, false},
		{"our kind without annotation (a resource, not a config)", `
apiVersion: oidc.endsys.cloud/v1alpha1
kind: OIDCIntegration
metadata:
  name: p
`, false},
		{"registry with port", `
apiVersion: example.com/v1
kind: Settings
metadata:
  name: p
  annotations:
    config.kubernetes.io/function: |
      container:
        image: localhost:5000/endsys/pocketid-oidc:v1
`, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := fnspec.Ours(yaml.MustParse(tc.in)); got != tc.want {
				t.Errorf("Ours = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestRewrite(t *testing.T) {
	e := fnspec.Exec{Path: "/opt/bin/pocketid-oidc", Args: []string{"render", "--as-function-for", "apps/x"}}
	for _, tc := range []struct {
		name, in, want string
		changed        bool
	}{
		{
			name: "exec path replaced, env kept, other documents untouched",
			in: `apiVersion: v1
kind: ConfigMap
metadata:
  name: unrelated   # a comment
---
apiVersion: oidc.endsys.cloud/v1alpha1
kind: PocketIDProvider
metadata:
  name: p
  annotations:
    config.kubernetes.io/function: |
      deferFailure: true
      exec:
        path: ../../bin/pocketid-oidc
        envs: [A=1]
spec:
  issuer: https://auth.example.com
`,
			want: `apiVersion: v1
kind: ConfigMap
metadata:
  name: unrelated # a comment
---
apiVersion: oidc.endsys.cloud/v1alpha1
kind: PocketIDProvider
metadata:
  name: p
  annotations:
    config.kubernetes.io/function: |
      deferFailure: true
      exec:
        args:
        - render
        - --as-function-for
        - apps/x
        envs:
        - A=1
        path: /opt/bin/pocketid-oidc
spec:
  issuer: https://auth.example.com
`,
			changed: true,
		},
		{
			name: "container becomes exec; KEY=VALUE env kept, exported names dropped; old annotations removed",
			in: `apiVersion: oidc.endsys.cloud/v1alpha1
kind: PocketIDProvider
metadata:
  name: p
  annotations:
    config.kubernetes.io/container: ghcr.io/endsys/pocketid-oidc:v0.1.0
    config.k8s.io/function: |
      container:
        image: ghcr.io/endsys/pocketid-oidc:v0.1.0
        envs: [HOME, B=2]
`,
			want: `apiVersion: oidc.endsys.cloud/v1alpha1
kind: PocketIDProvider
metadata:
  name: p
  annotations:
    config.kubernetes.io/function: |
      exec:
        args:
        - render
        - --as-function-for
        - apps/x
        envs:
        - B=2
        path: /opt/bin/pocketid-oidc
`,
			changed: true,
		},
		{
			name: "another function's config is returned as it was",
			in: `apiVersion: example.com/v1
kind: Settings
metadata:
  annotations:
    config.kubernetes.io/function: |
      exec: {path: ./other}
`,
			want: `apiVersion: example.com/v1
kind: Settings
metadata:
  annotations:
    config.kubernetes.io/function: |
      exec: {path: ./other}
`,
		},
		{
			name: "not YAML: unchanged, for kustomize to report",
			in:   "config.kubernetes.io/function: [\n",
			want: "config.kubernetes.io/function: [\n",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, changed := fnspec.Rewrite([]byte(tc.in), e)
			if changed != tc.changed {
				t.Errorf("changed = %v, want %v", changed, tc.changed)
			}
			if d := cmp.Diff(tc.want, string(got)); d != "" {
				t.Errorf("Rewrite (-want +got):\n%s", d)
			}
			if !tc.changed && string(got) != tc.in {
				t.Error("an unchanged file must come back byte for byte")
			}
		})
	}
}

func TestMentions(t *testing.T) {
	if fnspec.Mentions([]byte("kind: ConfigMap\n")) {
		t.Error("a file without function annotation mentions one")
	}
	if !fnspec.Mentions([]byte(strings.Repeat("x", 100) + "config.kubernetes.io/function: |")) {
		t.Error("missed the function annotation")
	}
}

func TestRewriteInline(t *testing.T) {
	in := `resources: [app.yaml]
transformers:
- other.yaml
- |
  apiVersion: oidc.endsys.cloud/v1alpha1
  kind: PocketIDProvider
  metadata:
    name: p
    annotations:
      config.kubernetes.io/function: |
        exec:
          path: ../bin/pocketid-oidc
`
	want := `resources: [app.yaml]
transformers:
- other.yaml
- |
  apiVersion: oidc.endsys.cloud/v1alpha1
  kind: PocketIDProvider
  metadata:
    name: p
    annotations:
      config.kubernetes.io/function: |
        exec:
          path: /self
`
	got, changed := fnspec.Rewrite([]byte(in), fnspec.Exec{Path: "/self"})
	if !changed {
		t.Error("inline config not rewritten")
	}
	if d := cmp.Diff(want, string(got)); d != "" {
		t.Errorf("Rewrite (-want +got):\n%s", d)
	}
}
