#!/usr/bin/env bash
# Starts the local single-node Kubernetes cluster (idempotent: builds what is missing, starts what is
# not running, leaves running parts alone). Everything runs as host processes with logs and pid files
# under ~/.cache/ftp-operator/cluster/; all addresses live on this host (see lib.sh).
#
#   local-cluster/cluster-up.sh            last output line: KUBECONFIG=<abs path>
#
# Components: etcd, kube-apiserver, kube-controller-manager, kube-scheduler, containerd (own config,
# CRI, cgroupfs), kubelet, kube-proxy (iptables), CNI bridge/host-local/portmap/loopback, MetalLB
# controller (host process, webhooks off) with an IPAddressPool, and the outside-client netns.
set -euo pipefail
# shellcheck disable=SC2034 # read by lib.sh's lc_log
LC_NAME=cluster-up
# shellcheck source=SCRIPTDIR/lib.sh
source "$(cd "$(dirname "$0")" && pwd)/lib.sh"

[ "$(id -u)" -eq 0 ] || lc_die "run as root (containerd, kubelet, iptables and network namespaces need it)"
t0=$(date +%s)

PKI=$CLUSTER_DIR/pki
CONF=$CLUSTER_DIR/conf
ETCD_URL=http://127.0.0.1:12379
API_URL=https://$NODE_IP:6443
PAUSE_IMAGE=localhost/ftp-operator/pause:3.10
mkdir -p "$PKI" "$CONF" "$LOGS_DIR" "$PIDS_DIR" "$RUN_DIR" "$IMAGES_DIR"

# ---------------------------------------------------------------------------------------------
# 0. packages and binaries
"$LC_DIR/install-prereqs.sh" >&2
for b in etcd kube-apiserver kube-controller-manager kube-scheduler kubelet kube-proxy kubectl metallb-controller; do
  if [ ! -x "$BIN_DIR/$b" ] || [ ! -d "$CACHE_DIR/metallb-crds-$METALLB_VERSION" ] || [ ! -f "$CACHE_DIR/src/pause.c" ]; then
    lc_log "building missing binaries (cached in $BIN_DIR)"
    "$LC_DIR/build-binaries.sh" etcd k8s metallb
    break
  fi
done

# ---------------------------------------------------------------------------------------------
# 1. host network: sysctls, dummy interface, client namespace, our iptables chains
setup_network() {
  if [ ! -f "$CLUSTER_DIR/sysctl.saved" ]; then
    {
      echo "net.ipv4.ip_forward=$(cat /proc/sys/net/ipv4/ip_forward)"
      if [ -e /proc/sys/net/bridge/bridge-nf-call-iptables ]; then
        echo "net.bridge.bridge-nf-call-iptables=$(cat /proc/sys/net/bridge/bridge-nf-call-iptables)"
      fi
    } > "$CLUSTER_DIR/sysctl.saved"
  fi
  if [ ! -e /proc/sys/net/bridge/bridge-nf-call-iptables ]; then
    modprobe br_netfilter 2>/dev/null || true
  fi
  [ -e /proc/sys/net/bridge/bridge-nf-call-iptables ] || lc_die "br_netfilter is not available in this kernel"
  sysctl -q -w net.ipv4.ip_forward=1 net.bridge.bridge-nf-call-iptables=1
  if [ -e /proc/sys/net/bridge/bridge-nf-call-ip6tables ]; then sysctl -q -w net.bridge.bridge-nf-call-ip6tables=1; fi

  # the node's interface: owns NODE_IP; NODE_NET (which holds the LB pool), the service and the pod
  # ranges are routed to it, so a packet to any of them that kube-proxy does not DNAT is dropped
  # here instead of following the default route
  # (a dummy interface; kernels without the dummy driver get a bridge without ports, which drops
  # whatever is sent to it just the same)
  if ! ip link show "$NODE_IF" >/dev/null 2>&1; then
    ip link add "$NODE_IF" type dummy 2>/dev/null || ip link add "$NODE_IF" type bridge
  fi
  ip link set "$NODE_IF" up
  ip addr replace "$NODE_IP/${NODE_NET#*/}" dev "$NODE_IF"
  ip route replace "$SERVICE_CIDR" dev "$NODE_IF"
  ip route replace "$CLUSTER_CIDR" dev "$NODE_IF"

  # the outside client: a namespace with a veth to the host that routes only to the LB pool
  if [ ! -e "/run/netns/$CLIENT_NETNS" ]; then
    ip netns add "$CLIENT_NETNS"
  fi
  if ! ip link show "$CLIENT_VETH_HOST" >/dev/null 2>&1; then
    ip link add "$CLIENT_VETH_HOST" type veth peer name "$CLIENT_VETH_NS" netns "$CLIENT_NETNS"
  fi
  ip addr replace "$CLIENT_HOST_IP/${CLIENT_NET#*/}" dev "$CLIENT_VETH_HOST"
  ip link set "$CLIENT_VETH_HOST" up
  ip -n "$CLIENT_NETNS" link set lo up
  ip -n "$CLIENT_NETNS" addr replace "$CLIENT_IP/${CLIENT_NET#*/}" dev "$CLIENT_VETH_NS"
  ip -n "$CLIENT_NETNS" link set "$CLIENT_VETH_NS" up
  ip -n "$CLIENT_NETNS" route replace "$LB_POOL_CIDR" via "$CLIENT_HOST_IP"

  # forwarding stays between our interfaces: pods and the client namespace cannot reach real networks
  iptables -N "$FW_CHAIN" 2>/dev/null || iptables -F "$FW_CHAIN"
  iptables -A "$FW_CHAIN" -o "$CNI_BRIDGE" -j RETURN
  iptables -A "$FW_CHAIN" -o "$CLIENT_VETH_HOST" -j RETURN
  iptables -A "$FW_CHAIN" -o "$NODE_IF" -j RETURN
  iptables -A "$FW_CHAIN" -i "$CNI_BRIDGE" -j REJECT
  iptables -A "$FW_CHAIN" -i "$CLIENT_VETH_HOST" -j REJECT
  iptables -C FORWARD -j "$FW_CHAIN" 2>/dev/null || iptables -I FORWARD 1 -j "$FW_CHAIN"
  # connections that pods open to the client (active FTP) leave with the host's address on the veth,
  # as if through a router with NAT, because the client has no route to the pod network
  iptables -t nat -N "$FW_CHAIN" 2>/dev/null || iptables -t nat -F "$FW_CHAIN"
  iptables -t nat -A "$FW_CHAIN" -s "$CLUSTER_CIDR" -o "$CLIENT_VETH_HOST" -j MASQUERADE
  iptables -t nat -C POSTROUTING -j "$FW_CHAIN" 2>/dev/null || iptables -t nat -A POSTROUTING -j "$FW_CHAIN"
}

# ---------------------------------------------------------------------------------------------
# 2. certificates (first start only)
cert() { # name CN O "SANs" eku
  local name=$1 cn=$2 o=$3 sans=$4 eku=$5
  [ -s "$PKI/$name.crt" ] && return
  local subj="/CN=$cn"; [ -n "$o" ] && subj="/O=$o/CN=$cn"
  openssl req -new -newkey rsa:2048 -nodes -keyout "$PKI/$name.key" -out "$PKI/$name.csr" -subj "$subj" 2>/dev/null
  {
    echo "basicConstraints=critical,CA:FALSE"
    echo "keyUsage=critical,digitalSignature,keyEncipherment"
    echo "extendedKeyUsage=$eku"
    [ -n "$sans" ] && echo "subjectAltName=$sans"
  } > "$PKI/$name.ext"
  openssl x509 -req -in "$PKI/$name.csr" -CA "$PKI/ca.crt" -CAkey "$PKI/ca.key" -CAcreateserial \
    -days 3650 -sha256 -extfile "$PKI/$name.ext" -out "$PKI/$name.crt" 2>/dev/null
  rm -f "$PKI/$name.csr" "$PKI/$name.ext"
}

setup_pki() {
  if [ ! -s "$PKI/ca.crt" ]; then
    lc_log "generating certificates in $PKI"
    openssl req -x509 -newkey rsa:2048 -nodes -keyout "$PKI/ca.key" -out "$PKI/ca.crt" -days 3650 -sha256 \
      -subj "/CN=ftp-operator-local-ca" -addext "basicConstraints=critical,CA:TRUE" \
      -addext "keyUsage=critical,keyCertSign,cRLSign,digitalSignature" 2>/dev/null
  fi
  cert apiserver kube-apiserver "" \
    "DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local,DNS:localhost,IP:$KUBERNETES_SVC_IP,IP:$NODE_IP,IP:127.0.0.1" \
    serverAuth
  cert apiserver-kubelet-client kube-apiserver-kubelet-client system:masters "" clientAuth
  cert admin admin system:masters "" clientAuth
  cert controller-manager system:kube-controller-manager "" "" clientAuth
  cert scheduler system:kube-scheduler "" "" clientAuth
  cert kubelet "system:node:$NODE_NAME" system:nodes "" clientAuth
  cert kube-proxy system:kube-proxy "" "" clientAuth
  if [ ! -s "$PKI/sa.key" ]; then
    openssl genrsa -out "$PKI/sa.key" 2048 2>/dev/null
    openssl rsa -in "$PKI/sa.key" -pubout -out "$PKI/sa.pub" 2>/dev/null
  fi
  chmod 600 "$PKI"/*.key
}

kubeconfig() { # file cert-name
  local f=$1 n=$2
  [ -s "$f" ] && return
  cat > "$f.tmp" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: ftp-operator-local
  cluster:
    server: $API_URL
    certificate-authority-data: $(base64 -w0 < "$PKI/ca.crt")
users:
- name: $n
  user:
    client-certificate-data: $(base64 -w0 < "$PKI/$n.crt")
    client-key-data: $(base64 -w0 < "$PKI/$n.key")
contexts:
- name: ftp-operator-local
  context: {cluster: ftp-operator-local, user: $n, namespace: default}
current-context: ftp-operator-local
EOF
  chmod 600 "$f.tmp"
  mv "$f.tmp" "$f"
}

# ---------------------------------------------------------------------------------------------
# 3. processes
start() { # name command...: starts it in its own session unless its pid file names a live process
  local name=$1; shift
  if [ -n "$(lc_pid "$name")" ]; then return 1; fi
  lc_log "starting $name (log: $LOGS_DIR/$name.log)"
  echo "=== $(date -u +%FT%TZ) $*" >> "$LOGS_DIR/$name.log"
  # without the descriptors this script inherited: under `flock LOCK make cluster-up` the lock's
  # descriptor would stay open in every component, and the lock held for the cluster's whole life
  (
    for fd in "/proc/$BASHPID/fd"/*; do
      fd=${fd##*/}
      if [ "$fd" -gt 2 ]; then eval "exec $fd>&-"; fi
    done
    exec setsid "$@" >> "$LOGS_DIR/$name.log" 2>&1 < /dev/null
  ) &
  echo $! > "$PIDS_DIR/$name.pid"
}

check_alive() { # name: fails with the log tail when the process died
  if [ -z "$(lc_pid "$1")" ]; then
    tail -25 "$LOGS_DIR/$1.log" >&2
    lc_die "$1 exited (log: $LOGS_DIR/$1.log)"
  fi
}

# put <file>: writes stdin to the file only when the content differs (kube-proxy exits when its
# configuration file changes, so a repeated cluster-up must not touch unchanged files)
put() {
  local f=$1
  cat > "$f.new"
  if [ -f "$f" ] && cmp -s "$f" "$f.new"; then rm -f "$f.new"; else mv "$f.new" "$f"; fi
}

start_etcd() {
  start etcd "$BIN_DIR/etcd" --name=node0 --data-dir="$CLUSTER_DIR/etcd" \
    --listen-client-urls="$ETCD_URL" --advertise-client-urls="$ETCD_URL" \
    --listen-peer-urls=http://127.0.0.1:12380 --initial-advertise-peer-urls=http://127.0.0.1:12380 \
    --initial-cluster=node0=http://127.0.0.1:12380 --initial-cluster-state=new \
    --listen-metrics-urls=http://127.0.0.1:12381 --unsafe-no-fsync --log-level=warn || true
  lc_wait_for --every 0.5 --process etcd 60 "etcd health" curl -fsS "$ETCD_URL/health" >/dev/null || exit 1
}

start_apiserver() {
  start kube-apiserver "$BIN_DIR/kube-apiserver" \
    --advertise-address="$NODE_IP" --bind-address="$NODE_IP" --secure-port=6443 \
    --etcd-servers="$ETCD_URL" \
    --service-cluster-ip-range="$SERVICE_CIDR" --service-node-port-range="$NODE_PORT_RANGE" \
    --client-ca-file="$PKI/ca.crt" --tls-cert-file="$PKI/apiserver.crt" --tls-private-key-file="$PKI/apiserver.key" \
    --kubelet-client-certificate="$PKI/apiserver-kubelet-client.crt" --kubelet-client-key="$PKI/apiserver-kubelet-client.key" \
    --service-account-issuer=https://kubernetes.default.svc.cluster.local \
    --service-account-key-file="$PKI/sa.pub" --service-account-signing-key-file="$PKI/sa.key" \
    --authorization-mode=Node,RBAC --enable-admission-plugins=NodeRestriction --allow-privileged=true \
    --kubelet-preferred-address-types=InternalIP,Hostname \
    --cert-dir="$PKI/apiserver-generated" --profiling=false || true
  lc_wait_for --every 0.5 --process kube-apiserver 120 "kube-apiserver /readyz" lc_kubectl get --raw /readyz >/dev/null || exit 1
}

start_controllers() {
  start kube-controller-manager "$BIN_DIR/kube-controller-manager" \
    --kubeconfig="$CONF/controller-manager.kubeconfig" \
    --authentication-kubeconfig="$CONF/controller-manager.kubeconfig" \
    --authorization-kubeconfig="$CONF/controller-manager.kubeconfig" \
    --bind-address=127.0.0.1 --leader-elect=false --use-service-account-credentials=true \
    --service-account-private-key-file="$PKI/sa.key" --root-ca-file="$PKI/ca.crt" \
    --cluster-signing-cert-file="$PKI/ca.crt" --cluster-signing-key-file="$PKI/ca.key" \
    --service-cluster-ip-range="$SERVICE_CIDR" --cluster-cidr="$CLUSTER_CIDR" --allocate-node-cidrs=false \
    --profiling=false || true
  start kube-scheduler "$BIN_DIR/kube-scheduler" \
    --kubeconfig="$CONF/scheduler.kubeconfig" \
    --authentication-kubeconfig="$CONF/scheduler.kubeconfig" \
    --authorization-kubeconfig="$CONF/scheduler.kubeconfig" \
    --bind-address=127.0.0.1 --leader-elect=false --profiling=false || true
}

write_containerd_config() {
  local restrict_oom=false
  if ! grep -q '^CapEff:' /proc/self/status || (( (0x$(awk '/^CapEff:/ {print $2}' /proc/self/status) >> 24 & 1) == 0 )); then
    restrict_oom=true
  fi
  mkdir -p "$CLUSTER_DIR/containerd" "$CLUSTER_DIR/cni/net.d" "$RUN_DIR/containerd"
  put "$CONF/containerd.toml" <<EOF
# containerd for the local cluster (written by local-cluster/cluster-up.sh)
version = 2
root = "$CLUSTER_DIR/containerd"
state = "$RUN_DIR/containerd/state"
disabled_plugins = ["io.containerd.snapshotter.v1.aufs", "io.containerd.snapshotter.v1.btrfs",
  "io.containerd.snapshotter.v1.devmapper", "io.containerd.snapshotter.v1.zfs", "io.containerd.internal.v1.opt"]

[grpc]
  address = "$CONTAINERD_SOCK"

[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "$PAUSE_IMAGE"
  stream_server_address = "127.0.0.1"
  enable_selinux = false
  # this host may deny CAP_SYS_RESOURCE even to root: then no process can lower its oom_score_adj,
  # and runc fails on the kubelet's negative values (sandboxes: -998) unless they are clamped
  restrict_oom_score_adj = $restrict_oom
  # the pods' network namespaces are mounted under our state dir (not /run/netns), so cluster-down
  # finds them even when containerd is gone
  netns_mounts_under_state_dir = true
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        SystemdCgroup = false
        Root = "$RUN_DIR/runc"
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "/usr/lib/cni"
    conf_dir = "$CLUSTER_DIR/cni/net.d"
EOF
  # one bridge for the node's pods; host-local keeps its leases under the cluster dir
  put "$CLUSTER_DIR/cni/net.d/10-ftp-operator.conflist" <<EOF
{
  "cniVersion": "1.0.0",
  "name": "ftp-operator",
  "plugins": [
    {
      "type": "bridge", "bridge": "$CNI_BRIDGE", "isGateway": true, "ipMasq": false, "hairpinMode": true,
      "ipam": {
        "type": "host-local", "dataDir": "$CLUSTER_DIR/cni/ipam",
        "ranges": [[{"subnet": "$POD_CIDR"}]], "routes": [{"dst": "0.0.0.0/0"}]
      }
    },
    {"type": "portmap", "capabilities": {"portMappings": true}}
  ]
}
EOF
}

pause_image() {
  local tar=$IMAGES_DIR/pause-3.10.tar
  if [ ! -s "$tar" ]; then
    lc_log "building the pause image from $CACHE_DIR/src/pause.c"
    local d
    d=$(mktemp -d)
    gcc -Os -Wall -Werror -static -DVERSION=v3.10-ftp-operator -o "$d/pause" "$CACHE_DIR/src/pause.c"
    strip "$d/pause"
    mkdir "$d/root" && mv "$d/pause" "$d/root/pause"
    python3 "$LC_DIR/mkimage.py" --tag "$PAUSE_IMAGE" --out "$tar" --dir "$d/root" --entrypoint /pause --user 65535:65535 >/dev/null
    rm -rf "$d"
  fi
  if ! lc_has_image "$PAUSE_IMAGE"; then
    lc_import_image "$tar"
  fi
}

start_containerd() {
  write_containerd_config
  start containerd containerd --config "$CONF/containerd.toml" || true
  lc_wait_for --every 0.5 --process containerd 30 "containerd socket" ctr --address "$CONTAINERD_SOCK" version >/dev/null || exit 1
  pause_image
}

write_node_configs() {
  put "$CONF/kubelet.yaml" <<EOF
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
address: $NODE_IP
port: 10250
readOnlyPort: 0
healthzBindAddress: 127.0.0.1
healthzPort: 10248
containerRuntimeEndpoint: unix://$CONTAINERD_SOCK
cgroupDriver: cgroupfs
failCgroupV1: false
failSwapOn: false
authentication:
  anonymous: {enabled: false}
  webhook: {enabled: true}
  x509: {clientCAFile: $PKI/ca.crt}
authorization: {mode: Webhook}
# images cannot be pulled again here: never garbage-collect them, and evict only when really full
imageGCHighThresholdPercent: 100
imageGCLowThresholdPercent: 99
evictionHard: {memory.available: 100Mi, nodefs.available: 1%, imagefs.available: 1%, nodefs.inodesFree: 1%}
# no cluster DNS; pods get no name servers (they could only reach real networks anyway)
resolvConf: ""
clusterDomain: cluster.local
serializeImagePulls: false
registerNode: true
maxPods: 110
EOF
  put "$CONF/kube-proxy.yaml" <<EOF
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
mode: iptables
clientConnection: {kubeconfig: $CONF/kube-proxy.kubeconfig}
hostnameOverride: $NODE_NAME
bindAddress: $NODE_IP
clusterCIDR: $CLUSTER_CIDR
# node ports only on the node address, never on 127.0.0.1 (local FTP tests use ports 30000+)
nodePortAddresses: ["$NODE_IP/32"]
metricsBindAddress: 127.0.0.1:10249
healthzBindAddress: 127.0.0.1:10256
# leave the host's conntrack sysctls alone
conntrack: {maxPerCore: 0, min: 0, tcpEstablishedTimeout: 0s, tcpCloseWaitTimeout: 0s}
EOF
}

start_node() {
  write_node_configs
  mkdir -p "$CLUSTER_DIR/kubelet"
  start kubelet "$BIN_DIR/kubelet" --config="$CONF/kubelet.yaml" --kubeconfig="$CONF/kubelet.kubeconfig" \
    --node-ip="$NODE_IP" --hostname-override="$NODE_NAME" --root-dir="$CLUSTER_DIR/kubelet" \
    --cert-dir="$CLUSTER_DIR/kubelet/pki" --pod-infra-container-image="$PAUSE_IMAGE" || true
  start kube-proxy "$BIN_DIR/kube-proxy" --config="$CONF/kube-proxy.yaml" || true
}

start_metallb() {
  local crds=$CACHE_DIR/metallb-crds-$METALLB_VERSION
  if ! lc_kubectl get crd ipaddresspools.metallb.io >/dev/null 2>&1; then
    lc_log "installing MetalLB $METALLB_VERSION CRDs"
    lc_kubectl apply --server-side -f "$crds" >/dev/null
  fi
  lc_kubectl wait --for=condition=Established --timeout=60s -f "$crds" >/dev/null
  lc_kubectl get ns "$METALLB_NAMESPACE" >/dev/null 2>&1 || lc_kubectl create ns "$METALLB_NAMESPACE" >/dev/null
  KUBECONFIG=$CLUSTER_KUBECONFIG start metallb-controller "$BIN_DIR/metallb-controller" \
    --namespace="$METALLB_NAMESPACE" --webhook-mode=disabled --disable-cert-rotation --log-level=warn || true
  lc_kubectl apply --server-side -f - >/dev/null <<EOF
apiVersion: metallb.io/v1beta1
kind: IPAddressPool
metadata: {name: $LB_POOL_NAME, namespace: $METALLB_NAMESPACE}
spec:
  addresses: ["$LB_POOL_RANGE"]
  autoAssign: true
EOF
}

# ---------------------------------------------------------------------------------------------
# Processes killed from outside (a reboot, a session that ended) leave mounts, namespaces and rules:
# when nothing of ours runs but such state exists, clean it up first.
any_alive=""
for c in etcd kube-apiserver kube-controller-manager kube-scheduler containerd kubelet kube-proxy metallb-controller; do
  [ -n "$(lc_pid "$c")" ] && any_alive=yes
done
if [ -z "$any_alive" ] && { [ -d "$RUN_DIR" ] || ip link show "$NODE_IF" >/dev/null 2>&1; }; then
  lc_log "no cluster process runs but state of an earlier run is left: cleaning it up first"
  "$LC_DIR/cluster-down.sh" >&2
  mkdir -p "$RUN_DIR"
fi

setup_network
setup_pki
kubeconfig "$CLUSTER_KUBECONFIG" admin
kubeconfig "$CONF/controller-manager.kubeconfig" controller-manager
kubeconfig "$CONF/scheduler.kubeconfig" scheduler
kubeconfig "$CONF/kubelet.kubeconfig" kubelet
kubeconfig "$CONF/kube-proxy.kubeconfig" kube-proxy

start_etcd
start_apiserver
start_controllers
start_containerd
start_node
start_metallb

node_ready() { [ "$(lc_kubectl get node "$NODE_NAME" -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}')" = True ]; }
lc_wait_for --every 0.5 --process kubelet 180 "node $NODE_NAME Ready" node_ready >/dev/null || exit 1
lc_wait_for --every 0.5 --process kube-controller-manager 60 "the default ServiceAccount" lc_kubectl -n default get serviceaccount default >/dev/null || exit 1
for c in kube-controller-manager kube-scheduler kube-proxy metallb-controller; do check_alive "$c"; done
# no volume provisioner here: a default StorageClass with a pool of hostPath volumes, so PVCs bind
"$LC_DIR/local-storage.sh"

lc_log "cluster ready in $(($(date +%s) - t0))s: node $NODE_NAME $(lc_kubectl get node "$NODE_NAME" -o jsonpath='{.status.nodeInfo.kubeletVersion}'), LB pool $LB_POOL_RANGE, client netns $CLIENT_NETNS"
echo "KUBECONFIG=$CLUSTER_KUBECONFIG"
