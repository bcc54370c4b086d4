package function

// A preset's prerequisites on Pocket ID and its caveats as results: nothing fails to render
// without them, but the login (or the app's data) does later, so each is said on the
// integration's spec.preset.

import (
	"fmt"

	"github.com/kptdev/krm-functions-sdk/go/fn"

	"github.com/endsys/pocketid-oidc/pkg/api/v1alpha1"
	"github.com/endsys/pocketid-oidc/pkg/render/provisioning"
)

// requirementTexts say what a Pocket ID admin must set for each requirement; %s is the app.
var requirementTexts = map[string]string{
	v1alpha1.RequirementEmailsVerified: `Pocket ID must mark emails verified or %s rejects the login: ` +
		`turn on "Emails verified" in Pocket ID's application configuration (or set EMAILS_VERIFIED=true with UI_CONFIG_DISABLED=true), ` +
		`else the email_verified claim is false; it applies to users created or changing their email afterwards, ` +
		`mark existing users' emails verified in their user settings. ` +
		`The provisioner checks it (spec.requirements of the OIDCClient document): a warning, a failure with --strict`,
}

// presetPathField is where a preset's requirements and warnings are reported.
var presetPathField = &fn.Field{Path: "spec.preset"}

// reportPresetCaveats reports the resolved preset's requirements on Pocket ID (info: an admin
// sets them once) and its warnings (warning: they can lose data or break a login).
func (r *rendering) reportPresetCaveats(in *integration) {
	res := in.resolved
	app := res.DisplayName
	if app == "" {
		app = "the app"
	}
	for _, w := range res.Wiring.Warnings {
		r.results = append(r.results, r.result(in.obj, presetPathField, w, fn.Warning))
	}
	for _, req := range provisioning.Requirements(res.Requires) {
		text, ok := requirementTexts[req]
		if !ok {
			text = "Pocket ID must meet requirement " + req + " or %s rejects the login"
		}
		msg := fmt.Sprintf(text, app)
		if u := res.Requires.Unless; u != nil {
			msg += fmt.Sprintf("; or make %s accept an unverified email with spec.env %s: %q", app, u.Env, u.Value)
		}
		r.results = append(r.results, r.result(in.obj, presetPathField, msg, fn.Info))
	}
}
