#!/usr/bin/env bash
# The main job for a newcomer (make demo): build everything, start the local cluster unless
# KUBECONFIG names another reachable cluster, import the images, install the operator with Helm,
# apply examples/minimal.yaml, wait until it is Ready and show an upload, a listing and a download
# through the load-balancer address from the `ftp-client` network namespace (an "outside" client that
# reaches only the load-balancer addresses). Prints the endpoint, the credentials and how to connect.
#
#   e2e/demo.sh
#
# Environment: KUBECONFIG (another cluster: set IMAGE_REGISTRY to a registry you can push to and its
# nodes can pull from; the demo pushes the images there with Jib), DEMO_NAMESPACE [ftp-demo].
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck disable=SC2034 # used by lib.sh's log functions
LC_NAME=demo
# shellcheck source=SCRIPTDIR/../local-cluster/lib.sh
source "$root/local-cluster/lib.sh"
export PATH=$BIN_DIR:$PATH
ns=${DEMO_NAMESPACE:-ftp-demo}
user=demo
password=demo-password-change-me   # as in examples/minimal.yaml

say() { echo; echo "==> $*"; }
cd "$root"

# --- which cluster ------------------------------------------------------------------------------
local_cluster=1
if [ -n "${KUBECONFIG:-}" ] && [ "$KUBECONFIG" != "$CLUSTER_KUBECONFIG" ]; then
  if kubectl version --request-timeout=10s >/dev/null 2>&1; then
    local_cluster=0
    say "using the cluster in KUBECONFIG=$KUBECONFIG ($(kubectl config current-context 2>/dev/null || echo '?'))"
  else
    say "KUBECONFIG=$KUBECONFIG does not answer: using the local cluster instead"
  fi
fi

if [ $local_cluster = 1 ]; then
  export KUBECONFIG=$CLUSTER_KUBECONFIG
  say "starting the local cluster (make cluster-up)"
  "$root/local-cluster/cluster-up.sh"      # also provides the default StorageClass and its volumes
  say "building the images and importing them into the cluster (make images)"
  "$root/local-cluster/images.sh"
  say "installing the operator with Helm (make deploy)"
  QUIET=1 "$root/helm/deploy.sh"
else
  [ -n "${IMAGE_REGISTRY:-}" ] || { echo "set IMAGE_REGISTRY to a registry this machine can push to and the cluster can pull from (see README.md)" >&2; exit 1; }
  say "building the images and pushing them to $IMAGE_REGISTRY (Jib; registry credentials as docker login left them)"
  (cd "$root" && mvn -B -ntp -DskipTests package jib:build -pl ftp-server,operator -am -Dimage.registry="$IMAGE_REGISTRY")
  say "installing the operator with Helm, images from $IMAGE_REGISTRY"
  "$root/helm/deploy.sh" --set "image.repository=$IMAGE_REGISTRY/operator" \
    --set "serverImage.repository=$IMAGE_REGISTRY/ftp-server"
fi

# --- the example --------------------------------------------------------------------------------
say "applying examples/minimal.yaml in namespace $ns"
kubectl create namespace "$ns" --dry-run=client -o yaml | kubectl apply -f - >/dev/null
t0=$(date +%s)
kubectl -n "$ns" apply -f examples/minimal.yaml
say "waiting until the FtpServer is Ready (kubectl wait --for=condition=Ready ftpserver/demo)"
if ! kubectl -n "$ns" wait --for=condition=Ready ftpserver/demo --timeout=300s; then
  kubectl -n "$ns" get ftpserver demo -o yaml | sed -n '/^status:/,$p' >&2
  kubectl -n "$ns" get events --sort-by=.lastTimestamp | tail -20 >&2
  exit 1
fi
echo "Ready after $(($(date +%s) - t0)) s"
kubectl -n "$ns" get ftpserver demo
endpoint=$(kubectl -n "$ns" get ftpserver demo -o jsonpath='{.status.endpoint}')
address=$(kubectl -n "$ns" get ftpserver demo -o jsonpath='{.status.publicAddress}')

# --- a transfer through the load balancer --------------------------------------------------------
if [ $local_cluster = 1 ]; then
  client=(ip netns exec "$CLIENT_NETNS")
  where="from the network namespace $CLIENT_NETNS (it reaches only load-balancer addresses)"
else
  client=()
  where="from this machine"
fi
say "upload, list and download through $endpoint $where"
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
printf 'Hello from the FTP operator demo, %s\n' "$(date -u +%FT%TZ)" >"$work/hello.txt"
curl_ftp() { "${client[@]}" curl -sS --connect-timeout 5 --max-time 30 --no-ftp-skip-pasv-ip --disable-epsv \
  --user "$user:$password" "$@"; }
lc_wait_for --every 2 60 "an upload through $endpoint" curl_ftp -T "$work/hello.txt" "$endpoint/hello.txt" \
  || { echo "upload through $endpoint failed:" >&2; curl_ftp -v -T "$work/hello.txt" "$endpoint/hello.txt" >&2; exit 1; }
echo "\$ curl -T hello.txt $endpoint/hello.txt          # uploaded $(wc -c <"$work/hello.txt") bytes"
echo "\$ curl $endpoint/                               # list"
curl_ftp "$endpoint/"
echo "\$ curl $endpoint/hello.txt                      # download"
curl_ftp -v "$endpoint/hello.txt" -o "$work/back.txt" 2>"$work/curl.log"
cat "$work/back.txt"
cmp -s "$work/hello.txt" "$work/back.txt" || { echo "downloaded file differs" >&2; exit 1; }
pasv=$(grep -m1 '^< 227' "$work/curl.log" || true)
echo "PASV reply the client saw: ${pasv#< }"
echo "(the server advertises $address, the load balancer's address, so the data connection goes through it)"

# --- how to connect ------------------------------------------------------------------------------
say "your FTP server"
cat <<EOF
  endpoint:      $endpoint        (passive ports $(kubectl -n "$ns" get ftpserver demo -o jsonpath='{.status.passivePorts}'))
  user:          $user
  password:      $password        (Secret demo-users in namespace $ns; key = user, value = password)

  Connect:
EOF
if [ $local_cluster = 1 ]; then
  cat <<EOF
    ip netns exec $CLIENT_NETNS lftp -u $user,$password $address
    ip netns exec $CLIENT_NETNS curl --user $user:$password $endpoint/
    ip netns exec $CLIENT_NETNS python3 -c "import ftplib; f=ftplib.FTP('$address'); f.login('$user','$password'); f.dir()"
  (the load-balancer addresses $LB_POOL_CIDR exist only on this machine; the ftp-client namespace is
   the "outside world" of the local cluster)

  Look around:   export KUBECONFIG=$KUBECONFIG PATH=$BIN_DIR:\$PATH   # kubectl, helm
                 kubectl -n $ns get ftpserver,deployment,service,pvc
                 kubectl -n ftp-operator-system logs deployment/ftp-operator
  Clean up:      kubectl -n $ns delete -f examples/minimal.yaml; make cluster-down
EOF
else
  cat <<EOF
    lftp -u $user,$password $address
    curl --user $user:$password $endpoint/
  Clean up:      kubectl -n $ns delete -f examples/minimal.yaml
EOF
fi
