package build

import (
	"errors"
	"runtime"
	"strings"
	"sync"
	"time"

	"sigs.k8s.io/kustomize/api/krusty"
	"sigs.k8s.io/kustomize/api/types"
	"sigs.k8s.io/kustomize/kyaml/filesys"

	"github.com/endsys/pocketid-oidc/pkg/build/execfs"
	"github.com/endsys/pocketid-oidc/pkg/build/fnspec"
)

// Result is the build of one root.
type Result struct {
	Dir      string
	YAML     []byte // what `kustomize build` prints
	Objects  int
	Duration time.Duration
	Err      error
}

// Build builds the kustomization in dir the way `kustomize build --enable-alpha-plugins
// --enable-exec dir` does, with our function executed as e.
func Build(dir string, e fnspec.Exec) Result {
	start := time.Now()
	r := Result{Dir: dir}
	m, err := krusty.MakeKustomizer(options()).Run(execfs.New(filesys.MakeFsOnDisk(), e), dir)
	if err == nil {
		r.Objects = m.Size()
		r.YAML, err = m.AsYaml()
	}
	r.Err, r.Duration = err, time.Since(start)
	return r
}

// options are the kustomize CLI's for `build --enable-alpha-plugins --enable-exec` with every
// other flag at its default (kustomize/commands/build: HonorKustomizeFlags).
func options() *krusty.Options {
	o := krusty.MakeDefaultOptions()
	// The CLI leaves the deprecated --reorder unset, which means "as the kustomization's
	// sortOptions say, legacy without them".
	o.Reorder = krusty.ReorderOptionUnspecified
	o.PluginConfig = types.EnabledPluginConfig(types.BploUseStaticallyLinked)
	o.PluginConfig.FnpLoadingOptions.EnableExec = true
	o.PluginConfig.FnpLoadingOptions.NetworkName = "bridge"
	o.PluginConfig.HelmConfig.Command = "helm"
	return o
}

// All builds dirs, at most parallel at a time (GOMAXPROCS when parallel < 1), executing the
// function of each as execFor(dir). report is called once per root as its build finishes, never
// concurrently; the results come back in the order of dirs.
func All(dirs []string, execFor func(dir string) fnspec.Exec, parallel int, report func(Result)) []Result {
	if parallel < 1 {
		parallel = runtime.GOMAXPROCS(0)
	}
	results := make([]Result, len(dirs))
	slots := make(chan struct{}, parallel)
	var wg sync.WaitGroup
	var mu sync.Mutex
	for i, dir := range dirs {
		wg.Add(1)
		slots <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-slots }()
			r := Build(dir, execFor(dir))
			if r.Err != nil {
				// kustomize ends some messages with a space ("exit status 1 ").
				r.Err = errors.New(dir + ": " + strings.TrimSpace(r.Err.Error()))
			}
			results[i] = r
			mu.Lock()
			defer mu.Unlock()
			if report != nil {
				report(r)
			}
		}()
	}
	wg.Wait()
	return results
}
