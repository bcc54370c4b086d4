package v1alpha1

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	sigsyaml "sigs.k8s.io/yaml"
)

func provider(t *testing.T, doc string) *ProviderSpec {
	t.Helper()
	if doc == "" {
		return nil
	}
	var p ProviderSpec
	if errs := Decode(toJSON(t, doc), &p); len(errs) > 0 {
		t.Fatal(errs)
	}
	return &p
}

func TestMergeProviderAndDefaults(t *testing.T) {
	tests := []struct {
		name, base, override, want string
	}{
		{
			name: "base alone, defaulted",
			base: `{issuer: "https://auth.example.com/", secretStoreRef: {name: bw}, apiKey: {secretRef: {name: admin}}, caConfigMapRef: {name: ca}}`,
			want: `apiKey:
  secretRef:
    key: api-key
    name: admin
apiURL: https://auth.example.com
caConfigMapRef:
  key: ca.crt
  name: ca
image: ghcr.io/endsys/pocketid-oidc:v0.1.0
issuer: https://auth.example.com
reconcileSchedule: H * * * *
restartOnSecretChange: true
secretStoreRef:
  kind: ClusterSecretStore
  name: bw
`,
		},
		{
			name:     "override wins field by field, structs as a whole",
			base:     `{issuer: https://auth.example.com, apiURL: http://pocket-id:1411, secretStoreRef: {name: bw}, apiKey: {remoteKey: key}, namespace: pocket-id}`,
			override: `{apiKey: {secretRef: {name: admin, key: token}}, image: my/image:1, reconcileSchedule: "@daily", jobTTLSecondsAfterFinished: 60, restartOnSecretChange: false}`,
			want: `apiKey:
  secretRef:
    key: token
    name: admin
apiURL: http://pocket-id:1411
image: my/image:1
issuer: https://auth.example.com
jobTTLSecondsAfterFinished: 60
namespace: pocket-id
reconcileSchedule: '@daily'
restartOnSecretChange: false
secretStoreRef:
  kind: ClusterSecretStore
  name: bw
`,
		},
		{
			name:     "inline provider alone",
			override: `{issuer: "https://auth.${SECRET_DOMAIN}", secretStoreRef: {kind: SecretStore, name: bw}, apiKey: {remoteKey: key}}`,
			want: `apiKey:
  remoteKey: key
apiURL: https://auth.${SECRET_DOMAIN}
image: ghcr.io/endsys/pocketid-oidc:v0.1.0
issuer: https://auth.${SECRET_DOMAIN}
reconcileSchedule: H * * * *
restartOnSecretChange: true
secretStoreRef:
  kind: SecretStore
  name: bw
`,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			base := provider(t, tc.base)
			var before []byte
			if base != nil {
				before, _ = sigsyaml.Marshal(base)
			}
			got := MergeProvider(base, provider(t, tc.override))
			SetProviderDefaults(&got, "ghcr.io/endsys/pocketid-oidc:v0.1.0")
			b, err := sigsyaml.Marshal(got)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, string(b)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
			if base != nil {
				after, _ := sigsyaml.Marshal(base)
				if string(after) != string(before) {
					t.Errorf("merging and defaulting changed the shared base:\n%s", after)
				}
			}
		})
	}
}

func TestSetIntegrationDefaults(t *testing.T) {
	in := mustIntegration(t, `
metadata: {name: immich, namespace: media}
spec:
  url: https://immich.example.com/
  client: {id: photos, public: true}
`)
	got, _ := sigsyaml.Marshal(in.Spec)
	want := `client:
  id: photos
  launchURL: https://immich.example.com
  pkce: true
  public: true
  state: present
helmRelease:
  name: immich
  strategy: auto
login:
  buttonText: Pocket ID
  providerKey: pocketid
secret:
  name: immich-oidc
  remoteKey: photos-oauth-client-secret
  rotationOverlap: 24h0m0s
url: https://immich.example.com
`
	if diff := cmp.Diff(want, string(got)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if n := in.GeneratedSecretName(); n != "immich-oidc-generated" {
		t.Errorf("GeneratedSecretName = %q", n)
	}
}
