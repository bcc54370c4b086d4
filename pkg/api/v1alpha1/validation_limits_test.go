package v1alpha1

import (
	"fmt"
	"strings"
	"testing"
)

// TestValidationLimits: each size limit at its boundary, named with its field and its limit; a
// value over its limit is reported alone (never quoted by another error of its field).
func TestValidationLimits(t *testing.T) {
	const head = "apiVersion: oidc.endsys.cloud/v1alpha1\nkind: OIDCIntegration\nmetadata: {name: immich, namespace: media}\n"
	url := func(n int) string {
		return "https://a.example.com/" + strings.Repeat("u", n-len("https://a.example.com/"))
	}
	list := func(n int) string {
		return "[" + strings.TrimSuffix(strings.Repeat("\"https://a.example.com/cb\", ", n), ", ") + "]"
	}
	tests := []struct {
		name string
		spec string
		want []string
	}{
		{name: "at every limit", spec: fmt.Sprintf(`spec:
  url: %s
  client: {callbackURLs: %s, allowedGroups: [%s], launchURL: %s}
  login: {buttonText: %s}
  env: {BIG: %s}
  provider: {issuer: %s, image: %s}
  gateway: {scopes: [%s]}`, url(MaxURLLength), list(MaxCallbackURLs), strings.TrimSuffix(strings.Repeat("g1, ", 1), ", "), url(MaxURLLength),
			strings.Repeat("b", MaxTextLength), strings.Repeat("v", MaxEnvValueLength), url(MaxURLLength), strings.Repeat("i", MaxImageLength),
			strings.TrimSuffix(strings.Repeat("email, ", 1), ", "))},
		{name: "url over the limit is reported alone", spec: "spec: {url: " + strings.Repeat("x", MaxURLLength+1) + "}",
			want: []string{"spec.url: Too long: may not be more than 2048 bytes"}},
		{name: "lists", spec: fmt.Sprintf("spec: {url: https://a.example.com, client: {logoutCallbackURLs: %s, additionalCallbackURLs: [%s], allowedGroups: [%s]}}",
			list(MaxCallbackURLs+1), url(MaxURLLength+1), strings.TrimSuffix(strings.Repeat("gg, ", MaxAllowedGroups+1), ", ")),
			want: []string{
				"spec.client.additionalCallbackURLs[0]: Too long: may not be more than 2048 bytes",
				"spec.client.logoutCallbackURLs: Too many: 33: must have at most 32 items",
				"spec.client.allowedGroups: Too many: 101: must have at most 100 items",
			}},
		{name: "text fields", spec: fmt.Sprintf("spec: {url: https://a.example.com, login: {buttonText: %s, providerKey: %s}, secret: {remoteKey: %s}}",
			strings.Repeat("b", MaxTextLength+1), strings.Repeat("p", MaxTextLength+1), strings.Repeat("r", MaxTextLength+1)),
			want: []string{
				"spec.login.buttonText: Too long: may not be more than 256 bytes",
				"spec.login.providerKey: Too long: may not be more than 256 bytes",
				"spec.secret.remoteKey: Too long: may not be more than 256 bytes",
			}},
		{name: "env", spec: fmt.Sprintf("spec: {url: https://a.example.com, env: {%s: x, V: %s}}", "N"+strings.Repeat("n", MaxTextLength), strings.Repeat("v", MaxEnvValueLength+1)),
			want: []string{
				"spec.env[N" + strings.Repeat("n", MaxTextLength) + "]: Too long: may not be more than 256 bytes",
				"spec.env[V]: Too long: may not be more than 32768 bytes",
			}},
		{name: "gateway and provider", spec: fmt.Sprintf("spec: {url: https://a.example.com, gateway: {callbackPath: /%s, scopes: [%s]}, provider: {apiURL: %s, reconcileSchedule: %q}}",
			strings.Repeat("c", MaxURLLength), strings.TrimSuffix(strings.Repeat("s, ", MaxScopes+1), ", "), url(MaxURLLength+1), strings.Repeat("* ", MaxTextLength)),
			want: []string{
				"spec.gateway.callbackPath: Too long: may not be more than 2048 bytes",
				"spec.gateway.scopes: Too many: 33: must have at most 32 items",
				"spec.provider.apiURL: Too long: may not be more than 2048 bytes",
				"spec.provider.reconcileSchedule: Too long: may not be more than 256 bytes",
			}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			errs := ValidateIntegration(mustIntegration(t, head+tc.spec))
			var got []string
			for _, e := range errs {
				got = append(got, e.Error())
			}
			// Other rules may add errors after the limits' (duplicate scopes, groups): the
			// limit errors come first, in this order.
			if len(got) < len(tc.want) {
				t.Fatalf("got %d errors, want at least %d:\n%s", len(got), len(tc.want), strings.Join(got, "\n"))
			}
			for i, w := range tc.want {
				if got[i] != w {
					t.Errorf("error %d = %.200q, want %q", i, got[i], w)
				}
			}
			if len(tc.want) == 0 && len(got) > 0 {
				t.Errorf("errors at the limits: %.500s", strings.Join(got, "\n"))
			}
			for _, g := range got {
				if len(g) > 1000 {
					t.Errorf("an error quotes a value over its limit: %.200s...", g)
				}
			}
		})
	}
}

func TestIntegrationNameLimit(t *testing.T) {
	in := mustIntegration(t, "metadata: {name: "+strings.Repeat("n", MaxIntegrationNameLength)+"}\nspec: {url: https://a.example.com}")
	if errs := ValidateIntegration(in); len(errs) != 0 {
		t.Errorf("63 characters: %v", errs)
	}
	in.Name += "n"
	errs := ValidateIntegration(in)
	if len(errs) != 1 || errs[0].Error() != "metadata.name: Too long: may not be more than 63 characters: it is the value of label oidc.endsys.cloud/integration on every rendered object" {
		t.Errorf("64 characters: %v", errs)
	}
}

// TestNoPlaceholders: the fields the function acts on refuse ${VAR}; a client id keeps them
// with a literal part.
func TestNoPlaceholders(t *testing.T) {
	in := mustIntegration(t, `metadata: {name: "${APP}"}
spec:
  url: https://a.example.com
  preset: "${P}"
  client: {id: "${A}${B}", state: "${S}"}
  helmRelease: {name: "${H}", strategy: "${ST}", controller: "x-${C}", container: "${K}"}`)
	errs := ValidateIntegration(in)
	var fields []string
	for _, e := range errs {
		if !strings.Contains(e.Detail, "placeholders are not allowed here") {
			t.Errorf("unexpected error %v", e)
		}
		fields = append(fields, e.Field)
	}
	want := "metadata.name spec.preset spec.client.id spec.client.state spec.helmRelease.name spec.helmRelease.strategy spec.helmRelease.controller spec.helmRelease.container"
	if strings.Join(fields, " ") != want {
		t.Errorf("fields %v, want %s", fields, want)
	}
	if errs := ValidateIntegration(mustIntegration(t, "metadata: {name: immich}\nspec: {url: https://a.example.com, client: {id: \"${APP}-photos\"}}")); len(errs) != 0 {
		t.Errorf("a client id with a literal part: %v", errs)
	}
	// The client id and secret name default to the name: one error, on the name.
	if errs := ValidateIntegration(mustIntegration(t, "metadata: {name: \"${APP}\"}\nspec: {url: https://a.example.com}")); len(errs) != 1 || errs[0].Field != "metadata.name" {
		t.Errorf("a placeholder name: %v", errs)
	}
}
