package helmrelease_test

import (
	"fmt"
	"log"

	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/endsys/pocketid-oidc/pkg/preset"
	"github.com/endsys/pocketid-oidc/pkg/render/helmrelease"
)

// An app-template release: the user's map-form env keeps its entries and order, ours follow,
// the client secret only as a secretKeyRef, ${SECRET_DOMAIN} as written.
func ExampleFilter() {
	hr := yaml.MustParse(`apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: immich
  namespace: media
spec:
  chart:
    spec:
      chart: app-template
  values:
    controllers:
      main:
        containers:
          main:
            env:
              TZ: Europe/Berlin
`)
	f := helmrelease.Filter{
		Integration: "immich",
		Wiring: preset.Wiring{Env: []preset.EnvVar{
			{Name: "OAUTH_CLIENT_ID", Value: "immich"},
			{Name: "OAUTH_CLIENT_SECRET", SecretKeyRef: &preset.SecretKeyRef{Name: "immich-oidc", Key: preset.SecretKeyClientSecret}},
			{Name: "OAUTH_ISSUER_URL", Value: "https://auth.${SECRET_DOMAIN}"},
		}},
	}
	if _, err := f.Filter(hr); err != nil {
		log.Fatal(err)
	}
	fmt.Print(hr.MustString())
	// Output:
	// apiVersion: helm.toolkit.fluxcd.io/v2
	// kind: HelmRelease
	// metadata:
	//   name: immich
	//   namespace: media
	//   annotations:
	//     oidc.endsys.cloud/managed-env: '{"immich":{"envPath":["controllers","main","containers","main","env"],"env":["OAUTH_CLIENT_ID","OAUTH_CLIENT_SECRET","OAUTH_ISSUER_URL"]}}'
	// spec:
	//   chart:
	//     spec:
	//       chart: app-template
	//   values:
	//     controllers:
	//       main:
	//         containers:
	//           main:
	//             env:
	//               TZ: Europe/Berlin
	//               OAUTH_CLIENT_ID: immich
	//               OAUTH_CLIENT_SECRET:
	//                 valueFrom:
	//                   secretKeyRef:
	//                     name: immich-oidc
	//                     key: client-secret
	//               OAUTH_ISSUER_URL: https://auth.${SECRET_DOMAIN}
}

// Any other chart gets one post-renderer patch; rendering again with the zero Wiring
// (state: absent) takes it back, leaving the release as it was.
func ExampleFilter_postRenderer() {
	hr := yaml.MustParse(`apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: grafana
spec:
  chart:
    spec:
      chart: grafana
`)
	wire := helmrelease.Filter{Integration: "grafana", Wiring: preset.Wiring{Env: []preset.EnvVar{
		{Name: "GF_AUTH_GENERIC_OAUTH_CLIENT_SECRET", SecretKeyRef: &preset.SecretKeyRef{Name: "grafana-oidc", Key: "client-secret"}},
	}}}
	if _, err := wire.Filter(hr); err != nil {
		log.Fatal(err)
	}
	fmt.Print(hr.MustString())

	unwire := helmrelease.Filter{Integration: "grafana"}
	if _, err := unwire.Filter(hr); err != nil {
		log.Fatal(err)
	}
	fmt.Println("---")
	fmt.Print(hr.MustString())
	// Output:
	// apiVersion: helm.toolkit.fluxcd.io/v2
	// kind: HelmRelease
	// metadata:
	//   name: grafana
	// spec:
	//   chart:
	//     spec:
	//       chart: grafana
	//   postRenderers:
	//   - kustomize:
	//       patches:
	//       - target:
	//           group: apps
	//           kind: Deployment|StatefulSet
	//           name: grafana
	//         patch: |
	//           apiVersion: apps/v1
	//           kind: Deployment
	//           metadata:
	//             name: pocketid-oidc.grafana
	//           spec:
	//             template:
	//               spec:
	//                 containers:
	//                 - name: grafana
	//                   env:
	//                   - name: GF_AUTH_GENERIC_OAUTH_CLIENT_SECRET
	//                     value: null
	//                     valueFrom:
	//                       secretKeyRef:
	//                         name: grafana-oidc
	//                         key: client-secret
	// ---
	// apiVersion: helm.toolkit.fluxcd.io/v2
	// kind: HelmRelease
	// metadata:
	//   name: grafana
	// spec:
	//   chart:
	//     spec:
	//       chart: grafana
}

// The user wrote DOMAIN in the HelmRelease: Apply replaces it, says so once, and keeps the
// original in the annotation; state: absent (the zero Wiring) puts it back.
func ExampleFilter_Apply() {
	hr := yaml.MustParse(`apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: vaultwarden
  namespace: media
spec:
  chart:
    spec:
      chart: app-template
  values:
    controllers:
      main:
        containers:
          main:
            env:
              DOMAIN: https://vault.old.example.com
`)
	wire := helmrelease.Filter{Integration: "vaultwarden", Wiring: preset.Wiring{Env: []preset.EnvVar{
		{Name: "DOMAIN", Value: "https://vault.example.com"},
	}}}
	warns, err := wire.Apply(hr)
	if err != nil {
		log.Fatal(err)
	}
	for _, w := range warns {
		fmt.Println(w)
	}
	fmt.Println(hr.GetAnnotations()["oidc.endsys.cloud/managed-env"])
	if warns, _ = wire.Apply(hr); len(warns) == 0 {
		fmt.Println("again: no warnings")
	}

	if _, err := (helmrelease.Filter{Integration: "vaultwarden"}).Apply(hr); err != nil {
		log.Fatal(err)
	}
	env, _ := hr.Pipe(yaml.Lookup("spec", "values", "controllers", "main", "containers", "main", "env"))
	fmt.Print(env.MustString())
	// Output:
	// HelmRelease media/vaultwarden: spec.values.controllers.main.containers.main.env.DOMAIN: set in the HelmRelease and replaced by the integration's value; set spec.env.DOMAIN in the OIDCIntegration to choose the value explicitly
	// {"vaultwarden":{"envPath":["controllers","main","containers","main","env"],"env":["DOMAIN"],"replaced":{"DOMAIN":"DOMAIN: https://vault.old.example.com"}}}
	// again: no warnings
	// DOMAIN: https://vault.old.example.com
}
