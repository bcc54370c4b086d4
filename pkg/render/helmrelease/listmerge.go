package helmrelease

import (
	"fmt"
	"slices"

	"k8s.io/apimachinery/pkg/util/validation/field"
	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// listItem is one item we own in a list of maps below spec.values (the gitea chart's
// gitea.oauth): the item of the list at Path whose field Key is Value. Helm replaces lists
// whole, so a chart route that must add to the user's list (their other auth sources) merges
// its items by that field and owns only them.
type listItem struct {
	Path  []string `json:"path"`
	Key   string   `json:"key"`
	Value string   `json:"value"`
}

func (it listItem) id() string {
	return pathKey(append(slices.Clone(it.Path), "\x01"+it.Key, it.Value))
}

// mergeList puts each item of src into the list under path's last key in dst (created when
// absent): in place of the item with the same key field, else after the user's items. An item
// of the same key that no integration has recorded is the user's: replaced all the same, since
// the app needs ours, and reported.
func (m *valueMerger) mergeList(dst, cur, src *yaml.Node, path []string, key string) field.ErrorList {
	p := valuesPath.Child(path[0], path[1:]...)
	if src.Kind != yaml.SequenceNode {
		return field.ErrorList{field.InternalError(p, fmt.Errorf("the preset's value at %s must be a list", p))}
	}
	if isNull(cur) {
		cur = newSeq()
		mapSet(dst, path[len(path)-1], cur)
	} else if cur.Kind != yaml.SequenceNode {
		return field.ErrorList{field.Invalid(p, cur.ShortTag(), fmt.Sprintf(
			"HelmRelease %s: must be a list to add the integration's entry to it", m.rel.id))}
	}
	for _, item := range src.Content {
		it := listItem{Path: path, Key: key, Value: str(mapGet(item, key))}
		if i := itemIndex(cur, key, it.Value); i >= 0 {
			if !m.st.claimsItem(it) {
				m.warns = append(m.warns, Warning{Release: m.rel.id, Field: p.Index(i).String(), Detail: fmt.Sprintf(
					"the entry with %s %q is set in the HelmRelease and replaced by the integration's; it is removed when the integration no longer sets it",
					key, it.Value)})
			}
			cur.Content[i] = item
		} else {
			cur.Content = append(cur.Content, item)
		}
		m.next.Items = append(m.next.Items, it)
	}
	return nil
}

func itemIndex(seq *yaml.Node, key, value string) int {
	for i, item := range seq.Content {
		if str(mapGet(item, key)) == value {
			return i
		}
	}
	return -1
}

// claimsItem reports whether any integration's record owns it.
func (st state) claimsItem(it listItem) bool {
	for _, r := range st {
		if slices.ContainsFunc(r.Items, func(o listItem) bool { return o.id() == it.id() }) {
			return true
		}
	}
	return false
}

// takeBackItems removes the list items the previous render of self recorded and next no
// longer writes, sparing those another integration also owns, and a list that this left
// empty (and the maps that left empty), like removePath.
func takeBackItems(spec *yaml.Node, st state, self string, next record) {
	for _, it := range st[self].Items {
		if slices.ContainsFunc(next.Items, func(o listItem) bool { return o.id() == it.id() }) {
			continue
		}
		others := false
		for name, r := range st {
			if name != self && slices.ContainsFunc(r.Items, func(o listItem) bool { return o.id() == it.id() }) {
				others = true
			}
		}
		if others {
			continue
		}
		full := append([]string{"values"}, it.Path...)
		parent := spec
		for _, k := range full[:len(full)-1] {
			parent = mapGet(parent, k)
		}
		list := mapGet(parent, full[len(full)-1])
		if list == nil || list.Kind != yaml.SequenceNode {
			continue
		}
		if i := itemIndex(list, it.Key, it.Value); i >= 0 {
			list.Content = slices.Delete(list.Content, i, i+1)
			if len(list.Content) == 0 {
				removePath(spec, full)
			}
		}
	}
}

// sortItems orders items by path, key and value, so the annotation text depends only on what
// is owned.
func sortItems(items []listItem) []listItem {
	slices.SortFunc(items, func(a, b listItem) int {
		if c := slices.Compare(a.Path, b.Path); c != 0 {
			return c
		}
		if a.Key != b.Key {
			if a.Key < b.Key {
				return -1
			}
			return 1
		}
		switch {
		case a.Value < b.Value:
			return -1
		case a.Value > b.Value:
			return 1
		}
		return 0
	})
	return slices.CompactFunc(items, func(a, b listItem) bool { return a.id() == b.id() })
}
