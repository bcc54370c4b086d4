package function

import (
	"testing"

	"github.com/endsys/pocketid-oidc/pkg/api/v1alpha1"
)

// TestSameShared: what integrations provisioned in one namespace must agree on.
func TestSameShared(t *testing.T) {
	base := func() v1alpha1.ProviderSpec {
		return v1alpha1.ProviderSpec{
			Issuer: "https://auth.example.com", APIURL: "https://auth.example.com", Image: "img",
			SecretStoreRef: &v1alpha1.SecretStoreRef{Kind: "ClusterSecretStore", Name: "bw"},
			APIKey:         &v1alpha1.APIKeySource{RemoteKey: "k"},
		}
	}
	ttl := int32(60)
	for name, tc := range map[string]struct {
		change func(*v1alpha1.ProviderSpec)
		same   bool
	}{
		"equal":                            {change: func(*v1alpha1.ProviderSpec) {}, same: true},
		"another issuer is not shared":     {change: func(p *v1alpha1.ProviderSpec) { p.Issuer = "https://id.example.com" }, same: true},
		"another image without a schedule": {change: func(p *v1alpha1.ProviderSpec) { p.Image = "other" }, same: true},
		"another image with a schedule": {change: func(p *v1alpha1.ProviderSpec) {
			p.Image, p.ReconcileSchedule = "other", "@daily"
		}},
		"another store":        {change: func(p *v1alpha1.ProviderSpec) { p.SecretStoreRef.Name = "vault" }},
		"another API key":      {change: func(p *v1alpha1.ProviderSpec) { p.APIKey.RemoteKey = "k2" }},
		"a schedule only here": {change: func(p *v1alpha1.ProviderSpec) { p.ReconcileSchedule = "@daily" }},
		"another TTL without a schedule": {change: func(p *v1alpha1.ProviderSpec) {
			p.JobTTLSecondsAfterFinished = &ttl
		}, same: true},
	} {
		t.Run(name, func(t *testing.T) {
			a, b := base(), base()
			tc.change(&b)
			if got := sameShared(a, b); got != tc.same {
				t.Errorf("sameShared = %v, want %v", got, tc.same)
			}
		})
	}
}
