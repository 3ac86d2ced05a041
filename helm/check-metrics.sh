#!/usr/bin/env bash
# Both metrics endpoints as they really answer, checked the way Prometheus users will:
#  - the FTP server (ftp-server/run.sh's jar on loopback, free ports) after a real upload, download
#    and failed login with curl: GET /metrics;
#  - the operator (the packaged Quarkus app against a real API server, PackagedOperatorIT, which
#    keeps the leader's /q/metrics in operator/target/metrics/operator.prom) after reconciles;
# then `promtool check metrics` (Debian: apt-get install prometheus) on each, and every metric the
# chart's Grafana dashboard queries must be in one of them. `make check-metrics`.
#
#   helm/check-metrics.sh [--no-operator-build]   (reuse operator/target/metrics/operator.prom)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck disable=SC2034 # read by lib.sh's lc_log
LC_NAME=helm/check-metrics.sh
# shellcheck source=SCRIPTDIR/../local-cluster/lib.sh
source "$root/local-cluster/lib.sh"
command -v promtool >/dev/null || lc_die "promtool is missing (make prereqs installs Debian's prometheus)"
out=$root/operator/target/metrics
mkdir -p "$out"
work=$(mktemp -d)
pid=
cleanup() { [ -z "$pid" ] || kill "$pid" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# --- the FTP server ------------------------------------------------------------------------------------
ctl=$(free_port); web=$(free_port); pasv=$(free_port)
mkdir -p "$work/users" "$work/data"
printf 'secret\n' >"$work/users/alice"
head -c 100000 /dev/urandom >"$work/payload"
FTP_BIND_ADDRESS=127.0.0.1 FTP_CONTROL_PORT=$ctl FTP_HTTP_BIND_ADDRESS=127.0.0.1 FTP_HTTP_PORT=$web \
  FTP_PASSIVE_PORTS="$pasv-$pasv" FTP_USERS_DIR="$work/users" FTP_DATA_DIR="$work/data" \
  FTP_LOGIN_FAILURE_DELAY_MS=0 FTP_LOG_LEVEL=warn "$root/ftp-server/run.sh" >"$work/ftp-server.log" 2>&1 &
pid=$!
lc_wait_for 60 "the FTP server's /health/ready" curl -fsS "http://127.0.0.1:$web/health/ready" -o /dev/null
curl -fsS -T "$work/payload" "ftp://127.0.0.1:$ctl/payload" --user alice:secret
curl -fsS "ftp://127.0.0.1:$ctl/payload" --user alice:secret -o "$work/back"
cmp -s "$work/payload" "$work/back" || lc_die "the downloaded file differs from the upload"
curl -sS "ftp://127.0.0.1:$ctl/" --user alice:wrong -o /dev/null 2>/dev/null || true
curl -fsS "http://127.0.0.1:$web/metrics" >"$out/ftp-server.prom"
grep -q '^ftp_bytes_received_total 100000$' "$out/ftp-server.prom" || lc_die "the upload is not in ftp_bytes_received_total"

# --- the operator -----------------------------------------------------------------------------------------
if [ "${1:-}" != --no-operator-build ]; then
  (cd "$root" && mvn -B -ntp -q -pl operator -am verify -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false \
    -Dit.test=PackagedOperatorIT) || lc_die "PackagedOperatorIT failed"
fi
[ -s "$out/operator.prom" ] || lc_die "no $out/operator.prom (PackagedOperatorIT writes it)"

# --- the checks ---------------------------------------------------------------------------------------------
for f in ftp-server operator; do
  promtool check metrics <"$out/$f.prom" || lc_die "promtool check metrics: $f's /metrics"
  lc_log "promtool check metrics: $f OK ($(grep -c '^# TYPE' "$out/$f.prom") families)"
done
python3 "$root/helm/dashboard-metrics.py" "$root/helm/ftp-operator/dashboards/ftp-operator.json" \
  "$out/ftp-server.prom" "$out/operator.prom" || lc_die "the dashboard queries a metric that neither endpoint has"
