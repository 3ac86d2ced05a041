#!/usr/bin/env bash
# Smoke test of the local cluster: starts it (or reuses the running one), runs a Deployment from a
# locally built image (a static TCP echo server, built here from smoke/tcp-echo.c and imported into
# containerd), exposes it through a LoadBalancer Service with several ports (like an FTP server's
# control + passive ports), waits for MetalLB's EXTERNAL-IP and connects to every port from the
# outside-client network namespace. Also checks a ClusterIP from the host and that the client
# namespace has no route to pods or services. If the ftp-server image has been imported
# (make images), an FTP directory listing through the LB address is tried as well.
# Cleans up its namespace; leaves the cluster running. Exits non-zero on any failure.
set -euo pipefail
# shellcheck disable=SC2034 # read by lib.sh's lc_log
LC_NAME=smoke-test
# shellcheck source=SCRIPTDIR/lib.sh
source "$(cd "$(dirname "$0")" && pwd)/lib.sh"

NS=smoke-test
IMAGE=localhost/ftp-operator/tcp-echo:1.0
PORTS=(7000 30000 30001 30002 30003 30004)
FTP_IMAGE=localhost/ftp-operator/ftp-server:0.1.0-SNAPSHOT
failures=0 passes=0
pass() { echo "PASS: $*"; passes=$((passes + 1)); }
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

"$LC_DIR/cluster-up.sh" | tail -1

cleanup() { lc_kubectl delete namespace "$NS" --ignore-not-found --wait=false >/dev/null 2>&1 || true; }
trap cleanup EXIT

# --- the image -----------------------------------------------------------------------------------
tar=$IMAGES_DIR/tcp-echo-1.0.tar
src=$LC_DIR/smoke/tcp-echo.c
if [ ! -s "$tar" ] || [ "$src" -nt "$tar" ]; then
  d=$(mktemp -d)
  mkdir "$d/root"
  gcc -Os -Wall -Werror -static -o "$d/root/tcp-echo" "$src"
  strip "$d/root/tcp-echo"
  python3 "$LC_DIR/mkimage.py" --tag "$IMAGE" --out "$tar" --dir "$d/root" --entrypoint /tcp-echo >/dev/null
  rm -rf "$d"
fi
lc_import_image "$tar"
if lc_has_image "$IMAGE"; then pass "image $IMAGE in containerd (k8s.io)"; else fail "image $IMAGE not listed by ctr"; fi

# --- Deployment + LoadBalancer Service --------------------------------------------------------------
lc_kubectl delete namespace "$NS" --ignore-not-found --wait=true --timeout=60s >/dev/null
lc_kubectl create namespace "$NS" >/dev/null
lc_wait_for 30 "the default ServiceAccount of $NS" lc_kubectl -n "$NS" get serviceaccount default >/dev/null \
  || fail "namespace $NS got no default ServiceAccount"

container_ports="" svc_ports=""
for p in "${PORTS[@]}"; do
  container_ports+="        - {containerPort: $p, name: p$p}"$'\n'
  svc_ports+="  - {name: p$p, port: $p, targetPort: $p}"$'\n'
done
args=$(printf '"%s",' "${PORTS[@]}"); args=${args%,}

lc_kubectl -n "$NS" apply -f - >/dev/null <<EOF
apiVersion: apps/v1
kind: Deployment
metadata: {name: echo}
spec:
  replicas: 2
  selector: {matchLabels: {app: echo}}
  template:
    metadata: {labels: {app: echo}}
    spec:
      terminationGracePeriodSeconds: 2
      automountServiceAccountToken: false
      containers:
      - name: echo
        image: $IMAGE
        imagePullPolicy: Never
        args: [$args]
        ports:
$container_ports
---
apiVersion: v1
kind: Service
metadata: {name: echo-lb}
spec:
  type: LoadBalancer
  externalTrafficPolicy: Local
  selector: {app: echo}
  ports:
$svc_ports
---
apiVersion: v1
kind: Service
metadata: {name: echo}
spec:
  selector: {app: echo}
  ports:
  - {name: p7000, port: 7000, targetPort: 7000}
EOF

if lc_kubectl -n "$NS" rollout status deployment/echo --timeout=120s >/dev/null; then
  pass "Deployment echo: $(lc_kubectl -n "$NS" get deploy echo -o jsonpath='{.status.readyReplicas}')/2 pods ready"
else
  fail "Deployment echo did not become ready"
  lc_kubectl -n "$NS" get pods -o wide || true
  lc_kubectl -n "$NS" describe pods | tail -30 || true
fi

# talk <netns|-> <ip> <port>: reads the greeting, sends a line, reads the echo; prints "greeting | echo"
talk() {
  local ns=$1 ip=$2 port=$3
  # shellcheck disable=SC2016 # $g and $e belong to the inner shell
  local script='exec 3<>/dev/tcp/'"$ip/$port"' || exit 1; IFS= read -r -t 5 g <&3 || exit 1
    echo "ping-'"$port"'" >&3; IFS= read -r -t 5 e <&3 || exit 1; echo "$g | $e"'
  if [ "$ns" = - ]; then timeout 10 bash -c "$script"; else timeout 10 ip netns exec "$ns" bash -c "$script"; fi
}

# echo_answers <netns|-> <ip> <port>: prints the exchange when the echo server answers as it should
echo_answers() {
  local out
  out=$(talk "$1" "$2" "$3") && [[ $out == "hello from echo-"*" port $3 | ping-$3" ]] && echo "$out"
}
lb_address() { # <service>: prints its load-balancer address, fails while it has none
  local ip
  ip=$(lc_kubectl -n "$NS" get svc "$1" -o jsonpath='{.status.loadBalancer.ingress[0].ip}') && [ -n "$ip" ] && echo "$ip"
}

# --- ClusterIP from the host ---------------------------------------------------------------------------
cip=$(lc_kubectl -n "$NS" get svc echo -o jsonpath='{.spec.clusterIP}')
# endpoints are ready; kube-proxy may still be writing the rules
if out=$(lc_wait_for 5 "ClusterIP $cip:7000" echo_answers - "$cip" 7000); then
  pass "ClusterIP $cip:7000 from the host -> $out"
else
  fail "ClusterIP $cip:7000 from the host"
fi

# --- EXTERNAL-IP from MetalLB ----------------------------------------------------------------------------
if lbip=$(lc_wait_for 60 "an EXTERNAL-IP of echo-lb" lb_address echo-lb); then
  pass "LoadBalancer echo-lb EXTERNAL-IP $lbip (pool $LB_POOL_RANGE)"
else
  lbip=""
  fail "LoadBalancer echo-lb got no EXTERNAL-IP in 60s"
  lc_kubectl -n "$NS" get svc -o wide || true
  tail -5 "$LOGS_DIR/metallb-controller.log" || true
fi

# --- every port from the outside-client namespace ---------------------------------------------------
if [ -n "$lbip" ]; then
  for p in "${PORTS[@]}"; do
    # kube-proxy may need a moment to program the new LB address
    if out=$(lc_wait_for 5 "$lbip:$p from netns $CLIENT_NETNS" echo_answers "$CLIENT_NETNS" "$lbip" "$p"); then
      pass "netns $CLIENT_NETNS -> $lbip:$p -> $out"
    else
      fail "netns $CLIENT_NETNS -> $lbip:$p"
    fi
  done
fi

# --- isolation: the client reaches only the LB pool --------------------------------------------------
podip=$(lc_kubectl -n "$NS" get pods -l app=echo -o jsonpath='{.items[0].status.podIP}')
for target in "$podip" "$cip" "$NODE_IP"; do
  if ip netns exec "$CLIENT_NETNS" ip route get "$target" >/dev/null 2>&1; then
    fail "netns $CLIENT_NETNS has a route to $target"
  else
    pass "netns $CLIENT_NETNS has no route to $target"
  fi
done

# --- optional: the project's FTP server behind a LoadBalancer -----------------------------------
if lc_has_image "$FTP_IMAGE"; then
  # a fixed address from the pool (MetalLB honours the annotation), so that PASV can advertise it
  FTP_LB_IP=${LB_POOL_RANGE#*-}
  lc_kubectl -n "$NS" apply -f - >/dev/null <<EOF
apiVersion: v1
kind: Pod
metadata: {name: ftp, labels: {app: ftp}}
spec:
  terminationGracePeriodSeconds: 2
  automountServiceAccountToken: false
  containers:
  - name: ftp
    image: $FTP_IMAGE
    imagePullPolicy: IfNotPresent
    env:
    - {name: FTP_ANONYMOUS_ENABLED, value: "true"}
    - {name: FTP_PUBLIC_ADDRESS, value: "$FTP_LB_IP"}
    - {name: FTP_PASSIVE_PORTS, value: "30000-30002"}
    - {name: FTP_DATA_DIR, value: /tmp/data}
    - {name: FTP_USERS_DIR, value: /tmp/users}
    ports: [{containerPort: 2121}, {containerPort: 30000}, {containerPort: 30001}, {containerPort: 30002}]
---
apiVersion: v1
kind: Service
metadata:
  name: ftp
  annotations: {metallb.io/loadBalancerIPs: "$FTP_LB_IP"}
spec:
  type: LoadBalancer
  externalTrafficPolicy: Local
  selector: {app: ftp}
  ports:
  - {name: ftp, port: 21, targetPort: 2121}
  - {name: pasv-30000, port: 30000}
  - {name: pasv-30001, port: 30001}
  - {name: pasv-30002, port: 30002}
EOF
  ftpip=$(lc_wait_for 60 "an EXTERNAL-IP of the ftp Service" lb_address ftp) || ftpip=""
  if [ -n "$ftpip" ] && lc_kubectl -n "$NS" wait --for=condition=Ready pod/ftp --timeout=90s >/dev/null; then
    # EPSV, PASV (which advertises FTP_PUBLIC_ADDRESS), active EPRT/PORT (the pod connects back to the client)
    for mode in --epsv --disable-epsv "-P -"; do
      # shellcheck disable=SC2086 # $mode is one or two curl arguments
      if lc_wait_for 10 "an FTP listing ($mode) of ftp://$ftpip/" \
           ip netns exec "$CLIENT_NETNS" curl -sS --max-time 10 $mode "ftp://$ftpip/" >/dev/null; then
        pass "FTP: anonymous listing ($mode) of ftp://$ftpip/ from netns $CLIENT_NETNS"
      else
        fail "FTP: listing ($mode) of ftp://$ftpip/ from netns $CLIENT_NETNS failed"
      fi
    done
    if [ "$failures" -gt 0 ]; then
      lc_kubectl -n "$NS" logs ftp --tail=20 || true
    fi
  else
    fail "FTP: pod or LoadBalancer address not ready (ip: ${ftpip:-none})"
    lc_kubectl -n "$NS" describe pod ftp | tail -20 || true
  fi
else
  echo "SKIP: $FTP_IMAGE not imported (run make images first for the FTP check)"
fi

echo "smoke-test: $passes passed, $failures failed"
[ "$failures" -eq 0 ]
