package function_test

import (
	"fmt"
	"regexp"

	"github.com/kptdev/krm-functions-sdk/go/fn"

	"github.com/endsys/pocketid-oidc/pkg/function"
)

var hash = regexp.MustCompile(`-[0-9a-f]{10}$`)

// Process renders a ResourceList in memory: the integration is consumed, its HelmRelease wired,
// and the client secret's ExternalSecret and the provisioning objects (API key ExternalSecret,
// ConfigMap, Job, reconcile CronJob), all the integration's own, added.
func ExampleProcess() {
	rl, _ := fn.ParseResourceList([]byte(`apiVersion: config.kubernetes.io/v1
kind: ResourceList
items:
- apiVersion: helm.toolkit.fluxcd.io/v2
  kind: HelmRelease
  metadata: {name: mealie, namespace: food}
  spec:
    chartRef: {kind: OCIRepository, name: app-template}
    values: {controllers: {main: {containers: {main: {image: {repository: ghcr.io/mealie-recipes/mealie, tag: v3.0.0}}}}}}
- apiVersion: oidc.endsys.cloud/v1alpha1
  kind: OIDCIntegration
  metadata: {name: mealie, namespace: food}
  spec: {preset: mealie, url: https://mealie.example.com}
functionConfig:
  apiVersion: oidc.endsys.cloud/v1alpha1
  kind: PocketIDProvider
  metadata: {name: pocket-id}
  spec:
    issuer: https://auth.example.com
    secretStoreRef: {name: bitwarden}
    apiKey: {remoteKey: pocket-id-api-key}
`))
	ok, err := function.Process(rl)
	fmt.Println("ok:", ok, err)
	rl.Sort()
	for _, o := range rl.Items {
		// The ConfigMap's and Job's names end in a hash of what they provision.
		fmt.Println(o.GetKind(), o.GetNamespace()+"/"+hash.ReplaceAllString(o.GetName(), "-<hash>"))
	}
	hr := rl.Items.Where(fn.IsGVK("helm.toolkit.fluxcd.io", "v2", "HelmRelease"))[0]
	fmt.Println("wired:", hr.GetAnnotation("oidc.endsys.cloud/managed-env") != "")
	// Output:
	// ok: true <nil>
	// CronJob food/mealie-oidc-reconcile
	// Job food/mealie-oidc-<hash>
	// ExternalSecret food/mealie-oidc
	// ExternalSecret food/mealie-oidc-api-key
	// HelmRelease food/mealie
	// ConfigMap food/mealie-oidc-<hash>
	// wired: true
}
