package function

// Our API group's objects that are not what they claim: a misspelled kind or group, another
// version. Passing one through unrendered would look like success (an OIDCIntegraton leaves
// its HelmRelease unwired and the run exits 0), so each is an error with a did-you-mean.

import (
	"fmt"
	"slices"
	"strings"
	"sync"

	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/endsys/pocketid-oidc/internal/suggest"
	"github.com/endsys/pocketid-oidc/pkg/api/v1alpha1"
)

// ourKinds are the kinds of group oidc.endsys.cloud.
var ourKinds = []string{v1alpha1.KindOIDCClient, v1alpha1.KindOIDCIntegration, v1alpha1.KindPocketIDProvider}

// kindErrors says what is wrong with an object that is, or looks meant to be, of our group: nil
// for one of our kinds at our version, and for the objects of other groups. Meant to be ours:
// a group a typo away from ours, a kind like ours without a group (apiVersion: v1alpha1), or
// an OIDCIntegration or PocketIDProvider of any group (OIDCClient is a common name elsewhere).
func kindErrors(apiVersion, kind string) field.ErrorList {
	group, version := groupOf(apiVersion), apiVersion[strings.LastIndex(apiVersion, "/")+1:]
	ourKind := slices.Contains(ourKinds, kind)
	if !meantOurs(group, kind, ourKind) {
		return nil
	}
	var errs field.ErrorList
	switch {
	case group != v1alpha1.Group:
		errs = append(errs, field.Invalid(field.NewPath("apiVersion"), apiVersion, "did you mean "+v1alpha1.APIVersion+"?"))
	case version != v1alpha1.Version:
		errs = append(errs, field.NotSupported(field.NewPath("apiVersion"), apiVersion, []string{v1alpha1.APIVersion}))
	}
	if !ourKind {
		errs = append(errs, field.Invalid(field.NewPath("kind"), kind,
			fmt.Sprintf("group %s has no such kind%s; its kinds are %s", v1alpha1.Group,
				suggest.DidYouMean(kind, ourKinds), strings.Join(ourKinds, ", "))))
	}
	return errs
}

// notOurs caches the group/kind pairs meantOurs said no to: every item is asked, a large input
// has a handful of kinds, and the edit distances cost more than the rest of the item checks.
var notOurs sync.Map

func meantOurs(group, kind string, ourKind bool) bool {
	key := group + "\x00" + kind
	if _, no := notOurs.Load(key); no {
		return false
	}
	yes := group == v1alpha1.Group || len(suggest.Similar(group, []string{v1alpha1.Group})) > 0 ||
		(group == "" && (ourKind || len(suggest.Similar(kind, ourKinds)) > 0)) ||
		kind == v1alpha1.KindOIDCIntegration || kind == v1alpha1.KindPocketIDProvider
	if !yes {
		notOurs.Store(key, true)
	}
	return yes
}
