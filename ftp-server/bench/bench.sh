#!/usr/bin/env bash
# FTP throughput: this server against Debian's vsftpd, side by side on loopback, same passive range size, same files.
#   1 GiB download + upload, and 32 concurrent clients each uploading then downloading 200 files of 64 KiB;
#   plus a raw loopback TCP copy as the physical ceiling.
# Last output line: ratio_large=<x> ratio_small=<y>  (this server / vsftpd; large = mean of download and upload).
# Knobs: BENCH_LARGE_MB (1024), BENCH_ROUNDS (3), BENCH_CLIENTS (32), BENCH_FILES (200), BENCH_FILE_KB (64).
# The machine may be shared: large-file rounds alternate the order and keep each server's best.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
module="$(dirname "$here")"
large_mb="${BENCH_LARGE_MB:-1024}"
clients="${BENCH_CLIENTS:-32}"
files="${BENCH_FILES:-200}"
file_kb="${BENCH_FILE_KB:-64}"
rounds="${BENCH_ROUNDS:-3}"
# Equal, wide passive ranges below the ephemeral range (32768+): vsftpd binds random passive ports without
# SO_REUSEADDR and gives up ("500 OOPS: vsf_sysutil_bind") after 10 tries, so with thousands of server-side
# TIME_WAIT sockets a narrow range makes it fail under this load. This server reuses ports in TIME_WAIT.
ours_port=11021; ours_http=11080; ours_pasv=12000-21999
vs_port=11022; vs_pasv_min=22000; vs_pasv_max=31999

command -v vsftpd >/dev/null || [[ -x /usr/sbin/vsftpd ]] || { echo "bench: vsftpd missing (apt-get install vsftpd)" >&2; exit 1; }
VSFTPD="$(command -v vsftpd || echo /usr/sbin/vsftpd)"

# the server jar (built when missing) and commons-net for the load client
if ! compgen -G "$module/target/ftp-server-*.jar" >/dev/null || [[ ! -d "$module/target/lib" ]]; then
  (cd "$module/.." && mvn -B -ntp -q -pl ftp-server -DskipTests package)
fi
jars=("$module"/target/ftp-server-*.jar)
jar=${jars[0]}
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
# shellcheck disable=SC2086 # JAVA_OPTS holds several options
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

for _ in $(seq 1 100); do
  if curl -fsS "http://127.0.0.1:$ours_http/health/ready" >/dev/null 2>&1 && (exec 3<>/dev/tcp/127.0.0.1/$vs_port) 2>/dev/null; then break; fi
  sleep 0.2
done

echo "bench: raw loopback TCP copy"
raw="$(load raw "$work/big.bin")"; echo "  $raw"

# uploads write to the page cache: flush between runs so one server does not pay for the other's writeback;
best() { python3 -c 'import sys; a,b=sys.argv[1:]; print(max(float(a or 0), float(b or 0)))' "$1" "$2"; }
large_round() {  # server-name port user pass dir
  sync; rm -f "$3"; sync
  load large 127.0.0.1 "$1" "$4" "$5" pub "$work/big.bin"
}
echo "bench: 1 file of ${large_mb} MiB, download then upload ($rounds rounds, alternating order, best kept)"
ours_down=0; ours_up=0; vs_down=0; vs_up=0
run_ours() {
  local r; r="$(large_round $ours_port x "$work/ours/data/bench/pub/big-upload.bin" bench bench)"; echo "  this server: $r"
  ours_down="$(best "$ours_down" "$(field download_mbps "$r")")"; ours_up="$(best "$ours_up" "$(field upload_mbps "$r")")"
}
run_vs() {
  local r; r="$(large_round $vs_port x "$work/vsftpd/root/pub/big-upload.bin" anonymous x)"; echo "  vsftpd:      $r"
  vs_down="$(best "$vs_down" "$(field download_mbps "$r")")"; vs_up="$(best "$vs_up" "$(field upload_mbps "$r")")"
}
for round in $(seq 1 "$rounds"); do
  if (( round % 2 )); then run_ours; run_vs; else run_vs; run_ours; fi
done
ours_large="download_mbps=$ours_down upload_mbps=$ours_up"
vs_large="download_mbps=$vs_down upload_mbps=$vs_up"
rm -f "$work/ours/data/bench/pub/big-upload.bin" "$work/vsftpd/root/pub/big-upload.bin"; sync

echo "bench: $clients clients x $files files of ${file_kb} KiB, upload then download"
sync
ours_small="$(load small 127.0.0.1 $ours_port bench bench pub "$clients" "$files" "$((file_kb * 1024))")"; echo "  this server: $ours_small"
sync
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
