package function

import (
	"bytes"
	"strings"
	"testing"

	"github.com/kptdev/krm-functions-sdk/go/fn"
)

// TestPresetLimits: a button text Outline would refuse at start (OIDC_DISPLAY_NAME over 50
// characters) fails the render at spec.login.buttonText, as a result and on stderr, with
// nothing rendered; 50 characters render.
func TestPresetLimits(t *testing.T) {
	const want = "makes OIDC_DISPLAY_NAME 51 characters long, and Outline accepts 2 to 50 characters there (https://github.com/outline/outline/blob/v1.9.2/plugins/oidc/server/env.ts @MaxLength(50)"
	tests := []struct {
		name, buttonText string
		fail             bool
	}{
		{"51 characters", strings.Repeat("x", 51), true},
		{"50 characters", strings.Repeat("x", 50), false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			input := resourceList(t, errProvider, wiringRelease("outline", ""),
				wiringIntegration("outline", "outline", "  login: {buttonText: "+tc.buttonText+"}\n"))
			var stdout, stderr bytes.Buffer
			code := runFunction(bytes.NewReader(input), &stdout, &stderr)
			if want := map[bool]int{true: 1, false: 0}[tc.fail]; code != want {
				t.Fatalf("exit code %d, want %d; stderr:\n%s", code, want, stderr.String())
			}
			out, err := fn.ParseResourceList(stdout.Bytes())
			if err != nil {
				t.Fatalf("output is not a ResourceList: %v\n%s", err, stdout.String())
			}
			got := hasResult(out.Results, wiringResult{fn.Error, "OIDCIntegration", "outline", "spec.login.buttonText", want})
			if got != tc.fail {
				t.Errorf("error result at spec.login.buttonText: %v, want %v; results:\n%s", got, tc.fail, strings.Join(resultLines(out.Results), "\n"))
			}
			if line := "error: OIDCIntegration flux-system/outline: spec.login.buttonText: Invalid value: " + want; strings.Contains(stderr.String(), line) != tc.fail {
				t.Errorf("stderr has %q: %v, want %v:\n%s", line, !tc.fail, tc.fail, stderr.String())
			}
			if strings.Contains(stderr.String(), tc.buttonText) {
				t.Errorf("stderr quotes the button text:\n%s", stderr.String())
			}
			if tc.fail {
				in, err := fn.ParseResourceList(input)
				if err != nil {
					t.Fatal(err)
				}
				if got, want := itemsOf(out), itemsOf(in); got != want {
					t.Errorf("items changed on error:\n--- got\n%s\n--- want\n%s", got, want)
				}
			}
		})
	}
}
