package e2e

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// quickstartInputs returns what kustomize hands the function for examples/quickstart: the
// resources after the kustomization's own transformations (kustomize build without
// --enable-exec, which skips the function and prints exactly its input) and the transformer
// config that is the functionConfig.
func quickstartInputs(t testing.TB) (items []*yaml.RNode, fnConfig *yaml.RNode) {
	t.Helper()
	kustomize := requireEnv(t, "KUSTOMIZE")
	root := repoRoot(t)
	dir := filepath.Join(root, "examples", "quickstart")
	if !exists(filepath.Join(dir, "kustomization.yaml")) {
		t.Fatal("examples/quickstart/kustomization.yaml does not exist")
	}
	kust, err := yaml.ReadFile(filepath.Join(dir, "kustomization.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	transformers, err := kust.GetSlice("transformers")
	if err != nil || len(transformers) != 1 {
		t.Fatalf("examples/quickstart: want exactly one transformer (the function config), got %v (%v)", transformers, err)
	}
	file, _ := transformers[0].(string)
	fnConfig, err = yaml.ReadFile(filepath.Join(dir, file))
	if err != nil {
		t.Fatalf("examples/quickstart transformer %q: %v", file, err)
	}
	// kustomize marks the functionConfig it passes as local config.
	if err := fnConfig.PipeE(yaml.SetAnnotation("config.kubernetes.io/local-config", "true")); err != nil {
		t.Fatal(err)
	}
	out := run(t, root, nil, kustomize, "build", "--enable-alpha-plugins", "examples/quickstart")
	return parseDocs(t, "kustomize build examples/quickstart", out), fnConfig
}

// editIntegration applies edit to the quickstart's one OIDCIntegration, wherever it is: among the
// items, or the functionConfig itself in the single-file form.
func editIntegration(t testing.TB, items []*yaml.RNode, fnConfig *yaml.RNode, edit ...yaml.Filter) ([]*yaml.RNode, *yaml.RNode) {
	t.Helper()
	var copies []*yaml.RNode
	found := 0
	for _, n := range items {
		c := n.Copy()
		if c.GetKind() == "OIDCIntegration" {
			found++
			if err := c.PipeE(edit...); err != nil {
				t.Fatal(err)
			}
		}
		copies = append(copies, c)
	}
	cfg := fnConfig.Copy()
	if cfg.GetKind() == "OIDCIntegration" {
		found++
		if err := cfg.PipeE(edit...); err != nil {
			t.Fatal(err)
		}
	}
	if found != 1 {
		t.Fatalf("the quickstart should hold exactly one OIDCIntegration, found %d", found)
	}
	return copies, cfg
}

func integrationURL(t testing.TB, items []*yaml.RNode, fnConfig *yaml.RNode) string {
	t.Helper()
	for _, n := range append(slices.Clone(items), fnConfig) {
		if n.GetKind() == "OIDCIntegration" {
			u, err := n.GetString("spec.url")
			if err != nil {
				t.Fatal(err)
			}
			return u
		}
	}
	t.Fatal("no OIDCIntegration")
	return ""
}

// provisioning splits an output into the hash-named provisioning objects (Job, ConfigMap) and
// the rest, which must not depend on the desired-state hash.
func provisioning(objs map[string]*yaml.RNode) (hashed, rest map[string]*yaml.RNode) {
	hashed, rest = map[string]*yaml.RNode{}, map[string]*yaml.RNode{}
	for k, n := range objs {
		if managedBy(n) && (n.GetKind() == "Job" || n.GetKind() == "ConfigMap") {
			hashed[k] = n
		} else {
			rest[k] = n
		}
	}
	return hashed, rest
}

func kinds(objs map[string]*yaml.RNode) []string {
	var out []string
	for _, n := range objs {
		out = append(out, n.GetKind())
	}
	slices.Sort(out)
	return out
}

// TestRenderSetDifference is what Flux's pruning relies on: a changed integration replaces the
// hash-named Job and ConfigMap (the old ones disappear from the render, so Flux deletes them and
// the new Job runs once) and leaves every other object byte for byte as it was, but for the
// reconcile CronJob's reference to the new ConfigMap.
func TestRenderSetDifference(t *testing.T) {
	bin := functionBinary(t)
	items, cfg := quickstartInputs(t)
	before := byKey(t, runFunction(t, bin, items, cfg))
	again := byKey(t, runFunction(t, bin, items, cfg))
	for k := range before {
		if strings.Contains(k, " OIDCIntegration ") {
			t.Errorf("%s reached the output: under kustomize the function consumes integrations", k)
		}
	}
	if strings.Join(sortedKeys(before), "\n") != strings.Join(sortedKeys(again), "\n") {
		t.Fatalf("an unchanged integration renders different objects:\n%s",
			diffText(strings.Join(sortedKeys(before), "\n"), strings.Join(sortedKeys(again), "\n"), "first", "second"))
	}

	extra := strings.TrimSuffix(integrationURL(t, items, cfg), "/") + "/e2e-extra-callback"
	changedItems, changedCfg := editIntegration(t, items, cfg,
		yaml.LookupCreate(yaml.SequenceNode, "spec", "client", "additionalCallbackURLs"),
		yaml.Append(yaml.NewScalarRNode(extra).YNode()))
	after := byKey(t, runFunction(t, bin, changedItems, changedCfg))

	oldHashed, oldRest := provisioning(before)
	newHashed, newRest := provisioning(after)
	if got := kinds(oldHashed); !slices.Equal(got, []string{"ConfigMap", "Job"}) {
		t.Fatalf("want one hash-named ConfigMap and Job per integration, got %v", got)
	}
	if got := kinds(newHashed); !slices.Equal(got, []string{"ConfigMap", "Job"}) {
		t.Fatalf("after the change: want one ConfigMap and one Job, got %v", got)
	}
	t.Logf("provisioning objects before: %v; after adding a callback: %v", sortedKeys(oldHashed), sortedKeys(newHashed))
	for k := range oldHashed {
		if _, still := newHashed[k]; still {
			t.Errorf("%s survived a change of the desired state: its name must carry the state's hash", k)
		}
	}
	for k, n := range newHashed {
		if n.GetKind() != "ConfigMap" {
			continue
		}
		clients := oidcClients(t, n)
		if len(clients) != 1 {
			t.Fatalf("%s: want one OIDCClient document, got %d", k, len(clients))
		}
		urls, _ := clients[0].GetSlice("spec.callbackURLs")
		if !slices.Contains(urls, any(extra)) {
			t.Errorf("%s: the added callback %s is not in the OIDCClient callbacks %v", k, extra, urls)
		}
	}
	// The reconcile CronJob keeps its name and follows the new ConfigMap in place: that one
	// reference is all that may change in it.
	var oldCM, newCM string
	for _, n := range oldHashed {
		if n.GetKind() == "ConfigMap" {
			oldCM = n.GetName()
		}
	}
	for _, n := range newHashed {
		if n.GetKind() == "ConfigMap" {
			newCM = n.GetName()
		}
	}
	for _, k := range sortedKeys(oldRest) {
		n, ok := newRest[k]
		if !ok {
			t.Errorf("%s disappeared although only a callback changed", k)
			continue
		}
		a, b := oldRest[k].MustString(), n.MustString()
		if n.GetKind() == "CronJob" {
			if !strings.Contains(b, "name: "+newCM+"\n") {
				t.Errorf("%s does not mount the new ConfigMap %s:\n%s", k, newCM, b)
			}
			a = strings.ReplaceAll(a, "name: "+oldCM+"\n", "name: "+newCM+"\n")
		}
		if a != b {
			t.Errorf("%s changed although only a callback changed:\n%s", k, diffText(a, b, "before", "after"))
		}
	}
	for k := range newRest {
		if _, ok := oldRest[k]; !ok {
			t.Errorf("%s appeared although only a callback changed", k)
		}
	}

	if os.Getenv("KUBEBUILDER_ASSETS") != "" || os.Getenv("CI") == "true" {
		t.Run("changed render applies", func(t *testing.T) {
			newApplier(t).applyAll(t, mapValues(after))
		})
	}
}

// TestRenderStateAbsent: `state: absent` keeps a provisioning Job and ConfigMap (the Job deletes
// the client in Pocket ID) and takes back all app wiring: the HelmRelease is the user's again.
func TestRenderStateAbsent(t *testing.T) {
	bin := functionBinary(t)
	items, cfg := quickstartInputs(t)
	present := byKey(t, runFunction(t, bin, items, cfg))
	absentItems, absentCfg := editIntegration(t, items, cfg,
		yaml.LookupCreate(yaml.MappingNode, "spec", "client"),
		yaml.SetField("state", yaml.NewScalarRNode("absent")))
	absent := byKey(t, runFunction(t, bin, absentItems, absentCfg))

	hashed, rest := provisioning(absent)
	if got := kinds(hashed); !slices.Equal(got, []string{"ConfigMap", "Job"}) {
		t.Fatalf("state: absent: want a ConfigMap and a Job, got %v", got)
	}
	for k, n := range hashed {
		if _, same := present[k]; same {
			t.Errorf("%s has the same name for state present and absent", k)
		}
		if n.GetKind() != "ConfigMap" {
			continue
		}
		clients := oidcClients(t, n)
		if len(clients) != 1 {
			t.Fatalf("%s: want one OIDCClient document, got %d", k, len(clients))
		}
		if s, _ := clients[0].GetString("spec.state"); s != "absent" {
			t.Errorf("%s: OIDCClient spec.state = %q, want absent", k, s)
		}
	}
	t.Logf("state: absent renders %v", sortedKeys(absent))
	inputs := byKey(t, absentItems)
	releases := 0
	for k, n := range rest {
		if n.GetKind() == "HelmRelease" {
			releases++
			in, ok := inputs[k]
			if !ok {
				t.Errorf("%s is in the output but not in the input", k)
				continue
			}
			if a, b := in.MustString(), n.MustString(); a != b {
				t.Errorf("%s is still wired although the client is absent:\n%s", k, diffText(a, b, "input", "output"))
			}
		}
	}
	// The function must pass the user's HelmRelease through; without one the check above is empty.
	if releases == 0 {
		t.Error("no HelmRelease in the output for state: absent")
	}
	if os.Getenv("KUBEBUILDER_ASSETS") != "" || os.Getenv("CI") == "true" {
		t.Run("absent render applies", func(t *testing.T) {
			newApplier(t).applyAll(t, mapValues(absent))
		})
	}
}

func mapValues(m map[string]*yaml.RNode) []*yaml.RNode {
	var out []*yaml.RNode
	for _, k := range sortedKeys(m) {
		out = append(out, m[k])
	}
	return out
}
