#!/usr/bin/env bash
# Redirect benchmark: ShopAffiliate's GET /r/{code} against an nginx `return 302` baseline, same machine, same run,
# then a graceful stop of the app and a count of the stored clicks. See README.md next to this file.
#
#   tests/ShopAffiliate.Benchmarks/run.sh [-t 2] [-c 64] [-d 20] [--warmup 5] [--postgres CONNSTRING] [--strict] ...
#
# Exit status: 0 all good; 1 clicks were lost (or the app did not stop cleanly); 2 throughput below the target with
# --strict; 3 the benchmark could not run (set-up failed).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
LUA="$HERE/redirect.lua"

THREADS=2
CONNECTIONS=64
DURATION=20
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
  -d, --duration SECONDS   measured seconds per server (default $DURATION; "20s" works too)
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

die() { echo "ERROR: $*" >&2; exit 3; }
seconds() { local v=${1%s}; [[ $v =~ ^[0-9]+$ && $v -gt 0 ]] || die "expected whole seconds, got '$1'"; echo "$v"; }
count() { [[ $1 =~ ^[0-9]+$ && $1 -gt 0 ]] || die "expected a positive number, got '$1'"; echo "$1"; }

while [[ $# -gt 0 ]]; do
  case $1 in
    -t|--threads) THREADS=$(count "${2:?}"); shift 2 ;;
    -c|--connections) CONNECTIONS=$(count "${2:?}"); shift 2 ;;
    -d|--duration) DURATION=$(seconds "${2:?}"); shift 2 ;;
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
stop_pid() { # pid signal seconds: signal, wait, then SIGKILL
  local pid=$1 sig=$2 wait_s=$3 i
  [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null || return 0
  kill "-$sig" "$pid" 2>/dev/null || true
  for ((i = 0; i < wait_s * 10; i++)); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
}
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

free_port() { # a port nobody listens on (tiny race with other programs: acceptable here)
  local p
  for _ in $(seq 1 500); do
    p=$(( 20000 + RANDOM % 40000 ))
    [[ $p != "${APP_PORT:-}" ]] || continue
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return; fi
  done
  die "no free port found"
}
wait_http() { # url seconds pid
  local i
  for ((i = 0; i < $2 * 5; i++)); do
    curl -s -o /dev/null --max-time 2 "$1" && return 0
    kill -0 "$3" 2>/dev/null || return 1
    sleep 0.2
  done
  return 1
}
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
bench_get() { grep -o " $2=[^ ]*" "$1" | head -n1 | cut -d= -f2; } # file key -> value from the BENCH line
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
  # Npgsql "Host=..;Port=..;Database=..;Username=..;Password=.." -> libpq environment for psql.
  IFS=';' read -ra parts <<<"$PG_CONN"
  for part in "${parts[@]}"; do
    [[ $part == *=* ]] || continue
    key=$(tr -d ' ' <<<"${part%%=*}" | tr '[:upper:]' '[:lower:]'); val=${part#*=}
    case $key in
      host|server) PSQL_ENV+=("PGHOST=$val") ;;
      port) PSQL_ENV+=("PGPORT=$val") ;;
      database|db) PSQL_ENV+=("PGDATABASE=$val") ;;
      username|user|userid|userName) PSQL_ENV+=("PGUSER=$val") ;;
      password|pwd) PSQL_ENV+=("PGPASSWORD=$val") ;;
      sslmode) PSQL_ENV+=("PGSSLMODE=$(tr '[:upper:]' '[:lower:]' <<<"$val")") ;;
    esac
  done
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
# 5. Load: warm up both, let the app's writer catch up, then measure nginx, then the app
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

echo "Warming up (${WARMUP}s each, -t$THREADS -c$CONNECTIONS)..."
run_wrk warmup-app "$APP_TARGET" "$WARMUP"
run_wrk warmup-nginx "$NGINX_URL" "$WARMUP"
WARM_302=$(bench_get "$WORK/wrk-warmup-app.txt" s302)
WARM_SENT=$(bench_get "$WORK/wrk-warmup-app.txt" sent)
WARM_EXPECTED=$(( PROBE_CLICKS + WARM_302 ))
# Wait for the writer to store the warm-up clicks, so it does not compete with the nginx run.
start=$SECONDS; progress=$SECONDS; last=-1
while read -r stored _ < <(click_counts) && [[ $stored -lt $WARM_EXPECTED ]]; do
  [[ $stored -eq $last ]] || { last=$stored; progress=$SECONDS; }
  (( SECONDS - progress < 15 )) || { echo "WARNING: the stored clicks stopped growing at $stored of $WARM_EXPECTED"; break; }
  sleep 0.5
done
echo "Warm-up: $WARM_302 redirects; $stored of $WARM_EXPECTED clicks stored after $(( SECONDS - start ))s"

echo "Measuring nginx (${DURATION}s)..."
run_wrk nginx "$NGINX_URL" "$DURATION" "$NGINX_PID"
echo "Measuring the app (${DURATION}s)..."
run_wrk app "$APP_TARGET" "$DURATION" "$APP_PID"

# ---------------------------------------------------------------------------------------------------------------
# 6. Results
# ---------------------------------------------------------------------------------------------------------------
declare -A R
for who in nginx app; do
  f="$WORK/wrk-$who.txt"
  for k in sent done s2xx s302 s3xx s4xx s5xx inflight window rps p50_us p90_us p99_us max_us \
           err_connect err_read err_write err_timeout wrk_requests; do
    R[$who.$k]=$(bench_get "$f" "$k")
  done
  # wrk's own summary, for cross-checking: "N requests in Xs", "Non-2xx or 3xx responses: N".
  R[$who.summary]=$(grep -Eo '^ *[0-9]+ requests in [0-9.]+[a-z]+' "$f" | sed 's/^ *//' || true)
  R[$who.non23]=$(grep -Eo 'Non-2xx or 3xx responses: [0-9]+' "$f" | grep -Eo '[0-9]+$' || echo 0)
  R[$who.errors]=$(( R[$who.err_connect] + R[$who.err_read] + R[$who.err_write] + R[$who.err_timeout] ))
done

row() { printf '  %-28s %16s %16s\n' "$@"; }
echo
echo "Redirect benchmark: wrk -t$THREADS -c$CONNECTIONS, ${DURATION}s measured, $SERVER_CORES server core(s)$([[ -n $SERVER_CPUS ]] && echo " (CPUs $SERVER_CPUS)"), $([[ -n $PG_CONN ]] && echo PostgreSQL || echo SQLite)"
row "" "nginx" "ShopAffiliate"
row "requests/s" "${R[nginx.rps]}" "${R[app.rps]}"
row "latency p50 (ms)" "$(ms "${R[nginx.p50_us]}")" "$(ms "${R[app.p50_us]}")"
row "latency p90 (ms)" "$(ms "${R[nginx.p90_us]}")" "$(ms "${R[app.p90_us]}")"
row "latency p99 (ms)" "$(ms "${R[nginx.p99_us]}")" "$(ms "${R[app.p99_us]}")"
row "latency max (ms)" "$(ms "${R[nginx.max_us]}")" "$(ms "${R[app.max_us]}")"
row "requests completed" "${R[nginx.done]}" "${R[app.done]}"
row "  of which 302" "${R[nginx.s302]}" "${R[app.s302]}"
row "non-2xx/3xx responses" "$(( R[nginx.s4xx] + R[nginx.s5xx] ))" "$(( R[app.s4xx] + R[app.s5xx] ))"
row "socket errors" "${R[nginx.errors]}" "${R[app.errors]}"
row "in flight at the end" "${R[nginx.inflight]}" "${R[app.inflight]}"
row "server CPU (core-seconds)" "${CPU[nginx]}" "${CPU[app]}"
row "server CPU per request (us)" "$(awk -v c="${CPU[nginx]}" -v n="${R[nginx.done]}" 'BEGIN { printf "%.1f", (n > 0 ? 1e6 * c / n : 0) }')" \
    "$(awk -v c="${CPU[app]}" -v n="${R[app.done]}" 'BEGIN { printf "%.1f", (n > 0 ? 1e6 * c / n : 0) }')"
row "wrk summary" "${R[nginx.summary]}" "${R[app.summary]}"
RATIO=$(awk -v a="${R[app.rps]}" -v n="${R[nginx.rps]}" 'BEGIN { printf "%.1f", (n > 0 ? 100 * a / n : 0) }')
echo "  app / nginx throughput: $RATIO %"

# ---------------------------------------------------------------------------------------------------------------
# 7. Stop the app gracefully and count the clicks
# ---------------------------------------------------------------------------------------------------------------
read -r before _ < <(click_counts)
EXPECTED_LO=$(( PROBE_CLICKS + WARM_302 + R[app.s302] ))      # every answered redirect queued a click
EXPECTED_HI=$(( PROBE_CLICKS + WARM_SENT + R[app.sent] ))     # at most one click per request sent
echo
echo "Stopping the app (SIGTERM) with $(( EXPECTED_LO - before )) clicks not yet stored..."
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
QUEUED=$(( EXPECTED_LO - before ))
if [[ $QUEUED -gt 0 ]]; then
  echo "  the writer stored the $QUEUED queued clicks at about $(awk -v q="$QUEUED" -v s="$STOP_S" 'BEGIN { printf "%.0f", (s > 0 ? q / s : 0) }') clicks/s during shutdown"
fi
# Problems the app logged: count per level; show the categories of errors and anything about the click writer.
for level in warn fail crit; do
  n=$(grep -c "^$level: " "$WORK/app.log" || true)
  [[ $n -eq 0 ]] || echo "  app log: $n '$level' entries: $(grep "^$level: " "$WORK/app.log" | sed "s/^$level: //" | sort | uniq -c | sort -rn | head -n 4 | awk '{ printf "%s%s x%s", (NR > 1 ? "; " : ""), $2, $1 }')"
done
grep -A2 -E '^(fail|crit): |^warn: ShopAffiliate' "$WORK/app.log" | cut -c1-200 | head -n 24 | sed 's/^/    /' || true

echo
RC=0
if [[ $EXPECTED_LO -eq $EXPECTED_HI ]]; then
  how="expected exactly $EXPECTED_LO = 1 probe + $WARM_302 warm-up + ${R[app.s302]} measured redirects"
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
  echo "PASS throughput >= $TARGET% of nginx: $RATIO% (${R[app.rps]} vs ${R[nginx.rps]} requests/s)"
else
  echo "FAIL throughput >= $TARGET% of nginx: $RATIO% (${R[app.rps]} vs ${R[nginx.rps]} requests/s)$([[ $STRICT -eq 1 ]] || echo "; reported only (use --strict to fail)")"
  [[ $STRICT -eq 0 || $RC -ne 0 ]] || RC=2
fi

cpu=$(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2 | sed 's/^ *//' || true)
echo
echo "Row for README.md (Recorded figures):"
printf '| %s | %s | %s, %s cores | -t%s -c%s -d%ss | %s | %s | %s | %s | %s / %s | %s / %s | %s / %s |\n' \
  "$(date +%F)" \
  "$BUILD" \
  "${cpu:-?}" "$SERVER_CORES" "$THREADS" "$CONNECTIONS" "$DURATION" "$([[ -n $PG_CONN ]] && echo PostgreSQL || echo SQLite)" \
  "${R[nginx.rps]%.*}" "${R[app.rps]%.*}" "$RATIO%" \
  "$(ms "${R[nginx.p50_us]}")" "$(ms "${R[nginx.p99_us]}")" "$(ms "${R[app.p50_us]}")" "$(ms "${R[app.p99_us]}")" \
  "$STORED" "$EXPECTED_LO"
exit $RC
