package pocketidtest_test

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/endsys/pocketid-oidc/pkg/pocketid/pocketidtest"
)

// A test seeds state, injects a fault, and asserts on the request counters.
func Example() {
	srv := pocketidtest.New(nil, pocketidtest.Options{Version: "2.14.0"})
	defer srv.Close()
	family := srv.AddGroup("family")
	srv.PutClient(pocketidtest.ClientState{ID: "immich", Name: "Immich"})

	// The next request fails with 500 and changes nothing.
	srv.FailNth(1, pocketidtest.Fail500)
	put := func() int {
		req, _ := http.NewRequest(http.MethodPut, srv.URL+"/api/oidc/clients/immich/allowed-user-groups",
			strings.NewReader(`{"userGroupIds":["`+family+`","no-such-group"]}`))
		req.Header.Set("X-API-Key", pocketidtest.DefaultAPIKey)
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return 0
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	fmt.Println(put(), put())
	c, _ := srv.Client("immich")
	fmt.Println(c.Groups, srv.Writes())
	// Output:
	// 500 200
	// [family] 2
}
