#!/usr/bin/env bash
# Reports benchmark: seeds a year of raw clicks, orders and ledger entries with SQL, lets the rollup worker build the
# rollups (and reports how long that took), then times each report route cold (its first request) and warm and prints
# p50/p95 per route. See README.md.
#
#   tests/ShopAffiliate.Benchmarks/reports.sh [--postgres [CONNSTRING]] [--clicks 1000000] [--orders 100000] ...
#
# Exit status: 0 all good; 2 a target missed with --strict; 3 the benchmark could not run.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
# shellcheck source=lib.sh
source "$HERE/lib.sh"

CLICKS=1000000
ORDERS=100000
AFFILIATES=10000
REQUESTS=50
POSTGRES=0
PG_CONN=""
STRICT=0
KEEP=0
ROLLUP_WAIT=3600
P95_TARGET_MS=50
APP_DIR=""

usage() {
  cat <<USAGE
Usage: $0 [options]
  --postgres [CONNSTR]   use PostgreSQL: an EMPTY database given as an Npgsql connection string, or, without one,
                         a throwaway server started from Debian's binaries in the temp folder
  --clicks N             raw clicks over the year (default $CLICKS; every 20th a bot, every 10th a repeat)
  --orders N             attributed orders over the year, each with its commission (default $ORDERS; every 25th partly refunded)
  --affiliates N         affiliates (default $AFFILIATES)
  --requests N           warm requests per route (default $REQUESTS)
  --rollup-wait S        how long to wait for the rollup worker (default $ROLLUP_WAIT)
  --app-dir DIR          an existing dotnet publish output (skips the publish)
  --strict               exit 2 when a p95 is over ${P95_TARGET_MS} ms
  --keep                 keep the temp folder and print its path
  -h, --help             this text
USAGE
}
while [[ $# -gt 0 ]]; do
  case $1 in
    --postgres) POSTGRES=1; if [[ ${2:-} == *=* ]]; then PG_CONN=$2; shift; fi; shift ;;
    --clicks) CLICKS=$(count "${2:?}"); shift 2 ;;
    --orders) ORDERS=$(count "${2:?}"); shift 2 ;;
    --affiliates) AFFILIATES=$(count "${2:?}"); shift 2 ;;
    --requests) REQUESTS=$(count "${2:?}"); shift 2 ;;
    --rollup-wait) ROLLUP_WAIT=$(count "${2:?}"); shift 2 ;;
    --app-dir) APP_DIR=${2:?}; shift 2 ;;
    --strict) STRICT=1; shift ;;
    --keep) KEEP=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown option '$1'" ;;
  esac
done

# ---------------------------------------------------------------------------------------------------------------
# 1. Tools
# ---------------------------------------------------------------------------------------------------------------
missing=(curl python3)
if [[ $POSTGRES -eq 1 ]]; then
  missing+=(psql:postgresql-client)
  [[ -n $PG_CONN ]] || missing+=(initdb:postgresql)
else missing+=(sqlite3); fi
install_missing "${missing[@]}"
command -v dotnet >/dev/null || die "the .NET SDK (dotnet) is needed"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/sa-reports.XXXXXX")
chmod 755 "$WORK"
APP_PID="" PG_DIR="" PG_BIN=""
cleanup() {
  local rc=$?
  stop_pid "$APP_PID" TERM 30
  [[ -z $PG_DIR ]] || as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR" -m immediate stop >/dev/null 2>&1 || true
  if [[ $KEEP -eq 1 ]]; then echo "Kept: $WORK"; else rm -rf "$WORK"; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ---------------------------------------------------------------------------------------------------------------
# 2. Database: a temp SQLite file, the given PostgreSQL database, or a throwaway PostgreSQL server
# ---------------------------------------------------------------------------------------------------------------
if [[ $POSTGRES -eq 1 && -z $PG_CONN ]]; then
  throwaway_postgres "$WORK/pg" # sets PG_BIN, PG_DIR and PG_CONN
fi
if [[ $POSTGRES -eq 1 ]]; then
  declare -a PSQL_ENV=()
  pg_env "$PG_CONN"
  sql() { env "${PSQL_ENV[@]}" psql -XAtq -v ON_ERROR_STOP=1 -c "$1"; }
  sql 'SELECT 1' >/dev/null || die "cannot connect to PostgreSQL"
  [[ $(sql "SELECT to_regclass('public.\"Workspaces\"') IS NULL") == t ]] || die "the PostgreSQL database is not empty"
  DB_ENV=(Database__Provider=Postgres "ConnectionStrings__Postgres=$PG_CONN")
  DB_NAME=PostgreSQL
else
  DB_FILE="$WORK/bench.db"
  sql() { sqlite3 -cmd '.timeout 30000' "$DB_FILE" "$1"; }
  DB_ENV=(Database__Provider=Sqlite "ConnectionStrings__Sqlite=Data Source=$DB_FILE")
  DB_NAME=SQLite
fi

# ---------------------------------------------------------------------------------------------------------------
# 3. Publish; start the app once to create the schema and the program
# ---------------------------------------------------------------------------------------------------------------
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
if [[ -z $APP_DIR ]]; then
  echo "Publishing the app (Release)..."
  APP_DIR="$WORK/app"
  dotnet publish "$REPO/src/ShopAffiliate.Web" -c Release -o "$APP_DIR" -v quiet -nologo >"$WORK/publish.log" 2>&1 \
    || { tail -n 40 "$WORK/publish.log" >&2; die "dotnet publish of the app failed"; }
fi
API_KEY="sa_bench_$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')"
# One key-encryption key for the run: the app starts twice (schema, then after seeding) and must open its own key ring.
KEK=$(head -c 32 /dev/urandom | base64)
APP_PORT=$(free_port); APP_URL="http://127.0.0.1:$APP_PORT"
start_app() {
  (
    cd "$WORK"
    exec env ASPNETCORE_URLS="$APP_URL" ASPNETCORE_ENVIRONMENT=Production Logging__LogLevel__Default=Warning \
      DataProtection__KeyEncryptionKey="$KEK" \
      App__PublicBaseUrl="$APP_URL" "${DB_ENV[@]}" "${BENCH_MAILERS_OFF[@]}" \
      Bootstrap__OwnerEmail=bench@example.com Bootstrap__OwnerPassword="bench-$API_KEY" \
      Bootstrap__WorkspaceName=Benchmark Bootstrap__ApiKey="$API_KEY" Bootstrap__Currency=DKK \
      dotnet "$APP_DIR/ShopAffiliate.Web.dll"
  ) >>"$WORK/app.log" 2>&1 &
  APP_PID=$!
  wait_http "$APP_URL/health" 300 "$APP_PID" || { tail -n 40 "$WORK/app.log" >&2; die "the app did not come up"; }
}
api() { # method path json expected-status -> body on stdout
  local body="$WORK/api.out" code
  code=$(curl -sS -o "$body" -w '%{http_code}' -X "$1" "$APP_URL$2" -H "Authorization: Bearer $API_KEY" \
    -H 'Content-Type: application/json' -d "$3") || die "$1 $2: no answer"
  [[ $code == "$4" ]] || { cat "$body" >&2; die "$1 $2 answered $code, expected $4"; }
  cat "$body"
}
echo "Starting the app on $APP_URL ($DB_NAME) to create the schema..."
start_app
api PUT /api/v1/settings/program '{"timeZone":"Europe/Copenhagen"}' 200 >/dev/null
stop_pid "$APP_PID" TERM 60; APP_PID=""
WORKSPACE_ID=$(sql 'SELECT "Id" FROM "Workspaces"')

# ---------------------------------------------------------------------------------------------------------------
# 4. Seed raw rows with SQL (the app is stopped): affiliates, one DKK shop, clicks, orders and their ledger entries
#    over the 365 days from 2025-12-01 (UTC). Ids are made from the row number so that rows can refer to each other.
# ---------------------------------------------------------------------------------------------------------------
echo "Seeding $AFFILIATES affiliates, $CLICKS clicks and $ORDERS orders with commissions..."
SEED_START=$(date +%s.%N)
YEAR=31536000
if [[ $POSTGRES -eq 1 ]]; then
  id() { echo "('$1-0000-4000-8000-' || lpad(to_hex($2), 12, '0'))::uuid"; }
  # bigint: i * seconds-per-year and i * 104729 pass 2^31 at these scales.
  series() { echo "generate_series(0::bigint, $1 - 1) AS s(i)"; }
  at() { echo "(timestamptz '2025-12-01 00:00:00+00' + make_interval(secs => $1))"; }
  money() { echo "round(($1)::numeric, 2)"; }
  TRUE=true FALSE=false
else
  id() { echo "('$1-0000-4000-8000-' || printf('%012X', $2))"; }
  series() { echo "(WITH RECURSIVE r(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM r WHERE i < $1 - 1) SELECT i FROM r) AS s"; }
  at() { echo "strftime('%Y-%m-%d %H:%M:%S', 1764547200 + ($1), 'unixepoch')"; }
  money() { echo "printf('%.2f', $1)"; }
  TRUE=1 FALSE=0
fi
SHOP_ID=$(id 00000009 0)
# The engine's stored state of each order (what the product rollups read): one line of one of $PRODUCTS products, the
# line's revenue and its 10 % commission (written with integer arithmetic, so both databases give exact decimals).
PRODUCTS=500
STATE_JSON="'{\"Key\":{\"ShopId\":{\"Value\":\"' || $SHOP_ID || '\"},\"ExternalOrderId\":{\"Value\":\"b' || i || '\"}},\"Revision\":1,'
  || '\"Order\":{\"ShopId\":{\"Value\":\"' || $SHOP_ID || '\"},\"ExternalOrderId\":{\"Value\":\"b' || i || '\"},\"Currency\":\"DKK\",'
  || '\"Lines\":[{\"LineId\":\"L1\",\"ProductId\":\"' || (i % $PRODUCTS) || '\",\"CollectionIds\":[],\"Quantity\":1,'
  || '\"NetRevenue\":' || (100 + i % 900) || ',\"Tax\":0,\"Title\":\"Product ' || (i % $PRODUCTS) || '\"}],\"DiscountCodes\":[],\"Touches\":[]},'
  || '\"Quote\":{\"Currency\":\"DKK\",\"Lines\":[{\"LineId\":\"L1\",\"Basis\":' || (100 + i % 900) || ','
  || '\"Amount\":{\"Amount\":' || ((100 + i % 900) / 10) || '.' || ((100 + i % 900) % 10) || ',\"Currency\":\"DKK\"},'
  || '\"SecondTierAmount\":{\"Amount\":0,\"Currency\":\"DKK\"}}],\"Applications\":[],\"Explanation\":\"benchmark\"},'
  || '\"Refunds\":[],\"Decisions\":[],\"Commissions\":[]}'"
sql "INSERT INTO \"Shops\" (\"Id\", \"WorkspaceId\", \"Platform\", \"Domain\", \"Name\", \"Currency\", \"Status\", \"PlainPermalinks\", \"CreatedAt\", \"UpdatedAt\")
     VALUES ($SHOP_ID, '$WORKSPACE_ID', 'Shopify', 'bench-shop.myshopify.com', 'Bench shop', 'DKK', 'Active', $FALSE, $(at 0), $(at 0))" >/dev/null
sql "INSERT INTO \"Affiliates\" (\"Id\", \"WorkspaceId\", \"Name\", \"Email\", \"ReferralCode\", \"Status\", \"CreatedAt\", \"UpdatedAt\")
     SELECT $(id 00000001 i), '$WORKSPACE_ID', 'Affiliate ' || i, 'a' || i || '@example.com', 'a' || i, 'Approved', $(at 0), $(at 0)
     FROM $(series "$AFFILIATES")" >/dev/null
sql "INSERT INTO \"Clicks\" (\"Id\", \"WorkspaceId\", \"AffiliateId\", \"LinkId\", \"ReferralCode\", \"SubId\", \"At\", \"Source\", \"IsBot\", \"IsDuplicate\")
     SELECT $(id 00000003 i), '$WORKSPACE_ID', $(id 00000001 "(i * 7919) % $AFFILIATES"), NULL, 'a' || ((i * 7919) % $AFFILIATES),
            CASE WHEN i % 3 = 0 THEN 'campaign' || (i % 50) END, $(at "(i * $YEAR / $CLICKS)"), 'Redirect',
            CASE WHEN i % 20 = 0 THEN $TRUE ELSE $FALSE END, CASE WHEN i % 10 = 1 THEN $TRUE ELSE $FALSE END
     FROM $(series "$CLICKS")" >/dev/null
sql "INSERT INTO \"Orders\" (\"Id\", \"WorkspaceId\", \"ShopId\", \"ExternalId\", \"HasOrder\", \"Number\", \"PlacedAt\", \"PlatformUpdatedAt\", \"Currency\",
       \"State\", \"IsTest\", \"NetRevenue\", \"RefundedAmount\", \"RefundsFromTotals\", \"AffiliateId\", \"AttributionMethod\", \"AttributionExplanation\",
       \"StateJson\", \"Revision\", \"ReceivedAt\", \"UpdatedAt\")
     SELECT $(id 00000002 i), '$WORKSPACE_ID', $SHOP_ID, 'b' || i, $TRUE, '#' || i, $(at "(i * $YEAR / $ORDERS)"), $(at "(i * $YEAR / $ORDERS)"), 'DKK',
            'Paid', $FALSE, $(money "100 + i % 900"), $(money "CASE WHEN i % 25 = 0 THEN 50 ELSE 0 END"), $FALSE,
            $(id 00000001 "(i * 104729) % $AFFILIATES"), 'Link', 'benchmark', $STATE_JSON, 1, $(at "(i * $YEAR / $ORDERS)"), $(at "(i * $YEAR / $ORDERS)")
     FROM $(series "$ORDERS")" >/dev/null
sql "INSERT INTO \"Ledger\" (\"WorkspaceId\", \"Key\", \"AffiliateId\", \"OrderId\", \"Tier\", \"Kind\", \"Bucket\", \"Amount\", \"Currency\", \"At\", \"Description\")
     SELECT '$WORKSPACE_ID', 'bench:' || i, $(id 00000001 "(i * 104729) % $AFFILIATES"), $(id 00000002 i), 1, 'Earned', 'Pending',
            $(money "(100 + i % 900) * 0.1"), 'DKK', $(at "(i * $YEAR / $ORDERS)"), 'benchmark'
     FROM $(series "$ORDERS")" >/dev/null
sql "INSERT INTO \"Ledger\" (\"WorkspaceId\", \"Key\", \"AffiliateId\", \"OrderId\", \"Tier\", \"Kind\", \"Bucket\", \"Amount\", \"Currency\", \"At\", \"Description\")
     SELECT '$WORKSPACE_ID', 'bench:r:' || i, $(id 00000001 "(i * 104729) % $AFFILIATES"), $(id 00000002 i), 1, 'Adjusted', 'Pending',
            $(money "-5"), 'DKK', $(at "(i * $YEAR / $ORDERS + 86400)"), 'benchmark refund'
     FROM $(series "$ORDERS") WHERE i % 25 = 0" >/dev/null
[[ $POSTGRES -eq 1 ]] && sql 'ANALYZE' >/dev/null
SEEDED=$(awk -v a="$SEED_START" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
echo "Seeded in ${SEEDED}s."

# ---------------------------------------------------------------------------------------------------------------
# 5. Start the app again and time the rollup worker until both watermarks have passed every row
# ---------------------------------------------------------------------------------------------------------------
if [[ $POSTGRES -eq 1 ]]; then
  left() { sql "SELECT (SELECT count(*) FROM \"Clicks\" c WHERE NOT EXISTS (SELECT 1 FROM \"RollupWatermarks\" w WHERE w.\"Source\" = 'clicks'
                  AND (c.\"RollupTx\", c.\"Id\") <= (w.\"Position\", CASE WHEN w.\"LastKey\" = '' THEN '00000000-0000-0000-0000-000000000000' ELSE w.\"LastKey\" END::uuid)))
             + (SELECT count(*) FROM \"Ledger\" l WHERE NOT EXISTS (SELECT 1 FROM \"RollupWatermarks\" w WHERE w.\"Source\" = 'ledger'
                  AND (l.\"RollupTx\", l.\"Id\") <= (w.\"Position\", CASE WHEN w.\"LastKey\" = '' THEN 0 ELSE w.\"LastKey\"::bigint END)))"; }
else
  left() { sql "SELECT (SELECT count(*) FROM \"Clicks\" WHERE rowid > COALESCE((SELECT \"Position\" FROM \"RollupWatermarks\" WHERE \"Source\" = 'clicks'), 0))
             + (SELECT count(*) FROM \"Ledger\" WHERE \"Id\" > COALESCE((SELECT \"Position\" FROM \"RollupWatermarks\" WHERE \"Source\" = 'ledger'), 0))"; }
fi
ROLLUP_START=$(date +%s.%N)
start_app
for ((i = 0; ; i++)); do
  remaining=$(left)
  [[ $remaining -eq 0 ]] && break
  (( i < ROLLUP_WAIT )) || die "the rollup worker still had $remaining rows to read after ${ROLLUP_WAIT}s"
  (( i % 30 == 0 )) && echo "  rollup worker: $remaining rows to read"
  sleep 1
done
ROLLED=$(awk -v a="$ROLLUP_START" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
ROWS=$(sql 'SELECT count(*) FROM "DailyRollups"')
echo "Rollups built in ${ROLLED}s (app start included): $ROWS rollup rows."

# ---------------------------------------------------------------------------------------------------------------
# 6. Time each route: the first request (cold) and $REQUESTS more (warm)
# ---------------------------------------------------------------------------------------------------------------
AFF=$(sql "SELECT \"AffiliateId\" FROM \"DailyRollups\" WHERE \"AffiliateId\" <> '00000000-0000-0000-0000-000000000000' LIMIT 1")
ROUTES=(
  "summary (year)|/api/v1/reports/summary?from=2025-12-01&to=2026-11-30"
  "summary (30 days)|/api/v1/reports/summary?from=2026-11-01&to=2026-11-30"
  "summary (one affiliate, year)|/api/v1/reports/summary?from=2025-12-01&to=2026-11-30&affiliateId=$AFF"
  "timeseries (year by day)|/api/v1/reports/timeseries?metric=revenue&groupBy=day&from=2025-12-01&to=2026-11-30"
  "top-20 affiliates (30 days)|/api/v1/reports/top?by=affiliate&metric=commission&limit=20&from=2026-11-01&to=2026-11-30"
  "top-20 affiliates (year)|/api/v1/reports/top?by=affiliate&metric=commission&limit=20&from=2025-12-01&to=2026-11-30"
  "top-20 affiliates (30 days across months)|/api/v1/reports/top?by=affiliate&metric=commission&limit=20&from=2026-10-17&to=2026-11-15"
  "top-20 affiliates (year, mid-month to mid-month)|/api/v1/reports/top?by=affiliate&metric=commission&limit=20&from=2025-12-15&to=2026-11-14"
  "top-20 affiliates by EPC (year)|/api/v1/reports/top?by=affiliate&metric=epc&limit=20&from=2025-12-01&to=2026-11-30"
  "top-20 products (year)|/api/v1/reports/top?by=product&metric=revenue&limit=20&from=2025-12-01&to=2026-11-30"
  "top-20 products (year, mid-month to mid-month)|/api/v1/reports/top?by=product&metric=revenue&limit=20&from=2025-12-15&to=2026-11-14"
  "summary csv (year)|/api/v1/reports/summary?from=2025-12-01&to=2026-11-30&format=csv"
)
printf '\n%-48s %10s %10s %10s   (%s, %s clicks, %s orders, %s affiliates; %s warm requests)\n' route cold_ms p50_ms p95_ms "$DB_NAME" "$CLICKS" "$ORDERS" "$AFFILIATES" "$REQUESTS"
MISSED=0
for route in "${ROUTES[@]}"; do
  name=${route%%|*}; path=${route#*|}
  get() { curl -sS -o "$WORK/route.out" -w '%{http_code} %{time_total}\n' -H "Authorization: Bearer $API_KEY" "$APP_URL$path"; }
  read -r code cold < <(get)
  [[ $code == 200 ]] || { cat "$WORK/route.out" >&2; die "$path answered $code"; }
  : >"$WORK/times"
  for ((r = 0; r < REQUESTS; r++)); do get | awk '{ print $2 }' >>"$WORK/times"; done
  read -r p50 p95 < <(sort -g "$WORK/times" | awk '{ v[NR] = $1 } END { i50 = int((NR + 1) * 0.50); i95 = int(NR * 0.95 + 0.999); if (i95 > NR) i95 = NR; printf "%.1f %.1f\n", v[i50] * 1000, v[i95] * 1000 }')
  printf '%-48s %10.1f %10s %10s\n' "$name" "$(awk -v s="$cold" 'BEGIN { print s * 1000 }')" "$p50" "$p95"
  echo "BENCH route=\"$name\" db=$DB_NAME cold_ms=$(awk -v s="$cold" 'BEGIN { printf "%.1f", s * 1000 }') p50_ms=$p50 p95_ms=$p95" >>"$WORK/bench.txt"
  awk -v p="$p95" -v t="$P95_TARGET_MS" 'BEGIN { exit !(p > t) }' && MISSED=1
done
echo
echo "seed_s=$SEEDED rollups_s=$ROLLED rollup_rows=$ROWS p95_target_ms=$P95_TARGET_MS target_missed=$MISSED"
[[ $STRICT -eq 1 && $MISSED -eq 1 ]] && exit 2
exit 0
