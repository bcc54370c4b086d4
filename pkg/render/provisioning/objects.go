package provisioning

import (
	"encoding/json"
)

// toMap converts a typed object through JSON and drops what typed structs add but nobody
// wrote: creationTimestamp: null (at every level) and an empty status.
func toMap(o any) (map[string]any, error) {
	b, err := json.Marshal(o)
	if err != nil {
		return nil, err
	}
	return mapOf(b)
}

// mapOf is toMap for an object already encoded as JSON.
func mapOf(b []byte) (map[string]any, error) {
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, err
	}
	strip(m)
	if st, ok := m["status"].(map[string]any); ok && len(st) == 0 {
		delete(m, "status")
	}
	return m, nil
}

func strip(v any) {
	switch t := v.(type) {
	case map[string]any:
		if ts, ok := t["creationTimestamp"]; ok && ts == nil {
			delete(t, "creationTimestamp")
		}
		for k, c := range t {
			strip(c)
			if mm, ok := c.(map[string]any); ok && k == "metadata" && len(mm) == 0 {
				delete(t, k)
			}
		}
	case []any:
		for _, c := range t {
			strip(c)
		}
	}
}

func ptr[T any](v T) *T { return &v }
