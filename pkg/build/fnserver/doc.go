// Package fnserver lets the function processes of a render share the render's process.
//
// kustomize executes a function as a process per build; with a hundred directories, a hundred
// processes would each start up and parse the preset catalog again, which costs more than the
// kustomize build itself. Instead, `pocketid-oidc render` serves the function on a Unix socket
// in a private temporary directory (Start), and the process kustomize executes (the same binary,
// in its relay mode) only passes its stdin to the server and the answer back (Relay). The
// function code that runs is the same; its messages still reach the relay's stderr, and its
// failure the relay's exit code, so kustomize sees what it would see from the function itself.
package fnserver
