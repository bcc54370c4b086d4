// Package bench measures the function against an identity function on the same SDK
// (`make bench`). The generator lives outside the _test files so that a profile run or a manual
// experiment can use it too.
package bench

import (
	"bytes"
	"fmt"
	"strings"
)

// DefaultPresets are the presets the generated integrations rotate through, all on app-template:
// mostly plain env apps (the common home-lab case), one whose secret sits inside a JSON env value
// (paperless-ngx) and one configured by a file (immich), so every delivery path is measured; ""
// is an integration without a preset (env only). Override with BENCH_PRESETS (comma-separated).
var DefaultPresets = []string{"grafana", "mealie", "miniflux", "outline", "paperless-ngx", "immich", ""}

// Counts says what a generated ResourceList holds.
type Counts struct {
	HelmReleases, Integrations, Deployments, Services, ConfigMaps int
}

// Total is the number of items (the functionConfig is not an item).
func (c Counts) Total() int {
	return c.HelmReleases + c.Integrations + c.Deployments + c.Services + c.ConfigMaps
}

// CountsFor splits n items the way the issue asks: a tenth are app-template HelmReleases, a tenth
// OIDCIntegrations referencing them, the rest ordinary objects in equal parts.
func CountsFor(n int) Counts {
	apps := n / 10
	rest := n - 2*apps
	return Counts{
		HelmReleases: apps, Integrations: apps,
		Deployments: rest - 2*(rest/3), Services: rest / 3, ConfigMaps: rest / 3,
	}
}

// namespaces is how many app namespaces the objects spread over; integrations only match
// HelmReleases of their own namespace, so this keeps lookups realistic.
const namespaces = 25

// Generate returns a ResourceList (YAML) with n items and a PocketIDProvider as functionConfig.
// The output is deterministic so that runs are comparable.
func Generate(n int, presets []string) []byte {
	if len(presets) == 0 {
		presets = DefaultPresets
	}
	c := CountsFor(n)
	var b bytes.Buffer
	b.Grow(n * 700)
	b.WriteString("apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nfunctionConfig:\n")
	b.WriteString(indent(provider(""), "  "))
	b.WriteString("items:\n")
	for i := 0; i < c.HelmReleases; i++ {
		fmt.Fprintf(&b, helmRelease, app(i), ns(i), i%7+1)
	}
	for i := 0; i < c.Integrations; i++ {
		fmt.Fprint(&b, integration(i, presets[i%len(presets)]))
	}
	for i := 0; i < c.Deployments; i++ {
		fmt.Fprintf(&b, deployment, fmt.Sprintf("svc-%05d", i), ns(i), i%3+1)
	}
	for i := 0; i < c.Services; i++ {
		fmt.Fprintf(&b, service, fmt.Sprintf("svc-%05d", i), ns(i))
	}
	for i := 0; i < c.ConfigMaps; i++ {
		fmt.Fprintf(&b, configMap, fmt.Sprintf("config-%05d", i), ns(i), i)
	}
	return b.Bytes()
}

// provider is the PocketIDProvider every generated input shares, with the annotations given
// (YAML lines under metadata.annotations, each indented by four spaces).
func provider(annotations string) string {
	if annotations != "" {
		annotations = "  annotations:\n" + annotations
	}
	return `apiVersion: oidc.endsys.cloud/v1alpha1
kind: PocketIDProvider
metadata:
  name: pocket-id
` + annotations + `spec:
  issuer: https://auth.${SECRET_DOMAIN}
  apiURL: http://pocket-id.pocket-id.svc:1411
  secretStoreRef:
    kind: ClusterSecretStore
    name: bitwarden
  apiKey:
    remoteKey: pocket-id-api-key
`
}

// indent puts prefix before every line of s.
func indent(s, prefix string) string {
	return prefix + strings.ReplaceAll(strings.TrimSuffix(s, "\n"), "\n", "\n"+prefix) + "\n"
}

func app(i int) string { return fmt.Sprintf("app-%05d", i) }
func ns(i int) string  { return fmt.Sprintf("apps-%02d", i%namespaces) }

func integration(i int, preset string) string {
	var b strings.Builder
	fmt.Fprintf(&b, `- apiVersion: oidc.endsys.cloud/v1alpha1
  kind: OIDCIntegration
  metadata:
    name: %s
    namespace: %s
  spec:
`, app(i), ns(i))
	if preset != "" {
		fmt.Fprintf(&b, "    preset: %s\n", preset)
	}
	fmt.Fprintf(&b, "    url: https://%s.${SECRET_DOMAIN}\n", app(i))
	if preset == "" {
		b.WriteString(`    client:
      callbackURLs:
      - https://` + app(i) + `.${SECRET_DOMAIN}/oauth/callback
    env:
      OIDC_ISSUER: "{{ .Issuer }}"
      OIDC_CLIENT_ID: "{{ .ClientID }}"
      OIDC_CLIENT_SECRET: "{{ .ClientSecret }}"
`)
	}
	if i%4 == 0 {
		b.WriteString("    secret:\n      generate: true\n")
	}
	return b.String()
}

const helmRelease = `- apiVersion: helm.toolkit.fluxcd.io/v2
  kind: HelmRelease
  metadata:
    name: %[1]s
    namespace: %[2]s
  spec:
    interval: 30m
    chart:
      spec:
        chart: app-template
        version: 4.4.0
        sourceRef:
          kind: HelmRepository
          name: bjw-s
          namespace: flux-system
    values:
      controllers:
        main:
          strategy: RollingUpdate
          containers:
            main:
              image:
                repository: ghcr.io/example/%[1]s
                tag: 1.%[3]d.0
              env:
                TZ: Europe/Berlin
                LOG_LEVEL: info
              probes:
                liveness:
                  enabled: true
              resources:
                requests:
                  cpu: 10m
                  memory: 128Mi
      service:
        app:
          controller: main
          ports:
            http:
              port: 8080
      ingress:
        app:
          className: internal
          hosts:
          - host: %[1]s.${SECRET_DOMAIN}
            paths:
            - path: /
              service:
                identifier: app
                port: http
      persistence:
        data:
          existingClaim: %[1]s-data
`

const deployment = `- apiVersion: apps/v1
  kind: Deployment
  metadata:
    name: %[1]s
    namespace: %[2]s
    labels:
      app.kubernetes.io/name: %[1]s
  spec:
    replicas: %[3]d
    selector:
      matchLabels:
        app.kubernetes.io/name: %[1]s
    template:
      metadata:
        labels:
          app.kubernetes.io/name: %[1]s
      spec:
        containers:
        - name: app
          image: registry.example/%[1]s:1.0.0
          ports:
          - containerPort: 8080
            name: http
          env:
          - name: PORT
            value: "8080"
          resources:
            requests:
              cpu: 10m
              memory: 64Mi
`

const service = `- apiVersion: v1
  kind: Service
  metadata:
    name: %[1]s
    namespace: %[2]s
  spec:
    selector:
      app.kubernetes.io/name: %[1]s
    ports:
    - name: http
      port: 80
      targetPort: http
`

const configMap = `- apiVersion: v1
  kind: ConfigMap
  metadata:
    name: %[1]s
    namespace: %[2]s
  data:
    settings.yaml: |
      instance: %[3]d
      feature: enabled
    LOG_LEVEL: info
`
