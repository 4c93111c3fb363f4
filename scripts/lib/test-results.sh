# Reading test result files for scripts/test.sh (sourced; no side effects). Self-test: scripts/lib/test-results.selftest.sh.

# attr FILE ELEMENT NAME -> the NAME attribute of the first ELEMENT in FILE (0 when the file, element or attribute is missing).
attr() {
  local v=""
  [ -f "$1" ] && v=$(tr '\n' ' ' <"$1" | grep -o "<$2[ >][^>]*" | head -1 | grep -o " $3=\"[0-9]*\"" | grep -o '[0-9][0-9]*')
  echo "${v:-0}"
}

# trx_counts FILE -> "ran passed failed skipped" of one VSTest trx file (its ResultSummary's Counters).
trx_counts() {
  local total executed passed failed
  total=$(attr "$1" Counters total)
  executed=$(attr "$1" Counters executed)
  passed=$(attr "$1" Counters passed)
  failed=$(( $(attr "$1" Counters failed) + $(attr "$1" Counters error) + $(attr "$1" Counters timeout) + $(attr "$1" Counters aborted) ))
  echo "$((passed + failed)) $passed $failed $((total - executed))"
}

# junit_counts FILE -> "ran passed failed skipped" of a PHPUnit JUnit XML file (its outer testsuite).
junit_counts() {
  local tests failed skipped
  tests=$(attr "$1" testsuite tests)
  failed=$(( $(attr "$1" testsuite failures) + $(attr "$1" testsuite errors) ))
  skipped=$(attr "$1" testsuite skipped)
  echo "$((tests - skipped)) $((tests - skipped - failed)) $failed $skipped"
}

# minimum_for NAME FILE -> the minimum number of tests NAME must run, from FILE ("name minimum" lines, # comments); empty when unlisted.
minimum_for() {
  awk -v n="$1" '$1 !~ /^#/ && $1 == n { print $2; exit }' "$2"
}

# check_minimum NAME RAN MINIMUM -> prints the problem and returns 1 when NAME ran fewer than MINIMUM tests (or has no minimum).
check_minimum() {
  if [ -z "$3" ]; then
    echo "$1: no minimum test count in scripts/test-minimums; add one"
    return 1
  fi
  if [ "$2" -lt "$3" ]; then
    echo "$1: $2 tests ran, at least $3 expected (a missing test runner package, a broken filter, deleted tests?)"
    return 1
  fi
}

# trx_failures FILE -> one line per failed, timed-out or aborted test of a VSTest trx file: "name: first line of its
# message" (nothing when the file is missing or nothing failed). A CI log's tail then names what failed.
trx_failures() {
  [ -f "$1" ] || return 0
  python3 - "$1" <<'PY'
import sys, xml.etree.ElementTree as ET
ns = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
try:
    root = ET.parse(sys.argv[1]).getroot()
except ET.ParseError as e:
    print(f"(unreadable trx: {e})"); sys.exit(0)
for r in root.iterfind(".//t:UnitTestResult", ns):
    if r.get("outcome") in ("Failed", "Error", "Timeout", "Aborted"):
        msg = r.find("t:Output/t:ErrorInfo/t:Message", ns)
        text = (msg.text or "").strip().splitlines() if msg is not None else []
        first = text[0][:300] if text else r.get("outcome")
        print(f"{r.get('testName')}: {first}")
PY
}
