package provision

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/endsys/pocketid-oidc/pkg/pocketid"
	"github.com/endsys/pocketid-oidc/pkg/pocketid/pocketidtest"
)

// BenchmarkProvision100 provisions 100 clients (restricted to a group, with a secret) against
// the fake: the first run creates them all, the no-op run changes nothing. It reports requests
// per client, every request counted: admin reads and writes, token-endpoint proofs, and the
// run's own requests (the version, the group listing, the client listing, the group's member
// list) spread over the clients. Goals: first run < 2 s; no-op <= 2 requests per client, the
// run's own and the secret proof included, 0 writes. (Measured: 1.04, one proof per client
// and 4 requests per run.)
func BenchmarkProvision100(b *testing.B) {
	const n = 100
	dir := b.TempDir()
	var sb strings.Builder
	for i := range n {
		id := fmt.Sprintf("app-%03d", i)
		file := filepath.Join(dir, id)
		if err := os.WriteFile(file, []byte(fmt.Sprintf("%s-secret-value-0123456789\n", id)), 0o600); err != nil {
			b.Fatal(err)
		}
		fmt.Fprintf(&sb, "---\napiVersion: oidc.endsys.cloud/v1alpha1\nkind: OIDCClient\nspec:\n  id: %s\n  name: App %d\n  callbackURLs: [https://%s.example.com/cb]\n  launchURL: https://%s.example.com\n  allowedGroups: [family]\n  secret: {file: %s}\n", id, i, id, id, file)
	}
	docs, err := ParseDocuments([]byte(sb.String()), "bench.yaml")
	if err != nil {
		b.Fatal(err)
	}
	setup := func() (*pocketidtest.Server, *pocketid.Client) {
		// Throughput, not the limiter, is measured: DISABLE_RATE_LIMITING=true.
		srv := pocketidtest.New(nil, pocketidtest.Options{DisableRateLimiting: true})
		srv.AddGroup("family")
		api, err := pocketid.New(pocketid.Options{BaseURL: srv.URL, APIKey: pocketidtest.DefaultAPIKey})
		if err != nil {
			b.Fatal(err)
		}
		return srv, api
	}
	run := func(api *pocketid.Client) {
		res, err := Run(context.Background(), docs, Options{Client: api})
		if err != nil || !res.OK() {
			b.Fatalf("run: %v %+v", err, res.Summary)
		}
	}
	b.Run("first-run", func(b *testing.B) {
		var reads, writes, total int
		for b.Loop() {
			b.StopTimer()
			srv, api := setup()
			b.StartTimer()
			run(api)
			b.StopTimer()
			reads, writes, total = reads+srv.Reads(), writes+srv.Writes(), total+srv.Total()
			srv.Close()
			b.StartTimer()
		}
		per := float64(b.N * n)
		b.ReportMetric(float64(reads)/per, "reads/client")
		b.ReportMetric(float64(writes)/per, "writes/client")
		b.ReportMetric(float64(total)/per, "requests/client")
	})
	b.Run("no-op", func(b *testing.B) {
		srv, api := setup()
		defer srv.Close()
		run(api)
		srv.ResetCounters()
		base := srv.Total()
		iters := 0
		for b.Loop() {
			run(api)
			iters++
		}
		if srv.Writes() != 0 {
			b.Errorf("no-op runs made %d writes", srv.Writes())
		}
		per := float64(iters * n)
		total := srv.Total() - base
		if perClient := float64(total) / per; perClient > 2 {
			b.Errorf("no-op: %.2f requests per client (the run's own included), want <= 2", perClient)
		}
		if proofs := srv.TokenRequests(); proofs != iters*n {
			b.Errorf("no-op: %d secret proofs in %d runs of %d clients, want one per client", proofs, iters, n)
		}
		b.ReportMetric(float64(srv.Reads())/per, "reads/client")
		b.ReportMetric(float64(srv.TokenRequests())/per, "proofs/client")
		b.ReportMetric(float64(srv.Writes())/per, "writes/client")
		b.ReportMetric(float64(total)/per, "requests/client")
	})
}
