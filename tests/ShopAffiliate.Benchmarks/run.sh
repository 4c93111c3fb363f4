#!/usr/bin/env bash
# Redirect benchmark: ShopAffiliate's GET /r/{code} against an nginx `return 302` baseline, same machine, same run,
# in alternating rounds judged on the median round; then a graceful stop of the app under load and a count of the
# stored clicks. See README.md next to this file.
#
#   tests/ShopAffiliate.Benchmarks/run.sh [-t 2] [-c 64] [-d 20] [-r 3] [--warmup 5] [--postgres CONNSTRING] [--strict] ...
#
# Exit status: 0 all good; 1 clicks were lost (or the app did not stop cleanly); 2 throughput below the target with
# --strict; 3 the benchmark could not run (set-up failed).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
LUA="$HERE/redirect.lua"
# shellcheck source=lib.sh
source "$HERE/lib.sh"

THREADS=2
CONNECTIONS=64
DURATION=20
ROUNDS=3
WARMUP=5
TAIL=2 # extra wrk seconds after the measured window: in-flight requests finish (see redirect.lua)
TARGET=50
STRICT=0
KEEP=0
PG_CONN=""
APP_DIR=""
REV=""
BUILD="given build"
SERVER_CPUS=""
CLIENT_CPUS=""
SHUTDOWN_WAIT=120
UA='Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36'

usage() {
  cat <<EOF
Usage: $0 [options]
  -t, --threads N          wrk threads (default $THREADS)
  -c, --connections N      wrk connections, kept open (default $CONNECTIONS)
  -d, --duration SECONDS   measured seconds per server and round (default $DURATION; "20s" works too)
  -r, --rounds N           rounds, each nginx then the app; the ratio is the median round's (default $ROUNDS)
      --warmup SECONDS     warm-up load on each server before measuring (default $WARMUP)
      --target PERCENT     throughput target, app as a share of nginx (default $TARGET)
      --strict             exit 2 when the throughput target is missed (default: report only)
      --user-agent STRING  User-Agent sent by wrk (default: a desktop Chrome, so clicks are not bot-flagged)
      --postgres CONNSTR   use PostgreSQL (Npgsql connection string to an EMPTY database) instead of a temp SQLite file
      --rev REV            publish the app from a clean snapshot of git revision REV (git archive) instead of
                           the working tree
      --app-dir DIR        use this published build instead of running dotnet publish
      --server-cpus LIST   pin the app and nginx to these CPUs (taskset list, e.g. 0 or 0-3); nginx gets one worker per CPU
      --client-cpus LIST   pin wrk to these CPUs
      --shutdown-wait S    how long to wait for the app to exit after SIGTERM (default $SHUTDOWN_WAIT)
      --keep               keep the temp folder (logs, database, wrk output) and print its path
  -h, --help               this text
EOF
}

seconds() { local v=${1%s}; [[ $v =~ ^[0-9]+$ && $v -gt 0 ]] || die "expected whole seconds, got '$1'"; echo "$v"; }

while [[ $# -gt 0 ]]; do
  case $1 in
    -t|--threads) THREADS=$(count "${2:?}"); shift 2 ;;
    -c|--connections) CONNECTIONS=$(count "${2:?}"); shift 2 ;;
    -d|--duration) DURATION=$(seconds "${2:?}"); shift 2 ;;
    -r|--rounds) ROUNDS=$(count "${2:?}"); shift 2 ;;
    --warmup) WARMUP=$(seconds "${2:?}"); shift 2 ;;
    --target) TARGET=$(count "${2:?}"); shift 2 ;;
    --strict) STRICT=1; shift ;;
    --user-agent) UA=${2:?}; shift 2 ;;
    --postgres) PG_CONN=${2:?}; shift 2 ;;
    --app-dir) APP_DIR=$(cd "${2:?}" && pwd); BUILD="build in $APP_DIR"; shift 2 ;;
    --rev) REV=${2:?}; shift 2 ;;
    --server-cpus) SERVER_CPUS=${2:?}; shift 2 ;;
    --client-cpus) CLIENT_CPUS=${2:?}; shift 2 ;;
    --shutdown-wait) SHUTDOWN_WAIT=$(seconds "${2:?}"); shift 2 ;;
    --keep) KEEP=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown option '$1'" ;;
  esac
done
[[ $CONNECTIONS -ge $THREADS ]] || die "need at least one connection per thread (-c >= -t)"
# wrk gives each thread connections/threads connections; use the number it really opens.
CONNECTIONS=$(( CONNECTIONS / THREADS * THREADS ))

# ---------------------------------------------------------------------------------------------------------------
# 1. Tools
# ---------------------------------------------------------------------------------------------------------------
PATH=$PATH:/usr/sbin:/sbin
missing=()
command -v wrk >/dev/null || missing+=(wrk)
command -v nginx >/dev/null || missing+=(nginx-light)
command -v curl >/dev/null || missing+=(curl)
if [[ -n $PG_CONN ]]; then command -v psql >/dev/null || missing+=(postgresql-client)
else command -v sqlite3 >/dev/null || missing+=(sqlite3); fi
if [[ -n $SERVER_CPUS || -n $CLIENT_CPUS ]]; then command -v taskset >/dev/null || missing+=(util-linux); fi
if [[ ${#missing[@]} -gt 0 ]]; then
  echo "Installing from Debian: ${missing[*]}"
  SUDO=""; [[ $(id -u) -eq 0 ]] || SUDO=sudo
  $SUDO apt-get update -qq || die "apt-get update failed"
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
    || die "could not install ${missing[*]}"
fi
[[ -n $APP_DIR ]] || command -v dotnet >/dev/null || die "the .NET SDK (dotnet) is needed to publish the app"
command -v dotnet >/dev/null || die "dotnet is needed to run the app"

PIN_SERVER=(); [[ -z $SERVER_CPUS ]] || PIN_SERVER=(taskset -c "$SERVER_CPUS")
PIN_CLIENT=(); [[ -z $CLIENT_CPUS ]] || PIN_CLIENT=(taskset -c "$CLIENT_CPUS")
SERVER_CORES=$("${PIN_SERVER[@]}" nproc)

# ---------------------------------------------------------------------------------------------------------------
# Temp folder and clean-up on any exit
# ---------------------------------------------------------------------------------------------------------------
WORK=$(mktemp -d "${TMPDIR:-/tmp}/sa-bench.XXXXXX")
APP_PID=""
NGINX_PID=""
cleanup() {
  local rc=$?
  stop_pid "$NGINX_PID" QUIT 5
  stop_pid "$APP_PID" TERM 30
  if [[ $KEEP -eq 1 ]]; then echo "Kept: $WORK"; else rm -rf "$WORK"; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

cpu_ticks() { # pid -> user+system CPU of the process and its direct children (nginx workers), in clock ticks
  local total=0 p line rest kids
  kids=$(cat "/proc/$1/task/$1/children" 2>/dev/null || pgrep -P "$1" || true)
  for p in "$1" $kids; do
    line=$(cat "/proc/$p/stat" 2>/dev/null) || continue
    rest=${line##*) }
    read -r -a f <<<"$rest"
    total=$(( total + f[11] + f[12] )) # fields 14 and 15 of /proc/PID/stat: utime, stime
  done
  echo "$total"
}
ms() { awk -v us="$1" 'BEGIN { printf "%.2f", us / 1000 }'; }

# ---------------------------------------------------------------------------------------------------------------
# 2. Publish and start the app on a fresh database
# ---------------------------------------------------------------------------------------------------------------
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
if [[ -z $APP_DIR ]]; then
  APP_DIR="$WORK/app"
  SRC=$REPO
  BUILD="$(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo '?')"
  [[ -z $(git -C "$REPO" status --porcelain -- src 2>/dev/null) ]] || BUILD="$BUILD+changes"
  if [[ -n $REV ]]; then
    BUILD=$(git -C "$REPO" rev-parse --short "$REV") || die "unknown revision $REV"
    SRC="$WORK/src"
    mkdir -p "$SRC"
    git -C "$REPO" archive --format=tar "$REV" | tar -x -C "$SRC" || die "git archive $REV failed"
    echo "Publishing src/ShopAffiliate.Web at $BUILD (Release)..."
  else
    echo "Publishing src/ShopAffiliate.Web from the working tree (Release)..."
  fi
  if ! dotnet publish "$SRC/src/ShopAffiliate.Web" -c Release -o "$APP_DIR" -v quiet -nologo >"$WORK/publish.log" 2>&1; then
    tail -n 40 "$WORK/publish.log" >&2
    die "dotnet publish failed"
  fi
fi
[[ -f $APP_DIR/ShopAffiliate.Web.dll ]] || die "no ShopAffiliate.Web.dll in $APP_DIR"

mkdir -p "$WORK/data"
DB_FILE="$WORK/data/bench.db"
API_KEY="sa_bench_$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')"
APP_PORT=$(free_port)
APP_URL="http://127.0.0.1:$APP_PORT"

declare -a PSQL_ENV=()
if [[ -n $PG_CONN ]]; then
  pg_env "$PG_CONN"
  psql_q() { env "${PSQL_ENV[@]}" psql -XAtq -v ON_ERROR_STOP=1 -c "$1"; }
  psql_q 'SELECT 1' >/dev/null || die "cannot connect to PostgreSQL with --postgres"
  if [[ $(psql_q "SELECT to_regclass('public.\"Workspaces\"') IS NOT NULL") == t ]] \
     && [[ $(psql_q 'SELECT count(*) FROM "Workspaces"') != 0 ]]; then
    die "the --postgres database is not empty; the benchmark needs an empty one (it bootstraps its own workspace)"
  fi
  DB_ENV=(Database__Provider=Postgres "ConnectionStrings__Postgres=$PG_CONN")
else
  DB_ENV=(Database__Provider=Sqlite "ConnectionStrings__Sqlite=Data Source=$DB_FILE")
fi

# Clicks of our affiliate: total, bot-flagged, duplicate-flagged.
click_counts() {
  if [[ -n $PG_CONN ]]; then
    psql_q "SELECT count(*) || ' ' || count(*) FILTER (WHERE \"IsBot\") || ' ' || count(*) FILTER (WHERE \"IsDuplicate\")
            FROM \"Clicks\" WHERE \"AffiliateId\" = '$AFFILIATE_ID'"
  else
    sqlite3 -cmd '.timeout 10000' "$DB_FILE" \
      "SELECT count(*) || ' ' || count(*) FILTER (WHERE IsBot) || ' ' || count(*) FILTER (WHERE IsDuplicate)
       FROM Clicks WHERE upper(AffiliateId) = upper('$AFFILIATE_ID');"
  fi
}

echo "Starting the app on $APP_URL ($([[ -n $PG_CONN ]] && echo PostgreSQL || echo "SQLite $DB_FILE"))..."
(
  cd "$WORK"
  exec env \
    ASPNETCORE_URLS="$APP_URL" ASPNETCORE_ENVIRONMENT=Production Logging__LogLevel__Default=Warning \
    DataProtection__KeyEncryptionKey="$(head -c 32 /dev/urandom | base64)" \
    App__PublicBaseUrl="$APP_URL" App__DataDirectory="$WORK/data" "${DB_ENV[@]}" \
    Bootstrap__OwnerEmail=bench@example.com Bootstrap__OwnerPassword="bench-$API_KEY" \
    Bootstrap__WorkspaceName=Benchmark Bootstrap__ApiKey="$API_KEY" \
    "${PIN_SERVER[@]}" dotnet "$APP_DIR/ShopAffiliate.Web.dll"
) >"$WORK/app.log" 2>&1 &
APP_PID=$!
if ! wait_http "$APP_URL/health" 120 "$APP_PID"; then
  tail -n 40 "$WORK/app.log" >&2
  die "the app did not come up on $APP_URL"
fi

# ---------------------------------------------------------------------------------------------------------------
# 3. An approved affiliate and a link, through the API
# ---------------------------------------------------------------------------------------------------------------
api() { # method path json expected-status -> body on stdout
  local body="$WORK/api.out" code
  code=$(curl -sS -o "$body" -w '%{http_code}' -X "$1" "$APP_URL$2" \
    -H "Authorization: Bearer $API_KEY" -H 'Content-Type: application/json' -d "$3") || die "$1 $2: no answer"
  [[ $code == "$4" ]] || { cat "$body" >&2; echo >&2; die "$1 $2 answered $code, expected $4"; }
  cat "$body"
}
json_field() { # field name -> first string value, from stdin
  if command -v jq >/dev/null; then jq -r ".$1"; else sed -n 's/.*"'"$1"'":"\([^"]*\)".*/\1/p' | head -n1; fi
}
AFFILIATE_ID=$(api POST /api/v1/affiliates '{"name":"Bench Affiliate","email":"bench-affiliate@example.com","referralCode":"bench"}' 201 | json_field id)
api POST "/api/v1/affiliates/$AFFILIATE_ID/approve" '{"reason":"benchmark"}' 200 >/dev/null
api PUT /api/v1/settings/program '{"allowedDestinationHosts":["shop.example.com"]}' 200 >/dev/null
CODE=$(api POST /api/v1/links "{\"affiliateId\":\"$AFFILIATE_ID\",\"destination\":\"https://shop.example.com/p\"}" 201 | json_field code)
[[ -n $AFFILIATE_ID && -n $CODE ]] || die "could not read the affiliate id or link code from the API"
APP_TARGET="$APP_URL/r/$CODE"

probe=$(curl -sS -o /dev/null -w '%{http_code} %{redirect_url}' -A "$UA" "$APP_TARGET")
[[ $probe == "302 https://shop.example.com/p?"* ]] || die "GET /r/$CODE answered '$probe', expected a 302 to shop.example.com"
PROBE_CLICKS=1
echo "Link /r/$CODE -> ${probe#302 }"

# ---------------------------------------------------------------------------------------------------------------
# 4. nginx baseline
# ---------------------------------------------------------------------------------------------------------------
NGINX_PORT=$(free_port)
NGINX_URL="http://127.0.0.1:$NGINX_PORT/r/$CODE"
mkdir -p "$WORK/nginx"
cat >"$WORK/nginx/nginx.conf" <<EOF
worker_processes $SERVER_CORES;
daemon off;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log warn;
events { worker_connections $(( CONNECTIONS * 2 > 1024 ? CONNECTIONS * 2 : 1024 )); }
http {
  access_log off;
  client_body_temp_path $WORK/nginx/client_body;
  proxy_temp_path $WORK/nginx/proxy;
  fastcgi_temp_path $WORK/nginx/fastcgi;
  uwsgi_temp_path $WORK/nginx/uwsgi;
  scgi_temp_path $WORK/nginx/scgi;
  server {
    listen 127.0.0.1:$NGINX_PORT;
    location / { return 302 https://shop.example.com/p?ref=x; }
  }
}
EOF
"${PIN_SERVER[@]}" nginx -e "$WORK/nginx/error.log" -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" >"$WORK/nginx/stdout.log" 2>&1 &
NGINX_PID=$!
wait_http "$NGINX_URL" 10 "$NGINX_PID" || { cat "$WORK/nginx/error.log" >&2; die "nginx did not start"; }

# ---------------------------------------------------------------------------------------------------------------
# 5. Load: warm up both, then alternating rounds (nginx, then the app), the app's writer caught up before each
# ---------------------------------------------------------------------------------------------------------------
HZ=$(getconf CLK_TCK 2>/dev/null || echo 100)
declare -A CPU
run_wrk() { # name url seconds [server pid]: also records the server's CPU seconds during the run
  local before=0
  [[ -z ${4:-} ]] || before=$(cpu_ticks "$4")
  "${PIN_CLIENT[@]}" wrk -t"$THREADS" -c"$CONNECTIONS" -d"$(( $3 + TAIL ))s" --latency \
    -H "User-Agent: $UA" -s "$LUA" "$2" -- "$3" >"$WORK/wrk-$1.txt" 2>&1 || true
  grep -q '^BENCH ' "$WORK/wrk-$1.txt" || { cat "$WORK/wrk-$1.txt" >&2; die "wrk ($1) gave no result"; }
  [[ -z ${4:-} ]] || CPU[$1]=$(awk -v t="$(( $(cpu_ticks "$4") - before ))" -v hz="$HZ" 'BEGIN { printf "%.2f", t / hz }')
}
# Waits until the app has stored `expected` clicks (or they stop growing for 15 s), so that its writer does not
# compete with the nginx run that follows. Sets STORED_NOW and WAITED_S.
wait_stored() { # expected
  local start=$SECONDS progress=$SECONDS last=-1 stored
  while read -r stored _ < <(click_counts) && [[ $stored -lt $1 ]]; do
    [[ $stored -eq $last ]] || { last=$stored; progress=$SECONDS; }
    (( SECONDS - progress < 15 )) || { echo "WARNING: the stored clicks stopped growing at $stored of $1"; break; }
    sleep 0.5
  done
  STORED_NOW=$stored
  WAITED_S=$(( SECONDS - start ))
}

echo "Warming up (${WARMUP}s each, -t$THREADS -c$CONNECTIONS)..."
run_wrk warmup-app "$APP_TARGET" "$WARMUP"
run_wrk warmup-nginx "$NGINX_URL" "$WARMUP"
WARM_302=$(bench_get "$WORK/wrk-warmup-app.txt" s302)
WARM_SENT=$(bench_get "$WORK/wrk-warmup-app.txt" sent)
EXPECTED_LO=$(( PROBE_CLICKS + WARM_302 )) # every answered redirect queued a click
EXPECTED_HI=$(( PROBE_CLICKS + WARM_SENT )) # at most one click per request sent
wait_stored "$EXPECTED_LO"
echo "Warm-up: $WARM_302 redirects; $STORED_NOW of $EXPECTED_LO clicks stored after ${WAITED_S}s"

declare -A R
read_result() { # name: the BENCH line of wrk-NAME.txt into R[name.key]
  local f="$WORK/wrk-$1.txt" k
  for k in sent done s2xx s302 s3xx s4xx s5xx inflight window rps p50_us p90_us p99_us max_us \
           err_connect err_read err_write err_timeout wrk_requests; do
    R[$1.$k]=$(bench_get "$f" "$k")
  done
  R[$1.errors]=$(( R[$1.err_connect] + R[$1.err_read] + R[$1.err_write] + R[$1.err_timeout] ))
  # wrk's own summary, for cross-checking: "N requests in Xs".
  R[$1.summary]=$(grep -Eo '^ *[0-9]+ requests in [0-9.]+[a-z]+' "$f" | sed 's/^ *//' || true)
}
per_request_us() { awk -v c="$1" -v n="$2" 'BEGIN { printf "%.1f", (n > 0 ? 1e6 * c / n : 0) }'; }

for ((round = 1; round <= ROUNDS; round++)); do
  if [[ $round -gt 1 ]]; then
    wait_stored "$EXPECTED_LO"
    R[app$(( round - 1 )).caughtup]=$WAITED_S
  fi
  echo "Round $round of $ROUNDS: nginx (${DURATION}s)..."
  run_wrk "nginx$round" "$NGINX_URL" "$DURATION" "$NGINX_PID"
  echo "Round $round of $ROUNDS: the app (${DURATION}s)..."
  run_wrk "app$round" "$APP_TARGET" "$DURATION" "$APP_PID"
  read_result "nginx$round"
  read_result "app$round"
  EXPECTED_LO=$(( EXPECTED_LO + R[app$round.s302] ))
  EXPECTED_HI=$(( EXPECTED_HI + R[app$round.sent] ))
  read -r stored _ < <(click_counts)
  R[app$round.backlog]=$(( EXPECTED_LO - stored ))
  R[round$round.ratio]=$(awk -v a="${R[app$round.rps]}" -v n="${R[nginx$round.rps]}" 'BEGIN { printf "%.1f", (n > 0 ? 100 * a / n : 0) }')
  echo "  nginx ${R[nginx$round.rps]} requests/s, the app ${R[app$round.rps]} requests/s: ${R[round$round.ratio]} %"
done

# ---------------------------------------------------------------------------------------------------------------
# 6. Stop the app gracefully right after its last round, with whatever its click queue still holds
# ---------------------------------------------------------------------------------------------------------------
QUEUED=${R[app$ROUNDS.backlog]}
echo "Stopping the app (SIGTERM) with $QUEUED clicks not yet stored..."
t0=$(date +%s.%N)
kill -TERM "$APP_PID"
APP_RC=""
for ((i = 0; i < SHUTDOWN_WAIT * 10; i++)); do
  if ! kill -0 "$APP_PID" 2>/dev/null; then APP_RC=0; wait "$APP_PID" || APP_RC=$?; break; fi
  sleep 0.1
done
STOP_S=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
if [[ -z $APP_RC ]]; then
  echo "The app did not exit within ${SHUTDOWN_WAIT}s of SIGTERM; killing it."
  kill -KILL "$APP_PID" 2>/dev/null || true; wait "$APP_PID" 2>/dev/null || true
fi
APP_PID=""
read -r STORED BOTS DUPS < <(click_counts)
echo "App exited with status ${APP_RC:-killed} after ${STOP_S}s; clicks stored: $STORED (bot-flagged $BOTS, duplicate-flagged $DUPS)"
if [[ $QUEUED -gt 0 ]]; then
  echo "  the writer stored the $QUEUED queued clicks at about $(awk -v q="$QUEUED" -v s="$STOP_S" 'BEGIN { printf "%.0f", (s > 0 ? q / s : 0) }') clicks/s during shutdown"
fi
# ---------------------------------------------------------------------------------------------------------------
# 7. Results: a row per round, totals, and the median round
# ---------------------------------------------------------------------------------------------------------------
# The median round by ratio (with an even number of rounds, the lower of the two middle ones).
MEDIAN_ROUND=$(for ((i = 1; i <= ROUNDS; i++)); do echo "${R[round$i.ratio]} $i"; done | sort -n -k1,1 | \
  awk -v n="$ROUNDS" 'NR == int((n + 1) / 2) { print $2 }')
RATIO=${R[round$MEDIAN_ROUND.ratio]}
declare -A T
for who in nginx app; do
  for k in done s302 s4xx s5xx errors inflight; do
    T[$who.$k]=0
    for ((i = 1; i <= ROUNDS; i++)); do T[$who.$k]=$(( T[$who.$k] + R[$who$i.$k] )); done
  done
  T[$who.cpu]=$(for ((i = 1; i <= ROUNDS; i++)); do echo "${CPU[$who$i]}"; done | awk '{ s += $1 } END { printf "%.2f", s }')
done

echo
echo "Redirect benchmark: wrk -t$THREADS -c$CONNECTIONS, $ROUNDS round(s) of ${DURATION}s per server, $SERVER_CORES server core(s)$([[ -n $SERVER_CPUS ]] && echo " (CPUs $SERVER_CPUS)"), $([[ -n $PG_CONN ]] && echo PostgreSQL || echo SQLite)"
rrow() { printf '  %-6s %12s %12s %9s %16s %16s %9s %9s %9s\n' "$@"; }
rrow "round" "nginx req/s" "app req/s" "app/nginx" "nginx p50/p99" "app p50/p99" "nginx us" "app us" "backlog"
for ((i = 1; i <= ROUNDS; i++)); do
  rrow "$i$([[ $i -eq $MEDIAN_ROUND ]] && echo '*')" "${R[nginx$i.rps]}" "${R[app$i.rps]}" "${R[round$i.ratio]}%" \
    "$(ms "${R[nginx$i.p50_us]}")/$(ms "${R[nginx$i.p99_us]}")" "$(ms "${R[app$i.p50_us]}")/$(ms "${R[app$i.p99_us]}")" \
    "$(per_request_us "${CPU[nginx$i]}" "${R[nginx$i.done]}")" "$(per_request_us "${CPU[app$i]}" "${R[app$i.done]}")" \
    "${R[app$i.backlog]}"
done
echo "  (latency in ms; us = server CPU per request in microseconds; backlog = the app's clicks not yet stored when its round ended;"
echo "   * = the median round)"
row() { printf '  %-28s %16s %16s\n' "$@"; }
echo
row "all rounds" "nginx" "ShopAffiliate"
row "requests completed" "${T[nginx.done]}" "${T[app.done]}"
row "  of which 302" "${T[nginx.s302]}" "${T[app.s302]}"
row "non-2xx/3xx responses" "$(( T[nginx.s4xx] + T[nginx.s5xx] ))" "$(( T[app.s4xx] + T[app.s5xx] ))"
row "socket errors" "${T[nginx.errors]}" "${T[app.errors]}"
row "in flight at the end" "${T[nginx.inflight]}" "${T[app.inflight]}"
row "server CPU (core-seconds)" "${T[nginx.cpu]}" "${T[app.cpu]}"
row "server CPU per request (us)" "$(per_request_us "${T[nginx.cpu]}" "${T[nginx.done]}")" "$(per_request_us "${T[app.cpu]}" "${T[app.done]}")"
for ((i = 1; i <= ROUNDS; i++)); do row "wrk summary, round $i" "${R[nginx$i.summary]}" "${R[app$i.summary]}"; done
for ((i = 1; i < ROUNDS; i++)); do
  echo "  after round $i the app's writer stored its backlog of ${R[app$i.backlog]} clicks in ${R[app$i.caughtup]}s before the next nginx run"
done
RATIOS=$(for ((i = 1; i <= ROUNDS; i++)); do printf '%s%s%%' "$([[ $i -gt 1 ]] && echo ', ')" "${R[round$i.ratio]}"; done)
echo "  app / nginx throughput: $RATIO % (median of $ROUNDS round(s): $RATIOS)"

# Problems the app logged: count per level; show the categories of errors and anything about the click writer.
for level in warn fail crit; do
  n=$(grep -c "^$level: " "$WORK/app.log" || true)
  [[ $n -eq 0 ]] || echo "  app log: $n '$level' entries: $(grep "^$level: " "$WORK/app.log" | sed "s/^$level: //" | sort | uniq -c | sort -rn | head -n 4 | awk '{ printf "%s%s x%s", (NR > 1 ? "; " : ""), $2, $1 }')"
done
grep -A2 -E '^(fail|crit): |^warn: ShopAffiliate' "$WORK/app.log" | cut -c1-200 | head -n 24 | sed 's/^/    /' || true

echo
RC=0
if [[ $EXPECTED_LO -eq $EXPECTED_HI ]]; then
  how="expected exactly $EXPECTED_LO = 1 probe + $WARM_302 warm-up + ${T[app.s302]} measured redirects"
  [[ $STORED -eq $EXPECTED_LO ]] && ok=1 || ok=0
else
  how="expected $EXPECTED_LO..$EXPECTED_HI: $(( EXPECTED_HI - EXPECTED_LO )) requests were sent but not answered with a 302 (in flight or failed), each may or may not have stored a click"
  [[ $STORED -ge $EXPECTED_LO && $STORED -le $EXPECTED_HI ]] && ok=1 || ok=0
fi
if [[ $ok -eq 1 && $APP_RC == 0 ]]; then
  echo "PASS every click stored: $STORED stored; $how"
else
  echo "FAIL every click stored: $STORED stored ($(( EXPECTED_LO - STORED )) missing); $how; app exit status ${APP_RC:-killed}"
  RC=1
fi
if awk -v r="$RATIO" -v t="$TARGET" 'BEGIN { exit !(r >= t) }'; then
  echo "PASS throughput >= $TARGET% of nginx: $RATIO%, the median of $ROUNDS round(s): $RATIOS"
else
  echo "FAIL throughput >= $TARGET% of nginx: $RATIO%, the median of $ROUNDS round(s): $RATIOS$([[ $STRICT -eq 1 ]] || echo "; reported only (use --strict to fail)")"
  [[ $STRICT -eq 0 || $RC -ne 0 ]] || RC=2
fi

cpu=$(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2 | sed 's/^ *//' || true)
echo
echo "Row for README.md (Recorded figures):"
printf '| %s | %s | %s, %s cores | -t%s -c%s, %s x %ss | %s | %s | %s | %s | %s / %s | %s / %s | %s / %s |\n' \
  "$(date +%F)" \
  "$BUILD" \
  "${cpu:-?}" "$SERVER_CORES" "$THREADS" "$CONNECTIONS" "$ROUNDS" "$DURATION" "$([[ -n $PG_CONN ]] && echo PostgreSQL || echo SQLite)" \
  "${R[nginx$MEDIAN_ROUND.rps]%.*}" "${R[app$MEDIAN_ROUND.rps]%.*}" "$RATIO% (median; $RATIOS)" \
  "$(ms "${R[nginx$MEDIAN_ROUND.p50_us]}")" "$(ms "${R[nginx$MEDIAN_ROUND.p99_us]}")" "$(ms "${R[app$MEDIAN_ROUND.p50_us]}")" "$(ms "${R[app$MEDIAN_ROUND.p99_us]}")" \
  "$STORED" "$EXPECTED_LO"
exit $RC
