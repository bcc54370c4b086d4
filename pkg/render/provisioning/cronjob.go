package provisioning

import (
	batchv1 "k8s.io/api/batch/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// CronJob renders the integration's reconcile CronJob (CronJobName): the Job's pod, same
// ConfigMap, Secrets and limits, on schedule (see Schedule). It repairs drift, registers a
// secret rotated in the store, finishes rotations and retries a failed Job, for this one
// client only. concurrencyPolicy Forbid: a run still retrying skips the next tick.
func CronJob(c Client, schedule string) (*yaml.RNode, error) {
	_, job, err := objects(c)
	if err != nil {
		return nil, err
	}
	labels := Labels(c.Integration)
	cj := &batchv1.CronJob{
		TypeMeta:   metav1.TypeMeta{APIVersion: "batch/v1", Kind: "CronJob"},
		ObjectMeta: metav1.ObjectMeta{Name: CronJobName(c.Integration), Namespace: c.Namespace, Labels: labels},
		Spec: batchv1.CronJobSpec{
			Schedule:                   schedule,
			ConcurrencyPolicy:          batchv1.ForbidConcurrent,
			SuccessfulJobsHistoryLimit: ptr(int32(1)),
			FailedJobsHistoryLimit:     ptr(int32(1)),
			JobTemplate: batchv1.JobTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{Labels: labels},
				Spec:       job.Spec,
			},
		},
	}
	out, err := toRNodes(cj)
	if err != nil {
		return nil, err
	}
	return out[0], nil
}
