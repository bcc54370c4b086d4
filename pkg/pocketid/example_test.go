package pocketid_test

import (
	"context"
	"fmt"

	"github.com/endsys/pocketid-oidc/pkg/pocketid"
	"github.com/endsys/pocketid-oidc/pkg/pocketid/pocketidtest"
)

// Update is a full replacement: start from the current client so unmanaged fields survive.
func ExampleClient_UpdateClient() {
	srv := pocketidtest.New(nil, pocketidtest.Options{})
	defer srv.Close()
	srv.PutClient(pocketidtest.ClientState{ID: "immich", Name: "Immich", Description: "set in the UI", SkipConsent: true})

	ctx := context.Background()
	c, _ := pocketid.New(pocketid.Options{BaseURL: srv.URL, APIKey: pocketidtest.DefaultAPIKey})
	cur, _ := c.GetClient(ctx, "immich")
	in := cur.Input()
	in.Name = "Immich Photos"
	updated, err := c.UpdateClient(ctx, "immich", in)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(updated.Name, "|", updated.Description, "|", updated.SkipConsent)
	// Output: Immich Photos | set in the UI | true
}

func ExampleAPIError() {
	srv := pocketidtest.New(nil, pocketidtest.Options{})
	defer srv.Close()
	c, _ := pocketid.New(pocketid.Options{BaseURL: srv.URL, APIKey: pocketidtest.DefaultAPIKey})
	_, err := c.CreateClient(context.Background(), pocketid.ClientInput{ID: "immich", Name: "Immich", CallbackURLs: []string{"immich.example.com/cb"}})
	fmt.Println(pocketid.HasCode(err, pocketid.CodeValidationFailed), err.(*pocketid.APIError).Field())
	// Output: true callbackURLs[0]
}
