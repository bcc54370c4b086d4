package gateway_test

import (
	"fmt"

	"github.com/endsys/pocketid-oidc/pkg/api/v1alpha1"
	"github.com/endsys/pocketid-oidc/pkg/render/gateway"
)

func ExampleSecurityPolicy() {
	p := gateway.SecurityPolicy(gateway.Policy{
		Integration: "whoami",
		Namespace:   "apps",
		Issuer:      "https://id.example.com",
		ClientID:    "whoami",
		SecretName:  "whoami-oidc",
		AppURL:      "https://whoami.example.com",
		Gateway: v1alpha1.GatewaySpec{
			HTTPRouteName: "whoami",
			CallbackPath:  "/oauth2/callback",
			LogoutPath:    "/logout",
			Scopes:        v1alpha1.DefaultGatewayScopes(),
		},
	})
	fmt.Print(p.MustString())
	// Output:
	// apiVersion: gateway.envoyproxy.io/v1alpha1
	// kind: SecurityPolicy
	// metadata:
	//   labels:
	//     app.kubernetes.io/managed-by: pocketid-oidc
	//     oidc.endsys.cloud/integration: whoami
	//   name: whoami-oidc
	//   namespace: apps
	// spec:
	//   oidc:
	//     clientID: whoami
	//     clientSecret:
	//       name: whoami-oidc
	//     forwardAccessToken: false
	//     logoutPath: /logout
	//     provider:
	//       issuer: https://id.example.com
	//     redirectURL: https://whoami.example.com/oauth2/callback
	//     scopes:
	//     - openid
	//     - email
	//     - profile
	//   targetRefs:
	//   - group: gateway.networking.k8s.io
	//     kind: HTTPRoute
	//     name: whoami
}

func ExampleRegister() {
	in := &v1alpha1.OIDCIntegration{}
	in.Name = "whoami"
	in.Spec.URL = "https://whoami.example.com"
	in.Spec.Gateway = &v1alpha1.GatewaySpec{}
	v1alpha1.SetIntegrationDefaults(in)
	doc := &v1alpha1.OIDCClient{Spec: v1alpha1.OIDCClientSpec{ID: "whoami", State: v1alpha1.StatePresent}}
	gateway.Register(doc, in)
	fmt.Println(doc.Spec.CallbackURLs, doc.Spec.LogoutCallbackURLs, doc.Spec.PKCE)
	// Output:
	// [https://whoami.example.com/oauth2/callback] [https://whoami.example.com/] true
}
