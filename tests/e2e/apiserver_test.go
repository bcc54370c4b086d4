package e2e

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/discovery"
	"k8s.io/client-go/discovery/cached/memory"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/restmapper"
	"sigs.k8s.io/controller-runtime/pkg/envtest"
	"sigs.k8s.io/kustomize/kyaml/yaml"
)

const fieldManager = "pocketid-oidc-e2e"

// inputsNamespace receives input objects of our kinds that carry no namespace of their own
// (kustomize's namespace: or kpt places them in real use).
const inputsNamespace = "pocketid-oidc-inputs"

// controlPlane is one etcd + kube-apiserver for the whole package run: starting one costs
// seconds on a shared machine, so it starts on first use and TestMain stops it.
var controlPlane struct {
	once     sync.Once
	env      *envtest.Environment
	cfg      *rest.Config
	ownCRDs  []string // files of our own CRDs that were installed (none: not generated yet)
	startErr error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if controlPlane.env != nil && controlPlane.cfg != nil {
		if err := controlPlane.env.Stop(); err != nil {
			fmt.Fprintf(os.Stderr, "stopping the test control plane: %v\n", err)
		}
	}
	os.Exit(code)
}

// apiServer returns a client config for the shared control plane, starting it on first use.
func apiServer(t testing.TB) *rest.Config {
	t.Helper()
	assets := requireEnv(t, "KUBEBUILDER_ASSETS")
	crds := upstreamCRDs(t)
	root := repoRoot(t)
	controlPlane.once.Do(func() { controlPlane.startErr = startControlPlane(assets, crds, root) })
	if controlPlane.startErr != nil {
		t.Fatalf("test control plane: %v", controlPlane.startErr)
	}
	return rest.CopyConfig(controlPlane.cfg)
}

func startControlPlane(assets, upstreamCRDs, root string) error {
	// envtest's own message for a missing binary is a bare exec error; name the fix instead.
	for _, bin := range []string{"etcd", "kube-apiserver"} {
		p := filepath.Join(assets, bin)
		fi, err := os.Stat(p) // follows the symlinks tools.sh puts there
		if err == nil && fi.Mode()&0o111 == 0 {
			err = fmt.Errorf("%s is not executable", p)
		}
		if err != nil {
			return fmt.Errorf("KUBEBUILDER_ASSETS=%s: no usable %s (%v); `hack/tools.sh kubebuilder-assets` builds it", assets, bin, err)
		}
	}
	paths := []string{upstreamCRDs}
	own := filepath.Join(root, "config", "crd", "bases")
	if files, _ := filepath.Glob(filepath.Join(own, "*.yaml")); len(files) > 0 {
		paths = append(paths, own)
		controlPlane.ownCRDs = files
	}
	var logs bytes.Buffer
	env := &envtest.Environment{
		BinaryAssetsDirectory: assets,
		CRDDirectoryPaths:     paths,
		ErrorIfCRDPathMissing: true,
		// Two shared cores: the default 20 s is too tight while other builds run.
		ControlPlaneStartTimeout: 3 * time.Minute,
		ControlPlaneStopTimeout:  time.Minute,
	}
	api := env.ControlPlane.GetAPIServer()
	// envtest passes --advertise-address=127.0.0.1; kube-apiserver 1.37 refuses to reconcile a
	// loopback endpoint into the kubernetes Service unless the reconciler is off.
	api.Configure().Set("endpoint-reconciler-type", "none")
	api.Out, api.Err = &logs, &logs
	cfg, err := env.Start()
	if err != nil {
		_ = env.Stop()
		return fmt.Errorf("%w\nlast control plane output:\n%s", err, tail(logs.String(), 40))
	}
	controlPlane.env, controlPlane.cfg = env, cfg
	return nil
}

func tail(s string, lines int) string {
	all := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(all) > lines {
		all = all[len(all)-lines:]
	}
	return strings.Join(all, "\n")
}

// warnings collects API warning headers (deprecations, unknown fields, Pod Security "warn").
type warnings struct {
	mu   sync.Mutex
	msgs []string
}

func (w *warnings) HandleWarningHeader(_ int, _ string, text string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.msgs = append(w.msgs, text)
}

func (w *warnings) drain() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	out := w.msgs
	w.msgs = nil
	return out
}

// applier server-side applies objects with dry-run, collecting errors and warnings per object.
type applier struct {
	dyn      dynamic.Interface
	mapper   *restmapper.DeferredDiscoveryRESTMapper
	core     kubernetes.Interface
	warnings *warnings
	problems []string
}

func newApplier(t testing.TB) *applier {
	t.Helper()
	cfg := apiServer(t)
	w := &warnings{}
	cfg.WarningHandler = w
	dc, err := discovery.NewDiscoveryClientForConfig(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return &applier{
		dyn:      dynamic.NewForConfigOrDie(cfg),
		mapper:   restmapper.NewDeferredDiscoveryRESTMapper(memory.NewMemCacheClient(dc)),
		core:     kubernetes.NewForConfigOrDie(cfg),
		warnings: w,
	}
}

// ensureNamespace creates a namespace (for real: dry-run objects need it to exist) labelled so
// Pod Security admission enforces, warns and audits the restricted profile.
func (a *applier) ensureNamespace(t testing.TB, name string) {
	t.Helper()
	labels := map[string]string{}
	for _, mode := range []string{"enforce", "warn", "audit"} {
		labels["pod-security.kubernetes.io/"+mode] = "restricted"
		labels["pod-security.kubernetes.io/"+mode+"-version"] = "latest"
	}
	ns := &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: name, Labels: labels}}
	_, err := a.core.CoreV1().Namespaces().Create(context.Background(), ns, metav1.CreateOptions{})
	if err != nil && !apierrors.IsAlreadyExists(err) {
		t.Fatalf("create namespace %s: %v", name, err)
	}
	a.warnings.drain()
}

// apply is `kubectl apply --server-side --dry-run=server --validate=strict` for one object.
func (a *applier) apply(n *yaml.RNode) {
	key := objectKey(n)
	defer func() {
		for _, w := range a.warnings.drain() {
			a.problems = append(a.problems, fmt.Sprintf("%s: warning: %s", key, w))
		}
	}()
	data, err := n.MarshalJSON()
	if err != nil {
		a.problems = append(a.problems, fmt.Sprintf("%s: %v", key, err))
		return
	}
	obj := &unstructured.Unstructured{}
	if err := obj.UnmarshalJSON(data); err != nil {
		a.problems = append(a.problems, fmt.Sprintf("%s: %v", key, err))
		return
	}
	gvk := obj.GroupVersionKind()
	mapping, err := a.mapper.RESTMapping(gvk.GroupKind(), gvk.Version)
	if meta.IsNoMatchError(err) {
		// CRDs installed after the mapper's first discovery call are not cached yet.
		a.mapper.Reset()
		mapping, err = a.mapper.RESTMapping(gvk.GroupKind(), gvk.Version)
	}
	if err != nil {
		a.problems = append(a.problems, fmt.Sprintf("%s: the API server does not serve this kind: %v", key, err))
		return
	}
	var res dynamic.ResourceInterface = a.dyn.Resource(mapping.Resource)
	if mapping.Scope.Name() == meta.RESTScopeNameNamespace {
		if obj.GetNamespace() == "" {
			a.problems = append(a.problems, fmt.Sprintf("%s: namespaced object without a namespace", key))
			return
		}
		res = a.dyn.Resource(mapping.Resource).Namespace(obj.GetNamespace())
	}
	force := true
	_, err = res.Patch(context.Background(), obj.GetName(), types.ApplyPatchType, data, metav1.PatchOptions{
		FieldManager:    fieldManager,
		Force:           &force,
		DryRun:          []string{metav1.DryRunAll},
		FieldValidation: "Strict",
	})
	if err != nil {
		a.problems = append(a.problems, fmt.Sprintf("%s: %v", key, err))
		return
	}
	a.applyPodTemplate(key, obj)
}

// applyPodTemplate dry-run creates the Pod a Job or CronJob would start. Pod Security admission
// only warns about workload templates; on a Pod it enforces, which is what the Job meets at run
// time in a restricted namespace.
func (a *applier) applyPodTemplate(key string, obj *unstructured.Unstructured) {
	var path []string
	switch obj.GroupVersionKind().GroupKind().String() {
	case "Job.batch":
		path = []string{"spec", "template"}
	case "CronJob.batch":
		path = []string{"spec", "jobTemplate", "spec", "template"}
	default:
		return
	}
	tmpl, found, err := unstructured.NestedMap(obj.Object, path...)
	if err != nil || !found {
		a.problems = append(a.problems, fmt.Sprintf("%s: no pod template (%v)", key, err))
		return
	}
	pod := &corev1.Pod{}
	if err := runtime.DefaultUnstructuredConverter.FromUnstructured(tmpl, pod); err != nil {
		a.problems = append(a.problems, fmt.Sprintf("%s: pod template: %v", key, err))
		return
	}
	pod.Name = obj.GetName() + "-pod"
	pod.Namespace = obj.GetNamespace()
	// A Job sets restartPolicy on its pods' template itself; keep what the template says.
	_, err = a.core.CoreV1().Pods(pod.Namespace).Create(context.Background(), pod, metav1.CreateOptions{
		DryRun: []string{metav1.DryRunAll}, FieldValidation: "Strict",
	})
	if err != nil {
		a.problems = append(a.problems, fmt.Sprintf("%s: its pod is refused: %v", key, err))
	}
}

// applyAll applies objects after creating their namespaces, and fails listing every problem.
func (a *applier) applyAll(t testing.TB, objs []*yaml.RNode) {
	t.Helper()
	if len(objs) == 0 {
		t.Fatal("nothing to apply")
	}
	namespaces := map[string]bool{}
	for _, n := range objs {
		if ns := n.GetNamespace(); ns != "" && !namespaces[ns] {
			namespaces[ns] = true
			a.ensureNamespace(t, ns)
		}
	}
	for _, n := range objs {
		a.apply(n)
	}
	if len(a.problems) > 0 {
		t.Errorf("the API server reports %d problem(s) (zero errors and zero warnings required):\n  %s",
			len(a.problems), strings.Join(a.problems, "\n  "))
	}
	a.problems = nil
}

// renderedSets are the rendered outputs of all examples: each kustomize example's rendered.yaml
// and the kpt example's rendered package without its local-config files.
func renderedSets(t testing.TB) map[string][]*yaml.RNode {
	t.Helper()
	sets := map[string][]*yaml.RNode{}
	for _, ex := range renderedExamples(t) {
		sets[ex.Rel] = readDocs(t, ex.Rendered)
	}
	kpt := filepath.Join(repoRoot(t), "examples", "kpt", "rendered")
	if exists(kpt) {
		var objs []*yaml.RNode
		for _, n := range readYAMLTree(t, kpt) {
			if n.GetAnnotations()["config.kubernetes.io/local-config"] != "true" {
				objs = append(objs, n)
			}
		}
		sets["examples/kpt/rendered"] = objs
	}
	return sets
}

// readYAMLTree reads every object of every YAML file (and Kptfile) under dir.
func readYAMLTree(t testing.TB, dir string) []*yaml.RNode {
	t.Helper()
	var out []*yaml.RNode
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && d.Name() == ".github" {
			return filepath.SkipDir
		}
		if d.IsDir() || !(strings.HasSuffix(p, ".yaml") || d.Name() == "Kptfile") {
			return nil
		}
		out = append(out, readDocs(t, p)...)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestAPIServerAcceptsRenderedExamples is the proof that rendered output is valid for the
// cluster users run: built-in schemas, the upstream Flux and ESO CRDs, Pod Security restricted.
func TestAPIServerAcceptsRenderedExamples(t *testing.T) {
	a := newApplier(t)
	sets := renderedSets(t)
	for _, name := range sortedKeys(sets) {
		t.Run(name, func(t *testing.T) {
			a.applyAll(t, sets[name])
		})
	}
}

// TestAPIServerAcceptsExampleInputs applies the examples' own PocketIDProvider and
// OIDCIntegration objects against the CRDs generated from our Go types: an example that its own
// schema rejects would teach users something that does not validate.
func TestAPIServerAcceptsExampleInputs(t *testing.T) {
	a := newApplier(t)
	if len(controlPlane.ownCRDs) == 0 {
		t.Fatal("no CRDs under config/crd/bases (`make schema` generates them)")
	}
	var inputs []*yaml.RNode
	err := filepath.WalkDir(filepath.Join(repoRoot(t), "examples"), func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && d.Name() == ".github" {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(p, ".yaml") || d.Name() == "rendered.yaml" {
			return nil
		}
		for _, n := range readDocs(t, p) {
			if n.GetApiVersion() != "oidc.endsys.cloud/v1alpha1" {
				continue
			}
			if n.GetNamespace() == "" {
				if err := n.SetNamespace(inputsNamespace); err != nil {
					return err
				}
			}
			inputs = append(inputs, n)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	a.applyAll(t, inputs)
}

// TestAPIServerCatchesBadObjects proves the checks above can fail: each object is a mistake the
// function could make, and the applier must report it.
func TestAPIServerCatchesBadObjects(t *testing.T) {
	a := newApplier(t)
	a.ensureNamespace(t, inputsNamespace)
	for _, tc := range []struct {
		name, doc string
		want      []string
	}{
		{"unknown field in a CRD kind", `
apiVersion: external-secrets.io/v1
kind: ExternalSecret
metadata: {name: bad, namespace: pocketid-oidc-inputs}
spec:
  secretStoreRef: {kind: ClusterSecretStore, name: bitwarden}
  target: {name: bad}
  notAField: true
`, []string{"notAField"}},
		{"pod security restricted", `
apiVersion: batch/v1
kind: Job
metadata: {name: bad, namespace: pocketid-oidc-inputs}
spec:
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: c
          image: busybox
`, []string{
			// the warning on the Job itself, and the refusal of its Pod
			`warning: would violate PodSecurity "restricted`, `its pod is refused`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			n, err := yaml.Parse(tc.doc)
			if err != nil {
				t.Fatal(err)
			}
			a.apply(n)
			problems := strings.Join(a.problems, "\n")
			a.problems = nil
			for _, want := range tc.want {
				if !strings.Contains(problems, want) {
					t.Errorf("want a problem mentioning %q, got:\n%s", want, problems)
				}
			}
		})
	}
}
