#!/usr/bin/env bash
# Installs the Debian packages that the local cluster, the image builds and the tests need.
# Idempotent and fast when everything is there: dpkg is asked first, apt only for what is missing.
# Must run as root on Debian 12 (bookworm); non-interactive.
set -euo pipefail

pkgs=(
  # container runtime and networking for the local cluster
  containerd runc containernetworking-plugins iptables conntrack iproute2 kmod procps
  # certificates, pause image, JRE base image rootfs
  openssl gcc libc6-dev mmdebstrap
  # FTP and end-to-end tests, benchmarks
  curl lftp vsftpd python3 jq
  # make check: YAML for the chart checks, the shell scripts' linter
  python3-yaml shellcheck
  # e2e/kstatus/check.sh: Argo CD's health script under a Lua interpreter
  lua5.4 lua-dkjson
  # e2e step prometheus (a real Prometheus on the host scrapes the cluster) and make check-metrics (promtool)
  prometheus
)

missing=()
for p in "${pkgs[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep '^install ok installed' >/dev/null; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "[prereqs] all ${#pkgs[@]} packages installed"
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "[prereqs] missing packages (${missing[*]}); run this script as root" >&2
  exit 1
fi

echo "[prereqs] installing: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# Package scripts must not start daemons (vsftpd would take port 21, containerd would run with the
# distribution's config): our scripts start what they need with their own configuration.
own_policy=""
if [ ! -e /usr/sbin/policy-rc.d ]; then
  printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
  chmod 755 /usr/sbin/policy-rc.d
  own_policy=yes
fi
cleanup() { if [ -n "$own_policy" ]; then rm -f /usr/sbin/policy-rc.d; fi; }
trap cleanup EXIT

apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/tmp/ftp-operator-apt.log 2>&1 || {
  tail -30 /tmp/ftp-operator-apt.log >&2
  exit 1
}
# Debian enables a system-wide Prometheus on port 9090 at boot; the e2e runs its own on loopback
if [ -d /run/systemd/system ] && [[ " ${missing[*]} " == *" prometheus "* ]]; then
  systemctl disable --now prometheus >/dev/null 2>&1 || true
fi
echo "[prereqs] done"
