package provisioning

import (
	batchv1 "k8s.io/api/batch/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// cronJob is the integration's reconcile CronJob (CronJobName): the Job's pod, same
// ConfigMap, Secrets and limits, on c.Schedule (see Schedule). It repairs drift, registers a
// secret rotated in the store, finishes rotations and retries a failed Job, for this one
// client only. concurrencyPolicy Forbid: a run still retrying skips the next tick.
func cronJob(c Client, spec batchv1.JobSpec) *batchv1.CronJob {
	labels := Labels(c.Integration)
	return &batchv1.CronJob{
		TypeMeta:   metav1.TypeMeta{APIVersion: "batch/v1", Kind: "CronJob"},
		ObjectMeta: metav1.ObjectMeta{Name: CronJobName(c.Integration), Namespace: c.Namespace, Labels: labels},
		Spec: batchv1.CronJobSpec{
			Schedule:                   c.Schedule,
			ConcurrencyPolicy:          batchv1.ForbidConcurrent,
			SuccessfulJobsHistoryLimit: ptr(int32(1)),
			FailedJobsHistoryLimit:     ptr(int32(1)),
			JobTemplate: batchv1.JobTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{Labels: labels},
				Spec:       spec,
			},
		},
	}
}
