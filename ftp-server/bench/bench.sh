#!/usr/bin/env bash
# FTP throughput: this server against Debian's vsftpd, side by side on loopback, same passive range size, same files.
#   1 GiB download + upload (with each server's CPU seconds per GiB), and 32 concurrent clients each uploading
#   then downloading 200 files of 64 KiB (with each server's CPU milliseconds per transfer); plus a raw loopback TCP
#   copy as the physical ceiling, and sendfile_modes.py: the kernel's cost of sendfile by the way it is called.
#   Then logins against this server, vsftpd and pyftpdlib (PyPI, in a cached virtualenv; login_burst.py drives them
#   from one thread, as pyftpdlib's ftpbench): 300 connect+login sessions at once, the first time and again after
#   2000 logins (time until all are logged in, server CPU per login, memory per idle session as proportional set
#   size), and 300 one after another. And one client fetching small files one after another (the command round
#   trips of a mirror client, not bandwidth), its milliseconds per transfer on both FTP servers. And a directory of
#   20,000 files listed by LIST and by NLST, milliseconds and server CPU per listing on both FTP servers, and by
#   MLSD on this server (against vsftpd's LIST: vsftpd has no MLSD).
# Last output line: ratio_large=<x> ratio_small=<y>  (this server / vsftpd; large = mean of download and upload;
#   BENCH_ONLY=large: ratio_large alone).
# Knobs: BENCH_LARGE_MB (1024), BENCH_ROUNDS (5), BENCH_CLIENTS (32), BENCH_FILES (200), BENCH_FILE_KB (64),
#        BENCH_LOGINS (300), BENCH_SERVER_JAR (this server's jar, its lib/ beside it; default: the module's, built
#        when missing: set it to compare two builds), BENCH_ONLY=logins (no raw copy and no large file: the small
#        files, which warm the servers as in the full run, then the logins; its summary line last),
#        BENCH_SEQUENTIAL (1000 transfers per round), BENCH_ONLY=sequential (only those rounds),
#        BENCH_LISTED (20000 files), BENCH_ONLY=listing (only the listings), BENCH_ONLY=large (only the 1 GiB
#        rounds, with their summary lines).
# The machine may be shared, and its speed drifts over seconds: large-file and small-file rounds alternate the order;
# each server's best is kept, and the median of the rounds' ratios (both servers ran in each round) printed.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
module="$(dirname "$here")"
large_mb="${BENCH_LARGE_MB:-1024}"
clients="${BENCH_CLIENTS:-32}"
files="${BENCH_FILES:-200}"
file_kb="${BENCH_FILE_KB:-64}"
rounds="${BENCH_ROUNDS:-5}"
logins="${BENCH_LOGINS:-300}"
sequential="${BENCH_SEQUENTIAL:-1000}"
listed="${BENCH_LISTED:-20000}"
only="${BENCH_ONLY:-}"
# Every server's session limits, and the listen backlog of this server (FTP_MAX_SESSIONS) and of pyftpdlib (vsftpd's
# is compiled in: 32).
max_sessions=1000
# Equal, wide passive ranges below the ephemeral range (32768+): vsftpd binds random passive ports without
# SO_REUSEADDR and gives up ("500 OOPS: vsf_sysutil_bind") after 10 tries, so with thousands of server-side
# TIME_WAIT sockets a narrow range makes it fail under this load. This server listens on its range from start to
# stop.
ours_port=11021; ours_http=11080; ours_pasv=12000-21999
vs_port=11022; vs_pasv_min=22000; vs_pasv_max=31999
py_port=11023; py_pasv_min=11100; py_pasv_max=11199
pyftpdlib_version=2.2.0
venv="$HOME/.cache/ftp-operator/pyftpdlib-$pyftpdlib_version"

command -v vsftpd >/dev/null || [[ -x /usr/sbin/vsftpd ]] || { echo "bench: vsftpd missing (apt-get install vsftpd)" >&2; exit 1; }
VSFTPD="$(command -v vsftpd || echo /usr/sbin/vsftpd)"

# the server jar (built when missing) and commons-net for the load client
if ! compgen -G "$module/target/ftp-server-*.jar" >/dev/null || [[ ! -d "$module/target/lib" ]]; then
  (cd "$module/.." && mvn -B -ntp -q -pl ftp-server -DskipTests package)
fi
jars=("$module"/target/ftp-server-*.jar)
jar=${BENCH_SERVER_JAR:-${jars[0]}}
(cd "$module" && mvn -B -ntp -q dependency:build-classpath -Dmdep.includeArtifactIds=commons-net -Dmdep.outputFile=target/bench-cp.txt >/dev/null)
load_cp="$(cat "$module/target/bench-cp.txt")"
if [[ ! -x "$venv/bin/python" ]]; then
  python3 -m venv "$venv" && "$venv/bin/pip" -q install "pyftpdlib==$pyftpdlib_version"
fi

work="$(mktemp -d /tmp/ftp-bench.XXXXXX)"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# compiled once: the source launcher would run javac inside every load client's JVM, whose JIT then competes with
# the servers for the 2 cores during the timed transfers
javac -d "$work/load" -cp "$load_cp" "$here/FtpLoad.java"
load() { java -Xmx1g -cp "$work/load:$load_cp" FtpLoad "$@"; }
field() { sed -n "s/^\(.* \)\?$1=\([0-9.]*\).*/\2/p" <<<"$2"; }  # the value of key $1 in a "key=value ..." line
best() { python3 -c 'import sys; a,b=sys.argv[1:]; print(max(float(a or 0), float(b or 0)))' "$1" "$2"; }
least() { python3 -c 'import sys; a,b=sys.argv[1:]; print(min(float(a or "inf"), float(b or "inf")))' "$1" "$2"; }

[[ "$only" == logins || "$only" == sequential || "$only" == listing ]] && large_mb=1
echo "bench: preparing ${large_mb} MiB test file in $work"
head -c "$((large_mb * 1024 * 1024))" /dev/urandom > "$work/big.bin"

# this server: user bench, files under <data>/bench/pub
mkdir -p "$work/ours/users" "$work/ours/data/bench/pub"
printf 'bench\n' > "$work/ours/users/bench"
# hard links: both servers read the very same file, from the same page cache
ln "$work/big.bin" "$work/ours/data/bench/pub/big.bin"
# shellcheck disable=SC2086 # JAVA_OPTS holds several options
FTP_BIND_ADDRESS=127.0.0.1 FTP_CONTROL_PORT=$ours_port FTP_HTTP_BIND_ADDRESS=127.0.0.1 FTP_HTTP_PORT=$ours_http \
  FTP_PASSIVE_PORTS=$ours_pasv FTP_USERS_DIR="$work/ours/users" FTP_DATA_DIR="$work/ours/data" \
  FTP_MAX_SESSIONS=$max_sessions FTP_MAX_SESSIONS_PER_IP=$max_sessions FTP_LOG_LEVEL=warn \
  java ${JAVA_OPTS:-} -jar "$jar" > "$work/ours.log" 2>&1 &
ours_pid=$!; pids+=($!)

# vsftpd: anonymous with upload rights, chrooted to its own root, files under pub/
mkdir -p "$work/vsftpd/root/pub" /var/run/vsftpd/empty
ln "$work/big.bin" "$work/vsftpd/root/pub/big.bin"
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
max_clients=$max_sessions
max_per_ip=$max_sessions
xferlog_enable=NO
dirmessage_enable=NO
seccomp_sandbox=NO
secure_chroot_dir=/var/run/vsftpd/empty
use_sendfile=YES
CONF
"$VSFTPD" "$work/vsftpd/vsftpd.conf" > "$work/vsftpd.log" 2>&1 &
vs_pid=$!; pids+=($!)

# pyftpdlib: its stock asynchronous server, one user
mkdir -p "$work/py/home"
"$venv/bin/python" "$here/pyftpdlib_server.py" $py_port bench bench "$work/py/home" $py_pasv_min $py_pasv_max $max_sessions \
  > "$work/pyftpdlib.log" 2>&1 &
py_pid=$!; pids+=($!)

for _ in $(seq 1 100); do
  if curl -fsS "http://127.0.0.1:$ours_http/health/ready" >/dev/null 2>&1 && (exec 3<>/dev/tcp/127.0.0.1/$vs_port) 2>/dev/null \
    && (exec 3<>/dev/tcp/127.0.0.1/$py_port) 2>/dev/null; then break; fi
  sleep 0.2
done

logins_part() {
  echo "bench: $logins connect+login sessions at once (held open, then closed), once as each server comes; then after" \
    "2000 logins one after another, 5 rounds interleaving the servers of: $logins at once, $logins one after another"
  local out
  out="$(python3 "$here/login_burst.py" "$logins" ours=127.0.0.1:$ours_port:bench:bench:$ours_pid \
    vsftpd=127.0.0.1:$vs_port:anonymous:x:$vs_pid pyftpdlib=127.0.0.1:$py_port:bench:bench:$py_pid)"
  ours_logins="$(sed -n 's/^ours //p' <<<"$out")"; echo "  this server: $ours_logins"
  vs_logins="$(sed -n 's/^vsftpd //p' <<<"$out")"; echo "  vsftpd:      $vs_logins"
  py_logins="$(sed -n 's/^pyftpdlib //p' <<<"$out")"; echo "  pyftpdlib:   $py_logins"
  vs_rounds="$(sed -n 's/^ours_vs_vsftpd //p' <<<"$out")"; py_rounds="$(sed -n 's/^ours_vs_pyftpdlib //p' <<<"$out")"
  echo "  this server ahead, in rounds: of vsftpd $vs_rounds; of pyftpdlib $py_rounds"
}
logins_summary() {
  echo "summary: logins at once, the first time: this server $(field first_burst_s "$ours_logins") s," \
    "vsftpd $(field first_burst_s "$vs_logins") s ($(field first_failed "$vs_logins") failed)," \
    "pyftpdlib $(field first_burst_s "$py_logins") s | server CPU ms per login: $(field first_cpu_ms_per_login "$ours_logins")," \
    "$(field first_cpu_ms_per_login "$vs_logins"), $(field first_cpu_ms_per_login "$py_logins")"
  echo "summary: logins at once, after 2000 logins (median of 5 rounds): this server $(field burst_s "$ours_logins") s," \
    "vsftpd $(field burst_s "$vs_logins") s ($(field failed "$vs_logins") failed)," \
    "pyftpdlib $(field burst_s "$py_logins") s | server CPU ms per login: $(field cpu_ms_per_login "$ours_logins")," \
    "$(field cpu_ms_per_login "$vs_logins"), $(field cpu_ms_per_login "$py_logins") | one after another (median): $(field sequential_s "$ours_logins") s," \
    "$(field sequential_s "$vs_logins") s, $(field sequential_s "$py_logins") s | KiB per idle session:" \
    "$(field kib_per_session "$ours_logins"), $(field kib_per_session "$vs_logins"), $(field kib_per_session "$py_logins")"
  echo "summary: rounds this server was ahead of pyftpdlib, at once: $(field bursts_ahead "$py_rounds") of $(field rounds "$py_rounds")," \
    "one after another: $(field sequential_ahead "$py_rounds") of $(field rounds "$py_rounds") | the load client's share of" \
    "a core during a burst (first, warm): this server $(field first_client_busy "$ours_logins"), $(field client_busy "$ours_logins");" \
    "pyftpdlib $(field first_client_busy "$py_logins"), $(field client_busy "$py_logins")"
}
# CPU seconds a server has used, with its reaped children's (vsftpd runs each session in processes of its own)
cpu_seconds() { awk -v tick="$(getconf CLK_TCK)" '{print ($14 + $15 + $16 + $17) / tick}' "/proc/$1/stat"; }
small_round() {  # port pid user pass: one small-files run, then the server's milliseconds of CPU per transfer
  local before after r
  sync; before="$(cpu_seconds "$2")"
  r="$(load small 127.0.0.1 "$1" "$3" "$4" pub "$clients" "$files" "$((file_kb * 1024))")"
  sleep 0.2  # vsftpd reaps its last session processes
  after="$(cpu_seconds "$2")"
  echo "$r server_cpu_ms_per_transfer=$(python3 -c 'import sys; b, a, n = map(float, sys.argv[1:]); print(f"{1000 * (a - b) / n:.3f}")' \
    "$before" "$after" "$((clients * files * 2))")"
}
small_part() {
  echo "bench: $clients clients x $files files of ${file_kb} KiB, upload then download ($rounds rounds, alternating order: best kept, and the median of the rounds' ratios)"
  local r
  ours_small_best=0; vs_small_best=0; ours_cpu_small=""; vs_cpu_small=""; ours_smalls=(); vs_smalls=()
  for round in $(seq 1 "$rounds"); do
    for server in $( (( round % 2 )) && echo "ours vs" || echo "vs ours"); do
      if [[ $server == ours ]]; then
        r="$(small_round $ours_port $ours_pid bench bench)"; echo "  this server: $r"
        ours_small_best="$(best "$ours_small_best" "$(field small_mbps "$r")")"; ours_smalls+=("$(field small_mbps "$r")")
        ours_cpu_small="$(least "$ours_cpu_small" "$(field server_cpu_ms_per_transfer "$r")")"
      else
        r="$(small_round $vs_port $vs_pid anonymous x)"; echo "  vsftpd:      $r"
        vs_small_best="$(best "$vs_small_best" "$(field small_mbps "$r")")"; vs_smalls+=("$(field small_mbps "$r")")
        vs_cpu_small="$(least "$vs_cpu_small" "$(field server_cpu_ms_per_transfer "$r")")"
      fi
    done
  done
  ours_small="small_mbps=$ours_small_best"; vs_small="small_mbps=$vs_small_best"
}
# One client, 1-byte downloads one after another (after 50 untimed): each costs PASV, a data connection, RETR and
# their replies, which is what a mirror of many small files waits for.
sequential_part() {
  echo "bench: one client, $sequential downloads of 1 byte one after another ($rounds rounds, alternating order)"
  local r ours_ms=() vs_ms=()
  for round in $(seq 1 "$rounds"); do
    for server in $( (( round % 2 )) && echo "ours vs" || echo "vs ours"); do
      if [[ $server == ours ]]; then
        r="$(load latency 127.0.0.1 $ours_port bench bench pub "$sequential")"; echo "  this server: $r"
        ours_ms+=("$(field ms_per_transfer "$r")")
      else
        r="$(load latency 127.0.0.1 $vs_port anonymous x pub "$sequential")"; echo "  vsftpd:      $r"
        vs_ms+=("$(field ms_per_transfer "$r")")
      fi
    done
  done
  python3 - "${ours_ms[*]}" "${vs_ms[*]}" <<'PY'
import statistics, sys
ours, vs = (list(map(float, side.split())) for side in sys.argv[1:])
ratios = [v / o for o, v in zip(ours, vs)]  # above 1: this server took less time per transfer
print(f"summary: one after another, ms per transfer (median): this server {statistics.median(ours):.3f},"
      f" vsftpd {statistics.median(vs):.3f} | ratio (vsftpd's time / this server's) in each round:"
      f" {' '.join(f'{r:.2f}' for r in ratios)} | median {statistics.median(ratios):.2f}x,"
      f" at or above 1.0 in {sum(r >= 1 for r in ratios)} of {len(ratios)}")
PY
}
# One directory of $listed files (sizes 0-4999 bytes), hard-linked into both servers: the same inodes. Each round
# lists it 10 times by LIST (a line per file: type, size, time) and 10 times by NLST (names), after 3 untimed; and
# this server by MLSD with the facts lftp and FileZilla ask for (type, size, modify, perm), which vsftpd does not
# offer: there those clients fall back to LIST, so its LIST is what MLSD is compared with.
listing_part() {
  echo "bench: a directory of $listed files, LIST, NLST and (this server) MLSD ($rounds rounds, alternating order)"
  python3 - "$work/ours/data/bench/pub/many" "$listed" <<'PY'
import os, sys
os.makedirs(sys.argv[1])
for i in range(int(sys.argv[2])):
    with open(os.path.join(sys.argv[1], f"file-{i:06d}.dat"), "wb") as f:
        f.write(b"x" * (i % 5000))
PY
  cp -al "$work/ours/data/bench/pub/many" "$work/vsftpd/root/pub/many"; chown -R ftp:ftp "$work/vsftpd/root/pub/many"
  local r ours_list=() vs_list=() ours_nlst=() vs_nlst=() ours_mlsd=()
  for round in $(seq 1 "$rounds"); do
    for server in $( (( round % 2 )) && echo "ours vs" || echo "vs ours"); do
      if [[ $server == ours ]]; then
        r="$(load listing 127.0.0.1 $ours_port bench bench pub/many 10 $ours_pid)"; echo "  this server: $r"
        ours_list+=("$(field list_ms "$r")"); ours_nlst+=("$(field nlst_ms "$r")"); ours_mlsd+=("$(field mlsd_ms "$r")")
        [[ "$(field mlsd_lines "$r")" == "$listed" ]] || { echo "bench: this server's MLSD listed other than $listed files" >&2; exit 1; }
      else
        r="$(load listing 127.0.0.1 $vs_port anonymous x pub/many 10 $vs_pid)"; echo "  vsftpd:      $r"
        vs_list+=("$(field list_ms "$r")"); vs_nlst+=("$(field nlst_ms "$r")")
      fi
      [[ "$(field list_lines "$r")" == "$listed" && "$(field nlst_lines "$r")" == "$listed" ]] \
        || { echo "bench: $server listed other than $listed files" >&2; exit 1; }
    done
  done
  python3 - "${ours_list[*]}" "${vs_list[*]}" "${ours_nlst[*]}" "${vs_nlst[*]}" "${ours_mlsd[*]}" <<'PY'
import statistics, sys
ol, vl, on, vn, om = (list(map(float, side.split())) for side in sys.argv[1:])
for name, ours, vs in (("LIST", ol, vl), ("NLST", on, vn), ("MLSD here, LIST there", om, vl)):
    ratios = [v / o for o, v in zip(ours, vs)]  # above 1: this server took less time per listing
    print(f"summary: listing by {name}, ms per listing (median): this server {statistics.median(ours):.1f},"
          f" vsftpd {statistics.median(vs):.1f} | ratio (vsftpd's time / this server's) in each round:"
          f" {' '.join(f'{r:.2f}' for r in ratios)} | median {statistics.median(ratios):.2f}x,"
          f" at or above 1.0 in {sum(r >= 1 for r in ratios)} of {len(ratios)}")
PY
}
if [[ "$only" == listing ]]; then
  listing_part; exit 0
fi
if [[ "$only" == logins ]]; then
  small_part; logins_part; logins_summary; exit 0
fi
if [[ "$only" == sequential ]]; then
  sequential_part; exit 0
fi

if [[ "$only" != large ]]; then
  echo "bench: raw loopback TCP copy"
  raw="$(load raw "$work/big.bin")"; echo "  $raw"
  echo "bench: sendfile into a loopback socket without FTP or Java, by the way it is called ($rounds rotating rounds)"
  python3 "$here/sendfile_modes.py" "$work/big.bin" "$rounds" | sed 's/^/  /'
fi

# Uploads write to the page cache, into pages taken from free memory. Before each round: flush, so one server does
# not pay for the other's writeback. The load client deletes the last upload (DELE) right before the next, so the
# upload reuses the memory just freed. This VM's free page reporting (/sys/module/page_reporting) hands free memory back to the host, and a page
# handed back costs a fault on the host when next written: dd of 1 GiB into a new file ran at 2.3-3.0 GB/s in pages
# just freed, and at 105-190 MB/s (5-10 s of CPU) in pages handed back, as after the 3 s wait this bench made here
# before (512 MiB: 2.4-3.5 GB/s at once, 300-376 MB/s after the wait). The host may still win the race for some
# of the freed memory, in either server's round: that is the slow rounds vsftpd still shows. The load client sends
# the upload by sendfile (FtpLoad.RawDataClient.sendFile): sending by write, its own new pages met the same costs
# when this server spliced (0.8-1.4 CPU s per GiB of the client's instead of 0.4), a coupling a remote client's
# memory does not have; FtpLoad prints upload_reported_to_host_mib, the memory reported to the host meanwhile.
large_round() {  # port server-pid user pass
  sync
  load large 127.0.0.1 "$1" "$3" "$4" pub "$work/big.bin" "$2"
}
ours_down=0; ours_up=0; vs_down=0; vs_up=0; ours_cpu_down=""; ours_cpu_up=""; vs_cpu_down=""; vs_cpu_up=""
ours_downs=(); ours_ups=(); vs_downs=(); vs_ups=()
run_ours() {
  local r; r="$(large_round $ours_port $ours_pid bench bench)"; echo "  this server: $r"
  ours_down="$(best "$ours_down" "$(field download_mbps "$r")")"; ours_up="$(best "$ours_up" "$(field upload_mbps "$r")")"
  ours_downs+=("$(field download_mbps "$r")"); ours_ups+=("$(field upload_mbps "$r")")
  ours_cpu_down="$(least "$ours_cpu_down" "$(field download_cpu_s_per_gib "$r")")"
  ours_cpu_up="$(least "$ours_cpu_up" "$(field upload_cpu_s_per_gib "$r")")"
}
run_vs() {
  local r; r="$(large_round $vs_port $vs_pid anonymous x)"; echo "  vsftpd:      $r"
  vs_down="$(best "$vs_down" "$(field download_mbps "$r")")"; vs_up="$(best "$vs_up" "$(field upload_mbps "$r")")"
  vs_downs+=("$(field download_mbps "$r")"); vs_ups+=("$(field upload_mbps "$r")")
  vs_cpu_down="$(least "$vs_cpu_down" "$(field download_cpu_s_per_gib "$r")")"
  vs_cpu_up="$(least "$vs_cpu_up" "$(field upload_cpu_s_per_gib "$r")")"
}
large_part() {
  echo "bench: 1 file of ${large_mb} MiB, download then upload ($rounds rounds, alternating order: best kept, and the median of the rounds' ratios)"
  # The first large transfers after the ceilings above ran slow for whichever server came first (about 2000 against
  # 3000-5000 MB/s in the later rounds, in 4 runs): one untimed round of each server first, not counted.
  warm_ours="$(large_round $ours_port $ours_pid bench bench)"
  warm_vs="$(large_round $vs_port $vs_pid anonymous x)"
  echo "  warm-up, not counted: this server $(field download_mbps "$warm_ours") MB/s down," \
    "vsftpd $(field download_mbps "$warm_vs") MB/s down"
  for round in $(seq 1 "$rounds"); do
    if (( round % 2 )); then run_ours; run_vs; else run_vs; run_ours; fi
  done
  ours_large="download_mbps=$ours_down upload_mbps=$ours_up"
  vs_large="download_mbps=$vs_down upload_mbps=$vs_up"
  rm -f "$work/ours/data/bench/pub/big-upload.bin" "$work/vsftpd/root/pub/big-upload.bin"; sync
}
cpu_summary() {
  echo "summary: CPU seconds per GiB (least of the rounds): download $ours_cpu_down vs vsftpd $vs_cpu_down," \
    "upload $ours_cpu_up vs vsftpd $vs_cpu_up${ours_cpu_small:+ | small files, server CPU ms per transfer: $ours_cpu_small vs vsftpd $vs_cpu_small}"
}
if [[ "$only" == large ]]; then
  large_part; cpu_summary
else
large_part
small_part
sequential_part
logins_part
# last: its 20,000 files and listings would change the heap and caches the logins above meet
listing_part
cpu_summary
logins_summary
fi

# the large rounds' summary, and with the full run the small files' and the raw copy's; last, the ratio line
python3 - "$(field download_mbps "$ours_large")" "$(field upload_mbps "$ours_large")" \
  "$(field download_mbps "$vs_large")" "$(field upload_mbps "$vs_large")" \
  "${ours_downs[*]} / ${vs_downs[*]}" "${ours_ups[*]} / ${vs_ups[*]}" \
  ${ours_small:+"$(field small_mbps "$ours_small")" "$(field small_mbps "$vs_small")" "$(field raw_mbps "$raw")" \
  "${ours_smalls[*]} / ${vs_smalls[*]}"} <<'PY'
import statistics, sys
od, ou, vd, vu = map(float, sys.argv[1:5])
full = len(sys.argv) > 7
def round_ratios(pairs):
    """Each round's ratio: both servers ran in it, one after the other, so a drift of the machine hits both."""
    ours, theirs = (list(map(float, side.split())) for side in pairs.split("/"))
    return [a / b for a, b in zip(ours, theirs)]
named = [("download", sys.argv[5]), ("upload", sys.argv[6])] + ([("small", sys.argv[10])] if full else [])
for name, pairs in named:
    ratios = round_ratios(pairs)
    print(f"summary: {name}, ratio in each round: {' '.join(f'{r:.2f}' for r in ratios)}"
          f" | median {statistics.median(ratios):.2f}x, at or above 1.0 in {sum(r >= 1 for r in ratios)} of {len(ratios)}")
large = f"large download {od:.0f} vs {vd:.0f} MB/s ({od/vd:.2f}x), upload {ou:.0f} vs {vu:.0f} MB/s ({ou/vu:.2f}x)"
if full:
    os_, vs, raw = map(float, sys.argv[7:10])
    print(f"summary: raw={raw:.0f} MB/s | {large} | small {os_:.1f} vs {vs:.1f} MB/s ({os_/vs:.2f}x)")
    print(f"ratio_large={((od/vd)+(ou/vu))/2:.2f} ratio_small={os_/vs:.2f}")
else:
    print(f"summary: {large}")
    print(f"ratio_large={((od/vd)+(ou/vu))/2:.2f}")
PY
