#!/usr/bin/env bash
# Starts the bundled FTP server in the foreground, configured by FTP_* environment variables (see README.md).
# Builds target/ftp-server-*.jar first when it is missing. Example:
#   FTP_USERS_DIR=/tmp/users FTP_DATA_DIR=/tmp/ftp-data ftp-server/run.sh
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
jar="$(ls "$here"/target/ftp-server-*.jar 2>/dev/null | grep -v -e '-sources' -e '-tests' | head -n1 || true)"
if [[ -z "$jar" || ! -d "$here/target/lib" ]]; then
  echo "run.sh: building the server (mvn package)..." >&2
  (cd "$here/.." && mvn -B -ntp -q -pl ftp-server -DskipTests package)
  jar="$(ls "$here"/target/ftp-server-*.jar | grep -v -e '-sources' -e '-tests' | head -n1)"
fi
exec java ${JAVA_OPTS:-} -jar "$jar" "$@"
