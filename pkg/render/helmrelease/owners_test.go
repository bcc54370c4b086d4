package helmrelease

import (
	"slices"
	"testing"

	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/endsys/pocketid-oidc/pkg/preset"
)

// TestOwners: the integrations a HelmRelease carries wiring of, by values (the managed-env
// annotation) and by post-renderer patch; an integration whose wiring was taken back is none.
func TestOwners(t *testing.T) {
	hr := yaml.MustParse(hrYAML("name: grafana", appTemplate(mainContainer("image: {repository: x}\n"))))
	if got := Owners(hr); len(got) != 0 {
		t.Fatalf("an unwired release has owners %v", got)
	}
	for _, f := range []Filter{
		{Integration: "b", Wiring: oidcWiring},
		{Integration: "a", Strategy: "postRenderer", Wiring: preset.Wiring{Env: oidcEnv[:1]}},
	} {
		if _, err := f.Apply(hr); err != nil {
			t.Fatal(err)
		}
	}
	if got := Owners(hr); !slices.Equal(got, []string{"a", "b"}) {
		t.Errorf("owners %v, want [a b]\n%s", got, hr.MustString())
	}
	if _, err := (Filter{Integration: "b", Strategy: "none"}).Apply(hr); err != nil {
		t.Fatal(err)
	}
	if got := Owners(hr); !slices.Equal(got, []string{"a"}) {
		t.Errorf("owners after b let go %v, want [a]", got)
	}
}
