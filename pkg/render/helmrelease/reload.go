package helmrelease

import (
	"slices"
	"strings"

	"k8s.io/apimachinery/pkg/util/validation/field"
	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// Restarting the app when its Secret changes: env vars are read at container start, so a
// rotated client secret reaches the app only with a new pod, and Pocket ID removes the old
// secret after the rotation overlap.
//
// stakater Reloader (internal/pkg/options/flags.go) rolls a Deployment, StatefulSet or
// DaemonSet whose metadata.annotations carry secret.reloader.stakater.com/reload: <Secret
// names, comma-separated> when one of those Secrets changes; reloader.stakater.com/auto or
// secret.reloader.stakater.com/auto: "true" makes it do so for every Secret the workload
// references. Without Reloader in the cluster the annotation does nothing.
//
// Where the annotation goes, by route:
//   - app-template: spec.values.controllers.<c>.annotations, which the bjw-s common library
//     puts on the controller's workload (schemas/controllers.json: controllers.<id>.annotations;
//     templates/lib/controller/_metadata.tpl merges .Values.controller.annotations into the
//     workload's metadata.annotations). Recorded in the managed-env annotation like every value
//     we write, so it is taken back with the rest. Left out where the user's annotations already
//     make Reloader restart the app (auto), and a warning where the user's own reload annotation
//     does not name our Secrets.
//   - post-renderer: metadata.annotations of our patch, merged into the targeted workload.
//   - a chart route: a warning; where a chart puts workload annotations is the chart's own.

// ReloadAnnotation is stakater Reloader's annotation naming the Secrets whose change restarts
// the workload.
const ReloadAnnotation = "secret.reloader.stakater.com/reload"

// reloaderAuto are the annotations with which Reloader already restarts on every Secret the
// workload references.
var reloaderAuto = []string{"reloader.stakater.com/auto", "secret.reloader.stakater.com/auto"}

// reloadSecrets are the Secrets the Wiring references (env secretKeyRefs, mounted files),
// sorted and comma-joined: "" when there are none or Reload is off.
func (f Filter) reloadSecrets() string {
	if !f.Reload {
		return ""
	}
	var names []string
	for _, e := range f.Wiring.Env {
		if e.SecretKeyRef != nil && e.SecretKeyRef.Name != "" {
			names = append(names, e.SecretKeyRef.Name)
		}
	}
	for _, fl := range f.Wiring.Files {
		names = append(names, fl.SecretName)
	}
	slices.Sort(names)
	return strings.Join(slices.Compact(names), ",")
}

// reloadAnnotations is the metadata.annotations of our post-renderer patch, nil without any.
func (f Filter) reloadAnnotations() *yaml.Node {
	if s := f.reloadSecrets(); s != "" {
		return mapOf(ReloadAnnotation, s)
	}
	return nil
}

// applyReload writes the reload annotation of the app-template route into next's values.
func (f Filter) applyReload(rel *release, st state, rt route, next *record) ([]Warning, field.ErrorList) {
	if rt == routeChart && f.Reload {
		name := f.reloadSecrets()
		if name == "" { // referenced by the chart's own values (gitea's existingSecret)
			name = f.AppSecret
		}
		// Said, not skipped silently: without a restart the app keeps the old secret, and
		// Pocket ID drops that one once the rotation overlap has passed.
		return []Warning{{Release: rel.id, Field: valuesPath.String(), Detail: "wired through the chart's own values, " +
			"where the function cannot put Reloader's annotation on the app's workload: after the client secret rotates in the store " +
			"the app keeps the old one until its pod restarts, and Pocket ID removes the old one after rotationOverlap; " +
			"annotate the workload through the chart's values (" + ReloadAnnotation + ": " + name +
			") or restart the app after each rotation, then set restartOnSecretChange: false"}}, nil
	}
	secrets := f.reloadSecrets()
	if rt != routeAppTemplate || secrets == "" {
		return nil, nil
	}
	values := mapGet(rel.spec, "values")
	controller, _, errs := f.resolveAppTemplate(rel, values)
	if len(errs) > 0 {
		return nil, errs
	}
	path := []string{"controllers", controller, "annotations", ReloadAnnotation}
	ctrl := mapGet(mapGet(values, "controllers"), controller)
	annotations := mapGet(ctrl, "annotations")
	for _, a := range reloaderAuto {
		if str(mapGet(annotations, a)) == "true" || str(mapGet(mapGet(mapGet(values, "global"), "annotations"), a)) == "true" {
			return nil, nil
		}
	}
	cur := mapGet(annotations, ReloadAnnotation)
	claimed := slices.ContainsFunc(st[f.Integration].Values, func(v []string) bool { return slices.Equal(v, path) })
	_, _, others := st.claimedByOthers(f.Integration)
	if cur != nil && !claimed && !others[pathKey(path)] {
		// The user's own: theirs to keep; it restarts the app only if it names our Secrets.
		have := unionList(str(cur), "")
		for _, s := range strings.Split(secrets, ",") {
			if !slices.Contains(have, s) {
				return []Warning{{Release: rel.id, Field: valuesPath.Child("controllers", controller, "annotations").Key(ReloadAnnotation).String(),
					Detail: "set in the HelmRelease without the Secret " + s + ": Reloader will not restart the app when its client secret rotates; add " + s + " to the list, or set restartOnSecretChange: false in the provider settings"}}, nil
			}
		}
		return nil, nil
	}
	if others[pathKey(path)] && cur != nil {
		// Another integration wiring this controller wrote it: both lists in one value.
		secrets = strings.Join(unionList(str(cur), secrets), ",")
	}
	if !isMap(ctrl) {
		return nil, field.ErrorList{field.Invalid(valuesPath.Child("controllers", controller), "", "HelmRelease "+rel.id+": a controller must be a map")}
	}
	if isNull(annotations) {
		annotations = newMap()
		mapSet(ctrl, "annotations", annotations)
	} else if !isMap(annotations) {
		return nil, field.ErrorList{field.Invalid(valuesPath.Child("controllers", controller, "annotations"), "", "HelmRelease "+rel.id+": annotations must be a map")}
	}
	mapSet(annotations, ReloadAnnotation, newStr(secrets))
	next.Values = append(next.Values, path)
	return nil, nil
}

func unionList(a, b string) []string {
	var out []string
	for _, s := range append(strings.Split(a, ","), strings.Split(b, ",")...) {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}
