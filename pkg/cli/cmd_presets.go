package cli

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/endsys/pocketid-oidc/pkg/preset"
)

const presetsUsage = `Usage:
  pocketid-oidc presets          list the app presets (name, display name, delivery, callback paths)
  pocketid-oidc presets <name>   show one preset: env, callbacks, templates, the values it
                                 writes into a HelmRelease of its charts, notes

Values are shown for symbolic input: {app} is spec.url, {issuer} the Pocket ID issuer,
{client-id}, {provider-key}, {button-text}, {secret} (the app Secret). docs/presets.md has
the same content for every preset.
`

// runPresets lists the catalog or describes one preset; both read only the embedded catalog.
func runPresets(args []string, stdout, stderr io.Writer) int {
	c := preset.Default()
	switch {
	case len(args) == 0:
		tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "NAME\tDISPLAY NAME\tDELIVERY\tCALLBACK PATHS")
		for _, name := range c.Names() {
			p, _ := c.Get(name)
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", p.Name, p.DisplayName, p.Delivery, strings.Join(p.CallbackPaths(), " "))
		}
		if err := tw.Flush(); err != nil {
			fmt.Fprintf(stderr, "pocketid-oidc presets: %v\n", err)
			return 1
		}
		return 0
	case len(args) == 1 && (args[0] == "-h" || args[0] == "--help" || args[0] == "help"):
		fmt.Fprint(stdout, presetsUsage)
		return 0
	case len(args) > 1:
		fmt.Fprintf(stderr, "pocketid-oidc presets: one preset name at most\n\n%s", presetsUsage)
		return 2
	}
	p, ok := c.Get(args[0])
	if !ok {
		hint := ""
		if s := c.Suggest(args[0]); len(s) > 0 {
			hint = " (did you mean " + strings.Join(s, " or ") + "?)"
		}
		fmt.Fprintf(stderr, "pocketid-oidc presets: unknown preset %q%s; known: %s\n", args[0], hint, strings.Join(c.Names(), ", "))
		return 1
	}
	if err := describePreset(stdout, p); err != nil {
		fmt.Fprintf(stderr, "pocketid-oidc presets: %v\n", err)
		return 1
	}
	return 0
}

func describePreset(w io.Writer, p *preset.Preset) error {
	r, err := p.Symbolic()
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	row := func(k, v string) { fmt.Fprintf(tw, "%s:\t%s\n", k, v) }
	row("name", p.Name)
	row("app", p.DisplayName)
	row("docs", p.Docs)
	if p.MinVersion != "" {
		row("min version", p.MinVersion)
	}
	row("delivery", string(p.Delivery))
	row("discovery", p.Discovery)
	row("pkce", fmt.Sprint(p.PKCE))
	row("scopes", strings.Join(p.Scopes, " "))
	if p.ProviderKeyPattern != "" {
		row("provider key", "must match "+p.ProviderKeyPattern)
	}
	row("callbacks", strings.Join(r.CallbackURLs, " "))
	if len(r.LogoutCallbackURLs) > 0 {
		row("logout callbacks", strings.Join(r.LogoutCallbackURLs, " "))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if len(r.Wiring.Env) > 0 {
		fmt.Fprintln(w, "\nenv:")
		for _, e := range r.Wiring.Env {
			fmt.Fprintf(w, "  %s = %s\n", e.Name, preset.DescribeEnv(e))
		}
	}
	for _, name := range slices.Sorted(maps.Keys(p.Limits)) {
		fmt.Fprintf(w, "\nlimit: %s takes %s characters; a value outside is an error\n", name, preset.DescribeLimit(p.Limits[name]))
	}
	for _, key := range slices.Sorted(maps.Keys(r.Wiring.SecretTemplates)) {
		fmt.Fprintf(w, "\napp Secret key %s (ExternalSecret template):\n", key)
		for _, line := range strings.Split(strings.TrimSuffix(r.Wiring.SecretTemplates[key], "\n"), "\n") {
			fmt.Fprintf(w, "  %s\n", line)
		}
	}
	for _, f := range r.Wiring.Files {
		fmt.Fprintf(w, "\nfile: key %s of Secret %s, mounted at %s\n", f.SecretKey, f.SecretName, f.MountPath)
	}
	for _, g := range r.Wiring.Generated {
		fmt.Fprintf(w, "\ngenerated: %s, %d random characters\n", g.Key, g.Length)
	}
	if err := describeCharts(w, p, r); err != nil {
		return err
	}
	list(w, "warnings", r.Wiring.Warnings)
	list(w, "notes", r.Wiring.Notes)
	return nil
}

// list prints a titled bullet list, nothing when it is empty.
func list(w io.Writer, title string, items []string) {
	if len(items) == 0 {
		return
	}
	fmt.Fprintf(w, "\n%s:\n", title)
	for _, n := range items {
		fmt.Fprintf(w, "  - %s\n", n)
	}
}
