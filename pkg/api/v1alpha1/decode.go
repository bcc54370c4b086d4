package v1alpha1

import (
	"encoding/json"
	"regexp"
	"sort"
	"strings"

	"k8s.io/apimachinery/pkg/util/validation/field"
	sigsjson "sigs.k8s.io/json"
)

var (
	unknownFieldRE   = regexp.MustCompile(`^unknown field "(.*)"$`)
	duplicateFieldRE = regexp.MustCompile(`^duplicate field "(.*)"$`)
)

// Decode unmarshals the JSON form of one of our kinds into obj, strictly: every unknown field is
// reported with its full path (spec.client.callbackURL, a typo of callbackURLs, must not be
// dropped silently: the function would then render a client without the callbacks the user
// meant). Duplicate keys are reported too.
func Decode(data []byte, obj any) field.ErrorList {
	strictErrs, err := sigsjson.UnmarshalStrict(data, obj, sigsjson.DisallowUnknownFields, sigsjson.DisallowDuplicateFields)
	var errs field.ErrorList
	if err != nil {
		return field.ErrorList{decodeError(data, err)}
	}
	for _, se := range strictErrs {
		msg := se.Error()
		if m := unknownFieldRE.FindStringSubmatch(msg); m != nil {
			errs = append(errs, field.Forbidden(pathOf(m[1]), "unknown field"))
			continue
		}
		if m := duplicateFieldRE.FindStringSubmatch(msg); m != nil {
			errs = append(errs, field.Forbidden(pathOf(m[1]), "duplicate field"))
			continue
		}
		errs = append(errs, field.Invalid(nil, nil, msg))
	}
	return errs
}

// decodeError turns a fatal decoding error into a field error with the path the JSON decoder
// names ("json: cannot unmarshal number into Go struct field ClientSpec.spec.client.id of type
// string"), completed with the map key or list index the decoder leaves out (spec.env[PORT],
// spec.client.allowedGroups[0]) and told in YAML words ("must be a string, not a number"). A value of
// the wrong type is never quoted: it may be a secret in the wrong place.
func decodeError(data []byte, err error) *field.Error {
	msg := err.Error()
	const marker = "Go struct field "
	if i := strings.Index(msg, marker); i >= 0 {
		rest := msg[i+len(marker):]
		if j := strings.Index(rest, " of type "); j >= 0 {
			name := rest[:j]
			// The decoder prefixes the Go type: "ClientSpec.spec.client.public".
			if k := strings.Index(name, "."); k >= 0 {
				name = name[k+1:]
			}
			goType := rest[j+len(" of type "):]
			got := ""
			if g := strings.TrimPrefix(msg, "json: cannot unmarshal "); g != msg {
				got = strings.Fields(g)[0]
			}
			p := pathOf(name)
			if got != "" {
				p = completePath(data, name, goType, got, p)
			}
			detail := "must be " + yamlType(goType)
			if got != "" {
				detail += ", not " + article(got)
				if goType == "string" && (got == "number" || got == "bool") {
					detail += " (quote it)"
				}
			}
			return field.TypeInvalid(p, field.OmitValueType{}, detail)
		}
	}
	msg = strings.TrimPrefix(msg, "json: ")
	if strings.HasPrefix(msg, "time: ") {
		// Durations are the only values decoded by a custom unmarshaler, which names no path;
		// every kind of ours has its one duration at the same place.
		return field.Invalid(field.NewPath("spec", "secret", "rotationOverlap"), field.OmitValueType{}, msg+", want a duration like 24h or 90m")
	}
	return field.Invalid(nil, field.OmitValueType{}, msg)
}

// completePath adds the key or index of the offending element when the decoder names a map or
// a list whose element has the wrong type: the first element of the JSON kind got.
func completePath(data []byte, dotted, goType, got string, p *field.Path) *field.Path {
	var doc any
	if json.Unmarshal(data, &doc) != nil {
		return p
	}
	for _, part := range strings.Split(dotted, ".") {
		m, ok := doc.(map[string]any)
		if !ok {
			return p
		}
		doc = m[part]
	}
	switch v := doc.(type) {
	case map[string]any:
		if strings.HasPrefix(goType, "map[") || strings.Contains(goType, ".") {
			return p
		}
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if jsonKind(v[k]) == got {
				return p.Key(k)
			}
		}
	case []any:
		if strings.HasPrefix(goType, "[]") {
			return p
		}
		for i, e := range v {
			if jsonKind(e) == got {
				return p.Index(i)
			}
		}
	}
	return p
}

// jsonKind names a decoded JSON value as the decoder's errors do.
func jsonKind(v any) string {
	switch v.(type) {
	case map[string]any:
		return "object"
	case []any:
		return "array"
	case string:
		return "string"
	case float64:
		return "number"
	case bool:
		return "bool"
	}
	return "null"
}

// yamlType tells a Go type the way a YAML author thinks of it.
func yamlType(goType string) string {
	switch {
	case goType == "string":
		return "a string"
	case goType == "bool":
		return "true or false"
	case strings.HasPrefix(goType, "int"):
		return "a whole number"
	case goType == "[]string":
		return "a list of strings"
	case strings.HasPrefix(goType, "[]"):
		return "a list"
	case strings.HasPrefix(goType, "map["):
		return "a map"
	}
	return "a map of fields" // a struct of ours
}

func article(jsonKind string) string {
	switch jsonKind {
	case "object":
		return "a map"
	case "array":
		return "a list"
	case "bool":
		return "a boolean"
	}
	return "a " + jsonKind
}

// pathOf turns the decoder's dotted path into a field.Path; list indices are not part of the
// decoder's paths, so a dot split is exact for our field names (none contains a dot). Map keys
// (env names, annotations) may contain dots but are never unknown fields.
func pathOf(dotted string) *field.Path {
	parts := strings.Split(dotted, ".")
	p := field.NewPath(parts[0])
	for _, s := range parts[1:] {
		p = p.Child(s)
	}
	return p
}
