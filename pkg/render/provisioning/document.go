package provisioning

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/endsys/pocketid-oidc/pkg/api/v1alpha1"
	"github.com/endsys/pocketid-oidc/pkg/preset"
	"github.com/endsys/pocketid-oidc/pkg/render/yamlnode"
)

// DocumentInput is what NewDocument needs besides the integration.
type DocumentInput struct {
	Integration *v1alpha1.OIDCIntegration // defaulted
	Resolved    *preset.Resolved          // nil without a preset and for absent clients
}

// NewDocument builds the OIDCClient document with every default applied: callbacks from the
// preset unless the integration lists its own, the preset's display name, PKCE default and
// requirements on Pocket ID, and where the provisioner finds the client secret. An absent
// client carries only its id: deleting needs nothing else, and stale settings must not make
// the document invalid.
func NewDocument(in DocumentInput) *v1alpha1.OIDCClient {
	s := in.Integration.Spec
	doc := &v1alpha1.OIDCClient{
		TypeMeta:   metav1.TypeMeta{APIVersion: v1alpha1.APIVersion, Kind: v1alpha1.KindOIDCClient},
		ObjectMeta: metav1.ObjectMeta{Name: s.Client.ID},
		Spec:       v1alpha1.OIDCClientSpec{ID: s.Client.ID, State: s.Client.State},
	}
	if s.Client.State == v1alpha1.StateAbsent {
		return doc
	}
	var r preset.Resolved
	if in.Resolved != nil {
		r = *in.Resolved
	}
	c := &doc.Spec
	c.Name = s.Client.DisplayName
	if c.Name == "" {
		c.Name = r.DisplayName
	}
	if c.Name == "" {
		c.Name = s.Client.ID
	}
	c.CallbackURLs = r.CallbackURLs
	if len(s.Client.CallbackURLs) > 0 {
		c.CallbackURLs = s.Client.CallbackURLs
	}
	c.CallbackURLs = appendUnique(c.CallbackURLs, s.Client.AdditionalCallbackURLs...)
	c.LogoutCallbackURLs = r.LogoutCallbackURLs
	if len(s.Client.LogoutCallbackURLs) > 0 {
		c.LogoutCallbackURLs = s.Client.LogoutCallbackURLs
	}
	c.LaunchURL = s.Client.LaunchURL
	c.Public = s.Client.Public
	c.PKCE = r.PKCE
	if s.Client.PKCE != nil {
		c.PKCE = *s.Client.PKCE
	}
	c.AllowedGroups = s.Client.AllowedGroups
	c.CreateMissingGroups = s.Client.CreateMissingGroups
	c.Requirements = Requirements(r.Requires)
	if !c.Public {
		c.Secret = &v1alpha1.ClientSecret{
			File:            SecretFile(s.Secret.Name),
			RotationOverlap: s.Secret.RotationOverlap,
			RetainOld:       s.Secret.RetainOld,
		}
	}
	return doc
}

func appendUnique(list []string, more ...string) []string {
	out := append([]string(nil), list...)
	seen := make(map[string]bool, len(out))
	for _, u := range out {
		seen[u] = true
	}
	for _, u := range more {
		if !seen[u] {
			out = append(out, u)
			seen[u] = true
		}
	}
	return out
}

func fileName(clientID string) string { return clientID + ".yaml" }

// documentYAML is the ConfigMap value: the document without creationTimestamp noise.
func documentYAML(doc *v1alpha1.OIDCClient) (string, error) {
	m, err := toMap(doc)
	if err != nil {
		return "", err
	}
	return yamlnode.Object(m).String()
}
