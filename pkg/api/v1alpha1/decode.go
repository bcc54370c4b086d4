package v1alpha1

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strings"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/validation/field"
	sigsjson "sigs.k8s.io/json"

	"github.com/endsys/pocketid-oidc/internal/suggest"
)

var (
	unknownFieldRE   = regexp.MustCompile(`^unknown field "(.*)"$`)
	duplicateFieldRE = regexp.MustCompile(`^duplicate field "(.*)"$`)
)

// Decode unmarshals the JSON form of one of our kinds into obj and reports every problem at
// once, each with its full path: unknown fields (spec.client.callbackURL, a typo of
// callbackURLs, must not be dropped silently: the function would then render a client without
// the callbacks the user meant), duplicate keys, and values of the wrong type. What fits is
// decoded, so the caller can go on validating it: a user fixes every line in one round.
//
// sigs.k8s.io/json's strict mode lists every unknown and duplicate field, but stops listing at
// the first value of the wrong type, and reports only that one. So a document with type errors
// is walked against obj's Go type first (checkTypes): each misfit is reported and removed, and
// the rest decoded strictly again.
func Decode(data []byte, obj any) field.ErrorList {
	t := reflect.TypeOf(obj).Elem()
	strict, err := sigsjson.UnmarshalStrict(data, obj, sigsjson.DisallowUnknownFields, sigsjson.DisallowDuplicateFields)
	if err == nil {
		return sortErrs(strictErrs(t, strict))
	}
	var doc any
	if json.Unmarshal(data, &doc) != nil {
		return field.ErrorList{field.Invalid(nil, field.OmitValueType{}, strings.TrimPrefix(err.Error(), "json: "))}
	}
	var errs field.ErrorList
	checkTypes(doc, t, nil, &errs)
	cleaned, merr := json.Marshal(doc)
	if merr != nil {
		return append(errs, field.InternalError(nil, merr))
	}
	v := reflect.ValueOf(obj).Elem()
	v.SetZero()
	strict, err = sigsjson.UnmarshalStrict(cleaned, obj, sigsjson.DisallowUnknownFields, sigsjson.DisallowDuplicateFields)
	errs = append(errs, strictErrs(t, strict)...)
	if err != nil {
		// A misfit checkTypes does not know: reported as the decoder words it, nothing decoded.
		v.SetZero()
		errs = append(errs, field.Invalid(nil, field.OmitValueType{}, strings.TrimPrefix(err.Error(), "json: ")))
	}
	return sortErrs(errs)
}

// strictErrs turns the strict decoder's errors into field errors; an unknown field suggests the
// field of that object it probably meant (callbackURL: callbackURLs).
func strictErrs(t reflect.Type, strict []error) field.ErrorList {
	var errs field.ErrorList
	for _, se := range strict {
		msg := se.Error()
		if m := unknownFieldRE.FindStringSubmatch(msg); m != nil {
			parts := strings.Split(m[1], ".")
			detail := "unknown field"
			if parent := typeAt(t, parts[:len(parts)-1]); parent != nil {
				fields := map[string]reflect.Type{}
				jsonFields(parent, fields)
				detail += suggest.DidYouMean(parts[len(parts)-1], slices.Sorted(maps.Keys(fields)))
			}
			errs = append(errs, field.Forbidden(pathOf(m[1]), detail))
			continue
		}
		if m := duplicateFieldRE.FindStringSubmatch(msg); m != nil {
			errs = append(errs, field.Forbidden(pathOf(m[1]), "duplicate field"))
			continue
		}
		errs = append(errs, field.Invalid(nil, field.OmitValueType{}, msg))
	}
	return errs
}

// sortErrs orders errors by field path, so results come in the same order however they were
// found.
func sortErrs(errs field.ErrorList) field.ErrorList {
	sort.SliceStable(errs, func(i, j int) bool { return errs[i].Field < errs[j].Field })
	return errs
}

// CoveredBy drops the errors at or below a field that decoding already reported: a value of
// the wrong type was left out, and "Required value" for it would only repeat the problem. An
// error without a field (the document did not decode at all) covers everything; an unknown
// field (Forbidden) covers nothing, since nothing was left out.
func CoveredBy(errs, decoded field.ErrorList) field.ErrorList {
	var out field.ErrorList
	for _, e := range errs {
		covered := false
		for _, d := range decoded {
			if d.Type != field.ErrorTypeForbidden && (d.Field == "<nil>" ||
				e.Field == d.Field || strings.HasPrefix(e.Field, d.Field+".") || strings.HasPrefix(e.Field, d.Field+"[")) {
				covered = true
				break
			}
		}
		if !covered {
			out = append(out, e)
		}
	}
	return out
}

var jsonUnmarshaler = reflect.TypeFor[json.Unmarshaler]()

// checkTypes reports every value of doc (decoded JSON) that does not fit t, at its path, and
// removes it from doc (a list element becomes null): what is left decodes. It reports whether
// doc itself fits. null fits everything, as for encoding/json. Unknown fields are left to the
// strict decoder.
func checkTypes(doc any, t reflect.Type, p *field.Path, errs *field.ErrorList) bool {
	if doc == nil {
		return true
	}
	if t.Kind() != reflect.Pointer && reflect.PointerTo(t).Implements(jsonUnmarshaler) {
		return checkUnmarshaler(doc, t, p, errs)
	}
	misfit := func() bool {
		*errs = append(*errs, field.TypeInvalid(p, field.OmitValueType{}, typeDetail(t, doc)))
		return false
	}
	switch t.Kind() {
	case reflect.Pointer:
		return checkTypes(doc, t.Elem(), p, errs)
	case reflect.Struct:
		m, ok := doc.(map[string]any)
		if !ok {
			return misfit()
		}
		fields := map[string]reflect.Type{}
		jsonFields(t, fields)
		for k, v := range m {
			if ft, known := fields[k]; known && !checkTypes(v, ft, child(p, k), errs) {
				delete(m, k)
			}
		}
	case reflect.Map:
		m, ok := doc.(map[string]any)
		if !ok {
			return misfit()
		}
		for k, v := range m {
			if !checkTypes(v, t.Elem(), p.Key(k), errs) {
				delete(m, k)
			}
		}
	case reflect.Slice:
		l, ok := doc.([]any)
		if !ok {
			return misfit()
		}
		for i, v := range l {
			if !checkTypes(v, t.Elem(), p.Index(i), errs) {
				l[i] = nil
			}
		}
	case reflect.String:
		if _, ok := doc.(string); !ok {
			return misfit()
		}
	case reflect.Bool:
		if _, ok := doc.(bool); !ok {
			return misfit()
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		n, ok := doc.(float64)
		if !ok || n != float64(int64(n)) || reflect.New(t).Elem().OverflowInt(int64(n)) {
			return misfit()
		}
	case reflect.Float32, reflect.Float64:
		if _, ok := doc.(float64); !ok {
			return misfit()
		}
	}
	return true
}

// checkUnmarshaler decodes a value of a type with its own decoding (a duration) on its own.
func checkUnmarshaler(doc any, t reflect.Type, p *field.Path, errs *field.ErrorList) bool {
	b, _ := json.Marshal(doc)
	err := json.Unmarshal(b, reflect.New(t).Interface())
	if err == nil {
		return true
	}
	if te := (*json.UnmarshalTypeError)(nil); errors.As(err, &te) {
		*errs = append(*errs, field.TypeInvalid(p, field.OmitValueType{}, typeDetail(t, doc)))
	} else {
		// "time: invalid duration "a day"": a duration is no secret, quoting it helps.
		*errs = append(*errs, field.Invalid(p, field.OmitValueType{}, strings.TrimPrefix(err.Error(), "json: ")+", want "+yamlType(t)))
	}
	return false
}

// typeAt is the struct type at a dotted path of JSON field names below t (through pointers,
// lists and maps, whose keys and indices the decoder's paths leave out), or nil.
func typeAt(t reflect.Type, parts []string) reflect.Type {
	for {
		switch t.Kind() {
		case reflect.Pointer, reflect.Slice, reflect.Map:
			t = t.Elem()
			continue
		}
		break
	}
	if t.Kind() != reflect.Struct {
		return nil
	}
	if len(parts) == 0 {
		return t
	}
	fields := map[string]reflect.Type{}
	jsonFields(t, fields)
	ft, ok := fields[parts[0]]
	if !ok {
		return nil
	}
	return typeAt(ft, parts[1:])
}

// jsonFields maps the JSON names of t's fields to their types, through inlined embedded
// structs (metav1.TypeMeta), as encoding/json does.
func jsonFields(t reflect.Type, into map[string]reflect.Type) {
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		switch {
		case name == "-" || (!f.IsExported() && !f.Anonymous):
		case name == "" && f.Anonymous && f.Type.Kind() == reflect.Struct:
			jsonFields(f.Type, into)
		case name == "":
			into[f.Name] = f.Type
		default:
			into[name] = f.Type
		}
	}
}

func child(p *field.Path, name string) *field.Path {
	if p == nil {
		return field.NewPath(name)
	}
	return p.Child(name)
}

// typeDetail tells what a value must be, in YAML words ("must be a string, not a number
// (quote it)"). The value is never quoted: it may be a secret in the wrong place.
func typeDetail(t reflect.Type, doc any) string {
	got := jsonKind(doc)
	d := "must be " + yamlType(t)
	if n, ok := doc.(float64); ok && got == "number" && isInt(t) && n != float64(int64(n)) {
		return d + ", not a fraction"
	}
	if isInt(t) && got == "number" {
		return fmt.Sprintf("%s from %d to %d", d, int64(-1)<<(t.Bits()-1), int64(1)<<(t.Bits()-1)-1)
	}
	d += ", not " + article(got)
	if t.Kind() == reflect.String && (got == "number" || got == "bool") {
		d += " (quote it)"
	}
	return d
}

func isInt(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return true
	}
	return false
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
func yamlType(t reflect.Type) string {
	switch t {
	case reflect.TypeFor[metav1.Duration]():
		return "a duration like 24h or 90m"
	case reflect.TypeFor[metav1.Time]():
		return "a time like 2025-01-31T12:00:00Z"
	}
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return "a whole number"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Slice:
		if t.Elem().Kind() == reflect.String {
			return "a list of strings"
		}
		return "a list"
	case reflect.Map:
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
