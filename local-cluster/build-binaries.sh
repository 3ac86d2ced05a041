#!/usr/bin/env bash
# Builds the Kubernetes components, etcd, the MetalLB controller and helm from Go modules
# into a cache outside the repo, keyed by version. A second run finds them and returns at once.
#
#   local-cluster/build-binaries.sh [k8s|etcd|metallb|helm|all]...
#
# Prints nothing but progress; the binaries land in $BIN_DIR (see versions.env).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=versions.env
source "$here/versions.env"

export GOTOOLCHAIN=local CGO_ENABLED=0 GOFLAGS=-mod=mod
mkdir -p "$BIN_DIR" "$CACHE_DIR/src"

log() { echo "[build-binaries] $*" >&2; }

have() { for b in "$@"; do [ -x "$BIN_DIR/$b" ] || return 1; done; }

# Kubernetes needs a wrapper module: k8s.io/kubernetes requires every staging module at v0.0.0 and
# redirects it to ./staging, which only works in the main module. We pin each staging module to its
# published tag, taking the list from the release's own go.mod so it never goes stale.
build_k8s() {
  local cmds=(kube-apiserver kube-controller-manager kube-scheduler kubelet kube-proxy kubectl)
  if have "${cmds[@]}"; then log "kubernetes $K8S_VERSION: cached"; else
    local src="$CACHE_DIR/src/k8s-$K8S_VERSION" staging="v0.${K8S_VERSION#v1.}"
    mkdir -p "$src"
    if [ ! -f "$src/go.sum" ]; then
      log "kubernetes $K8S_VERSION: resolving modules"
      (cd "$src" && rm -f go.mod && go mod init local.build/k8sbin >/dev/null 2>&1 \
        && go mod edit -go=1.24.0 -require="k8s.io/kubernetes@$K8S_VERSION")
      local gomod
      gomod=$(cd "$src" && go mod download -json "k8s.io/kubernetes@$K8S_VERSION" | sed -n 's/.*"GoMod": "\(.*\)".*/\1/p')
      while read -r m; do
        (cd "$src" && go mod edit -replace="$m=$m@$staging")
      done < <(sed -n 's#^[[:space:]]*\(k8s\.io/[^ ]*\) => \./staging/.*#\1#p' "$gomod")
      local imports=""
      for c in "${cmds[@]}"; do imports+="	_ \"k8s.io/kubernetes/cmd/$c\""$'\n'; done
      printf '//go:build tools\n\npackage tools\n\nimport (\n%s)\n' "$imports" > "$src/tools.go"
      (cd "$src" && go mod tidy >/dev/null)
    fi
    local date ldf="-s -w" minor=${K8S_VERSION#v1.}; minor=${minor%%.*}
    date=$(date -u +%Y-%m-%dT%H:%M:%SZ)
    for p in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
      ldf+=" -X '$p.gitVersion=$K8S_VERSION' -X '$p.gitMajor=1' -X '$p.gitMinor=$minor'"
      ldf+=" -X '$p.gitCommit=unknown' -X '$p.gitTreeState=clean' -X '$p.buildDate=$date'"
    done
    for c in "${cmds[@]}"; do
      have "$c" && continue
      log "kubernetes $K8S_VERSION: building $c"
      (cd "$src" && go build -trimpath -ldflags "$ldf" -o "$BIN_DIR/$c.tmp" "k8s.io/kubernetes/cmd/$c")
      mv "$BIN_DIR/$c.tmp" "$BIN_DIR/$c"
    done
  fi
  # the pause.c of this very release, for the sandbox image
  if [ ! -f "$CACHE_DIR/src/pause.c" ]; then
    local modroot
    modroot=$(cd "$CACHE_DIR/src/k8s-$K8S_VERSION" && go list -m -f '{{.Dir}}' k8s.io/kubernetes)
    cp "$modroot/build/pause/linux/pause.c" "$CACHE_DIR/src/pause.c"
    chmod u+w "$CACHE_DIR/src/pause.c"
  fi
}

# etcd's server module has relative replace directives, so `go install` refuses it;
# a wrapper main that calls etcdmain works because a dependency's replaces are ignored.
build_etcd() {
  if have etcd; then log "etcd $ETCD_VERSION: cached"; return; fi
  local src="$CACHE_DIR/src/etcd-$ETCD_VERSION"
  mkdir -p "$src"
  cat > "$src/main.go" <<'EOF'
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() { etcdmain.Main(os.Args) }
EOF
  if [ ! -f "$src/go.sum" ]; then
    (cd "$src" && rm -f go.mod && go mod init local.build/etcd >/dev/null 2>&1 \
      && go mod edit -require="go.etcd.io/etcd/server/v3@$ETCD_VERSION" && go mod tidy >/dev/null)
  fi
  log "etcd $ETCD_VERSION: building"
  (cd "$src" && go build -trimpath -ldflags "-s -w" -o "$BIN_DIR/etcd.tmp" .)
  mv "$BIN_DIR/etcd.tmp" "$BIN_DIR/etcd"
}

build_tool_module() { # name module-version package binary
  local name=$1 modver=$2 pkg=$3 bin=$4
  if have "$bin"; then log "$name: cached"; return; fi
  local src="$CACHE_DIR/src/$name"
  mkdir -p "$src"
  if [ ! -f "$src/go.sum" ]; then
    printf '//go:build tools\n\npackage tools\n\nimport _ "%s"\n' "$pkg" > "$src/tools.go"
    (cd "$src" && rm -f go.mod && go mod init "local.build/$name" >/dev/null 2>&1 \
      && go mod edit -require="$modver" && go mod tidy >/dev/null)
  fi
  log "$name: building"
  (cd "$src" && go build -trimpath -ldflags "-s -w ${5:-}" -o "$BIN_DIR/$bin.tmp" "$pkg")
  mv "$BIN_DIR/$bin.tmp" "$BIN_DIR/$bin"
}

build_metallb() {
  build_tool_module "metallb-$METALLB_VERSION" "go.universe.tf/metallb@$METALLB_VERSION" \
    go.universe.tf/metallb/controller metallb-controller
  # the CRDs of the same release, applied before the controller starts
  local crds="$CACHE_DIR/metallb-crds-$METALLB_VERSION"
  if [ ! -d "$crds" ]; then
    local modroot
    modroot=$(cd "$CACHE_DIR/src/metallb-$METALLB_VERSION" && go list -m -f '{{.Dir}}' go.universe.tf/metallb)
    mkdir -p "$crds.tmp" && cp "$modroot"/config/crd/bases/*.yaml "$crds.tmp/" && chmod -R u+w "$crds.tmp" && mv "$crds.tmp" "$crds"
  fi
}

build_helm() {
  build_tool_module "helm-$HELM_VERSION" "helm.sh/helm/v3@$HELM_VERSION" helm.sh/helm/v3/cmd/helm helm \
    "-X helm.sh/helm/v3/internal/version.version=$HELM_VERSION"
}

# kube-api-test (fabric8) looks for binaries offline in ~/.kubeapitest/k8s/<version>-linux-amd64/
layout_kubeapitest() {
  local dir="$HOME/.kubeapitest/k8s/${K8S_VERSION#v}-linux-amd64"
  mkdir -p "$dir"
  for b in kube-apiserver etcd kubectl; do ln -sf "$BIN_DIR/$b" "$dir/$b"; done
}

targets=("$@"); [ ${#targets[@]} -eq 0 ] && targets=(all)
for t in "${targets[@]}"; do
  case $t in
    k8s) build_k8s ;;
    etcd) build_etcd ;;
    metallb) build_metallb ;;
    helm) build_helm ;;
    kubeapitest) build_k8s; build_etcd; layout_kubeapitest ;;
    all) build_etcd; build_k8s; layout_kubeapitest; build_metallb; build_helm ;;
    *) echo "unknown target: $t" >&2; exit 2 ;;
  esac
done
