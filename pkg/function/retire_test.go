package function

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/kptdev/krm-functions-sdk/go/fn"

	"github.com/endsys/pocketid-oidc/pkg/api/v1alpha1"
	"github.com/endsys/pocketid-oidc/pkg/render/helmrelease"
)

// unit is a ResourceList of the apps' items; under kpt every item gets a path annotation and
// the integrations are local-config, as a kpt package holds them.
func unit(t *testing.T, kpt bool, apps ...string) *fn.ResourceList {
	t.Helper()
	var items strings.Builder
	for _, a := range apps {
		items.WriteString(strings.TrimPrefix(splitApps[a], "\n"))
	}
	rl, err := fn.ParseResourceList([]byte(rlHead + "items:\n" + items.String() + testProvider))
	if err != nil {
		t.Fatal(err)
	}
	if kpt {
		for _, o := range rl.Items {
			if err := o.SetAnnotation("internal.config.kubernetes.io/path", "apps/"+o.GetName()+"/"+strings.ToLower(o.GetKind())+".yaml"); err != nil {
				t.Fatal(err)
			}
			if o.GetKind() == v1alpha1.KindOIDCIntegration {
				if err := o.SetAnnotation("config.kubernetes.io/local-config", "true"); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	return rl
}

func process(t *testing.T, rl *fn.ResourceList) {
	t.Helper()
	if ok, err := Process(rl); !ok || err != nil {
		t.Fatalf("render failed: %v\n%s", err, strings.Join(resultLines(rl.Results), "\n"))
	}
}

// withoutIntegration is the rendered package with one OIDCIntegration deleted and no results.
func withoutIntegration(t *testing.T, rl *fn.ResourceList, name string) *fn.ResourceList {
	t.Helper()
	var items fn.KubeObjects
	for _, o := range rl.Items {
		if o.GetKind() == v1alpha1.KindOIDCIntegration && o.GetName() == name {
			continue
		}
		items = append(items, o)
	}
	return &fn.ResourceList{Items: items, FunctionConfig: rl.FunctionConfig}
}

func itemsByKey(rl *fn.ResourceList) map[string]string {
	out := map[string]string{}
	for _, o := range rl.Items {
		out[objKey(o)] = o.String()
	}
	return out
}

func warnings(rl *fn.ResourceList) []string {
	var out []string
	for _, l := range resultLines(rl.Results) {
		if strings.HasPrefix(l, "warning: ") {
			out = append(out, l)
		}
	}
	return out
}

// TestRetireKpt: deleting an integration from a rendered kpt package takes its wiring out of
// the HelmRelease (back to what the package had before the first render) and prunes its
// objects in the same run, with a warning naming both; the other app is untouched. This also
// holds when the removed integration was the package's last.
func TestRetireKpt(t *testing.T) {
	for name, apps := range map[string][]string{"another app stays": {"mealie", "wiki"}, "the last integration": {"wiki"}} {
		t.Run(name, func(t *testing.T) {
			before := unit(t, true, apps...)
			original := itemsByKey(unit(t, true, apps...))
			process(t, before)
			rendered := itemsByKey(before)

			after := withoutIntegration(t, before, "wiki")
			process(t, after)
			got := itemsByKey(after)

			hr := "helm.toolkit.fluxcd.io/HelmRelease|media|wiki"
			if diff := cmp.Diff(original[hr], got[hr]); diff != "" {
				t.Errorf("the HelmRelease is not back to the package's own (-want +got):\n%s", diff)
			}
			for k, v := range got {
				o, err := fn.ParseKubeObject([]byte(v))
				if err != nil {
					t.Fatal(err)
				}
				if o.GetLabel(v1alpha1.LabelIntegration) == "wiki" {
					t.Errorf("%s of the removed integration is still in the package", k)
				}
				if strings.Contains(k, "mealie") && rendered[k] != v {
					t.Errorf("%s of another integration changed", k)
				}
			}
			w := warnings(after)
			if len(w) != 1 || !strings.Contains(w[0], "OIDCIntegration wiki is not in the package any more: its wiring was taken back from HelmRelease media/wiki") ||
				!strings.Contains(w[0], "ExternalSecret media/wiki-oidc-api-key") || !strings.Contains(w[0], "CronJob media/wiki-oidc-reconcile") {
				t.Errorf("warnings:\n%s", strings.Join(w, "\n"))
			}
			// Rendering the retired package again changes nothing and says nothing.
			again := &fn.ResourceList{Items: after.Items, FunctionConfig: after.FunctionConfig}
			process(t, again)
			if diff := cmp.Diff(got, itemsByKey(again)); diff != "" || len(warnings(again)) > 0 {
				t.Errorf("a second render changed the package (-first +second):\n%s\n%s", diff, strings.Join(warnings(again), "\n"))
			}
		})
	}
}

// TestRetireKustomize: outside kpt the input is rebuilt from the repository, so a HelmRelease
// carrying a missing integration's wiring is not ours to change: a warning names it and the
// leftover objects, and everything stays. With no integration at all (kustomize's second pass
// over our own output) the run changes nothing and says nothing.
func TestRetireKustomize(t *testing.T) {
	before := unit(t, false, "mealie", "wiki")
	process(t, before)
	var kept fn.KubeObjects
	for _, o := range before.Items {
		if !strings.Contains(o.GetName(), "mealie") {
			kept = append(kept, o) // the wiki output, as another render's
		}
	}
	input := itemsByKey(&fn.ResourceList{Items: kept})
	in := unit(t, false, "mealie")
	in.Items = append(in.Items, kept...)
	process(t, in)
	got := itemsByKey(in)
	for k, v := range input {
		if got[k] != v {
			t.Errorf("%s changed", k)
		}
	}
	w := warnings(in)
	if len(w) != 1 || !strings.Contains(w[0], "HelmRelease media/wiki: metadata.annotations[oidc.endsys.cloud/managed-env]: carries the wiring of OIDCIntegration wiki, which is not in this render") ||
		!strings.Contains(w[0], "CronJob media/wiki-oidc-reconcile") {
		t.Errorf("warnings:\n%s", strings.Join(w, "\n"))
	}

	second := &fn.ResourceList{Items: kept, FunctionConfig: before.FunctionConfig}
	process(t, second)
	if len(second.Results) != 0 {
		t.Errorf("the second pass reported:\n%s", strings.Join(resultLines(second.Results), "\n"))
	}
}

// TestRetireKptRename: renaming an integration in a kpt package (wiki to notes-wiki, same
// HelmRelease) leaves the HelmRelease wired by the new name only, with the same env, and no
// object of the old name.
func TestRetireKptRename(t *testing.T) {
	rl := unit(t, true, "wiki")
	process(t, rl)
	for _, o := range rl.Items {
		if o.GetKind() == v1alpha1.KindOIDCIntegration {
			if err := o.SetName("notes-wiki"); err != nil {
				t.Fatal(err)
			}
			if err := o.SetNestedString("wiki", "spec", "helmRelease", "name"); err != nil {
				t.Fatal(err)
			}
		}
	}
	renamed := &fn.ResourceList{Items: rl.Items, FunctionConfig: rl.FunctionConfig}
	process(t, renamed)
	for _, o := range renamed.Items {
		if o.GetLabel(v1alpha1.LabelIntegration) == "wiki" {
			t.Errorf("%s %s of the old name is left", o.GetKind(), o.GetName())
		}
		if o.GetKind() != "HelmRelease" {
			continue
		}
		if got := helmreleaseOwners(t, o); !cmp.Equal(got, []string{"notes-wiki"}) {
			t.Errorf("HelmRelease wired by %v, want [notes-wiki]", got)
		}
		env, _, _ := o.NestedStringMap("spec", "values", "controllers", "main", "containers", "main", "env")
		if env["OIDC_ISSUER"] != "https://auth.example.com" {
			t.Errorf("env after the rename: %v\n%s", env, o.String())
		}
	}
}

func helmreleaseOwners(t *testing.T, o *fn.KubeObject) []string {
	t.Helper()
	return helmrelease.Owners(o.CopyToResourceNode())
}
