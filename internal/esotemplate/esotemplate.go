package esotemplate

import (
	"bytes"
	"fmt"
	"strings"
	"text/template"

	"github.com/Masterminds/sprig/v3"
	"sigs.k8s.io/yaml"
)

var funcs = func() template.FuncMap {
	f := sprig.TxtFuncMap()
	// ESO removes these so a template cannot read the controller's environment or the network.
	delete(f, "env")
	delete(f, "expandenv")
	delete(f, "getHostByName")
	f["toYaml"] = toYAML
	f["fromYaml"] = fromYAML
	return f
}()

// Execute renders one template.data value of an ExternalSecret (engineVersion v2) against the
// secret data, as ESO's controller does for a target Secret key.
func Execute(key, text string, data map[string][]byte) ([]byte, error) {
	strData := make(map[string]string, len(data))
	for k, v := range data {
		strData[k] = string(v)
	}
	t, err := template.New(key).
		Option("missingkey=error").
		Funcs(funcs).
		Delims("{{", "}}").
		Parse(text)
	if err != nil {
		return nil, fmt.Errorf("unable to parse template at key %s: %w", key, err)
	}
	var b bytes.Buffer
	if err := t.Execute(&b, strData); err != nil {
		return nil, fmt.Errorf("unable to execute template at key %s: %w", key, err)
	}
	return b.Bytes(), nil
}

// toYAML mirrors ESO's: marshal errors become "" inside a template.
func toYAML(v any) string {
	data, err := yaml.Marshal(v)
	if err != nil {
		return ""
	}
	return strings.TrimSuffix(string(data), "\n")
}

// fromYAML mirrors ESO's: a parse error lands in m["Error"].
func fromYAML(str string) map[string]any {
	m := map[string]any{}
	if err := yaml.Unmarshal([]byte(str), &m); err != nil {
		m["Error"] = err.Error()
	}
	return m
}
