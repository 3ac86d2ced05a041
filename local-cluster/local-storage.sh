#!/usr/bin/env bash
# Storage for the local cluster, which has no volume provisioner: a default StorageClass
# `local-hostpath` and a small pool of pre-made hostPath PersistentVolumes (directories under the
# cluster's cache dir, writable by the FTP server's uid 1000). Each run tops the pool up: volumes
# whose claim was deleted (Released) are wiped and removed, new ones are made until POOL are free.
# Idempotent; cluster-up runs it, and e2e runs it again to top the pool up.
#
#   local-cluster/local-storage.sh            POOL [6] free volumes of SIZE [50Gi] (hostPath does not enforce it)
set -euo pipefail
# shellcheck disable=SC2034 # used by lib.sh's log functions
LC_NAME=local-storage
# shellcheck source=SCRIPTDIR/lib.sh
source "$(cd "$(dirname "$0")" && pwd)/lib.sh"
pool=${POOL:-6}
size=${SIZE:-50Gi}
class=local-hostpath
vol_dir=$CLUSTER_DIR/volumes

lc_cluster_running || lc_die "the local cluster is not running (make cluster-up)"
mkdir -p "$vol_dir"

lc_kubectl apply -f - >/dev/null <<EOF
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: $class
  annotations:
    storageclass.kubernetes.io/is-default-class: "true"
provisioner: kubernetes.io/no-provisioner
reclaimPolicy: Retain
volumeBindingMode: Immediate
EOF

# volumes whose claim is gone: wipe and remove
for pv in $(lc_kubectl get pv -l ftp-operator.dev/local-pool=true -o jsonpath='{range .items[?(@.status.phase=="Released")]}{.metadata.name}{"\n"}{end}'); do
  lc_kubectl delete pv "$pv" --wait=false >/dev/null
  rm -rf "${vol_dir:?}/$pv"
done

free=$(lc_kubectl get pv -l ftp-operator.dev/local-pool=true -o jsonpath='{range .items[?(@.status.phase=="Available")]}{.metadata.name}{"\n"}{end}' | grep -c . || true)
made=0
while [ "$free" -lt "$pool" ]; do
  pv=local-pv-$(date +%s%N | tail -c 9)
  mkdir -p "$vol_dir/$pv"
  chmod 0777 "$vol_dir/$pv"   # the pods run as uid 1000 and hostPath has no fsGroup handling
  lc_kubectl apply -f - >/dev/null <<EOF
apiVersion: v1
kind: PersistentVolume
metadata:
  name: $pv
  labels:
    ftp-operator.dev/local-pool: "true"
spec:
  storageClassName: $class
  capacity:
    storage: $size
  accessModes: [ReadWriteOnce, ReadWriteMany, ReadOnlyMany]
  persistentVolumeReclaimPolicy: Retain
  hostPath:
    path: $vol_dir/$pv
    type: Directory
EOF
  free=$((free + 1)); made=$((made + 1))
done
lc_log "StorageClass $class (default): $free free hostPath volumes under $vol_dir ($made new)"
