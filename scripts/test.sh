#!/usr/bin/env bash
# Runs every ShopAffiliate test. What the tests need from Debian (PostgreSQL server binaries, php and phpunit)
# is installed first when missing; the tests start their own throwaway servers on 127.0.0.1.
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

need=()
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || need+=(postgresql)
command -v php >/dev/null || need+=(php-cli)
command -v phpunit >/dev/null || need+=(phpunit php-xml php-mbstring)
[ -x /usr/bin/chromium ] || need+=(chromium)
if ((${#need[@]})); then
  echo "== Installing from Debian: ${need[*]}"
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "Need root or sudo to install: ${need[*]}" >&2; exit 1; }
    sudo=sudo
  fi
  $sudo apt-get update -qq || exit 1
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null || exit 1
fi

results=$(mktemp -d -t sa-test-results-XXXXXX)
trap 'rm -rf "$results"' EXIT
status=0

echo "== PHP companion plugin: php -l"
lint_failed=0
while IFS= read -r -d '' file; do
  php -l "$file" >/dev/null 2>"$results/lint.err" || { cat "$results/lint.err"; lint_failed=1; }
done < <(find integrations/woocommerce -name '*.php' -print0)
[ "$lint_failed" -eq 0 ] && echo "all PHP files parse" || status=1

echo "== PHP companion plugin: phpunit"
phpunit -c integrations/woocommerce/shopaffiliate/phpunit.xml.dist --log-junit "$results/phpunit.xml" || status=1

echo "== .NET: dotnet test"
dotnet test "$root/ShopAffiliate.sln" --logger "trx" --logger "console;verbosity=normal" --results-directory "$results/dotnet" || status=1

# One closing line over every runner: N passed, N failed, N skipped.
sum_attr() { # file-glob attribute -> sum of attribute values on the first matching element of each file
  local total=0 f v
  for f in $1; do
    [ -f "$f" ] || continue
    v=$(grep -o -m1 "$2=\"[0-9]*\"" "$f" | head -1 | grep -o '[0-9]*')
    total=$((total + ${v:-0}))
  done
  echo "$total"
}
dn_total=$(sum_attr "$results/dotnet/*.trx" total)
dn_passed=$(sum_attr "$results/dotnet/*.trx" passed)
dn_failed=$(sum_attr "$results/dotnet/*.trx" failed)
dn_executed=$(sum_attr "$results/dotnet/*.trx" executed)
php_tests=$(sum_attr "$results/phpunit.xml" tests)
php_failed=$(( $(sum_attr "$results/phpunit.xml" failures) + $(sum_attr "$results/phpunit.xml" errors) ))
php_skipped=$(sum_attr "$results/phpunit.xml" skipped)
passed=$((dn_passed + php_tests - php_failed - php_skipped))
failed=$((dn_failed + php_failed))
skipped=$((dn_total - dn_executed + php_skipped))
if [ "$dn_total" -eq 0 ]; then echo "no .NET test results were written" >&2; status=1; fi
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi # a build or lint failure counts as a failure
echo
echo "total: $passed passed, $failed failed, $skipped skipped"
exit "$status"
