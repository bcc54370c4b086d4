package v1alpha1

import (
	"regexp"
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
		return field.ErrorList{decodeError(err)}
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
// names ("json: cannot unmarshal string into Go struct field ClientSpec.spec.client.public of
// type bool").
func decodeError(err error) *field.Error {
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
			return field.TypeInvalid(pathOf(name), nil, "must be of type "+rest[j+len(" of type "):])
		}
	}
	return field.Invalid(nil, nil, strings.TrimPrefix(msg, "json: "))
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
