#!/usr/bin/env bash
# End-to-end test on a running cluster, as a user installs and uses the operator:
#   helm install of the chart (operator in the cluster, under the chart's RBAC, local image)
#   -> examples/ftps.yaml in a fresh namespace -> kubectl wait Ready -> status.endpoint
#   -> from the `ftp-client` network namespace (it reaches only the load-balancer pool, never the pod
#      network) curl, lftp and Python ftplib in PASV, EPSV, active PORT/EPRT and explicit FTPS
#   -> files survive deleting the pod (PVC)
#   -> control case: the same server without the injected public address leaks the pod IP in PASV
#      and the outside passive transfer fails
#   -> helm upgrade with a changed value, deleting the FtpServer removes what it owned, helm uninstall.
#
#   e2e/run.sh            (make e2e: the cluster is up and `make images` imported the images)
#
# Environment: KUBECONFIG (default: the local cluster), KEEP=1 keeps the test namespaces,
# E2E_SIZE bytes per transferred file [1048576].
# Every wait is bounded; any failure exits non-zero after dumping operator logs, events, pod logs
# and the FtpServer's status.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck disable=SC2034 # used by lib.sh's log functions
LC_NAME=e2e
# shellcheck source=SCRIPTDIR/../local-cluster/lib.sh
source "$root/local-cluster/lib.sh"
export KUBECONFIG=${KUBECONFIG:-$CLUSTER_KUBECONFIG}
export PATH=$BIN_DIR:$PATH

RELEASE=ftp-operator
OP_NS=ftp-operator-system
CHART=$root/helm/ftp-operator
CRD_FILE=$root/crds/ftpservers.ftp.operator.dev-v1.yml
STAMP=$(date +%H%M%S)
NS=ftp-e2e-$STAMP            # the fuller example (FTPS, PVC) and the control server
NS_MIN=ftp-e2e-min-$STAMP    # the minimal example
NS_W=ftp-e2e-watched-$STAMP  # watchNamespaces: reconciled
NS_U=ftp-e2e-ignored-$STAMP  # watchNamespaces: not reconciled
NAME=partners                # metadata.name in examples/ftps.yaml
USER_NAME=alice
USER_PASSWORD=alice-password-change-me
PASSIVE=30000-30019
CONTROL=partners-noinject
WORK=$(mktemp -d /tmp/ftp-e2e.XXXXXX)
SIZE=${E2E_SIZE:-1048576}
PY=$(command -v python3)
CLIENTS=(ip netns exec "$CLIENT_NETNS" "$PY" "$root/e2e/clients.py")

step_name="start"
steps_done=0
step() { [ "$step_name" = start ] || steps_done=$((steps_done + 1)); step_name=$*; echo; echo "=== $* ==="; }
info() { echo "    $*"; }
fail() { echo "E2E FAILURE in step '$step_name': $*" >&2; exit 1; }
now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

dump() {
  echo; echo "===== diagnostics (step '$step_name') =====" >&2
  {
    for ns in "$NS" "$NS_MIN" "$NS_W" "$NS_U"; do
      kubectl get namespace "$ns" >/dev/null 2>&1 || continue
      echo "--- namespace $ns: objects"
      kubectl -n "$ns" get ftpservers,deployments,replicasets,pods,services,pvc,configmaps,secrets -o wide 2>&1
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
  if [ "${KEEP:-0}" != 1 ]; then
    kubectl delete namespace "$NS" "$NS_MIN" "$NS_W" "$NS_U" --ignore-not-found --wait=false >/dev/null 2>&1 || true
    if ! helm status "$RELEASE" -n "$OP_NS" >/dev/null 2>&1; then
      # no operator left to remove finalizers it may have set: drop them so the namespaces can go
      for ns in "$NS" "$NS_MIN" "$NS_W" "$NS_U"; do
        for f in $(kubectl -n "$ns" get ftpservers -o name 2>/dev/null); do
          kubectl -n "$ns" patch "$f" --type=merge -p '{"metadata":{"finalizers":null}}' >/dev/null 2>&1 || true
        done
      done
    fi
  else
    echo "KEEP=1: namespaces $NS $NS_MIN $NS_W $NS_U kept" >&2
  fi
  local cases=0
  [ -f "$WORK/matrix.txt" ] && cases=$(grep -c '^PASS' "$WORK/matrix.txt" || true)
  [ -f "$WORK/control.txt" ] && cases=$((cases + $(grep -c '^PASS' "$WORK/control.txt" || true)))
  if [ $rc -eq 0 ]; then
    echo; echo "E2E PASSED"
    echo "e2e: $((steps_done + 1 + cases)) passed, 0 failed"
  else
    echo; echo "E2E FAILED (step '$step_name', exit $rc)" >&2
    echo "e2e: $((steps_done + cases)) passed, 1 failed"
  fi
  rm -rf "$WORK"
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# kubectl wait that also fails clearly
kwait() { kubectl wait "$@" || fail "kubectl wait $*"; }

# retry <seconds> <command...>: until it succeeds, every 2 s
retry() {
  local t=$1; shift
  local end=$((SECONDS + t))
  until "$@"; do
    [ $SECONDS -lt $end ] || return 1
    sleep 2
  done
}

lb_ip_of_service() { kubectl -n "$1" get service "$2" -o jsonpath='{.status.loadBalancer.ingress[0].ip}'; }
in_pool() { # is $1 inside LB_POOL_CIDR?
  "$PY" -c 'import ipaddress,sys; sys.exit(0 if ipaddress.ip_address(sys.argv[1]) in ipaddress.ip_network(sys.argv[2]) else 1)' "$1" "$LB_POOL_CIDR"
}

# ---------------------------------------------------------------------------------------------------
step "preflight"
for tool in kubectl helm curl lftp openssl jq "$PY"; do
  command -v "$tool" >/dev/null || fail "$tool not found (make prereqs / make binaries)"
done
kubectl version --request-timeout=10s >/dev/null || fail "no cluster at KUBECONFIG=$KUBECONFIG (make cluster-up)"
ip netns list | grep -qw "$CLIENT_NETNS" || fail "network namespace $CLIENT_NETNS missing (make cluster-up creates it)"
info "cluster: $(kubectl get nodes -o jsonpath='{range .items[*]}{.metadata.name} {.status.nodeInfo.kubeletVersion}{end}')"
info "outside client: netns $CLIENT_NETNS, address $CLIENT_IP, routes: $(ip netns exec "$CLIENT_NETNS" ip -4 route | tr '\n' ';')"
# the premise of the whole test: the outside client has no route into the pod network
pod_probe_ip=$("$PY" -c 'import ipaddress,sys; print(next(ipaddress.ip_network(sys.argv[1]).hosts()) + 1)' "$POD_CIDR")
if ip netns exec "$CLIENT_NETNS" ip -4 route get "$pod_probe_ip" >/dev/null 2>&1; then
  fail "the client netns has a route to the pod network ($pod_probe_ip): the test would prove nothing"
fi
if [ "$KUBECONFIG" = "$CLUSTER_KUBECONFIG" ]; then
  "$root/local-cluster/local-storage.sh"   # the local cluster has no volume provisioner
fi
default_sc=$(kubectl get storageclass -o json | jq -r '.items[] | select(.metadata.annotations["storageclass.kubernetes.io/is-default-class"]=="true") | .metadata.name' | head -1)
[ -n "$default_sc" ] || fail "no default StorageClass: the examples' claims would stay Pending"
info "default StorageClass: $default_sc"
info "images: $(lc_ctr images ls -q 2>/dev/null | grep -c 'localhost/ftp-operator/' || true) localhost/ftp-operator/* images in containerd"

"$root/helm/check.sh" >"$WORK/helm-check.txt" 2>&1 || { cat "$WORK/helm-check.txt"; fail "helm/check.sh"; }
info "$(tail -1 "$WORK/helm-check.txt")"

# ---------------------------------------------------------------------------------------------------
step "helm install the operator (chart RBAC, local image)"
if helm status "$RELEASE" -n "$OP_NS" >/dev/null 2>&1; then
  info "release $RELEASE exists: uninstalling it first, to test a fresh install"
  helm uninstall "$RELEASE" -n "$OP_NS" --wait --timeout 2m >/dev/null
fi
if kubectl get crd ftpservers.ftp.operator.dev >/dev/null 2>&1; then
  # helm never upgrades CRDs; bring an older one up to date as `make deploy` does
  kubectl apply --server-side --force-conflicts --field-manager=ftp-operator-deploy -f "$CRD_FILE" >/dev/null
  info "CRD present: updated from crds/ (helm skips existing CRDs)"
else
  info "CRD absent: the chart's crds/ installs it"
fi
set_args=()
[ -f "$root/operator/target/jib-image.id" ] && \
  set_args+=(--set-string "podAnnotations.ftp\.operator\.dev/image-id=$(tr -d '[:space:]' <"$root/operator/target/jib-image.id")")
t=$(now)
helm install "$RELEASE" "$CHART" -n "$OP_NS" --create-namespace --wait --timeout 5m "${set_args[@]}" >"$WORK/helm-install.txt" \
  || { cat "$WORK/helm-install.txt"; fail "helm install"; }
info "installed and running in $(secs "$t" "$(now)")s: $(kubectl -n "$OP_NS" get deploy "$RELEASE" -o jsonpath='{.spec.template.spec.containers[0].image}')"
kwait --for=condition=Established crd/ftpservers.ftp.operator.dev --timeout=60s >/dev/null
kubectl get crd ftpservers.ftp.operator.dev -o json >"$WORK/crd.json"
"$PY" "$root/helm/crd-fields.py" "$WORK/crd.json" --check "$root/README.md" | sed 's/^/    /' \
  || fail "README.md's FtpServer reference is out of step with the installed CRD"
sa=$(kubectl -n "$OP_NS" get deploy "$RELEASE" -o jsonpath='{.spec.template.spec.serviceAccountName}')
[ "$sa" = "$RELEASE" ] || fail "operator runs as service account '$sa', expected the chart's '$RELEASE'"
as=(--as="system:serviceaccount:$OP_NS:$sa")
for ok in "list ftpservers.ftp.operator.dev -A" "patch ftpservers.ftp.operator.dev --subresource=status -n default" \
          "create deployments.apps -n default" "create services -n default" "create persistentvolumeclaims -n default" \
          "create events -n default" "list nodes" "watch nodes" "get secrets -n default" "update ftpservers.ftp.operator.dev --subresource=finalizers -n default"; do
  # shellcheck disable=SC2086
  [ "$(kubectl auth can-i $ok "${as[@]}" 2>/dev/null)" = yes ] || fail "chart RBAC does not allow: $ok"
done
for no in "create pods -n default" "create secrets -n default" "list secrets -n default" "delete services -n default" "patch ftpservers.ftp.operator.dev -n default" "delete nodes" "create clusterroles" \
          "delete customresourcedefinitions" "get pods -n kube-system"; do
  # shellcheck disable=SC2086
  [ "$(kubectl auth can-i $no "${as[@]}" 2>/dev/null || true)" = no ] || fail "chart RBAC allows more than needed: $no"
done
info "service account $sa: can reconcile FtpServers, cannot create pods/secrets or touch cluster objects"
# the chart grants exactly what the operator's own tests run under (operator/rbac/)
kubectl get clusterroles -l "app.kubernetes.io/instance=$RELEASE" -o json >"$WORK/rbac-chart.json"
kubectl create --dry-run=client -o json -f "$root/operator/rbac/ftp-operator-rbac.yaml" >"$WORK/rbac-operator.json"
"$PY" "$root/helm/rbac-diff.py" "$WORK/rbac-chart.json" "$WORK/rbac-operator.json" | sed 's/^/    chart vs operator\/rbac: /' \
  || fail "the chart's RBAC differs from operator/rbac/ftp-operator-rbac.yaml"
notes=$(helm get notes "$RELEASE" -n "$OP_NS")
grep -q "kubectl" <<<"$notes" || fail "NOTES.txt does not tell what to apply next"

# ---------------------------------------------------------------------------------------------------
step "examples validate against the CRD (server-side dry run)"
for f in minimal.yaml ftps.yaml nodeport.yaml; do
  kubectl apply --dry-run=server -n default -f "$root/examples/$f" >/dev/null || fail "examples/$f rejected"
  info "examples/$f accepted"
done

# ---------------------------------------------------------------------------------------------------
step "apply examples/ftps.yaml in namespace $NS"
kubectl create namespace "$NS" >/dev/null
# a CA and a server certificate naming every address of the load-balancer pool (the address is
# assigned later, and clients verify it)
san=$("$PY" -c 'import ipaddress,sys; print(",".join("IP:%s" % h for h in ipaddress.ip_network(sys.argv[1]).hosts()))' "$LB_POOL_CIDR")
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=ftp-e2e-ca" \
  -keyout "$WORK/ca.key" -out "$WORK/ca.crt" 2>/dev/null
openssl req -newkey rsa:2048 -nodes -subj "/CN=partners.ftp-e2e" -keyout "$WORK/tls.key" -out "$WORK/tls.csr" 2>/dev/null
printf 'subjectAltName=%s\nextendedKeyUsage=serverAuth\n' "$san" >"$WORK/ext.cnf"
openssl x509 -req -in "$WORK/tls.csr" -CA "$WORK/ca.crt" -CAkey "$WORK/ca.key" -CAcreateserial -days 2 \
  -extfile "$WORK/ext.cnf" -out "$WORK/tls.crt" 2>/dev/null
kubectl -n "$NS" create secret tls partners-tls --cert="$WORK/tls.crt" --key="$WORK/tls.key" >/dev/null
t_apply=$(now)
kubectl -n "$NS" apply -f "$root/examples/ftps.yaml"

step "kubectl wait --for=condition=Ready ftpserver/$NAME"
kwait -n "$NS" --for=condition=Ready "ftpserver/$NAME" --timeout=300s
t_ready=$(now)
kubectl -n "$NS" get ftpserver "$NAME"
endpoint=$(kubectl -n "$NS" get ftpserver "$NAME" -o jsonpath='{.status.endpoint}')
public=$(kubectl -n "$NS" get ftpserver "$NAME" -o jsonpath='{.status.publicAddress}')
ports=$(kubectl -n "$NS" get ftpserver "$NAME" -o jsonpath='{.status.passivePorts}')
info "status.endpoint=$endpoint publicAddress=$public passivePorts=$ports"
[[ $endpoint =~ ^ftp://([0-9.]+):21$ ]] || fail "status.endpoint '$endpoint' is not ftp://<ip>:21"
LB=${BASH_REMATCH[1]}
in_pool "$LB" || fail "endpoint address $LB is not in the load-balancer pool $LB_POOL_CIDR"
[ "$public" = "$LB" ] || fail "status.publicAddress '$public' differs from the endpoint address $LB"
[ "$ports" = "$PASSIVE" ] || fail "status.passivePorts '$ports', expected $PASSIVE"
svc=$(kubectl -n "$NS" get service -l "app.kubernetes.io/instance=$NAME" -o jsonpath='{.items[0].metadata.name}')
svc_ports=$(kubectl -n "$NS" get service "$svc" -o jsonpath='{.spec.ports[*].port}' | wc -w)
[ "$svc_ports" = 21 ] || fail "Service $svc has $svc_ports ports, expected 21 (21 and 20 passive ports)"
info "Service $svc: $(kubectl -n "$NS" get service "$svc" -o jsonpath='{.spec.type}, externalTrafficPolicy {.spec.externalTrafficPolicy}'), $svc_ports ports (21 and each passive port)"
pod_env=$(kubectl -n "$NS" get deploy -l "app.kubernetes.io/instance=$NAME" -o json \
  | jq -r '.items[0].spec.template.spec.containers[0].env[]? | select(.name=="FTP_PUBLIC_ADDRESS") | .value')
info "pod template FTP_PUBLIC_ADDRESS=${pod_env:-<not set directly>}"

step "first passive transfer through the load balancer"
first_ok=""
attempts=0
for _ in $(seq 1 60); do
  attempts=$((attempts + 1))
  if "${CLIENTS[@]}" probe --host "$LB" --user "$USER_NAME" --password "$USER_PASSWORD" --passive-range "$PASSIVE" \
       >"$WORK/probe.txt" 2>&1; then first_ok=1; break; fi
  sleep 1
done
t_first=$(now)
cat "$WORK/probe.txt"
[ -n "$first_ok" ] || fail "no passive transfer through $LB within 60 s of Ready"
APPLY_TO_READY=$(secs "$t_apply" "$t_ready")
APPLY_TO_TRANSFER=$(secs "$t_apply" "$t_first")
info "kubectl apply -> Ready: ${APPLY_TO_READY}s; kubectl apply -> first successful passive transfer: ${APPLY_TO_TRANSFER}s (attempt $attempts)"

# ---------------------------------------------------------------------------------------------------
step "clients x modes from netns $CLIENT_NETNS through $LB"
"${CLIENTS[@]}" matrix --host "$LB" --user "$USER_NAME" --password "$USER_PASSWORD" --passive-range "$PASSIVE" \
  --client-address "$CLIENT_IP" --cafile "$WORK/ca.crt" --size "$SIZE" | tee "$WORK/matrix.txt" \
  || fail "a client/mode case failed"
grep -q '^FAIL' "$WORK/matrix.txt" && fail "a client/mode case failed"

step "the read-only user of examples/ftps.yaml"
ro=(ip netns exec "$CLIENT_NETNS" curl -sS --connect-timeout 5 --max-time 30 --no-ftp-skip-pasv-ip
    --ssl-reqd --cacert "$WORK/ca.crt" --user reports:reports-password-change-me)
"${ro[@]}" "ftp://$LB/" >"$WORK/ro-list.txt" 2>&1 || { cat "$WORK/ro-list.txt"; fail "read-only user cannot list"; }
echo "upload attempt" >"$WORK/ro.txt"
if "${ro[@]}" -v -T "$WORK/ro.txt" "ftp://$LB/ro.txt" >"$WORK/ro-put.txt" 2>&1; then fail "read-only user could upload"; fi
# (over TLS curl may already have sent its next command when the refusal arrives)
grep -q '^> STOR ro.txt' "$WORK/ro-put.txt" || { grep -E '^[<>]|curl:' "$WORK/ro-put.txt"; fail "upload never reached STOR"; }
refusal=$(grep -m1 '^< 550 .*ermission' "$WORK/ro-put.txt" || true)
[ -n "$refusal" ] || { grep -E '^[<>]|curl:' "$WORK/ro-put.txt"; fail "the upload failed, but not by a permission refusal"; }
info "reports (readonly=true, home=alice/reports): lists over FTPS; STOR refused: ${refusal#< }"

# ---------------------------------------------------------------------------------------------------
step "data survives deleting the pod (PVC)"
pvc=$(kubectl -n "$NS" get pvc -l "app.kubernetes.io/instance=$NAME" -o jsonpath='{.items[0].metadata.name}')
[ -n "$pvc" ] || fail "no PersistentVolumeClaim labelled app.kubernetes.io/instance=$NAME"
info "claim $pvc: $(kubectl -n "$NS" get pvc "$pvc" -o jsonpath='{.status.phase} {.status.capacity.storage} volume {.spec.volumeName}')"
"${CLIENTS[@]}" put --host "$LB" --user "$USER_NAME" --password "$USER_PASSWORD" --passive-range "$PASSIVE" \
  --name persist.bin --size "$SIZE" || fail "upload before the pod deletion"
old_pod=$(kubectl -n "$NS" get pods -l "app.kubernetes.io/instance=$NAME" -o jsonpath='{.items[0].metadata.name}')
kubectl -n "$NS" delete pod "$old_pod" --wait=true --timeout=120s >/dev/null
retry 180 bash -c "kubectl -n '$NS' get pods -l 'app.kubernetes.io/instance=$NAME' -o jsonpath='{range .items[*]}{.metadata.name} {.status.containerStatuses[0].ready}{\"\n\"}{end}' | grep -v '^$old_pod ' | grep -q ' true$'" \
  || fail "no new ready pod within 180 s of deleting $old_pod"
new_pod=$(kubectl -n "$NS" get pods -l "app.kubernetes.io/instance=$NAME" --field-selector=status.phase=Running -o jsonpath='{.items[0].metadata.name}')
info "pod $old_pod deleted, $new_pod serves now"
kwait -n "$NS" --for=condition=Ready "ftpserver/$NAME" --timeout=120s >/dev/null
retry 60 "${CLIENTS[@]}" verify --host "$LB" --user "$USER_NAME" --password "$USER_PASSWORD" --passive-range "$PASSIVE" \
  --name persist.bin --size "$SIZE" || fail "the file written before the pod deletion is gone or differs"

# ---------------------------------------------------------------------------------------------------
step "control case: the same server without the injected public address"
# The operator's own Deployment and Service, copied under another name, with FTP_PUBLIC_ADDRESS blanked
# (the server treats blank as unset) and FTP_REQUIRE_PUBLIC_ADDRESS=false so it answers PASV with its
# own (pod) address, as a server does that nobody told its public address. emptyDir instead of the claim.
labels='{"app.kubernetes.io/name":"ftp-e2e-control","app.kubernetes.io/instance":"'$CONTROL'"}'
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
kubectl -n "$NS" get service "$svc" -o json | jq --arg n "$CONTROL" --argjson l "$labels" '
  {apiVersion: "v1", kind: "Service", metadata: {name: $n, labels: $l},
   spec: {type: "LoadBalancer", externalTrafficPolicy: .spec.externalTrafficPolicy, selector: $l,
          ports: [.spec.ports[] | del(.nodePort)]}}' >"$WORK/control-svc.json"
kubectl -n "$NS" apply -f "$WORK/control-svc.json" -f "$WORK/control-deploy.json" >/dev/null
kubectl -n "$NS" rollout status "deployment/$CONTROL" --timeout=180s >/dev/null || fail "control server did not start"
has_lb_ip() { [ -n "$(lb_ip_of_service "$NS" "$CONTROL")" ]; }
retry 60 has_lb_ip || fail "control Service got no load-balancer address"
LB2=$(lb_ip_of_service "$NS" "$CONTROL")
POD_IP=$(kubectl -n "$NS" get pods -l "app.kubernetes.io/instance=$CONTROL" --field-selector=status.phase=Running -o jsonpath='{.items[0].status.podIP}')
info "control server: load balancer $LB2, pod IP $POD_IP"
retry 60 bash -c "ip netns exec '$CLIENT_NETNS' curl -s --connect-timeout 3 --max-time 5 -o /dev/null ftp://$LB2:21/ --user '$USER_NAME:$USER_PASSWORD' --ftp-pasv --list-only" \
  || fail "the control server's control port is not reachable through $LB2"
"${CLIENTS[@]}" control --host "$LB2" --user "$USER_NAME" --password "$USER_PASSWORD" --passive-range "$PASSIVE" \
  --expect-address "$POD_IP" | tee "$WORK/control.txt" || fail "control case"
kubectl -n "$NS" delete deployment,service "$CONTROL" --wait=true --timeout=120s >/dev/null

# ---------------------------------------------------------------------------------------------------
step "examples/minimal.yaml in namespace $NS_MIN"
kubectl create namespace "$NS_MIN" >/dev/null
t_min=$(now)
kubectl -n "$NS_MIN" apply -f "$root/examples/minimal.yaml" >/dev/null
kwait -n "$NS_MIN" --for=condition=Ready ftpserver/demo --timeout=300s >/dev/null
min_ep=$(kubectl -n "$NS_MIN" get ftpserver demo -o jsonpath='{.status.endpoint}')
[[ $min_ep =~ ^ftp://([0-9.]+):21$ ]] || fail "minimal example endpoint '$min_ep'"
MIN_LB=${BASH_REMATCH[1]}
retry 60 "${CLIENTS[@]}" probe --host "$MIN_LB" --user demo --password demo-password-change-me --passive-range 30000-30009 \
  >"$WORK/probe-min.txt" 2>&1 || { cat "$WORK/probe-min.txt"; fail "no transfer through the minimal example"; }
info "minimal example: $min_ep Ready and serving $(secs "$t_min" "$(now)")s after apply: $(tail -1 "$WORK/probe-min.txt")"

# ---------------------------------------------------------------------------------------------------
step "helm upgrade with a changed value (logLevel=DEBUG)"
old_op_pod=$(kubectl -n "$OP_NS" get pods -l "app.kubernetes.io/instance=$RELEASE" -o jsonpath='{.items[0].metadata.name}')
gen_before=$(kubectl -n "$NS" get deploy -l "app.kubernetes.io/instance=$NAME" -o jsonpath='{.items[0].metadata.generation}')
helm upgrade "$RELEASE" "$CHART" -n "$OP_NS" --reuse-values --set logLevel=DEBUG --wait --timeout 5m >/dev/null \
  || fail "helm upgrade"
[ "$(helm status "$RELEASE" -n "$OP_NS" -o json | jq -r .version)" = 2 ] || fail "release revision is not 2 after the upgrade"
lvl=$(kubectl -n "$OP_NS" get deploy "$RELEASE" -o json \
  | jq -r '.spec.template.spec.containers[0].env[] | select(.name=="QUARKUS_LOG_CATEGORY__DEV_FTPOPERATOR__LEVEL") | .value')
[ "$lvl" = DEBUG ] || fail "the changed value did not reach the operator's Deployment (level '$lvl')"
retry 120 bash -c "[ \"\$(kubectl -n '$OP_NS' get pods -l 'app.kubernetes.io/instance=$RELEASE' -o jsonpath='{.items[*].metadata.name}')\" != '$old_op_pod' ]" \
  || fail "the operator pod did not roll"
kubectl -n "$OP_NS" rollout status "deployment/$RELEASE" --timeout=180s >/dev/null
new_op_pod=$(kubectl -n "$OP_NS" get pods -l "app.kubernetes.io/instance=$RELEASE" -o jsonpath='{.items[0].metadata.name}')
kwait -n "$NS" --for=condition=Ready "ftpserver/$NAME" --timeout=120s >/dev/null
sleep 5  # let the new operator reconcile what exists
gen_after=$(kubectl -n "$NS" get deploy -l "app.kubernetes.io/instance=$NAME" -o jsonpath='{.items[0].metadata.generation}')
[ "$gen_before" = "$gen_after" ] || fail "the restarted operator changed the FtpServer's Deployment (generation $gen_before -> $gen_after)"
"${CLIENTS[@]}" verify --host "$LB" --user "$USER_NAME" --password "$USER_PASSWORD" --passive-range "$PASSIVE" \
  --name persist.bin --size "$SIZE" >/dev/null || fail "server not serving after the operator upgrade"
info "revision 2, level DEBUG, operator pod $old_op_pod -> $new_op_pod, FtpServer untouched (generation $gen_after) and serving"

# ---------------------------------------------------------------------------------------------------
step "deleting the FtpServer removes everything it owned"
uid=$(kubectl -n "$NS" get ftpserver "$NAME" -o jsonpath='{.metadata.uid}')
owned() { # kind/name of every object in $NS owned by the FtpServer (directly) or labelled as its instance
  for kind in deployments services configmaps secrets persistentvolumeclaims; do
    kubectl -n "$NS" get "$kind" -o json | jq -r --arg uid "$uid" --arg inst "$NAME" --arg k "$kind" '
      .items[] | select(((.metadata.ownerReferences // []) | any(.uid == $uid))
                        or (.metadata.labels["app.kubernetes.io/instance"] == $inst)) | "\($k)/\(.metadata.name)"'
  done
  kubectl -n "$NS" get pods -l "app.kubernetes.io/instance=$NAME" -o name | sed 's#^pod/#pods/#'
}
before=$(owned | sort)
info "owned before: $(echo "$before" | tr '\n' ' ')"
echo "$before" | grep -q '^deployments/' || fail "no owned Deployment found"
echo "$before" | grep -q '^services/' || fail "no owned Service found"
echo "$before" | grep -q '^persistentvolumeclaims/' || fail "no owned PersistentVolumeClaim found"
kubectl -n "$NS" delete ftpserver "$NAME" --wait=true --timeout=120s >/dev/null || fail "FtpServer deletion did not finish"
none_owned() { [ -z "$(owned)" ]; }
retry 120 none_owned || fail "still there after deleting the FtpServer: $(owned | tr '\n' ' ')"
for s in partners-users partners-tls; do
  kubectl -n "$NS" get secret "$s" >/dev/null || fail "the user's Secret $s was deleted with the FtpServer"
done
info "all gone; the user's Secrets partners-users and partners-tls stay"

# ---------------------------------------------------------------------------------------------------
step "helm uninstall"
helm uninstall "$RELEASE" -n "$OP_NS" --wait --timeout 2m >/dev/null || fail "helm uninstall"
left=$(kubectl get clusterroles,clusterrolebindings -l "app.kubernetes.io/instance=$RELEASE" -o name 2>/dev/null;
       kubectl -n "$OP_NS" get deployments,serviceaccounts,pods -l "app.kubernetes.io/instance=$RELEASE" -o name 2>/dev/null)
no_operator_pod() { [ -z "$(kubectl -n "$OP_NS" get pods -l "app.kubernetes.io/instance=$RELEASE" -o name 2>/dev/null)" ]; }
retry 60 no_operator_pod \
  || fail "operator pod still running after uninstall"
left=$(echo "$left" | grep -v '^pod/' || true)
[ -z "$left" ] || fail "left behind by helm uninstall: $left"
kubectl get crd ftpservers.ftp.operator.dev >/dev/null || fail "the CRD went with the release (helm keeps crds/)"
# the FtpServer of the minimal example keeps serving without the operator
"${CLIENTS[@]}" probe --host "$MIN_LB" --user demo --password demo-password-change-me --passive-range 30000-30009 >/dev/null \
  || fail "the minimal example stopped serving when the operator was uninstalled"
info "release gone (Deployment, ServiceAccount, RBAC); the CRD stays; running FTP servers keep serving"
info "(make deploy installs the operator again)"

# ---------------------------------------------------------------------------------------------------
step "helm install with watchNamespaces: only that namespace is reconciled"
kubectl create namespace "$NS_W" >/dev/null
kubectl create namespace "$NS_U" >/dev/null
helm install "$RELEASE" "$CHART" -n "$OP_NS" --set "watchNamespaces={$NS_W}" --wait --timeout 5m >/dev/null \
  || fail "helm install with watchNamespaces"
[ "$(kubectl get rolebindings -A -l "app.kubernetes.io/instance=$RELEASE" -o jsonpath='{.items[*].metadata.namespace}')" = "$NS_W" ] \
  || fail "expected one RoleBinding, in $NS_W"
kubectl -n "$NS_W" auth can-i create deployments.apps --as="system:serviceaccount:$OP_NS:$RELEASE" >/dev/null \
  || fail "no rights in the watched namespace"
if kubectl -n "$NS_U" auth can-i create deployments.apps --as="system:serviceaccount:$OP_NS:$RELEASE" >/dev/null 2>&1; then
  fail "rights in a namespace that is not watched"
fi
kubectl -n "$NS_W" apply -f "$root/examples/minimal.yaml" >/dev/null
kubectl -n "$NS_U" apply -f "$root/examples/minimal.yaml" >/dev/null
kwait -n "$NS_W" --for=condition=Ready ftpserver/demo --timeout=300s >/dev/null
sleep 5
[ -z "$(kubectl -n "$NS_U" get ftpserver demo -o jsonpath='{.status}')" ] || fail "the FtpServer in $NS_U was reconciled"
[ -z "$(kubectl -n "$NS_U" get deployments,services -o name)" ] || fail "objects created in $NS_U"
info "watched $NS_W: Ready at $(kubectl -n "$NS_W" get ftpserver demo -o jsonpath='{.status.endpoint}'); $NS_U: untouched"
helm uninstall "$RELEASE" -n "$OP_NS" --wait --timeout 2m >/dev/null || fail "helm uninstall"

# ---------------------------------------------------------------------------------------------------
step "summary"
echo "    endpoint:                $endpoint (passive $PASSIVE)"
echo "    apply -> Ready:          ${APPLY_TO_READY} s"
echo "    apply -> first passive transfer through the load balancer: ${APPLY_TO_TRANSFER} s"
grep -E '^(PASS|FAIL)' "$WORK/matrix.txt" | sed 's/^/    /'
grep -E '^(PASS|FAIL)' "$WORK/control.txt" | sed 's/^/    /'
