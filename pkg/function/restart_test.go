package function

import (
	"strings"
	"testing"

	"github.com/kptdev/krm-functions-sdk/go/fn"
)

// TestRestartOnSecretChange: by default the app's controller names its Secret for Reloader;
// restartOnSecretChange: false (provider or integration) leaves the HelmRelease without it.
func TestRestartOnSecretChange(t *testing.T) {
	for name, tc := range map[string]struct {
		provider string // spec.provider of the integration
		want     bool
	}{
		"default: on":                {want: true},
		"off for this integration":   {provider: `provider: {restartOnSecretChange: false}`},
		"explicitly on for this one": {provider: `provider: {restartOnSecretChange: true}`, want: true},
	} {
		t.Run(name, func(t *testing.T) {
			app := strings.Replace(splitApps["mealie"], "spec: {preset: mealie, url: https://mealie.example.com}",
				"spec: {preset: mealie, url: https://mealie.example.com, "+tc.provider+"}", 1)
			rl, err := fn.ParseResourceList([]byte(rlHead + "items:\n" + strings.TrimPrefix(app, "\n") + testProvider))
			if err != nil {
				t.Fatal(err)
			}
			if ok, err := Process(rl); !ok || err != nil {
				t.Fatalf("render failed: %v\n%s", err, strings.Join(resultLines(rl.Results), "\n"))
			}
			hr := rl.Items.Where(fn.IsGVK("helm.toolkit.fluxcd.io", "v2", "HelmRelease"))[0]
			got, _, _ := hr.NestedString("spec", "values", "controllers", "main", "annotations", "secret.reloader.stakater.com/reload")
			if (got == "mealie-oidc") != tc.want || (got != "" && got != "mealie-oidc") {
				t.Errorf("reload annotation %q, want it: %v\n%s", got, tc.want, hr.String())
			}
		})
	}
}
