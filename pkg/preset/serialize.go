package preset

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"sigs.k8s.io/yaml"
)

// renderData renders every string (map keys too: Semaphore keys providers by the provider
// key) of structured preset data. A whole-value client secret stays the sentinel when
// allowSecret, else it is an error.
func renderData(data any, vars *TemplateVars, allowSecret bool) (any, error) {
	switch d := data.(type) {
	case nil:
		return nil, nil
	case string:
		out, sec, err := render("value", d, vars)
		if err != nil {
			return nil, err
		}
		if sec {
			if !allowSecret {
				return nil, fmt.Errorf("the client secret cannot go here")
			}
			return secretSentinel, nil
		}
		return out, nil
	case map[string]any:
		out := make(map[string]any, len(d))
		for _, k := range sortedKeys(d) {
			rk, sec, err := render("key", k, vars)
			if err == nil && sec {
				err = fmt.Errorf("a key cannot be the secret")
			}
			if err != nil {
				return nil, fmt.Errorf("%s: %w", k, err)
			}
			v, err := renderData(d[k], vars, allowSecret)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", k, err)
			}
			out[rk] = v
		}
		return out, nil
	case []any:
		out := make([]any, len(d))
		for i, e := range d {
			v, err := renderData(e, vars, allowSecret)
			if err != nil {
				return nil, fmt.Errorf("[%d]: %w", i, err)
			}
			out[i] = v
		}
		return out, nil
	case bool, float64, int, int64:
		return d, nil
	default:
		return nil, fmt.Errorf("unsupported value of type %T", d)
	}
}

// serialize renders data and turns it into ESO template text (engineVersion v2): the
// structure is serialized by a real encoder with the secret as a sentinel, literal braces are
// escaped for ESO, and only then is the sentinel replaced by the toJson expression. So no
// value is ever concatenated into JSON/YAML/Python by hand, and whatever the secret holds,
// ESO's toJson yields a valid string literal of all three languages.
func serialize(data any, format Format, vars *TemplateVars) (string, error) {
	rendered, err := renderData(data, vars, true)
	if err != nil {
		return "", err
	}
	var text, quoted string
	switch format {
	case FormatJSON:
		b, err := marshalJSON(rendered)
		if err != nil {
			return "", err
		}
		text, quoted = string(b), strconv.Quote(secretSentinel)
	case FormatPython:
		var b strings.Builder
		if err := writePython(&b, rendered); err != nil {
			return "", err
		}
		text, quoted = b.String(), strconv.Quote(secretSentinel)
	case FormatYAML:
		b, err := yaml.Marshal(rendered)
		if err != nil {
			return "", err
		}
		// The sentinel is a plain scalar in YAML: nothing in it needs quoting.
		text, quoted = string(b), secretSentinel
	default:
		return "", fmt.Errorf("unknown format %q", format)
	}
	text = esoEscaper.Replace(text)
	text = strings.ReplaceAll(text, quoted, esoSecretExpr)
	if strings.Contains(text, secretSentinel) {
		return "", fmt.Errorf("the client secret could not be placed as a whole %s value", format)
	}
	return text, nil
}

// marshalJSON is compact JSON without HTML escaping (env values are read by apps, not
// browsers; "&" stays readable). Map keys come out sorted.
func marshalJSON(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}

// writePython writes v as a Python literal, as pgAdmin evaluates PGADMIN_CONFIG_* values.
// Strings use JSON quoting, which Python reads identically (\uXXXX included); booleans and
// null become True, False and None, the only places where JSON and Python differ.
func writePython(b *strings.Builder, v any) error {
	switch d := v.(type) {
	case nil:
		b.WriteString("None")
	case bool:
		if d {
			b.WriteString("True")
		} else {
			b.WriteString("False")
		}
	case string, float64, int, int64:
		j, err := marshalJSON(d)
		if err != nil {
			return err
		}
		b.Write(j)
	case []any:
		b.WriteString("[")
		for i, e := range d {
			if i > 0 {
				b.WriteString(", ")
			}
			if err := writePython(b, e); err != nil {
				return err
			}
		}
		b.WriteString("]")
	case map[string]any:
		keys := make([]string, 0, len(d))
		for k := range d {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		b.WriteString("{")
		for i, k := range keys {
			if i > 0 {
				b.WriteString(", ")
			}
			if err := writePython(b, k); err != nil {
				return err
			}
			b.WriteString(": ")
			if err := writePython(b, d[k]); err != nil {
				return err
			}
		}
		b.WriteString("}")
	default:
		return fmt.Errorf("unsupported value of type %T", d)
	}
	return nil
}
