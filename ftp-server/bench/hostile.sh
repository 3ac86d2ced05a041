#!/usr/bin/env bash
# The same hostile clients (ftp-server/bench/hostile.py) against Debian's vsftpd and this server, both on
# loopback, and the outcomes side by side. Run under the bench lock: `make bench-hostile` does
# (flock /tmp/ftpop-bench.lock ftp-server/bench/hostile.sh). Needs root (the PORT probe listens on 127.0.0.1:1023),
# vsftpd, openssl, python3. Timeouts are set alike on both to keep the run short: login/idle 5 s, data 5 s;
# everything else is each server's default (vsftpd 3.0.3: no per-IP or total limit, no rate limit).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
module="$(dirname "$here")"
ours_port=11031; ours_http=11081; ours_pasv=11100-11119
vs_port=11032; vs_pasv_min=11200; vs_pasv_max=11219

command -v vsftpd >/dev/null || [[ -x /usr/sbin/vsftpd ]] || { echo "hostile: vsftpd missing (apt-get install vsftpd)" >&2; exit 1; }
VSFTPD="$(command -v vsftpd || echo /usr/sbin/vsftpd)"
[[ $(id -u) == 0 ]] || { echo "hostile: run as root (the PORT probe binds 127.0.0.1:1023, vsftpd needs root)" >&2; exit 1; }
if ! compgen -G "$module/target/ftp-server-*.jar" >/dev/null || [[ ! -d "$module/target/lib" ]]; then
  (cd "$module/.." && mvn -B -ntp -q -pl ftp-server -DskipTests package)
fi
jar=""
for j in "$module"/target/ftp-server-*.jar; do
  case $j in *-sources.jar | *-tests.jar) continue ;; esac
  jar=$j
done

work="$(mktemp -d /tmp/ftp-hostile.XXXXXX)"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=ftp.example.org \
  -keyout "$work/tls.key" -out "$work/tls.crt" >/dev/null 2>&1

mkdir -p "$work/ours/users" "$work/ours/data/alice"
printf 'secret\n' > "$work/ours/users/alice"
# shellcheck disable=SC2086 # JAVA_OPTS holds several options
FTP_BIND_ADDRESS=127.0.0.1 FTP_CONTROL_PORT=$ours_port FTP_HTTP_BIND_ADDRESS=127.0.0.1 FTP_HTTP_PORT=$ours_http \
  FTP_PASSIVE_PORTS=$ours_pasv FTP_USERS_DIR="$work/ours/users" FTP_DATA_DIR="$work/ours/data" \
  FTP_TLS_MODE=explicit FTP_TLS_CERT_FILE="$work/tls.crt" FTP_TLS_KEY_FILE="$work/tls.key" \
  FTP_TLS_SERVER_NAMES=ftp.example.org FTP_LOGIN_TIMEOUT_SECONDS=5 FTP_TRANSFER_STALL_TIMEOUT_SECONDS=5 \
  FTP_DATA_TIMEOUT_SECONDS=5 FTP_LOG_LEVEL=warn \
  java ${JAVA_OPTS:-} -jar "$jar" > "$work/ours.log" 2>&1 &
pids+=($!)

# vsftpd refuses a writable anonymous root: the probes work in pub/ (HOSTILE_CWD)
mkdir -p "$work/vsftpd/root/pub" /var/run/vsftpd/empty
chmod 755 "$work/vsftpd/root"
chown ftp:ftp "$work/vsftpd/root/pub"
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
local_enable=NO
pasv_enable=YES
pasv_address=127.0.0.1
pasv_min_port=$vs_pasv_min
pasv_max_port=$vs_pasv_max
idle_session_timeout=5
data_connection_timeout=5
ssl_enable=YES
allow_anon_ssl=YES
force_anon_logins_ssl=NO
force_anon_data_ssl=NO
rsa_cert_file=$work/tls.crt
rsa_private_key_file=$work/tls.key
xferlog_enable=NO
seccomp_sandbox=NO
secure_chroot_dir=/var/run/vsftpd/empty
CONF
"$VSFTPD" "$work/vsftpd/vsftpd.conf" > "$work/vsftpd.log" 2>&1 &
pids+=($!)

for _ in $(seq 1 100); do
  if curl -fsS "http://127.0.0.1:$ours_http/health/ready" >/dev/null 2>&1 && (exec 3<>/dev/tcp/127.0.0.1/$vs_port) 2>/dev/null; then break; fi
  sleep 0.2
done

echo "hostile: vsftpd $(dpkg-query -W -f='${Version}' vsftpd 2>/dev/null) vs this server ($(basename "$jar")); load: $(uptime | sed 's/.*load average: //')" >&2
HOSTILE_CWD=pub python3 "$here/hostile.py" 127.0.0.1 $vs_port anonymous x "$work/vsftpd/root/pub" > "$work/vsftpd.out"
python3 "$here/hostile.py" 127.0.0.1 $ours_port alice secret "$work/ours/data/alice" > "$work/ours.out"

python3 - "$work/vsftpd.out" "$work/ours.out" <<'PY'
import sys
vs = dict(line.rstrip("\n").split("\t", 1) for line in open(sys.argv[1]))
ours = dict(line.rstrip("\n").split("\t", 1) for line in open(sys.argv[2]))
print("| attack | vsftpd 3.0.3 (Debian) | this server |")
print("| --- | --- | --- |")
for name in ours:
    print(f"| {name} | {vs.get(name, '-')} | {ours[name]} |")
PY
echo "hostile: load after: $(uptime | sed 's/.*load average: //')" >&2
