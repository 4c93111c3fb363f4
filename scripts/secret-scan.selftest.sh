#!/usr/bin/env bash
# The secret scan finds a planted secret (and names only its first 4 characters), passes on clean logs, and refuses
# to pass when there is nothing to scan.
set -uo pipefail
scan="$(dirname "$0")/secret-scan.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "secret-scan selftest: $*" >&2; exit 1; }

printf 'sa_planted_secret_0123456789\nc2hvcnQta2V5LWVuY3J5cHRpb24ta2V5LXRlc3Q=\nshort\n' >"$work/secrets.txt"
printf 'info: started\ninfo: short words are fine\n' >"$work/clean.log"
out=$("$scan" "$work") || fail "clean logs failed the scan: $out"

printf 'info: one\ninfo: GET /x?token=sa_planted_secret_0123456789 200\n' >"$work/leaky.log"
if out=$("$scan" "$work"); then fail "a planted secret was not found: $out"; fi
grep -q "LEAK: $work/leaky.log:2: sa_p\.\.\." <<<"$out" || fail "the hit does not name file:line and 4 characters: $out"
grep -q "planted_secret" <<<"$out" && fail "the report shows more of the secret than 4 characters: $out"

rm "$work"/*.log
if out=$("$scan" "$work" 2>&1); then fail "no log files passed the scan"; fi
echo "secret-scan selftest: passed"
