package helmrelease

import (
	"crypto/sha256"
	"fmt"
	"strings"

	"k8s.io/apimachinery/pkg/util/validation/field"
	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// workloadKinds is a kustomize selector regex (anchored by kustomize): where the chart's
// naming gives the workload's name but not its kind, the app's pods run in one of these (a
// chart may switch between them, open-webui does on persistence). The patch is written as a
// Deployment; kustomize merges it into the selected object by the same pod-template schema
// and keeps that object's kind and name.
const workloadKinds = "Deployment|StatefulSet"

// appTemplateKinds maps app-template's controllers.<c>.type to the kind it renders; an empty
// type is a Deployment (bjw-s common library, lib/controller/_getByIdentifier.tpl). cronjob
// and job controllers have no pod template at spec.template: the patch cannot reach them.
var appTemplateKinds = map[string]string{"": "Deployment", "deployment": "Deployment", "statefulset": "StatefulSet", "daemonset": "DaemonSet"}

// patchTarget is the kustomize target of our patch: exactly the app's workload, by kind and
// name, never by labels alone. Every workload of a release (sub-charts', a chart's own
// sidecar Deployments like open-webui's redis) carries the release's instance label and often
// its name label too, and a strategic merge on a workload without the named container ADDS
// that container, image-less, which fails the Helm upgrade.
//
// In order: the integration's spec.helmRelease.workload; for app-template, the controller's
// workload: its kind from the controller type and the app.kubernetes.io/controller label the
// library puts on that controller's workload only (its name depends on the controller count
// and overrides); else the name the chart's fullname helper gives (see chartFullname).
func (f Filter) patchTarget(rel *release, controller string) (*yaml.Node, field.ErrorList) {
	target := func(kind, name string, labels ...string) *yaml.Node {
		t := mapOf("group", "apps", "kind", kind)
		if name != "" {
			// Kustomize reads the name as a regular expression; a DNS name's only special
			// character is the dot.
			mapSet(t, "name", newStr(strings.ReplaceAll(name, ".", `\.`)))
		}
		if len(labels) > 0 {
			mapSet(t, "labelSelector", newStr(strings.Join(labels, ",")))
		}
		return t
	}
	if w := f.Workload; w != nil && w.Name != "" {
		kind := w.Kind
		if kind == "" {
			kind = workloadKinds
		}
		return target(kind, w.Name), nil
	}
	values := mapGet(rel.spec, "values")
	if rel.chart.isAppTemplate() {
		typ := mapGet(mapGet(mapGet(values, "controllers"), controller), "type")
		kind, ok := appTemplateKinds[str(typ)]
		if !ok {
			return nil, field.ErrorList{field.NotSupported(valuesPath.Child("controllers", controller, "type"), str(typ),
				[]string{"deployment", "statefulset", "daemonset"})}
		}
		return target(kind, "", "app.kubernetes.io/instance="+releaseName(rel), "app.kubernetes.io/controller="+controller), nil
	}
	name, ok := chartFullname(releaseName(rel), values, rel.chart)
	if !ok {
		return nil, field.ErrorList{field.Required(specPath.Child("chartRef"), fmt.Sprintf(
			"HelmRelease %s installs %s, whose chart name is unknown: the post-renderer patch needs the app's workload; set spec.helmRelease.workload (kind and name) of the OIDCIntegration, or values.fullnameOverride or values.nameOverride in the HelmRelease",
			rel.id, describeChart(rel.chart)))}
	}
	return target(workloadKinds, name), nil
}

// chartFullname is the name `helm create`'s <chart>.fullname helper gives the app's workload,
// which most charts keep (grafana, open-webui): values.fullnameOverride, else the
// release name when it contains the name (values.nameOverride, else the chart's name), else
// <release>-<name>; cut to 63 characters without a trailing "-". A chartRef names a source
// object, not the chart: there only the overrides say the name, else ok is false.
func chartFullname(release string, values *yaml.Node, c chart) (name string, ok bool) {
	cut := func(s string) string {
		if len(s) > 63 {
			s = s[:63]
		}
		return strings.TrimSuffix(s, "-")
	}
	if o := str(mapGet(values, "fullnameOverride")); o != "" {
		return cut(o), true
	}
	name = str(mapGet(values, "nameOverride"))
	if name == "" {
		if c.ref || c.name == "" {
			return "", false
		}
		name = c.name
	}
	if strings.Contains(release, name) {
		return cut(release), true
	}
	return cut(release + "-" + name), true
}

// releaseName is the Helm release name Flux uses: spec.releaseName, else
// [targetNamespace-]name, shortened the way helm-controller shortens names over 53
// characters.
func releaseName(rel *release) string {
	name := str(mapGet(rel.spec, "releaseName"))
	if name == "" {
		name = rel.hr.GetName()
		if tns := str(mapGet(rel.spec, "targetNamespace")); tns != "" {
			name = tns + "-" + name
		}
	}
	if len(name) <= 53 {
		return name
	}
	sum := fmt.Sprintf("%x", sha256.Sum256([]byte(name)))
	return name[:53-13] + "-" + sum[:12]
}
