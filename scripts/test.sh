#!/usr/bin/env bash
# Runs every ShopAffiliate test. What the tests need from Debian (PostgreSQL server binaries, php and phpunit)
# is installed first when missing; the tests start their own throwaway servers on 127.0.0.1.
# Fails when anything fails to build, a test fails, or a runner (each .NET test assembly, PHPUnit) runs fewer tests
# than its minimum in scripts/test-minimums. Result files (trx, JUnit XML), the build log and the browser tests'
# screenshots are kept under artifacts/ (git-ignored) for reading a failed CI run afterwards.
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

need=()
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || need+=(postgresql)
command -v php >/dev/null || need+=(php-cli)
command -v phpunit >/dev/null || need+=(phpunit php-xml php-mbstring)
[ -x /usr/bin/chromium ] || need+=(chromium)
command -v npm >/dev/null || need+=(npm)
/usr/bin/python3 -c "import aiosmtpd" 2>/dev/null || need+=(python3-aiosmtpd) # the mail tests' SMTP server
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

. scripts/lib/test-results.sh
artifacts="$root/artifacts"
results="$artifacts/test-results"
rm -rf "$results" "$artifacts/screenshots" "$artifacts/build.log" "$artifacts/logs"
mkdir -p "$results/dotnet"
export SA_ARTIFACTS="$artifacts" # the browser tests save their screenshots under it, the test hosts their logs in logs/
status=0
problems=()
passed=0 failed=0 skipped=0
count() { # ran passed failed skipped (from trx_counts / junit_counts)
  passed=$((passed + $2)) failed=$((failed + $3)) skipped=$((skipped + $4))
}

echo "== The test command's own result reading"
scripts/lib/test-results.selftest.sh || { status=1; problems+=("scripts/lib/test-results.selftest.sh failed"); }

echo "== The secret scan's self-test"
scripts/secret-scan.selftest.sh || { status=1; problems+=("scripts/secret-scan.selftest.sh failed"); }

echo "== PHP companion plugin: php -l"
lint_failed=0
while IFS= read -r -d '' file; do
  php -l "$file" >/dev/null 2>"$results/lint.err" || { cat "$results/lint.err"; lint_failed=1; }
done < <(find integrations/woocommerce -name '*.php' -print0)
rm -f "$results/lint.err"
if [ "$lint_failed" -eq 0 ]; then echo "all PHP files parse"; else status=1; problems+=("php -l: a PHP file does not parse"); fi

echo "== PHP companion plugin: phpunit"
phpunit -c integrations/woocommerce/shopaffiliate/phpunit.xml.dist --log-junit "$results/phpunit.xml" | tee "$results/phpunit.log"
[ "${PIPESTATUS[0]}" -eq 0 ] || status=1
read -r ran p f k < <(junit_counts "$results/phpunit.xml")
count "$ran" "$p" "$f" "$k"
if grep -q "No tests executed!" "$results/phpunit.log"; then
  problems+=("phpunit: No tests executed!")
elif ! problem=$(check_minimum phpunit "$ran" "$(minimum_for phpunit scripts/test-minimums)"); then
  problems+=("$problem")
fi

echo "== npm ci (axe-core, which the browser tests inject into each page)"
npm ci --no-audit --no-fund --loglevel=error || { status=1; problems+=("npm ci failed: the browser tests cannot run axe-core"); }

# Build once, then test without building: a compile error is reported as one, not as a missing assembly's "1 failed".
echo "== .NET: dotnet build"
dotnet build "$root/ShopAffiliate.sln" -v q -nologo 2>&1 | tee "$artifacts/build.log"
if [ "${PIPESTATUS[0]}" -ne 0 ]; then
  status=1
  problems+=("dotnet build failed (artifacts/build.log): no .NET tests were run")
else
  for project in $(grep -l "<IsTestProject>true</IsTestProject>" tests/*/*.csproj); do
    assembly=$(basename "$project" .csproj)
    echo "== .NET: dotnet test $assembly"
    dotnet test "$project" --no-build --logger "trx;LogFileName=$assembly.trx" --logger "console;verbosity=normal" \
      --results-directory "$results/dotnet" || status=1
    read -r ran p f k < <(trx_counts "$results/dotnet/$assembly.trx")
    count "$ran" "$p" "$f" "$k"
    while IFS= read -r failure; do problems+=("$assembly: $failure"); done < <(trx_failures "$results/dotnet/$assembly.trx")
    problem=$(check_minimum "$assembly" "$ran" "$(minimum_for "$assembly" scripts/test-minimums)") || problems+=("$problem")
  done
  # After every assembly, so it sees every host's log: no secret a test used may appear in one.
  echo "== Secret scan of the test hosts' logs (artifacts/logs)"
  scripts/secret-scan.sh "$artifacts/logs" || problems+=("secret scan: a secret the tests used is in a log (artifacts/logs, LEAK lines above)")
fi

((${#problems[@]})) && status=1
echo
for problem in "${problems[@]}"; do echo "FAILED: $problem"; done
[ "$status" -ne 0 ] && [ "$failed" -eq 0 ] && [ "${#problems[@]}" -eq 0 ] && echo "FAILED: a runner exited non-zero (see its output above)"
echo "results: artifacts/test-results, screenshots: artifacts/screenshots"
echo "total: $passed passed, $failed failed, $skipped skipped"
exit "$status"
