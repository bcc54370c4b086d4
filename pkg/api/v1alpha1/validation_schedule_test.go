package v1alpha1

import (
	"strings"
	"testing"

	"k8s.io/apimachinery/pkg/util/validation/field"
)

// TestValidateReconcileSchedule: what the Kubernetes API server's cron parser accepts (and H
// in the minute, never, placeholders) passes; everything else is an error naming the field.
func TestValidateReconcileSchedule(t *testing.T) {
	fld := field.NewPath("spec", "reconcileSchedule")
	for _, ok := range []string{
		"", "never", "H * * * *", "H */6 * * *", "17 */6 * * *", "0 3 * * 0", "0 3 * * sun",
		"0,30 8-18/2 1-15 jan-jun mon-fri", "@hourly", "@daily", "@weekly", "@monthly", "@yearly",
		"${RECONCILE}", "0 0 ? * *", "59 23 31 12 6",
	} {
		if errs := ValidateReconcileSchedule(ok, fld); len(errs) > 0 {
			t.Errorf("%q: %v", ok, errs)
		}
	}
	for bad, want := range map[string]string{
		"off":            "five fields",
		"* * * *":        "five fields",
		"* * * * * *":    "five fields",
		"60 * * * *":     `minute field "60"`,
		"0 24 * * *":     `hour field "24"`,
		"0 0 0 * *":      `day of month field "0"`,
		"0 0 * 13 *":     `month field "13"`,
		"0 0 * * 7":      `day of week field "7"`,
		"H H * * *":      `hour field "H"`,
		"*/0 * * * *":    `step "0"`,
		"5-1 * * * *":    "backwards",
		"? * * * *":      `minute field "?"`,
		"@every 1h":      "Unsupported value",
		"@reboot":        "Unsupported value",
		"TZ=UTC 0 * * *": `minute field "TZ=UTC"`,
		"1,,2 * * * *":   "empty value",
	} {
		errs := ValidateReconcileSchedule(bad, fld)
		if len(errs) != 1 {
			t.Errorf("%q: %d errors, want 1", bad, len(errs))
			continue
		}
		if s := errs[0].Error(); !strings.HasPrefix(s, "spec.reconcileSchedule: ") || !strings.Contains(s, want) {
			t.Errorf("%q: %q, want the field and %q", bad, s, want)
		}
	}
}
