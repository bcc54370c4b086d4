//go:build unix

package bench

import (
	"fmt"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/endsys/pocketid-oidc/pkg/pocketid/pocketidtest"
)

// provisionClients is BenchmarkProvision's namespace: as many apps as BenchmarkProvision100.
const provisionClients = 100

// BenchmarkProvision runs `pocketid-oidc provision` (the binary, as the Job's container does)
// against the fake Pocket ID with Pocket ID's own rate limiter (100/s, burst 300, full at the
// start of each run), and reports, as medians over the iterations:
//
//	first-s          a run that creates 100 clients (restricted to a group, with a secret)
//	noop-s           the same run again, nothing to change
//	noop-req/client  every request of the no-op run (the run's own ones and the secret proofs
//	                 included) per client; goal <= 2
//	noop-writes      admin writes of the no-op run; goal 0
//	rotate-s         the provisioner's share of a store rotation: the Secret file of one client
//	                 holds a new value, and the per-integration run (one document) registers it;
//	                 the token endpoint is then asked, as the app asks it, and must accept it
//	rotate-req       requests of that run
//
// Wall times include the process start, so they are what a pod's container spends, minus
// image pull and volume mount.
func BenchmarkProvision(b *testing.B) {
	dir := b.TempDir()
	bin := os.Getenv("POCKETID_OIDC_BIN")
	if bin == "" {
		bin = build(b, dir, "pocketid-oidc", "../../fn")
	}
	var first, noop, rotate []time.Duration
	var noopReq, noopWrites, rotateReq float64
	iter := 0
	for b.Loop() {
		b.StopTimer()
		iter++
		// Runs are hours apart in a cluster, seconds apart here: between two runs the server's
		// clock jumps 10 s, so its limiter's bucket is full again, as it would be.
		var offset atomic.Int64
		rest := func() { offset.Add(int64(10 * time.Second)) }
		srv := pocketidtest.New(nil, pocketidtest.Options{Now: func() time.Time { return time.Now().Add(time.Duration(offset.Load())) }})
		srv.AddGroup("family")
		work := filepath.Join(dir, fmt.Sprint(iter))
		docs := filepath.Join(work, "clients")
		must(b, os.MkdirAll(docs, 0o755))
		keyFile := filepath.Join(work, "api-key")
		must(b, os.WriteFile(keyFile, []byte(pocketidtest.DefaultAPIKey+"\n"), 0o600))
		for i := range provisionClients {
			id := fmt.Sprintf("app-%03d", i)
			must(b, os.WriteFile(filepath.Join(work, id), []byte(benchSecret(i, 0)+"\n"), 0o600))
			doc := fmt.Sprintf("apiVersion: oidc.endsys.cloud/v1alpha1\nkind: OIDCClient\nspec:\n  id: %s\n  name: App %d\n  callbackURLs: [https://%s.example.com/cb]\n  allowedGroups: [family]\n  secret: {file: %s}\n",
				id, i, id, filepath.Join(work, id))
			must(b, os.WriteFile(filepath.Join(docs, id+".yaml"), []byte(doc), 0o644))
		}
		provision := func(files ...string) time.Duration {
			args := []string{"provision"}
			for _, f := range files {
				args = append(args, "-f", f)
			}
			cmd := exec.Command(bin, args...)
			cmd.Env = []string{"POCKETID_URL=" + srv.URL, "POCKETID_API_KEY_FILE=" + keyFile}
			return measure(b, cmd, "provision").wall
		}
		b.StartTimer()

		first = append(first, provision(docs))
		b.StopTimer()
		rest()
		b.StartTimer()
		srv.ResetCounters()
		base := srv.Total()
		noop = append(noop, provision(docs))
		noopReq += float64(srv.Total()-base) / provisionClients
		noopWrites += float64(srv.Writes())

		b.StopTimer()
		rest()
		b.StartTimer()
		// The store rotates app-042's secret; its CronJob's run has its one document.
		must(b, os.WriteFile(filepath.Join(work, "app-042"), []byte(benchSecret(42, 1)+"\n"), 0o600))
		base = srv.Total()
		rotate = append(rotate, provision(filepath.Join(docs, "app-042.yaml")))
		rotateReq += float64(srv.Total() - base)
		b.StopTimer()
		if got := tokenStatus(b, srv.URL, "app-042", benchSecret(42, 1)); got != http.StatusOK {
			b.Fatalf("after the rotation run the token endpoint answers the new secret %d", got)
		}
		srv.Close()
		b.StartTimer()
	}
	n := float64(iter)
	b.ReportMetric(median(first).Seconds(), "first-s")
	b.ReportMetric(median(noop).Seconds(), "noop-s")
	b.ReportMetric(noopReq/n, "noop-req/client")
	b.ReportMetric(noopWrites/n, "noop-writes")
	b.ReportMetric(median(rotate).Seconds(), "rotate-s")
	b.ReportMetric(rotateReq/n, "rotate-req")
	if noopReq/n > 2 || noopWrites > 0 {
		b.Errorf("no-op: %.2f requests per client and %.0f writes, want <= 2 and 0", noopReq/n, noopWrites/n)
	}
}

// benchSecret is client i's secret, generation gen: a distinct prefix per generation, as a
// generated secret has.
func benchSecret(i, gen int) string {
	return fmt.Sprintf("g%d%02d-bench-secret-%03d-0123456789", gen, i%100, i)
}

// tokenStatus is the app's login: a client_credentials grant with client_secret_post.
func tokenStatus(b *testing.B, base, id, secret string) int {
	b.Helper()
	resp, err := http.PostForm(base+"/api/oidc/token", url.Values{
		"grant_type": {"client_credentials"}, "client_id": {id}, "client_secret": {secret},
	})
	if err != nil {
		b.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

func must(b *testing.B, err error) {
	b.Helper()
	if err != nil {
		b.Fatal(err)
	}
}
