package provision_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/endsys/pocketid-oidc/pkg/pocketid"
	"github.com/endsys/pocketid-oidc/pkg/pocketid/pocketidtest"
	"github.com/endsys/pocketid-oidc/pkg/provision"
)

func Example() {
	srv := pocketidtest.New(nil, pocketidtest.Options{})
	defer srv.Close()
	srv.AddGroup("family")

	dir, _ := os.MkdirTemp("", "provision-example")
	defer os.RemoveAll(dir)
	secretFile := filepath.Join(dir, "client-secret")
	_ = os.WriteFile(secretFile, []byte("s3cr3t-value-from-the-mounted-secret\n"), 0o600)

	docs, err := provision.ParseDocuments([]byte(`
apiVersion: oidc.endsys.cloud/v1alpha1
kind: OIDCClient
spec:
  id: immich
  name: Immich
  callbackURLs: [https://photos.example.com/auth/login]
  allowedGroups: [family]
  secret: {file: `+secretFile+`}
`), "immich.yaml")
	if err != nil {
		fmt.Println(err)
		return
	}
	api, _ := pocketid.New(pocketid.Options{BaseURL: srv.URL, APIKey: pocketidtest.DefaultAPIKey})

	for _, plan := range []bool{true, false, false} {
		res, err := provision.Run(context.Background(), docs, provision.Options{Client: api, Plan: plan})
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("plan=%v %s: %s\n", plan, res.Clients[0].ID, res.Clients[0].Outcome)
		if plan {
			_ = provision.WritePlan(os.Stdout, res)
		}
	}

	// Output:
	// plan=true immich: created
	// OIDCClient immich (immich.yaml): create
	//   + name: "Immich"
	//   + callbackURLs: ["https://photos.example.com/auth/login"]
	//   + isGroupRestricted: true
	//   + allowedGroups: ["family"]
	//   + secret: add (the value of spec.secret.file)
	// Plan: 1 to create, 0 to update, 0 to delete, 0 unchanged, 0 failed.
	// plan=false immich: created
	// plan=false immich: unchanged
}
