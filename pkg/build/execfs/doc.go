// Package execfs is a kustomize file system that makes every build execute one given binary as
// pocketid-oidc's function, whatever exec path or container image the function config names.
//
// kustomize reads a function spec from the config's annotation when it loads the config file;
// the only in-process hook between the file on disk and the plugin loader is the file system,
// so the rewrite happens there, on read (fnspec.Rewrite). Files that are not our function's
// config are passed through byte for byte.
package execfs
