package secrets_test

import (
	"fmt"

	"github.com/endsys/pocketid-oidc/pkg/api/v1alpha1"
	"github.com/endsys/pocketid-oidc/pkg/render/secrets"
)

func ExampleExternalSecret() {
	es := secrets.ExternalSecret(secrets.Client{
		Integration: "mealie",
		Namespace:   "home",
		StoreRef:    v1alpha1.SecretStoreRef{Name: "bitwarden"},
		SecretName:  "mealie-oidc",
		RemoteKey:   "mealie-oauth-client-secret",
		ClientID:    "mealie",
	})
	fmt.Print(es.MustString())
	// Output:
	// apiVersion: external-secrets.io/v1
	// kind: ExternalSecret
	// metadata:
	//   labels:
	//     app.kubernetes.io/managed-by: pocketid-oidc
	//     oidc.endsys.cloud/integration: mealie
	//   name: mealie-oidc
	//   namespace: home
	// spec:
	//   data:
	//   - remoteRef:
	//       key: mealie-oauth-client-secret
	//     secretKey: clientSecret
	//   refreshInterval: 1h
	//   secretStoreRef:
	//     kind: ClusterSecretStore
	//     name: bitwarden
	//   target:
	//     creationPolicy: Owner
	//     name: mealie-oidc
	//     template:
	//       data:
	//         client-id: mealie
	//         client-secret: '{{ .clientSecret }}'
	//       engineVersion: v2
}

func ExampleSeed() {
	for _, o := range secrets.Seed(secrets.Client{
		Integration: "mealie", Namespace: "home",
		StoreRef:   v1alpha1.SecretStoreRef{Name: "bitwarden"},
		SecretName: "mealie-oidc", RemoteKey: "mealie-oauth-client-secret", ClientID: "mealie",
	}) {
		fmt.Println(o.GetApiVersion(), o.GetKind(), o.GetName())
	}
	// Output:
	// generators.external-secrets.io/v1alpha1 Password mealie-oidc-seed
	// external-secrets.io/v1 ExternalSecret mealie-oidc-seed
	// external-secrets.io/v1alpha1 PushSecret mealie-oidc-seed
}
