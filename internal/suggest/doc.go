// Package suggest finds the names a user probably meant: "did you mean OIDCIntegration?" for
// kind: OIDCIntegraton, "did you mean immich?" for preset: immitch.
//
// cobra's suggestions (Levenshtein distance, prefix match) are unexported, and no dependency of
// this module exports one; this is the same rule, small enough to keep here. Names are compared
// case-insensitively and without separators ("open-webui", "OpenWebUI" and "open_webui" are one
// name), so a case slip or a missing dash is always found.
package suggest
