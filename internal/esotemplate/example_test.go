package esotemplate_test

import (
	"fmt"

	"github.com/endsys/pocketid-oidc/internal/esotemplate"
)

func ExampleExecute() {
	out, err := esotemplate.Execute("config.json",
		`{"secret":{{ .clientSecret | toJson }}}`,
		map[string][]byte{"clientSecret": []byte(`he said "hi"`)})
	fmt.Println(string(out), err)
	// Output: {"secret":"he said \"hi\""} <nil>
}
