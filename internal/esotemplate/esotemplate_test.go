package esotemplate_test

import (
	"strings"
	"testing"

	"github.com/endsys/pocketid-oidc/internal/esotemplate"
)

func TestExecute(t *testing.T) {
	data := map[string][]byte{"clientSecret": []byte(`a"b\c`)}
	tests := []struct {
		name, text, want, wantErr string
	}{
		{name: "toJson quotes and escapes", text: `{"s":{{ .clientSecret | toJson }}}`, want: `{"s":"a\"b\\c"}`},
		{name: "plain insert", text: `{{ .clientSecret }}`, want: `a"b\c`},
		{name: "escaped braces stay literal", text: `{{ "{{" }} .x }}`, want: `{{ .x }}`},
		{name: "lone closing braces are text", text: `{"a":{"b":1}}`, want: `{"a":{"b":1}}`},
		{name: "missing key is an error", text: `{{ .nope }}`, wantErr: "map has no entry for key"},
		{name: "env is not available", text: `{{ env "HOME" }}`, wantErr: `function "env" not defined`},
		{name: "expandenv is not available", text: `{{ expandenv "$HOME" }}`, wantErr: `function "expandenv" not defined`},
		{name: "toYaml like ESO", text: `{{ dict "k" .clientSecret | toYaml }}`, want: `k: a"b\c`},
		{name: "fromYaml like ESO", text: `{{ (fromYaml "a: 1").a }}`, want: `1`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := esotemplate.Execute("k", tt.text, data)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error = %v, want it to contain %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tt.want {
				t.Errorf("got %s, want %s", got, tt.want)
			}
		})
	}
}
