package provisioning

import (
	"testing"

	"github.com/endsys/pocketid-oidc/pkg/api/v1alpha1"
)

// BenchmarkRender is one integration's provisioning objects with a reconcile CronJob, the
// part of the function's run that grows with the integrations (converting the typed objects to
// YAML nodes is most of it):
//
//	go test -run '^$' -bench Render -benchmem -cpuprofile cpu.out ./pkg/render/provisioning
func BenchmarkRender(b *testing.B) {
	in := &v1alpha1.OIDCIntegration{}
	in.Name, in.Namespace = "immich", "media"
	in.Spec.URL = "https://photos.example.com"
	in.Spec.Client.AllowedGroups = []string{"family"}
	v1alpha1.SetIntegrationDefaults(in)
	c := Client{
		Integration:  "immich",
		Namespace:    "media",
		Document:     NewDocument(DocumentInput{Integration: in}),
		SecretName:   "immich-oidc",
		Provider:     v1alpha1.ProviderSpec{Issuer: "https://auth.example.com", APIURL: "http://pocket-id:1411", Image: "ghcr.io/endsys/pocketid-oidc:v0.1.0"},
		APIKeySecret: v1alpha1.KeyRef{Name: "immich-oidc-api-key", Key: "api-key"},
		Schedule:     Schedule(v1alpha1.DefaultReconcileSchedule, "media", "immich"),
	}
	for b.Loop() {
		objs, err := Render(c)
		if err != nil || len(objs) != 3 {
			b.Fatalf("Render: %d objects, %v", len(objs), err)
		}
	}
}
