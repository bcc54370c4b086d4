package v1alpha1

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

const (
	Group      = "oidc.endsys.cloud"
	Version    = "v1alpha1"
	APIVersion = Group + "/" + Version

	KindPocketIDProvider = "PocketIDProvider"
	KindOIDCIntegration  = "OIDCIntegration"
	KindOIDCClient       = "OIDCClient"
)

// Labels and annotations carried by everything the function emits.
const (
	LabelManagedBy       = "app.kubernetes.io/managed-by"
	ManagedByValue       = "pocketid-oidc"
	LabelIntegration     = Group + "/integration"
	AnnotationChecksum   = Group + "/desired-state"
	AnnotationManagedEnv = Group + "/managed-env"
)

// Values of ClientSpec.State.
const (
	StatePresent = "present"
	StateAbsent  = "absent"
)

// Values of HelmReleaseRef.Strategy.
const (
	StrategyAuto         = "auto"
	StrategyValues       = "values"
	StrategyPostRenderer = "postRenderer"
	StrategyNone         = "none"
)

// PocketIDProvider describes one Pocket ID instance and the settings all its apps share.
//
// +kubebuilder:object:root=true
// +kubebuilder:resource:scope=Namespaced
type PocketIDProvider struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`

	Spec ProviderSpec `json:"spec"`
}

// ProviderSpec is shared by every integration of one Pocket ID instance. It appears as the spec
// of a PocketIDProvider and, for the one-file form, inline under OIDCIntegration.spec.provider.
type ProviderSpec struct {
	// Issuer is the OIDC issuer apps are told: Pocket ID's APP_URL, no trailing slash.
	// ${VAR} placeholders (Flux postBuild substitution) are kept as written.
	// +optional
	Issuer string `json:"issuer,omitempty"`

	// APIURL is what the provisioning Job calls, typically the in-cluster Service. Default: Issuer.
	// +optional
	APIURL string `json:"apiURL,omitempty"`

	// SecretStoreRef names the External Secrets store that holds the client secrets (Bitwarden).
	// +optional
	SecretStoreRef *SecretStoreRef `json:"secretStoreRef,omitempty"`

	// APIKey is where the provisioning Job finds a Pocket ID admin API key.
	// +optional
	APIKey *APIKeySource `json:"apiKey,omitempty"`

	// Namespace is where provisioning objects (ConfigMap, Job, API key Secret) live.
	// Default: each app's own namespace, which is the only choice that survives kustomize's
	// `namespace:` and Flux's targetNamespace.
	// +optional
	Namespace string `json:"namespace,omitempty"`

	// Image is the provisioner image. Default: ghcr.io/endsys/pocketid-oidc at this build's version.
	// +optional
	Image string `json:"image,omitempty"`

	// ReconcileSchedule is when each integration's reconcile CronJob re-runs provisioning of its
	// client: drift repair, a secret rotated in the store, finishing rotations, retrying a
	// failed run. Five cron fields (the minute may be H: a minute from a hash of the
	// integration's namespace and name) or an @ descriptor; "never" renders no CronJob.
	// Default: "H * * * *", hourly.
	// +optional
	ReconcileSchedule string `json:"reconcileSchedule,omitempty"`

	// RestartOnSecretChange annotates the app's workload for stakater Reloader
	// (secret.reloader.stakater.com/reload: <app Secret>), so the app restarts when its
	// client secret changes. Without Reloader in the cluster the annotation does nothing.
	// Default: true.
	// +optional
	RestartOnSecretChange *bool `json:"restartOnSecretChange,omitempty"`

	// CAConfigMapRef names a ConfigMap key holding a PEM bundle of a private CA that signed
	// APIURL's certificate. TLS is always verified.
	// +optional
	CAConfigMapRef *KeyRef `json:"caConfigMapRef,omitempty"`

	// JobTTLSecondsAfterFinished lets Kubernetes delete finished provisioning Jobs. Unset by
	// default: Flux prunes Jobs whose hash changed, and a TTL makes Flux re-create the Job.
	// +optional
	JobTTLSecondsAfterFinished *int32 `json:"jobTTLSecondsAfterFinished,omitempty"`
}

// SecretStoreRef points at an External Secrets Operator store.
type SecretStoreRef struct {
	// +kubebuilder:validation:Enum=ClusterSecretStore;SecretStore
	// +optional
	Kind string `json:"kind,omitempty"`
	Name string `json:"name"`
}

// APIKeySource says where the Pocket ID admin API key comes from: exactly one of RemoteKey
// (pulled from the secret store by an ExternalSecret) or SecretRef (an existing Secret).
type APIKeySource struct {
	// +optional
	RemoteKey string `json:"remoteKey,omitempty"`
	// +optional
	SecretRef *KeyRef `json:"secretRef,omitempty"`
}

// KeyRef names one key of a Secret or ConfigMap.
type KeyRef struct {
	Name string `json:"name"`
	// +optional
	Key string `json:"key,omitempty"`
}

// OIDCIntegration wires one app to Pocket ID.
//
// +kubebuilder:object:root=true
// +kubebuilder:resource:scope=Namespaced
type OIDCIntegration struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`

	Spec IntegrationSpec `json:"spec"`
}

// IntegrationSpec is one app's login through Pocket ID.
type IntegrationSpec struct {
	// Preset names an app in the preset catalog (`pocketid-oidc presets`). Empty: only Env.
	// +optional
	Preset string `json:"preset,omitempty"`

	// URL is the app's public URL (absolute, no trailing slash needed).
	URL string `json:"url"`

	// Provider holds the provider settings inline (one app, one file). Where a PocketIDProvider
	// is also given, the fields set here win.
	// +optional
	Provider *ProviderSpec `json:"provider,omitempty"`

	// +optional
	HelmRelease HelmReleaseRef `json:"helmRelease,omitempty"`

	// +optional
	Client ClientSpec `json:"client,omitempty"`

	// Env adds or overrides the app's environment variables. Values are templates that may use
	// {{ .Issuer }}, {{ .DiscoveryURL }}, {{ .ClientID }}, {{ .AppURL }}, {{ .CallbackURL }},
	// {{ .ProviderKey }}, {{ .ButtonText }}, and {{ .ClientSecret }} as a whole value (which
	// becomes a secretKeyRef, never a literal).
	// +optional
	Env map[string]string `json:"env,omitempty"`

	// +optional
	Login LoginOptions `json:"login,omitempty"`

	// +optional
	Secret SecretSpec `json:"secret,omitempty"`

	// Gateway puts the Pocket ID login in front of an app that has no OIDC login of its own:
	// an Envoy Gateway SecurityPolicy on the app's HTTPRoute. Without a preset and env there is
	// nothing to wire into a HelmRelease, and spec.helmRelease may be left out.
	// +optional
	Gateway *GatewaySpec `json:"gateway,omitempty"`
}

// GatewaySpec protects an app's Gateway API HTTPRoute with Envoy Gateway's OIDC login
// (SecurityPolicy spec.oidc, Envoy Gateway v1.5 or later): Envoy sends visitors without a
// session to Pocket ID and keeps the session in cookies. Paths are absolute paths on the app's
// host, as Envoy matches requests, and must be routed by the HTTPRoute.
type GatewaySpec struct {
	// HTTPRouteName is the app's HTTPRoute, in the integration's namespace.
	// Default: metadata.name.
	// +optional
	HTTPRouteName string `json:"httpRouteName,omitempty"`
	// CallbackPath is where Pocket ID sends the browser back with the code.
	// Default: the path of spec.url + /oauth2/callback (Envoy Gateway's own default path).
	// +optional
	CallbackPath string `json:"callbackPath,omitempty"`
	// LogoutPath ends the session: Envoy clears its cookies and sends the browser to Pocket
	// ID's end-session endpoint. Default: the path of spec.url + /logout.
	// +optional
	LogoutPath string `json:"logoutPath,omitempty"`
	// Scopes asked of Pocket ID ("openid" is always added). Default: openid, email, profile.
	// +optional
	Scopes []string `json:"scopes,omitempty"`
	// CookieDomain shares the session with every subdomain of this domain (which must contain
	// the app's host). Default: the app's host only.
	// +optional
	CookieDomain string `json:"cookieDomain,omitempty"`
	// CookieSameSite is the SameSite attribute of the session cookies. Default: Envoy's (none set).
	// +kubebuilder:validation:Enum=Lax;Strict;None
	// +optional
	CookieSameSite string `json:"cookieSameSite,omitempty"`
}

// HelmReleaseRef says which Flux HelmRelease runs the app and how to wire it.
type HelmReleaseRef struct {
	// Name of the HelmRelease, in the integration's namespace. Default: metadata.name.
	// +optional
	Name string `json:"name,omitempty"`
	// Strategy: auto (values for bjw-s app-template, else postRenderer), values, postRenderer,
	// or none (render secrets and provisioning only).
	// +kubebuilder:validation:Enum=auto;values;postRenderer;none
	// +optional
	Strategy string `json:"strategy,omitempty"`
	// Controller of an app-template chart. Default: the only controller, else "main".
	// +optional
	Controller string `json:"controller,omitempty"`
	// Container to wire. Default: the only container, else "main".
	// +optional
	Container string `json:"container,omitempty"`
	// Workload the post-renderer patch targets, for a chart whose app workload is not named
	// the usual way (fullnameOverride, else the release name when it contains the chart name,
	// else <release>-<chart>) or a spec.chartRef whose chart name is unknown. Default: that
	// name, as a Deployment or StatefulSet; for app-template, the controller's workload.
	// +optional
	Workload *WorkloadRef `json:"workload,omitempty"`
}

// WorkloadRef names the one workload, as the chart renders it, that runs the app's pods.
type WorkloadRef struct {
	// Kind of the workload.
	// +kubebuilder:validation:Enum=Deployment;StatefulSet;DaemonSet
	Kind string `json:"kind"`
	// Name of the workload (metadata.name after helm template).
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=253
	Name string `json:"name"`
}

// ClientSpec is the Pocket ID client of the app.
type ClientSpec struct {
	// ID is the client id. Default: metadata.name.
	// +kubebuilder:validation:Pattern=`^[a-zA-Z0-9._-]{2,128}$`
	// +optional
	ID string `json:"id,omitempty"`
	// DisplayName shown by Pocket ID. Default: the preset's name, else the client id.
	// +optional
	DisplayName string `json:"displayName,omitempty"`
	// CallbackURLs replaces the preset's callbacks (absolute URLs).
	// +optional
	CallbackURLs []string `json:"callbackURLs,omitempty"`
	// AdditionalCallbackURLs are added to the preset's callbacks (e.g. a mobile redirect).
	// +optional
	AdditionalCallbackURLs []string `json:"additionalCallbackURLs,omitempty"`
	// +optional
	LogoutCallbackURLs []string `json:"logoutCallbackURLs,omitempty"`
	// LaunchURL shown on the Pocket ID dashboard. Default: spec.url.
	// +optional
	LaunchURL string `json:"launchURL,omitempty"`
	// Public clients have no secret (PKCE is forced on).
	// +optional
	Public bool `json:"public,omitempty"`
	// PKCE default: the preset's.
	// +optional
	PKCE *bool `json:"pkce,omitempty"`
	// AllowedGroups are Pocket ID group NAMES. Empty: not group-restricted.
	// +optional
	AllowedGroups []string `json:"allowedGroups,omitempty"`
	// CreateMissingGroups lets provisioning create allowed groups that do not exist yet instead
	// of failing.
	// +optional
	CreateMissingGroups bool `json:"createMissingGroups,omitempty"`
	// State: present, or absent (provisioning deletes the client; no app wiring is rendered).
	// +kubebuilder:validation:Enum=present;absent
	// +optional
	State string `json:"state,omitempty"`
}

// LoginOptions tune how the app presents the login.
type LoginOptions struct {
	// ButtonText on the app's login page. Default: "Pocket ID".
	// +optional
	ButtonText string `json:"buttonText,omitempty"`
	// ProviderKey where the app keys providers by a slug (Vikunja, Paperless, Semaphore...).
	// Default: "pocketid".
	// +optional
	ProviderKey string `json:"providerKey,omitempty"`
}

// SecretSpec says where the client secret lives.
type SecretSpec struct {
	// RemoteKey is the secret's name in the store. Default: <client id>-oauth-client-secret.
	// +optional
	RemoteKey string `json:"remoteKey,omitempty"`
	// Generate seeds a random secret and pushes it to the store if the key does not exist yet.
	// +optional
	Generate bool `json:"generate,omitempty"`
	// Name of the Secret in the app namespace. Default: <metadata.name>-oidc.
	// +optional
	Name string `json:"name,omitempty"`
	// RotationOverlap: how long an older client secret stays valid after a new one is
	// registered. Default 24h; 0s removes older secrets at once.
	// +optional
	RotationOverlap *metav1.Duration `json:"rotationOverlap,omitempty"`
	// RetainOld keeps older client secrets after a rotation instead of removing them.
	// +optional
	RetainOld bool `json:"retainOld,omitempty"`
}

// OIDCClient is the resolved desired state of one Pocket ID client: what the function hands to
// `pocketid-oidc provision`. Every default is applied; nothing here is a secret value.
//
// +kubebuilder:object:root=true
// +kubebuilder:resource:scope=Namespaced
type OIDCClient struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`

	Spec OIDCClientSpec `json:"spec"`
}

// OIDCClientSpec mirrors the Pocket ID fields the provisioner manages. Fields Pocket ID has and
// this does not (logos, token lifetimes, federated identities, PAR...) are left as they are.
type OIDCClientSpec struct {
	// +kubebuilder:validation:Pattern=`^[a-zA-Z0-9._-]{2,128}$`
	ID string `json:"id"`
	// +kubebuilder:validation:Enum=present;absent
	// +optional
	State string `json:"state,omitempty"`
	// Name is Pocket ID's display name (max 50).
	// +optional
	Name string `json:"name,omitempty"`
	// +optional
	CallbackURLs []string `json:"callbackURLs,omitempty"`
	// +optional
	LogoutCallbackURLs []string `json:"logoutCallbackURLs,omitempty"`
	// +optional
	LaunchURL string `json:"launchURL,omitempty"`
	// +optional
	Public bool `json:"public,omitempty"`
	// +optional
	PKCE bool `json:"pkce,omitempty"`
	// AllowedGroups are group names; non-empty makes the client group-restricted.
	// +optional
	AllowedGroups []string `json:"allowedGroups,omitempty"`
	// +optional
	CreateMissingGroups bool `json:"createMissingGroups,omitempty"`
	// Secret is where the client secret is read from; absent for public clients.
	// +optional
	Secret *ClientSecret `json:"secret,omitempty"`
	// Requirements are Pocket ID settings the app needs before anyone can log in, e.g.
	// emailsVerified (the app refuses an email_verified claim that is false). The provisioner
	// reads Pocket ID's application configuration and warns (fails with --strict) when one is
	// not met.
	// +kubebuilder:validation:items:Enum=emailsVerified
	// +optional
	Requirements []string `json:"requirements,omitempty"`
}

// Values of OIDCClientSpec.Requirements.
const (
	// RequirementEmailsVerified: Pocket ID's "emails verified" setting is on, so email_verified
	// is true for new users and changed emails.
	RequirementEmailsVerified = "emailsVerified"
)

// ClientSecret tells the provisioner where the client secret is and how to rotate it.
type ClientSecret struct {
	// File holds the secret value (a mounted Secret key).
	File string `json:"file"`
	// RotationOverlap: older secrets are removed once they are older than this. Default 24h.
	// +optional
	RotationOverlap *metav1.Duration `json:"rotationOverlap,omitempty"`
	// RetainOld: never remove older secrets.
	// +optional
	RetainOld bool `json:"retainOld,omitempty"`
}
