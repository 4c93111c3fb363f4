#!/usr/bin/env bash
# Admin lists benchmark: seeds a program with SQL (affiliates, orders with their commissions and ledger entries,
# clicks, payouts, applications, audit rows, disputes, messages, coupons, links, creatives, campaigns, announcements),
# lets the rollup worker build the rollups, signs in as the owner through the login form and times every admin list
# page cold (its first request) and warm, printing p50/p95 per page. See README.md.
#
#   tests/ShopAffiliate.Benchmarks/admin-lists.sh [--postgres [CONNSTRING]] [--affiliates 10000] [--commissions 100000] ...
#
# Exit status: 0 all good; 2 a target missed with --strict; 3 the benchmark could not run.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
# shellcheck source=lib.sh
source "$HERE/lib.sh"

CLICKS=200000
ORDERS=100000
AFFILIATES=10000
REQUESTS=50
POSTGRES=0
PG_CONN=""
STRICT=0
KEEP=0
ROLLUP_WAIT=3600
P95_TARGET_MS=100
APP_DIR=""

usage() {
  cat <<USAGE
Usage: $0 [options]
  --postgres [CONNSTR]   use PostgreSQL: an EMPTY database given as an Npgsql connection string, or, without one,
                         a throwaway server started from Debian's binaries in the temp folder
  --clicks N             raw clicks over the year (default $CLICKS; every 20th a bot, every 10th a repeat)
  --commissions N        attributed orders over the year, each with one commission and its ledger entry (default $ORDERS)
  --affiliates N         affiliates (default $AFFILIATES)
  --requests N           warm requests per page (default $REQUESTS)
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
    --commissions|--orders) ORDERS=$(count "${2:?}"); shift 2 ;;
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

WORK=$(mktemp -d "${TMPDIR:-/tmp}/sa-admin-lists.XXXXXX")
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
echo "Seeding $AFFILIATES affiliates, $CLICKS clicks, $ORDERS orders with commissions, and the rows the other lists show..."
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
# Every 20th affiliate is an applicant (Pending), every 50th rejected, every 97th suspended; each has an application.
sql "INSERT INTO \"AffiliateApplications\" (\"Id\", \"WorkspaceId\", \"AffiliateId\", \"AnswersJson\", \"IpHash\", \"Country\", \"Signals\", \"AutoApproved\", \"CreatedAt\")
     SELECT $(id 00000010 i), '$WORKSPACE_ID', $(id 00000001 i), '[]', 'ip' || (i % 997), 'DK', '[]', $FALSE, $(at "(i * $YEAR / $AFFILIATES)")
     FROM $(series "$AFFILIATES")" >/dev/null
sql "UPDATE \"Affiliates\" SET \"Status\" = 'Approved'" >/dev/null
for s in "Pending:20" "Rejected:50" "Suspended:97"; do
  sql "UPDATE \"Affiliates\" SET \"Status\" = '${s%%:*}' WHERE \"ReferralCode\" IN (SELECT 'a' || i FROM $(series "$AFFILIATES") WHERE i % ${s#*:} = 1)" >/dev/null
done
# One commission per order: every 50th held for review (Pending), then Pending / Approved / Paid / Rejected in turn.
sql "INSERT INTO \"Commissions\" (\"Id\", \"WorkspaceId\", \"OrderId\", \"AffiliateId\", \"Tier\", \"Status\", \"Amount\", \"Currency\", \"Explanation\",
       \"StatusReason\", \"HeldForReview\", \"EligibleAt\", \"ApprovedAt\", \"PaidAt\", \"CreatedAt\", \"UpdatedAt\")
     SELECT $(id 00000004 i), '$WORKSPACE_ID', $(id 00000002 i), $(id 00000001 "(i * 104729) % $AFFILIATES"), 1,
            CASE WHEN i % 50 = 0 THEN 'Pending' WHEN i % 4 = 0 THEN 'Pending' WHEN i % 4 = 1 THEN 'Approved' WHEN i % 4 = 2 THEN 'Paid' ELSE 'Rejected' END,
            $(money "(100 + i % 900) * 0.1"), 'DKK', 'benchmark', CASE WHEN i % 50 = 0 THEN 'Self-referral: the buyer is the affiliate' END,
            CASE WHEN i % 50 = 0 THEN $TRUE ELSE $FALSE END, $(at "(i * $YEAR / $ORDERS + 2592000)"),
            CASE WHEN i % 4 IN (1, 2) THEN $(at "(i * $YEAR / $ORDERS + 2592000)") END, CASE WHEN i % 4 = 2 THEN $(at "(i * $YEAR / $ORDERS + 2678400)") END,
            $(at "(i * $YEAR / $ORDERS)"), $(at "(i * $YEAR / $ORDERS)")
     FROM $(series "$ORDERS")" >/dev/null
# Payouts: 120 batches of 50 items, a quarter of the ledger moved to Approved for the balances due.
BATCHES=120
sql "INSERT INTO \"PayoutBatches\" (\"Id\", \"WorkspaceId\", \"Reference\", \"Currency\", \"Status\", \"Total\", \"PaidAt\", \"CreatedAt\", \"UpdatedAt\")
     SELECT $(id 00000005 i), '$WORKSPACE_ID', 'PO-' || i, 'DKK', CASE WHEN i = $BATCHES - 1 THEN 'Open' ELSE 'Paid' END, $(money "5000 + i"),
            CASE WHEN i < $BATCHES - 1 THEN $(at "(i * 259200 + 86400)") END, $(at "(i * 259200)"), $(at "(i * 259200)")
     FROM $(series "$BATCHES")" >/dev/null
sql "INSERT INTO \"PayoutItems\" (\"Id\", \"WorkspaceId\", \"PayoutBatchId\", \"AffiliateId\", \"Name\", \"Email\", \"Amount\", \"Approved\", \"Carried\", \"Reference\", \"OrderIds\")
     SELECT $(id 00000006 i), '$WORKSPACE_ID', $(id 00000005 "i / 50"), $(id 00000001 "(i * 7) % $AFFILIATES"), 'Affiliate ' || ((i * 7) % $AFFILIATES),
            'a' || ((i * 7) % $AFFILIATES) || '@example.com', $(money "100"), $(money "100"), $(money "0"), 'PO-' || (i / 50), '[]'
     FROM $(series "$((BATCHES * 50))")" >/dev/null
sql "UPDATE \"Ledger\" SET \"Bucket\" = 'Approved' WHERE \"Key\" LIKE 'bench:%' AND \"Id\" % 4 = 1" >/dev/null
# Audit rows: one per commission, by three staff names and four actions.
sql "INSERT INTO \"AuditEntries\" (\"WorkspaceId\", \"At\", \"ActorKind\", \"ActorId\", \"ActorName\", \"EntityType\", \"EntityId\", \"Action\", \"Before\", \"After\", \"Reason\")
     SELECT '$WORKSPACE_ID', $(at "(i * $YEAR / $ORDERS)"), 'Staff', NULL, 'Staff ' || (i % 3), 'Commission', $(id 00000004 i),
            CASE i % 4 WHEN 0 THEN 'commission.approved' WHEN 1 THEN 'commission.rejected' WHEN 2 THEN 'affiliate.approved' ELSE 'settings.changed' END,
            '{\"status\":\"Pending\"}', '{\"status\":\"Approved\"}', NULL
     FROM $(series "$ORDERS")" >/dev/null
# Disputes (one per 20 affiliates), messages (five per affiliate, the newest from the affiliate and unread), coupons
# (one per affiliate), links (two per affiliate), campaigns, creatives and announcements.
sql "INSERT INTO \"Disputes\" (\"Id\", \"WorkspaceId\", \"AffiliateId\", \"OrderNumber\", \"OrderDate\", \"Note\", \"Status\", \"CreatedAt\", \"UpdatedAt\")
     SELECT $(id 00000007 i), '$WORKSPACE_ID', $(id 00000001 "(i * 20) % $AFFILIATES"), '#' || i, '2026-06-01', 'My order was not credited',
            CASE i % 3 WHEN 0 THEN 'Open' WHEN 1 THEN 'Accepted' ELSE 'Declined' END, $(at "(i * 3600)"), $(at "(i * 3600)")
     FROM $(series "$((AFFILIATES / 20 + 1))")" >/dev/null
sql "INSERT INTO \"AffiliateMessages\" (\"Id\", \"WorkspaceId\", \"AffiliateId\", \"Author\", \"ActorName\", \"Text\", \"At\", \"ReadAt\")
     SELECT $(id 00000008 i), '$WORKSPACE_ID', $(id 00000001 "i % $AFFILIATES"), CASE WHEN i / $AFFILIATES % 2 = 0 THEN 'Affiliate' ELSE 'Staff' END,
            'Someone', 'Message ' || i, $(at "(i * 600)"), CASE WHEN i / $AFFILIATES < 4 THEN $(at "(i * 600 + 60)") END
     FROM $(series "$((AFFILIATES * 5))")" >/dev/null
sql "INSERT INTO \"Campaigns\" (\"Id\", \"WorkspaceId\", \"Name\", \"NormalizedName\", \"SegmentKind\", \"CreatedAt\", \"UpdatedAt\")
     SELECT $(id 0000000A i), '$WORKSPACE_ID', 'Campaign ' || i, 'CAMPAIGN ' || i, 'All', $(at "(i * 86400)"), $(at "(i * 86400)")
     FROM $(series 60)" >/dev/null
sql "INSERT INTO \"Coupons\" (\"Id\", \"WorkspaceId\", \"AffiliateId\", \"Amount\", \"CampaignId\", \"Code\", \"NormalizedCode\", \"DiscountType\", \"IsArchived\", \"CreatedAt\", \"UpdatedAt\")
     SELECT $(id 0000000B i), '$WORKSPACE_ID', $(id 00000001 i), $(money "10"), CASE WHEN i % 10 = 0 THEN $(id 0000000A "i % 60") END,
            'code' || i, 'CODE' || i, 'Percentage', $FALSE, $(at "(i * 3000)"), $(at "(i * 3000)")
     FROM $(series "$AFFILIATES")" >/dev/null
sql "INSERT INTO \"TrackingLinks\" (\"Id\", \"WorkspaceId\", \"AffiliateId\", \"Code\", \"Destination\", \"SubId\", \"IsArchived\", \"CreatedAt\", \"UpdatedAt\")
     SELECT $(id 0000000C i), '$WORKSPACE_ID', $(id 00000001 "i % $AFFILIATES"), 'l' || i, 'https://bench-shop.myshopify.com/p/' || (i % 500), NULL, $FALSE,
            $(at "(i * 1500)"), $(at "(i * 1500)")
     FROM $(series "$((AFFILIATES * 2))")" >/dev/null
sql "INSERT INTO \"Creatives\" (\"Id\", \"WorkspaceId\", \"Name\", \"Kind\", \"Status\", \"Destination\", \"Headline\", \"Body\", \"Tags\", \"CampaignId\", \"PublishedAt\", \"CreatedAt\", \"UpdatedAt\")
     SELECT $(id 0000000D i), '$WORKSPACE_ID', 'Creative ' || i, 'TextLink', CASE WHEN i % 3 = 0 THEN 'Draft' ELSE 'Published' END,
            'https://bench-shop.myshopify.com/', 'Headline ' || i, 'Body text ' || i, '[]', CASE WHEN i % 4 = 0 THEN $(id 0000000A "i % 60") END,
            CASE WHEN i % 3 <> 0 THEN $(at "(i * 40000)") END, $(at "(i * 40000)"), $(at "(i * 40000)")
     FROM $(series 300)" >/dev/null
sql "INSERT INTO \"Announcements\" (\"Id\", \"WorkspaceId\", \"Subject\", \"Body\", \"SegmentKind\", \"SentAt\", \"RecipientCount\", \"CreatedAt\", \"UpdatedAt\")
     SELECT $(id 0000000E i), '$WORKSPACE_ID', 'Announcement ' || i, 'Body ' || i, 'All', $(at "(i * 100000)"), $AFFILIATES, $(at "(i * 100000)"), $(at "(i * 100000)")
     FROM $(series 300)" >/dev/null
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
# 6. Sign in as the owner through the login form (cookie and antiforgery token), then time each page
# ---------------------------------------------------------------------------------------------------------------
JAR="$WORK/cookies"
curl -sS -c "$JAR" -b "$JAR" -o "$WORK/login.html" "$APP_URL/admin/login"
TOKEN=$(grep -o 'name="__RequestVerificationToken" type="hidden" value="[^"]*"' "$WORK/login.html" | head -n1 | sed 's/.*value="//; s/"$//')
[[ -n $TOKEN ]] || TOKEN=$(python3 -c 'import re,sys; m=re.search(r"<input[^>]*__RequestVerificationToken[^>]*>", open(sys.argv[1]).read()); print(re.search(r"value=\"([^\"]*)\"", m.group(0)).group(1) if m else "")' "$WORK/login.html")
[[ -n $TOKEN ]] || die "no antiforgery token on the login page"
code=$(curl -sS -c "$JAR" -b "$JAR" -o /dev/null -w '%{http_code}' "$APP_URL/admin/login" \
  --data-urlencode "__RequestVerificationToken=$TOKEN" --data-urlencode "Input.Email=bench@example.com" --data-urlencode "Input.Password=bench-$API_KEY")
[[ $code == 302 ]] || die "sign-in answered $code, expected 302"

AFF=$(id 00000001 7)
AFF=$(sql "SELECT $AFF")
PAGES=(
  "affiliates (newest first)|/admin/affiliates"
  "affiliates by name|/admin/affiliates?sort=Name&dir=asc"
  "affiliates by status|/admin/affiliates?sort=Status"
  "affiliates by clicks|/admin/affiliates?sort=Clicks"
  "affiliates by orders|/admin/affiliates?sort=Orders"
  "affiliates by revenue|/admin/affiliates?sort=Revenue"
  "affiliates by commission|/admin/affiliates?sort=Commission"
  "affiliates by EPC|/admin/affiliates?sort=Epc"
  "affiliates by revenue, 365 days|/admin/affiliates?sort=Revenue&days=365"
  "affiliates, search|/admin/affiliates?q=affiliate%2099"
  "affiliates, page 50|/admin/affiliates?sort=Name&dir=asc&page=50"
  "affiliate detail (links, coupons, ledger)|/admin/affiliates/$AFF"
  "applications (pending)|/admin/applications"
  "applications (rejected)|/admin/applications?status=Rejected"
  "commissions (review queue)|/admin/commissions"
  "commissions (all)|/admin/commissions?view=all"
  "commissions (approved)|/admin/commissions?view=all&status=Approved"
  "commissions (one affiliate)|/admin/commissions?view=all&affiliate=$AFF"
  "commissions (a month)|/admin/commissions?view=all&from=2026-06-01&to=2026-06-30"
  "payouts|/admin/payouts"
  "audit log|/admin/audit"
  "audit log, by action|/admin/audit?action=commission.rejected"
  "audit log, by who and dates|/admin/audit?who=Staff%201&from=2026-03-01&to=2026-03-31"
  "disputes|/admin/disputes"
  "disputes (open)|/admin/disputes?status=Open"
  "messages|/admin/messages"
  "coupons|/admin/coupons"
  "coupons, search|/admin/coupons?q=code99"
  "creatives|/admin/creatives"
  "campaigns|/admin/campaigns"
  "announcements|/admin/announcements"
)
printf '\n%-44s %10s %10s %10s   (%s, %s affiliates, %s commissions, %s clicks; %s warm requests)\n' page cold_ms p50_ms p95_ms "$DB_NAME" "$AFFILIATES" "$ORDERS" "$CLICKS" "$REQUESTS"
MISSED=0
for page in "${PAGES[@]}"; do
  name=${page%%|*}; path=${page#*|}
  get() { curl -sS -b "$JAR" -o "$WORK/page.out" -w '%{http_code} %{time_total}\n' "$APP_URL$path"; }
  read -r code cold < <(get)
  [[ $code == 200 ]] || { head -c 2000 "$WORK/page.out" >&2; die "$path answered $code"; }
  : >"$WORK/times"
  for ((r = 0; r < REQUESTS; r++)); do get | awk '{ print $2 }' >>"$WORK/times"; done
  read -r p50 p95 < <(sort -g "$WORK/times" | awk '{ v[NR] = $1 } END { i50 = int((NR + 1) * 0.50); i95 = int(NR * 0.95 + 0.999); if (i95 > NR) i95 = NR; printf "%.1f %.1f\n", v[i50] * 1000, v[i95] * 1000 }')
  flag=""; awk -v p="$p95" -v t="$P95_TARGET_MS" 'BEGIN { exit !(p > t) }' && { MISSED=1; flag="  MISS"; }
  printf '%-44s %10.1f %10s %10s%s\n' "$name" "$(awk -v s="$cold" 'BEGIN { print s * 1000 }')" "$p50" "$p95" "$flag"
  echo "BENCH page=\"$name\" db=$DB_NAME cold_ms=$(awk -v s="$cold" 'BEGIN { printf "%.1f", s * 1000 }') p50_ms=$p50 p95_ms=$p95" >>"$WORK/bench.txt"
done
echo
echo "seed_s=$SEEDED rollups_s=$ROLLED rollup_rows=$ROWS p95_target_ms=$P95_TARGET_MS target_missed=$MISSED load_average=\"$(cut -d' ' -f1-3 /proc/loadavg)\""
[[ $STRICT -eq 1 && $MISSED -eq 1 ]] && exit 2
exit 0
