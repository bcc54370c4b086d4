package v1alpha1

import (
	"fmt"
	"strconv"
	"strings"

	"k8s.io/apimachinery/pkg/util/validation/field"
)

// Values of ProviderSpec.ReconcileSchedule besides a cron schedule.
const (
	// ReconcileNever renders no reconcile CronJob.
	ReconcileNever = "never"
	// ReconcileHash in the minute field is a minute from 0 to 59 taken from a hash of the
	// integration's namespace and name, so that the CronJobs of many apps do not start together.
	ReconcileHash = "H"
	// DefaultReconcileSchedule: every hour, at the integration's own minute.
	DefaultReconcileSchedule = ReconcileHash + " * * * *"
)

// cronDescriptors are the @ schedules the Kubernetes CronJob controller understands, @every
// left out: its period would not be spread by the hash.
var cronDescriptors = []string{"@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly"}

// cronFields: name, bounds and the names accepted in place of numbers, as the Kubernetes API
// server's parser (robfig/cron v3 ParseStandard) accepts them: day of week 0-6, no 7.
var cronFields = []struct {
	name     string
	min, max int
	names    []string // index + min is the value
}{
	{name: "minute", max: 59},
	{name: "hour", max: 23},
	{name: "day of month", min: 1, max: 31},
	{name: "month", min: 1, max: 12, names: []string{"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"}},
	{name: "day of week", max: 6, names: []string{"sun", "mon", "tue", "wed", "thu", "fri", "sat"}},
}

// ValidateReconcileSchedule checks a reconcileSchedule: "" (the default), "never", an @
// descriptor, or five cron fields where the minute may be H. A schedule holding a ${VAR}
// placeholder is checked after Flux substitutes it, by the API server.
func ValidateReconcileSchedule(s string, fld *field.Path) field.ErrorList {
	if s == "" || s == ReconcileNever || HasPlaceholder(s) {
		return nil
	}
	if strings.HasPrefix(s, "@") {
		for _, d := range cronDescriptors {
			if s == d {
				return nil
			}
		}
		return field.ErrorList{field.NotSupported(fld, s, append(cronDescriptors, ReconcileNever))}
	}
	parts := strings.Fields(s)
	if len(parts) != len(cronFields) {
		return field.ErrorList{field.Invalid(fld, s, fmt.Sprintf("must be %q, %q (to render no reconcile CronJob) or a cron schedule of five fields (minute hour day-of-month month day-of-week; the minute may be %s, a minute taken from a hash of the integration), like %q", DefaultReconcileSchedule, ReconcileNever, ReconcileHash, "H */6 * * *"))}
	}
	for i, p := range parts {
		if i == 0 && p == ReconcileHash {
			continue
		}
		if err := checkCronField(p, i); err != "" {
			return field.ErrorList{field.Invalid(fld, s, fmt.Sprintf("%s field %q: %s", cronFields[i].name, p, err))}
		}
	}
	return nil
}

// checkCronField checks one field: a comma-separated list of *, ? (days only), a value or a
// range a-b, each with an optional /step.
func checkCronField(s string, i int) string {
	for _, item := range strings.Split(s, ",") {
		rng, step, hasStep := strings.Cut(item, "/")
		if hasStep {
			n, err := strconv.Atoi(step)
			if err != nil || n <= 0 {
				return fmt.Sprintf("step %q must be a positive number", step)
			}
		}
		switch {
		case rng == "*" || (rng == "?" && (i == 2 || i == 4)):
			continue
		case rng == "":
			return "empty value"
		}
		lo, hi, isRange := strings.Cut(rng, "-")
		a, err := cronValue(lo, i)
		if err != "" {
			return err
		}
		if !isRange {
			continue
		}
		b, err := cronValue(hi, i)
		if err != "" {
			return err
		}
		if a > b {
			return fmt.Sprintf("range %q runs backwards", rng)
		}
	}
	return ""
}

func cronValue(s string, i int) (int, string) {
	f := cronFields[i]
	for j, n := range f.names {
		if strings.EqualFold(s, n) {
			return j + f.min, ""
		}
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < f.min || n > f.max {
		return 0, fmt.Sprintf("%q is not a value from %d to %d", s, f.min, f.max)
	}
	return n, ""
}
