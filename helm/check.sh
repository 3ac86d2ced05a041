#!/usr/bin/env bash
# Checks the chart: its CRD is the repo's crds/ file byte for byte, `helm lint` is clean (strict),
# and `helm template` renders for the default values and for a namespace-scoped install.
#
#   helm/check.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
chart=$root/helm/ftp-operator
crd=ftpservers.ftp.operator.dev-v1.yml
# shellcheck source=SCRIPTDIR/../local-cluster/versions.env
source "$root/local-cluster/versions.env"
helm=$BIN_DIR/helm
[ -x "$helm" ] || helm=$(command -v helm || true)
if [ -z "$helm" ]; then "$root/local-cluster/build-binaries.sh" helm; helm=$BIN_DIR/helm; fi

fail() { echo "helm/check.sh: FAIL: $*" >&2; exit 1; }

[ -f "$root/crds/$crd" ] || fail "crds/$crd is missing"
[ -f "$chart/crds/$crd" ] || fail "helm/ftp-operator/crds/$crd is missing (run: make crds)"
cmp -s "$root/crds/$crd" "$chart/crds/$crd" \
  || fail "helm/ftp-operator/crds/$crd differs from crds/$crd (run: make crds)"
extra=$(find "$chart/crds" -type f ! -name "$crd")
[ -z "$extra" ] || fail "unexpected files in the chart's crds/: $extra"

"$helm" lint --strict "$chart"
"$helm" lint --strict "$chart" --set 'watchNamespaces={team-a,team-b}' --set logLevel=DEBUG

out=$(mktemp -d); trap 'rm -rf "$out"' EXIT
"$helm" template ftp-operator "$chart" --kube-version "${K8S_VERSION#v}" --namespace ftp-operator-system --include-crds >"$out/all.yaml"
"$helm" template ftp-operator "$chart" --kube-version "${K8S_VERSION#v}" --namespace ftp-operator-system \
  --set 'watchNamespaces={team-a,team-b}' >"$out/scoped.yaml"

# what the rendering must contain
grep -Eq '^kind: "?CustomResourceDefinition' "$out/all.yaml" || fail "CRD not rendered"
grep -q 'value: "JOSDK_ALL_NAMESPACES"' "$out/all.yaml" || fail "default should watch all namespaces"
grep -q 'kind: ClusterRoleBinding' "$out/all.yaml" || fail "no ClusterRoleBinding for all namespaces"
[ "$(grep -c '^kind: RoleBinding' "$out/scoped.yaml")" = 2 ] || fail "expected one RoleBinding per watched namespace"
grep -q 'value: "team-a,team-b"' "$out/scoped.yaml" || fail "watched namespaces not passed to the operator"
grep -q 'latest' "$out/all.yaml" && fail "a 'latest' image tag was rendered"
# the schema refuses bad values
if "$helm" template x "$chart" --kube-version "${K8S_VERSION#v}" --set image.tag=latest >/dev/null 2>&1; then fail "schema accepted image.tag=latest"; fi
if "$helm" template x "$chart" --kube-version "${K8S_VERSION#v}" --set replicaCount=2 >/dev/null 2>&1; then fail "schema accepted replicaCount=2"; fi
if "$helm" template x "$chart" --kube-version "${K8S_VERSION#v}" --set nosuchvalue=1 >/dev/null 2>&1; then fail "schema accepted an unknown value"; fi
# README's FtpServer reference lists every field of the CRD (the YAML form needs PyYAML)
if python3 -c 'import yaml' 2>/dev/null; then
  python3 "$root/helm/crd-fields.py" "$root/crds/$crd" --check "$root/README.md" || fail "README.md out of step with the CRD"
else
  echo "helm/check.sh: PyYAML missing, README field check left to e2e/run.sh (reads the CRD as JSON)"
fi
echo "helm/check.sh: chart OK ($("$helm" version --short))"
