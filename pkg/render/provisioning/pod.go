package provisioning

import (
	"path"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"

	"github.com/endsys/pocketid-oidc/pkg/api/v1alpha1"
)

// The pod runs as the distroless "nonroot" user.
const uid = 65532

// Job limits: provisioning is a handful of HTTP calls, retried a few times, and must not hang
// a Flux Kustomization waiting on it forever.
const (
	backoffLimit          = 4
	activeDeadlineSeconds = 600
)

// appendCommon adds the API key, the optional CA bundle and a writable /tmp (the root file
// system is read-only).
func appendCommon(volumes []corev1.Volume, mounts []corev1.VolumeMount, p v1alpha1.ProviderSpec, apiKey v1alpha1.KeyRef) ([]corev1.Volume, []corev1.VolumeMount) {
	volumes = append(volumes, secretVolume("api-key", apiKey.Name, apiKey.Key, v1alpha1.DefaultAPIKeySecretKey))
	mounts = append(mounts, corev1.VolumeMount{Name: "api-key", MountPath: APIKeyDir, ReadOnly: true})
	if ca := p.CAConfigMapRef; ca != nil {
		volumes = append(volumes, corev1.Volume{
			Name: "ca",
			VolumeSource: corev1.VolumeSource{ConfigMap: &corev1.ConfigMapVolumeSource{
				LocalObjectReference: corev1.LocalObjectReference{Name: ca.Name},
				Items:                []corev1.KeyToPath{{Key: ca.Key, Path: path.Base(CAFile)}},
				DefaultMode:          ptr(int32(0o444)),
			}},
		})
		mounts = append(mounts, corev1.VolumeMount{Name: "ca", MountPath: CADir, ReadOnly: true})
	}
	volumes = append(volumes, corev1.Volume{
		Name: "tmp",
		VolumeSource: corev1.VolumeSource{EmptyDir: &corev1.EmptyDirVolumeSource{
			SizeLimit: ptr(resource.MustParse("16Mi")),
		}},
	})
	mounts = append(mounts, corev1.VolumeMount{Name: "tmp", MountPath: "/tmp"})
	return volumes, mounts
}

// podSpec passes Pod Security "restricted" and mounts no service account token: the
// provisioner talks to Pocket ID only, never to the Kubernetes API.
func podSpec(p v1alpha1.ProviderSpec, volumes []corev1.Volume, mounts []corev1.VolumeMount) corev1.PodSpec {
	args := []string{"provision", "--client-file", ClientsDir}
	if p.CAConfigMapRef != nil {
		args = append(args, "--ca-file", CAFile)
	}
	return corev1.PodSpec{
		RestartPolicy:                corev1.RestartPolicyNever,
		AutomountServiceAccountToken: ptr(false),
		EnableServiceLinks:           ptr(false),
		SecurityContext: &corev1.PodSecurityContext{
			RunAsNonRoot:   ptr(true),
			RunAsUser:      ptr(int64(uid)),
			RunAsGroup:     ptr(int64(uid)),
			FSGroup:        ptr(int64(uid)),
			SeccompProfile: &corev1.SeccompProfile{Type: corev1.SeccompProfileTypeRuntimeDefault},
		},
		Containers: []corev1.Container{{
			Name:            "provision",
			Image:           p.Image,
			ImagePullPolicy: corev1.PullIfNotPresent,
			Args:            args,
			Env: []corev1.EnvVar{
				{Name: EnvURL, Value: p.APIURL},
				{Name: EnvAPIKeyFile, Value: APIKeyFile},
			},
			Resources: corev1.ResourceRequirements{
				Requests: corev1.ResourceList{
					corev1.ResourceCPU:    resource.MustParse("10m"),
					corev1.ResourceMemory: resource.MustParse("32Mi"),
				},
				Limits: corev1.ResourceList{
					corev1.ResourceCPU:    resource.MustParse("200m"),
					corev1.ResourceMemory: resource.MustParse("64Mi"),
				},
			},
			SecurityContext: &corev1.SecurityContext{
				AllowPrivilegeEscalation: ptr(false),
				ReadOnlyRootFilesystem:   ptr(true),
				RunAsNonRoot:             ptr(true),
				Capabilities:             &corev1.Capabilities{Drop: []corev1.Capability{"ALL"}},
			},
			VolumeMounts: mounts,
		}},
		Volumes: volumes,
	}
}

// secretVolume mounts one key of a Secret as the file path, readable by the pod's user and
// group only.
func secretVolume(name, secret, key, path string) corev1.Volume {
	return corev1.Volume{Name: name, VolumeSource: corev1.VolumeSource{Secret: &corev1.SecretVolumeSource{
		SecretName:  secret,
		Items:       []corev1.KeyToPath{{Key: key, Path: path}},
		DefaultMode: ptr(int32(0o440)),
	}}}
}
