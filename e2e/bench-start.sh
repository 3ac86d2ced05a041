#!/usr/bin/env bash
# Time to first transfer (make bench-e2e): from `kubectl apply` to the first successful passive
# transfer from the `ftp-client` network namespace through the load balancer, for
#   ftpserver  an FtpServer (users Secret, passive 30000-30009, emptyDir storage), and
#   by-hand    the same image and server config applied by hand: the Deployment and settings
#              ConfigMap the operator rendered for an FtpServer (renamed, owner references dropped,
#              address pinned) + a LoadBalancer Service with a pinned pool address, applied at once,
# in alternating rounds after one warm-up FtpServer (which provides the by-hand objects), then one
# round of examples/ftps.yaml (TLS Secret, PersistentVolumeClaim) to Ready and first FTPS transfer.
# Prints every round's breakdown (watch-event receive times, e2e/bench_watch.py), the medians, the
# ratio ftpserver/by-hand (target <= 1.2) and the load.
#
#   flock /tmp/ftpop-cluster.lock make bench-e2e     (builds and imports the images first)
#   e2e/bench-start.sh                               (the images are imported already)
#
# Env: BENCH_ROUNDS rounds of each kind [5], BENCH_FTPS=0 skips the FTPS round, KEEP=1 keeps the
# namespace. The operator is installed (helm/deploy.sh) when missing, and restarted so that it runs
# the image `make images` just imported.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck disable=SC2034 # read by lib.sh's lc_log
LC_NAME=bench-e2e
# shellcheck source=SCRIPTDIR/../local-cluster/lib.sh
source "$root/local-cluster/lib.sh"
export KUBECONFIG=$CLUSTER_KUBECONFIG
export PATH=$BIN_DIR:$PATH

ROUNDS=${BENCH_ROUNDS:-5}
RELEASE=ftp-operator
OP_NS=ftp-operator-system
NS=ftp-bench-$(date +%H%M%S)
PASSIVE_MIN=30000
PASSIVE_MAX=30009
USER_NAME=bench
USER_PASSWORD=bench-password
PY=$(command -v python3)
WATCH=("$PY" "$root/e2e/bench_watch.py")
WORK=$(mktemp -d /tmp/ftp-bench-e2e.XXXXXX)
EVENTS=$WORK/events.jsonl
ROUNDS_FILE=$WORK/rounds.jsonl
WATCHER=""

cleanup() {
  local rc=$?
  set +e
  [ -z "$WATCHER" ] || kill "$WATCHER" 2>/dev/null
  if [ "${KEEP:-0}" = 1 ]; then
    lc_log "KEEP=1: namespace $NS and $WORK kept"
  else
    kubectl delete namespace "$NS" --ignore-not-found --wait=false >/dev/null 2>&1
    rm -rf "$WORK"
  fi
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

ms_since() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.0f", (b - a) * 1000 }'; }

# poll_transfer <instance> <curl args...>: a passive listing every ~100 ms from the client namespace
# until one succeeds; the address comes from the watcher (DIR/<instance>) as soon as the Service has
# one. Prints the epoch time of the success. 120 s at most.
poll_transfer() {
  local instance=$1 ip="" start deadline
  shift
  deadline=$((SECONDS + 120))
  while [ $SECONDS -lt $deadline ]; do
    start=$EPOCHREALTIME
    [ -n "$ip" ] || ip=$(cat "$WORK/addr/$instance" 2>/dev/null || true)
    # a 0.3 s connect timeout: an address kube-proxy does not forward yet drops the SYN, and a
    # retransmission (1 s) would blur the figure
    if [ -n "$ip" ] && ip netns exec "$CLIENT_NETNS" curl -s -o /dev/null --connect-timeout 0.3 --max-time 10 \
         --no-ftp-skip-pasv-ip --ftp-pasv --list-only --user "$USER_NAME:$USER_PASSWORD" "$@" "ftp://$ip:21/"; then
      echo "$EPOCHREALTIME"
      return 0
    fi
    sleep "$(awk -v s="$start" -v n="$EPOCHREALTIME" 'BEGIN { d = 0.1 - (n - s); printf "%.3f", (d > 0 ? d : 0) }')"
  done
  lc_die "no passive transfer through the load balancer of $instance within 120 s"
}

# listening_time <instance>: the pod log's timestamp of the server's "listening" line
listening_time() {
  local pod
  pod=$(kubectl -n "$NS" get pods -l "app.kubernetes.io/instance=$1" -o jsonpath='{.items[0].metadata.name}')
  kubectl -n "$NS" logs --timestamps "$pod" | "${WATCH[@]}" log-time --text "ftp server listening"
}

gone() { [ -z "$(kubectl -n "$NS" get pods -l "app.kubernetes.io/instance=$1" -o name)" ]; }

# round <label> <instance> <files...>: apply, first transfer, breakdown, delete, wait until its pod is gone
round() {
  local label=$1 instance=$2 t_apply t_first listening
  shift 2
  t_apply=$EPOCHREALTIME
  kubectl -n "$NS" apply "${@/#/--filename=}" >/dev/null
  t_first=$(poll_transfer "$instance")
  listening=$(listening_time "$instance")
  sleep 1  # the last watch events (FtpServer Ready) arrive
  "${WATCH[@]}" breakdown --events "$EVENTS" --instance "$instance" --label "$label" --rounds "${ROUNDS_TO:-$ROUNDS_FILE}" \
    --apply "$t_apply" --first "$t_first" --listening "$listening"
}
remove() { # <instance> <kind/name...>
  local instance=$1
  shift
  kubectl -n "$NS" delete "$@" --wait=true --timeout=120s >/dev/null
  lc_wait_for --every 0.5 120 "the pods of $instance to go" gone "$instance" || lc_die "pods of $instance still there"
}

ftpserver_yaml() { # <name>
  cat <<EOF
apiVersion: ftp.operator.dev/v1alpha1
kind: FtpServer
metadata:
  name: $1
spec:
  users:
    secretRef:
      name: bench-users
  passivePorts:
    min: $PASSIVE_MIN
    max: $PASSIVE_MAX
  storage:
    emptyDir: true
EOF
}

# a free address of the pool, for the by-hand Service: the highest one no Service has or asks for
free_address() {
  kubectl get services -A -o json | "$PY" -c '
import ipaddress, json, sys
used = set()
for s in json.load(sys.stdin)["items"]:
    used.update(i.get("ip") for i in ((s.get("status") or {}).get("loadBalancer") or {}).get("ingress") or [])
    used.add(s["spec"].get("loadBalancerIP"))
    for key, value in (s["metadata"].get("annotations") or {}).items():
        if key.endswith("/loadBalancerIPs"):
            used.update(value.split(","))
first, last = (ipaddress.ip_address(a) for a in sys.argv[1].split("-"))
for n in range(int(last), int(first) - 1, -1):
    if str(ipaddress.ip_address(n)) not in used:
        print(ipaddress.ip_address(n)); break
else:
    sys.exit("no free address in the pool")' "$LB_POOL_RANGE"
}

# by_hand <name> <address>: the warm-up FtpServer's Deployment, ConfigMap, Service and probe Secret (the
# server reads the self-test's password from it) as one
# kubectl list, renamed, relabelled (not the operator's), no owner, the address pinned
by_hand() {
  jq --arg n "$1" --arg ip "$2" --arg probe "warmup-probe" '
    def relabel: with_entries(if .key == "app.kubernetes.io/instance" then .value = $n
                              elif .key == "app.kubernetes.io/managed-by" then .value = "bench-e2e" else . end);
    def meta: {name: ({ConfigMap: ($n + "-settings"), Secret: ($n + "-probe")}[.kind] // $n),
               labels: (.metadata.labels | relabel)};
    # in the order the operator applies them: probe Secret, settings, Service, Deployment
    {apiVersion: "v1", kind: "List", items: [.items | sort_by({Secret: 0, ConfigMap: 1, Service: 2, Deployment: 3}[.kind]) | .[] |
      if .kind == "ConfigMap" then {apiVersion: "v1", kind, metadata: meta, data}
      elif .kind == "Secret" then {apiVersion: "v1", kind, metadata: meta, type, data}
      elif .kind == "Deployment" then {apiVersion: "apps/v1", kind, metadata: meta,
        spec: (.spec | .selector.matchLabels |= relabel
          | .template.metadata.labels |= relabel
          | .template.metadata.annotations["ftp.operator.dev/public-address"] = $ip
          | .template.spec.volumes |= map(if .secret.secretName == $probe then .secret.secretName = $n + "-probe" else . end)
          | .template.spec.containers |= map(
              .env |= map(if .name == "FTP_PUBLIC_ADDRESS" then .value = $ip else . end)
              | .envFrom |= map(if .configMapRef then .configMapRef.name = $n + "-settings" else . end)))}
      else {apiVersion: "v1", kind, metadata: (meta | .annotations = {"metallb.io/loadBalancerIPs": $ip}),
        spec: {type: .spec.type, externalTrafficPolicy: .spec.externalTrafficPolicy,
               selector: (.spec.selector | relabel), ports: [.spec.ports[] | del(.nodePort)]}}
      end]}' "$WORK/rendered.json"
}

# --- setup -------------------------------------------------------------------------------------------
lc_cluster_running || lc_die "the local cluster is not running (make cluster-up)"
for tool in kubectl helm curl jq openssl; do command -v "$tool" >/dev/null || lc_die "$tool not found"; done
if [ "$(helm status "$RELEASE" -n "$OP_NS" -o json 2>/dev/null | jq -r .info.status)" != deployed ]; then
  lc_log "installing the operator (helm/deploy.sh)"
  QUIET=1 "$root/helm/deploy.sh" >/dev/null
else
  lc_log "restarting the operator, so that it runs the image in containerd now"
  kubectl -n "$OP_NS" rollout restart "deployment/$RELEASE" >/dev/null
fi
kubectl -n "$OP_NS" rollout status "deployment/$RELEASE" --timeout=180s >/dev/null
"$root/local-cluster/local-storage.sh"
kubectl create namespace "$NS" >/dev/null
kubectl -n "$NS" create secret generic bench-users --from-literal="$USER_NAME=$USER_PASSWORD" >/dev/null
mkdir -p "$WORK/addr"
"${WATCH[@]}" watch --kubeconfig "$KUBECONFIG" --namespace "$NS" --out "$EVENTS" --synced "$WORK/synced" \
  --addresses "$WORK/addr" 2>"$WORK/watch.log" &
WATCHER=$!
lc_wait_for --every 0.2 60 "the watches" test -s "$WORK/synced" || { cat "$WORK/watch.log" >&2; exit 1; }
lc_log "namespace $NS, load: $(uptime)"

# --- warm-up: an FtpServer whose rendered objects the by-hand rounds use ----------------------------
ftpserver_yaml warmup >"$WORK/warmup.yaml"
ROUNDS_TO=$WORK/warmup.jsonl round warm-up warmup "$WORK/warmup.yaml"
kubectl -n "$NS" get deployment/warmup configmap/warmup-settings service/warmup secret/warmup-probe -o json >"$WORK/rendered.json"
[ "$(jq '.items | length' "$WORK/rendered.json")" = 4 ] || lc_die "expected the Deployment, settings ConfigMap, Service and probe Secret of warmup"
remove warmup ftpserver/warmup

# --- alternating rounds ------------------------------------------------------------------------------
for i in $(seq 1 "$ROUNDS"); do
  echo "=== round $i of $ROUNDS (load: $(cut -d' ' -f1-3 /proc/loadavg)) ==="
  ftpserver_yaml "ftp-$i" >"$WORK/ftp-$i.yaml"
  round ftpserver "ftp-$i" "$WORK/ftp-$i.yaml"
  remove "ftp-$i" "ftpserver/ftp-$i"
  address=$(free_address)
  by_hand "hand-$i" "$address" >"$WORK/hand-$i.json"
  round by-hand "hand-$i" "$WORK/hand-$i.json"
  [ "$(cat "$WORK/addr/hand-$i")" = "$address" ] || lc_die "hand-$i got $(cat "$WORK/addr/hand-$i"), not the pinned $address"
  remove "hand-$i" "deployment/hand-$i" "service/hand-$i" "configmap/hand-$i-settings"
done
echo "=== medians ==="
"${WATCH[@]}" summary --rounds "$ROUNDS_FILE"
echo "load: $(uptime)"

# --- the FTPS example: TLS Secret, PersistentVolumeClaim, passive 30000-30019 ------------------------
if [ "${BENCH_FTPS:-1}" = 1 ]; then
  echo "=== examples/ftps.yaml (load: $(cut -d' ' -f1-3 /proc/loadavg)) ==="
  san=$("$PY" -c 'import ipaddress,sys; print(",".join("IP:%s" % h for h in ipaddress.ip_network(sys.argv[1]).hosts()))' "$LB_POOL_CIDR")
  openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=partners" -addext "subjectAltName=$san" \
    -keyout "$WORK/tls.key" -out "$WORK/tls.crt" 2>/dev/null
  kubectl -n "$NS" create secret tls partners-tls --cert="$WORK/tls.crt" --key="$WORK/tls.key" >/dev/null
  USER_NAME=alice USER_PASSWORD=alice-password-change-me
  t_apply=$EPOCHREALTIME
  kubectl -n "$NS" apply -f "$root/examples/ftps.yaml" >/dev/null
  t_first=$(poll_transfer partners --ssl-reqd --cacert "$WORK/tls.crt")
  listening=$(listening_time partners)
  kubectl -n "$NS" wait --for=condition=Ready ftpserver/partners --timeout=120s >/dev/null
  sleep 1
  "${WATCH[@]}" breakdown --events "$EVENTS" --instance partners --label ftps --rounds "$WORK/ftps.jsonl" \
    --apply "$t_apply" --first "$t_first" --listening "$listening"
  echo "  examples/ftps.yaml: apply -> first FTPS transfer $(ms_since "$t_apply" "$t_first") ms"
  echo "load: $(uptime)"
fi
