#!/usr/bin/env bash
# Backfill benchmark: a fake Shopify store (FakeShopify/, Kestrel) holds ORDERS orders over the last 60 days, every 7th
# with the affiliate's coupon JANE10. The app is installed into it through the real OAuth flow (which queues the
# 60-day import), the program gets an approved affiliate with that coupon, then the store lets the import read its
# orders (GraphQL cursor paging, pages of --page-size). The script polls the import's progress on the shop row (what
# the shops page shows), then prints orders/s and minutes and checks exactly: every order stored once, every coupon
# order credited once (one commission, one Earned ledger entry), no other order credited, the import "done".
# See README.md.
#
#   tests/ShopAffiliate.Benchmarks/backfill.sh [--postgres [CONNSTRING]] [--orders 100000] [--page-size 250] ...
#
# Exit status: 0 all good; 1 a check failed; 3 the benchmark could not run.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
# shellcheck source=lib.sh
source "$HERE/lib.sh"

ORDERS=100000
PAGE_SIZE=250
POSTGRES=0
PG_CONN=""
KEEP=0
WAIT=7200
APP_DIR=""
SHOP=bench-shop.myshopify.com

usage() {
  cat <<USAGE
Usage: $0 [options]
  --postgres [CONNSTR]   use PostgreSQL: an EMPTY database given as an Npgsql connection string, or, without one,
                         a throwaway server started from Debian's binaries in the temp folder
  --orders N             orders in the store over the last 60 days (default $ORDERS)
  --page-size N          orders per GraphQL page, 1..250 (default $PAGE_SIZE; the app's own default is 50, see README)
  --wait S               how long to wait for the import (default $WAIT)
  --app-dir DIR          an existing dotnet publish output of the app (skips its publish)
  --keep                 keep the temp folder and print its path
  -h, --help             this text
USAGE
}
while [[ $# -gt 0 ]]; do
  case $1 in
    --postgres) POSTGRES=1; if [[ ${2:-} == *=* ]]; then PG_CONN=$2; shift; fi; shift ;;
    --orders) ORDERS=$(count "${2:?}"); shift 2 ;;
    --page-size) PAGE_SIZE=$(count "${2:?}"); shift 2 ;;
    --wait) WAIT=$(count "${2:?}"); shift 2 ;;
    --app-dir) APP_DIR=${2:?}; shift 2 ;;
    --keep) KEEP=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown option '$1'" ;;
  esac
done
[[ $PAGE_SIZE -le 250 ]] || die "--page-size is at most 250 (Shopify's limit for first)"

# ---------------------------------------------------------------------------------------------------------------
# 1. Tools, database
# ---------------------------------------------------------------------------------------------------------------
if [[ $POSTGRES -eq 1 ]]; then
  if [[ -n $PG_CONN ]]; then install_missing curl python3 psql:postgresql-client
  else install_missing curl python3 psql:postgresql-client initdb:postgresql; fi
else install_missing curl python3 sqlite3; fi
command -v dotnet >/dev/null || die "the .NET SDK (dotnet) is needed"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/sa-backfill.XXXXXX")
chmod 755 "$WORK"
APP_PID="" FAKE_PID="" PG_DIR="" PG_BIN=""
cleanup() {
  local rc=$?
  stop_pid "$FAKE_PID" TERM 5
  stop_pid "$APP_PID" TERM 30
  [[ -z $PG_DIR ]] || as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR" -m immediate stop >/dev/null 2>&1 || true
  if [[ $KEEP -eq 1 ]]; then echo "Kept: $WORK"; else rm -rf "$WORK"; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if [[ $POSTGRES -eq 1 && -z $PG_CONN ]]; then throwaway_postgres "$WORK/pg"; fi
if [[ $POSTGRES -eq 1 ]]; then
  declare -a PSQL_ENV=()
  pg_env "$PG_CONN"
  sql() { env "${PSQL_ENV[@]}" psql -XAtq -v ON_ERROR_STOP=1 -c "$1"; }
  sql 'SELECT 1' >/dev/null || die "cannot connect to PostgreSQL"
  [[ $(sql "SELECT to_regclass('public.\"Workspaces\"') IS NULL") == t ]] || die "the PostgreSQL database is not empty"
  DB_ENV=(Database__Provider=Postgres "ConnectionStrings__Postgres=$PG_CONN")
  DB_NAME=PostgreSQL
  new_uuid() { cat /proc/sys/kernel/random/uuid; }
  epoch() { echo "extract(epoch from $1)"; }
  now_sql="now() AT TIME ZONE 'UTC'"
else
  DB_FILE="$WORK/bench.db"
  sql() { sqlite3 -cmd '.timeout 30000' "$DB_FILE" "$1"; }
  DB_ENV=(Database__Provider=Sqlite "ConnectionStrings__Sqlite=Data Source=$DB_FILE")
  DB_NAME=SQLite
  new_uuid() { tr '[:lower:]' '[:upper:]' </proc/sys/kernel/random/uuid; } # EF stores GUIDs as upper-case text on SQLite
  epoch() { echo "(julianday($1) - 2440587.5) * 86400.0"; }
  now_sql="strftime('%Y-%m-%d %H:%M:%f', 'now')"
fi

# ---------------------------------------------------------------------------------------------------------------
# 2. Publish and start the fake store and the app
# ---------------------------------------------------------------------------------------------------------------
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
BUILD="$(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo '?')"
[[ -z $(git -C "$REPO" status --porcelain -- src 2>/dev/null) ]] || BUILD="$BUILD+changes"
if [[ -z $APP_DIR ]]; then
  echo "Publishing the app (Release)..."
  APP_DIR="$WORK/app"
  dotnet publish "$REPO/src/ShopAffiliate.Web" -c Release -o "$APP_DIR" -v quiet -nologo >"$WORK/publish.log" 2>&1 \
    || { tail -n 40 "$WORK/publish.log" >&2; die "dotnet publish of the app failed"; }
fi
echo "Publishing the fake store (Release)..."
dotnet publish "$HERE/FakeShopify" -c Release -o "$WORK/fake" -v quiet -nologo >"$WORK/publish-fake.log" 2>&1 \
  || { tail -n 40 "$WORK/publish-fake.log" >&2; die "dotnet publish of the fake store failed"; }

FAKE_PORT=$(free_port); FAKE_URL="http://127.0.0.1:$FAKE_PORT"
(exec env ASPNETCORE_URLS="$FAKE_URL" ORDERS="$ORDERS" COUPON=JANE10 dotnet "$WORK/fake/FakeShopify.dll") >"$WORK/fake.log" 2>&1 &
FAKE_PID=$!
wait_http "$FAKE_URL/bench/stats" 60 "$FAKE_PID" || { cat "$WORK/fake.log" >&2; die "the fake store did not come up"; }

SECRET="shpss_bench_$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')"
CLIENT_ID=bench-client
APP_PORT=$(free_port); APP_URL="http://127.0.0.1:$APP_PORT"
echo "Starting the app on $APP_URL ($DB_NAME), the store on $FAKE_URL ($ORDERS orders, pages of $PAGE_SIZE)..."
(
  cd "$WORK"
  exec env ASPNETCORE_URLS="$APP_URL" ASPNETCORE_ENVIRONMENT=Production Logging__LogLevel__Default=Warning \
    DataProtection__KeyEncryptionKey="$(head -c 32 /dev/urandom | base64)" \
    App__PublicBaseUrl="$APP_URL" "${DB_ENV[@]}" Shopify__ApiKey="$CLIENT_ID" Shopify__ApiSecret="$SECRET" \
    Shopify__ShopBaseUrl="$FAKE_URL" Shopify__BackfillPageSize="$PAGE_SIZE" Outbound__AllowPrivateNetworks=true \
    dotnet "$APP_DIR/ShopAffiliate.Web.dll"
) >"$WORK/app.log" 2>&1 &
APP_PID=$!
wait_http "$APP_URL/health" 120 "$APP_PID" || { tail -n 40 "$WORK/app.log" >&2; die "the app did not come up"; }

# ---------------------------------------------------------------------------------------------------------------
# 3. Install through OAuth (a signed launch, the authorize redirect's state, a signed callback), then the program:
#    an API key for the shop's new workspace, an approved affiliate with the coupon JANE10
# ---------------------------------------------------------------------------------------------------------------
signed() { # key=value ... -> the query with Shopify's hmac (keys sorted, joined with &; values here need no escaping)
  python3 - "$SECRET" "$@" <<'PY'
import hashlib, hmac, sys
secret, pairs = sys.argv[1], sorted(sys.argv[2:])
message = "&".join(pairs)
print(message + "&hmac=" + hmac.new(secret.encode(), message.encode(), hashlib.sha256).hexdigest())
PY
}
HOST_PARAM=YWRtaW4uc2hvcGlmeS5jb20vc3RvcmUvYmVuY2gtc2hvcA # base64 of admin.shopify.com/store/bench-shop, unpadded
JAR="$WORK/cookies"
launch=$(curl -sS -c "$JAR" -o /dev/null -w '%{http_code} %{redirect_url}' \
  "$APP_URL/shopify?$(signed "shop=$SHOP" "timestamp=$(date +%s)" "host=$HOST_PARAM")")
[[ $launch == 302* ]] || die "the launch answered '$launch', expected a redirect to Shopify's authorize page"
STATE=$(sed -n 's/.*[?&]state=\([0-9a-f]*\).*/\1/p' <<<"$launch")
[[ -n $STATE ]] || die "no state in the authorize redirect: $launch"
callback=$(curl -sS -b "$JAR" -o "$WORK/callback.out" -w '%{http_code}' \
  "$APP_URL/shopify/callback?$(signed "code=bench-code" "shop=$SHOP" "state=$STATE" "timestamp=$(date +%s)" "host=$HOST_PARAM")")
[[ $callback == 302 ]] || { cat "$WORK/callback.out" >&2; die "the OAuth callback answered $callback, expected 302"; }
WORKSPACE_ID=$(sql "SELECT \"WorkspaceId\" FROM \"Shops\" WHERE \"Domain\" = '$SHOP'")
[[ -n $WORKSPACE_ID ]] || die "the install stored no shop"
[[ $(sql "SELECT count(*) FROM \"Inbox\" WHERE \"Topic\" = 'app/backfill'") == 1 ]] || die "the install queued no import"

API_KEY="sa_bench_$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')"
KEY_HASH=$(printf '%s' "$API_KEY" | sha256sum | cut -d' ' -f1)
sql "INSERT INTO \"ApiKeys\" (\"Id\", \"WorkspaceId\", \"Name\", \"Hash\", \"Hint\", \"CreatedAt\", \"UpdatedAt\")
     VALUES ('$(new_uuid)', '$WORKSPACE_ID', 'Backfill benchmark', '$KEY_HASH', '${API_KEY:0:10}', '2026-01-01 00:00:00', '2026-01-01 00:00:00')" >/dev/null
api() { # method path json expected-status -> body on stdout
  local body="$WORK/api.out" code
  code=$(curl -sS -o "$body" -w '%{http_code}' -X "$1" "$APP_URL$2" -H "Authorization: Bearer $API_KEY" \
    -H 'Content-Type: application/json' -d "$3") || die "$1 $2: no answer"
  [[ $code == "$4" ]] || { cat "$body" >&2; die "$1 $2 answered $code, expected $4"; }
  cat "$body"
}
AFFILIATE_ID=$(api POST /api/v1/affiliates '{"name":"Jane Doe","email":"jane@example.com","referralCode":"jane"}' 201 \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
api POST "/api/v1/affiliates/$AFFILIATE_ID/approve" '{"reason":"benchmark"}' 200 >/dev/null
api POST /api/v1/coupons "{\"affiliateId\":\"$AFFILIATE_ID\",\"code\":\"JANE10\",\"discountType\":\"Percentage\",\"amount\":10}" 201 >/dev/null

# ---------------------------------------------------------------------------------------------------------------
# 4. The import: the store lets it read; progress is polled from the shop row
# ---------------------------------------------------------------------------------------------------------------
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
RELEASED_AT=$(sql "SELECT $(epoch "$now_sql")")
curl -sS -X POST -o /dev/null "$FAKE_URL/bench/release" || die "the fake store did not take the release"
echo "Importing (load average $LOAD_BEFORE)..."
SHOP_ROW="FROM \"Shops\" WHERE \"Domain\" = '$SHOP'"
start=$SECONDS last=""
while :; do
  row=$(sql "SELECT \"ImportOrders\", coalesce(\"ImportTotal\", -1), \"ImportPages\", (\"ImportFinishedAt\" IS NOT NULL), coalesce(\"ImportError\", '') $SHOP_ROW")
  IFS='|' read -r imported total pages finished error <<<"$row"
  if [[ $row != "$last" ]]; then
    printf '  %4ss  %7s of %s orders, %s pages%s\n' "$(( SECONDS - start ))" "$imported" "$total" "$pages" "${error:+, last error: $error}"
    last=$row
  fi
  [[ $finished == 1 || $finished == t ]] && break
  (( SECONDS - start < WAIT )) || { echo "WARNING: the import did not finish within ${WAIT}s"; break; }
  [[ $(sql "SELECT count(*) FROM \"Inbox\" WHERE \"Topic\" = 'app/backfill' AND \"Status\" = 'Failed'") == 0 ]] || { echo "WARNING: the import was given up"; break; }
  sleep 5
done
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)
# The inbox (the import's messages and anything the coupon push queued) settles.
for _ in $(seq 1 120); do [[ $(sql "SELECT count(*) FROM \"Inbox\" WHERE \"Status\" = 'Pending'") == 0 ]] && break; sleep 1; done

# ---------------------------------------------------------------------------------------------------------------
# 5. Results and checks
# ---------------------------------------------------------------------------------------------------------------
IMPORT_S=$(sql "SELECT $(epoch '"ImportFinishedAt"') - $RELEASED_AT $SHOP_ROW")
IFS='|' read -r IMPORTED TOTAL PAGES STATE_ERROR <<<"$(sql "SELECT \"ImportOrders\", coalesce(\"ImportTotal\", -1), \"ImportPages\", coalesce(\"ImportError\", '') $SHOP_ROW")"
STATS=$(curl -sS "$FAKE_URL/bench/stats")
stat() { python3 -c "import json,sys; print(json.loads(sys.argv[1])[sys.argv[2]])" "$STATS" "$1"; }
COUPON_ORDERS=$(stat couponOrders); SERVED=$(stat served); FAKE_PAGES=$(stat pages); ASKED_PAGE=$(stat pageSize)
STORED=$(sql "SELECT count(*) FROM \"Orders\"")
DISTINCT=$(sql "SELECT count(DISTINCT \"ExternalId\") FROM \"Orders\"")
CREDITED=$(sql "SELECT count(*) FROM \"Orders\" WHERE \"AffiliateId\" IS NOT NULL")
COMMISSIONS=$(sql "SELECT count(*) FROM \"Commissions\"")
TWICE=$(sql "SELECT count(*) FROM (SELECT \"OrderId\" FROM \"Commissions\" GROUP BY \"OrderId\" HAVING count(*) > 1) AS t")
EARNED=$(sql "SELECT count(*) FROM \"Ledger\" WHERE \"Kind\" = 'Earned'")
EARNED_TWICE=$(sql "SELECT count(*) FROM (SELECT \"OrderId\" FROM \"Ledger\" WHERE \"Kind\" = 'Earned' GROUP BY \"OrderId\" HAVING count(*) > 1) AS t")
MESSAGES=$(sql "SELECT count(*) FROM \"Inbox\" WHERE \"Topic\" = 'app/backfill'")
NOT_DONE=$(sql "SELECT count(*) FROM \"Inbox\" WHERE \"Topic\" = 'app/backfill' AND \"Status\" <> 'Processed'")
RATE=$(awk -v n="$IMPORTED" -v s="${IMPORT_S:-0}" 'BEGIN { printf "%.0f", (s > 0 ? n / s : 0) }')
MINUTES=$(awk -v s="${IMPORT_S:-0}" 'BEGIN { printf "%.1f", s / 60 }')

echo
echo "Backfill benchmark: $ORDERS orders over 60 days, pages of $ASKED_PAGE, $DB_NAME, $(nproc) cores, build $BUILD"
echo "  import: $IMPORTED orders in ${IMPORT_S%.*} s ($MINUTES min) from the store's release to the last page stored: $RATE orders/s"
echo "  pages: $PAGES stored by the app, $FAKE_PAGES served by the store ($SERVED orders served) in $MESSAGES inbox message(s)"
echo "  credited: $CREDITED orders, $COMMISSIONS commissions, $EARNED Earned ledger entries; $COUPON_ORDERS orders carry the coupon"
echo "  load average: $LOAD_BEFORE before, $LOAD_AFTER after"
for level in warn fail crit; do
  n=$(grep -c "^$level: " "$WORK/app.log" || true)
  [[ $n -eq 0 ]] || echo "  app log: $n '$level' entries (first: $(grep -m1 -A1 "^$level: " "$WORK/app.log" | tr '\n' ' ' | cut -c1-160))"
done
echo
RC=0
check() { # ok description
  if [[ $1 -eq 1 ]]; then echo "PASS $2"; else echo "FAIL $2"; RC=1; fi
}
yes_no() { if eval "$1"; then echo 1; else echo 0; fi; }
check "$(yes_no '[[ -n $IMPORT_S && -z $STATE_ERROR && $NOT_DONE -eq 0 ]]')" "the import ended done: finished, no error, $NOT_DONE of $MESSAGES messages not processed"
check "$(yes_no '[[ $IMPORTED -eq $ORDERS && $TOTAL -eq $ORDERS ]]')" "its progress reads $IMPORTED of $TOTAL orders imported, for $ORDERS in the store"
check "$(yes_no '[[ $STORED -eq $ORDERS && $DISTINCT -eq $ORDERS ]]')" "every order stored once: $STORED rows, $DISTINCT distinct"
check "$(yes_no '[[ $CREDITED -eq $COUPON_ORDERS && $COMMISSIONS -eq $COUPON_ORDERS && $TWICE -eq 0 && $EARNED -eq $COUPON_ORDERS && $EARNED_TWICE -eq 0 ]]')" \
  "every coupon order credited once and no other: $COUPON_ORDERS coupon orders, $CREDITED credited, $COMMISSIONS commissions ($TWICE orders with more than one), $EARNED Earned entries ($EARNED_TWICE doubled)"
check "$(yes_no '[[ $SERVED -eq $ORDERS ]]')" "each page read once: $SERVED orders served for $ORDERS"
echo
echo "Row for README.md:"
printf '| %s | %s | %s | %s cores | %s | %s | %s | %s | %s | %s | %s |\n' "$(date +%F)" "$BUILD" "$DB_NAME" "$(nproc)" "$ORDERS" "$ASKED_PAGE" \
  "$RATE" "$MINUTES" "$LOAD_BEFORE / $LOAD_AFTER" "$COUPON_ORDERS / $CREDITED" "$([[ $RC -eq 1 ]] && echo 'checks FAIL' || echo 'checks PASS')"
exit $RC
