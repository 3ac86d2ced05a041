#!/usr/bin/env bash
# Installs or upgrades the operator with Helm into the cluster KUBECONFIG names (default: the local
# cluster of `make cluster-up`), from the locally built images, and waits until it runs.
#
#   helm/deploy.sh [extra helm args, e.g. --set logLevel=DEBUG]
#
# Environment: KUBECONFIG, NAMESPACE [ftp-operator-system], RELEASE [ftp-operator], TIMEOUT [5m],
# QUIET=1 hides helm's own output (release summary and NOTES).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck disable=SC2034 # read by lib.sh's lc_log
LC_NAME=deploy
# shellcheck source=SCRIPTDIR/../local-cluster/lib.sh
source "$root/local-cluster/lib.sh"
export KUBECONFIG=${KUBECONFIG:-$CLUSTER_KUBECONFIG}
export PATH=$BIN_DIR:$PATH
namespace=${NAMESPACE:-ftp-operator-system}
release=${RELEASE:-ftp-operator}
timeout=${TIMEOUT:-5m}
chart=$root/helm/ftp-operator
crd_name=ftpservers.ftp.operator.dev

command -v helm >/dev/null || "$root/local-cluster/build-binaries.sh" helm
kubectl version --request-timeout=10s >/dev/null \
  || lc_die "the cluster in KUBECONFIG=$KUBECONFIG does not answer (local one: make cluster-up)"

args=()
# Rebuilt images keep their tag; annotating the pod with the image id rolls the operator when it changed.
idfile=$root/operator/target/jib-image.id
if [ -f "$idfile" ]; then
  args+=(--set-string "podAnnotations.ftp\.operator\.dev/image-id=$(tr -d '[:space:]' <"$idfile")")
fi

# Helm installs the chart's crds/ only when it installs a release and never upgrades them: a first
# install brings the CRD; otherwise apply it, so a changed schema reaches the cluster too
# (server-side, so it is idempotent).
if kubectl get crd "$crd_name" >/dev/null 2>&1 || helm status "$release" -n "$namespace" >/dev/null 2>&1; then
  kubectl apply --server-side --force-conflicts --field-manager=ftp-operator-deploy \
    -f "$root/crds/$crd_name-v1.yml" >/dev/null
  kubectl wait --for=condition=Established --timeout=60s "crd/$crd_name" >/dev/null
  lc_log "CRD $crd_name applied from crds/"
else
  lc_log "CRD $crd_name absent: the chart's crds/ installs it"
fi

lc_log "helm upgrade --install $release into namespace $namespace (KUBECONFIG=$KUBECONFIG)"
out=/dev/stdout
[ "${QUIET:-0}" = 1 ] && out=/dev/null
helm upgrade --install "$release" "$chart" --namespace "$namespace" --create-namespace \
  --wait --timeout "$timeout" "${args[@]}" "$@" >"$out"
kubectl wait --for=condition=Established --timeout=60s "crd/$crd_name" >/dev/null
kubectl -n "$namespace" rollout status "deployment/$release" --timeout="$timeout" >"$out"
lc_log "operator running: $(kubectl -n "$namespace" get pods -l app.kubernetes.io/instance="$release" \
  -o jsonpath='{range .items[*]}{.metadata.name} {.status.phase} {.spec.containers[0].image}{"\n"}{end}')"
