package helmrelease

import (
	"maps"
	"slices"
	"strings"

	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/endsys/pocketid-oidc/pkg/preset"
)

// volumeName turns a Secret name (a DNS subdomain) into a volume name (a DNS label).
func volumeName(secret string) string {
	n := strings.ReplaceAll(secret, ".", "-")
	if len(n) > 63 {
		n = n[:63]
	}
	return strings.TrimRight(n, "-")
}

// filesBySecret groups files per Secret (one volume each), Secrets and mount paths sorted.
func filesBySecret(files []preset.File) ([]string, map[string][]preset.File) {
	by := map[string][]preset.File{}
	for _, f := range files {
		by[f.SecretName] = append(by[f.SecretName], f)
	}
	for _, fs := range by {
		slices.SortFunc(fs, func(a, b preset.File) int { return strings.Compare(a.MountPath, b.MountPath) })
	}
	return slices.Sorted(maps.Keys(by)), by
}

// validateFiles refuses a file the workload cannot mount: each needs a Secret, a key and an
// absolute mount path.
func validateFiles(files []preset.File) field.ErrorList {
	var errs field.ErrorList
	for i, fl := range files {
		if fl.SecretName == "" || fl.SecretKey == "" || !strings.HasPrefix(fl.MountPath, "/") {
			errs = append(errs, field.Invalid(field.NewPath("wiring", "files").Index(i), fl.MountPath,
				"a file needs a Secret name, a key and an absolute mount path"))
		}
	}
	return errs
}
