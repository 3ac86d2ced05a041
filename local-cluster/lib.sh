# The one helper library of the scripts in local-cluster/, e2e/ and helm/: the local cluster's values
# (paths, addresses) and the helpers for logging, kubectl, waiting and the cluster's processes and
# images. Source it:  source local-cluster/lib.sh   (set LC_NAME first: it prefixes log lines)
# Every address below lives on this host only (a dummy interface, a veth into a network namespace,
# the CNI bridge); the scripts add routes so that none of these ranges can leak to the default route.
# shellcheck shell=bash disable=SC2034  # the values are for the scripts that source this file

LC_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=versions.env
source "$LC_DIR/versions.env"

# --- paths -------------------------------------------------------------------------------------
CLUSTER_DIR=$CACHE_DIR/cluster                 # certs, configs, logs, pid files, etcd data, kubelet root
IMAGES_DIR=$CACHE_DIR/images                   # jre17-base.tar, pause image, test images
CLUSTER_KUBECONFIG=$CLUSTER_DIR/admin.kubeconfig
LOGS_DIR=$CLUSTER_DIR/logs                     # one log per component process
PIDS_DIR=$CLUSTER_DIR/run                      # one pid file per component process
RUN_DIR=/run/ftp-operator                      # sockets and runtime state (short paths: unix sockets)
CONTAINERD_SOCK=$RUN_DIR/containerd/containerd.sock
KUBECTL=$BIN_DIR/kubectl
HELM=$BIN_DIR/helm

# --- cluster network ---------------------------------------------------------------------------
NODE_NAME=ftp-operator-node
NODE_IF=ftpop0                                 # dummy interface (or port-less bridge) owning NODE_IP and the routes below
NODE_IP=10.99.0.1
NODE_NET=10.99.0.0/16                          # routed to the dummy interface (swallows stray packets)
SERVICE_CIDR=10.96.0.0/16
KUBERNETES_SVC_IP=10.96.0.1
CLUSTER_CIDR=10.244.0.0/16                     # also routed to the dummy interface
POD_CIDR=10.244.0.0/24                         # the CNI bridge subnet of the single node
CNI_BRIDGE=ftpcni0
NODE_PORT_RANGE=32000-32767                    # keeps node ports away from FTP passive ports (30000+)

# --- load balancer (MetalLB controller, IPAddressPool) -----------------------------------------
LB_POOL_CIDR=10.99.2.0/26                      # inside NODE_NET, so it is routed to the dummy interface
LB_POOL_RANGE=10.99.2.1-10.99.2.62
LB_POOL_NAME=local-pool
METALLB_NAMESPACE=metallb-system

# --- the "outside client" network namespace ---------------------------------------------------
CLIENT_NETNS=ftp-client                        # ip netns exec $CLIENT_NETNS <cmd>
CLIENT_VETH_HOST=ftpcl0                        # host end of the veth pair
CLIENT_VETH_NS=eth0                            # name of the other end inside the namespace
CLIENT_HOST_IP=10.98.0.1                       # /30 on the veth pair
CLIENT_IP=10.98.0.2
CLIENT_NET=10.98.0.0/30
# a second outside address, for e2e's hijack check only (e2e/run.sh makes and removes it)
HIJACKER_NETNS=ftp-hijacker
HIJACKER_VETH_HOST=ftphj0
HIJACKER_HOST_IP=10.98.0.5
HIJACKER_IP=10.98.0.6
HIJACKER_NET=10.98.0.4/30

# --- iptables chains owned by the scripts (kube-proxy's own chains are removed by kube-proxy --cleanup)
FW_CHAIN=FTPOP-FORWARD

# --- logging ------------------------------------------------------------------------------------
lc_log() { echo "[${LC_NAME:-local-cluster}] $*" >&2; }
lc_die() { lc_log "ERROR: $*"; exit 1; }

# --- kubectl ------------------------------------------------------------------------------------
# kubectl against the local cluster, whatever KUBECONFIG says (scripts that honour KUBECONFIG, like
# e2e/ and helm/, put $BIN_DIR on the PATH and call kubectl itself)
lc_kubectl() { "$KUBECTL" --kubeconfig "$CLUSTER_KUBECONFIG" "$@"; }

# --- waiting ------------------------------------------------------------------------------------
# lc_wait_for [--every SECONDS] [--process NAME] <seconds> <what> <command...>
# Runs <command> (in a subshell) until it succeeds, every SECONDS [1], and prints the successful
# attempt's stdout. On timeout it logs what it waited for and the last attempt's output, and returns 1.
# With --process it gives up at once when that component (started by cluster-up) is no longer
# running, and shows the tail of its log.
lc_wait_for() {
  local every=1 process=""
  while :; do
    case $1 in
      --every) every=$2; shift 2 ;;
      --process) process=$2; shift 2 ;;
      *) break ;;
    esac
  done
  local seconds=$1 what=$2
  shift 2
  local deadline=$((SECONDS + seconds)) errors out ok="" why="timed out after ${seconds}s"
  errors=$(mktemp)
  while :; do
    if out=$("$@" 2>"$errors"); then ok=1; break; fi
    if [ -n "$process" ] && [ -z "$(lc_pid "$process")" ]; then why="$process exited"; break; fi
    [ $SECONDS -lt $deadline ] || break
    sleep "$every"
  done
  if [ -n "$ok" ]; then
    [ -z "$out" ] || printf '%s\n' "$out"
  else
    lc_log "$why waiting for $what"
    { printf '%s\n' "$out"; cat "$errors"; } | grep . | tail -15 | sed 's/^/    last attempt: /' >&2 || true
    [ -z "$process" ] || { tail -25 "$LOGS_DIR/$process.log" >&2 2>/dev/null; lc_log "log: $LOGS_DIR/$process.log"; }
  fi
  rm -f "$errors"
  [ -n "$ok" ]
}

# --- the cluster's processes ----------------------------------------------------------------------
# is <pid> alive and running <name>? (a zombie waiting for init to reap it counts as gone,
# and so does a recycled pid that now runs something else)
lc_alive() {
  local pid=$1 name=$2 stat
  [ -n "$pid" ] && [ -r "/proc/$pid/stat" ] || return 1
  stat=$(cat "/proc/$pid/stat" 2>/dev/null) || return 1
  stat=${stat##*) }
  [ "${stat%% *}" != Z ] || return 1
  tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -F -- "$name" >/dev/null
}

# pid of a running component started by cluster-up (empty when not running)
lc_pid() {
  local f=$PIDS_DIR/$1.pid p
  [ -f "$f" ] || return 0
  p=$(cat "$f")
  if lc_alive "$p" "$1"; then echo "$p"; fi
}

lc_cluster_running() {
  [ -f "$CLUSTER_KUBECONFIG" ] && [ -x "$KUBECTL" ] && lc_kubectl get --raw /readyz >/dev/null 2>&1
}

# --- images -------------------------------------------------------------------------------------
# ctr against the cluster's containerd, namespace k8s.io (the one the kubelet sees)
lc_ctr() { ctr --address "$CONTAINERD_SOCK" -n k8s.io "$@"; }

# is <image> (full name as ctr lists it) in the cluster's containerd?
lc_has_image() { lc_ctr images ls -q 2>/dev/null | grep -Fx "$1" >/dev/null; }

# import a docker-archive / OCI tar into the cluster's containerd (namespace k8s.io)
lc_import_image() { lc_ctr images import --all-platforms "$1" >/dev/null; }
