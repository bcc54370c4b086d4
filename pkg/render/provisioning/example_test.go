package provisioning_test

import (
	"fmt"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/endsys/pocketid-oidc/pkg/api/v1alpha1"
	"github.com/endsys/pocketid-oidc/pkg/preset"
	"github.com/endsys/pocketid-oidc/pkg/render/provisioning"
)

func ExampleRender() {
	in := &v1alpha1.OIDCIntegration{
		ObjectMeta: metav1.ObjectMeta{Name: "mealie", Namespace: "home"},
		Spec:       v1alpha1.IntegrationSpec{URL: "https://mealie.example.com"},
	}
	v1alpha1.SetIntegrationDefaults(in)
	doc := provisioning.NewDocument(provisioning.DocumentInput{
		Integration: in,
		Resolved:    &preset.Resolved{DisplayName: "Mealie", CallbackURLs: []string{"https://mealie.example.com/login"}},
	})
	objs, err := provisioning.Render(provisioning.Client{
		Integration:  in.Name,
		Namespace:    in.Namespace,
		Document:     doc,
		SecretName:   in.Spec.Secret.Name,
		Provider:     v1alpha1.ProviderSpec{APIURL: "http://pocket-id.pocket-id.svc:1411", Image: "ghcr.io/endsys/pocketid-oidc:v0.1.0"},
		APIKeySecret: v1alpha1.KeyRef{Name: "mealie-oidc-api-key", Key: "api-key"},
	})
	if err != nil {
		panic(err)
	}
	for _, o := range objs {
		fmt.Println(o.GetKind(), o.GetNamespace(), o.GetName())
	}
	data := objs[0].GetDataMap()["mealie.yaml"]
	fmt.Print(data)
	// Output:
	// ConfigMap home mealie-oidc-e4c5206609
	// Job home mealie-oidc-e4c5206609
	// apiVersion: oidc.endsys.cloud/v1alpha1
	// kind: OIDCClient
	// metadata:
	//   name: mealie
	// spec:
	//   callbackURLs:
	//   - https://mealie.example.com/login
	//   id: mealie
	//   launchURL: https://mealie.example.com
	//   name: Mealie
	//   secret:
	//     file: /etc/pocketid-oidc/secrets/mealie-oidc/client-secret
	//     rotationOverlap: 24h0m0s
	//   state: present
}
