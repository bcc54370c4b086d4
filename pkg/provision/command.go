package provision

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/endsys/pocketid-oidc/pkg/contract"
	"github.com/endsys/pocketid-oidc/pkg/pocketid"
)

// Exit codes of `pocketid-oidc provision`; pkg/contract says which failure exits with which,
// and what a retry of the same pod can achieve.
const (
	ExitOK     = contract.ExitOK        // every client converged (plan: could be planned)
	ExitFailed = contract.ExitFailed    // a failure a person or the store must fix: retry with backoff
	ExitUsage  = contract.ExitUsage     // bad flags, environment or client documents: nothing was tried, never retry
	ExitRetry  = contract.ExitTransient // only transient failures (Pocket ID away until --timeout): run again
)

// Environment variables the command reads.
const (
	EnvURL        = contract.EnvURL
	EnvAPIKey     = contract.EnvAPIKey
	EnvAPIKeyFile = contract.EnvAPIKeyFile
	EnvCAFile     = contract.EnvCAFile
)

const usage = `Usage: pocketid-oidc provision --client-file PATH [--client-file PATH...] [flags]

Makes Pocket ID match OIDCClient documents: creates missing clients, repairs drift in the fields
it manages, sets allowed groups, registers and rotates client secrets, deletes state: absent.

Flags:
  -f, --client-file PATH   OIDCClient YAML file, or directory of *.yaml/*.yml (repeatable)
      --plan               change nothing; print what would change
      --strict             fail a client whose requirements Pocket ID's configuration lacks
      --ca-file PATH       extra PEM CA for Pocket ID's certificate (or POCKETID_CA_FILE)
      --timeout DURATION   overall deadline, waiting for Pocket ID included (default 5m)
      --log-format FORMAT  auto, json or text (auto: text on a terminal, else json)

Environment:
  POCKETID_URL            Pocket ID base URL (required)
  POCKETID_API_KEY        admin API key, or
  POCKETID_API_KEY_FILE   a file holding it
  POCKETID_CA_FILE        as --ca-file

Exit codes: 0 every client converged, 1 a failure a person must fix, 2 usage error,
3 only transient failures (Pocket ID unreachable or overloaded until --timeout): run again.
`

// Env is what Main takes from its surroundings; tests replace all of it.
type Env struct {
	Stdout, Stderr io.Writer
	// Getenv defaults to os.Getenv.
	Getenv func(string) string
	// IsTerminal decides --log-format auto. Default: the writer is a character device.
	IsTerminal func(io.Writer) bool
	// Sleep and Now are passed to the API client and the reconciler (tests).
	Sleep func(context.Context, time.Duration) error
	Now   func() time.Time
	// Retry overrides the API client's retry policy (tests).
	Retry pocketid.RetryPolicy
}

type stringList []string

func (s *stringList) String() string     { return strings.Join(*s, ",") }
func (s *stringList) Set(v string) error { *s = append(*s, v); return nil }

// Main is `pocketid-oidc provision`.
func Main(ctx context.Context, args []string, env Env) int {
	if env.Getenv == nil {
		env.Getenv = os.Getenv
	}
	if env.IsTerminal == nil {
		env.IsTerminal = isTerminal
	}
	fs := flag.NewFlagSet("provision", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	var files stringList
	fs.Var(&files, "client-file", "")
	fs.Var(&files, "f", "")
	plan := fs.Bool("plan", false, "")
	strict := fs.Bool("strict", false, "")
	caFile := fs.String("ca-file", "", "")
	timeout := 5 * time.Minute
	fs.Var(durationFlag{&timeout}, "timeout", "")
	logFormat := fs.String("log-format", "auto", "")
	usageErr := func(format string, a ...any) int {
		fmt.Fprintf(env.Stderr, "pocketid-oidc provision: "+format+"\n\n%s", append(a, usage)...)
		return ExitUsage
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(env.Stdout, usage)
			return ExitOK
		}
		return usageErr("%v", err)
	}
	if fs.NArg() > 0 {
		return usageErr("unexpected argument %q", fs.Arg(0))
	}
	if len(files) == 0 {
		return usageErr("--client-file is required")
	}
	if timeout <= 0 {
		return usageErr("--timeout must be positive")
	}

	// Logs are the output of a run; with --plan the plan is, and logs move to stderr.
	logOut := env.Stdout
	if *plan {
		logOut = env.Stderr
	}
	var handler slog.Handler
	switch *logFormat {
	case "json":
		handler = slog.NewJSONHandler(logOut, nil)
	case "text":
		handler = slog.NewTextHandler(logOut, nil)
	case "auto":
		if env.IsTerminal(logOut) {
			handler = slog.NewTextHandler(logOut, nil)
		} else {
			handler = slog.NewJSONHandler(logOut, nil)
		}
	default:
		return usageErr("--log-format must be auto, json or text, not %q", *logFormat)
	}
	log := slog.New(handler)

	configErr := func(err error) int {
		log.Error("configuration error", "error", err.Error())
		return ExitUsage
	}
	baseURL := env.Getenv(EnvURL)
	if baseURL == "" {
		return configErr(fmt.Errorf("%s is not set", EnvURL))
	}
	// What the pod spec says (flags, env, documents) is checked before what the mounted
	// Secrets hold: the first can never succeed on a retry (exit 2), the second is fixed in the
	// store and read again by the next pod (exit 1).
	keyFile, err := apiKeySource(env.Getenv)
	if err != nil {
		return configErr(err)
	}
	if *caFile == "" {
		*caFile = env.Getenv(EnvCAFile)
	}
	docs, err := LoadFiles(files)
	if err != nil {
		return configErr(err)
	}
	if _, err := pocketid.ParseBaseURL(baseURL); err != nil {
		return configErr(err)
	}
	contentErr := func(err error) int {
		log.Error("unusable mounted file", "status", "failed", "cause", CauseMountedFile, "retryable", false, "error", err.Error())
		return ExitFailed
	}
	key := env.Getenv(EnvAPIKey)
	if keyFile != "" {
		if key, err = ReadSecretFile(keyFile); err != nil {
			return contentErr(fmt.Errorf("%s: %w", EnvAPIKeyFile, err))
		}
	}
	var caPEM []byte
	if *caFile != "" {
		if caPEM, err = os.ReadFile(*caFile); err != nil {
			return contentErr(fmt.Errorf("CA file: %w", err))
		}
	}
	api, err := pocketid.New(pocketid.Options{
		BaseURL: baseURL, APIKey: key, CAPEM: caPEM, Retry: env.Retry, Sleep: env.Sleep, Now: env.Now,
		Logger: log,
	})
	if err != nil {
		return contentErr(err)
	}

	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	res, err := Run(ctx, docs, Options{Client: api, Plan: *plan, Strict: *strict, Logger: log, Now: env.Now})
	if err != nil {
		cause := causeOf(err)
		attrs := append([]any{"status", "failed", "cause", cause, "retryable", cause == CauseUnavailable}, errorAttrs(err)...)
		log.Error("pocket id unusable", attrs...)
		if cause == CauseUnavailable {
			return ExitRetry
		}
		return ExitFailed
	}
	if *plan {
		if err := WritePlan(env.Stdout, res); err != nil {
			return ExitFailed
		}
	}
	switch {
	case res.OK():
		return ExitOK
	case res.Transient():
		return ExitRetry
	default:
		return ExitFailed
	}
}

// durationFlag is --timeout: a bare number is the common slip ("--timeout 5"), and the flag
// package's "parse error" does not say what is wrong with it.
type durationFlag struct{ d *time.Duration }

func (f durationFlag) String() string {
	if f.d == nil {
		return ""
	}
	return f.d.String()
}

func (f durationFlag) Set(s string) error {
	d, err := time.ParseDuration(s)
	if err == nil {
		*f.d = d
		return nil
	}
	if _, nerr := strconv.ParseFloat(s, 64); nerr == nil {
		return fmt.Errorf("%q has no unit: write %ss for seconds or %sm for minutes", s, s, s)
	}
	return fmt.Errorf("%q is not a duration: write e.g. 90s, 5m or 1h", s)
}

// apiKeySource checks that exactly one of POCKETID_API_KEY and POCKETID_API_KEY_FILE is set and
// returns the file ("" when the key is in the environment).
func apiKeySource(getenv func(string) string) (string, error) {
	key, file := getenv(EnvAPIKey), getenv(EnvAPIKeyFile)
	switch {
	case key != "" && file != "":
		return "", fmt.Errorf("set %s or %s, not both", EnvAPIKey, EnvAPIKeyFile)
	case key == "" && file == "":
		return "", fmt.Errorf("set %s or %s", EnvAPIKey, EnvAPIKeyFile)
	}
	return file, nil
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
