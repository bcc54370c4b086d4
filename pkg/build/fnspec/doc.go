// Package fnspec recognises pocketid-oidc's function config among kustomize transformer and
// generator configs, and rewrites its function annotation so that kustomize executes a given
// binary instead of the exec path or container image the config names.
//
// A config is ours when it carries a function annotation (config.kubernetes.io/function, the
// older config.k8s.io/function, or the legacy config.kubernetes.io/container) and either is one
// of our kinds (API group oidc.endsys.cloud: PocketIDProvider, or an OIDCIntegration in the
// single-file form), or names our binary (an exec path whose file name is pocketid-oidc) or our
// image (ghcr.io/endsys/pocketid-oidc, any tag or digest). The kind alone decides for configs
// whose binary was installed under another name.
package fnspec
