package function

import (
	"bytes"
	"strings"
	"testing"

	"github.com/kptdev/krm-functions-sdk/go/fn"
)

// whoamiIntegration is an app without OIDC of its own, logged in at the gateway (spec.gateway
// given as a flow mapping), in namespace apps, with extra spec lines (indented by 2).
func whoamiIntegration(name, gateway, extra string) string {
	return `
apiVersion: oidc.endsys.cloud/v1alpha1
kind: OIDCIntegration
metadata:
  name: ` + name + `
  namespace: apps
spec:
  url: https://` + name + `.example.com
  gateway: ` + gateway + `
` + extra
}

// TestGatewayErrors: a gateway login that cannot work is an error naming the object and the
// field, and the items come back as they came.
func TestGatewayErrors(t *testing.T) {
	tests := []struct {
		name, config string
		items        []string
		wantStderr   string
	}{
		{
			name:       "http issuer, which Envoy Gateway refuses",
			config:     strings.Replace(errProvider, "https://auth.example.com", "http://auth.example.com", 1),
			items:      []string{whoamiIntegration("whoami", "{}", "")},
			wantStderr: `error: OIDCIntegration apps/whoami: spec.gateway: Invalid value: the provider's issuer "http://auth.example.com" is refused by Envoy Gateway`,
		},
		{
			name:       "two logins on one HTTPRoute",
			config:     errProvider,
			items:      []string{whoamiIntegration("whoami", "{}", ""), whoamiIntegration("whoami2", "{httpRouteName: whoami}", "")},
			wantStderr: `error: OIDCIntegration apps/whoami2: spec.gateway.httpRouteName: Invalid value: "whoami": HTTPRoute apps/whoami is already protected by OIDCIntegration apps/whoami`,
		},
		{
			name:   "a SecurityPolicy of the input on the route",
			config: errProvider,
			items: []string{whoamiIntegration("whoami", "{}", ""), `
apiVersion: gateway.envoyproxy.io/v1alpha1
kind: SecurityPolicy
metadata: {name: ip-allowlist, namespace: apps}
spec:
  targetRefs: [{group: gateway.networking.k8s.io, kind: HTTPRoute, name: whoami}]
  authorization: {defaultAction: Deny}
`},
			wantStderr: `error: OIDCIntegration apps/whoami: spec.gateway.httpRouteName: Invalid value: "whoami": HTTPRoute apps/whoami is already protected by SecurityPolicy apps/ip-allowlist of the input`,
		},
		{
			name:       "public client",
			config:     errProvider,
			items:      []string{whoamiIntegration("whoami", "{}", "  client: {public: true}\n")},
			wantStderr: `error: OIDCIntegration apps/whoami: spec.client.public: Invalid value: true: the gateway login (spec.gateway) authenticates to Pocket ID with the client secret`,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			input := resourceList(t, tc.config, tc.items...)
			var stdout, stderr bytes.Buffer
			if code := runFunction(bytes.NewReader(input), &stdout, &stderr); code != 1 {
				t.Fatalf("exit code %d, want 1; stderr:\n%s", code, stderr.String())
			}
			if !strings.Contains(stderr.String(), tc.wantStderr) {
				t.Errorf("stderr = %q, want it to contain %q", stderr.String(), tc.wantStderr)
			}
			out, err := fn.ParseResourceList(stdout.Bytes())
			if err != nil {
				t.Fatal(err)
			}
			in, err := fn.ParseResourceList(input)
			if err != nil {
				t.Fatal(err)
			}
			if got, want := itemsOf(out), itemsOf(in); got != want {
				t.Errorf("items changed on error:\n--- got\n%s\n--- want\n%s", got, want)
			}
		})
	}
}

// TestGatewayAbsent: deleting the client takes the SecurityPolicy away (it is pruned like
// every object of the integration), and a warning says that the route is now open.
func TestGatewayAbsent(t *testing.T) {
	stalePolicy := `
apiVersion: gateway.envoyproxy.io/v1alpha1
kind: SecurityPolicy
metadata:
  name: whoami-oidc
  namespace: apps
  labels: {app.kubernetes.io/managed-by: pocketid-oidc, oidc.endsys.cloud/integration: whoami}
spec:
  targetRefs: [{group: gateway.networking.k8s.io, kind: HTTPRoute, name: whoami}]
`
	input := resourceList(t, errProvider, whoamiIntegration("whoami", "{}", "  client: {state: absent}\n"), stalePolicy)
	var stdout, stderr bytes.Buffer
	if code := runFunction(bytes.NewReader(input), &stdout, &stderr); code != 0 {
		t.Fatalf("exit code %d; stderr:\n%s", code, stderr.String())
	}
	want := `warning: OIDCIntegration apps/whoami: spec.gateway.httpRouteName: Invalid value: "whoami": the client is absent, so no SecurityPolicy is rendered and HTTPRoute apps/whoami no longer asks for a Pocket ID login`
	if !strings.Contains(stderr.String(), want) {
		t.Errorf("stderr = %q, want it to contain %q", stderr.String(), want)
	}
	out, err := fn.ParseResourceList(stdout.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range out.Items {
		if o.GetKind() == "SecurityPolicy" {
			t.Errorf("SecurityPolicy %s/%s still in the output", o.GetNamespace(), o.GetName())
		}
	}
}
