// Package esotemplate renders ExternalSecret template text the way External Secrets Operator's
// engineVersion v2 does, so tests can prove that what pkg/preset emits turns into valid JSON,
// YAML or Python once ESO has inserted a real secret.
//
// ESO's engine (github.com/external-secrets/external-secrets/runtime/template/v2) cannot be
// imported: its module uses replace directives and is not served by the Go module proxy. This
// is a faithful replica of its execute function for the Values scope, built from the same
// pieces:
//
//   - text/template with Option("missingkey=error") and the default "{{" "}}" delimiters
//     (ESO's --template-left-delimiter/--template-right-delimiter flags default to these);
//   - the data map is ESO's: every data key of the ExternalSecret, value as string;
//   - functions: github.com/Masterminds/sprig/v3 TxtFuncMap without env and expandenv (older
//     ESO releases call sprig directly; newer ones vendor a copy of the same sprig version that
//     also drops getHostByName, which is dropped here too), plus ESO's toYaml and fromYaml
//     (sigs.k8s.io/yaml, errors swallowed as ESO does). ESO's PKCS#12, PEM, JWK and rsaDecrypt
//     helpers are left out: nothing pkg/preset emits uses them, and a template calling one
//     fails to parse here, which a test would notice.
//
// It is test-only support: nothing in the shipped binary imports it.
package esotemplate
