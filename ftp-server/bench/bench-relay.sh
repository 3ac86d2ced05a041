#!/usr/bin/env bash
# The relay's cost: two replicas of this server (FTP_CLUSTER_REPLICAS=2) on loopback, pod 0 on 127.0.0.2 and pod 1
# on 127.0.0.3, one passive range, one data directory. The client's control connection always goes to pod 0; its
# data connections go either to pod 0 (direct: the port's owner) or to pod 1 (relayed: pod 1 does not own the port
# and relays it to pod 0), so the one difference between the two runs is the relay hop.
#   1 GiB download + upload (best of BENCH_ROUNDS, alternating order), BENCH_CLIENTS clients each uploading then
#   downloading BENCH_FILES files of BENCH_FILE_KB KiB, and BENCH_LATENCY_COUNT sequential 1-byte downloads (the time
#   one data connection costs). The download again with Python's ftplib as the client (ftplib_download.py: its own CPU
#   per GiB does not grow on the relayed path, as commons-net's does). Then the same chain without FTP or Java
#   (splice_chain.py: sendfile, splice, recv), the ceiling any relay has on these cores.
# Last output line: ratio_download=<x> ratio_upload=<y> ratio_small=<z> added_ms=<ms> ratio_download_ftplib=<f>
#   chain_ratio=<c>  (relayed / direct).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
module="$(dirname "$here")"
large_mb="${BENCH_LARGE_MB:-1024}"
clients="${BENCH_CLIENTS:-32}"
files="${BENCH_FILES:-200}"
file_kb="${BENCH_FILE_KB:-64}"
rounds="${BENCH_ROUNDS:-3}"
latency_count="${BENCH_LATENCY_COUNT:-500}"
pod0=127.0.0.2; pod1=127.0.0.3
control0=11031; control1=11032; http0=11081; http1=11082; relay_port=11122; pasv=12000-12199

if ! compgen -G "$module/target/ftp-server-*.jar" >/dev/null || [[ ! -d "$module/target/lib" ]]; then
  (cd "$module/.." && mvn -B -ntp -q -pl ftp-server -DskipTests package)
fi
jars=("$module"/target/ftp-server-*.jar)
server_jar="${BENCH_SERVER_JAR:-${jars[0]}}"  # another build's jar, with its lib/ beside it, to compare two builds
(cd "$module" && mvn -B -ntp -q dependency:build-classpath -Dmdep.includeArtifactIds=commons-net -Dmdep.outputFile=target/bench-cp.txt >/dev/null)
load_cp="$(cat "$module/target/bench-cp.txt")"

work="$(mktemp -d /tmp/ftp-bench-relay.XXXXXX)"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
# a copy: a build in the work tree while the bench runs must not swap the jar under the running servers
mkdir -p "$work/app"
cp -r "$server_jar" "$(dirname "$server_jar")/lib" "$work/app/"
jar="$work/app/$(basename "$server_jar")"

field() { sed -n "s/.*$1=\([0-9.]*\).*/\1/p" <<<"$2"; }
best() { python3 -c 'import sys; a,b=sys.argv[1:]; print(max(float(a or 0), float(b or 0)))' "$1" "$2"; }
# compiled once, as in bench.sh: the source launcher's javac would compete with the servers during the timed rounds
javac -d "$work/load" -cp "$load_cp" "$here/FtpLoad.java"
# direct: data to the address in the PASV reply (pod 0); relayed: data to pod 1
load() { local mode=$1; shift; java -Xmx1g "-Dbench.dataHost=$mode" -cp "$work/load:$load_cp" FtpLoad "$@"; }

echo "bench-relay: preparing ${large_mb} MiB test file in $work"
mkdir -p "$work/users" "$work/data/bench/pub"
printf 'bench\n' > "$work/users/bench"
head -c 48 /dev/urandom | base64 > "$work/secret"
head -c "$((large_mb * 1024 * 1024))" /dev/urandom > "$work/data/bench/pub/big.bin"
cp "$work/data/bench/pub/big.bin" "$work/big.bin"

start_pod() {  # ordinal address control http
  # shellcheck disable=SC2086 # JAVA_OPTS holds several options
  FTP_BIND_ADDRESS=$2 FTP_CONTROL_PORT=$3 FTP_HTTP_BIND_ADDRESS=$2 FTP_HTTP_PORT=$4 \
    FTP_PASSIVE_PORTS=$pasv FTP_USERS_DIR="$work/users" FTP_DATA_DIR="$work/data" \
    FTP_MAX_SESSIONS_PER_IP=200 FTP_LOG_LEVEL=warn \
    FTP_CLUSTER_REPLICAS=2 FTP_POD_NAME="bench-$1" FTP_CLUSTER_PEERS="0=$pod0,1=$pod1" \
    FTP_CLUSTER_RELAY_PORT=$relay_port FTP_CLUSTER_SECRET_FILE="$work/secret" \
    java ${JAVA_OPTS:-} -jar "$jar" > "$work/pod$1.log" 2>&1 &
  pids+=($!)
}
start_pod 0 $pod0 $control0 $http0
start_pod 1 $pod1 $control1 $http1
for _ in $(seq 1 100); do
  if curl -fsS "http://$pod0:$http0/health/ready" >/dev/null 2>&1 && curl -fsS "http://$pod1:$http1/health/ready" >/dev/null 2>&1; then break; fi
  sleep 0.2
done
curl -fsS "http://$pod1:$http1/health/ready" >/dev/null || { echo "bench-relay: pods did not start" >&2; cat "$work"/pod*.log >&2; exit 1; }

echo "bench-relay: load before: $(uptime)"
large_round() {  # data-host
  sync  # the load client deletes the last upload right before the next (bench.sh: why)
  load "$1" large $pod0 $control0 bench bench pub "$work/big.bin" "${pids[0]}" "${pids[1]}"
}
echo "bench-relay: 1 file of ${large_mb} MiB, download then upload ($rounds rounds, alternating order, best kept)"
d_down=0; d_up=0; r_down=0; r_up=0
run_direct() {
  local r; r="$(large_round $pod0)"; echo "  direct:  $r"; echo "$r" >>"$work/large-direct.txt"
  d_down="$(best "$d_down" "$(field download_mbps "$r")")"; d_up="$(best "$d_up" "$(field upload_mbps "$r")")"
}
run_relayed() {
  local r; r="$(large_round $pod1)"; echo "  relayed: $r"; echo "$r" >>"$work/large-relayed.txt"
  r_down="$(best "$r_down" "$(field download_mbps "$r")")"; r_up="$(best "$r_up" "$(field upload_mbps "$r")")"
}
for round in $(seq 1 "$rounds"); do
  if (( round % 2 )); then run_direct; run_relayed; else run_relayed; run_direct; fi
done
rm -f "$work/data/bench/pub/big-upload.bin"; sync

echo "bench-relay: the download with Python's ftplib as the client, recv_into 1 MiB ($rounds rounds, alternating, best kept)"
ftplib_out="$(python3 "$here/ftplib_download.py" $pod0 $control0 bench bench pub/big.bin $pod0 $pod1 "$rounds")"
sed '$d' <<<"$ftplib_out"; ftplib="$(tail -1 <<<"$ftplib_out")"

echo "bench-relay: the same download chain without FTP: sendfile -> splice -> recv ($rounds rounds, alternating, best kept)"
chain_out="$(python3 "$here/splice_chain.py" "$work/data/bench/pub/big.bin" "$rounds" $pod0 $pod1 13000)"
sed '$d' <<<"$chain_out"; chain="$(tail -1 <<<"$chain_out")"

echo "bench-relay: $clients clients x $files files of ${file_kb} KiB, upload then download"
d_small="$(load $pod0 small $pod0 $control0 bench bench pub "$clients" "$files" "$((file_kb * 1024))")"; echo "  direct:  $d_small"
sync
r_small="$(load $pod1 small $pod0 $control0 bench bench pub "$clients" "$files" "$((file_kb * 1024))")"; echo "  relayed: $r_small"

echo "bench-relay: $latency_count sequential 1-byte downloads (one data connection each)"
d_lat="$(load $pod0 latency $pod0 $control0 bench bench pub "$latency_count")"; echo "  direct:  $d_lat"
r_lat="$(load $pod1 latency $pod0 $control0 bench bench pub "$latency_count")"; echo "  relayed: $r_lat"

metrics1="$(curl -fsS "http://$pod1:$http1/metrics")"
metrics0="$(curl -fsS "http://$pod0:$http0/metrics")"
relayed_out="$(sed -n 's/^ftp_relayed_connections_total{direction="out"} //p' <<<"$metrics1")"
relayed_in="$(sed -n 's/^ftp_relayed_connections_total{direction="in"} //p' <<<"$metrics0")"
setup_sum="$(sed -n 's/^ftp_relay_setup_seconds_sum //p' <<<"$metrics1")"
failures="$(printf '%s\n%s\n' "$metrics0" "$metrics1" | grep -E '^ftp_relay_(failures|refused)_total' | awk '{s+=$2} END {print s+0}')"
echo "bench-relay: pod 1 relayed out $relayed_out, pod 0 took in $relayed_in, relay failures/refusals $failures"
echo "bench-relay: load after: $(uptime)"

# Where the CPU goes: the cores the large rounds kept busy, and the CPU each GiB costs on each path (the client,
# the owner, the relaying pod). When the direct path already keeps every core busy, the relayed one cannot be
# faster than direct CPU / relayed CPU per GiB of it: the relay's copies need cores that are not there.
python3 - "$(nproc)" "$work/large-direct.txt" "$work/large-relayed.txt" <<'PY'
import sys
cores = int(sys.argv[1])
def rounds(path):
    return [dict(kv.split("=") for kv in line.split()) for line in open(path)]
def cost(rs, d):
    mean = lambda k: sum(float(r[k]) for r in rs) / len(rs)
    client, owner, relay = mean(f"{d}_client_cpu_s_per_gib"), mean(f"{d}_cpu_s_per_gib"), mean(f"{d}_relay_cpu_s_per_gib")
    busy = sum(float(r[f"{d}_mbps"]) * 1e6 / 2**30 * (float(r[f"{d}_client_cpu_s_per_gib"]) + float(r[f"{d}_cpu_s_per_gib"])
               + float(r[f"{d}_relay_cpu_s_per_gib"])) for r in rs) / len(rs)
    return client, owner, relay, busy
direct, relayed = rounds(sys.argv[2]), rounds(sys.argv[3])
for d in ("download", "upload"):
    dc, do, dr, dbusy = cost(direct, d)
    rc, ro, rr, rbusy = cost(relayed, d)
    print(f"bench-relay: {d} CPU s per GiB: direct {dc + do + dr:.2f} (client {dc:.2f}, owner {do:.2f}), relayed "
          f"{rc + ro + rr:.2f} (client {rc:.2f}, owner {ro:.2f}, relay {rr:.2f}); cores busy: direct {dbusy:.2f}, "
          f"relayed {rbusy:.2f} of {cores}; CPU-bound ceiling of relayed/direct {(dc + do + dr) / (rc + ro + rr):.2f}; "
          f"one core of the relaying pod carries {1 / max(rr, 0.01):.1f} GiB/s")
PY

python3 - "$d_down" "$d_up" "$r_down" "$r_up" "$(field small_mbps "$d_small")" "$(field small_mbps "$r_small")" \
  "$(field ms_per_transfer "$d_lat")" "$(field ms_per_transfer "$r_lat")" "$setup_sum" "$relayed_out" \
  "$(field chain_direct_mbps "$chain")" "$(field chain_relayed_mbps "$chain")" \
  "$(field ftplib_direct_mbps "$ftplib")" "$(field ftplib_relayed_mbps "$ftplib")" <<'PY'
import sys
dd, du, rd, ru, ds, rs, dl, rl, setup, out, cd, cr, fd, fr = map(float, sys.argv[1:])
print(f"summary: download {rd:.0f} relayed vs {dd:.0f} direct MB/s ({rd/dd:.2f}x), upload {ru:.0f} vs {du:.0f} MB/s "
      f"({ru/du:.2f}x), small files {rs:.1f} vs {ds:.1f} MB/s ({rs/ds:.2f}x), per data connection {rl:.3f} vs "
      f"{dl:.3f} ms ({rl-dl:+.3f} ms; relay setup {1000*setup/max(out,1):.3f} ms mean)")
print(f"summary: the chain without FTP: {cr:.0f} relayed vs {cd:.0f} direct MB/s ({cr/cd:.2f}x), the download's ceiling "
      f"on these cores; the FTP relay reaches {(rd/dd)/(cr/cd):.2f} of it with commons-net, {(fr/fd)/(cr/cd):.2f} with ftplib")
print(f"summary: download with ftplib as the client {fr:.0f} relayed vs {fd:.0f} direct MB/s ({fr/fd:.2f}x)")
print(f"ratio_download={rd/dd:.2f} ratio_upload={ru/du:.2f} ratio_small={rs/ds:.2f} added_ms={rl-dl:.3f} "
      f"ratio_download_ftplib={fr/fd:.2f} chain_ratio={cr/cd:.2f}")
PY
