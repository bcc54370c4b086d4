package main

import (
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/endsys/pocketid-oidc/pkg/build"
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

// functionFor is the hidden argument render passes to the function processes it starts:
// `pocketid-oidc render --as-function-for DIR` is the KRM function with DIR in front of every
// line it prints, so that parallel builds name their directory.
const functionFor = "--as-function-for"

func runRender(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 2 && args[0] == functionFor {
		lw := &build.LineWriter{W: stderr, Prefix: args[1] + ": "}
		ok := function.Run(stdin, stdout, lw)
		if lw.Flush() != nil || !ok {
			return 1
		}
		return 0
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
	o.Exec = func(dir string) fnspec.Exec {
		return fnspec.Exec{Path: self, Args: []string{"render", functionFor, dir}}
	}
	if err := build.Render(o); err != nil {
		fmt.Fprintf(stderr, "pocketid-oidc render: %v\n", err)
		return 1
	}
	return 0
}
