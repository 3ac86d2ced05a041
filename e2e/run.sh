#!/usr/bin/env bash
# End-to-end test on a running cluster, as a user installs and uses the operator, in named steps:
#   helm install of the chart (operator in the cluster, under the chart's RBAC, local image)
#   -> examples/ftps.yaml in a fresh namespace -> kubectl wait Ready -> status.endpoint
#   -> from the `ftp-client` network namespace (it reaches only the load-balancer pool, never the pod
#      network) curl, lftp and Python ftplib in PASV, EPSV, active PORT/EPRT and explicit FTPS
#   -> files survive deleting the pod (PVC)
#   -> control case: the same server without the injected public address leaks the pod IP in PASV
#      and the outside passive transfer fails
#   -> helm upgrade with a changed value, deleting the FtpServer removes what it owned, helm uninstall,
#      a namespace-scoped install.
#
#   e2e/run.sh                           every step in order (make e2e: the cluster is up and
#                                        `make images` imported the images)
#   e2e/run.sh ftps-clients persistence  the named steps, in the order given; a step first sets up
#                                        what it needs (the operator, the FTPS example, ...) when missing
#   e2e/run.sh --list                    the steps and what each needs
#
# Environment: KUBECONFIG (default: the local cluster), KEEP=1 keeps the test namespaces,
# E2E_SIZE bytes per transferred file [1048576].
# Every wait is bounded; any failure exits non-zero after dumping operator logs, events, pod logs
# and the FtpServers' status. The cluster-free checks (chart, CRD vs README, RBAC) are in make check.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck disable=SC2034 # read by lib.sh's lc_log
LC_NAME=e2e
# shellcheck source=SCRIPTDIR/../local-cluster/lib.sh
source "$root/local-cluster/lib.sh"
export KUBECONFIG=${KUBECONFIG:-$CLUSTER_KUBECONFIG}
export PATH=$BIN_DIR:$PATH

RELEASE=ftp-operator
OP_NS=ftp-operator-system
STAMP=$(date +%H%M%S)
NS=ftp-e2e-$STAMP            # the fuller example (FTPS, PVC) and the control server
NS_MIN=ftp-e2e-min-$STAMP    # the minimal example
NS_W=ftp-e2e-watched-$STAMP  # watchNamespaces: reconciled
NS_U=ftp-e2e-ignored-$STAMP  # watchNamespaces: not reconciled
NS_NP=ftp-e2e-nodeport-$STAMP  # the NodePort example
NS_R=ftp-e2e-replicas-$STAMP # examples/replicated.yaml
NS_ST=ftp-e2e-selftest-$STAMP   # the self-test against real faults
NS_FT=ftp-e2e-first-$STAMP      # 10 fresh FtpServers: first transfer right after Ready
NS_SP=ftp-e2e-stpods-$STAMP     # the self-test's per-pod results
NAME=partners                # metadata.name in examples/ftps.yaml
USER_NAME=alice
USER_PASSWORD=alice-password-change-me
PASSIVE=30000-30019
CONTROL=partners-noinject
SIZE=${E2E_SIZE:-1048576}
PY=$(command -v python3)
CLIENTS=(ip netns exec "$CLIENT_NETNS" "$PY" "$root/e2e/clients.py")

# --- the steps --------------------------------------------------------------------------------------
STEPS=(install-operator operator-rbac examples-dry-run ftps-example ftps-clients read-only-user persistence
       control-case minimal-example nodeport-example selftest-faults first-transfer selftest-pods
       replicas prometheus operator-upgrade operator-failover delete-ftpserver helm-uninstall watch-namespaces)
declare -A ABOUT=(
  [install-operator]="fresh helm install of the chart (an existing release is uninstalled first) with the CRD"
  [operator-rbac]="the operator's service account can do what it needs and nothing more [needs the operator]"
  [examples-dry-run]="examples/*.yaml pass the API server's validation [needs the operator's CRD]"
  [ftps-example]="examples/ftps.yaml Ready, endpoint in the LB pool, first passive transfer timed [needs the operator]"
  [ftps-clients]="curl, lftp, ftplib x PASV, EPSV, PORT/EPRT, FTPS through the LB [needs ftps-example]"
  [read-only-user]="the example's read-only user lists and is refused STOR [needs ftps-example]"
  [persistence]="a file outlives its pod (PVC) [needs ftps-example]"
  [control-case]="without the injected address PASV leaks the pod IP and passive fails [needs ftps-example]"
  [minimal-example]="examples/minimal.yaml Ready and serving [needs the operator]"
  [nodeport-example]="examples/nodeport.yaml: its pod admitted in a namespace enforcing restricted [needs the operator]"
  [selftest-faults]="TransferVerified false with the right reason and message, True when fixed: passiveAddress 192.0.2.10, loadBalancerSourceRanges without the operator, an expired certificate [needs the operator]"
  [first-transfer]="10 fresh FtpServers: an outside passive transfer right after Ready never fails; apply -> Ready median/max [needs the operator]"
  [selftest-pods]="replicas 3: status.selfTest.pods shows a verified probe answered by every pod [needs the operator]"
  [replicas]="examples/replicated.yaml: 3 pods, 70 sessions relayed across pods, a second address refused another client's pending port (direct and relayed), a pod deleted during transfers, scaled 3 -> 2 -> 4, brute force banned on every pod [needs the operator]"
  [prometheus]="Debian's Prometheus on this host scrapes the operator and every FTP pod: all up, bytes, reconciles, dashboard [needs the operator, minimal-example]"
  [operator-upgrade]="upgrade to another image tag and logLevel, then helm rollback, each during transfers: FTP pods and objects untouched [needs the operator, ftps-example]"
  [operator-failover]="2 replicas: the leader deleted while FtpServers change, the standby takes the Lease, all converge (ends at 1) [needs the operator]"
  [delete-ftpserver]="deleting the FtpServer removes what it owned, not the user's Secrets [needs ftps-example]"
  [helm-uninstall]="helm uninstall leaves the CRD and running servers [needs the operator, minimal-example]"
  [watch-namespaces]="install with watchNamespaces reconciles only that namespace (ends uninstalled)"
)

usage() {
  echo "usage: e2e/run.sh [--list | STEP...]   (no STEP: all of them, in this order)"
  for s in "${STEPS[@]}"; do printf '  %-18s %s\n' "$s" "${ABOUT[$s]}"; done
}
selected=()
for arg in "$@"; do
  case $arg in
    --list | -h | --help) usage; exit 0 ;;
    *) [ -n "${ABOUT[$arg]:-}" ] || { usage >&2; echo "unknown step: $arg" >&2; exit 2; }
       selected+=("$arg") ;;
  esac
done
[ ${#selected[@]} -gt 0 ] || selected=("${STEPS[@]}")

# --- running steps ----------------------------------------------------------------------------------
WORK=$(mktemp -d /tmp/ftp-e2e.XXXXXX)
CURRENT=""     # the step running now
PASSED=0       # steps finished
info() { echo "    $*"; }
fail() { echo "E2E FAILURE in step '${CURRENT:-start}': $*" >&2; exit 1; }
now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

# run_step <name> [needed-by]: one step, framed and counted
run_step() {
  local outer=$CURRENT
  CURRENT=$1
  echo; echo "=== $1${2:+ (needed by $2)} ==="
  "step_${1//-/_}"
  PASSED=$((PASSED + 1))
  CURRENT=$outer
}

# what steps need: each check looks at the cluster, and runs the step that provides it when missing
operator_installed() {
  [ "$(helm status "$RELEASE" -n "$OP_NS" -o json 2>/dev/null | jq -r .info.status)" = deployed ] \
    && [ "$(helm get values "$RELEASE" -n "$OP_NS" -o json | jq '.watchNamespaces // [] | length')" = 0 ] \
    && kubectl -n "$OP_NS" rollout status "deployment/$RELEASE" --timeout=120s >/dev/null
}
need_operator() { operator_installed || run_step install-operator "$CURRENT"; }
need_ftps_example() {
  if [ -z "${LB:-}" ] || ! kubectl -n "$NS" get ftpserver "$NAME" >/dev/null 2>&1; then run_step ftps-example "$CURRENT"; fi
}
need_minimal_example() {
  if [ -z "${MIN_LB:-}" ] || ! kubectl -n "$NS_MIN" get ftpserver demo >/dev/null 2>&1; then run_step minimal-example "$CURRENT"; fi
}

# Every namespace this test runs pods in enforces the restricted Pod Security Standard: the API server
# itself refuses a pod of the operator or of an FtpServer that does not comply.
restricted_namespace() { # <namespace>: created (or kept) and labelled enforce=restricted
  kubectl create namespace "$1" --dry-run=client -o yaml | kubectl apply -f - >/dev/null
  kubectl label --overwrite namespace "$1" pod-security.kubernetes.io/enforce=restricted \
    pod-security.kubernetes.io/enforce-version=latest >/dev/null
  # the label is live: a pod breaking the profile is refused here
  if kubectl -n "$1" run pss-probe --image=busybox --restart=Never --dry-run=server \
      --overrides='{"spec":{"containers":[{"name":"pss-probe","image":"busybox","securityContext":{"privileged":true}}]}}' \
      >/dev/null 2>&1; then
    fail "namespace $1 accepted a privileged pod: Pod Security admission is not enforcing"
  fi
}
no_pod_security_refusal() { # <namespace>: no ReplicaSet there was refused a pod by Pod Security
  local refused
  refused=$(kubectl -n "$1" get events --field-selector reason=FailedCreate -o json \
    | jq -r '.items[].message' | grep -i 'violates PodSecurity' || true)
  [ -z "$refused" ] || fail "namespace $1: pod refused by Pod Security: $refused"
}
verified() { # <namespace> <ftpserver>: Ready came with a verified transfer; Flux's and Argo CD's verdicts on it
  local reason
  reason=$(kubectl -n "$1" get ftpserver "$2" -o jsonpath='{.status.conditions[?(@.type=="TransferVerified")].reason}')
  [ "$reason" = TransferVerified ] \
    || fail "ftpserver/$2 Ready without a verified transfer (TransferVerified: $reason)"
  info "self-test: $(kubectl -n "$1" get ftpserver "$2" -o jsonpath='{.status.conditions[?(@.type=="TransferVerified")].message}; round trip {.status.selfTest.roundTripMillis} ms')"
  kubectl -n "$1" get ftpserver "$2" -o yaml >"$WORK/$2-verified.yaml"
  local judged
  judged=$("$root/e2e/kstatus/check.sh" "$WORK/$2-verified.yaml") || fail "GitOps health check of ftpserver/$2 did not run"
  [ "$judged" = "$2-verified Current Healthy" ] || fail "ftpserver/$2 verified, but kstatus/Argo CD say: $judged"
  info "kstatus / Argo CD health of the verified object: ${judged#"$2-verified "}"
}

ready() { # <namespace> <ftpserver> [timeout]: kubectl wait for Ready
  kubectl -n "$1" wait --for=condition=Ready "ftpserver/$2" --timeout="${3:-300s}" >/dev/null \
    || fail "ftpserver/$2 in $1 not Ready within ${3:-300s}"
}
lb_ip() { # <namespace> <service>: prints its load-balancer address, fails while it has none
  local ip
  ip=$(kubectl -n "$1" get service "$2" -o jsonpath='{.status.loadBalancer.ingress[0].ip}') && [ -n "$ip" ] && echo "$ip"
}
in_pool() { # is $1 inside LB_POOL_CIDR?
  "$PY" -c 'import ipaddress,sys; sys.exit(0 if ipaddress.ip_address(sys.argv[1]) in ipaddress.ip_network(sys.argv[2]) else 1)' "$1" "$LB_POOL_CIDR"
}
ftps() { # <clients.py sub-command> [args]: against the FTPS example's load-balancer address
  "${CLIENTS[@]}" "$1" --host "$LB" --user "$USER_NAME" --password "$USER_PASSWORD" --passive-range "$PASSIVE" "${@:2}"
}
# the reconcile a spec change causes has happened: status.observedGeneration caught up
observed() { # <namespace> <ftpserver>
  [ "$(kubectl -n "$1" get ftpserver "$2" -o jsonpath='{.status.observedGeneration}/{.metadata.generation}' \
       | awk -F/ '$1 != "" && $1 == $2 {print "yes"}')" = yes ]
}

dump() {
  echo; echo "===== diagnostics (step '${CURRENT:-start}') =====" >&2
  {
    for ns in "$NS" "$NS_MIN" "$NS_W" "$NS_U" "$NS_NP" "$NS_R" "$NS_ST" "$NS_FT" "$NS_SP"; do
      kubectl get namespace "$ns" >/dev/null 2>&1 || continue
      echo "--- namespace $ns: objects"
      kubectl -n "$ns" get ftpservers,deployments,replicasets,statefulsets,poddisruptionbudgets,pods,services,pvc,configmaps,secrets -o wide 2>&1
      echo "--- namespace $ns: FtpServer status"
      kubectl -n "$ns" get ftpservers -o yaml 2>&1 | sed -n '/^  status:/,/^- apiVersion/p'
      echo "--- namespace $ns: events"
      kubectl -n "$ns" get events --sort-by=.lastTimestamp 2>&1 | tail -40
      for p in $(kubectl -n "$ns" get pods -o name 2>/dev/null); do
        echo "--- $ns $p: describe (tail)"; kubectl -n "$ns" describe "$p" 2>&1 | tail -25
        echo "--- $ns $p: log"; kubectl -n "$ns" logs "$p" --all-containers --tail=150 2>&1
        kubectl -n "$ns" logs "$p" --all-containers --previous --tail=50 2>/dev/null | sed 's/^/previous: /'
      done
    done
    echo "--- operator pods and log"
    kubectl -n "$OP_NS" get pods -o wide 2>&1
    kubectl -n "$OP_NS" logs deployment/"$RELEASE" --tail=300 2>&1
    kubectl -n "$OP_NS" logs deployment/"$RELEASE" --previous --tail=100 2>/dev/null | sed 's/^/previous: /'
    echo "--- operator namespace events"
    kubectl -n "$OP_NS" get events --sort-by=.lastTimestamp 2>&1 | tail -20
  } >&2
}

cleanup() {
  local rc=$?
  set +e  # diagnostics and cleanup run to the end whatever fails in them
  [ $rc -eq 0 ] || dump
  stop_prometheus
  rep_hijacker_down
  if [ "${KEEP:-0}" != 1 ]; then
    kubectl delete namespace "$NS" "$NS_MIN" "$NS_W" "$NS_U" "$NS_NP" "$NS_R" "$NS_ST" "$NS_FT" "$NS_SP" --ignore-not-found --wait=false >/dev/null 2>&1 || true
    if ! helm status "$RELEASE" -n "$OP_NS" >/dev/null 2>&1; then
      # no operator left to remove finalizers it may have set: drop them so the namespaces can go
      for ns in "$NS" "$NS_MIN" "$NS_W" "$NS_U" "$NS_NP" "$NS_R" "$NS_ST" "$NS_FT" "$NS_SP"; do
        for f in $(kubectl -n "$ns" get ftpservers -o name 2>/dev/null); do
          kubectl -n "$ns" patch "$f" --type=merge -p '{"metadata":{"finalizers":null}}' >/dev/null 2>&1 || true
        done
      done
    fi
  else
    echo "KEEP=1: namespaces $NS $NS_MIN $NS_W $NS_U $NS_NP $NS_R $NS_ST $NS_FT $NS_SP kept" >&2
  fi
  local cases=0
  [ -f "$WORK/matrix.txt" ] && cases=$(grep -c '^PASS' "$WORK/matrix.txt" || true)
  [ -f "$WORK/control.txt" ] && cases=$((cases + $(grep -c '^PASS' "$WORK/control.txt" || true)))
  local f
  for f in "$WORK"/sessions-*.txt; do [ -f "$f" ] && cases=$((cases + $(grep -c '^PASS' "$f" || true))); done
  if [ $rc -eq 0 ]; then
    echo; echo "E2E PASSED"
    echo "e2e: $((PASSED + cases)) passed, 0 failed"
  else
    echo; echo "E2E FAILED (step '${CURRENT:-start}', exit $rc)" >&2
    echo "e2e: $((PASSED + cases)) passed, 1 failed"
  fi
  rm -rf "$WORK"
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---------------------------------------------------------------------------------------------------
step_preflight() {
  for tool in kubectl helm curl lftp openssl jq "$PY"; do
    command -v "$tool" >/dev/null || fail "$tool not found (make prereqs / make binaries)"
  done
  kubectl version --request-timeout=10s >/dev/null || fail "no cluster at KUBECONFIG=$KUBECONFIG (make cluster-up)"
  ip netns list | grep -qw "$CLIENT_NETNS" || fail "network namespace $CLIENT_NETNS missing (make cluster-up creates it)"
  info "cluster: $(kubectl get nodes -o jsonpath='{range .items[*]}{.metadata.name} {.status.nodeInfo.kubeletVersion}{end}')"
  info "outside client: netns $CLIENT_NETNS, address $CLIENT_IP, routes: $(ip netns exec "$CLIENT_NETNS" ip -4 route | tr '\n' ';')"
  # the premise of the whole test: the outside client has no route into the pod network
  local pod_probe_ip
  pod_probe_ip=$("$PY" -c 'import ipaddress,sys; print(next(ipaddress.ip_network(sys.argv[1]).hosts()) + 1)' "$POD_CIDR")
  if ip netns exec "$CLIENT_NETNS" ip -4 route get "$pod_probe_ip" >/dev/null 2>&1; then
    fail "the client netns has a route to the pod network ($pod_probe_ip): the test would prove nothing"
  fi
  if [ "$KUBECONFIG" = "$CLUSTER_KUBECONFIG" ]; then
    "$root/local-cluster/local-storage.sh"   # top the pool of volumes up (earlier runs used some)
  fi
  local default_sc
  default_sc=$(kubectl get storageclass -o json | jq -r '.items[] | select(.metadata.annotations["storageclass.kubernetes.io/is-default-class"]=="true") | .metadata.name' | head -1)
  [ -n "$default_sc" ] || fail "no default StorageClass: the examples' claims would stay Pending"
  info "default StorageClass: $default_sc"
  info "images: $(lc_ctr images ls -q 2>/dev/null | grep -c 'localhost/ftp-operator/' || true) localhost/ftp-operator/* images in containerd"
}

step_install_operator() {
  if helm status "$RELEASE" -n "$OP_NS" >/dev/null 2>&1; then
    info "release $RELEASE exists: uninstalling it first, to test a fresh install"
    helm uninstall "$RELEASE" -n "$OP_NS" --wait --timeout 2m >/dev/null
  fi
  local t
  t=$(now)
  restricted_namespace "$OP_NS"   # before the install: the operator's own pod must pass it
  QUIET=1 "$root/helm/deploy.sh" 2>&1 | sed 's/^/    /' || fail "helm install (helm/deploy.sh)"
  [ "$(helm status "$RELEASE" -n "$OP_NS" -o json | jq -r .version)" = 1 ] || fail "not a fresh install (revision is not 1)"
  info "installed and running in $(secs "$t" "$(now)")s: $(kubectl -n "$OP_NS" get deploy "$RELEASE" -o jsonpath='{.spec.template.spec.containers[0].image}')"
  kubectl wait --for=condition=Established crd/ftpservers.ftp.operator.dev --timeout=60s >/dev/null || fail "CRD not Established"
  local sa
  sa=$(kubectl -n "$OP_NS" get deploy "$RELEASE" -o jsonpath='{.spec.template.spec.serviceAccountName}')
  [ "$sa" = "$RELEASE" ] || fail "operator runs as service account '$sa', expected the chart's '$RELEASE'"
  local notes
  notes=$(helm get notes "$RELEASE" -n "$OP_NS")
  grep -q "kubectl" <<<"$notes" || fail "NOTES.txt does not tell what to apply next"
}

step_operator_rbac() {
  need_operator
  local as=(--as="system:serviceaccount:$OP_NS:$RELEASE") ok no
  for ok in "list ftpservers.ftp.operator.dev -A" "patch ftpservers.ftp.operator.dev --subresource=status -n default" \
            "create deployments.apps -n default" "create services -n default" "create persistentvolumeclaims -n default" \
            "create events -n default" "list nodes" "watch nodes" "get secrets -n default" "update ftpservers.ftp.operator.dev --subresource=finalizers -n default" \
            "create statefulsets.apps -n default" "delete statefulsets.apps -n default" "create poddisruptionbudgets.policy -n default" \
            "create secrets -n default" "delete services -n default" "watch pods -n default" \
            "create leases.coordination.k8s.io -n $OP_NS" "patch leases.coordination.k8s.io/$RELEASE-leader -n $OP_NS"; do
    # shellcheck disable=SC2086 # $ok is a kubectl auth can-i argument list
    [ "$(kubectl auth can-i $ok "${as[@]}" 2>/dev/null)" = yes ] || fail "chart RBAC does not allow: $ok"
  done
  for no in "create pods -n default" "delete pods -n default" "update secrets -n default" "delete persistentvolumeclaims -n default" \
            "delete configmaps -n default" "patch ftpservers.ftp.operator.dev -n default" "delete nodes" "create clusterroles" \
            "delete customresourcedefinitions" "create pods/exec -n default" \
            "update leases.coordination.k8s.io/kube-scheduler -n kube-system" "update leases.coordination.k8s.io/other -n $OP_NS"; do
    # shellcheck disable=SC2086 # $no is a kubectl auth can-i argument list
    [ "$(kubectl auth can-i $no "${as[@]}" 2>/dev/null || true)" = no ] || fail "chart RBAC allows more than needed: $no"
  done
  info "service account $RELEASE: can reconcile FtpServers (and replicated ones' StatefulSets, relay Secrets, budgets), cannot make pods, change Secrets, delete claims or touch cluster objects"
}

step_examples_dry_run() {
  need_operator
  local f
  for f in minimal.yaml ftps.yaml nodeport.yaml replicated.yaml; do
    kubectl apply --dry-run=server -n default -f "$root/examples/$f" >/dev/null || fail "examples/$f rejected"
    info "examples/$f accepted"
  done
}

step_ftps_example() {
  need_operator
  restricted_namespace "$NS"
  if [ ! -s "$WORK/ca.crt" ]; then
    # a CA and a server certificate naming every address of the load-balancer pool (the address is
    # assigned later, and clients verify it)
    local san
    san=$("$PY" -c 'import ipaddress,sys; print(",".join("IP:%s" % h for h in ipaddress.ip_network(sys.argv[1]).hosts()))' "$LB_POOL_CIDR")
    openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=ftp-e2e-ca" \
      -keyout "$WORK/ca.key" -out "$WORK/ca.crt" 2>/dev/null
    openssl req -newkey rsa:2048 -nodes -subj "/CN=partners.ftp-e2e" -keyout "$WORK/tls.key" -out "$WORK/tls.csr" 2>/dev/null
    printf 'subjectAltName=%s\nextendedKeyUsage=serverAuth\n' "$san" >"$WORK/ext.cnf"
    openssl x509 -req -in "$WORK/tls.csr" -CA "$WORK/ca.crt" -CAkey "$WORK/ca.key" -CAcreateserial -days 2 \
      -extfile "$WORK/ext.cnf" -out "$WORK/tls.crt" 2>/dev/null
  fi
  kubectl -n "$NS" create secret tls partners-tls --cert="$WORK/tls.crt" --key="$WORK/tls.key" \
    --dry-run=client -o yaml | kubectl apply -f - >/dev/null
  local t_apply t_ready t_first
  t_apply=$(now)
  kubectl -n "$NS" apply -f "$root/examples/ftps.yaml"
  ready "$NS" "$NAME"
  t_ready=$(now)
  ENDPOINT=$(kubectl -n "$NS" get ftpserver "$NAME" -o jsonpath='{.status.endpoint}')
  [[ $ENDPOINT =~ ^ftp://([0-9.]+):21$ ]] || fail "status.endpoint '$ENDPOINT' is not ftp://<ip>:21"
  LB=${BASH_REMATCH[1]}
  # the first passive transfer through the load balancer, timed from kubectl apply (before the
  # checks below: the GitOps health check builds its tool on a fresh machine)
  local attempts=0 first_ok=""
  while [ $attempts -lt 60 ]; do
    attempts=$((attempts + 1))
    if ftps probe >"$WORK/probe.txt" 2>&1; then first_ok=1; break; fi
    sleep 1
  done
  t_first=$(now)
  cat "$WORK/probe.txt"
  [ -n "$first_ok" ] || fail "no passive transfer through $LB within 60 s of Ready"
  kubectl -n "$NS" get ftpserver "$NAME"
  verified "$NS" "$NAME"
  local public ports pod_env
  public=$(kubectl -n "$NS" get ftpserver "$NAME" -o jsonpath='{.status.publicAddress}')
  ports=$(kubectl -n "$NS" get ftpserver "$NAME" -o jsonpath='{.status.passivePorts}')
  info "status.endpoint=$ENDPOINT publicAddress=$public passivePorts=$ports"
  in_pool "$LB" || fail "endpoint address $LB is not in the load-balancer pool $LB_POOL_CIDR"
  [ "$public" = "$LB" ] || fail "status.publicAddress '$public' differs from the endpoint address $LB"
  [ "$ports" = "$PASSIVE" ] || fail "status.passivePorts '$ports', expected $PASSIVE"
  SVC=$(kubectl -n "$NS" get service -l "app.kubernetes.io/instance=$NAME" -o jsonpath='{.items[0].metadata.name}')
  local svc_ports
  svc_ports=$(kubectl -n "$NS" get service "$SVC" -o jsonpath='{.spec.ports[*].port}' | wc -w)
  [ "$svc_ports" = 21 ] || fail "Service $SVC has $svc_ports ports, expected 21 (21 and 20 passive ports)"
  info "Service $SVC: $(kubectl -n "$NS" get service "$SVC" -o jsonpath='{.spec.type}, externalTrafficPolicy {.spec.externalTrafficPolicy}'), $svc_ports ports (21 and each passive port)"
  pod_env=$(kubectl -n "$NS" get deploy -l "app.kubernetes.io/instance=$NAME" -o json \
    | jq -r '.items[0].spec.template.spec.containers[0].env[]? | select(.name=="FTP_PUBLIC_ADDRESS") | .value')
  info "pod template FTP_PUBLIC_ADDRESS=${pod_env:-<not set directly>}"
  APPLY_TO_READY=$(secs "$t_apply" "$t_ready")
  APPLY_TO_TRANSFER=$(secs "$t_apply" "$t_first")
  info "kubectl apply -> Ready: ${APPLY_TO_READY}s; kubectl apply -> first successful passive transfer: ${APPLY_TO_TRANSFER}s (attempt $attempts)"
}

step_ftps_clients() {
  need_ftps_example
  info "clients x modes from netns $CLIENT_NETNS through $LB"
  ftps matrix --client-address "$CLIENT_IP" --cafile "$WORK/ca.crt" --size "$SIZE" | tee "$WORK/matrix.txt" \
    || fail "a client/mode case failed"
  if grep -q '^FAIL' "$WORK/matrix.txt"; then fail "a client/mode case failed"; fi
}

step_read_only_user() {
  need_ftps_example
  local ro=(ip netns exec "$CLIENT_NETNS" curl -sS --connect-timeout 5 --max-time 30 --no-ftp-skip-pasv-ip
            --ssl-reqd --cacert "$WORK/ca.crt" --user reports:reports-password-change-me)
  "${ro[@]}" "ftp://$LB/" >"$WORK/ro-list.txt" 2>&1 || { cat "$WORK/ro-list.txt"; fail "read-only user cannot list"; }
  echo "upload attempt" >"$WORK/ro.txt"
  if "${ro[@]}" -v -T "$WORK/ro.txt" "ftp://$LB/ro.txt" >"$WORK/ro-put.txt" 2>&1; then fail "read-only user could upload"; fi
  # (over TLS curl may already have sent its next command when the refusal arrives)
  grep -q '^> STOR ro.txt' "$WORK/ro-put.txt" || { grep -E '^[<>]|curl:' "$WORK/ro-put.txt"; fail "upload never reached STOR"; }
  local refusal
  refusal=$(grep -m1 '^< 550 .*ermission' "$WORK/ro-put.txt" || true)
  [ -n "$refusal" ] || { grep -E '^[<>]|curl:' "$WORK/ro-put.txt"; fail "the upload failed, but not by a permission refusal"; }
  info "reports (readonly=true, home=alice/reports): lists over FTPS; STOR refused: ${refusal#< }"
}

another_pod_ready() { # <pod>: a pod of the FTPS example other than <pod> is ready
  kubectl -n "$NS" get pods -l "app.kubernetes.io/instance=$NAME" \
      -o jsonpath='{range .items[*]}{.metadata.name} {.status.containerStatuses[0].ready}{"\n"}{end}' \
    | grep -v "^$1 " | grep ' true$' >/dev/null
}

step_persistence() {
  need_ftps_example
  local pvc old_pod new_pod
  pvc=$(kubectl -n "$NS" get pvc -l "app.kubernetes.io/instance=$NAME" -o jsonpath='{.items[0].metadata.name}')
  [ -n "$pvc" ] || fail "no PersistentVolumeClaim labelled app.kubernetes.io/instance=$NAME"
  info "claim $pvc: $(kubectl -n "$NS" get pvc "$pvc" -o jsonpath='{.status.phase} {.status.capacity.storage} volume {.spec.volumeName}')"
  ftps put --name persist.bin --size "$SIZE" || fail "upload before the pod deletion"
  old_pod=$(kubectl -n "$NS" get pods -l "app.kubernetes.io/instance=$NAME" -o jsonpath='{.items[0].metadata.name}')
  kubectl -n "$NS" delete pod "$old_pod" --wait=true --timeout=120s >/dev/null
  lc_wait_for --every 2 180 "a new ready pod after deleting $old_pod" another_pod_ready "$old_pod" \
    || fail "no new ready pod within 180 s of deleting $old_pod"
  new_pod=$(kubectl -n "$NS" get pods -l "app.kubernetes.io/instance=$NAME" --field-selector=status.phase=Running -o jsonpath='{.items[0].metadata.name}')
  info "pod $old_pod deleted, $new_pod serves now"
  ready "$NS" "$NAME" 120s
  lc_wait_for --every 2 60 "persist.bin served again" ftps verify --name persist.bin --size "$SIZE" \
    || fail "the file written before the pod deletion is gone or differs"
}

step_control_case() {
  need_ftps_example
  # The operator's own Deployment and Service, copied under another name, with FTP_PUBLIC_ADDRESS blanked
  # (the server treats blank as unset) and FTP_REQUIRE_PUBLIC_ADDRESS=false so it answers PASV with its
  # own (pod) address, as a server does that nobody told its public address. emptyDir instead of the claim.
  local labels='{"app.kubernetes.io/name":"ftp-e2e-control","app.kubernetes.io/instance":"'$CONTROL'"}'
  kubectl -n "$NS" get deploy -l "app.kubernetes.io/instance=$NAME" -o json | jq --arg n "$CONTROL" --argjson l "$labels" '
    .items[0] | {apiVersion: "apps/v1", kind: "Deployment",
      metadata: {name: $n, labels: $l},
      spec: {replicas: 1, selector: {matchLabels: $l},
        template: (.spec.template
          | .metadata = {labels: $l}
          | .spec.containers |= map(.env = ([(.env // [])[]
                | select(.name != "FTP_PUBLIC_ADDRESS" and .name != "FTP_REQUIRE_PUBLIC_ADDRESS")]
                + [{name: "FTP_PUBLIC_ADDRESS", value: ""}, {name: "FTP_REQUIRE_PUBLIC_ADDRESS", value: "false"}]))
          | .spec.volumes |= map(if .persistentVolumeClaim then {name: .name, emptyDir: {}} else . end))}}' \
    >"$WORK/control-deploy.json"
  kubectl -n "$NS" get service "$SVC" -o json | jq --arg n "$CONTROL" --argjson l "$labels" '
    {apiVersion: "v1", kind: "Service", metadata: {name: $n, labels: $l},
     spec: {type: "LoadBalancer", externalTrafficPolicy: .spec.externalTrafficPolicy, selector: $l,
            ports: [.spec.ports[] | del(.nodePort)]}}' >"$WORK/control-svc.json"
  kubectl -n "$NS" apply -f "$WORK/control-svc.json" -f "$WORK/control-deploy.json" >/dev/null
  kubectl -n "$NS" rollout status "deployment/$CONTROL" --timeout=180s >/dev/null || fail "control server did not start"
  local lb2 pod_ip
  lb2=$(lc_wait_for --every 2 60 "the control Service's load-balancer address" lb_ip "$NS" "$CONTROL") \
    || fail "control Service got no load-balancer address"
  pod_ip=$(kubectl -n "$NS" get pods -l "app.kubernetes.io/instance=$CONTROL" --field-selector=status.phase=Running -o jsonpath='{.items[0].status.podIP}')
  info "control server: load balancer $lb2, pod IP $pod_ip"
  lc_wait_for --every 2 60 "the control server's control port through $lb2" ip netns exec "$CLIENT_NETNS" \
      curl -s --connect-timeout 3 --max-time 5 -o /dev/null "ftp://$lb2:21/" --user "$USER_NAME:$USER_PASSWORD" --ftp-pasv --list-only \
    || fail "the control server's control port is not reachable through $lb2"
  "${CLIENTS[@]}" control --host "$lb2" --user "$USER_NAME" --password "$USER_PASSWORD" --passive-range "$PASSIVE" \
    --expect-address "$pod_ip" | tee "$WORK/control.txt" || fail "control case"
  kubectl -n "$NS" delete deployment,service "$CONTROL" --wait=true --timeout=120s >/dev/null
}

step_minimal_example() {
  need_operator
  restricted_namespace "$NS_MIN"
  local t_min min_ep
  t_min=$(now)
  kubectl -n "$NS_MIN" apply -f "$root/examples/minimal.yaml" >/dev/null
  ready "$NS_MIN" demo
  no_pod_security_refusal "$NS_MIN"
  verified "$NS_MIN" demo
  min_ep=$(kubectl -n "$NS_MIN" get ftpserver demo -o jsonpath='{.status.endpoint}')
  [[ $min_ep =~ ^ftp://([0-9.]+):21$ ]] || fail "minimal example endpoint '$min_ep'"
  MIN_LB=${BASH_REMATCH[1]}
  lc_wait_for --every 2 60 "a transfer through the minimal example" "${CLIENTS[@]}" probe --host "$MIN_LB" \
      --user demo --password demo-password-change-me --passive-range 30000-30009 >"$WORK/probe-min.txt" \
    || fail "no transfer through the minimal example"
  info "minimal example: $min_ep Ready and serving $(secs "$t_min" "$(now)")s after apply: $(tail -1 "$WORK/probe-min.txt")"
}

step_nodeport_example() {
  need_operator
  restricted_namespace "$NS_NP"
  # the local cluster's node ports are 32000-32767 (lib.sh keeps them off the LB passive ports): there
  # the example's passive ports move to the bottom of that range (its fixed band); the rest is applied as is
  local low=30050
  [ "$KUBECONFIG" != "$CLUSTER_KUBECONFIG" ] || low=${NODE_PORT_RANGE%-*}
  sed -E "s/^( +)min: 30050$/\1min: $low/; s/^( +)max: 30059$/\1max: $((low + 9))/" \
    "$root/examples/nodeport.yaml" >"$WORK/nodeport.yaml"
  grep -q "min: $low" "$WORK/nodeport.yaml" || fail "examples/nodeport.yaml no longer has passive ports 30050-30059"
  kubectl -n "$NS_NP" apply -f "$WORK/nodeport.yaml" >/dev/null
  lc_wait_for --every 2 120 "a pod of the NodePort example" \
      bash -c "kubectl -n '$NS_NP' get pods -l app.kubernetes.io/instance=files -o name | grep -q ." \
    || { no_pod_security_refusal "$NS_NP"; fail "no pod for the NodePort example"; }
  no_pod_security_refusal "$NS_NP"
  info "examples/nodeport.yaml: pod admitted under enforce=restricted"
}

# --- the self-test against real faults ---------------------------------------------------------------
ST_PASSIVE=30000-30004
st_server() { # <namespace> <name> [extra spec YAML lines, indented 2]: a small FtpServer probed every 10 s
  cat <<YAML
apiVersion: v1
kind: Secret
metadata: {name: $2-users, namespace: $1}
stringData: {demo: demo-password-change-me}
---
apiVersion: ftp.operator.dev/v1alpha1
kind: FtpServer
metadata: {name: $2, namespace: $1}
spec:
  users: {secretRef: {name: $2-users}}
  passivePorts: {min: ${ST_PASSIVE%-*}, max: ${ST_PASSIVE#*-}}
  storage: {emptyDir: true}
  selfTest: {intervalSeconds: 10}
${3:-}
YAML
}
st_field() { # <namespace> <ftpserver> <condition type> <field>: one field of that condition
  kubectl -n "$1" get ftpserver "$2" -o jsonpath="{.status.conditions[?(@.type==\"$3\")].$4}"
}
st_says() { # <namespace> <ftpserver> <status> <reason> <message part>: TransferVerified says so
  [ "$(st_field "$1" "$2" TransferVerified status) $(st_field "$1" "$2" TransferVerified reason)" = "$3 $4" ] \
    && st_field "$1" "$2" TransferVerified message | grep -qF -- "$5"
}
st_wait() { # <namespace> <ftpserver> <status> <reason> <message part> <seconds>: kubectl wait, then the message
  local t0 waited
  t0=$(now)
  kubectl -n "$1" wait "ftpserver/$2" --timeout="$6s" \
      --for=jsonpath="{.status.conditions[?(@.type==\"TransferVerified\")].reason}=$4" >/dev/null \
    || fail "ftpserver/$2: TransferVerified not $4 within $6s (now: $(st_field "$1" "$2" TransferVerified reason): $(st_field "$1" "$2" TransferVerified message))"
  # (a probe of the pod being replaced may still give the same reason with another message)
  lc_wait_for --every 2 60 "ftpserver/$2 TransferVerified $3 $4 '$5'" st_says "$1" "$2" "$3" "$4" "$5" \
    || fail "ftpserver/$2: TransferVerified is $(st_field "$1" "$2" TransferVerified status) $4, but says: $(st_field "$1" "$2" TransferVerified message)"
  waited=$(secs "$t0" "$(now)")
  info "$2: TransferVerified $3 $4 after ${waited}s: $(st_field "$1" "$2" TransferVerified message | cut -c1-260)"
}
st_lb() { # <namespace> <ftpserver>: the address of its load-balancer Service
  lb_ip "$1" "$2"
}
st_patch() { # <ftpserver> <patch> [merge|json]: a spec change in the fault step's namespace
  kubectl -n "$NS_ST" patch ftpserver "$1" --type="${3:-merge}" -p "$2" >/dev/null
}
st_outside_transfer() { # <host>: one passive transfer (curl, PASV address used) from the outside client
  "${CLIENTS[@]}" probe --host "$1" --user demo --password demo-password-change-me --passive-range "$ST_PASSIVE"
}

step_selftest_faults() {
  need_operator
  restricted_namespace "$NS_ST"
  local san
  san=$("$PY" -c 'import ipaddress,sys; print(",".join("IP:%s" % h for h in ipaddress.ip_network(sys.argv[1]).hosts()))' "$LB_POOL_CIDR")
  # a certificate for every address of the pool, valid now; and one that expired yesterday (openssl 3.0
  # cannot backdate, python's cryptography can)
  openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=st-tls" -addext "subjectAltName=$san" \
    -keyout "$WORK/st-good.key" -out "$WORK/st-good.crt" 2>/dev/null
  "$PY" - "$WORK/st-expired" "$LB_POOL_CIDR" <<'PY'
import datetime, ipaddress, sys
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
key = ec.generate_private_key(ec.SECP256R1())
name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "st-tls-expired")])
now = datetime.datetime.now(datetime.timezone.utc)
sans = [x509.IPAddress(h) for h in ipaddress.ip_network(sys.argv[2]).hosts()]
cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=30)).not_valid_after(now - datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName(sans), critical=False)
        .sign(key, hashes.SHA256()))
open(sys.argv[1] + ".crt", "wb").write(cert.public_bytes(serialization.Encoding.PEM))
open(sys.argv[1] + ".key", "wb").write(key.private_bytes(serialization.Encoding.PEM,
    serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
PY
  [ "$(openssl x509 -in "$WORK/st-expired.crt" -noout -checkend 0 >/dev/null 2>&1; echo $?)" = 1 ] \
    || fail "the test certificate is not expired"
  kubectl -n "$NS_ST" create secret tls st-tls-good --cert="$WORK/st-good.crt" --key="$WORK/st-good.key" >/dev/null
  kubectl -n "$NS_ST" create secret tls st-tls-expired --cert="$WORK/st-expired.crt" --key="$WORK/st-expired.key" >/dev/null
  local t0
  t0=$(now)
  { st_server "$NS_ST" st-pasv; echo "---"; st_server "$NS_ST" st-ranges; echo "---"
    st_server "$NS_ST" st-tls "  tls: {mode: Required, secretRef: {name: st-tls-good}}"; } | kubectl apply -f - >/dev/null
  local s
  for s in st-pasv st-ranges st-tls; do
    ready "$NS_ST" "$s" 240s
    st_says "$NS_ST" "$s" True TransferVerified "" || fail "ftpserver/$s Ready but not verified"
  done
  info "st-pasv, st-ranges, st-tls (FTPS required) Ready and verified $(secs "$t0" "$(now)")s after apply"

  # the faults, all at once
  local pasv_lb ranges_lb op_ip
  pasv_lb=$(st_lb "$NS_ST" st-pasv)
  ranges_lb=$(st_lb "$NS_ST" st-ranges)
  # (a) a passiveAddress no client reaches: 192.0.2.10 (RFC 5737, documentation) is routed nowhere; the probe
  #     never dials such an address, so no packet leaves for it: it asks the server through the ClusterIP
  st_patch st-pasv '{"spec":{"passiveAddress":"192.0.2.10"}}'
  # (b) source ranges that admit the outside client (its netns address) and not the operator's pod
  st_patch st-ranges "{\"spec\":{\"service\":{\"loadBalancerSourceRanges\":[\"$CLIENT_IP/32\"]}}}"
  # (c) the TLS Secret is one whose certificate expired yesterday
  st_patch st-tls '{"spec":{"tls":{"secretRef":{"name":"st-tls-expired"}}}}'
  t0=$(now)
  st_wait "$NS_ST" st-pasv False PassiveAddressWrong "PASV named 192.0.2.10, a documentation address (RFC 5737)" 120
  st_wait "$NS_ST" st-ranges Unknown UnreachableFromCluster "loadBalancerSourceRanges [$CLIENT_IP/32] do not admit the operator's address" 120
  st_wait "$NS_ST" st-tls False TlsFailed "the certificate expired on" 180
  info "the three faults reported $(secs "$t0" "$(now)")s after the patches"
  # kube-proxy enforces the ranges here: the outside client (inside them) transfers, the node (outside) is dropped
  st_outside_transfer "$ranges_lb" >"$WORK/st-ranges-outside.txt" 2>&1 \
    || { cat "$WORK/st-ranges-outside.txt"; fail "the outside client, inside loadBalancerSourceRanges, cannot transfer"; }
  if curl -s --connect-timeout 3 --max-time 5 -o /dev/null "ftp://$ranges_lb:21/" --user demo:demo-password-change-me; then
    fail "the node reached $ranges_lb:21 from outside loadBalancerSourceRanges: kube-proxy does not enforce them"
  fi
  info "loadBalancerSourceRanges [$CLIENT_IP/32]: the outside client transfers ($(tail -1 "$WORK/st-ranges-outside.txt")); the node is dropped"
  [ "$(st_field "$NS_ST" st-ranges Ready status)" = True ] \
    || fail "UnreachableFromCluster turned Ready $(st_field "$NS_ST" st-ranges Ready status): it must leave Ready as without the self-test"

  # the fixes: no passiveAddress; the operator's address admitted too; a valid certificate again
  op_ip=$(kubectl -n "$OP_NS" get pods -l "app.kubernetes.io/instance=$RELEASE" --field-selector=status.phase=Running \
    -o jsonpath='{.items[0].status.podIP}')
  st_patch st-pasv '[{"op":"remove","path":"/spec/passiveAddress"}]' json
  st_patch st-ranges "{\"spec\":{\"service\":{\"loadBalancerSourceRanges\":[\"$CLIENT_IP/32\",\"$op_ip/32\"]}}}"
  st_patch st-tls '{"spec":{"tls":{"secretRef":{"name":"st-tls-good"}}}}'
  t0=$(now)
  st_wait "$NS_ST" st-pasv True TransferVerified "PASV named $pasv_lb" 180
  st_wait "$NS_ST" st-ranges True TransferVerified "Logged in at $ranges_lb" 120
  st_wait "$NS_ST" st-tls True TransferVerified "over TLS" 180
  for s in st-pasv st-ranges st-tls; do ready "$NS_ST" "$s" 60s; done
  info "fixed (passiveAddress removed, operator $op_ip admitted, valid certificate): all verified and Ready $(secs "$t0" "$(now)")s later"
  kubectl delete namespace "$NS_ST" --wait=false >/dev/null
}

step_first_transfer() {
  need_operator
  restricted_namespace "$NS_FT"
  local n=10 i
  # the default interval (60 s): what users get; Ready waits for the first verified transfer
  for i in $(seq 0 $((n - 1))); do
    st_server "$NS_FT" "first-$i" | sed 's/^  selfTest: {intervalSeconds: 10}$//' >"$WORK/first-$i.yaml"
  done
  for i in $(seq 0 $((n - 1))); do
    (
      t_apply=$(now)
      kubectl apply -f "$WORK/first-$i.yaml" >/dev/null
      if ! kubectl -n "$NS_FT" wait --for=condition=Ready "ftpserver/first-$i" --timeout=300s >/dev/null; then
        echo "first-$i NOT-READY 0" >"$WORK/first-$i.result"; exit 0
      fi
      t_ready=$(now)
      ep=$(kubectl -n "$NS_FT" get ftpserver "first-$i" -o jsonpath='{.status.publicAddress}')
      if st_outside_transfer "$ep" >"$WORK/first-$i.out" 2>&1; then r=OK; else r=FAILED; fi
      echo "first-$i $r $(secs "$t_apply" "$t_ready")" >"$WORK/first-$i.result"
    ) &
  done
  wait
  local failed=0 line
  for i in $(seq 0 $((n - 1))); do
    line=$(cat "$WORK/first-$i.result" 2>/dev/null || echo "first-$i NO-RESULT 0")
    info "$line"
    case $line in
      *" OK "*) ;;
      *) failed=$((failed + 1)); sed 's/^/      /' "$WORK/first-$i.out" 2>/dev/null || true ;;
    esac
  done
  local times
  times=$(awk '$2 == "OK" || $2 == "FAILED" {print $3}' "$WORK"/first-*.result | sort -n \
    | awk '{a[NR] = $1} END {if (NR) printf "median %.1f s, max %.1f s", (NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2), a[NR]}')
  FIRST_TRANSFER="$failed of $n first transfers right after Ready failed; apply -> Ready ${times:-unknown} (load $(cut -d' ' -f1-3 /proc/loadavg))"
  info "$FIRST_TRANSFER"
  kubectl delete namespace "$NS_FT" --wait=false >/dev/null
  [ "$failed" = 0 ] || fail "$failed of $n outside clients' first passive transfer right after Ready failed"
}

st_pods_verified() { # <n>: status.selfTest.pods names n pods, each last verified
  [ "$(kubectl -n "$NS_SP" get ftpserver st-pods -o json \
        | jq '[.status.selfTest.pods // [] | .[] | select(.lastResult == "TransferVerified" and .lastSuccessTime != null)] | length')" = "$1" ]
}

step_selftest_pods() {
  need_operator
  if ! grep -q 'FTP_CLUSTER_PEERS' "$root/ftp-server/src/main/java/dev/ftpoperator/server/config/Variable.java"; then
    info "SKIPPED: this tree's ftp-server cannot run several replicas"; return 0
  fi
  restricted_namespace "$NS_SP"
  st_server "$NS_SP" st-pods "  replicas: 3" \
    | sed 's/^  storage: {emptyDir: true}$/  storage: {size: 1Gi, accessMode: ReadWriteMany}/; s/^  passivePorts: .*$/  passivePorts: {min: 30000, max: 30005}/' \
    | kubectl apply -f - >/dev/null
  local t0
  t0=$(now)
  ready "$NS_SP" st-pods 300s
  # every pod answers a probe through the load balancer in time (10 s interval, kube-proxy picks at random:
  # a pod missed by 18 probes has probability (2/3)^18 < 0.1%)
  lc_wait_for --every 5 240 "a verified probe answered by each of the 3 pods" st_pods_verified 3 \
    || fail "status.selfTest.pods: $(kubectl -n "$NS_SP" get ftpserver st-pods -o jsonpath='{.status.selfTest.pods}')"
  info "every pod verified $(secs "$t0" "$(now)")s after apply: $(kubectl -n "$NS_SP" get ftpserver st-pods \
    -o jsonpath='{range .status.selfTest.pods[*]}{.name}={.lastResult}@{.lastSuccessTime} {end}')"
  # only the probe identity sees the pod marker: an ordinary user's listing does not
  local lb listing
  lb=$(st_lb "$NS_SP" st-pods)
  listing=$(ip netns exec "$CLIENT_NETNS" curl -s --connect-timeout 5 --max-time 20 "ftp://$lb:21/" --user demo:demo-password-change-me) \
    || fail "the demo user cannot list st-pods"
  grep -q 'served-by' <<<"$listing" && fail "an ordinary user sees the probe's pod marker: $listing"
  info "the demo user's listing shows no pod marker"
  kubectl delete namespace "$NS_SP" --wait=false >/dev/null
}

# --- several replicas -------------------------------------------------------------------------------
REP=shared                   # metadata.name in examples/replicated.yaml
REP_PASSIVE=30000-30029
rep_sessions() { # <label> <count> <parallel> <replicas>: sessions through the replicated example's address
  "${CLIENTS[@]}" sessions --host "$REP_LB" --user demo --password demo-password-change-me \
      --passive-range "$REP_PASSIVE" --size 262144 --count "$2" --parallel "$3" --replicas "$4" \
      --dir "e2e-$1" >"$WORK/sessions-$1.txt" 2>&1 || { cat "$WORK/sessions-$1.txt"; fail "a session failed ($1)"; }
  grep -v '^PASS' "$WORK/sessions-$1.txt" | sed 's/^/    /'
}
# <n>: status.pods lists n pods, all ready, the StatefulSet has rolled to its template, and the load-balancer
# Service sends to exactly n pods, each ready and not terminating, with kube-proxy's rules in place for each. The
# statuses alone are not enough: right after a pod is replaced, both still count the old pod of the same name, which
# stayed Ready while it drained, and a run of sessions started then may never reach the new pod.
rep_pods_ready() {
  local want=$1 json uids ip nat
  json=$(kubectl -n "$NS_R" get pods -l "app.kubernetes.io/instance=$REP" -o json)
  uids=$(jq -r '[.items[] | select(.metadata.deletionTimestamp == null)
      | select(any(.status.conditions[]?; .type == "Ready" and .status == "True")) | .metadata.uid] | sort | join(" ")' <<<"$json")
  [ "$(wc -w <<<"$uids")" = "$want" ] && [ "$(jq '.items | length' <<<"$json")" = "$want" ] || return 1
  json=$(kubectl -n "$NS_R" get endpointslices -l "kubernetes.io/service-name=$REP" -o json)
  [ "$(jq -r '[.items[].endpoints[]? | select(.conditions.ready == true and .conditions.terminating != true)
      | .targetRef.uid] | sort | join(" ")' <<<"$json")" = "$uids" ] || return 1
  nat=$(iptables-save -t nat | grep -F -- "--comment \"$NS_R/$REP:")
  for ip in $(jq -r '.items[].endpoints[]?.addresses[]' <<<"$json"); do
    grep -qF -- "--to-destination $ip:" <<<"$nat" || return 1
  done
  json=$(kubectl -n "$NS_R" get ftpserver "$REP" -o json)
  [ "$(jq '[.status.pods // [] | .[] | select(.ready)] | length' <<<"$json")" = "$want" ] || return 1
  [ "$(jq '.status.pods | length' <<<"$json")" = "$want" ] || return 1
  json=$(kubectl -n "$NS_R" get statefulset "$REP" -o json)
  jq -e --argjson n "$want" '.status.observedGeneration == .metadata.generation and .status.updatedReplicas == $n
        and .status.readyReplicas == $n and .status.replicas == $n and .status.currentRevision == .status.updateRevision' \
    <<<"$json" >/dev/null
}
rep_metric() { # <pod> <metric line prefix>: the value of one sample of the pod's /metrics
  kubectl get --raw "/api/v1/namespaces/$NS_R/pods/$1:8080/proxy/metrics" 2>/dev/null \
    | awk -v m="$2" 'index($0, m) == 1 {print $NF; found=1} END {if (!found) print 0}' | head -1
}
declare -A REP_FAILS_BEFORE=()  # pod -> ftp_relay_failures_total when the last run of sessions began
rep_relay_failures() { # <pod>: the sum of the pod's ftp_relay_failures_total over all reasons
  kubectl get --raw "/api/v1/namespaces/$NS_R/pods/$1:8080/proxy/metrics" \
    | awk '/^ftp_relay_failures_total/ {s += $NF} END {printf "%d\n", s + 0}'
}
rep_relay_baseline() { # before a run of sessions: what each pod counted already (e.g. during a roll)
  local pod
  REP_FAILS_BEFORE=()
  for pod in $(kubectl -n "$NS_R" get pods -l "app.kubernetes.io/instance=$REP" -o jsonpath='{.items[*].metadata.name}'); do
    REP_FAILS_BEFORE[$pod]=$(rep_relay_failures "$pod")
  done
}
# every pod took part in the relay (sent or received a relayed data connection) by kernel splice, and none failed to
# relay since rep_relay_baseline. Failures while pods rolled (a peer restarting: its relay port closed)
# are the design's refusals, so only the run after Ready must be clean.
rep_relayed_everywhere() {
  local pod out in fails before total=0
  for pod in $(kubectl -n "$NS_R" get pods -l "app.kubernetes.io/instance=$REP" -o jsonpath='{.items[*].metadata.name}'); do
    out=$(rep_metric "$pod" 'ftp_relayed_connections_total{direction="out"}')
    in=$(rep_metric "$pod" 'ftp_relayed_connections_total{direction="in"}')
    fails=$(rep_relay_failures "$pod")
    before=${REP_FAILS_BEFORE[$pod]:-0}
    info "pod $pod: relayed out ${out%.*}, in ${in%.*}, relay failures $fails ($before before the run)"
    [ "$fails" = "$before" ] || fail "pod $pod counted $((fails - before)) relay failure(s) during the run"
    [ $(( ${out%.*} + ${in%.*} )) -gt 0 ] || fail "pod $pod relayed nothing: the relay path did not run there"
    # grep reads the whole log: with -q it would stop early and kubectl's SIGPIPE fail the pipeline
    kubectl -n "$NS_R" logs "$pod" | grep 'by kernel splice' >/dev/null \
      || fail "pod $pod does not relay by kernel splice: the image's native library did not load"
    total=$((total + ${out%.*}))
  done
  info "relayed data connections in all: $total"
}

rep_pods() { kubectl -n "$NS_R" get pods -l "app.kubernetes.io/instance=$REP" -o jsonpath='{.items[*].metadata.name}'; }
rep_counters() { # one line per pod: <ordinal> <relayed out> <data connections rejected>
  local pod metrics
  for pod in $(rep_pods); do
    metrics=$(kubectl get --raw "/api/v1/namespaces/$NS_R/pods/$pod:8080/proxy/metrics")
    awk -v k="${pod##*-}" '
      index($0, "ftp_relayed_connections_total{direction=\"out\"} ") == 1 {out = $NF}
      index($0, "ftp_data_connections_rejected_total ") == 1 {rej = $NF}
      END {printf "%d %d %d\n", k, out, rej}' <<<"$metrics"
  done
}

# The second outside address: a network namespace made like cluster-up's ftp-client (a veth to the
# host, a route to the load-balancer pool only), for this step only; cleanup() removes it too.
rep_hijacker_up() {
  rep_hijacker_down
  ip netns add "$HIJACKER_NETNS"
  ip link add "$HIJACKER_VETH_HOST" type veth peer name eth0 netns "$HIJACKER_NETNS"
  ip addr add "$HIJACKER_HOST_IP/${HIJACKER_NET#*/}" dev "$HIJACKER_VETH_HOST"
  ip link set "$HIJACKER_VETH_HOST" up
  ip -n "$HIJACKER_NETNS" link set lo up
  ip -n "$HIJACKER_NETNS" addr add "$HIJACKER_IP/${HIJACKER_NET#*/}" dev eth0
  ip -n "$HIJACKER_NETNS" link set eth0 up
  ip -n "$HIJACKER_NETNS" route add "$LB_POOL_CIDR" via "$HIJACKER_HOST_IP"
  # FTPOP-FORWARD forwards only to cluster-up's interfaces: admit the pods' replies to this one, and
  # reject what it sends anywhere else, like the client's
  iptables -I "$FW_CHAIN" 1 -o "$HIJACKER_VETH_HOST" -j RETURN
  iptables -A "$FW_CHAIN" -i "$HIJACKER_VETH_HOST" -j REJECT
}
rep_hijacker_down() {
  while iptables -D "$FW_CHAIN" -o "$HIJACKER_VETH_HOST" -j RETURN 2>/dev/null; do :; done
  while iptables -D "$FW_CHAIN" -i "$HIJACKER_VETH_HOST" -j REJECT 2>/dev/null; do :; done
  ip netns delete "$HIJACKER_NETNS" 2>/dev/null || true   # takes the veth pair with it
  ip link delete "$HIJACKER_VETH_HOST" 2>/dev/null || true
}

# While the real client holds a pending PASV port, the second address connects to it through the load
# balancer: the owner (directly, or through the relay from the pod the balancer chose) must close it
# without a byte, and the real client then still gets its file on that port (ftp-server/README.md:
# "a connection from elsewhere is closed and the real client can still connect"). At least 10
# attempts, more (up to 20) until both the direct and the relayed path were taken.
rep_hijack() {
  local cli=(--host "$REP_LB" --user demo --password demo-password-change-me --passive-range "$REP_PASSIVE")
  rep_hijacker_up
  info "second outside address $HIJACKER_IP (netns $HIJACKER_NETNS) routes: $(ip netns exec "$HIJACKER_NETNS" ip -4 route | tr '\n' ';')"
  "${CLIENTS[@]}" put "${cli[@]}" --dir e2e-hijack --name target.bin --size 65536 >/dev/null || fail "upload of target.bin"
  local i=0 direct=0 relayed=0 before after line port owner path got hold go said
  while [ $i -lt 10 ] || { [ $i -lt 20 ] && { [ $direct = 0 ] || [ $relayed = 0 ]; }; }; do
    i=$((i + 1))
    before=$(rep_counters)
    rm -f "$WORK/hold.in" "$WORK/hold.out"; mkfifo "$WORK/hold.in" "$WORK/hold.out"
    "${CLIENTS[@]}" hold-pasv "${cli[@]}" --dir e2e-hijack --name target.bin --size 65536 \
      <"$WORK/hold.in" >"$WORK/hold.out" 2>&1 &
    hold=$!
    exec {go}>"$WORK/hold.in" {said}<"$WORK/hold.out"
    read -r -t 30 line <&"$said" || fail "the real client printed no pending port"
    [[ $line =~ ^pending\ ([0-9]+)$ ]] || fail "the real client: $line"
    port=${BASH_REMATCH[1]}
    owner=$("$PY" -c 'import sys; lo, hi = map(int, sys.argv[1].split("-")); n, p = int(sys.argv[2]), int(sys.argv[3]);
print(next(k for k in range(n) if lo + k * (hi - lo + 1) // n <= p <= lo + (k + 1) * (hi - lo + 1) // n - 1))' \
      "$REP_PASSIVE" 3 "$port")
    got=$(ip netns exec "$HIJACKER_NETNS" "$PY" "$root/e2e/clients.py" hijack "${cli[@]}" --data-port "$port" 2>&1) \
      || fail "attempt $i, port $port (pod $owner's): $got"
    after=$(rep_counters)
    # the owner counts the refusal; a pod that relayed it counts one more relayed-out connection
    path=$(join <(sort <<<"$before") <(sort <<<"$after") | awk -v o="$owner" '
      $1 == o && $5 - $3 == 1 {refused = 1}
      $1 != o && $4 - $2 >= 1 {via = $1}
      END {if (!refused) print "unrefused"; else if (via != "") print "relayed-by-" via; else print "direct"}')
    [ "$path" != unrefused ] || fail "attempt $i: pod $owner did not count the hijack of port $port as a refused data connection"
    case $path in direct) direct=$((direct + 1)) ;; *) relayed=$((relayed + 1)) ;; esac
    echo go >&"$go"
    read -r -t 30 line <&"$said" || line="(nothing)"
    exec {go}>&- {said}<&-
    wait "$hold" || fail "attempt $i: the real client after the hijack of port $port: $line"
    info "attempt $i: port $port of pod $owner, hijacker landed $path: ${got#refused: }; real client: $line"
  done
  if [ $direct = 0 ] || [ $relayed = 0 ]; then
    fail "$i attempts took the direct path $direct times, the relayed $relayed: both must be tried"
  fi
  local why
  why=$(for pod in $(rep_pods); do kubectl -n "$NS_R" logs "$pod" --since=10m; done \
          | grep -c "refused data connection from $HIJACKER_IP on passive port [0-9]*: the control connection is from $CLIENT_IP" || true)
  [ "$why" = "$i" ] || fail "the pods logged $why same-client refusals of $HIJACKER_IP, expected $i"
  rep_hijacker_down
  info "hijack from $HIJACKER_IP: $i attempts ($direct direct, $relayed relayed), every one refused by the port's owner (same-client check) with 0 bytes, the real client's transfer whole each time"
}

# A pod deleted while transfers run on every pod (3 per pod, rate-limited: ~15 s each, half of them
# uploads; their data connections relayed wherever the balancer put them). Promised (README, Several
# replicas): the deleted pod keeps serving for its preStop sleep, then drains: running transfers,
# its own and those it relays for the other pods, may finish within FTP_SHUTDOWN_GRACE_SECONDS (110 s
# for replicated pods). So every session must finish byte for byte, new sessions must work all along,
# and the replacement pod must take part in the relay.
rep_delete_during_transfers() {
  local cli=(--host "$REP_LB" --user demo --password demo-password-change-me --passive-range "$REP_PASSIVE")
  local victim=$REP-1 uid busy follow said t_kill t_first="" ok=0 line
  uid=$(kubectl -n "$NS_R" get pod "$victim" -o jsonpath='{.metadata.uid}')
  rm -f "$WORK/busy.out"; mkfifo "$WORK/busy.out"
  "${CLIENTS[@]}" slow "${cli[@]}" --dir e2e-busy --count 9 --replicas 3 --size 3145728 --rate 204800 \
    >"$WORK/busy.out" 2>&1 &
  busy=$!
  exec {said}<"$WORK/busy.out"
  read -r -t 150 line <&"$said" || fail "the busy sessions did not start their transfers"
  [ "$line" = "all 9 transferring" ] || fail "busy sessions: $line"
  kubectl -n "$NS_R" logs -f "$victim" >"$WORK/victim.log" 2>&1 &
  follow=$!
  t_kill=$(now)
  kubectl -n "$NS_R" delete pod "$victim" --wait=false >/dev/null
  # new sessions meanwhile, for 12 s: through the preStop window (5 s), SIGTERM and the drain
  while [ "$(secs "$t_kill" "$(now)" | cut -d. -f1)" -lt 12 ]; do
    "${CLIENTS[@]}" probe "${cli[@]}" --dir e2e-during >/dev/null 2>"$WORK/probe.err" \
      || fail "a new session $(secs "$t_kill" "$(now)")s after deleting $victim failed: $(cat "$WORK/probe.err")"
    ok=$((ok + 1))
    [ -n "$t_first" ] || t_first=$(secs "$t_kill" "$(now)")
  done
  info "$victim deleted while 9 transfers ran; new sessions: the first done ${t_first}s later, $ok of $ok passed in the first $(secs "$t_kill" "$(now)")s"
  timeout 180 cat <&"$said" >"$WORK/sessions-busy.txt" || true
  exec {said}<&-
  wait "$busy" || { sed 's/^/    /' "$WORK/sessions-busy.txt"; fail "a transfer running while $victim was deleted failed"; }
  sed 's/^/    /' "$WORK/sessions-busy.txt"
  info "every transfer finished byte for byte $(secs "$t_kill" "$(now)")s after the delete, the 3 on $victim included (drained)"
  lc_wait_for --every 2 180 "3 ready pods after deleting $victim" rep_pods_ready 3 || fail "$victim did not come back"
  [ "$(kubectl -n "$NS_R" get pod "$victim" -o jsonpath='{.metadata.uid}')" != "$uid" ] || fail "$victim was not replaced"
  wait "$follow" || true   # the old container's log ended with it
  info "all 3 ready again $(secs "$t_kill" "$(now)")s after the delete; $victim's drain: $(grep -o '"message":"[^"]*\(shutting down\|grace period\|stopped\)[^"]*"' "$WORK/victim.log" | tr '\n' ' ')"
  rep_relay_baseline
  rep_sessions after-restart 12 6 3
  rep_relayed_everywhere   # the replacement's counters started at 0: non-zero means it rejoined
}

step_replicas() {
  need_operator
  restricted_namespace "$NS_R"
  local t0
  t0=$(now)
  kubectl -n "$NS_R" apply -f "$root/examples/replicated.yaml" >/dev/null
  ready "$NS_R" "$REP" 300s
  lc_wait_for --every 2 120 "3 ready pods of $REP" rep_pods_ready 3 || fail "the 3 pods of $REP are not all ready"
  kubectl -n "$NS_R" get ftpserver "$REP"
  local ep
  ep=$(kubectl -n "$NS_R" get ftpserver "$REP" -o jsonpath='{.status.endpoint}')
  [[ $ep =~ ^ftp://([0-9.]+):21$ ]] || fail "replicated example endpoint '$ep'"
  REP_LB=${BASH_REMATCH[1]}
  info "Ready $(secs "$t0" "$(now)")s after apply; slices: $(kubectl -n "$NS_R" get ftpserver "$REP" -o jsonpath='{range .status.pods[*]}{.name}={.passivePorts} {end}')"
  local ports
  ports=$(kubectl -n "$NS_R" get service "$REP" -o jsonpath='{.spec.ports[*].port}')
  [ "$(wc -w <<<"$ports")" = 31 ] || fail "Service $REP has $(wc -w <<<"$ports") ports, expected 21 and 30 passive ports"
  grep -qw 2122 <<<"$ports" && fail "the relay port 2122 is on the load-balancer Service"
  for k in 0 1 2; do
    [ "$(kubectl -n "$NS_R" get service "$REP-$k" -o jsonpath='{.spec.type} {.spec.ports[*].port}')" = "ClusterIP 2122" ] \
      || fail "per-pod Service $REP-$k is not a ClusterIP Service with only port 2122"
  done
  kubectl -n "$NS_R" get pdb "$REP" >/dev/null || fail "no PodDisruptionBudget $REP"
  [ -z "$(kubectl -n "$NS_R" get deploy -o name)" ] || fail "a Deployment exists next to the StatefulSet"
  info "LoadBalancer $REP_LB: 21 + 30 passive ports, no relay port; per-pod Services $REP-0..2 on 2122; PDB; no Deployment"

  # 60 sessions one after the other and 10 at once, curl/lftp/ftplib x PASV/EPSV: the load balancer
  # spreads data connections over the pods regardless of who answered PASV, so most are relayed
  rep_relay_baseline
  rep_sessions three 60 10 3
  rep_relayed_everywhere
  # files uploaded through one pod are listed and served by the others (one shared claim)
  "${CLIENTS[@]}" verify --host "$REP_LB" --user demo --password demo-password-change-me --passive-range "$REP_PASSIVE" \
    --dir e2e-shared --name cross.bin --size 65536 >/dev/null 2>&1 || true
  "${CLIENTS[@]}" put --host "$REP_LB" --user demo --password demo-password-change-me --passive-range "$REP_PASSIVE" \
    --dir e2e-shared --name cross.bin --size 65536 >/dev/null || fail "upload of cross.bin"
  local i
  for i in 1 2 3 4 5 6; do
    "${CLIENTS[@]}" verify --host "$REP_LB" --user demo --password demo-password-change-me --passive-range "$REP_PASSIVE" \
      --dir e2e-shared --name cross.bin --size 65536 >/dev/null || fail "cross.bin not served by some pod (verify $i)"
  done
  info "cross.bin uploaded once, read back 6 times through whichever pods the load balancer chose"

  rep_hijack
  rep_delete_during_transfers

  # kubectl scale through the scale subresource: 3 -> 2 (every slice changes: a rolling restart)
  kubectl -n "$NS_R" scale ftpserver "$REP" --replicas=2 >/dev/null || fail "kubectl scale ftpserver/$REP --replicas=2"
  lc_wait_for --every 2 300 "2 ready pods after scaling to 2" rep_pods_ready 2 || fail "not 2 ready pods after kubectl scale"
  ready "$NS_R" "$REP" 120s
  kubectl -n "$NS_R" get service "$REP-2" >/dev/null 2>&1 && fail "per-pod Service $REP-2 still exists at 2 replicas"
  info "scaled to 2: slices $(kubectl -n "$NS_R" get ftpserver "$REP" -o jsonpath='{range .status.pods[*]}{.name}={.passivePorts} {end}')"
  rep_relay_baseline
  rep_sessions two 20 10 2
  rep_relayed_everywhere

  # and up again, 2 -> 4: a new per-pod Service and slice map, every session clean once Ready
  kubectl -n "$NS_R" scale ftpserver "$REP" --replicas=4 >/dev/null || fail "kubectl scale ftpserver/$REP --replicas=4"
  lc_wait_for --every 2 300 "4 ready pods after scaling to 4" rep_pods_ready 4 || fail "not 4 ready pods after kubectl scale"
  ready "$NS_R" "$REP" 120s
  info "scaled to 4: slices $(kubectl -n "$NS_R" get ftpserver "$REP" -o jsonpath='{range .status.pods[*]}{.name}={.passivePorts} {end}')"
  rep_relay_baseline
  rep_sessions four 24 8 4
  rep_relayed_everywhere

  # last, since it bans the outside client from this FtpServer: wrong passwords spread by the load
  # balancer over the 4 pods add up to one ban on every pod (FTP_BAN_MAX_FAILURES=10 across replicas)
  local n
  for n in $(seq 1 12); do
    ip netns exec "$CLIENT_NETNS" curl -s --connect-timeout 5 --max-time 10 -o /dev/null \
      "ftp://$REP_LB:21/" --user "demo:wrong-$n" && fail "a wrong password was accepted"
  done
  sleep 2
  local pod bans refused=0
  for pod in $(kubectl -n "$NS_R" get pods -l "app.kubernetes.io/instance=$REP" -o jsonpath='{.items[*].metadata.name}'); do
    bans=$(rep_metric "$pod" 'ftp_ip_bans_total')
    [ "${bans%.*}" -ge 1 ] || fail "pod $pod did not ban the client: failures were not counted across replicas"
  done
  for n in $(seq 1 8); do
    if ! ip netns exec "$CLIENT_NETNS" curl -s --connect-timeout 5 --max-time 10 -o /dev/null \
        "ftp://$REP_LB:21/" --user demo:demo-password-change-me; then
      refused=$((refused + 1))
    fi
  done
  [ "$refused" = 8 ] || fail "the banned client logged in $((8 - refused)) of 8 times with the right password"
  info "12 wrong passwords over 4 pods: every pod banned the client; the right password refused 8 of 8 times"
}

# --- the operator in production: a real Prometheus, upgrades under load, failover ----------------------
LEASE=$RELEASE-leader        # the chart's leader-election Lease (leaderElection.enabled, the default)
FTP_SERVER_PODS=app.kubernetes.io/name=ftp-server,app.kubernetes.io/managed-by=ftp-operator
PROM_PID=""                  # the Prometheus that step prometheus runs on this host (cleanup stops it too)
PROM_URL=""
HOLD_SIZE=$((64 << 20))      # bytes of each held transfer: at 256 KiB/s until released it outlasts 4 min
HOLD_GET=""                  # pids of the held download and upload
HOLD_PUT=""

run_namespaces() { # this run's namespaces that exist
  local ns
  for ns in "$NS" "$NS_MIN" "$NS_W" "$NS_U" "$NS_NP" "$NS_R"; do
    if kubectl get namespace "$ns" >/dev/null 2>&1; then echo "$ns"; fi
  done
}
ftp_objects() { # every Deployment, StatefulSet and Service of an FtpServer in this run's namespaces: resourceVersion
  local ns
  for ns in $(run_namespaces); do
    kubectl -n "$ns" get deployments,statefulsets,services -l app.kubernetes.io/managed-by=ftp-operator -o json \
      | jq -r '.items[] | "\(.kind) \(.metadata.namespace)/\(.metadata.name) \(.metadata.resourceVersion)"'
  done | sort
}
ftp_pods() { # every FTP server pod in this run's namespaces: uid and restarts
  local ns
  for ns in $(run_namespaces); do
    kubectl -n "$ns" get pods -l "$FTP_SERVER_PODS" -o json | jq -r '.items[]
      | "\(.metadata.namespace)/\(.metadata.name) \(.metadata.uid) restarts \([.status.containerStatuses[]?.restartCount] | add // 0)"'
  done | sort
}
unchanged() { # <what> <before> <now>
  [ "$2" = "$3" ] || fail "$1 changed: $(diff <(echo "$2") <(echo "$3") | grep '^[<>]' | tr '\n' ' ')"
}
lease_holder() { kubectl -n "$OP_NS" get lease "$LEASE" -o jsonpath='{.spec.holderIdentity}'; }
operator_pods() { # the operator's running pods that are not being deleted
  kubectl -n "$OP_NS" get pods -l "app.kubernetes.io/instance=$RELEASE" -o json | jq -r '.items[]
    | select(.metadata.deletionTimestamp == null and .status.phase == "Running") | .metadata.name'
}
op_metric() { # <pod> <family>: the sum of the family's samples in that operator pod's /q/metrics (0 when absent)
  kubectl get --raw "/api/v1/namespaces/$OP_NS/pods/$1:9000/proxy/q/metrics" 2>/dev/null \
    | awk -v m="$2" '$1 == m || index($1, m "{") == 1 {s += $NF} END {printf "%d\n", s}'
}
reconciled_all() { # <pod>: that operator finished as many reconciles as there are FtpServers (its start-up sync)
  local n finished
  n=$(kubectl get ftpservers -A -o name | wc -l)
  finished=$(( $(op_metric "$1" operator_sdk_reconciliations_success_total) + $(op_metric "$1" operator_sdk_reconciliations_failed_total) ))
  echo "$finished reconciles of $n FtpServers"
  [ "$finished" -ge "$n" ]
}
new_leader() { # <old pods>: prints the Lease holder once it is a running operator pod not among them
  local holder
  holder=$(lease_holder)
  [ -n "$holder" ] && ! grep -qxF "$holder" <<<"$1" && operator_pods | grep -qxF "$holder" && echo "$holder"
}
took_over() { # <old pods>: they are gone, a new pod holds the Lease and has reconciled every FtpServer
  local p leader
  for p in $1; do
    kubectl -n "$OP_NS" wait --for=delete "pod/$p" --timeout=120s >/dev/null 2>&1 \
      || ! kubectl -n "$OP_NS" get pod "$p" >/dev/null 2>&1 || fail "operator pod $p did not go"
  done
  leader=$(lc_wait_for 90 "a new operator pod to hold the Lease $LEASE" new_leader "$1") || fail "no new operator pod took the Lease"
  lc_wait_for --every 2 120 "$leader to reconcile every FtpServer" reconciled_all "$leader" >/dev/null \
    || fail "the new leader $leader did not reconcile every FtpServer"
  OP_LEADER=$leader
}
ftps_reconciled_by_operator() { # proof that the operator now running acts: a Service-only spec change applied
  local marker
  marker=$(date +%s%N)
  kubectl -n "$NS" patch ftpserver "$NAME" --type=merge \
    -p "{\"spec\":{\"service\":{\"annotations\":{\"e2e.ftp.operator.dev/reconciled\":\"$marker\"}}}}" >/dev/null
  lc_wait_for 120 "the operator to apply a changed FtpServer" service_marked "$marker" \
    || fail "the operator did not apply a spec change to the Service"
  lc_wait_for 60 "status.observedGeneration of $NAME" observed "$NS" "$NAME" || fail "observedGeneration did not catch up"
}
service_marked() { # <value>: the FTPS example's Service carries the e2e annotation with that value
  [ "$(kubectl -n "$NS" get service "$SVC" -o jsonpath='{.metadata.annotations.e2e\.ftp\.operator\.dev/reconciled}')" = "$1" ]
}

# held transfers: a download and an upload through the FTPS example's load balancer at 256 KiB/s, held
# open across an operation until the step releases them, then at full speed and checked byte for byte
holds_open() { grep -q 'data connection open' "$WORK/hold-get-$1.txt" && grep -q 'data connection open' "$WORK/hold-put-$1.txt"; }
hold_start() { # <tag>
  rm -f "$WORK/release-$1"
  ftps hold --direction get --name hold-source.bin --size "$HOLD_SIZE" --release "$WORK/release-$1" >"$WORK/hold-get-$1.txt" 2>&1 &
  HOLD_GET=$!
  ftps hold --direction put --name "hold-$1.bin" --size "$HOLD_SIZE" --release "$WORK/release-$1" >"$WORK/hold-put-$1.txt" 2>&1 &
  HOLD_PUT=$!
  lc_wait_for 60 "the held transfers to move data" holds_open "$1" || fail "the held transfers did not start"
}
hold_finish() { # <tag>: release them; both complete, the upload reads back byte for byte
  if ! kill -0 "$HOLD_GET" 2>/dev/null || ! kill -0 "$HOLD_PUT" 2>/dev/null; then
    cat "$WORK/hold-get-$1.txt" "$WORK/hold-put-$1.txt"
    fail "a held transfer ended during the $1"
  fi
  touch "$WORK/release-$1"
  local get_rc=0 put_rc=0
  wait "$HOLD_GET" || get_rc=$?
  wait "$HOLD_PUT" || put_rc=$?
  sed 's/^/    /' "$WORK/hold-get-$1.txt" "$WORK/hold-put-$1.txt"
  [ $((get_rc + put_rc)) = 0 ] || fail "a transfer held across the $1 failed"
  ftps verify --name "hold-$1.bin" --size "$HOLD_SIZE" | sed 's/^/    /' || fail "the upload held across the $1 differs"
}

free_port() { "$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
prom() { curl -fsS --max-time 10 -G "$PROM_URL/api/v1/$1" "${@:2}"; } # <API path> [curl args]
prom_value() { prom query --data-urlencode "query=$1" | jq -r '.data.result[0].value[1] // empty'; } # <PromQL>
prom_above() { # <PromQL> <value>: its value is above <value>; prints it
  local v
  v=$(prom_value "$1") && [ -n "$v" ] && awk -v a="$v" -v b="$2" 'BEGIN { exit !(a > b) }' && echo "$v"
}
prom_targets() {
  prom targets --data-urlencode state=active \
    | jq -r '.data.activeTargets[] | "\(.labels.job) \(.labels.namespace)/\(.labels.pod) \(.health)"' | sort
}
wanted_targets() { # every operator pod and every FTP server pod of this run, up
  { operator_pods | sed "s#^#ftp-operator $OP_NS/#; s#\$# up#"
    local ns
    for ns in $(run_namespaces); do
      kubectl -n "$ns" get pods -l "$FTP_SERVER_PODS" -o json | jq -r '.items[]
        | select(.metadata.deletionTimestamp == null and .status.phase == "Running")
        | "ftp-server \(.metadata.namespace)/\(.metadata.name) up"'
    done; } | sort
}
stop_prometheus() {
  [ -n "$PROM_PID" ] || return 0
  kill "$PROM_PID" 2>/dev/null || true
  wait "$PROM_PID" 2>/dev/null || true
  PROM_PID=""
}
# Debian's Prometheus is built without Kubernetes service discovery ("field kubernetes_sd_configs not
# found"), so the test discovers as it would: the operator through its metrics Service's prometheus.io/*
# annotations and EndpointSlice, every FTP server pod on its container port "http"; it writes them as
# file_sd target files, which Prometheus watches, before each look at the targets.
write_prometheus_config() { # <dir>
  cat >"$1/prometheus.yml" <<EOF
global:
  scrape_interval: 2s
  scrape_timeout: 2s
scrape_configs:
  - job_name: ftp-operator
    file_sd_configs: [{files: [$1/ftp-operator.json], refresh_interval: 2s}]
  - job_name: ftp-server
    file_sd_configs: [{files: [$1/ftp-server.json], refresh_interval: 2s}]
EOF
}
write_targets() { # <dir>: the target files, replaced only when they change
  local svc=$RELEASE-metrics path port
  path=$(kubectl -n "$OP_NS" get service "$svc" -o jsonpath='{.metadata.annotations.prometheus\.io/path}')
  port=$(kubectl -n "$OP_NS" get service "$svc" -o jsonpath='{.metadata.annotations.prometheus\.io/port}')
  if [ "$(kubectl -n "$OP_NS" get service "$svc" -o jsonpath='{.metadata.annotations.prometheus\.io/scrape}')" != true ] \
      || [ -z "$path" ] || [ -z "$port" ]; then
    fail "Service $svc lacks the prometheus.io/scrape, /path and /port annotations"
  fi
  kubectl -n "$OP_NS" get endpointslices -l "kubernetes.io/service-name=$svc" -o json \
    | jq --arg path "$path" --arg port "$port" '[.items[].endpoints[]? | {targets: ["\(.addresses[0]):\($port)"],
        labels: {__metrics_path__: $path, namespace: .targetRef.namespace, pod: .targetRef.name}}]' >"$1/ftp-operator.new"
  local ns
  for ns in $(run_namespaces); do
    kubectl -n "$ns" get pods -l "$FTP_SERVER_PODS" -o json | jq '[.items[]
      | select(.status.podIP and .status.phase == "Running" and .metadata.deletionTimestamp == null)
      | {targets: ["\(.status.podIP):\([.spec.containers[].ports[]? | select(.name == "http") | .containerPort][0])"],
         labels: {__metrics_path__: "/metrics", namespace: .metadata.namespace, pod: .metadata.name,
                  ftpserver: .metadata.labels["app.kubernetes.io/instance"]}}]'
  done | jq -s 'add // []' >"$1/ftp-server.new"
  local f
  for f in ftp-operator ftp-server; do
    if cmp -s "$1/$f.new" "$1/$f.json"; then rm "$1/$f.new"; else mv "$1/$f.new" "$1/$f.json"; fi
  done
}
targets_up() { # <dir>: Prometheus scrapes exactly the wanted targets, all up (else prints the difference)
  write_targets "$1"
  local want have
  want=$(wanted_targets)
  have=$(prom_targets)
  [ "$want" = "$have" ] || { diff <(echo "$want") <(echo "$have") | grep '^[<>]'; return 1; }
}

step_prometheus() {
  need_operator
  need_minimal_example
  command -v prometheus >/dev/null || fail "prometheus not found (make prereqs installs Debian's)"
  local dir=$WORK/prometheus port t0 nss
  mkdir -p "$dir/data"
  mapfile -t nss < <(run_namespaces)
  write_prometheus_config "$dir"
  write_targets "$dir"
  promtool check config "$dir/prometheus.yml" >/dev/null || fail "promtool check config refused the test's config"
  port=$(free_port)
  PROM_URL=http://127.0.0.1:$port
  t0=$(now)
  prometheus --config.file="$dir/prometheus.yml" --storage.tsdb.path="$dir/data" \
    --web.listen-address="127.0.0.1:$port" >"$dir/prometheus.log" 2>&1 &
  PROM_PID=$!
  lc_wait_for 60 "Prometheus to be ready" curl -fsS -o /dev/null "$PROM_URL/-/ready" \
    || { tail -20 "$dir/prometheus.log"; fail "Prometheus did not start"; }
  info "$(prometheus --version 2>&1 | head -1) on $PROM_URL; FTP server pods of ${nss[*]}, the operator's of $OP_NS"
  lc_wait_for --every 2 90 "every operator and FTP server pod to be an up target" targets_up "$dir" \
    || fail "Prometheus does not scrape every operator and FTP server pod, or one is down"
  prom targets --data-urlencode state=active | jq -r '.data.activeTargets[]
    | "\(.labels.job) \(.labels.namespace)/\(.labels.pod) \(.scrapeUrl) \(.health), scrape \(.lastScrapeDuration * 1000 | floor) ms"' \
    | sed 's/^/    /'
  info "all $(prom_targets | wc -l) targets up $(secs "$t0" "$(now)")s after the start"

  # an upload and a download of the minimal example: ftp_bytes_received_total grows by exactly the
  # upload (the self-test only lists), ftp_bytes_sent_total by the download and the listings
  local pod in_sel out_sel in0 out0 in1 out1 n=$((3 * 1048576 + 4321)) pod_in
  pod=$(kubectl -n "$NS_MIN" get pods -l "app.kubernetes.io/instance=demo,$FTP_SERVER_PODS" \
    --field-selector=status.phase=Running -o jsonpath='{.items[0].metadata.name}')
  in_sel="ftp_bytes_received_total{namespace=\"$NS_MIN\",pod=\"$pod\"}"
  out_sel="ftp_bytes_sent_total{namespace=\"$NS_MIN\",pod=\"$pod\"}"
  in0=$(prom_value "$in_sel")
  out0=$(prom_value "$out_sel")
  if [ -z "$in0" ] || [ -z "$out0" ]; then fail "Prometheus has no ftp_bytes_* of $NS_MIN/$pod"; fi
  "${CLIENTS[@]}" put --host "$MIN_LB" --user demo --password demo-password-change-me --passive-range 30000-30009 \
    --dir e2e-prometheus --name metered.bin --size "$n" | sed 's/^/    /' || fail "upload to the minimal example"
  "${CLIENTS[@]}" verify --host "$MIN_LB" --user demo --password demo-password-change-me --passive-range 30000-30009 \
    --dir e2e-prometheus --name metered.bin --size "$n" | sed 's/^/    /' || fail "download from the minimal example"
  in1=$(lc_wait_for 30 "Prometheus to scrape the upload" prom_above "$in_sel" "$in0") || fail "the upload is not in $in_sel"
  out1=$(lc_wait_for 30 "Prometheus to scrape the download" prom_above "$out_sel" "$((out0 + n - 1))") \
    || fail "the download is not in $out_sel"
  [ $((in1 - in0)) = "$n" ] || fail "ftp_bytes_received_total grew by $((in1 - in0)), the upload was $n B"
  pod_in=$(kubectl get --raw "/api/v1/namespaces/$NS_MIN/pods/$pod:8080/proxy/metrics" | awk '$1 == "ftp_bytes_received_total" {print $2}')
  [ "$pod_in" = "$in1" ] || fail "Prometheus says $in1 received bytes, the pod's /metrics $pod_in"
  info "$NS_MIN/$pod: ftp_bytes_received_total $in0 -> $in1 (+$n, the upload, exactly), ftp_bytes_sent_total $out0 -> $out1 (+$((out1 - out0)): the download $n and $((out1 - out0 - n)) B of listings)"

  # a reconcile the test causes (a spec change of the minimal example) shows in the leader's counters
  local ok0 started0 ok1 started1 marker
  started0=$(prom_value 'sum(operator_sdk_reconciliations_started_total)')
  ok0=$(prom_value 'sum(operator_sdk_reconciliations_success_total)')
  if [ -z "$started0" ] || [ -z "$ok0" ]; then fail "Prometheus has no operator_sdk_reconciliations_* of the operator"; fi
  marker=$(date +%s%N)
  kubectl -n "$NS_MIN" patch ftpserver demo --type=merge \
    -p "{\"spec\":{\"service\":{\"annotations\":{\"e2e.ftp.operator.dev/reconciled\":\"$marker\"}}}}" >/dev/null
  lc_wait_for 60 "status.observedGeneration of demo" observed "$NS_MIN" demo || fail "the spec change was not reconciled"
  started1=$(lc_wait_for 30 "Prometheus to scrape the reconcile" prom_above 'sum(operator_sdk_reconciliations_started_total)' "$started0") \
    || fail "the reconcile is not in operator_sdk_reconciliations_started_total"
  ok1=$(lc_wait_for 30 "Prometheus to scrape the reconcile's success" prom_above 'sum(operator_sdk_reconciliations_success_total)' "$ok0") \
    || fail "the reconcile is not in operator_sdk_reconciliations_success_total"
  info "a spec change of $NS_MIN/demo: reconciliations started $started0 -> $started1, succeeded $ok0 -> $ok1"

  # every query of the chart's Grafana dashboard, asked of this Prometheus
  "$PY" "$root/helm/dashboard-metrics.py" --prometheus "$PROM_URL" "$root/helm/ftp-operator/dashboards/ftp-operator.json" \
    >"$dir/dashboard.txt" || { sed 's/^/    /' "$dir/dashboard.txt"; fail "a dashboard query has no data and names a metric Prometheus lacks"; }
  sed 's/^/    /' "$dir/dashboard.txt"
  info "Prometheus: $(prom_value 'count({__name__=~".+"})') series, $(prom_value 'count(count by (__name__) ({__name__=~".+"}))') metrics; stopped"
  stop_prometheus
}

step_operator_upgrade() {
  need_operator
  need_ftps_example
  [ "$KUBECONFIG" = "$CLUSTER_KUBECONFIG" ] \
    || fail "this step retags the operator image in the local cluster's containerd; KUBECONFIG names another cluster"
  local image new_image revision level lvl objects pods old_pods t0
  image=$(kubectl -n "$OP_NS" get deploy "$RELEASE" -o jsonpath='{.spec.template.spec.containers[0].image}')
  # the same build under another tag: the Deployment changes its image as in a real upgrade
  new_image=${image%:*}:${image##*:}-e2e-upgrade
  lc_ctr images tag --force "$image" "$new_image" >/dev/null || fail "ctr images tag $image $new_image"
  lc_has_image "$new_image" || fail "$new_image not in containerd after tagging"
  revision=$(helm status "$RELEASE" -n "$OP_NS" -o json | jq -r .version)
  # a value that differs from the installed one (DEBUG, or INFO when an earlier run left DEBUG)
  level=DEBUG
  [ "$(helm get values "$RELEASE" -n "$OP_NS" -a -o json | jq -r .logLevel)" != DEBUG ] || level=INFO
  ftps put --name hold-source.bin --size "$HOLD_SIZE" >/dev/null || fail "upload of the held download's file"
  objects=$(ftp_objects)
  pods=$(ftp_pods)
  info "watched: $(grep -c . <<<"$objects") Deployments, StatefulSets and Services, $(grep -c . <<<"$pods") FTP server pods in $(run_namespaces | tr '\n' ' ')"

  hold_start upgrade
  old_pods=$(operator_pods)
  t0=$(now)
  QUIET=1 "$root/helm/deploy.sh" --reuse-values --set "image.tag=${new_image##*:}" --set "logLevel=$level" 2>&1 \
    | sed 's/^/    /' || fail "helm upgrade"
  [ "$(helm status "$RELEASE" -n "$OP_NS" -o json | jq -r .version)" = $((revision + 1)) ] \
    || fail "release revision is not $((revision + 1)) after the upgrade"
  [ "$(kubectl -n "$OP_NS" get deploy "$RELEASE" -o jsonpath='{.spec.template.spec.containers[0].image}')" = "$new_image" ] \
    || fail "the operator's Deployment does not run $new_image"
  lvl=$(kubectl -n "$OP_NS" get deploy "$RELEASE" -o json \
    | jq -r '.spec.template.spec.containers[0].env[] | select(.name=="QUARKUS_LOG_CATEGORY__DEV_FTPOPERATOR__LEVEL") | .value')
  [ "$lvl" = "$level" ] || fail "the changed value did not reach the operator's Deployment (level '$lvl', expected $level)"
  took_over "$old_pods"
  info "revision $((revision + 1)): $new_image, logLevel $level; operator pod $(echo "$old_pods" | tr '\n' ' ')-> $OP_LEADER (Lease holder, every FtpServer reconciled) in $(secs "$t0" "$(now)")s"
  unchanged "an FtpServer's Deployment, StatefulSet or Service (resourceVersion)" "$objects" "$(ftp_objects)"
  unchanged "an FTP server pod (uid, restarts)" "$pods" "$(ftp_pods)"
  hold_finish upgrade
  ftps_reconciled_by_operator
  info "upgraded under load: both transfers complete, no FTP pod restarted, no owned object written; then a spec change applied by $OP_LEADER"

  # the downgrade: back to the revision before the upgrade, again while transfers run
  objects=$(ftp_objects)
  pods=$(ftp_pods)
  hold_start rollback
  old_pods=$(operator_pods)
  t0=$(now)
  helm rollback "$RELEASE" "$revision" -n "$OP_NS" --wait --timeout 5m >/dev/null || fail "helm rollback to revision $revision"
  [ "$(helm status "$RELEASE" -n "$OP_NS" -o json | jq -r .version)" = $((revision + 2)) ] \
    || fail "release revision is not $((revision + 2)) after the rollback"
  [ "$(kubectl -n "$OP_NS" get deploy "$RELEASE" -o jsonpath='{.spec.template.spec.containers[0].image}')" = "$image" ] \
    || fail "the rollback did not bring back $image"
  took_over "$old_pods"
  info "rollback to revision $revision (now $((revision + 2))): $image again; operator pod -> $OP_LEADER in $(secs "$t0" "$(now)")s"
  unchanged "an FtpServer's Deployment, StatefulSet or Service (resourceVersion)" "$objects" "$(ftp_objects)"
  unchanged "an FTP server pod (uid, restarts)" "$pods" "$(ftp_pods)"
  hold_finish rollback
  ftps_reconciled_by_operator
  info "downgraded under load: the same holds"
}

# the failover step's FtpServers: small (2 passive ports, emptyDir), in the minimal example's namespace
FAILOVER_USERS=failover-users
failover_ftpserver() { # <name>
  kubectl -n "$NS_MIN" apply -f - >/dev/null <<EOF
apiVersion: ftp.operator.dev/v1alpha1
kind: FtpServer
metadata:
  name: $1
spec:
  users:
    secretRef:
      name: $FAILOVER_USERS
  passivePorts:
    min: 30000
    max: 30001
  storage:
    emptyDir: true
EOF
}
failover_change() { # <name> <marker>: a spec change (a Service annotation)
  kubectl -n "$NS_MIN" patch ftpserver "$1" --type=merge \
    -p "{\"spec\":{\"service\":{\"annotations\":{\"e2e.ftp.operator.dev/reconciled\":\"$2\"}}}}" >/dev/null
}
converged() { # <name> [marker]: Ready, its generation observed, and the marker on its Service
  [ "$(kubectl -n "$NS_MIN" get ftpserver "$1" -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}')" = True ] \
    && observed "$NS_MIN" "$1" \
    && { [ -z "${2:-}" ] || [ "$(kubectl -n "$NS_MIN" get service "$1" -o jsonpath='{.metadata.annotations.e2e\.ftp\.operator\.dev/reconciled}')" = "$2" ]; }
}
holder_changed() { # <old holder>: prints the new holder and its acquireTime (the old one's last renewal: $WORK/last-renewal)
  local lease
  lease=$(kubectl -n "$OP_NS" get lease "$LEASE" -o jsonpath='{.spec.holderIdentity} {.spec.acquireTime} {.spec.renewTime}')
  [ "${lease%% *}" != "$1" ] || { echo "${lease##* }" >"$WORK/last-renewal"; return 1; }
  [ -n "${lease%% *}" ] && echo "${lease% *}"
}
pod_gone() { ! kubectl -n "$OP_NS" get pod "$1" >/dev/null 2>&1; }
two_operators_ready() {
  [ "$(kubectl -n "$OP_NS" get deploy "$RELEASE" -o jsonpath='{.status.readyReplicas}/{.status.updatedReplicas}')" = 2/2 ] \
    && [ "$(operator_pods | wc -l)" = 2 ]
}

step_operator_failover() {
  need_operator
  restricted_namespace "$NS_MIN"
  kubectl -n "$NS_MIN" create secret generic "$FAILOVER_USERS" --from-literal=demo=demo-password-change-me \
    --dry-run=client -o yaml | kubectl apply -f - >/dev/null
  QUIET=1 "$root/helm/deploy.sh" --reuse-values --set replicaCount=2 2>&1 | sed 's/^/    /' || fail "helm upgrade to 2 replicas"
  lc_wait_for --every 2 180 "two ready operator pods" two_operators_ready || fail "not two ready operator pods"
  [ "$(kubectl -n "$OP_NS" get pdb "$RELEASE" -o jsonpath='{.spec.minAvailable}')" = 1 ] \
    || fail "no PodDisruptionBudget keeping one of the two operator pods"
  local leader standby duration retry t_del lease holder acquired took after_renewal marker f t_conv
  # (more than one replica changes the pod template: the pod that led before rolls away first)
  leader=$(lc_wait_for 120 "a running operator pod to hold the Lease" new_leader "") \
    || fail "no running operator pod holds the Lease $LEASE"
  standby=$(operator_pods | grep -vxF "$leader")
  duration=$(kubectl -n "$OP_NS" get lease "$LEASE" -o jsonpath='{.spec.leaseDurationSeconds}')
  retry=$(helm get values "$RELEASE" -n "$OP_NS" -a -o json | jq -r '.leaderElection.retryPeriod | rtrimstr("s")')
  info "leader $leader, standby $standby, Lease $LEASE for ${duration}s; PodDisruptionBudget minAvailable 1"

  # FtpServers created and changed around the leader's death: two before, two right after, and the
  # first two changed while the Lease has no live holder
  failover_ftpserver failover-1
  failover_ftpserver failover-2
  holder_changed "$leader" >/dev/null || true  # its renewals so far
  t_del=$(date +%s.%N)
  kubectl -n "$OP_NS" delete pod "$leader" --wait=false >/dev/null || fail "deleting the leader $leader"
  failover_ftpserver failover-3
  failover_ftpserver failover-4
  marker=$(date +%s%N)
  failover_change failover-1 "$marker"
  failover_change failover-2 "$marker"
  lease=$(lc_wait_for --every 0.2 $((duration + 30)) "another holder of the Lease" holder_changed "$leader") \
    || fail "nobody took the Lease within $((duration + 30))s of deleting the leader"
  holder=${lease%% *}
  acquired=$(date -d "${lease#* }" +%s.%N)
  took=$(secs "$t_del" "$acquired")
  after_renewal=$(secs "$(date -d "$(cat "$WORK/last-renewal")" +%s.%N)" "$acquired")
  # any running pod but the deleted leader is a rightful successor (the ReplicaSet's replacement for
  # the deleted leader competes too)
  local successor="the standby $holder"
  if [ "$holder" != "$standby" ]; then
    operator_pods | grep -qxF "$holder" || fail "the Lease went to $holder, not a running operator pod"
    successor="the deleted leader's replacement $holder (the standby was $standby)"
  fi
  # the stopping leader hands the Lease over (LeaseHandover): a successor takes it at its next try,
  # before the Lease would have expired (the lease duration after the last renewal)
  awk -v t="$after_renewal" -v d="$duration" 'BEGIN { exit !(t < d) }' \
    || fail "$successor took the Lease ${after_renewal}s after the leader's last renewal: not before it expired (${duration}s), so the leader did not hand it over"
  lc_wait_for --every 0.5 60 "the deleted leader's pod to end" pod_gone "$leader" \
    || fail "the deleted leader $leader did not end within 60s of its deletion"
  info "the deleted leader's pod ended $(secs "$t_del" "$(now)")s after its deletion"
  for f in failover-1 failover-2; do
    lc_wait_for --every 2 240 "$f to converge (Ready, observed, changed)" converged "$f" "$marker" || fail "$f did not converge"
  done
  for f in failover-3 failover-4; do
    lc_wait_for --every 2 240 "$f to converge (Ready, observed)" converged "$f" || fail "$f did not converge"
  done
  t_conv=$(secs "$t_del" "$(now)")
  lc_wait_for --every 2 180 "two ready operator pods again" two_operators_ready || fail "the deleted leader was not replaced"
  FAILOVER_TIME=$took
  info "failover: leader $leader deleted; $successor held the Lease ${took}s later, ${after_renewal}s after the leader's last renewal (lease duration ${duration}s, retry ${retry}s);"
  info "4 FtpServers created or changed meanwhile all Ready and observed ${t_conv}s after the deletion"

  # back to the e2e's normal install: one replica, the chart's defaults, without the step's FtpServers
  kubectl -n "$NS_MIN" delete ftpserver failover-1 failover-2 failover-3 failover-4 --wait=true --timeout=120s >/dev/null \
    || fail "deleting the failover FtpServers"
  kubectl -n "$NS_MIN" delete secret "$FAILOVER_USERS" >/dev/null
  QUIET=1 "$root/helm/deploy.sh" --reset-values 2>&1 | sed 's/^/    /' || fail "helm upgrade back to the chart's defaults"
  lc_wait_for --every 2 120 "one operator pod" bash -c "[ \"\$(kubectl -n '$OP_NS' get pods -l app.kubernetes.io/instance='$RELEASE' -o name | wc -l)\" = 1 ]" \
    || fail "not back to one operator pod"
  if kubectl -n "$OP_NS" get pdb "$RELEASE" >/dev/null 2>&1; then fail "the PodDisruptionBudget stayed with one replica"; fi
  info "back to one replica with the chart's defaults (no PodDisruptionBudget)"
}

# kind/name of every object in $NS owned by the FtpServer with uid $1 (directly) or labelled as its instance
owned() {
  local kind
  for kind in deployments services configmaps secrets persistentvolumeclaims; do
    kubectl -n "$NS" get "$kind" -o json | jq -r --arg uid "$1" --arg inst "$NAME" --arg k "$kind" '
      .items[] | select(((.metadata.ownerReferences // []) | any(.uid == $uid))
                        or (.metadata.labels["app.kubernetes.io/instance"] == $inst)) | "\($k)/\(.metadata.name)"'
  done
  kubectl -n "$NS" get pods -l "app.kubernetes.io/instance=$NAME" -o name | sed 's#^pod/#pods/#'
}
none_owned() { [ -z "$(owned "$1")" ]; }

step_delete_ftpserver() {
  need_ftps_example
  local uid before s
  uid=$(kubectl -n "$NS" get ftpserver "$NAME" -o jsonpath='{.metadata.uid}')
  before=$(owned "$uid" | sort)
  info "owned before: $(echo "$before" | tr '\n' ' ')"
  echo "$before" | grep -q '^deployments/' || fail "no owned Deployment found"
  echo "$before" | grep -q '^services/' || fail "no owned Service found"
  echo "$before" | grep -q '^persistentvolumeclaims/' || fail "no owned PersistentVolumeClaim found"
  kubectl -n "$NS" delete ftpserver "$NAME" --wait=true --timeout=120s >/dev/null || fail "FtpServer deletion did not finish"
  LB=""
  lc_wait_for --every 2 120 "the FtpServer's objects to go" none_owned "$uid" \
    || fail "still there after deleting the FtpServer: $(owned "$uid" | tr '\n' ' ')"
  # the garbage collector is done with what it owned; the user's Secrets were never its
  for s in partners-users partners-tls; do
    kubectl -n "$NS" get secret "$s" >/dev/null || fail "the user's Secret $s was deleted with the FtpServer"
  done
  info "all gone; the user's Secrets partners-users and partners-tls stay"
}

no_operator_pod() { [ -z "$(kubectl -n "$OP_NS" get pods -l "app.kubernetes.io/instance=$RELEASE" -o name 2>/dev/null)" ]; }

step_helm_uninstall() {
  need_operator
  need_minimal_example
  helm uninstall "$RELEASE" -n "$OP_NS" --wait --timeout 2m >/dev/null || fail "helm uninstall"
  local left
  left=$(kubectl get clusterroles,clusterrolebindings -l "app.kubernetes.io/instance=$RELEASE" -o name 2>/dev/null;
         kubectl -n "$OP_NS" get deployments,serviceaccounts,pods -l "app.kubernetes.io/instance=$RELEASE" -o name 2>/dev/null)
  lc_wait_for --every 2 60 "the operator pod to go" no_operator_pod || fail "operator pod still running after uninstall"
  left=$(echo "$left" | grep -v '^pod/' || true)
  [ -z "$left" ] || fail "left behind by helm uninstall: $left"
  kubectl get crd ftpservers.ftp.operator.dev >/dev/null || fail "the CRD went with the release (helm keeps crds/)"
  # the FtpServer of the minimal example keeps serving without the operator
  "${CLIENTS[@]}" probe --host "$MIN_LB" --user demo --password demo-password-change-me --passive-range 30000-30009 >/dev/null \
    || fail "the minimal example stopped serving when the operator was uninstalled"
  info "release gone (Deployment, ServiceAccount, RBAC); the CRD stays; running FTP servers keep serving"
  info "(make deploy installs the operator again)"
}

step_watch_namespaces() {
  if helm status "$RELEASE" -n "$OP_NS" >/dev/null 2>&1; then
    info "release $RELEASE exists: uninstalling it first, to install it namespace-scoped"
    helm uninstall "$RELEASE" -n "$OP_NS" --wait --timeout 2m >/dev/null
  fi
  restricted_namespace "$NS_W"
  restricted_namespace "$NS_U"
  QUIET=1 "$root/helm/deploy.sh" --set "watchNamespaces={$NS_W}" 2>&1 | sed 's/^/    /' \
    || fail "helm install with watchNamespaces"
  # the operator's RoleBindings to its ClusterRole (the leader-election Role's binding stays in its own namespace)
  [ "$(kubectl get rolebindings -A -l "app.kubernetes.io/instance=$RELEASE" -o json \
        | jq -r '[.items[] | select(.roleRef.kind == "ClusterRole") | .metadata.namespace] | join(" ")')" = "$NS_W" ] \
    || fail "expected one RoleBinding to the operator's ClusterRole, in $NS_W"
  kubectl -n "$NS_W" auth can-i create deployments.apps --as="system:serviceaccount:$OP_NS:$RELEASE" >/dev/null \
    || fail "no rights in the watched namespace"
  if kubectl -n "$NS_U" auth can-i create deployments.apps --as="system:serviceaccount:$OP_NS:$RELEASE" >/dev/null 2>&1; then
    fail "rights in a namespace that is not watched"
  fi
  # The unwatched namespace's FtpServer is created first. By the time the watched one, created after
  # it, is Ready and its status observed, an operator that saw the first would have written its status.
  kubectl -n "$NS_U" apply -f "$root/examples/minimal.yaml" >/dev/null
  kubectl -n "$NS_W" apply -f "$root/examples/minimal.yaml" >/dev/null
  ready "$NS_W" demo
  lc_wait_for 60 "status.observedGeneration in $NS_W" observed "$NS_W" demo || fail "observedGeneration did not catch up"
  [ -z "$(kubectl -n "$NS_U" get ftpserver demo -o jsonpath='{.status}')" ] || fail "the FtpServer in $NS_U was reconciled"
  [ -z "$(kubectl -n "$NS_U" get deployments,services -o name)" ] || fail "objects created in $NS_U"
  info "watched $NS_W: Ready at $(kubectl -n "$NS_W" get ftpserver demo -o jsonpath='{.status.endpoint}'); $NS_U: untouched"
  helm uninstall "$RELEASE" -n "$OP_NS" --wait --timeout 2m >/dev/null || fail "helm uninstall"
}

# ---------------------------------------------------------------------------------------------------
run_step preflight
for s in "${selected[@]}"; do run_step "$s"; done

echo; echo "=== summary ==="
[ -z "${ENDPOINT:-}" ] || echo "    endpoint:                $ENDPOINT (passive $PASSIVE)"
[ -z "${APPLY_TO_READY:-}" ] || echo "    apply -> Ready:          ${APPLY_TO_READY} s"
[ -z "${FAILOVER_TIME:-}" ] || echo "    operator failover:       a successor held the Lease ${FAILOVER_TIME} s after the leader's deletion"
[ -z "${APPLY_TO_TRANSFER:-}" ] || echo "    apply -> first passive transfer through the load balancer: ${APPLY_TO_TRANSFER} s"
[ -z "${FIRST_TRANSFER:-}" ] || echo "    first transfer right after Ready: $FIRST_TRANSFER"
for f in matrix control; do
  [ ! -f "$WORK/$f.txt" ] || grep -E '^(PASS|FAIL)' "$WORK/$f.txt" | sed 's/^/    /'
done
