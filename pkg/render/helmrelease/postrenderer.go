package helmrelease

import (
	"fmt"
	"strings"

	"k8s.io/apimachinery/pkg/util/validation/field"
	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/endsys/pocketid-oidc/pkg/preset"
)

// markerPrefix starts the metadata.name of every patch document we write. With a target set,
// kustomize selects by the target and restores the workload's own name after merging, so the
// patch's name is free to carry our marker without touching the rendered objects (see doc.go).
const markerPrefix = "pocketid-oidc."

func (f Filter) marker() string { return markerPrefix + f.Integration }

var postRenderersPath = specPath.Child("postRenderers")

// applyPostRenderer writes (or rewrites in place) this integration's one patch entry.
func (f Filter) applyPostRenderer(rel *release, env []preset.EnvVar) field.ErrorList {
	container, target, errs := f.postRendererTarget(rel)
	if len(errs) > 0 {
		return errs
	}
	if errs := validateFiles(f.Wiring.Files); len(errs) > 0 {
		return errs
	}
	prs := mapGet(rel.spec, "postRenderers")
	if !isNull(prs) && prs.Kind != yaml.SequenceNode {
		return field.ErrorList{field.Invalid(postRenderersPath, prs.Value, "must be a list to add the OIDC patch to it")}
	}
	doc, err := yaml.String(f.patchDoc(container, env))
	if err != nil {
		return field.ErrorList{field.InternalError(postRenderersPath, err)}
	}
	patch := newStr(doc)
	patch.Style = yaml.LiteralStyle
	entry := mapOf("target", target, "patch", patch)
	upsertPatch(rel.spec, f.marker(), entry)
	return nil
}

// postRendererTarget names the container to patch and the kustomize target of its workload
// (see patchTarget).
//
// The container name is never guessed beyond two sound defaults: app-template's own
// resolution (its container key is the container name) and the chart name, which is what
// single-container charts call their container (grafana's is "grafana", open-webui's
// "open-webui").
func (f Filter) postRendererTarget(rel *release) (container string, target *yaml.Node, errs field.ErrorList) {
	controller := f.Controller
	switch {
	case rel.chart.isAppTemplate():
		container = f.Container
		if controller == "" || container == "" {
			controller, container, errs = f.resolveAppTemplate(rel, mapGet(rel.spec, "values"))
		}
	case f.Container != "":
		container = f.Container
	case rel.chart.name != "" && !rel.chart.ref:
		container = rel.chart.name
	default:
		errs = field.ErrorList{field.Required(specPath.Child("chartRef"), fmt.Sprintf(
			"HelmRelease %s installs %s: the post-renderer patch needs the container name; set spec.helmRelease.container of the OIDCIntegration",
			rel.id, describeChart(rel.chart)))}
	}
	if len(errs) > 0 {
		return "", nil, errs
	}
	target, errs = f.patchTarget(rel, controller)
	return container, target, errs
}

// patchDoc is the strategic-merge patch: env items and volume mounts merge by name/mountPath
// into the named container, volumes by name into the pod. Each env item nulls the field it
// does not use, so a chart default of the other form (value vs valueFrom) cannot survive the
// merge and make the container invalid. envFrom is never touched: it has no merge key and a
// patch would replace the chart's whole list.
func (f Filter) patchDoc(container string, env []preset.EnvVar) *yaml.Node {
	ctr := mapOf("name", container)
	if len(env) > 0 {
		items := newSeq()
		for _, e := range env {
			if e.SecretKeyRef != nil {
				items.Content = append(items.Content, mapOf("name", e.Name, "value", newNull(), "valueFrom", secretKeyRef(e.SecretKeyRef)))
			} else {
				items.Content = append(items.Content, mapOf("name", e.Name, "value", e.Value, "valueFrom", newNull()))
			}
		}
		mapSet(ctr, "env", items)
	}
	podSpec := mapOf("containers", &yaml.Node{Kind: yaml.SequenceNode, Tag: yaml.NodeTagSeq, Content: []*yaml.Node{ctr}})
	if len(f.Wiring.Files) > 0 {
		secrets, by := filesBySecret(f.Wiring.Files)
		mounts, vols := newSeq(), newSeq()
		for _, s := range secrets {
			vol := volumeName(s)
			for _, fl := range by[s] {
				mounts.Content = append(mounts.Content, mapOf("name", vol, "mountPath", fl.MountPath, "subPath", fl.SecretKey, "readOnly", newBool(true)))
			}
			vols.Content = append(vols.Content, mapOf("name", vol, "secret", mapOf("secretName", s)))
		}
		mapSet(ctr, "volumeMounts", mounts)
		mapSet(podSpec, "volumes", vols)
	}
	meta := mapOf("name", f.marker())
	if a := f.reloadAnnotations(); a != nil {
		// Merged into the workload's own annotations: Reloader reads them there (reload.go).
		mapSet(meta, "annotations", a)
	}
	return mapOf(
		"apiVersion", "apps/v1",
		"kind", "Deployment",
		"metadata", meta,
		"spec", mapOf("template", mapOf("spec", podSpec)),
	)
}

// patchRef locates one entry of spec.postRenderers[].kustomize.patches[].
type patchRef struct {
	renderer *yaml.Node // the postRenderers item
	patches  *yaml.Node // its kustomize.patches
	entry    *yaml.Node
}

// findPatches lists the patch entries whose document's metadata.name satisfies match.
// Entries that are not ours (JSON6902 lists, several documents, text we cannot parse) never
// match.
func findPatches(spec *yaml.Node, match func(string) bool) []patchRef {
	prs := mapGet(spec, "postRenderers")
	if prs == nil || prs.Kind != yaml.SequenceNode {
		return nil
	}
	var refs []patchRef
	for _, pr := range prs.Content {
		patches := mapGet(mapGet(pr, "kustomize"), "patches")
		if patches == nil || patches.Kind != yaml.SequenceNode {
			continue
		}
		for _, entry := range patches.Content {
			text := str(mapGet(entry, "patch"))
			if !strings.Contains(text, markerPrefix) {
				continue
			}
			doc, err := yaml.Parse(text)
			if err != nil {
				continue
			}
			if match(str(mapGet(mapGet(doc.YNode(), "metadata"), "name"))) {
				refs = append(refs, patchRef{renderer: pr, patches: patches, entry: entry})
			}
		}
	}
	return refs
}

// upsertPatch replaces our entry where it stands; a new one joins the postRenderers item that
// already holds another integration's patch, else a new item at the end, so it runs after
// the user's own post-renderers.
func upsertPatch(spec *yaml.Node, marker string, entry *yaml.Node) {
	ours := findPatches(spec, func(n string) bool { return n == marker })
	if len(ours) > 0 {
		for i, e := range ours[0].patches.Content {
			if e == ours[0].entry {
				ours[0].patches.Content[i] = entry
			}
		}
		// A copy of our entry (pasted by hand, or from an older render) would apply twice.
		deletePatches(spec, ours[1:])
		return
	}
	if home := findPatches(spec, func(n string) bool { return strings.HasPrefix(n, markerPrefix) }); len(home) > 0 {
		home[0].patches.Content = append(home[0].patches.Content, entry)
		return
	}
	prs := mapGet(spec, "postRenderers")
	if isNull(prs) {
		prs = newSeq()
		mapSet(spec, "postRenderers", prs)
	}
	prs.Content = append(prs.Content, mapOf("kustomize", mapOf("patches", &yaml.Node{
		Kind: yaml.SequenceNode, Tag: yaml.NodeTagSeq, Content: []*yaml.Node{entry}})))
}

// removePatch takes back our entry, and the containers it leaves empty.
func removePatch(spec *yaml.Node, marker string) {
	deletePatches(spec, findPatches(spec, func(n string) bool { return n == marker }))
}

func deletePatches(spec *yaml.Node, refs []patchRef) {
	if len(refs) == 0 {
		return
	}
	touched := map[*yaml.Node]bool{}
	for _, r := range refs {
		touched[r.renderer] = true
		for i, e := range r.patches.Content {
			if e == r.entry {
				r.patches.Content = append(r.patches.Content[:i:i], r.patches.Content[i+1:]...)
				break
			}
		}
		if len(r.patches.Content) == 0 {
			kust := mapGet(r.renderer, "kustomize")
			mapDel(kust, "patches")
			if len(kust.Content) == 0 {
				mapDel(r.renderer, "kustomize")
			}
		}
	}
	prs := mapGet(spec, "postRenderers")
	kept := prs.Content[:0]
	for _, pr := range prs.Content {
		if touched[pr] && len(pr.Content) == 0 {
			continue
		}
		kept = append(kept, pr)
	}
	prs.Content = kept
	if len(prs.Content) == 0 {
		mapDel(spec, "postRenderers")
	}
}
