package function

// The objects a provisioning namespace shares: the API key ExternalSecret and, with a
// reconcileSchedule, the CronJob over all its clients. They are rendered once, from the
// namespace's first integration; the others must agree (they differ only with per-integration
// spec.provider overrides).

import (
	"fmt"
	"strconv"

	"github.com/kptdev/krm-functions-sdk/go/fn"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/endsys/pocketid-oidc/pkg/api/v1alpha1"
	"github.com/endsys/pocketid-oidc/pkg/render/provisioning"
	"github.com/endsys/pocketid-oidc/pkg/render/secrets"
)

// sharedObjects are the provisioning namespaces of a run, in the order they were met.
type sharedObjects struct {
	byNS    map[string]*nsClients
	nsOrder []string
}

type nsClients struct {
	provider v1alpha1.ProviderSpec
	apiKey   v1alpha1.KeyRef
	clients  []provisioning.Client
	file     string
}

func newSharedObjects() *sharedObjects { return &sharedObjects{byNS: map[string]*nsClients{}} }

// share adds the integration's client to its provisioning namespace, and the API key
// ExternalSecret when the namespace is new.
func (r *rendering) share(d *desiredSet, shared *sharedObjects, in *integration, pc provisioning.Client, apiKey v1alpha1.KeyRef) {
	g, ok := shared.byNS[in.provNS]
	if !ok {
		g = &nsClients{provider: in.provider, apiKey: apiKey, file: r.fileFor(in.obj, "pocketid-oidc.yaml")}
		shared.byNS[in.provNS] = g
		shared.nsOrder = append(shared.nsOrder, in.provNS)
		if k := in.provider.APIKey; k.RemoteKey != "" {
			d.add(nil, g.file, secrets.APIKey(in.provNS, *in.provider.SecretStoreRef, k.RemoteKey))
		}
	} else if !sameShared(g.provider, in.provider) {
		r.report(in.obj, field.ErrorList{field.Invalid(field.NewPath("spec", "provider"), "",
			fmt.Sprintf("differs from the provider settings of the other integrations provisioned in namespace %q: they share one API key ExternalSecret (secretStoreRef, apiKey) and, with a reconcileSchedule, one CronJob (also apiURL, image, caConfigMapRef, jobTTLSecondsAfterFinished)", in.provNS))}, fn.Error)
	}
	g.clients = append(g.clients, pc)
}

// renderCronJobs adds the reconcile CronJob of each provisioning namespace with a schedule.
func (r *rendering) renderCronJobs(d *desiredSet, shared *sharedObjects) {
	for _, ns := range shared.nsOrder {
		g := shared.byNS[ns]
		if g.provider.ReconcileSchedule == "" {
			continue
		}
		cj, err := provisioning.CronJob(ns, g.provider, g.apiKey, g.clients)
		if err != nil {
			r.report(r.configOr(nil), field.ErrorList{field.InternalError(field.NewPath("spec", "reconcileSchedule"), err)}, fn.Error)
			continue
		}
		d.add(nil, g.file, cj)
	}
}

// sameShared reports whether two providers agree on what a provisioning namespace shares: the
// API key ExternalSecret, and with a reconcileSchedule the CronJob's settings.
func sameShared(a, b v1alpha1.ProviderSpec) bool {
	cron := a.ReconcileSchedule != "" || b.ReconcileSchedule != ""
	key := func(p v1alpha1.ProviderSpec) string {
		k := p.SecretStoreRef.Kind + "/" + p.SecretStoreRef.Name
		if cron {
			k += "|" + p.APIURL + "|" + p.Image + "|" + p.ReconcileSchedule
		}
		if p.APIKey.RemoteKey != "" {
			k += "|remote:" + p.APIKey.RemoteKey
		}
		if ref := p.APIKey.SecretRef; ref != nil {
			k += "|secret:" + ref.Name + "/" + ref.Key
		}
		if ca := p.CAConfigMapRef; ca != nil && cron {
			k += "|ca:" + ca.Name + "/" + ca.Key
		}
		if t := p.JobTTLSecondsAfterFinished; t != nil && cron {
			k += "|ttl:" + strconv.Itoa(int(*t))
		}
		return k
	}
	return key(a) == key(b)
}
