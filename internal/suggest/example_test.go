package suggest_test

import (
	"fmt"

	"github.com/endsys/pocketid-oidc/internal/suggest"
)

func ExampleDidYouMean() {
	fmt.Println("no kind OIDCIntegraton" + suggest.DidYouMean("OIDCIntegraton", []string{"OIDCIntegration", "PocketIDProvider"}))
	// Output: no kind OIDCIntegraton (did you mean OIDCIntegration?)
}
