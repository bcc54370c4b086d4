package build

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/endsys/pocketid-oidc/pkg/build/discover"
	"github.com/endsys/pocketid-oidc/pkg/build/fnspec"
)

// DefaultOutput is the file name a render is written to, next to its kustomization.
const DefaultOutput = "rendered.yaml"

// Options of Render.
type Options struct {
	Dirs     []string // searched for roots; "." when empty
	Output   string   // file name of each render, next to its kustomization; DefaultOutput when empty, "-" = Stdout
	Stdout   bool     // print the render of the single root instead of writing it
	Check    bool     // write nothing; a render that differs from the committed one is an error
	Parallel int      // builds at once; GOMAXPROCS when < 1
	// Exec is how the function runs in the build of dir (normally this binary, with dir as
	// LineWriter prefix).
	Exec func(dir string) fnspec.Exec
	// Out gets the render (Stdout) or the diffs (Check); Log a line per root and the errors.
	Out, Log io.Writer
}

// Render finds the roots under o.Dirs, builds them and writes, prints or checks their renders.
// It writes nothing unless every root built; the error summarises what Log shows in detail.
func Render(o Options) error {
	switch o.Output {
	case "":
		o.Output = DefaultOutput
	case "-":
		o.Stdout = true
	default:
		if filepath.Base(o.Output) != o.Output || o.Output == "." || o.Output == ".." {
			return fmt.Errorf("--output takes a file name (written next to each kustomization), got %q", o.Output)
		}
	}
	if len(o.Dirs) == 0 {
		o.Dirs = []string{"."}
	}
	if o.Stdout && o.Check {
		return errors.New("--stdout and --check exclude each other")
	}
	roots, err := discover.Roots(o.Dirs...)
	if err != nil {
		return err
	}
	if len(roots) == 0 {
		return fmt.Errorf("no kustomization under %s uses pocketid-oidc (a transformers, generators "+
			"or validators config, directly or in a Component, of kind PocketIDProvider or "+
			"OIDCIntegration with a config.kubernetes.io/function annotation)", strings.Join(o.Dirs, ", "))
	}
	if o.Stdout && len(roots) > 1 {
		return fmt.Errorf("--stdout renders one kustomization, %s holds %d: %s",
			strings.Join(o.Dirs, ", "), len(roots), strings.Join(roots, ", "))
	}
	var stale []string
	results := All(roots, o.Exec, o.Parallel, func(r Result) {
		if r.Err != nil {
			fmt.Fprintf(o.Log, "%s: failed after %s\n", r.Dir, round(r.Duration))
			return
		}
		status := ""
		if !o.Stdout {
			status = ", unchanged"
			if committed, _ := os.ReadFile(filepath.Join(r.Dir, o.Output)); !bytes.Equal(committed, r.YAML) {
				status = ", changed"
				if o.Check {
					status = ", stale"
				}
				stale = append(stale, r.Dir)
			}
		}
		fmt.Fprintf(o.Log, "%s: %d objects, %s%s\n", r.Dir, r.Objects, round(r.Duration), status)
	})
	var errs []error
	for _, r := range results {
		if r.Err != nil {
			errs = append(errs, r.Err)
		}
	}
	if len(errs) > 0 {
		for _, err := range errs {
			fmt.Fprintf(o.Log, "error: %v\n", err)
		}
		return fmt.Errorf("%d of %d kustomizations failed; nothing written", len(errs), len(roots))
	}
	switch {
	case o.Stdout:
		_, err := o.Out.Write(results[0].YAML)
		return err
	case o.Check:
		return check(o, results, len(stale))
	default:
		return write(o, results)
	}
}

// check prints the diff of every stale render.
func check(o Options, results []Result, stale int) error {
	if stale == 0 {
		return nil
	}
	for _, r := range results {
		path := filepath.Join(r.Dir, o.Output)
		committed, err := os.ReadFile(path)
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		if bytes.Equal(committed, r.YAML) {
			continue
		}
		from := "a/" + filepath.ToSlash(path)
		if err != nil {
			from = "/dev/null"
		}
		d, err := unifiedDiff(committed, r.YAML, from, "b/"+filepath.ToSlash(path))
		if err != nil {
			return err
		}
		if _, err := io.WriteString(o.Out, d); err != nil {
			return err
		}
	}
	return fmt.Errorf("%d of %d renders are stale; run `pocketid-oidc render %s` and commit the result",
		stale, len(results), strings.Join(o.Dirs, " "))
}

// write replaces each changed render in one rename, so a reader (or an interrupted run) never
// sees half a file; an unchanged render is not touched.
func write(o Options, results []Result) error {
	for _, r := range results {
		path := filepath.Join(r.Dir, o.Output)
		if committed, err := os.ReadFile(path); err == nil && bytes.Equal(committed, r.YAML) {
			continue
		}
		tmp, err := os.CreateTemp(r.Dir, "."+o.Output+".*")
		if err != nil {
			return err
		}
		_, err = tmp.Write(r.YAML)
		if cerr := tmp.Close(); err == nil {
			err = cerr
		}
		if err == nil {
			err = os.Chmod(tmp.Name(), 0o644)
		}
		if err == nil {
			err = os.Rename(tmp.Name(), path)
		}
		if err != nil {
			os.Remove(tmp.Name())
			return fmt.Errorf("%s: %w", path, err)
		}
	}
	return nil
}

func round(d time.Duration) time.Duration {
	return d.Round(time.Millisecond)
}
