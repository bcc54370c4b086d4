package function

// Flux's postBuild substitution: a Kustomization with spec.postBuild runs every object it
// applies, our output included, through github.com/fluxcd/pkg/envsubst as YAML text. What it
// would change or reject in a value the user wrote is a warning at that value; a placeholder
// the preset would write into an escaped ESO template is an error (see templatePlaceholderErrs).

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/fluxcd/pkg/envsubst"
	"github.com/kptdev/krm-functions-sdk/go/fn"
	"k8s.io/apimachinery/pkg/util/validation/field"
	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/endsys/pocketid-oidc/pkg/api/v1alpha1"
	"github.com/endsys/pocketid-oidc/pkg/preset"
)

// checkSubstitutions warns about the values of the integrations and of the PocketIDProvider
// that Flux's postBuild substitution would change or reject.
func (r *rendering) checkSubstitutions() {
	if r.providerObj != nil && !r.configBroken {
		r.report(r.providerObj, substitutionWarnings(r.providerObj), fn.Warning)
	}
	for _, in := range r.integrations {
		if in.ok {
			r.report(in.obj, substitutionWarnings(in.obj), fn.Warning)
		}
	}
}

// substitutionWarnings walks every string below spec. The value itself is never quoted: it
// may be a secret (spec.env).
func substitutionWarnings(o *fn.KubeObject) field.ErrorList {
	text := o.String()
	if !strings.Contains(text, "$") {
		return nil // no value to look at (substitutionProblem): the usual object, not parsed again
	}
	rn, err := yaml.Parse(text)
	if err != nil {
		return nil // the object decoded; its text always parses
	}
	spec := rn.Field("spec")
	if spec == nil {
		return nil
	}
	var warns field.ErrorList
	var walk func(n *yaml.Node, p *field.Path)
	walk = func(n *yaml.Node, p *field.Path) {
		switch n.Kind {
		case yaml.MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				k := n.Content[i].Value
				child := p.Child(k)
				if p.String() == "spec.env" {
					child = p.Key(k) // as the other spec.env results name it
				}
				walk(n.Content[i+1], child)
			}
		case yaml.SequenceNode:
			for i, c := range n.Content {
				walk(c, p.Index(i))
			}
		case yaml.ScalarNode:
			if detail := substitutionProblem(n.Value); detail != "" {
				warns = append(warns, field.Invalid(p, field.OmitValueType{}, detail))
			}
		}
	}
	walk(spec.Value.YNode(), field.NewPath("spec"))
	return warns
}

// substitutionProblem says what Flux's envsubst would do to v, or "" when it keeps v or only
// replaces its placeholders. Flux's own parser decides what it rejects; its one escape, $$
// for a literal $, is the change: $${VAR} (a literal ${VAR}) is that escape used on purpose.
func substitutionProblem(v string) string {
	if !strings.Contains(v, "$") {
		return ""
	}
	if _, err := envsubst.Parse(v); err != nil {
		return fmt.Sprintf("Flux's postBuild substitution cannot parse this value (%v), which fails the whole Kustomization: it supports ${VAR} and bash's ${VAR:-default} forms only; write $${ for a literal ${", err)
	}
	for i := 0; i+1 < len(v); i++ {
		if v[i] != '$' || v[i+1] != '$' {
			continue
		}
		if i+2 < len(v) && v[i+2] == '{' {
			i += 2 // $${: a literal ${ on purpose
			continue
		}
		return "holds $$, which Flux's postBuild substitution turns into $: the app would get one $ less; write $$$$ for a literal $$ if the Kustomization applying it uses spec.postBuild"
	}
	return ""
}

// templatePlaceholderErrs refuses a placeholder in a field that the preset writes into an ESO
// template of the app Secret (a JSON, YAML or Python config value): the function escapes the
// value for that syntax, Flux substitutes the raw variable after it, so a quote or a backslash
// in the variable breaks the file. Which fields get there is found by resolving the preset
// again with the field's placeholders replaced: the templates change exactly when they hold
// them. URL fields (issuer, url, callbacks) are not probed: a URL holds no character these
// syntaxes escape.
func templatePlaceholderErrs(p *preset.Preset, in preset.Input, res *preset.Resolved) field.ErrorList {
	if res == nil || len(res.Wiring.SecretTemplates) == 0 {
		return nil
	}
	type probe struct {
		path  *field.Path
		value string
		set   func(*preset.Input, string)
	}
	spec := field.NewPath("spec")
	probes := []probe{
		{spec.Child("login", "buttonText"), in.ButtonText, func(i *preset.Input, v string) { i.ButtonText = v }},
		{spec.Child("login", "providerKey"), in.ProviderKey, func(i *preset.Input, v string) { i.ProviderKey = v }},
		{spec.Child("client", "id"), in.ClientID, func(i *preset.Input, v string) { i.ClientID = v }},
		{spec.Child("secret", "name"), in.SecretName, func(i *preset.Input, v string) { i.SecretName = v }},
	}
	for _, k := range slices.Sorted(maps.Keys(in.Env)) {
		probes = append(probes, probe{spec.Child("env").Key(k), in.Env[k], func(i *preset.Input, v string) {
			i.Env = maps.Clone(i.Env)
			i.Env[k] = v
		}})
	}
	var errs field.ErrorList
	for _, pr := range probes {
		if !v1alpha1.HasPlaceholder(pr.value) {
			continue
		}
		replaced, err := envsubst.Eval(pr.value, func(string) (string, bool) { return "pocketid-oidc-probe", true })
		if err != nil {
			continue // reported by substitutionWarnings
		}
		alt := in
		pr.set(&alt, replaced)
		other, rerrs := p.Resolve(alt)
		if len(rerrs) > 0 || other == nil {
			continue
		}
		var keys []string
		for _, k := range slices.Sorted(maps.Keys(res.Wiring.SecretTemplates)) {
			if other.Wiring.SecretTemplates[k] != res.Wiring.SecretTemplates[k] {
				keys = append(keys, k)
			}
		}
		if len(keys) == 0 {
			continue
		}
		errs = append(errs, field.Invalid(pr.path, field.OmitValueType{}, fmt.Sprintf(
			"holds a Flux placeholder that the preset writes into key %s of the app Secret, an ExternalSecret template escaped for its syntax (JSON, YAML or Python) at render time: Flux substitutes the raw variable after that, so a quote or a backslash in it breaks the file; write the value itself here",
			strings.Join(keys, ", "))))
	}
	return errs
}
