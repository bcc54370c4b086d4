//go:build unix

package bench

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/kptdev/krm-functions-sdk/go/fn"
)

// sizes are the two sizes: 5,000 items and twice that, to show how cost grows.
var sizes = []int{5000, 10000}

func presets() []string {
	if v, ok := os.LookupEnv("BENCH_PRESETS"); ok {
		return strings.Split(v, ",")
	}
	return DefaultPresets
}

// TestGenerate keeps the generator honest (counts, and every integration has its HelmRelease in
// its namespace) without running any benchmark, so plain `go test ./...` stays fast.
func TestGenerate(t *testing.T) {
	for _, n := range []int{10, 97, 1000} {
		rl, err := fn.ParseResourceList(Generate(n, presets()))
		if err != nil {
			t.Fatalf("n=%d: generated ResourceList does not parse: %v", n, err)
		}
		if got := rl.FunctionConfig.GetKind(); got != "PocketIDProvider" {
			t.Errorf("n=%d: functionConfig kind %q, want PocketIDProvider", n, got)
		}
		byKind := map[string]int{}
		releases := map[string]bool{}
		for _, o := range rl.Items {
			byKind[o.GetKind()]++
			if o.GetKind() == "HelmRelease" {
				releases[o.GetNamespace()+"/"+o.GetName()] = true
			}
		}
		want := CountsFor(n)
		got := Counts{byKind["HelmRelease"], byKind["OIDCIntegration"], byKind["Deployment"], byKind["Service"], byKind["ConfigMap"]}
		if got != want || got.Total() != n || len(rl.Items) != n {
			t.Errorf("n=%d: got %+v (%d items), want %+v", n, got, len(rl.Items), want)
		}
		for _, o := range rl.Items {
			if o.GetKind() == "OIDCIntegration" && !releases[o.GetNamespace()+"/"+o.GetName()] {
				t.Errorf("n=%d: integration %s/%s has no HelmRelease", n, o.GetNamespace(), o.GetName())
			}
		}
	}
}

// BenchmarkFunction runs pocketid-oidc and the identity function on the same input, alternately
// (so machine noise hits both alike), and reports:
//
//	ratio        median wall time of ours / median of identity (issue 2's goal: <= 1.5)
//	cpu-ratio    the same for user+system CPU time, which a busy machine disturbs less
//	ours-s, identity-s       median wall seconds per run
//	ours-MiB, identity-MiB   peak RSS (getrusage ru_maxrss of the child)
//
// Run it with `make bench` (it sets POCKETID_OIDC_BIN; without it the binary is built here).
func BenchmarkFunction(b *testing.B) {
	dir := b.TempDir()
	ours := os.Getenv("POCKETID_OIDC_BIN")
	if ours == "" {
		ours = build(b, dir, "pocketid-oidc", "../../fn")
	}
	identity := build(b, dir, "identity", "./identity")
	for _, n := range sizes {
		input := filepath.Join(dir, fmt.Sprintf("rl-%d.yaml", n))
		if err := os.WriteFile(input, Generate(n, presets()), 0o644); err != nil {
			b.Fatal(err)
		}
		b.Run(fmt.Sprintf("objects=%d", n), func(b *testing.B) {
			// One untimed run each: page cache warm, and a function that rejects the input
			// fails here with its own message instead of producing a meaningless ratio.
			run(b, ours, input)
			run(b, identity, input)
			var oursT, idT, oursCPU, idCPU []time.Duration
			var oursRSS, idRSS int64
			for b.Loop() {
				r := run(b, ours, input)
				oursT, oursCPU, oursRSS = append(oursT, r.wall), append(oursCPU, r.cpu), max(oursRSS, r.maxRSS)
				r = run(b, identity, input)
				idT, idCPU, idRSS = append(idT, r.wall), append(idCPU, r.cpu), max(idRSS, r.maxRSS)
			}
			o, i := median(oursT), median(idT)
			b.ReportMetric(float64(o)/float64(i), "ratio")
			b.ReportMetric(float64(median(oursCPU))/float64(median(idCPU)), "cpu-ratio")
			b.ReportMetric(o.Seconds(), "ours-s")
			b.ReportMetric(i.Seconds(), "identity-s")
			b.ReportMetric(float64(oursRSS)/(1<<20), "ours-MiB")
			b.ReportMetric(float64(idRSS)/(1<<20), "identity-MiB")
			// ns/op would otherwise be the sum of both binaries, which means nothing.
			b.ReportMetric(float64(o.Nanoseconds()), "ns/op")
		})
	}
}

// BenchmarkSDKIdentity is the identity function in-process, for profiling the SDK's own parse
// and serialize path:
//
//	go test -run '^$' -bench SDKIdentity -benchtime 3x -cpuprofile cpu.out ./tests/bench
func BenchmarkSDKIdentity(b *testing.B) {
	identity := fn.ResourceListProcessorFunc(func(*fn.ResourceList) (bool, error) { return true, nil })
	for _, n := range sizes {
		input := Generate(n, presets())
		b.Run(fmt.Sprintf("objects=%d", n), func(b *testing.B) {
			b.SetBytes(int64(len(input)))
			for b.Loop() {
				if _, err := fn.Run(identity, input); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

type result struct {
	wall   time.Duration
	cpu    time.Duration // user + system
	maxRSS int64         // bytes
}

func run(b *testing.B, bin, input string) result {
	b.Helper()
	in, err := os.Open(input)
	if err != nil {
		b.Fatal(err)
	}
	defer in.Close()
	out, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		b.Fatal(err)
	}
	defer out.Close()
	cmd := exec.Command(bin)
	// Files, not pipes: the child reads and writes its fds directly, with no copying goroutine
	// in this process competing for the two cores.
	cmd.Stdin, cmd.Stdout = in, out
	return measure(b, cmd, filepath.Base(bin)+" < "+filepath.Base(input))
}

// measure runs cmd (stderr captured for the failure message) and returns its wall time, CPU time
// and peak RSS. The CPU time includes the processes it waited for (wait4's rusage), so that a
// command which runs the function as a child is charged for it.
func measure(b *testing.B, cmd *exec.Cmd, what string) result {
	b.Helper()
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	start := time.Now()
	err := cmd.Run()
	wall := time.Since(start)
	if err != nil {
		b.Fatalf("%s: %v\n%s", what, err, tail(stderr.String(), 2000))
	}
	rss := cmd.ProcessState.SysUsage().(*syscall.Rusage).Maxrss
	if runtime.GOOS != "darwin" { // Linux and the BSDs report KiB, macOS bytes
		rss *= 1024
	}
	cpu := cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	return result{wall: wall, cpu: cpu, maxRSS: rss}
}

// build compiles a binary the way the Makefile builds ours, so both sides get the same flags.
func build(b *testing.B, dir, name, pkg string) string {
	b.Helper()
	bin := filepath.Join(dir, name)
	cmd := exec.Command("go", "build", "-trimpath", "-ldflags=-s -w", "-o", bin, pkg)
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		b.Fatalf("go build %s: %v\n%s", pkg, err, out)
	}
	return bin
}

func median(d []time.Duration) time.Duration {
	s := slices.Clone(d)
	slices.Sort(s)
	return s[len(s)/2]
}

func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return "..." + s[len(s)-n:]
}
