package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime/debug"

	"github.com/endsys/pocketid-oidc/pkg/build"
	"github.com/endsys/pocketid-oidc/pkg/build/fnserver"
	"github.com/endsys/pocketid-oidc/pkg/build/fnspec"
	"github.com/endsys/pocketid-oidc/pkg/function"
)

const renderUsage = `Usage: pocketid-oidc render [--check | --stdout] [--output NAME] [DIR...]

Renders every kustomization under DIR (default .) that uses pocketid-oidc, directly or through
a Component, into NAME (default rendered.yaml) next to it. The output is what
` + "`kustomize build --enable-alpha-plugins --enable-exec`" + ` prints, byte for byte; kustomize is
built in, and the function runs as this binary whatever exec path or image its config names.
Components themselves are not rendered, nor are kustomizations that only list another one under
resources:. Nothing is written unless every kustomization renders.

  --check         write nothing; print a diff and exit 1 when a committed render is stale
  --stdout        print the render of the one kustomization under DIR (same as --output -)
  --output NAME   file name of the render (default rendered.yaml)
`

// functionFor is the hidden argument render passes to the function processes kustomize starts:
// `pocketid-oidc render --as-function-for DIR [SOCKET]` is the KRM function with DIR in front of
// every line it prints, so that parallel builds name their directory. With SOCKET it relays to
// the render's function server (package fnserver) instead of running the function itself.
const functionFor = "--as-function-for"

func runRender(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) >= 2 && len(args) <= 3 && args[0] == functionFor {
		return runRenderFunction(args[1], args[2:], stdin, stdout, stderr)
	}
	o := build.Options{Out: stdout, Log: stderr}
	fs := flag.NewFlagSet("render", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.BoolVar(&o.Check, "check", false, "")
	fs.BoolVar(&o.Stdout, "stdout", false, "")
	fs.StringVar(&o.Output, "output", build.DefaultOutput, "")
	// Flags may follow directories: parse, take one directory, parse the rest.
	for {
		if err := fs.Parse(args); err == flag.ErrHelp {
			fmt.Fprint(stdout, renderUsage)
			return 0
		} else if err != nil {
			fmt.Fprintf(stderr, "pocketid-oidc render: %v\n\n%s", err, renderUsage)
			return 2
		}
		if fs.NArg() == 0 {
			break
		}
		o.Dirs, args = append(o.Dirs, fs.Arg(0)), fs.Args()[1:]
	}
	self, err := os.Executable()
	if err != nil {
		fmt.Fprintf(stderr, "pocketid-oidc render: cannot find this binary to run as the function: %v\n", err)
		return 1
	}
	// A render is a batch of builds that each allocate and drop a lot (kustomize converts every
	// object between YAML, JSON and maps several times): fewer collections cost a quarter less
	// CPU for about twice the heap (tens of MB) on a 100-app repository. GOGC still decides.
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
	server := []string{}
	if srv, err := fnserver.Start(function.Run); err == nil {
		defer srv.Close()
		server = append(server, srv.Addr())
	} // else each function process runs the function itself: slower, same output
	o.Exec = func(dir string) fnspec.Exec {
		return fnspec.Exec{Path: self, Args: append([]string{"render", functionFor, dir}, server...)}
	}
	if err := build.Render(o); err != nil {
		fmt.Fprintf(stderr, "pocketid-oidc render: %v\n", err)
		return 1
	}
	return 0
}

// runRenderFunction is the process kustomize executes as the function of the build of dir.
func runRenderFunction(dir string, server []string, stdin io.Reader, stdout, stderr io.Writer) int {
	lw := &build.LineWriter{W: stderr, Prefix: dir + ": "}
	ok, err := false, fnserver.ErrUnreachable
	if len(server) == 1 {
		ok, err = fnserver.Relay(server[0], stdin, stdout, lw)
	}
	if errors.Is(err, fnserver.ErrUnreachable) { // nothing read or written yet
		ok, err = function.Run(stdin, stdout, lw), nil
	}
	if err != nil {
		fmt.Fprintf(lw, "error: %v\n", err)
	}
	if lw.Flush() != nil || !ok {
		return 1
	}
	return 0
}
