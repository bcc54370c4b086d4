// Command identity is the baseline of `make bench`: a KRM function on the same SDK entry point
// as pocketid-oidc (fn.AsMain) that changes nothing. Dividing our time by its time leaves the cost
// of our own work on top of what every SDK-based function pays to parse and re-serialize the
// ResourceList.
package main

import (
	"os"

	"github.com/kptdev/krm-functions-sdk/go/fn"
)

func main() {
	if err := fn.AsMain(fn.ResourceListProcessorFunc(func(*fn.ResourceList) (bool, error) { return true, nil })); err != nil {
		os.Exit(1)
	}
}
