#!/usr/bin/env bash
# Starts the bundled FTP server in the foreground, configured by FTP_* environment variables (see README.md).
# Builds target/ftp-server-*.jar first when it is missing. Example:
#   FTP_USERS_DIR=/tmp/users FTP_DATA_DIR=/tmp/ftp-data ftp-server/run.sh
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# the runnable jar (not the sources or tests jar), empty when there is none
server_jar() {
  local j
  for j in "$here"/target/ftp-server-*.jar; do
    case $j in *-sources.jar | *-tests.jar) continue ;; esac
    [ -f "$j" ] && { echo "$j"; return; }
  done
}
jar=$(server_jar)
if [[ -z "$jar" || ! -d "$here/target/lib" ]]; then
  echo "run.sh: building the server (mvn package)..." >&2
  (cd "$here/.." && mvn -B -ntp -q -pl ftp-server -DskipTests package)
  jar=$(server_jar)
fi
# shellcheck disable=SC2086 # JAVA_OPTS holds several options
exec java ${JAVA_OPTS:-} -jar "$jar" "$@"
