package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"syscall"
	"testing"

	"sigs.k8s.io/kustomize/kyaml/kio"
	"sigs.k8s.io/kustomize/kyaml/yaml"
	sigsyaml "sigs.k8s.io/yaml"

	"github.com/endsys/pocketid-oidc/pkg/api/v1alpha1"
	"github.com/endsys/pocketid-oidc/pkg/pocketid/pocketidtest"
)

// This file proves docs/provision.md's promise that the Job the function renders runs the
// provisioner unchanged: every provisioning Job (and CronJob) of a rendered output is EXECUTED
// with the built binary, with exactly its container's args and env, against the fake Pocket ID,
// its volumes materialised on disk the way the kubelet lays them out.
//
// Only two things differ from a pod, and nothing else is touched:
//   - The mount paths are absolute (/etc/pocketid-oidc/...). The prefix /etc/pocketid-oidc (as a
//     whole path element) is remapped to a temporary directory in the container's args, its env
//     values and the text of the mounted OIDCClient documents (spec.secret.file). A private
//     mount namespace (unshare -m) would avoid even that, but needs root or user namespaces,
//     which CI runners do not reliably give; a prefix rewrite runs everywhere and is checked
//     below to be the only change.
//   - The value of POCKETID_URL (the in-cluster Service) is replaced by the fake's URL.
//
// The process gets the container's env and nothing else (no inherited variables), "/" as its
// working directory, and pipes as stdout and stderr (not a terminal), as in a pod. Volumes are
// laid out as the kubelet's atomic writer does (a timestamped directory, ..data, symlinks per
// top-level entry) with the volume's defaultMode, plus a stray dotfile that must be skipped.
// When the test runs as root, the files belong to group fsGroup and the binary runs as the pod's
// runAsUser:runAsGroup with fsGroup as a supplementary group, which proves the rendered modes
// (0440 secrets, 0444 documents) readable by the pod's user; otherwise it runs as the caller.
// Not modelled: the read-only root filesystem and the image's files.

// podMountRoot is the prefix every mount of the provisioning pod lives under.
const podMountRoot = "/etc/pocketid-oidc"

// kubeletDataDir is the timestamped directory an atomic writer (ConfigMap, Secret, projected
// volumes) fills; ..data points at it and every top-level entry is a symlink through ..data.
const kubeletDataDir = "..2026_11_28_02_00_00.000000001"

// strayDotfile is written into every materialised volume: if the provisioner read it from the
// clients directory, strict decoding would fail the run (exit 2).
const strayDotfile = ".stale.yaml"

func TestRenderedJobsProvision(t *testing.T) {
	bin := functionBinary(t)
	root := repoRoot(t)
	varsByExample := fluxVariables(t)

	type source struct {
		name string
		objs []*yaml.RNode
	}
	// Every rendered example (the kpt package's too), with its Flux variables substituted;
	// quickstart and immich (generate: true, allowedGroups) must be among them.
	var sources []source
	sets := renderedSets(t)
	for _, rel := range []string{"examples/quickstart", "examples/flux/apps/media/immich"} {
		if sets[rel] == nil {
			t.Fatalf("%s is not a rendered example any more", rel)
		}
	}
	for _, rel := range sortedKeys(sets) {
		vars := varsByExample[rel]
		if vars == nil {
			vars = varsEnv(t, filepath.Join(root, filepath.FromSlash(rel), "vars.env"))
		}
		sources = append(sources, source{rel, substituted(t, rel, sets[rel], vars)})
	}
	// Every integration renders its reconcile CronJob by default; the golden case sets
	// reconcileSchedule (H */6, and never on one integration): render it with the binary, as a
	// KRM function.
	golden := "pkg/function/testdata/reconcile-schedule"
	sources = append(sources, source{golden + " (rendered by the binary)", renderGoldenCase(t, bin, filepath.Join(root, filepath.FromSlash(golden)))})

	sawCronJob := false
	for _, src := range sources {
		workloads := provisioningWorkloads(t, src.objs)
		if len(workloads) == 0 {
			t.Fatalf("%s renders no provisioning Job", src.name)
		}
		for _, w := range workloads {
			cron := strings.HasPrefix(w.key, "CronJob")
			sawCronJob = sawCronJob || cron
			t.Run(src.name+"/"+w.key, func(t *testing.T) {
				p := materialisePod(t, w, src.objs)
				// A CronJob belongs to one integration and provisions its client only, even
				// where its namespace has several (reconcile-schedule, the kpt package).
				if cron && len(p.docs) != 1 {
					t.Errorf("the CronJob mounts %d client documents, want its integration's 1", len(p.docs))
				}
				p.check(t, bin)
			})
		}
	}
	if !sawCronJob {
		t.Error("no CronJob was rendered (does pkg/function/testdata/reconcile-schedule still render one?)")
	}
}

// substituted runs Flux's postBuild substitution over every object, as kustomize-controller
// does before the Job reaches the cluster.
func substituted(t testing.TB, name string, objs []*yaml.RNode, vars map[string]string) []*yaml.RNode {
	t.Helper()
	var out []*yaml.RNode
	for _, n := range objs {
		doc := n.MustString()
		if n.GetLabels()[substituteKey] != "disabled" && n.GetAnnotations()[substituteKey] != "disabled" {
			s, err := fluxSubstitute(doc, vars)
			if err != nil {
				t.Fatalf("%s: %s: %v", name, objectKey(n), err)
			}
			doc = s
		}
		out = append(out, parseDocs(t, name, []byte(doc))...)
	}
	return out
}

// renderGoldenCase runs the binary as a KRM function over a pkg/function/testdata case: the
// non-underscore *.yaml files in name order are the items, _fnconfig.yaml the functionConfig.
func renderGoldenCase(t testing.TB, bin, dir string) []*yaml.RNode {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var items []*yaml.RNode
	for _, e := range entries {
		if e.IsDir() || strings.HasPrefix(e.Name(), "_") || !strings.HasSuffix(e.Name(), ".yaml") {
			continue
		}
		items = append(items, readDocs(t, filepath.Join(dir, e.Name()))...)
	}
	cfg := readDocs(t, filepath.Join(dir, "_fnconfig.yaml"))
	if len(cfg) != 1 {
		t.Fatalf("%s/_fnconfig.yaml: want one object, got %d", dir, len(cfg))
	}
	var in bytes.Buffer
	w := kio.ByteWriter{Writer: &in, WrappingAPIVersion: "config.kubernetes.io/v1", WrappingKind: "ResourceList", FunctionConfig: cfg[0]}
	if err := w.Write(items); err != nil {
		t.Fatal(err)
	}
	out := run(t, dir, in.Bytes(), bin)
	// ByteReader unwraps a ResourceList into its items.
	return parseDocs(t, "function output", out)
}

// workload is one provisioning pod template: a Job's or a CronJob's.
type workload struct {
	key       string // "Job media/immich-oidc-…"
	namespace string
	pod       *yaml.RNode // the pod spec
}

func provisioningWorkloads(t testing.TB, objs []*yaml.RNode) []workload {
	t.Helper()
	var out []workload
	for _, n := range objs {
		if n.GetApiVersion() != "batch/v1" || n.GetLabels()["app.kubernetes.io/managed-by"] != "pocketid-oidc" {
			continue
		}
		var podPath []string
		switch n.GetKind() {
		case "Job":
			podPath = []string{"spec", "template", "spec"}
		case "CronJob":
			podPath = []string{"spec", "jobTemplate", "spec", "template", "spec"}
		default:
			continue
		}
		pod, err := n.Pipe(yaml.Lookup(podPath...))
		if err != nil || pod == nil {
			t.Fatalf("%s: no pod spec at %s", objectKey(n), strings.Join(podPath, "."))
		}
		out = append(out, workload{key: n.GetKind() + " " + n.GetNamespace() + "/" + n.GetName(), namespace: n.GetNamespace(), pod: pod})
	}
	return out
}

// pod is a provisioning pod made runnable on this machine.
type pod struct {
	workload
	root    string   // stands for /etc/pocketid-oidc
	args    []string // container args, remapped
	env     []string // container env, remapped, POCKETID_URL excluded (set per fake)
	podURL  string   // the rendered POCKETID_URL
	apiKey  string   // the value written into the API key file
	secrets map[string]string
	docs    []v1alpha1.OIDCClient
	// The pod's securityContext: as root, the binary runs as runAsUser:runAsGroup with fsGroup
	// as a supplementary group, and volume files belong to group fsGroup with the volume's
	// defaultMode, as the kubelet sets them, so that the modes are proven readable.
	runAsUser, runAsGroup, fsGroup int
}

// remap rewrites the /etc/pocketid-oidc prefix of a path (whole path elements only).
func (p *pod) remap(s string) string {
	if s == podMountRoot {
		return p.root
	}
	if rest, ok := strings.CutPrefix(s, podMountRoot+"/"); ok {
		return filepath.Join(p.root, filepath.FromSlash(rest))
	}
	return s
}

// remapText rewrites every /etc/pocketid-oidc/ path in a mounted document.
func (p *pod) remapText(s string) string {
	return strings.ReplaceAll(s, podMountRoot+"/", filepath.ToSlash(p.root)+"/")
}

// volumeFile is one file of a volume: path relative to the mount, content, mode.
type volumeFile struct {
	rel, content string
	mode         os.FileMode
	fromSecret   bool
}

// materialisePod reads the pod spec and writes its volumes to disk.
func materialisePod(t *testing.T, w workload, objs []*yaml.RNode) *pod {
	t.Helper()
	p := &pod{workload: w, root: t.TempDir(), apiKey: string(leakMarker) + "api-" + pocketidtest.DefaultAPIKey, secrets: map[string]string{}}

	containers, err := w.pod.Pipe(yaml.Lookup("containers"))
	if err != nil || containers == nil {
		t.Fatalf("%s: no containers", w.key)
	}
	cs, _ := containers.Elements()
	if len(cs) != 1 {
		t.Fatalf("%s: want exactly one container, got %d", w.key, len(cs))
	}
	c := cs[0]
	if cmd, _ := c.Pipe(yaml.Lookup("command")); cmd != nil {
		t.Fatalf("%s: the container sets command; this test runs the image's ENTRYPOINT (the binary) with args", w.key)
	}
	if ic, _ := w.pod.Pipe(yaml.Lookup("initContainers")); ic != nil {
		t.Fatalf("%s: init containers are not modelled by this test", w.key)
	}
	argsNode, _ := c.Pipe(yaml.Lookup("args"))
	if argsNode == nil {
		t.Fatalf("%s: the container has no args", w.key)
	}
	argElems, err := argsNode.Elements()
	if err != nil {
		t.Fatal(err)
	}
	var podArgs []string
	for _, a := range argElems {
		podArgs = append(podArgs, a.YNode().Value)
		p.args = append(p.args, p.remap(a.YNode().Value))
	}
	if len(podArgs) == 0 || podArgs[0] != "provision" {
		t.Fatalf("%s: args %q do not start with the provision subcommand", w.key, podArgs)
	}

	podEnv := map[string]string{}
	envNode, _ := c.Pipe(yaml.Lookup("env"))
	if envNode != nil {
		envs, _ := envNode.Elements()
		for _, e := range envs {
			name, _ := e.GetString("name")
			if vf, _ := e.Pipe(yaml.Lookup("valueFrom")); vf != nil {
				t.Fatalf("%s: env %s uses valueFrom, which this test does not model", w.key, name)
			}
			value, _ := e.GetString("value")
			podEnv[name] = value
			if name == "POCKETID_URL" {
				p.podURL = value
				continue
			}
			p.env = append(p.env, name+"="+p.remap(value))
		}
	}
	if envFrom, _ := c.Pipe(yaml.Lookup("envFrom")); envFrom != nil {
		t.Fatalf("%s: envFrom is not modelled by this test", w.key)
	}
	if u, err := url.Parse(p.podURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		t.Fatalf("%s: POCKETID_URL %q is not an http(s) URL", w.key, p.podURL)
	}
	p.runAsUser = podInt(t, w, "securityContext", "runAsUser")
	p.runAsGroup = podInt(t, w, "securityContext", "runAsGroup")
	p.fsGroup = podInt(t, w, "securityContext", "fsGroup")
	if os.Geteuid() == 0 {
		// The non-root user must reach the volumes: open the temporary directories' modes.
		for _, d := range []string{p.root, filepath.Dir(p.root)} {
			if err := os.Chmod(d, 0o755); err != nil {
				t.Fatal(err)
			}
		}
	}
	apiKeyFile := podEnv["POCKETID_API_KEY_FILE"]
	if apiKeyFile == "" {
		t.Fatalf("%s: the Job does not set POCKETID_API_KEY_FILE (env: %v)", w.key, sortedKeys(podEnv))
	}

	// Objects the volumes refer to, in the workload's namespace.
	configMaps := map[string]*yaml.RNode{}
	for _, n := range objs {
		if n.GetApiVersion() == "v1" && n.GetKind() == "ConfigMap" && n.GetNamespace() == w.namespace {
			configMaps[n.GetName()] = n
		}
	}
	produced := externalSecretKeys(t, objs, w.namespace)
	volumes := map[string]*yaml.RNode{}
	vols, _ := w.pod.Pipe(yaml.Lookup("volumes"))
	if vols != nil {
		vs, _ := vols.Elements()
		for _, v := range vs {
			name, _ := v.GetString("name")
			volumes[name] = v
		}
	}
	mountsNode, _ := c.Pipe(yaml.Lookup("volumeMounts"))
	if mountsNode == nil {
		t.Fatalf("%s: no volumeMounts", w.key)
	}
	mounts, _ := mountsNode.Elements()
	for _, m := range mounts {
		name, _ := m.GetString("name")
		mountPath, _ := m.GetString("mountPath")
		if sp, _ := m.GetString("subPath"); sp != "" {
			t.Fatalf("%s: volumeMount %s uses subPath, which this test does not model", w.key, name)
		}
		v := volumes[name]
		if v == nil {
			t.Fatalf("%s: volumeMount %s names no volume", w.key, name)
		}
		if mountPath != podMountRoot && !strings.HasPrefix(mountPath, podMountRoot+"/") {
			// Outside the remapped tree only scratch space is allowed (the /tmp emptyDir).
			if ed, _ := v.Pipe(yaml.Lookup("emptyDir")); ed == nil {
				t.Fatalf("%s: volume %s is mounted at %s, outside %s, and is not an emptyDir", w.key, name, mountPath, podMountRoot)
			}
			continue
		}
		files := volumeFiles(t, w.key, v, configMaps, func(secretName, key, rel string) string {
			// The Secret a rendered ExternalSecret produces must hold the key the pod mounts
			// (a Secret rendered nowhere is the user's, e.g. the provider's apiKey.secretRef).
			if keys, ok := produced[secretName]; ok && keys != nil && !keys[key] {
				t.Errorf("%s: volume %s mounts key %q of Secret %s, but its ExternalSecret produces only %v",
					w.key, name, key, secretName, sortedKeys(keys))
			}
			inPod := path.Join(mountPath, rel)
			if inPod == apiKeyFile {
				return p.apiKey
			}
			// At least 16 characters, a distinct 4-character prefix per secret, and the leak
			// marker first (see checkNoSecret).
			value := fmt.Sprintf("%c%03d-%s-sample-client-secret-%s", leakMarker, len(p.secrets), secretName, key)
			p.secrets[inPod] = value
			return value
		})
		for i, f := range files {
			if f.fromSecret || !strings.HasSuffix(f.rel, ".yaml") {
				continue
			}
			var doc v1alpha1.OIDCClient
			if err := sigsyaml.UnmarshalStrict([]byte(f.content), &doc); err != nil {
				t.Fatalf("%s: %s in volume %s: %v", w.key, f.rel, name, err)
			}
			if doc.Kind == "OIDCClient" {
				p.docs = append(p.docs, doc)
			}
			// The mounted documents are rewritten too: spec.secret.file is a pod path.
			files[i].content = p.remapText(f.content)
		}
		writeKubeletVolume(t, p.remap(mountPath), files, p.fsGroup)
	}
	if !slices.Contains(p.env, "POCKETID_API_KEY_FILE="+p.remap(apiKeyFile)) {
		t.Fatalf("%s: POCKETID_API_KEY_FILE lost in remapping", w.key)
	}
	if data, err := os.ReadFile(p.remap(apiKeyFile)); err != nil || string(data) != p.apiKey {
		t.Fatalf("%s: POCKETID_API_KEY_FILE=%s is not the API key Secret item of any volume of the pod (read: %v)", w.key, apiKeyFile, err)
	}
	if len(p.docs) == 0 {
		t.Fatalf("%s: no OIDCClient document is mounted", w.key)
	}
	for _, d := range p.docs {
		if d.Spec.State == "absent" || d.Spec.Public {
			continue
		}
		if d.Spec.Secret == nil {
			t.Errorf("%s: client %s is confidential but its document names no secret file", w.key, d.Spec.ID)
			continue
		}
		if _, ok := p.secrets[d.Spec.Secret.File]; !ok {
			t.Errorf("%s: client %s reads its secret from %s, which no volume of the pod provides (secret files: %v)",
				w.key, d.Spec.ID, d.Spec.Secret.File, sortedKeys(p.secrets))
		}
	}
	return p
}

// externalSecretKeys maps the Secrets the rendered ExternalSecrets of a namespace produce to
// their keys; nil keys when they cannot be known (dataFrom).
func externalSecretKeys(t *testing.T, objs []*yaml.RNode, namespace string) map[string]map[string]bool {
	t.Helper()
	out := map[string]map[string]bool{}
	for _, n := range objs {
		if n.GetKind() != "ExternalSecret" || n.GetNamespace() != namespace {
			continue
		}
		target := n.GetName()
		if tn, _ := n.GetString("spec.target.name"); tn != "" {
			target = tn
		}
		if df, _ := n.Pipe(yaml.Lookup("spec", "dataFrom")); df != nil {
			out[target] = nil
			continue
		}
		keys := map[string]bool{}
		var dataKeys []string
		if data, _ := n.Pipe(yaml.Lookup("spec", "data")); data != nil {
			es, _ := data.Elements()
			for _, e := range es {
				k, _ := e.GetString("secretKey")
				dataKeys = append(dataKeys, k)
			}
		}
		tmpl, _ := n.Pipe(yaml.Lookup("spec", "target", "template", "data"))
		merge, _ := n.GetString("spec.target.template.mergePolicy")
		if tmpl == nil || merge == "Merge" {
			for _, k := range dataKeys {
				keys[k] = true
			}
		}
		if tmpl != nil {
			fields, _ := tmpl.Fields()
			for _, k := range fields {
				keys[k] = true
			}
		}
		out[target] = keys
	}
	return out
}

// podInt reads an integer field of the pod spec (0 when unset).
func podInt(t *testing.T, w workload, fields ...string) int {
	t.Helper()
	n, err := w.pod.Pipe(yaml.Lookup(fields...))
	if err != nil || n == nil {
		return 0
	}
	var i int
	if _, err := fmt.Sscan(n.YNode().Value, &i); err != nil {
		t.Fatalf("%s: %s: %q is not an integer", w.key, strings.Join(fields, "."), n.YNode().Value)
	}
	return i
}

// volumeFiles lists the files a configMap, secret or projected volume holds.
func volumeFiles(t *testing.T, key string, v *yaml.RNode, configMaps map[string]*yaml.RNode,
	secretValue func(secretName, key, rel string) string) []volumeFile {
	t.Helper()
	volName, _ := v.GetString("name")
	mode := func(n *yaml.RNode, fallback os.FileMode) os.FileMode {
		m, _ := n.Pipe(yaml.Lookup("defaultMode"))
		if m == nil {
			return fallback
		}
		var i int
		if _, err := fmt.Sscan(m.YNode().Value, &i); err != nil {
			t.Fatalf("%s: volume %s: defaultMode %q", key, volName, m.YNode().Value)
		}
		return os.FileMode(i)
	}
	// items returns key -> relative path; without items every key at its own name.
	items := func(n *yaml.RNode, keys []string) [][2]string {
		list, _ := n.Pipe(yaml.Lookup("items"))
		var out [][2]string
		if list == nil {
			for _, k := range keys {
				out = append(out, [2]string{k, k})
			}
			return out
		}
		es, _ := list.Elements()
		for _, e := range es {
			k, _ := e.GetString("key")
			p, _ := e.GetString("path")
			out = append(out, [2]string{k, p})
		}
		return out
	}
	fromConfigMap := func(src *yaml.RNode, m os.FileMode) []volumeFile {
		name, _ := src.GetString("name")
		cm := configMaps[name]
		if cm == nil {
			t.Fatalf("%s: volume %s mounts ConfigMap %s, which the rendered output does not hold", key, volName, name)
		}
		data := cm.GetDataMap()
		var out []volumeFile
		for _, it := range items(src, sortedKeys(data)) {
			content, ok := data[it[0]]
			if !ok {
				t.Fatalf("%s: volume %s: ConfigMap %s has no key %s", key, volName, name, it[0])
			}
			out = append(out, volumeFile{rel: it[1], content: content, mode: m})
		}
		return out
	}
	fromSecret := func(src *yaml.RNode, nameField string, m os.FileMode) []volumeFile {
		name, _ := src.GetString(nameField)
		list, _ := src.Pipe(yaml.Lookup("items"))
		if list == nil {
			t.Fatalf("%s: volume %s mounts all of Secret %s; the test needs items to know its keys", key, volName, name)
		}
		var out []volumeFile
		for _, it := range items(src, nil) {
			out = append(out, volumeFile{rel: it[1], content: secretValue(name, it[0], it[1]), mode: m, fromSecret: true})
		}
		return out
	}
	switch {
	case v.Field("configMap") != nil:
		src := v.Field("configMap").Value
		return fromConfigMap(src, mode(src, 0o644))
	case v.Field("secret") != nil:
		src := v.Field("secret").Value
		return fromSecret(src, "secretName", mode(src, 0o644))
	case v.Field("projected") != nil:
		proj := v.Field("projected").Value
		m := mode(proj, 0o644)
		srcs, _ := proj.Pipe(yaml.Lookup("sources"))
		if srcs == nil {
			t.Fatalf("%s: projected volume %s has no sources", key, volName)
		}
		es, _ := srcs.Elements()
		var out []volumeFile
		for _, e := range es {
			switch {
			case e.Field("configMap") != nil:
				out = append(out, fromConfigMap(e.Field("configMap").Value, m)...)
			case e.Field("secret") != nil:
				out = append(out, fromSecret(e.Field("secret").Value, "name", m)...)
			default:
				t.Fatalf("%s: projected volume %s: unsupported source %s", key, volName, e.MustString())
			}
		}
		return out
	default:
		t.Fatalf("%s: volume %s: unsupported source %s", key, volName, v.MustString())
	}
	return nil
}

// writeKubeletVolume lays files out as the kubelet's atomic writer does:
//
//	dir/..2026_…/<path>        the files
//	dir/..data -> ..2026_…
//	dir/<top> -> ..data/<top>  one symlink per top-level path element
//
// plus a stray dotfile holding a document that does not decode.
func writeKubeletVolume(t *testing.T, dir string, files []volumeFile, fsGroup int) {
	t.Helper()
	ts := filepath.Join(dir, kubeletDataDir)
	if err := os.MkdirAll(ts, 0o755); err != nil {
		t.Fatal(err)
	}
	tops := map[string]bool{}
	for _, f := range files {
		host := filepath.Join(ts, filepath.FromSlash(f.rel))
		if err := os.MkdirAll(filepath.Dir(host), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(host, []byte(f.content), f.mode); err != nil {
			t.Fatal(err)
		}
		// WriteFile's mode is subject to the umask; the kubelet's is exact.
		if err := os.Chmod(host, f.mode); err != nil {
			t.Fatal(err)
		}
		if os.Geteuid() == 0 && fsGroup > 0 {
			if err := os.Chown(host, 0, fsGroup); err != nil {
				t.Fatal(err)
			}
		}
		tops[strings.SplitN(f.rel, "/", 2)[0]] = true
	}
	if err := os.Symlink(kubeletDataDir, filepath.Join(dir, "..data")); err != nil {
		t.Fatal(err)
	}
	for top := range tops {
		if err := os.Symlink(filepath.Join("..data", top), filepath.Join(dir, top)); err != nil {
			t.Fatal(err)
		}
	}
	stray := "apiVersion: oidc.endsys.cloud/v1alpha1\nkind: NotAnOIDCClient\nspec: {bogus: true}\n"
	if err := os.WriteFile(filepath.Join(dir, strayDotfile), []byte(stray), 0o444); err != nil {
		t.Fatal(err)
	}
}

// runJob runs the binary with the pod's args (plus extra) and env against the fake.
func (p *pod) runJob(t *testing.T, bin string, srv *pocketidtest.Server, extra ...string) (stdout, stderr []byte, code int) {
	t.Helper()
	cmd := exec.Command(bin, append(append([]string(nil), p.args...), extra...)...)
	cmd.Env = append(append([]string(nil), p.env...), "POCKETID_URL="+srv.URL)
	cmd.Dir = "/"
	if os.Geteuid() == 0 && p.runAsUser > 0 {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{
			Uid: uint32(p.runAsUser), Gid: uint32(p.runAsGroup), Groups: []uint32{uint32(p.fsGroup)},
		}}
	}
	var o, e bytes.Buffer
	cmd.Stdout, cmd.Stderr = &o, &e
	err := cmd.Run()
	code = cmd.ProcessState.ExitCode()
	if err != nil && code < 0 {
		t.Fatalf("%s: %v", p.key, err)
	}
	return o.Bytes(), e.Bytes(), code
}

func (p *pod) newFake(t *testing.T) *pocketidtest.Server {
	srv := pocketidtest.New(t, pocketidtest.Options{APIKey: p.apiKey})
	for _, d := range p.docs {
		if d.Spec.CreateMissingGroups {
			continue
		}
		for _, g := range d.Spec.AllowedGroups {
			if _, ok := srv.GroupID(g); !ok {
				srv.AddGroup(g)
			}
		}
	}
	return srv
}

func (p *pod) check(t *testing.T, bin string) {
	t.Logf("%s: args %q, env %q (POCKETID_URL %s replaced by the fake's), /etc/pocketid-oidc = %s",
		p.key, p.args, p.env, p.podURL, p.root)

	// --plan on a fresh Pocket ID: everything to create, nothing written.
	srv := p.newFake(t)
	stdout, stderr, code := p.runJob(t, bin, srv, "--plan")
	if code != 0 {
		t.Fatalf("--plan: exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	if n := srv.Writes(); n != 0 {
		t.Errorf("--plan made %d writes: %q", n, srv.RequestLog())
	}
	if ids := srv.ClientIDs(); len(ids) != 0 {
		t.Errorf("--plan left clients %v", ids)
	}
	if want := fmt.Sprintf("Plan: %d to create", len(p.docs)); !bytes.Contains(stdout, []byte(want)) {
		t.Errorf("--plan output lacks %q:\n%s", want, stdout)
	}
	p.checkLogs(t, "--plan stderr", stderr)
	p.checkNoSecret(t, "--plan stdout", stdout)

	// The Job's run, on a fresh Pocket ID.
	srv = p.newFake(t)
	stdout, stderr, code = p.runJob(t, bin, srv)
	if code != 0 {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	p.checkLogs(t, "stdout", stdout)
	p.checkLogs(t, "stderr", stderr)
	p.checkSummary(t, stdout, "created", len(p.docs))
	for _, d := range p.docs {
		p.checkClient(t, srv, d)
	}

	// The same Job again (a retried pod, the next CronJob run): nothing to write.
	srv.ResetCounters()
	stdout, stderr, code = p.runJob(t, bin, srv)
	if code != 0 {
		t.Fatalf("second run: exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	if n := srv.Writes(); n != 0 {
		t.Errorf("second run made %d writes: %q", n, srv.RequestLog())
	}
	p.checkLogs(t, "second run stdout", stdout)
	p.checkLogs(t, "second run stderr", stderr)
	p.checkSummary(t, stdout, "unchanged", len(p.docs))
	for _, d := range p.docs {
		p.checkClient(t, srv, d)
	}
}

// checkLogs: every line is a JSON object with level and msg, and no secret is in it.
func (p *pod) checkLogs(t *testing.T, what string, out []byte) {
	t.Helper()
	for i, line := range strings.Split(strings.TrimRight(string(out), "\n"), "\n") {
		if line == "" {
			continue
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Errorf("%s line %d is not JSON (%v): %s", what, i+1, err, line)
			continue
		}
		if m["level"] == nil || m["msg"] == nil {
			t.Errorf("%s line %d lacks level or msg: %s", what, i+1, line)
		}
	}
	p.checkNoSecret(t, what, out)
}

// leakMarker begins every client secret and the API key the test mounts: a character the
// provisioner's honest output never holds, so a leak of even a secret's first byte shows.
const leakMarker = '~'

// checkNoSecret: no value, no 4-character prefix (what Pocket ID lists), no leak marker.
func (p *pod) checkNoSecret(t *testing.T, what string, out []byte) {
	t.Helper()
	for _, v := range append(sortedValues(p.secrets), p.apiKey) {
		if bytes.Contains(out, []byte(v)) || bytes.Contains(out, []byte(v[:4])) {
			t.Errorf("%s contains a secret value or its prefix", what)
		}
	}
	if i := bytes.IndexRune(out, leakMarker); i >= 0 {
		t.Errorf("%s contains a byte of a secret or of the API key: ...%s...", what, out[max(0, i-120):i])
	}
}

func sortedValues(m map[string]string) []string {
	var out []string
	for _, k := range sortedKeys(m) {
		out = append(out, m[k])
	}
	return out
}

func (p *pod) checkSummary(t *testing.T, stdout []byte, field string, want int) {
	t.Helper()
	for _, line := range strings.Split(string(stdout), "\n") {
		var m map[string]any
		if json.Unmarshal([]byte(line), &m) != nil || m["msg"] != "summary" {
			continue
		}
		if got, _ := m[field].(float64); int(got) != want || m["failed"] != float64(0) {
			t.Errorf("summary %s: want %s=%d, failed=0", line, field, want)
		}
		return
	}
	t.Errorf("no summary line in stdout:\n%s", stdout)
}

func (p *pod) checkClient(t *testing.T, srv *pocketidtest.Server, d v1alpha1.OIDCClient) {
	t.Helper()
	s := d.Spec
	c, ok := srv.Client(s.ID)
	if s.State == "absent" {
		if ok {
			t.Errorf("client %s is absent in its document but exists", s.ID)
		}
		return
	}
	if !ok {
		t.Errorf("client %s was not created (clients: %v)", s.ID, srv.ClientIDs())
		return
	}
	name := s.Name
	if name == "" {
		name = s.ID
	}
	if c.Name != name {
		t.Errorf("client %s: name %q, want %q", s.ID, c.Name, name)
	}
	if !slices.Equal(c.CallbackURLs, s.CallbackURLs) || len(s.CallbackURLs) == 0 {
		t.Errorf("client %s: callbackURLs %q, want %q", s.ID, c.CallbackURLs, s.CallbackURLs)
	}
	if len(c.LogoutCallbackURLs)+len(s.LogoutCallbackURLs) > 0 && !slices.Equal(c.LogoutCallbackURLs, s.LogoutCallbackURLs) {
		t.Errorf("client %s: logoutCallbackURLs %q, want %q", s.ID, c.LogoutCallbackURLs, s.LogoutCallbackURLs)
	}
	if c.LaunchURL != s.LaunchURL {
		t.Errorf("client %s: launchURL %q, want %q", s.ID, c.LaunchURL, s.LaunchURL)
	}
	if c.IsPublic != s.Public {
		t.Errorf("client %s: isPublic %v, want %v", s.ID, c.IsPublic, s.Public)
	}
	groups := append([]string(nil), s.AllowedGroups...)
	sort.Strings(groups)
	if !slices.Equal(c.Groups, groups) || c.IsGroupRestricted != (len(groups) > 0) {
		t.Errorf("client %s: groups %q (restricted %v), want %q", s.ID, c.Groups, c.IsGroupRestricted, groups)
	}
	if s.Public {
		return
	}
	value := p.secrets[s.Secret.File]
	if valid, copies := srv.HasSecret(s.ID, value); !valid || copies != 1 {
		t.Errorf("client %s: the mounted secret is registered %d times (valid %v), want once", s.ID, copies, valid)
	}
	if len(c.Secrets) != 1 {
		t.Errorf("client %s: %d secrets, want 1", s.ID, len(c.Secrets))
	}
	// What the app will do: authenticate at the token endpoint with the mounted value.
	if got := tokenStatus(t, srv.URL, s.ID, value); got != http.StatusOK {
		t.Errorf("client %s: client_credentials with the mounted secret: %d, want 200", s.ID, got)
	}
	if got := tokenStatus(t, srv.URL, s.ID, value+"-wrong"); got != http.StatusUnauthorized {
		t.Errorf("client %s: client_credentials with a wrong secret: %d, want 401", s.ID, got)
	}
}

func tokenStatus(t *testing.T, base, id, secret string) int {
	t.Helper()
	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {id}, "client_secret": {secret}}
	resp, err := http.PostForm(base+"/api/oidc/token", form)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}
