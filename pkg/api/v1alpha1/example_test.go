package v1alpha1_test

import (
	"fmt"

	"github.com/endsys/pocketid-oidc/pkg/api/v1alpha1"
)

// The function's path for one integration: strict decoding, provider merge, defaults,
// validation with full field paths.
func Example() {
	var in v1alpha1.OIDCIntegration
	errs := v1alpha1.Decode([]byte(`{
		"apiVersion": "oidc.endsys.cloud/v1alpha1", "kind": "OIDCIntegration",
		"metadata": {"name": "immich", "namespace": "media"},
		"spec": {
			"url": "https://immich.${SECRET_DOMAIN}",
			"provider": {"issuer": "https://auth.${SECRET_DOMAIN}"},
			"client": {"callbackURLs": ["https://immich.${SECRET_DOMAIN}/auth/login", "immich.${SECRET_DOMAIN}/api/oauth/mobile-redirect"]}
		}
	}`), &in)
	fmt.Println("decode errors:", len(errs))

	shared := &v1alpha1.ProviderSpec{
		Issuer:         "https://auth.example.com",
		SecretStoreRef: &v1alpha1.SecretStoreRef{Name: "bitwarden"},
		APIKey:         &v1alpha1.APIKeySource{RemoteKey: "pocket-id-api-key"},
	}
	p := v1alpha1.MergeProvider(shared, in.Spec.Provider)
	v1alpha1.SetProviderDefaults(&p, "ghcr.io/endsys/pocketid-oidc:v0.1.0")
	fmt.Println("issuer:", p.Issuer, "missing:", v1alpha1.MissingProviderSettings(&p))

	v1alpha1.SetIntegrationDefaults(&in)
	for _, e := range v1alpha1.ValidateIntegration(&in) {
		fmt.Println(e)
	}
	// Output:
	// decode errors: 0
	// issuer: https://auth.${SECRET_DOMAIN} missing: []
	// spec.client.callbackURLs[1]: Invalid value: "immich.${SECRET_DOMAIN}/api/oauth/mobile-redirect": must start with a scheme such as https:// (Pocket ID refuses URLs without one)
}
