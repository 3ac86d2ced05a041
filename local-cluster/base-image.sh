#!/usr/bin/env bash
# Builds the Debian 12 + OpenJDK 17 JRE base image that the local Jib builds (-Plocal-images) use as
# tar://~/.cache/ftp-operator/images/jre17-base.tar, without Docker or a registry:
# mmdebstrap makes the root filesystem from Debian packages, mkimage.py wraps it as a Docker-format
# archive (architecture/os set). Rebuilt only when missing (or with --force).
#
#   local-cluster/base-image.sh [--force]
#
# Env: BASE_IMAGE_SUITE (bookworm), BASE_IMAGE_MIRROR (mmdebstrap's default: deb.debian.org + updates + security)
set -euo pipefail
# shellcheck disable=SC2034 # read by lib.sh's lc_log
LC_NAME=base-image
# shellcheck source=SCRIPTDIR/lib.sh
source "$(cd "$(dirname "$0")" && pwd)/lib.sh"

out=$IMAGES_DIR/jre17-base.tar
tag=localhost/ftp-operator/jre17-base:bookworm
if [ -s "$out" ] && [ "${1:-}" != "--force" ]; then
  lc_log "cached: $out"
  exit 0
fi
command -v mmdebstrap >/dev/null || lc_die "mmdebstrap missing: run local-cluster/install-prereqs.sh"
[ "$(id -u)" -eq 0 ] || lc_die "mmdebstrap needs root here"

mkdir -p "$IMAGES_DIR"
work=$(mktemp -d "$IMAGES_DIR/.base.XXXXXX")
trap 'rm -rf "$work"' EXIT

start=$(date +%s)
lc_log "building the root filesystem (mmdebstrap, openjdk-17-jre-headless)"
mirror=()
if [ -n "${BASE_IMAGE_MIRROR:-}" ]; then mirror=("$BASE_IMAGE_MIRROR"); fi
# docs, man pages and locales are dropped (copyright files stay); /dev is left to the container runtime
# shellcheck disable=SC2016 # "$1" in the hooks is expanded by mmdebstrap (the root directory)
mmdebstrap --mode=root --variant=essential \
  --include=openjdk-17-jre-headless,ca-certificates,tzdata,netbase \
  --dpkgopt='path-exclude=/usr/share/man/*' \
  --dpkgopt='path-exclude=/usr/share/doc/*' \
  --dpkgopt='path-include=/usr/share/doc/*/copyright' \
  --dpkgopt='path-exclude=/usr/share/locale/*' \
  --setup-hook='mkdir -p "$1"/usr/share/man/man1' \
  --customize-hook='rm -rf "$1"/var/cache/apt/* "$1"/var/lib/apt/lists/* "$1"/var/log/*.log' \
  --customize-hook='chroot "$1" java -version' \
  --customize-hook='test -s "$1"/etc/ssl/certs/java/cacerts' \
  --skip=output/dev \
  "${BASE_IMAGE_SUITE:-bookworm}" "$work/rootfs.tar" "${mirror[@]}" >"$work/mmdebstrap.log" 2>&1 || {
  tail -40 "$work/mmdebstrap.log" >&2
  lc_die "mmdebstrap failed"
}

java_home=/usr/lib/jvm/java-17-openjdk-amd64
python3 "$LC_DIR/mkimage.py" --tag "$tag" --out "$work/image.tar" --layer "$work/rootfs.tar" \
  --env "JAVA_HOME=$java_home" --env "LANG=C.UTF-8" >/dev/null
mv "$work/image.tar" "$out"
lc_log "built $out ($(du -h "$out" | cut -f1)) in $(($(date +%s) - start))s"
