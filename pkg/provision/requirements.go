package provision

import (
	"context"
	"fmt"
	"strconv"

	"github.com/endsys/pocketid-oidc/pkg/api/v1alpha1"
	"github.com/endsys/pocketid-oidc/pkg/pocketid"
	"k8s.io/apimachinery/pkg/util/validation/field"
)

// requirementSettings maps a requirement to the application configuration key that meets it
// and the fix an admin applies.
var requirementSettings = map[string]struct{ key, fix string }{
	v1alpha1.RequirementEmailsVerified: {
		key: pocketid.AppConfigEmailsVerified,
		fix: `turn on "Emails verified" in Pocket ID's application configuration (or set EMAILS_VERIFIED=true with UI_CONFIG_DISABLED=true); it applies to users created or changing their email afterwards, mark existing users' emails verified in the user settings`,
	},
}

// loadAppConfig reads Pocket ID's application configuration once, when a present document has
// requirements: a run without any costs no request.
func (r *reconciler) loadAppConfig(ctx context.Context, docs []Document) {
	for _, d := range docs {
		if d.Client.Spec.State != v1alpha1.StateAbsent && len(d.Client.Spec.Requirements) > 0 {
			r.appConfig, r.appConfigErr = r.api.AppConfig(ctx)
			return
		}
	}
}

// checkRequirements compares the document's requirements with Pocket ID's configuration. An
// unmet (or uncheckable) requirement is a warning naming the field and the fix, or with
// --strict the client's failure, before anything is written.
func (c *clientRun) checkRequirements() error {
	for i, req := range c.spec.Requirements {
		path := fmt.Sprintf("spec.requirements[%d]", i)
		s, known := requirementSettings[req]
		var problem string
		switch {
		case !known:
			problem = fmt.Sprintf("%s: unknown requirement %q", path, req)
		case c.r.appConfigErr != nil:
			problem = fmt.Sprintf("%s: cannot check %s: reading Pocket ID's application configuration: %v", path, req, c.r.appConfigErr)
		default:
			if on, _ := strconv.ParseBool(c.r.appConfig[s.key]); on {
				continue
			}
			problem = fmt.Sprintf("%s: the app needs Pocket ID setting %s, which is %q: %s", path, s.key, c.r.appConfig[s.key], s.fix)
		}
		if c.r.strict {
			return withCause(CauseRequirement, fmt.Errorf("%s (--strict)", problem))
		}
		c.res.Warnings = append(c.res.Warnings, problem)
		c.r.log.Warn("requirement not met", "client", c.spec.ID, "field", path, "requirement", req, "problem", problem)
	}
	return nil
}

// validateRequirements refuses a requirement the provisioner cannot check: a typo would
// otherwise pass as "nothing required".
func validateRequirements(c *v1alpha1.OIDCClient) field.ErrorList {
	var errs field.ErrorList
	for i, req := range c.Spec.Requirements {
		if _, ok := requirementSettings[req]; !ok {
			errs = append(errs, field.NotSupported(field.NewPath("spec", "requirements").Index(i), req, []string{v1alpha1.RequirementEmailsVerified}))
		}
	}
	return errs
}
