package helmrelease

import (
	"fmt"
	"slices"
	"strings"

	"k8s.io/apimachinery/pkg/util/validation/field"
	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/endsys/pocketid-oidc/pkg/preset"
)

// applyAppTemplate writes env and persistence into the values of a bjw-s app-template chart.
func (f Filter) applyAppTemplate(rel *release, st state, env []preset.EnvVar) (record, []Warning, field.ErrorList) {
	prev := st[f.Integration]
	values := mapGet(rel.spec, "values")
	controller, container, errs := f.resolveAppTemplate(rel, values)
	if len(errs) > 0 {
		return record{}, nil, errs
	}
	next := record{EnvPath: []string{"controllers", controller, "containers", container, "env"}}
	cPath := valuesPath.Child("controllers", controller, "containers", container)
	ctr := mapGet(mapGet(mapGet(mapGet(values, "controllers"), controller), "containers"), container)
	switch {
	case isNull(ctr):
		// `main:` with nothing under it: chart defaults only. Give it a body to hold env.
		*ctr = *newMap()
	case !isMap(ctr):
		return record{}, nil, field.ErrorList{field.Invalid(cPath, ctr.Value, "HelmRelease "+rel.id+": a container must be a map")}
	}
	var warns []Warning
	if len(env) > 0 {
		names, taken, err := setEnv(ctr, cPath, env, func(n string) bool { return st.claims(next.EnvPath, n) })
		if err != nil {
			return record{}, nil, field.ErrorList{err}
		}
		next.Env = names
		if warns, err = takeOver(rel, prev, &next, taken, f.SpecEnv); err != nil {
			return record{}, nil, field.ErrorList{err}
		}
	}
	if len(f.Wiring.Files) > 0 {
		pers, errs := setPersistence(rel, values, prev, f.Wiring.Files, controller, container)
		if len(errs) > 0 {
			return record{}, nil, errs
		}
		next.Persistence = pers
	}
	return next, warns, nil
}

// resolveAppTemplate picks the controller and container the way the API documents it: the
// one there is, else "main", else the name given; and says what it searched when it fails.
func (f Filter) resolveAppTemplate(rel *release, values *yaml.Node) (string, string, field.ErrorList) {
	controllers := mapGet(values, "controllers")
	cp := valuesPath.Child("controllers")
	if !isMap(controllers) || len(controllers.Content) == 0 {
		return "", "", field.ErrorList{notFound(cp, f.Controller,
			fmt.Sprintf("no controllers in spec.values of HelmRelease %s (an app-template release defines them there; values from spec.valuesFrom are not read)", rel.id))}
	}
	controller, err := pick(f.Controller, controllers, cp, "controller", "spec.values.controllers", rel.id, "controller")
	if err != nil {
		return "", "", field.ErrorList{err}
	}
	containers := mapGet(mapGet(controllers, controller), "containers")
	kp := cp.Child(controller, "containers")
	if !isMap(containers) || len(containers.Content) == 0 {
		return "", "", field.ErrorList{notFound(kp, f.Container,
			fmt.Sprintf("controller %q of HelmRelease %s has no containers in spec.values", controller, rel.id))}
	}
	container, err := pick(f.Container, containers, kp, "container", "controllers."+controller+".containers", rel.id, "container")
	if err != nil {
		return "", "", field.ErrorList{err}
	}
	return controller, container, nil
}

// notFound reports a missing block: Not found when a name was asked for, Required when the
// name was to be defaulted from what is there.
func notFound(p *field.Path, want, detail string) *field.Error {
	if want == "" {
		return &field.Error{Type: field.ErrorTypeRequired, Field: p.String(), Detail: detail}
	}
	return &field.Error{Type: field.ErrorTypeNotFound, Field: p.String(), BadValue: want, Detail: detail}
}

// pick returns want when m has it; with want empty, the only key, else "main".
func pick(want string, m *yaml.Node, base *field.Path, what, where, id, setting string) (string, *field.Error) {
	keys := mapKeys(m)
	if want == "" {
		switch {
		case len(keys) == 1:
			return keys[0], nil
		case slices.Contains(keys, "main"):
			return "main", nil
		}
		return "", &field.Error{Type: field.ErrorTypeRequired, Field: base.String(), Detail: fmt.Sprintf(
			"%s of HelmRelease %s has several %ss and none is \"main\": %s; set spec.helmRelease.%s of the OIDCIntegration",
			where, id, what, strings.Join(keys, ", "), setting)}
	}
	if !slices.Contains(keys, want) {
		return "", &field.Error{Type: field.ErrorTypeNotFound, Field: base.Child(want).String(), BadValue: want, Detail: fmt.Sprintf(
			"%s %q not found in %s of HelmRelease %s; found: %s", what, want, where, id, strings.Join(keys, ", "))}
	}
	return want, nil
}

// setPersistence mounts each file with app-template's persistence: one `type: secret` entry
// per Secret, mounted through advancedMounts into only our controller's container (the
// globalMounts form would put the secret into every container of every controller).
func setPersistence(rel *release, values *yaml.Node, prev record, files []preset.File, controller, container string) ([]string, field.ErrorList) {
	secrets, by := filesBySecret(files)
	errs := validateFiles(files)
	if len(errs) > 0 {
		return nil, errs
	}
	pers := mapGet(values, "persistence")
	pp := valuesPath.Child("persistence")
	if !isNull(pers) && !isMap(pers) {
		return nil, field.ErrorList{field.Invalid(pp, pers.Value, "persistence must be a map to add the OIDC files to it")}
	}
	if isNull(pers) {
		pers = newMap()
		mapSet(values, "persistence", pers)
	}
	var names []string
	for _, s := range secrets {
		name := volumeName(s)
		if cur := mapGet(pers, name); cur != nil && !slices.Contains(prev.Persistence, name) &&
			!(str(mapGet(cur, "type")) == "secret" && str(mapGet(cur, "name")) == s) {
			errs = append(errs, &field.Error{Type: field.ErrorTypeDuplicate, Field: pp.Child(name).String(), BadValue: name, Detail: fmt.Sprintf(
				"HelmRelease %s already has persistence %q that is not ours and does not mount Secret %q; rename it", rel.id, name, s)})
			continue
		}
		mounts := newSeq()
		for _, f := range by[s] {
			mounts.Content = append(mounts.Content, mapOf("path", f.MountPath, "subPath", f.SecretKey, "readOnly", newBool(true)))
		}
		mapSet(pers, name, mapOf(
			"type", "secret",
			"name", s,
			"advancedMounts", mapOf(controller, mapOf(container, mounts)),
		))
		names = append(names, name)
	}
	return names, errs
}
