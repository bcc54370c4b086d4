package provisioning

import (
	"testing"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	psapi "k8s.io/pod-security-admission/api"
	"k8s.io/pod-security-admission/policy"
	"sigs.k8s.io/kustomize/kyaml/yaml"
	sigsyaml "sigs.k8s.io/yaml"

	"github.com/endsys/pocketid-oidc/pkg/api/v1alpha1"
)

// decode reads a rendered object into a typed one, strictly: a field the type does not know
// would be dropped by the API server.
func decode(t *testing.T, rn *yaml.RNode, into any) {
	t.Helper()
	if err := sigsyaml.UnmarshalStrict([]byte(rn.MustString()), into); err != nil {
		t.Fatal(err)
	}
}

// restricted reports why the pod template breaks Pod Security "restricted" at the latest
// version, as the admission plugin itself judges it (k8s.io/pod-security-admission).
func restricted(t *testing.T, pod corev1.PodTemplateSpec) []string {
	t.Helper()
	e, err := policy.NewEvaluator(policy.DefaultChecks(), nil)
	if err != nil {
		t.Fatal(err)
	}
	res := policy.AggregateCheckResults(e.EvaluatePod(psapi.LevelVersion{Level: psapi.LevelRestricted, Version: psapi.LatestVersion()}, &pod.ObjectMeta, &pod.Spec))
	if res.Allowed {
		return nil
	}
	return res.ForbiddenReasons
}

// noAPIAccess reports how the pod could reach the Kubernetes API: a mounted service-account
// token (automounted, or projected by hand) or a named service account.
func noAPIAccess(t *testing.T, what string, spec corev1.PodSpec) {
	t.Helper()
	if spec.AutomountServiceAccountToken == nil || *spec.AutomountServiceAccountToken {
		t.Errorf("%s: automountServiceAccountToken %v, want false", what, spec.AutomountServiceAccountToken)
	}
	if spec.ServiceAccountName != "" {
		t.Errorf("%s: serviceAccountName %q, want the namespace default (no token mounted)", what, spec.ServiceAccountName)
	}
	for _, v := range spec.Volumes {
		if p := v.Projected; p != nil {
			for _, s := range p.Sources {
				if s.ServiceAccountToken != nil {
					t.Errorf("%s: volume %s projects a service-account token", what, v.Name)
				}
			}
		}
	}
}

// TestPodIsRestrictedAndHasNoAPIAccess: the Job and the CronJob, with every optional volume
// (client secret, CA bundle), pass Pod Security "restricted" and mount no token.
func TestPodIsRestrictedAndHasNoAPIAccess(t *testing.T) {
	c := client()
	c.Provider.CAConfigMapRef = &v1alpha1.KeyRef{Name: "ca", Key: "ca.crt"}
	_, rn := rendered(t, c)
	var job batchv1.Job
	decode(t, rn, &job)
	c.Schedule = "0 * * * *"
	var cj batchv1.CronJob
	decode(t, cronJobOf(t, c), &cj)

	for what, pod := range map[string]corev1.PodTemplateSpec{"Job": job.Spec.Template, "CronJob": cj.Spec.JobTemplate.Spec.Template} {
		if why := restricted(t, pod); why != nil {
			t.Errorf("%s breaks Pod Security restricted: %v", what, why)
		}
		noAPIAccess(t, what, pod.Spec)
	}

	// The control: the same evaluator refuses the pod once one setting is loosened.
	loose := job.Spec.Template.DeepCopy()
	loose.Spec.Containers[0].SecurityContext.AllowPrivilegeEscalation = nil
	if restricted(t, *loose) == nil {
		t.Error("control: a container that may escalate privileges passed the restricted check")
	}
}
