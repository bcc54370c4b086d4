package pocketid_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/endsys/pocketid-oidc/pkg/pocketid"
	"github.com/endsys/pocketid-oidc/pkg/pocketid/pocketidtest"
)

func newClient(t *testing.T, srv *pocketidtest.Server) *pocketid.Client {
	t.Helper()
	c, err := pocketid.New(pocketid.Options{BaseURL: srv.URL, APIKey: pocketidtest.DefaultAPIKey,
		Sleep: func(ctx context.Context, _ time.Duration) error { return ctx.Err() }})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.ServerVersion(context.Background()); err != nil {
		t.Fatal(err)
	}
	return c
}

func TestClientLifecycle(t *testing.T) {
	ctx := context.Background()
	srv := pocketidtest.New(t, pocketidtest.Options{})
	c := newClient(t, srv)
	family := srv.AddGroup("family")

	created, err := c.CreateClient(ctx, pocketid.ClientInput{ID: "immich", Name: "Immich", CallbackURLs: []string{"https://x.example.com/cb"}, IsGroupRestricted: true})
	if err != nil {
		t.Fatal(err)
	}
	if created.Credentials.Secrets == nil || len(created.Credentials.Secrets) != 0 {
		t.Errorf("v2.14 answers an empty secrets list, got %#v", created.Credentials.Secrets)
	}
	if _, err := c.CreateClient(ctx, pocketid.ClientInput{ID: "immich", Name: "x"}); !pocketid.HasCode(err, pocketid.CodeClientIDAlreadyExists) || pocketid.StatusCode(err) != 409 {
		t.Errorf("duplicate create: %v", err)
	}
	got, err := c.SetAllowedUserGroups(ctx, "immich", []string{family, "unknown-id"})
	if err != nil || len(got.AllowedGroupIDs()) != 1 || got.AllowedGroupIDs()[0] != family {
		t.Errorf("groups %v, %v: want only the known id kept", got, err)
	}

	const value = "abcd-secret-value-0123456789"
	sec, err := c.AddSecret(ctx, "immich", value, nil)
	if err != nil || sec.Prefix != "abcd" || sec.ID == "" {
		t.Fatalf("AddSecret: %+v, %v", sec, err)
	}
	for _, tc := range []struct {
		value string
		ok    bool
	}{{value, true}, {"abcd-wrong-value-0123456789", false}} {
		ok, err := c.CheckClientSecret(ctx, "immich", tc.value)
		if err != nil || ok != tc.ok {
			t.Errorf("CheckClientSecret: %v, %v; want %v", ok, err, tc.ok)
		}
	}
	list, err := c.ListSecrets(ctx, "immich")
	if err != nil || len(list) != 1 || list[0].ID != sec.ID {
		t.Errorf("ListSecrets: %+v, %v", list, err)
	}
	if err := c.DeleteSecret(ctx, "immich", sec.ID); err != nil {
		t.Fatal(err)
	}
	if err := c.DeleteSecret(ctx, "immich", sec.ID); !pocketid.IsNotFound(err) {
		t.Errorf("second delete: %v", err)
	}
	if err := c.DeleteClient(ctx, "immich"); err != nil {
		t.Fatal(err)
	}
	var ae *pocketid.APIError
	if _, err := c.GetClient(ctx, "immich"); !errors.As(err, &ae) || ae.Resource != "OIDC client" || ae.RequestID == "" {
		t.Errorf("GET deleted client: %v", err)
	}
}

func TestUpdateFromInputChangesNothing(t *testing.T) {
	// Input of a GET, PUT back, must leave every field, including ones this package does not
	// know, as they were.
	ctx := context.Background()
	var lastPut map[string]json.RawMessage
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPut {
			_ = json.NewDecoder(r.Body).Decode(&lastPut)
		}
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"id":"c","name":"C","description":"d","launchURL":null,"callbackURLs":["https://a/cb"],
			"logoutCallbackURLs":[],"isPublic":false,"pkceEnabled":true,"requiresReauthentication":true,
			"requiresPushedAuthorizationRequests":true,"skipConsent":true,"isGroupRestricted":true,
			"accessTokenDurationMinutes":5,"refreshTokenDurationMinutes":60,"hasLogo":true,"clientType":"standard",
			"credentials":{"federatedIdentities":[{"issuer":"https://i","subject":"s","extra":1}],"secrets":[]},
			"allowedUserGroups":[{"id":"g"}],"futureSetting":{"on":true}}`)
	}))
	defer srv.Close()
	c, _ := pocketid.New(pocketid.Options{BaseURL: srv.URL, APIKey: "k"})
	cur, err := c.GetClient(ctx, "c")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.UpdateClient(ctx, "c", cur.Input()); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"name": `"C"`, "description": `"d"`, "launchURL": "null", "callbackURLs": `["https://a/cb"]`, "logoutCallbackURLs": "[]",
		"isPublic": "false", "pkceEnabled": "true", "requiresReauthentication": "true", "requiresPushedAuthorizationRequests": "true",
		"skipConsent": "true", "isGroupRestricted": "true", "accessTokenDurationMinutes": "5", "refreshTokenDurationMinutes": "60",
		"credentials": `{"federatedIdentities":[{"issuer":"https://i","subject":"s","extra":1}]}`, "futureSetting": `{"on":true}`,
	}
	for k, v := range want {
		if string(lastPut[k]) != v {
			t.Errorf("PUT %s = %s, want %s", k, lastPut[k], v)
		}
	}
	for _, readOnly := range []string{"id", "hasLogo", "clientType", "allowedUserGroups"} {
		if _, ok := lastPut[readOnly]; ok {
			t.Errorf("PUT carries read-only field %s", readOnly)
		}
	}
}

func TestSingularSecretRouteBefore214(t *testing.T) {
	ctx := context.Background()
	srv := pocketidtest.New(t, pocketidtest.Options{Version: "2.13.0"})
	c := newClient(t, srv)
	srv.PutClient(pocketidtest.ClientState{ID: "c1", Name: "C"})
	if _, err := c.ListSecrets(ctx, "c1"); !errors.Is(err, pocketid.ErrSingleSecret) {
		t.Errorf("ListSecrets on 2.13: %v", err)
	}
	for _, v := range []string{"first-secret-value-0123", "second-secret-value-0123"} {
		if _, err := c.AddSecret(ctx, "c1", v, nil); err != nil {
			t.Fatal(err)
		}
	}
	if ok, _ := c.CheckClientSecret(ctx, "c1", "first-secret-value-0123"); ok {
		t.Error("the singular route must replace the secret")
	}
	if ok, _ := c.CheckClientSecret(ctx, "c1", "second-secret-value-0123"); !ok {
		t.Error("the new secret is not valid")
	}
	if log := strings.Join(srv.RequestLog(), "\n"); strings.Contains(log, "/secrets") || !strings.Contains(log, "POST /api/oidc/clients/c1/secret") {
		t.Errorf("routes used:\n%s", log)
	}
}

func TestListClientsPaginates(t *testing.T) {
	srv := pocketidtest.New(t, pocketidtest.Options{})
	c := newClient(t, srv)
	for i := range 150 {
		srv.PutClient(pocketidtest.ClientState{ID: fmt.Sprintf("c%03d", i), Name: fmt.Sprintf("App %03d", i)})
	}
	srv.ResetCounters()
	all, err := c.ListClients(context.Background(), "")
	if err != nil || len(all) != 150 || srv.Reads() != 2 {
		t.Errorf("%d clients in %d reads, err %v; want 150 in 2", len(all), srv.Reads(), err)
	}
	some, err := c.ListClients(context.Background(), "App 14")
	if err != nil || len(some) != 10 {
		t.Errorf("search: %d clients, err %v; want 10", len(some), err)
	}
}

func TestTLSIsVerified(t *testing.T) {
	srv := pocketidtest.New(t, pocketidtest.Options{TLS: true})
	ctx := context.Background()
	noCA, _ := pocketid.New(pocketid.Options{BaseURL: srv.URL, APIKey: pocketidtest.DefaultAPIKey,
		Sleep: func(context.Context, time.Duration) error { t.Error("a certificate error was retried"); return nil }})
	if err := noCA.WaitHealthy(ctx); err == nil || !strings.Contains(err.Error(), "certificate") {
		t.Errorf("without CA: %v", err)
	}
	withCA, err := pocketid.New(pocketid.Options{BaseURL: srv.URL, APIKey: pocketidtest.DefaultAPIKey, CAPEM: srv.CertificatePEM()})
	if err != nil {
		t.Fatal(err)
	}
	if err := withCA.WaitHealthy(ctx); err != nil {
		t.Errorf("with CA: %v", err)
	}
}

func TestWaitHealthy(t *testing.T) {
	srv := pocketidtest.New(t, pocketidtest.Options{})
	// Starting up: 20 answers are 500s (more than a call's retry budget), then connections
	// are dropped for a while.
	n := 0
	srv.SetHook(func(int, *http.Request) pocketidtest.Fault {
		n++
		switch {
		case n <= 20:
			return pocketidtest.Fail500
		case n <= 26:
			return pocketidtest.Drop
		}
		return pocketidtest.NoFault
	})
	waits := 0
	c, _ := pocketid.New(pocketid.Options{BaseURL: srv.URL, APIKey: pocketidtest.DefaultAPIKey,
		Sleep: func(ctx context.Context, _ time.Duration) error { waits++; return ctx.Err() }})
	if err := c.WaitHealthy(context.Background()); err != nil {
		t.Fatal(err)
	}
	// The transport itself retries a GET on a dropped idle connection, so drops cost 3 to 6 waits.
	if waits < 23 || waits > 26 {
		t.Errorf("%d waits, want 23..26 (no attempt cap while waiting for health)", waits)
	}
}
