//go:build unix

package bench

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/endsys/pocketid-oidc/pkg/build/discover"
)

// renderApps is the repository size: 100 app directories, 4 per namespace.
const renderApps = 100

// TestGenerateRepo keeps the repository generator honest without a binary: every app directory
// is a root render would build, the Component is not.
func TestGenerateRepo(t *testing.T) {
	dir := t.TempDir()
	if err := GenerateRepo(dir, 12, presets(), "/nowhere/pocketid-oidc"); err != nil {
		t.Fatal(err)
	}
	roots, err := discover.Roots(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(roots) != 12 {
		t.Fatalf("%d roots, want 12: %v", len(roots), roots)
	}
	if want := filepath.Join(dir, "apps", ns(0), app(0)); roots[0] != want {
		t.Errorf("first root %s, want %s", roots[0], want)
	}
}

// BenchmarkRender compares `pocketid-oidc render --check` of a generated 100-app repository with
// the loop CI ran before it (`kustomize build --enable-alpha-plugins --enable-exec DIR >
// DIR/rendered.yaml` per app directory), alternately, and reports:
//
//	ratio        median wall time of render --check / median of the loop (issue 11's goal: <= 0.2)
//	cpu-ratio    the same for user+system CPU time, the function processes included
//	render-s, loop-s   median wall seconds per run
//
// Each loop run rewrites the renders and the next render --check must find them up to date, so
// every iteration also checks that both produce the same bytes. `make bench` sets
// POCKETID_OIDC_BIN and KUSTOMIZE.
func BenchmarkRender(b *testing.B) {
	kustomize := os.Getenv("KUSTOMIZE")
	if kustomize == "" {
		b.Fatal("KUSTOMIZE is not set: run `make bench`, or `export KUSTOMIZE=$(hack/tools.sh kustomize)`")
	}
	dir := b.TempDir()
	ours := os.Getenv("POCKETID_OIDC_BIN")
	if ours == "" {
		ours = build(b, dir, "pocketid-oidc", "../../fn")
	}
	repo := filepath.Join(dir, "repo")
	if err := GenerateRepo(repo, renderApps, presets(), ours); err != nil {
		b.Fatal(err)
	}
	roots, err := discover.Roots(repo)
	if err != nil {
		b.Fatal(err)
	}
	if len(roots) != renderApps {
		b.Fatalf("%d app directories, want %d", len(roots), renderApps)
	}
	render := func(args ...string) result {
		cmd := exec.Command(ours, append([]string{"render"}, args...)...)
		cmd.Dir = repo
		return measure(b, cmd, "pocketid-oidc render "+fmt.Sprint(args))
	}
	loop := func() result {
		var total result
		start := time.Now()
		for _, d := range roots {
			out, err := os.Create(filepath.Join(d, "rendered.yaml"))
			if err != nil {
				b.Fatal(err)
			}
			cmd := exec.Command(kustomize, "build", "--enable-alpha-plugins", "--enable-exec", d)
			cmd.Stdout = out
			r := measure(b, cmd, "kustomize build "+d)
			out.Close()
			total.cpu += r.cpu
			total.maxRSS = max(total.maxRSS, r.maxRSS)
		}
		total.wall = time.Since(start)
		return total
	}
	b.Run(fmt.Sprintf("apps=%d", renderApps), func(b *testing.B) {
		// Untimed: the renders exist, and the first check proves kustomize wrote the same bytes.
		loop()
		render("--check")
		var renderT, loopT, renderCPU, loopCPU []time.Duration
		for b.Loop() {
			r := render("--check")
			renderT, renderCPU = append(renderT, r.wall), append(renderCPU, r.cpu)
			r = loop()
			loopT, loopCPU = append(loopT, r.wall), append(loopCPU, r.cpu)
		}
		o, l := median(renderT), median(loopT)
		b.ReportMetric(float64(o)/float64(l), "ratio")
		b.ReportMetric(float64(median(renderCPU))/float64(median(loopCPU)), "cpu-ratio")
		b.ReportMetric(o.Seconds(), "render-s")
		b.ReportMetric(l.Seconds(), "loop-s")
		b.ReportMetric(float64(o.Nanoseconds()), "ns/op")
	})
}
