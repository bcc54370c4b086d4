package provisioning

import (
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	batchv1 "k8s.io/api/batch/v1"
	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/endsys/pocketid-oidc/pkg/api/v1alpha1"
)

// TestCronJob: the integration's own CronJob runs exactly the Job's pod (its ConfigMap, its
// Secret) and names the integration.
func TestCronJob(t *testing.T) {
	c := testClient(t)
	_, jn := render(t, c)
	var job batchv1.Job
	decode(t, jn, &job)
	c.Schedule = "17 */6 * * *"
	var cj batchv1.CronJob
	decode(t, cronJobOf(t, c), &cj)

	if cj.Name != "immich-oidc-reconcile" || cj.Namespace != "media" {
		t.Errorf("CronJob %s/%s, want media/immich-oidc-reconcile", cj.Namespace, cj.Name)
	}
	if cj.Spec.Schedule != "17 */6 * * *" || cj.Spec.ConcurrencyPolicy != batchv1.ForbidConcurrent {
		t.Errorf("schedule %q, concurrency %q", cj.Spec.Schedule, cj.Spec.ConcurrencyPolicy)
	}
	for _, labels := range []map[string]string{cj.Labels, cj.Spec.JobTemplate.Labels, cj.Spec.JobTemplate.Spec.Template.Labels} {
		if labels[v1alpha1.LabelIntegration] != "immich" || labels[v1alpha1.LabelManagedBy] != v1alpha1.ManagedByValue {
			t.Errorf("labels %v must name the integration", labels)
		}
	}
	if !reflect.DeepEqual(cj.Spec.JobTemplate.Spec, job.Spec) {
		t.Errorf("the CronJob's Job differs from the integration's Job:\n%+v\n%+v", cj.Spec.JobTemplate.Spec, job.Spec)
	}
}

// TestSchedule: H becomes the integration's minute, the same in every render; never renders
// no CronJob; an explicit schedule is kept.
func TestSchedule(t *testing.T) {
	m := Minute("media", "immich")
	if m < 0 || m > 59 {
		t.Fatalf("minute %d", m)
	}
	for spec, want := range map[string]string{
		v1alpha1.DefaultReconcileSchedule: itoa(m) + " * * * *",
		"H */6 * * *":                     itoa(m) + " */6 * * *",
		"5 4 * * *":                       "5 4 * * *",
		"@daily":                          "@daily",
		v1alpha1.ReconcileNever:           "",
	} {
		if got := Schedule(spec, "media", "immich"); got != want {
			t.Errorf("Schedule(%q) = %q, want %q", spec, got, want)
		}
	}
	// Spread: 40 apps of one namespace use many different minutes.
	minutes := map[int]bool{}
	for i := range 40 {
		minutes[Minute("media", "app-"+itoa(i))] = true
	}
	if len(minutes) < 20 {
		t.Errorf("40 apps share %d minutes: not spread", len(minutes))
	}
	if Minute("media", "immich") == Minute("media", "immich2") && Minute("home", "immich") == m {
		t.Error("the minute depends neither on the name nor on the namespace")
	}
}

func itoa(i int) string { return strconv.Itoa(i) }

// TestNames: the fixed-suffix names fit their limits and stay distinct when cut.
func TestNames(t *testing.T) {
	if got := CronJobName("immich"); got != "immich-oidc-reconcile" {
		t.Errorf("CronJobName = %q", got)
	}
	if got := APIKeySecretName("immich"); got != "immich-oidc-api-key" {
		t.Errorf("APIKeySecretName = %q", got)
	}
	a, b := strings.Repeat("a", 60)+"-one", strings.Repeat("a", 60)+"-two"
	if x, y := CronJobName(a), CronJobName(b); x == y || len(x) > 52 || len(y) > 52 || !strings.HasSuffix(x, "-oidc-reconcile") {
		t.Errorf("long CronJob names %q, %q: want distinct, at most 52 characters", x, y)
	}
	long := strings.Repeat("b", 250)
	if n := APIKeySecretName(long); len(n) > 253 || !strings.HasSuffix(n, "-oidc-api-key") {
		t.Errorf("long API key name %q (%d)", n, len(n))
	}
}

// TestRetryWindow: the Job's limits let an hour-long Pocket ID outage converge within the
// Job. Runs last provisionTimeout each, the Job controller waits 10 s doubling to 6 min
// between them; the last run allowed must start after the outage and end within the deadline.
func TestRetryWindow(t *testing.T) {
	run, err := time.ParseDuration(provisionTimeout)
	if err != nil {
		t.Fatal(err)
	}
	var start time.Duration
	delay := 10 * time.Second
	for range backoffLimit { // runs 1..backoffLimit fail; run backoffLimit+1 is the last
		start += run + delay
		delay = min(2*delay, 6*time.Minute)
	}
	end := start + run
	deadline := time.Duration(activeDeadlineSeconds) * time.Second
	if start < time.Hour {
		t.Errorf("the last run starts at %v: an hour-long outage fails the Job", start)
	}
	if end >= deadline {
		t.Errorf("the last run may end at %v, after activeDeadlineSeconds %v", end, deadline)
	}
	if run >= deadline {
		t.Errorf("--timeout %v is not below activeDeadlineSeconds", run)
	}
}

// cronJobOf renders c, which has a Schedule, and returns its CronJob, after checking that the
// ConfigMap and Job are the ones rendered without the schedule.
func cronJobOf(t *testing.T, c Client) *yaml.RNode {
	t.Helper()
	objs, err := Render(c)
	if err != nil {
		t.Fatal(err)
	}
	if len(objs) != 3 || objs[2].GetKind() != "CronJob" {
		t.Fatalf("with a schedule: want ConfigMap, Job and CronJob, got %d objects", len(objs))
	}
	c.Schedule = ""
	cm, job := render(t, c)
	if objs[0].MustString() != cm.MustString() || objs[1].MustString() != job.MustString() {
		t.Error("the schedule changed the ConfigMap or the Job")
	}
	return objs[2]
}
