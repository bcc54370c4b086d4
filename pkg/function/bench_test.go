package function

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/kptdev/krm-functions-sdk/go/fn"
)

// benchInput is a ResourceList of n objects: n/10 HelmReleases with one integration each, the
// rest ConfigMaps, the shape `make bench` measures.
func benchInput(n int) []byte {
	var sb strings.Builder
	sb.WriteString("apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n")
	apps := n / 10
	for i := 0; i < apps; i++ {
		ns := fmt.Sprintf("ns%d", i%50)
		fmt.Fprintf(&sb, `- apiVersion: helm.toolkit.fluxcd.io/v2
  kind: HelmRelease
  metadata: {name: app%d, namespace: %s}
  spec:
    chartRef: {kind: OCIRepository, name: app-template}
    values:
      controllers:
        main:
          containers:
            main:
              image: {repository: ghcr.io/example/app, tag: "1.0"}
              env: {TZ: Europe/Berlin}
- apiVersion: oidc.endsys.cloud/v1alpha1
  kind: OIDCIntegration
  metadata: {name: app%d, namespace: %s}
  spec:
    preset: mealie
    url: https://app%d.example.com
    client: {allowedGroups: [family]}
`, i, ns, i, ns, i)
	}
	for i := 0; i < n-2*apps; i++ {
		fmt.Fprintf(&sb, `- apiVersion: v1
  kind: ConfigMap
  metadata: {name: cm%d, namespace: ns%d, labels: {app: x}}
  data: {a: "1", b: "two", c: three}
`, i, i%50)
	}
	sb.WriteString(`functionConfig:
  apiVersion: oidc.endsys.cloud/v1alpha1
  kind: PocketIDProvider
  metadata: {name: pocket-id}
  spec:
    issuer: https://auth.example.com
    secretStoreRef: {name: bitwarden}
    apiKey: {remoteKey: pocket-id-api-key}
`)
	return []byte(sb.String())
}

// identity is the baseline: the same SDK reading and writing the ResourceList, nothing else.
func identity(in []byte, out io.Writer) error {
	b, err := fn.Run(fn.ResourceListProcessorFunc(func(*fn.ResourceList) (bool, error) { return true, nil }), in)
	if err != nil {
		return err
	}
	_, err = out.Write(b)
	return err
}

func BenchmarkFunction5000(b *testing.B) {
	in := benchInput(5000)
	for b.Loop() {
		if code := runFunction(bytes.NewReader(in), io.Discard, io.Discard); code != 0 {
			b.Fatal("exit", code)
		}
	}
}

func BenchmarkIdentity5000(b *testing.B) {
	in := benchInput(5000)
	for b.Loop() {
		if err := identity(in, io.Discard); err != nil {
			b.Fatal(err)
		}
	}
}
