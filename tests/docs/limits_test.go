package docs

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"k8s.io/apimachinery/pkg/util/validation"

	"github.com/endsys/pocketid-oidc/pkg/api/v1alpha1"
)

// TestSizeLimitsTable: the README's size-limits table states the limits the code enforces
// (pkg/api/v1alpha1/validation_limits.go): a changed constant leaves no stale row behind.
func TestSizeLimitsTable(t *testing.T) {
	readme := readFile(t, filepath.Join(repoRoot(t), "README.md"))
	start := strings.Index(readme, "\n### Size limits\n")
	if start < 0 {
		t.Fatal("README.md has no ### Size limits section")
	}
	section := readme[start+1:]
	if end := strings.Index(section[4:], "\n#"); end >= 0 {
		section = section[:end+4]
	}
	kib := func(n int) string { return fmt.Sprintf("%d KiB", n/1024) }
	// A row is found by a field its first cell names; its limit cell must state each value.
	for field, want := range map[string][]string{
		"`metadata.name`":        {fmt.Sprintf("%d characters", v1alpha1.MaxIntegrationNameLength)},
		"`url`":                  {fmt.Sprintf("%d bytes", v1alpha1.MaxURLLength)},
		"`client.callbackURLs`":  {fmt.Sprintf("%d URLs", v1alpha1.MaxCallbackURLs)},
		"`client.allowedGroups`": {fmt.Sprintf("%d groups", v1alpha1.MaxAllowedGroups)},
		"`env`":                  {fmt.Sprintf("%d entries", v1alpha1.MaxEnvVars), fmt.Sprintf("a name %d bytes", v1alpha1.MaxTextLength), "a value " + kib(v1alpha1.MaxEnvValueLength), "together " + kib(v1alpha1.MaxEnvSize)},
		"`login.buttonText`":     {fmt.Sprintf("%d bytes", v1alpha1.MaxTextLength)},
		"| `gateway.scopes` |":   {fmt.Sprintf("%d scopes", v1alpha1.MaxScopes)},
		"`image`":                {fmt.Sprintf("%d bytes", v1alpha1.MaxImageLength)},
		"`secretStoreRef.name`":  {fmt.Sprintf("%d bytes", validation.DNS1123SubdomainMaxLength)},
	} {
		row := ""
		for _, line := range strings.Split(section, "\n") {
			if strings.HasPrefix(line, "| ") && strings.Contains(line, field) {
				row = line
				break
			}
		}
		if row == "" {
			t.Errorf("no size-limits row names %s", field)
			continue
		}
		cells := strings.Split(strings.Trim(row, "| "), " | ")
		for _, w := range want {
			if !strings.Contains(cells[len(cells)-1], w) {
				t.Errorf("size-limits row %q: limit cell lacks %q", row, w)
			}
		}
	}
}
