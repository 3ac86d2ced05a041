#!/usr/bin/env bash
# Builds the project's images without Docker or a registry and imports them into the local cluster:
#   1. the Debian JRE 17 base (local-cluster/base-image.sh; cached, built only when missing)
#   2. mvn -Plocal-images -DskipTests package jib:buildTar   ->  <module>/target/jib-image.tar
#   3. the FTP server's class-data sharing archive added to its image (local-cluster/cds-archive.py)
#   4. ctr -n k8s.io images import, when the cluster's containerd runs (otherwise the tars stay for later)
#
#   local-cluster/images.sh            (env MVN overrides the Maven command, e.g. MVN="mvn -B -o")
#
# Images (as ctr lists them): localhost/ftp-operator/ftp-server:<version>, localhost/ftp-operator/operator:<version>
set -euo pipefail
# shellcheck disable=SC2034 # read by lib.sh's lc_log
LC_NAME=images
# shellcheck source=SCRIPTDIR/lib.sh
source "$(cd "$(dirname "$0")" && pwd)/lib.sh"
root=$(cd "$LC_DIR/.." && pwd)
MVN=${MVN:-mvn -B -ntp}

"$LC_DIR/base-image.sh"

t0=$(date +%s)
lc_log "building images with Jib (log: /tmp/ftp-operator-images.log)"
(cd "$root" && $MVN -Plocal-images -DskipTests package jib:buildTar -pl ftp-server,operator -am) \
  > /tmp/ftp-operator-images.log 2>&1 || {
  grep -E 'ERROR|FAIL' /tmp/ftp-operator-images.log | head -30 >&2
  lc_die "maven/jib build failed (log: /tmp/ftp-operator-images.log)"
}
lc_log "built in $(($(date +%s) - t0))s"

tars=("$root/ftp-server/target/jib-image.tar" "$root/operator/target/jib-image.tar")
for t in "${tars[@]}"; do [ -s "$t" ] || lc_die "missing $t"; done
# the FTP server's class-data sharing archive, made by running the image in a chroot (JVM start)
lc_log "$(python3 "$LC_DIR/cds-archive.py" "$IMAGES_DIR/jre17-base.tar" "${tars[0]}")"
# sizes as a registry stores them: gzip-compressed layers; the first layer is the shared base
python3 - "${tars[@]}" <<'SIZES' | while read -r line; do lc_log "$line"; done
import json, sys, tarfile
for path in sys.argv[1:]:
    with tarfile.open(path) as image:
        manifest = json.load(image.extractfile("manifest.json"))[0]
        sizes = [image.getmember(layer).size for layer in manifest["Layers"]]
    print(f"{manifest['RepoTags'][0]}: {sum(sizes) / 2**20:.0f} MiB compressed,"
          f" {sum(sizes[1:]) / 2**20:.1f} MiB on top of the {sizes[0] / 2**20:.0f} MiB base layer")
SIZES

if [ -S "$CONTAINERD_SOCK" ] && ctr --address "$CONTAINERD_SOCK" version >/dev/null 2>&1; then
  for t in "${tars[@]}"; do
    name=$(python3 -c 'import json,sys,tarfile; print(json.load(tarfile.open(sys.argv[1]).extractfile("manifest.json"))[0]["RepoTags"][0])' "$t")
    lc_import_image "$t"
    lc_has_image "$name" || lc_die "$name not listed by ctr after import"
    lc_log "imported $name"
  done
else
  lc_log "the cluster is not running: images not imported (run local-cluster/cluster-up.sh, then this again)"
  printf '%s\n' "${tars[@]}"
fi
