#!/usr/bin/env bash
# Looks for every secret the tests used (recorded one a line in LOGS/secrets.txt by the test helpers) in the logs the
# test hosts wrote (LOGS/*.log). Fails listing file:line of each hit and the secret's first 4 characters only.
# Usage: scripts/secret-scan.sh [LOGS]   (default: artifacts/logs)
set -uo pipefail
logs=${1:-"$(dirname "$0")/../artifacts/logs"}
secrets="$logs/secrets.txt"
if [ ! -s "$secrets" ]; then
  echo "secret scan: no $secrets (did the tests run?)" >&2
  exit 1
fi
shopt -s nullglob
files=("$logs"/*.log)
if ((${#files[@]} == 0)); then
  echo "secret scan: no log files in $logs (did the tests run?)" >&2
  exit 1
fi
patterns=$(mktemp)
trap 'rm -f "$patterns"' EXIT
# Short values ("true", a port) would match anything; every secret the helpers record is longer.
awk 'length($0) >= 8' "$secrets" | sort -u >"$patterns"
hits=0
# grep -o prints file:line:match, each match on its own line; a secret may itself hold a colon.
while IFS=$'\t' read -r location secret; do
  [ -n "$secret" ] || continue
  echo "LEAK: $location: ${secret:0:4}..."
  hits=$((hits + 1))
done < <(grep -HnoF -f "$patterns" -- "${files[@]}" | awk -F: '{ m = $3; for (i = 4; i <= NF; i++) m = m ":" $i; print $1 ":" $2 "\t" m }')
echo "secret scan: $(wc -l <"$patterns") secrets, ${#files[@]} log files, $hits hits"
((hits == 0))
