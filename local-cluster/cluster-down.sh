#!/usr/bin/env bash
# Stops the local cluster: every process cluster-up started, the pods' containers and shims, their
# network namespaces and mounts, kube-proxy's iptables rules (kube-proxy --cleanup) and ours, the
# client namespace, the dummy interface and the CNI bridge. Idempotent.
# Certificates, etcd data and containerd's image store stay in ~/.cache/ftp-operator/cluster, so
# the next cluster-up is quick and finds the imported images again.
#
#   local-cluster/cluster-down.sh            stop
#   local-cluster/cluster-down.sh --purge    stop and also delete the cluster state (etcd data,
#                                            kubelet dir, certificates); images stay
set -uo pipefail
# shellcheck disable=SC2034 # read by lib.sh's lc_log
LC_NAME=cluster-down
# shellcheck source=SCRIPTDIR/lib.sh
source "$(cd "$(dirname "$0")" && pwd)/lib.sh"

[ "$(id -u)" -eq 0 ] || lc_die "run as root"

stop() { # name [seconds]: SIGTERM, then SIGKILL after the grace period
  local name=$1 grace=${2:-15} pid i
  pid=$(lc_pid "$name")
  if [ -z "$pid" ]; then rm -f "$PIDS_DIR/$name.pid"; return; fi
  lc_log "stopping $name ($pid)"
  kill -TERM "$pid" 2>/dev/null
  for ((i = 0; i < grace * 10; i++)); do
    lc_alive "$pid" "$name" || break
    sleep 0.1
  done
  if lc_alive "$pid" "$name"; then kill -KILL "$pid" 2>/dev/null; sleep 0.2; fi
  rm -f "$PIDS_DIR/$name.pid"
}

ctr_ok() { [ -S "$CONTAINERD_SOCK" ] && ctr --address "$CONTAINERD_SOCK" version >/dev/null 2>&1; }

stop metallb-controller
stop kube-scheduler
stop kube-controller-manager
stop kube-proxy
stop kubelet 30

# The pods: kill their tasks, delete the containers (and their snapshots). Their network namespaces
# are mounted under $RUN_DIR (netns_mounts_under_state_dir) and go with the mounts below.
if ctr_ok; then
  for id in $(lc_ctr tasks ls -q 2>/dev/null); do
    lc_ctr tasks kill -s SIGKILL "$id" >/dev/null 2>&1
  done
  sleep 0.5
  for id in $(lc_ctr containers ls -q 2>/dev/null); do
    lc_ctr tasks delete -f "$id" >/dev/null 2>&1
    lc_ctr containers delete "$id" >/dev/null 2>&1
  done
fi
stop containerd 20

# shims that outlived containerd (they name our socket on their command line)
for pid in $(pgrep -f "containerd-shim.*-address $CONTAINERD_SOCK" 2>/dev/null); do
  lc_log "killing leftover shim $pid"
  kill -KILL "$pid" 2>/dev/null
done
# container processes left in the kubelet's cgroups
for cg in /sys/fs/cgroup/*/kubepods; do
  [ -d "$cg" ] || continue
  while read -r pid; do kill -KILL "$pid" 2>/dev/null; done < <(find "$cg" -name cgroup.procs -exec cat {} + 2>/dev/null)
done

stop kube-apiserver
stop etcd

# mounts left under our directories (pod volumes, sandbox shm, rootfs, pods' network namespaces,
# whose veths disappear with them), deepest first
while read -r mnt; do
  umount -l "$mnt" 2>/dev/null
done < <(awk -v a="$CLUSTER_DIR/" -v b="$RUN_DIR/" 'index($2, a) == 1 || index($2, b) == 1 {print $2}' /proc/mounts | sort -r)

rm -rf "$CLUSTER_DIR/cni/ipam"

# kube-proxy's rules, then ours
if [ -x "$BIN_DIR/kube-proxy" ]; then
  "$BIN_DIR/kube-proxy" --cleanup >/dev/null 2>&1 || lc_log "kube-proxy --cleanup reported errors (ignored)"
fi
if iptables -C FORWARD -j "$FW_CHAIN" 2>/dev/null; then iptables -D FORWARD -j "$FW_CHAIN"; fi
iptables -F "$FW_CHAIN" 2>/dev/null && iptables -X "$FW_CHAIN"
if iptables -t nat -C POSTROUTING -j "$FW_CHAIN" 2>/dev/null; then iptables -t nat -D POSTROUTING -j "$FW_CHAIN"; fi
iptables -t nat -F "$FW_CHAIN" 2>/dev/null && iptables -t nat -X "$FW_CHAIN"
# what the kubelet itself adds (KUBE-FIREWALL, KUBE-KUBELET-CANARY, KUBE-IPTABLES-HINT), IPv4 and IPv6
for ipt in iptables ip6tables; do
  for t in filter nat mangle; do
    for c in KUBE-KUBELET-CANARY KUBE-IPTABLES-HINT KUBE-FIREWALL; do
      $ipt -t $t -n -L "$c" >/dev/null 2>&1 || continue
      for parent in INPUT OUTPUT FORWARD PREROUTING POSTROUTING; do
        while $ipt -t $t -D "$parent" -j "$c" 2>/dev/null; do :; done
      done
      $ipt -t $t -F "$c" 2>/dev/null && $ipt -t $t -X "$c" 2>/dev/null
    done
  done
done

# interfaces and the client namespace
ip netns delete "$CLIENT_NETNS" 2>/dev/null
ip netns delete "$HIJACKER_NETNS" 2>/dev/null   # left by an e2e run that was killed
ip link delete "$CLIENT_VETH_HOST" 2>/dev/null
ip link delete "$CNI_BRIDGE" 2>/dev/null
ip link delete "$NODE_IF" 2>/dev/null

# the kubelet's cgroups (empty now), deepest first
for cg in /sys/fs/cgroup/*/kubepods; do
  [ -d "$cg" ] && find "$cg" -depth -type d -exec rmdir {} \; 2>/dev/null
done

# sysctls as they were before the first cluster-up
if [ -f "$CLUSTER_DIR/sysctl.saved" ]; then
  while IFS= read -r kv; do sysctl -q -w "$kv" 2>/dev/null; done < "$CLUSTER_DIR/sysctl.saved"
  rm -f "$CLUSTER_DIR/sysctl.saved"
fi

if [ "${1:-}" = "--purge" ]; then
  lc_log "purging cluster state (images stay)"
  rm -rf "$CLUSTER_DIR/etcd" "$CLUSTER_DIR/kubelet" "$CLUSTER_DIR/pki" "$CLUSTER_DIR/conf" "$CLUSTER_KUBECONFIG"
fi
rm -rf "$RUN_DIR"
lc_log "stopped"
