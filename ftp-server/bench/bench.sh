#!/usr/bin/env bash
# FTP throughput: this server against Debian's vsftpd, side by side on loopback, same passive range size, same files.
#   1 GiB download + upload, and 32 concurrent clients each uploading then downloading 200 files of 64 KiB;
#   plus a raw loopback TCP copy as the physical ceiling.
# Last output line: ratio_large=<x> ratio_small=<y>  (this server / vsftpd; large = mean of download and upload).
# Knobs: BENCH_LARGE_MB (1024), BENCH_CLIENTS (32), BENCH_FILES (200), BENCH_FILE_KB (64).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
module="$(dirname "$here")"
large_mb="${BENCH_LARGE_MB:-1024}"
clients="${BENCH_CLIENTS:-32}"
files="${BENCH_FILES:-200}"
file_kb="${BENCH_FILE_KB:-64}"
ours_port=22021; ours_http=22080; ours_pasv=41000-41099
vs_port=22022; vs_pasv_min=42000; vs_pasv_max=42099

command -v vsftpd >/dev/null || [[ -x /usr/sbin/vsftpd ]] || { echo "bench: vsftpd missing (apt-get install vsftpd)" >&2; exit 1; }
VSFTPD="$(command -v vsftpd || echo /usr/sbin/vsftpd)"

# the server jar (built when missing) and commons-net for the load client
if ! ls "$module"/target/ftp-server-*.jar >/dev/null 2>&1 || [[ ! -d "$module/target/lib" ]]; then
  (cd "$module/.." && mvn -B -ntp -q -pl ftp-server -DskipTests package)
fi
jar="$(ls "$module"/target/ftp-server-*.jar | head -n1)"
(cd "$module" && mvn -B -ntp -q dependency:build-classpath -Dmdep.includeArtifactIds=commons-net -Dmdep.outputFile=target/bench-cp.txt >/dev/null)
load_cp="$(cat "$module/target/bench-cp.txt")"

work="$(mktemp -d /tmp/ftp-bench.XXXXXX)"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

load() { java -Xmx1g -cp "$load_cp" "$here/FtpLoad.java" "$@"; }
field() { sed -n "s/.*$1=\([0-9.]*\).*/\1/p" <<<"$2"; }

echo "bench: preparing ${large_mb} MiB test file in $work"
head -c "$((large_mb * 1024 * 1024))" /dev/urandom > "$work/big.bin"

# this server: user bench, files under <data>/bench/pub
mkdir -p "$work/ours/users" "$work/ours/data/bench/pub"
printf 'bench\n' > "$work/ours/users/bench"
cp "$work/big.bin" "$work/ours/data/bench/pub/big.bin"
FTP_BIND_ADDRESS=127.0.0.1 FTP_CONTROL_PORT=$ours_port FTP_HTTP_BIND_ADDRESS=127.0.0.1 FTP_HTTP_PORT=$ours_http \
  FTP_PASSIVE_PORTS=$ours_pasv FTP_USERS_DIR="$work/ours/users" FTP_DATA_DIR="$work/ours/data" \
  FTP_MAX_SESSIONS_PER_IP=200 FTP_LOG_LEVEL=warn \
  java ${JAVA_OPTS:-} -jar "$jar" > "$work/ours.log" 2>&1 &
pids+=($!)

# vsftpd: anonymous with upload rights, chrooted to its own root, files under pub/
mkdir -p "$work/vsftpd/root/pub" /var/run/vsftpd/empty
cp "$work/big.bin" "$work/vsftpd/root/pub/big.bin"
chown -R ftp:ftp "$work/vsftpd/root/pub"; chmod 755 "$work/vsftpd/root"; chmod 644 "$work/vsftpd/root/pub/big.bin"
cat > "$work/vsftpd/vsftpd.conf" <<CONF
listen=YES
listen_ipv6=NO
listen_address=127.0.0.1
listen_port=$vs_port
background=NO
anonymous_enable=YES
no_anon_password=YES
anon_root=$work/vsftpd/root
write_enable=YES
anon_upload_enable=YES
anon_mkdir_write_enable=YES
anon_other_write_enable=YES
anon_umask=022
local_enable=NO
pasv_enable=YES
pasv_min_port=$vs_pasv_min
pasv_max_port=$vs_pasv_max
max_clients=200
max_per_ip=200
xferlog_enable=NO
dirmessage_enable=NO
seccomp_sandbox=NO
secure_chroot_dir=/var/run/vsftpd/empty
use_sendfile=YES
CONF
"$VSFTPD" "$work/vsftpd/vsftpd.conf" > "$work/vsftpd.log" 2>&1 &
pids+=($!)

for i in $(seq 1 100); do
  if curl -fsS "http://127.0.0.1:$ours_http/health/ready" >/dev/null 2>&1 && (exec 3<>/dev/tcp/127.0.0.1/$vs_port) 2>/dev/null; then break; fi
  sleep 0.2
done

echo "bench: raw loopback TCP copy"
raw="$(load raw "$work/big.bin")"; echo "  $raw"

echo "bench: 1 file of ${large_mb} MiB, download then upload"
ours_large="$(load large 127.0.0.1 $ours_port bench bench pub "$work/big.bin")"; echo "  this server: $ours_large"
rm -f "$work/ours/data/bench/pub/big-upload.bin"
vs_large="$(load large 127.0.0.1 $vs_port anonymous x pub "$work/big.bin")"; echo "  vsftpd:      $vs_large"
rm -f "$work/vsftpd/root/pub/big-upload.bin"

echo "bench: $clients clients x $files files of ${file_kb} KiB, upload then download"
ours_small="$(load small 127.0.0.1 $ours_port bench bench pub "$clients" "$files" "$((file_kb * 1024))")"; echo "  this server: $ours_small"
vs_small="$(load small 127.0.0.1 $vs_port anonymous x pub "$clients" "$files" "$((file_kb * 1024))")"; echo "  vsftpd:      $vs_small"

python3 - "$(field download_mbps "$ours_large")" "$(field upload_mbps "$ours_large")" \
  "$(field download_mbps "$vs_large")" "$(field upload_mbps "$vs_large")" \
  "$(field small_mbps "$ours_small")" "$(field small_mbps "$vs_small")" "$(field raw_mbps "$raw")" <<'PY'
import sys
od, ou, vd, vu, os_, vs, raw = map(float, sys.argv[1:])
print(f"summary: raw={raw:.0f} MB/s | large download {od:.0f} vs {vd:.0f} MB/s ({od/vd:.2f}x), "
      f"upload {ou:.0f} vs {vu:.0f} MB/s ({ou/vu:.2f}x) | small {os_:.1f} vs {vs:.1f} MB/s ({os_/vs:.2f}x)")
print(f"ratio_large={((od/vd)+(ou/vu))/2:.2f} ratio_small={os_/vs:.2f}")
PY
