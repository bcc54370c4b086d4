package v1alpha1

import (
	"reflect"
	"testing"

	"github.com/google/go-cmp/cmp"
	"k8s.io/apimachinery/pkg/runtime"
)

// TestDeepCopyIsDeep: DeepCopyObject of every kind, with every field set, equals the original
// and shares no pointer, slice or map with it. It fails when zz_generated.deepcopy.go is stale
// (a new pointer or list field copied shallowly): regenerate with make schema.
func TestDeepCopyIsDeep(t *testing.T) {
	for _, obj := range []runtime.Object{&PocketIDProvider{}, &OIDCIntegration{}, &OIDCClient{}} {
		fill(reflect.ValueOf(obj).Elem(), 0)
		cp := obj.DeepCopyObject()
		name := reflect.TypeOf(obj).Elem().Name()
		if diff := cmp.Diff(obj, cp); diff != "" {
			t.Errorf("%s: copy differs (-orig +copy):\n%s", name, diff)
		}
		if path := shared(reflect.ValueOf(obj).Elem(), reflect.ValueOf(cp).Elem(), name); path != "" {
			t.Errorf("%s is shared between the original and the copy", path)
		}
	}
}

// fill sets every field reachable from v: one element per slice and map, every pointer set.
func fill(v reflect.Value, depth int) {
	if depth > 8 {
		return
	}
	switch v.Kind() {
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		fill(v.Elem(), depth+1)
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() {
				fill(v.Field(i), depth+1)
			}
		}
	case reflect.Slice:
		v.Set(reflect.MakeSlice(v.Type(), 1, 1))
		fill(v.Index(0), depth+1)
	case reflect.Map:
		m := reflect.MakeMap(v.Type())
		k, e := reflect.New(v.Type().Key()).Elem(), reflect.New(v.Type().Elem()).Elem()
		fill(k, depth+1)
		fill(e, depth+1)
		m.SetMapIndex(k, e)
		v.Set(m)
	case reflect.String:
		v.SetString("x")
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		v.SetInt(1)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		v.SetUint(1)
	case reflect.Float32, reflect.Float64:
		v.SetFloat(1)
	}
}

// shared returns the path of the first pointer, slice or map that a and b share, or "".
func shared(a, b reflect.Value, path string) string {
	switch a.Kind() {
	case reflect.Pointer:
		if a.IsNil() {
			return ""
		}
		if a.Pointer() == b.Pointer() {
			return path
		}
		return shared(a.Elem(), b.Elem(), path)
	case reflect.Struct:
		for i := 0; i < a.NumField(); i++ {
			if a.Type().Field(i).IsExported() {
				if p := shared(a.Field(i), b.Field(i), path+"."+a.Type().Field(i).Name); p != "" {
					return p
				}
			}
		}
	case reflect.Slice:
		if a.Len() > 0 && a.Pointer() == b.Pointer() {
			return path
		}
		for i := 0; i < a.Len(); i++ {
			if p := shared(a.Index(i), b.Index(i), path+"[]"); p != "" {
				return p
			}
		}
	case reflect.Map:
		if a.Len() > 0 && a.Pointer() == b.Pointer() {
			return path
		}
		for _, k := range a.MapKeys() {
			if p := shared(a.MapIndex(k), b.MapIndex(k), path+"[key]"); p != "" {
				return p
			}
		}
	}
	return ""
}
