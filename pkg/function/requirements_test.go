package function

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	sigsyaml "sigs.k8s.io/yaml"

	"github.com/endsys/pocketid-oidc/pkg/api/v1alpha1"
)

// TestPresetCaveats: a preset's requirements on Pocket ID are info results on spec.preset and
// the OIDCClient document's spec.requirements (what the provisioner checks); its warnings are
// warning results on spec.preset. An absent client and a custom integration have neither.
func TestPresetCaveats(t *testing.T) {
	emailsVerified := `info: OIDCIntegration media/vw: spec.preset: Pocket ID must mark emails verified or Vaultwarden rejects the login: ` +
		`turn on "Emails verified" in Pocket ID's application configuration (or set EMAILS_VERIFIED=true with UI_CONFIG_DISABLED=true), ` +
		`else the email_verified claim is false; it applies to users created or changing their email afterwards, ` +
		`mark existing users' emails verified in their user settings. ` +
		`The provisioner checks it (spec.requirements of the OIDCClient document): a warning, a failure with --strict`
	tests := map[string]struct {
		spec         string
		want         []string // results on spec.preset
		requirements []string // of the rendered document
	}{
		"vaultwarden needs emails marked verified": {
			spec:         ", preset: vaultwarden",
			want:         []string{emailsVerified},
			requirements: []string{v1alpha1.RequirementEmailsVerified},
		},
		"immich's config file replaces every system setting": {
			spec: ", preset: immich",
			want: []string{"warning: OIDCIntegration media/vw: spec.preset: Immich's config file replaces ALL its system settings"},
		},
		"grist, which can be told to accept unverified emails": {
			spec: ", preset: grist",
			want: []string{strings.Replace(emailsVerified, "Vaultwarden", "Grist", 1) +
				`; or make Grist accept an unverified email with spec.env GRIST_OIDC_SP_IGNORE_EMAIL_VERIFIED: "true"`},
			requirements: []string{v1alpha1.RequirementEmailsVerified},
		},
		"grist told so: nothing required": {
			spec: `, preset: grist, env: {GRIST_OIDC_SP_IGNORE_EMAIL_VERIFIED: "true"}`,
		},
		"an absent client: nothing to meet": {
			spec: ", preset: vaultwarden, client: {state: absent}",
		},
		"no preset, no requirements": {
			spec: ", client: {callbackURLs: [https://vw.example.com/cb]}",
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			r := resolved(t, rlHead+"items:\n"+appRelease+integrationItem("vw", ", helmRelease: {name: app, strategy: none}"+tc.spec)+testProvider)
			var got []string
			for _, l := range resultLines(r.results) {
				if strings.Contains(l, " spec.preset: ") {
					// Long messages are compared up to the length of the expected one.
					if i := len(got); i < len(tc.want) && strings.HasPrefix(l, tc.want[i]) {
						l = tc.want[i]
					}
					got = append(got, l)
				}
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("results on spec.preset (-want +got):\n%s", diff)
			}
			if r.failed {
				t.Fatalf("the integration failed: %v", resultLines(r.results))
			}
			var doc *v1alpha1.OIDCClient
			for _, d := range r.render() {
				if d.node.GetKind() != "ConfigMap" {
					continue
				}
				for _, v := range d.node.GetDataMap() {
					doc = &v1alpha1.OIDCClient{}
					if err := sigsyaml.UnmarshalStrict([]byte(v), doc); err != nil {
						t.Fatal(err)
					}
				}
			}
			if doc == nil {
				t.Fatal("no OIDCClient document rendered")
			}
			if diff := cmp.Diff(tc.requirements, doc.Spec.Requirements); diff != "" {
				t.Errorf("spec.requirements of the document (-want +got):\n%s", diff)
			}
		})
	}
}
