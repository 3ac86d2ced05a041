#!/usr/bin/env bash
# GitOps health of FtpServer objects, judged by the real judges: Flux's kstatus
# (sigs.k8s.io/cli-utils/pkg/kstatus, this directory's Go program, built from the Go module proxy)
# and Argo CD's health script (argocd-health.lua, the one README.md ships, run by Debian's lua5.4).
#   e2e/kstatus/check.sh                 the saved fixtures (from SelfTestIT) against expected.txt
#   e2e/kstatus/check.sh FILE.yaml...    prints both verdicts for other objects (e.g. from the e2e)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# the README's Lua block is the script users copy: it must be this file
python3 - "$root/README.md" "$here/argocd-health.lua" <<'PY'
import sys
readme, lua = open(sys.argv[1]).read(), open(sys.argv[2]).read()
start = readme.index("```lua\n") + len("```lua\n")
block = readme[start:readme.index("```", start)]
if block.strip() != lua.strip():
    sys.exit("README.md's Argo CD health check differs from e2e/kstatus/argocd-health.lua")
PY

(cd "$here" && go build -o "$work/kstatus" .)

verdicts() {
  local file=$1 json
  json="$work/$(basename "$1").json"
  python3 -c 'import json,sys,yaml; json.dump(yaml.safe_load(open(sys.argv[1])), open(sys.argv[2], "w"))' "$file" "$json"
  local flux argo
  flux=$("$work/kstatus" "$file" | cut -d' ' -f1)
  argo=$(lua5.4 "$here/run-health.lua" "$here/argocd-health.lua" "$json" | cut -d' ' -f1)
  echo "$(basename "$file" .yaml) $flux $argo"
}

if [ $# -gt 0 ]; then
  for f in "$@"; do verdicts "$f"; done
  exit 0
fi
fail=0
while read -r name flux argo; do
  [ -z "$name" ] || [ "${name#\#}" != "$name" ] && continue
  got=$(verdicts "$here/testdata/$name.yaml")
  if [ "$got" = "$name $flux $argo" ]; then
    echo "ok   $got"
  else
    echo "FAIL $name: expected kstatus=$flux argocd=$argo, got ${got#"$name "}"
    fail=1
  fi
done < "$here/testdata/expected.txt"
exit $fail
