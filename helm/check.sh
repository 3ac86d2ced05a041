#!/usr/bin/env bash
# Checks the chart without a cluster: its CRD is the repo's crds/ file byte for byte, `helm lint` is
# clean (strict), `helm template` renders what each value variant asks for, the values schema refuses
# bad values, the chart's RBAC grants exactly operator/rbac/ftp-operator-rbac.yaml, and README.md's
# FtpServer reference lists every field of the CRD. Part of `make check`.
#
#   helm/check.sh
#
# Helm comes from the local-cluster cache ($BIN_DIR/helm, see local-cluster/versions.env) or the PATH;
# when neither has it, only helm is built (local-cluster/build-binaries.sh helm: Go, a few minutes once).
# The README and RBAC checks read YAML with PyYAML (Debian: python3-yaml, make prereqs installs it).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck disable=SC2034 # read by lib.sh's lc_log
LC_NAME=helm/check.sh
# shellcheck source=SCRIPTDIR/../local-cluster/lib.sh
source "$root/local-cluster/lib.sh"
chart=$root/helm/ftp-operator
crd=ftpservers.ftp.operator.dev-v1.yml
kube_version=${K8S_VERSION#v}

[ -x "$HELM" ] || HELM=$(command -v helm || true)
if [ -z "$HELM" ]; then
  command -v go >/dev/null || lc_die "helm is missing and there is no Go to build it (install Go 1.24+, or put helm on the PATH)"
  lc_log "helm is missing: building it once into $BIN_DIR (local-cluster/build-binaries.sh helm)"
  "$root/local-cluster/build-binaries.sh" helm
  HELM=$BIN_DIR/helm
fi
python3 -c 'import yaml' 2>/dev/null \
  || lc_die "python3 has no PyYAML (apt-get install python3-yaml, or make prereqs)"

fail() { lc_die "FAIL: $*"; }
helm() { "$HELM" "$@"; }
render() { # <file> [helm args]: helm template of the chart as release ftp-operator
  local out=$1; shift
  helm template ftp-operator "$chart" --kube-version "$kube_version" --namespace ftp-operator-system "$@" >"$out"
}
count() { grep -c "$1" "$2" || true; }

# --- the CRD copy ----------------------------------------------------------------------------------
[ -f "$root/crds/$crd" ] || fail "crds/$crd is missing"
[ -f "$chart/crds/$crd" ] || fail "helm/ftp-operator/crds/$crd is missing (run: make crds)"
cmp -s "$root/crds/$crd" "$chart/crds/$crd" \
  || fail "helm/ftp-operator/crds/$crd differs from crds/$crd (run: make crds)"
extra=$(find "$chart/crds" -type f ! -name "$crd")
[ -z "$extra" ] || fail "unexpected files in the chart's crds/: $extra"

# --- lint -------------------------------------------------------------------------------------------
helm lint --strict "$chart" >/dev/null || { helm lint --strict "$chart"; fail "helm lint"; }
helm lint --strict "$chart" --set 'watchNamespaces={team-a,team-b}' --set logLevel=DEBUG >/dev/null \
  || fail "helm lint with watchNamespaces"

# --- renderings ---------------------------------------------------------------------------------------
out=$(mktemp -d); trap 'rm -rf "$out"' EXIT

# defaults: every namespace, the CRD, cluster-wide bindings, no `latest`
render "$out/all.yaml" --include-crds
grep -Eq '^kind: "?CustomResourceDefinition' "$out/all.yaml" || fail "CRD not rendered"
grep -q 'value: "JOSDK_ALL_NAMESPACES"' "$out/all.yaml" || fail "default should watch all namespaces"
[ "$(count '^kind: ClusterRoleBinding' "$out/all.yaml")" = 2 ] || fail "expected two ClusterRoleBindings for all namespaces"
[ "$(count '^kind: RoleBinding' "$out/all.yaml")" = 1 ] || fail "expected only the leader-election RoleBinding for all namespaces"
grep -q 'latest' "$out/all.yaml" && fail "a 'latest' image tag was rendered"
grep -q "image: \"localhost/ftp-operator/operator:$(sed -n 's/^appVersion: *"\{0,1\}\([^"]*\)"\{0,1\}$/\1/p' "$chart/Chart.yaml")\"" "$out/all.yaml" \
  || fail "the operator image is not repository:appVersion"

# watchNamespaces: one RoleBinding per namespace, and only the Nodes binding cluster-wide
render "$out/scoped.yaml" --set 'watchNamespaces={team-a,team-b}'
[ "$(count '^kind: RoleBinding' "$out/scoped.yaml")" = 3 ] || fail "expected one RoleBinding per watched namespace and the leader-election one"
for ns in team-a team-b; do
  grep -q "^  namespace: $ns\$" "$out/scoped.yaml" || fail "no RoleBinding in the watched namespace $ns"
done
[ "$(count '^kind: ClusterRoleBinding' "$out/scoped.yaml")" = 1 ] || fail "namespaced rights bound cluster-wide with watchNamespaces"
grep -q 'value: "team-a,team-b"' "$out/scoped.yaml" || fail "watched namespaces not passed to the operator"

# no RBAC and an existing ServiceAccount: neither is rendered, the pod runs as that account
render "$out/norbac.yaml" --set rbac.create=false --set serviceAccount.create=false --set serviceAccount.name=ops
grep -Eq '^kind: (ClusterRole|ClusterRoleBinding|Role|RoleBinding|ServiceAccount)$' "$out/norbac.yaml" \
  && fail "RBAC or a ServiceAccount rendered with rbac.create=false, serviceAccount.create=false"
grep -q 'serviceAccountName: ops' "$out/norbac.yaml" || fail "the operator does not run as serviceAccount.name"

# the values a user sets reach the operator's Deployment
render "$out/custom.yaml" --set logLevel=DEBUG --set image.tag=1.2.3 \
  --set serverImage.repository=registry.example.com/ftp/ftp-server --set serverImage.tag=1.2.3 \
  --set 'extraEnv[0].name=EXTRA_SETTING' --set 'extraEnv[0].value=on' \
  --set nodeSelector.disktype=ssd --set-string 'podAnnotations.example\.com/owner=ops'
for want in 'value: "DEBUG"' 'image: "localhost/ftp-operator/operator:1.2.3"' \
            'value: "registry.example.com/ftp/ftp-server:1.2.3"' 'name: EXTRA_SETTING' 'disktype: ssd' \
            'example.com/owner: ops'; do
  grep -qF "$want" "$out/custom.yaml" || fail "rendering with custom values lacks: $want"
done

# the operator's pod with the default values meets the restricted Pod Security Standard, a read-only root
# (an emptyDir at /tmp) and a memory limit; e2e/run.sh installs it into a namespace that enforces restricted
python3 - "$out/all.yaml" <<'PY' || fail "the operator's Deployment does not meet the restricted profile"
import sys, yaml
docs = [d for d in yaml.safe_load_all(open(sys.argv[1])) if d and d.get("kind") == "Deployment"]
pod = docs[0]["spec"]["template"]["spec"]
c = pod["containers"][0]
sc, psc = c.get("securityContext", {}), pod.get("securityContext", {})
problems = [name for name, ok in [
    ("runAsNonRoot", psc.get("runAsNonRoot") is True or sc.get("runAsNonRoot") is True),
    ("seccompProfile RuntimeDefault", (psc.get("seccompProfile") or sc.get("seccompProfile") or {}).get("type") == "RuntimeDefault"),
    ("allowPrivilegeEscalation false", sc.get("allowPrivilegeEscalation") is False),
    ("capabilities drop ALL", sc.get("capabilities", {}).get("drop") == ["ALL"]),
    ("readOnlyRootFilesystem", sc.get("readOnlyRootFilesystem") is True),
    ("/tmp emptyDir", any(m["mountPath"] == "/tmp" for m in c.get("volumeMounts", []))
        and any("emptyDir" in v for v in pod.get("volumes", []))),
    ("memory limit", bool(c.get("resources", {}).get("limits", {}).get("memory"))),
    ("no privileged, no host namespaces", not sc.get("privileged") and not pod.get("hostNetwork") and not pod.get("hostPID")),
] if not ok]
print("missing: " + ", ".join(problems) if problems else "restricted: ok")
sys.exit(1 if problems else 0)
PY
# leader election (default): the Lease settings reach the operator, the Role allows only its Lease,
# a rolling update; one replica has no PodDisruptionBudget and no anti-affinity
grep -q 'name: FTP_OPERATOR_LEADER_ELECTION_ENABLED' -A1 "$out/all.yaml" || fail "leader election not passed to the operator"
grep -A1 'name: FTP_OPERATOR_LEADER_ELECTION_ENABLED' "$out/all.yaml" | grep -q 'value: "true"' || fail "leader election is not on by default"
grep -A1 'name: FTP_OPERATOR_LEADER_ELECTION_LEASE_NAME' "$out/all.yaml" | grep -q 'value: "ftp-operator-leader"' \
  || fail "the Lease name is not <fullname>-leader"
grep -q 'resourceNames: \[ftp-operator-leader\]' "$out/all.yaml" || fail "the leader-election Role is not limited to the Lease"
grep -q 'type: RollingUpdate' "$out/all.yaml" || fail "with leader election the operator should roll"
grep -Eq '^kind: PodDisruptionBudget' "$out/all.yaml" && fail "a PodDisruptionBudget rendered for one replica"
render "$out/one.yaml" --show-only templates/deployment.yaml
grep -q podAntiAffinity "$out/one.yaml" && fail "anti-affinity rendered for one replica"
# two replicas: a PodDisruptionBudget keeping one, soft anti-affinity over nodes
render "$out/ha.yaml" --set replicaCount=2
grep -q '^  replicas: 2$' "$out/ha.yaml" || fail "replicaCount=2 not rendered"
grep -Eq '^kind: PodDisruptionBudget' "$out/ha.yaml" || fail "no PodDisruptionBudget for two replicas"
grep -q 'minAvailable: 1' "$out/ha.yaml" || fail "the PodDisruptionBudget does not keep one replica"
grep -q 'preferredDuringSchedulingIgnoredDuringExecution' "$out/ha.yaml" || fail "no soft anti-affinity for two replicas"
# without leader election: no Lease Role, Recreate, and the schema allows only one replica
render "$out/single.yaml" --set leaderElection.enabled=false
grep -q 'leases' "$out/single.yaml" && fail "Lease permissions rendered without leader election"
grep -q 'type: Recreate' "$out/single.yaml" || fail "without leader election the old operator must stop first"

# metrics: a Service for /q/metrics on the management port, which the probes use too; a ServiceMonitor
# only when asked for and the cluster has the API; the dashboard ConfigMap only when asked for
grep -q 'prometheus.io/path: /q/metrics' "$out/all.yaml" || fail "no annotated metrics Service"
grep -q 'containerPort: 9000' "$out/all.yaml" || fail "the management port is not exposed"
[ "$(grep -c 'port: management' "$out/all.yaml")" = 2 ] || fail "the probes do not use the management port"
grep -Eq '^kind: (ServiceMonitor|ConfigMap)' "$out/all.yaml" && fail "ServiceMonitor or dashboard rendered by default"
render "$out/sm-noapi.yaml" --set metrics.serviceMonitor.enabled=true
grep -q '^kind: ServiceMonitor' "$out/sm-noapi.yaml" && fail "ServiceMonitor rendered where monitoring.coreos.com/v1 is missing"
render "$out/sm.yaml" --set metrics.serviceMonitor.enabled=true --api-versions monitoring.coreos.com/v1
grep -q '^kind: ServiceMonitor' "$out/sm.yaml" || fail "no ServiceMonitor with the API and the value"
render "$out/sm-off.yaml" --api-versions monitoring.coreos.com/v1
grep -q '^kind: ServiceMonitor' "$out/sm-off.yaml" && fail "ServiceMonitor rendered without metrics.serviceMonitor.enabled"
render "$out/dash.yaml" --set metrics.dashboard.enabled=true
grep -q 'grafana_dashboard: "1"' "$out/dash.yaml" || fail "the dashboard ConfigMap lacks the grafana_dashboard label"
python3 - "$out/dash.yaml" <<'PY' || fail "the dashboard ConfigMap does not carry valid dashboard JSON"
import json, sys, yaml
cm = [d for d in yaml.safe_load_all(open(sys.argv[1])) if d and d.get("kind") == "ConfigMap"][0]
assert json.loads(cm["data"]["ftp-operator.json"])["panels"]
PY

# the schema refuses bad values
for bad in image.tag=latest nosuchvalue=1 logLevel=LOUD leaderElection.leaseDuration=15 \
           "leaderElection.enabled=false --set replicaCount=2"; do
  # shellcheck disable=SC2086 # the last entry carries two --set arguments
  if render "$out/bad.yaml" --set $bad 2>/dev/null; then fail "schema accepted $bad"; fi
done

# --- consistency with the operator and the README ------------------------------------------------------
for rendering in all scoped; do
  python3 "$root/helm/rbac-diff.py" "$out/$rendering.yaml" "$root/operator/rbac/ftp-operator-rbac.yaml" >"$out/rbac.txt" \
    || { cat "$out/rbac.txt"; fail "the chart's RBAC ($rendering) differs from operator/rbac/ftp-operator-rbac.yaml"; }
done
lc_log "chart RBAC = operator/rbac: $(cat "$out/rbac.txt")"
python3 "$root/helm/crd-fields.py" "$root/crds/$crd" --check "$root/README.md" >&2 \
  || fail "README.md's FtpServer reference is out of step with the CRD"
lc_log "chart OK ($(helm version --short))"
