#!/usr/bin/env bash
# Checks the result-file reading of scripts/lib/test-results.sh on sample files; scripts/test.sh runs it first.
set -uo pipefail
. "$(dirname "$0")/test-results.sh"
tmp=$(mktemp -d -t sa-results-selftest-XXXXXX)
trap 'rm -rf "$tmp"' EXIT
bad=0
expect() { # what expected actual
  if [ "$2" != "$3" ]; then echo "test-results self-test: $1: expected '$2', got '$3'" >&2; bad=1; fi
}

# A trx as VSTest writes it: 10 tests, 7 passed, 1 failed, 1 timed out, 1 not run; a later element also has "total".
cat >"$tmp/a.trx" <<'XML'
<?xml version="1.0" encoding="utf-8"?>
<TestRun id="1" name="x" xmlns="http://microsoft.com/schemas/VisualStudio/TeamTest/2010">
  <ResultSummary outcome="Failed">
    <Counters total="10" executed="9" passed="7" failed="1" error="0" timeout="1" aborted="0" inconclusive="0"
      passedButRunAborted="0" notRunnable="0" notExecuted="0" disconnected="0" warning="0" completed="0" inProgress="0" pending="0" />
  </ResultSummary>
  <Other total="99" />
</TestRun>
XML
expect "trx counts" "9 7 2 1" "$(trx_counts "$tmp/a.trx")"
# No tests found: VSTest writes zeros (or no file at all).
printf '<TestRun><ResultSummary><Counters total="0" executed="0" passed="0" failed="0" /></ResultSummary></TestRun>' >"$tmp/empty.trx"
expect "empty trx" "0 0 0 0" "$(trx_counts "$tmp/empty.trx")"
expect "missing trx" "0 0 0 0" "$(trx_counts "$tmp/none.trx")"

# PHPUnit's JUnit XML: the outer suite sums its children; "No tests executed!" leaves an empty <testsuites/>.
cat >"$tmp/j.xml" <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<testsuites>
  <testsuite name="all" tests="12" assertions="30" errors="1" warnings="0" failures="2" skipped="3" time="0.1">
    <testsuite name="inner" tests="1" assertions="1" errors="0" failures="0" skipped="0" time="0.01"/>
  </testsuite>
</testsuites>
XML
expect "junit counts" "9 6 3 3" "$(junit_counts "$tmp/j.xml")"
printf '<?xml version="1.0" encoding="UTF-8"?>\n<testsuites/>\n' >"$tmp/none.xml"
expect "junit with no tests" "0 0 0 0" "$(junit_counts "$tmp/none.xml")"

printf '# comment\nShopAffiliate.Core.Tests 140\nphpunit 100\n' >"$tmp/minimums"
expect "listed minimum" "140" "$(minimum_for ShopAffiliate.Core.Tests "$tmp/minimums")"
expect "unlisted minimum" "" "$(minimum_for ShopAffiliate.Other.Tests "$tmp/minimums")"
expect "enough tests" "ok" "$(check_minimum A 140 140 && echo ok)"
expect "too few tests" "A: 0 tests ran, at least 140 expected (a missing test runner package, a broken filter, deleted tests?)" "$(check_minimum A 0 140)"
expect "no minimum" "B: no minimum test count in scripts/test-minimums; add one" "$(check_minimum B 5 "")"

# The failed tests of a trx, named with their message's first line; passed ones are not listed.
cat >"$tmp/f.trx" <<'XML'
<?xml version="1.0" encoding="utf-8"?>
<TestRun xmlns="http://microsoft.com/schemas/VisualStudio/TeamTest/2010"><Results>
  <UnitTestResult testName="A.Passes" outcome="Passed" />
  <UnitTestResult testName="A.Fails" outcome="Failed"><Output><ErrorInfo><Message>Assert.Equal() Failure
more</Message></ErrorInfo></Output></UnitTestResult>
  <UnitTestResult testName="A.TimesOut" outcome="Timeout" />
</Results></TestRun>
XML
expect "trx failures" "A.Fails: Assert.Equal() Failure
A.TimesOut: Timeout" "$(trx_failures "$tmp/f.trx")"
expect "no trx, no failures" "" "$(trx_failures "$tmp/none.trx")"

[ "$bad" -eq 0 ] && echo "test-results self-test passed"
exit "$bad"
