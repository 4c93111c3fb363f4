#!/usr/bin/env bash
# Webhook benchmark: ShopAffiliate's POST /webhooks/shopify against a bare Kestrel endpoint that reads the body and
# answers 200 (same machine, same run), with signed, realistic orders/create deliveries of distinct orders carrying an
# affiliate's coupon, each request a new webhook id. Then it waits for the inbox worker and checks exactly that every
# delivery answered 200 is in the inbox and every distinct order delivered is credited once. See README.md.
#
#   tests/ShopAffiliate.Benchmarks/webhooks.sh [--postgres [CONNSTRING]] [-t 2] [-c 64] [-d 10] [--orders 4000] ...
#
# Exit status: 0 all good; 1 a check failed (a 200 not stored, an order not credited or credited twice); 2 a target
# missed with --strict; 3 the benchmark could not run.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
LUA="$HERE/webhooks.lua"
# shellcheck source=lib.sh
source "$HERE/lib.sh"
PAYLOAD="$REPO/tests/ShopAffiliate.Web.Tests/Shopify/Payloads/OrdersCreatePayload.cs"

THREADS=2
CONNECTIONS=64
DURATION=10
WARMUP=3
ORDERS=4000
TAIL=5
POSTGRES=0
PG_CONN=""
STRICT=0
KEEP=0
ENGINE_WAIT=600
INTAKE_TARGET=5000
P99_TARGET_MS=100
ENGINE_TARGET=2000

usage() {
  cat <<USAGE
Usage: $0 [options]
  --postgres [CONNSTR]     use PostgreSQL: an EMPTY database given as an Npgsql connection string, or, without one,
                           a throwaway server started from Debian's binaries in the temp folder
  -t, --threads N          wrk threads (default $THREADS)
  -c, --connections N      wrk connections (default $CONNECTIONS)
  -d, --duration SECONDS   measured seconds per server (default $DURATION)
      --warmup SECONDS     warm-up load on each server first (default $WARMUP; its deliveries are checked too)
      --orders N           distinct orders in the deliveries (default $ORDERS)
      --engine-wait S      how long to wait for the inbox worker after the load (default $ENGINE_WAIT)
      --strict             exit 2 when a target is missed (default: report only)
      --keep               keep the temp folder and print its path
  -h, --help               this text
USAGE
}
while [[ $# -gt 0 ]]; do
  case $1 in
    --postgres) POSTGRES=1; if [[ ${2:-} == *=* ]]; then PG_CONN=$2; shift; fi; shift ;;
    -t|--threads) THREADS=$(count "${2:?}"); shift 2 ;;
    -c|--connections) CONNECTIONS=$(count "${2:?}"); shift 2 ;;
    -d|--duration) DURATION=$(count "${2%s}"); shift 2 ;;
    --warmup) WARMUP=$(count "${2%s}"); shift 2 ;;
    --orders) ORDERS=$(count "${2:?}"); shift 2 ;;
    --engine-wait) ENGINE_WAIT=$(count "${2:?}"); shift 2 ;;
    --strict) STRICT=1; shift ;;
    --keep) KEEP=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown option '$1'" ;;
  esac
done
CONNECTIONS=$(( CONNECTIONS / THREADS * THREADS ))

# ---------------------------------------------------------------------------------------------------------------
# 1. Tools
# ---------------------------------------------------------------------------------------------------------------
PATH=$PATH:/usr/sbin:/sbin
missing=()
command -v wrk >/dev/null || missing+=(wrk)
command -v curl >/dev/null || missing+=(curl)
command -v python3 >/dev/null || missing+=(python3)
if [[ $POSTGRES -eq 1 ]]; then
  command -v psql >/dev/null || missing+=(postgresql-client)
  [[ -n $PG_CONN ]] || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
else command -v sqlite3 >/dev/null || missing+=(sqlite3); fi
if [[ ${#missing[@]} -gt 0 ]]; then
  echo "Installing from Debian: ${missing[*]}"
  SUDO=""; [[ $(id -u) -eq 0 ]] || SUDO=sudo
  $SUDO apt-get update -qq || die "apt-get update failed"
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
    || die "could not install ${missing[*]}"
fi
command -v dotnet >/dev/null || die "the .NET SDK (dotnet) is needed"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/sa-webhooks.XXXXXX")
chmod 755 "$WORK"
APP_PID="" BASE_PID="" PG_DIR="" PG_BIN=""
as_pg() { if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }
cleanup() {
  local rc=$?
  stop_pid "$BASE_PID" TERM 5
  stop_pid "$APP_PID" TERM 30
  [[ -z $PG_DIR ]] || as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR" -m immediate stop >/dev/null 2>&1 || true
  if [[ $KEEP -eq 1 ]]; then echo "Kept: $WORK"; else rm -rf "$WORK"; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
ms() { awk -v us="$1" 'BEGIN { printf "%.1f", us / 1000 }'; }
yes_no() { if eval "$1"; then echo 1; else echo 0; fi; }

# ---------------------------------------------------------------------------------------------------------------
# 2. Database: a temp SQLite file, the given PostgreSQL database, or a throwaway PostgreSQL server
# ---------------------------------------------------------------------------------------------------------------
if [[ $POSTGRES -eq 1 && -z $PG_CONN ]]; then
  PG_BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n1)
  PG_DIR="$WORK/pg"; PG_PORT=$(free_port)
  mkdir -p "$PG_DIR"; [[ $(id -u) -ne 0 ]] || chown postgres "$PG_DIR"
  as_pg "$PG_BIN/initdb" -D "$PG_DIR" -U postgres -A trust >"$WORK/initdb.log" 2>&1 || { cat "$WORK/initdb.log" >&2; die "initdb failed"; }
  as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR" -l "$PG_DIR/log" -w -o "-p $PG_PORT -k $PG_DIR -c listen_addresses=127.0.0.1" start >/dev/null \
    || { cat "$PG_DIR/log" >&2; die "PostgreSQL did not start"; }
  PG_CONN="Host=127.0.0.1;Port=$PG_PORT;Database=postgres;Username=postgres"
fi
if [[ $POSTGRES -eq 1 ]]; then
  declare -a PSQL_ENV=()
  pg_env "$PG_CONN"
  sql() { env "${PSQL_ENV[@]}" psql -XAtq -v ON_ERROR_STOP=1 -c "$1"; }
  sql 'SELECT 1' >/dev/null || die "cannot connect to PostgreSQL"
  [[ $(sql "SELECT to_regclass('public.\"Workspaces\"') IS NULL") == t ]] || die "the PostgreSQL database is not empty"
  DB_ENV=(Database__Provider=Postgres "ConnectionStrings__Postgres=$PG_CONN")
  DB_NAME=PostgreSQL
  JSON_ID="(\"Body\"::json->>'id')"
  new_uuid() { cat /proc/sys/kernel/random/uuid; }
  epoch() { echo "extract(epoch from $1)"; }
else
  DB_FILE="$WORK/bench.db"
  sql() { sqlite3 -cmd '.timeout 30000' "$DB_FILE" "$1"; }
  DB_ENV=(Database__Provider=Sqlite "ConnectionStrings__Sqlite=Data Source=$DB_FILE")
  DB_NAME=SQLite
  JSON_ID="json_extract(\"Body\", '\$.id')"
  new_uuid() { tr '[:lower:]' '[:upper:]' </proc/sys/kernel/random/uuid; } # EF stores GUIDs as upper-case text on SQLite
  epoch() { echo "(julianday($1) - 2440587.5) * 86400.0"; }
fi

# ---------------------------------------------------------------------------------------------------------------
# 3. Publish and start the app and the baseline
# ---------------------------------------------------------------------------------------------------------------
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
BUILD="$(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo '?')"
[[ -z $(git -C "$REPO" status --porcelain -- src 2>/dev/null) ]] || BUILD="$BUILD+changes"
echo "Publishing the app and the baseline (Release)..."
dotnet publish "$REPO/src/ShopAffiliate.Web" -c Release -o "$WORK/app" -v quiet -nologo >"$WORK/publish.log" 2>&1 \
  || { tail -n 40 "$WORK/publish.log" >&2; die "dotnet publish of the app failed"; }
dotnet publish "$HERE/Baseline" -c Release -o "$WORK/baseline" -v quiet -nologo >"$WORK/publish-baseline.log" 2>&1 \
  || { tail -n 40 "$WORK/publish-baseline.log" >&2; die "dotnet publish of the baseline failed"; }

API_KEY="sa_bench_$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')"
SECRET="shpss_bench_$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')"
APP_PORT=$(free_port); APP_URL="http://127.0.0.1:$APP_PORT"
echo "Starting the app on $APP_URL ($DB_NAME)..."
(
  cd "$WORK"
  exec env ASPNETCORE_URLS="$APP_URL" ASPNETCORE_ENVIRONMENT=Production Logging__LogLevel__Default=Warning \
    DataProtection__KeyEncryptionKey="$(head -c 32 /dev/urandom | base64)" \
    App__PublicBaseUrl="$APP_URL" "${DB_ENV[@]}" Shopify__ApiKey=bench-client Shopify__ApiSecret="$SECRET" \
    Bootstrap__OwnerEmail=bench@example.com Bootstrap__OwnerPassword="bench-$API_KEY" \
    Bootstrap__WorkspaceName=Benchmark Bootstrap__ApiKey="$API_KEY" \
    dotnet "$WORK/app/ShopAffiliate.Web.dll"
) >"$WORK/app.log" 2>&1 &
APP_PID=$!
wait_http "$APP_URL/health" 120 "$APP_PID" || { tail -n 40 "$WORK/app.log" >&2; die "the app did not come up"; }
BASE_PORT=$(free_port); BASE_URL="http://127.0.0.1:$BASE_PORT"
(exec env ASPNETCORE_URLS="$BASE_URL" dotnet "$WORK/baseline/Baseline.dll") >"$WORK/baseline.log" 2>&1 &
BASE_PID=$!
wait_http "$BASE_URL/" 60 "$BASE_PID" || { cat "$WORK/baseline.log" >&2; die "the baseline did not come up"; }

# ---------------------------------------------------------------------------------------------------------------
# 4. The program: an approved affiliate with the coupon JANE10, and the shop (inserted: installing needs Shopify)
# ---------------------------------------------------------------------------------------------------------------
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
WORKSPACE_ID=$(sql 'SELECT "Id" FROM "Workspaces"')
sql "INSERT INTO \"Shops\" (\"Id\", \"WorkspaceId\", \"Platform\", \"Domain\", \"Name\", \"Currency\", \"Status\", \"PlainPermalinks\", \"CreatedAt\", \"UpdatedAt\")
     VALUES ('$(new_uuid)', '$WORKSPACE_ID', 'Shopify', 'bench-shop.myshopify.com', 'Bench shop', 'USD', 'Active', false, '2026-01-01 00:00:00', '2026-01-01 00:00:00')" >/dev/null

# ---------------------------------------------------------------------------------------------------------------
# 5. The deliveries: the tests' realistic orders/create body with distinct ids, numbers and buyers, signed
# ---------------------------------------------------------------------------------------------------------------
python3 - "$PAYLOAD" "$SECRET" "$ORDERS" >"$WORK/deliveries.tsv" <<'PY'
import base64, hashlib, hmac, json, sys
source, secret, count = sys.argv[1], sys.argv[2].encode(), int(sys.argv[3])
text = open(source, encoding="utf-8").read()
template = json.loads(text.split('"""', 2)[1])  # the raw string literal of OrdersCreatePayload.Json
for i in range(count):
    order = dict(template)
    order["id"] = 6_000_000_000_000 + i
    order["name"] = f"#B{i}"
    order["order_number"] = 100_000 + i
    order["email"] = f"buyer{i}@example.com"
    order["note_attributes"] = []  # credited by the coupon alone
    body = json.dumps(order, separators=(",", ":")).encode()
    signature = base64.b64encode(hmac.new(secret, body, hashlib.sha256).digest()).decode()
    print(signature + "\t" + body.decode())
PY
BODY_BYTES=$(head -n1 "$WORK/deliveries.tsv" | cut -f2 | wc -c)
probe=$(head -n1 "$WORK/deliveries.tsv")
code=$(curl -sS -o /dev/null -w '%{http_code}' -X POST "$APP_URL/webhooks/shopify" -H 'Content-Type: application/json' \
  -H 'X-Shopify-Topic: orders/create' -H 'X-Shopify-Shop-Domain: bench-shop.myshopify.com' -H 'X-Shopify-Webhook-Id: probe' \
  -H "X-Shopify-Hmac-Sha256: ${probe%%$'\t'*}" --data-binary "${probe#*$'\t'}")
[[ $code == 200 ]] || die "the probe delivery was answered $code, expected 200"
echo "$ORDERS distinct orders of $BODY_BYTES bytes; the probe delivery was answered 200"

# ---------------------------------------------------------------------------------------------------------------
# 6. Load: the baseline, then the app (each after a warm-up)
# ---------------------------------------------------------------------------------------------------------------
run_wrk() { # name url seconds
  WRK_THREADS=$THREADS wrk -t"$THREADS" -c"$CONNECTIONS" -d"$(( $3 + TAIL ))s" --timeout 10s --latency -s "$LUA" "$2" \
    -- "$3" "$WORK/deliveries.tsv" "$1" >"$WORK/wrk-$1.txt" 2>&1 || true
  grep -q '^BENCH ' "$WORK/wrk-$1.txt" || { cat "$WORK/wrk-$1.txt" >&2; die "wrk ($1) gave no result"; }
}
echo "Baseline: warm-up ${WARMUP}s, then ${DURATION}s (-t$THREADS -c$CONNECTIONS)..."
run_wrk base-warmup "$BASE_URL/webhooks/shopify" "$WARMUP"
run_wrk base "$BASE_URL/webhooks/shopify" "$DURATION"
echo "The app: warm-up ${WARMUP}s, then ${DURATION}s..."
run_wrk app-warmup "$APP_URL/webhooks/shopify" "$WARMUP"
run_wrk app "$APP_URL/webhooks/shopify" "$DURATION"
ANSWERED_200=$(( 1 + $(bench_get "$WORK/wrk-app-warmup.txt" s2xx) + $(bench_get "$WORK/wrk-app.txt" s2xx) ))
SENT=$(( 1 + $(bench_get "$WORK/wrk-app-warmup.txt" sent) + $(bench_get "$WORK/wrk-app.txt" sent) ))
INFLIGHT=$(( $(bench_get "$WORK/wrk-app-warmup.txt" inflight) + $(bench_get "$WORK/wrk-app.txt" inflight) ))

# ---------------------------------------------------------------------------------------------------------------
# 7. The engine: wait until the inbox is processed, then read what it did
# ---------------------------------------------------------------------------------------------------------------
echo "Waiting for the inbox worker..."
start=$SECONDS
while [[ $(sql "SELECT count(*) FROM \"Inbox\" WHERE \"Status\" = 'Pending'") != 0 ]]; do
  (( SECONDS - start < ENGINE_WAIT )) || { echo "WARNING: the inbox still has pending deliveries after ${ENGINE_WAIT}s"; break; }
  sleep 0.5
done
ENGINE_AFTER_S=$(( SECONDS - start ))
INBOX=$(sql "SELECT count(*) FROM \"Inbox\" WHERE \"Topic\" = 'orders/create'")
PROCESSED=$(sql "SELECT count(*) FROM \"Inbox\" WHERE \"Status\" = 'Processed'")
NOT_DONE=$(sql "SELECT count(*) FROM \"Inbox\" WHERE \"Status\" <> 'Processed'")
DISTINCT=$(sql "SELECT count(DISTINCT $JSON_ID) FROM \"Inbox\"")
CREDITED=$(sql "SELECT count(*) FROM \"Orders\" WHERE \"AffiliateId\" IS NOT NULL")
COMMISSIONS=$(sql "SELECT count(*) FROM \"Commissions\"")
LEDGER=$(sql "SELECT count(*) FROM \"Ledger\"")
TWICE=$(sql "SELECT count(*) FROM (SELECT \"OrderId\" FROM \"Ledger\" GROUP BY \"OrderId\" HAVING count(*) > 1) AS t")
# From the first measured delivery (not the probe, stored long before the load) to the last batch committed.
MEASURED="FROM \"Inbox\" WHERE \"DeliveryId\" <> 'probe'"
ENGINE_N=$(sql "SELECT count(*) $MEASURED AND \"Status\" = 'Processed'")
ENGINE_S=$(sql "SELECT $(epoch 'max("ProcessedAt")') - $(epoch 'min("ReceivedAt")') $MEASURED")
ENGINE_RATE=$(awk -v n="$ENGINE_N" -v s="$ENGINE_S" 'BEGIN { printf "%.0f", (s > 0 ? n / s : 0) }')

# ---------------------------------------------------------------------------------------------------------------
# 8. Results and checks
# ---------------------------------------------------------------------------------------------------------------
B_RPS=$(bench_get "$WORK/wrk-base.txt" rps); A_RPS=$(bench_get "$WORK/wrk-app.txt" rps)
RATIO=$(awk -v a="$A_RPS" -v b="$B_RPS" 'BEGIN { printf "%.1f", (b > 0 ? 100 * a / b : 0) }')
lat() { echo "$(ms "$(bench_get "$WORK/wrk-$1.txt" p50_us)") / $(ms "$(bench_get "$WORK/wrk-$1.txt" p99_us)")"; }
answers() { echo "$(bench_get "$WORK/wrk-$1.txt" s2xx) / $(bench_get "$WORK/wrk-$1.txt" s4xx) / $(bench_get "$WORK/wrk-$1.txt" s5xx)"; }
echo
echo "Webhook benchmark: wrk -t$THREADS -c$CONNECTIONS, ${DURATION}s per server after ${WARMUP}s warm-up, $DB_NAME, $(nproc) cores, build $BUILD"
row() { printf '  %-32s %18s %18s\n' "$@"; }
row "" "bare Kestrel" "ShopAffiliate"
row "deliveries/s" "${B_RPS%.*}" "${A_RPS%.*}"
row "p50 / p99 (ms)" "$(lat base)" "$(lat app)"
row "max (ms)" "$(ms "$(bench_get "$WORK/wrk-base.txt" max_us)")" "$(ms "$(bench_get "$WORK/wrk-app.txt" max_us)")"
row "answered 2xx / 4xx / 5xx" "$(answers base)" "$(answers app)"
row "wrk timeouts" "$(bench_get "$WORK/wrk-base.txt" err_timeout)" "$(bench_get "$WORK/wrk-app.txt" err_timeout)"
echo "  app / baseline: $RATIO %"
echo "  engine: $ENGINE_N deliveries processed in ${ENGINE_S%.*} s from the first measured delivery stored to the last batch committed: $ENGINE_RATE deliveries/s (done ${ENGINE_AFTER_S} s after the load)"
echo "  inbox: $INBOX orders/create deliveries stored ($SENT sent with the probe and warm-up, $ANSWERED_200 answered 200), $DISTINCT distinct orders"
echo "  credited: $CREDITED orders, $COMMISSIONS commissions, $LEDGER ledger entries"
for level in warn fail crit; do
  n=$(grep -c "^$level: " "$WORK/app.log" || true)
  [[ $n -eq 0 ]] || echo "  app log: $n '$level' entries (first: $(grep -m1 -A1 "^$level: " "$WORK/app.log" | tr '\n' ' ' | cut -c1-160))"
done
echo
RC=0
check() { # ok description
  if [[ $1 -eq 1 ]]; then echo "PASS $2"; else echo "FAIL $2"; RC=1; fi
}
target() { # ok description
  if [[ $1 -eq 1 ]]; then echo "PASS $2"
  else
    echo "MISS $2$([[ $STRICT -eq 1 ]] || echo " (reported only; --strict fails)")"
    [[ $STRICT -eq 0 || $RC -ne 0 ]] || RC=2
  fi
}
check "$(yes_no '[[ $INFLIGHT -eq 0 ]]')" "every request sent was answered (in flight at the end: $INFLIGHT)"
check "$(yes_no '[[ $INBOX -eq $ANSWERED_200 ]]')" "every delivery answered 200 is in the inbox, and only those: $INBOX stored, $ANSWERED_200 answered 200"
check "$(yes_no '[[ $NOT_DONE -eq 0 ]]')" "every stored delivery was processed ($NOT_DONE not)"
check "$(yes_no '[[ $CREDITED -eq $DISTINCT && $COMMISSIONS -eq $DISTINCT && $LEDGER -eq $DISTINCT && $TWICE -eq 0 ]]')" \
  "every distinct order is credited once: $DISTINCT orders delivered, $CREDITED credited, $COMMISSIONS commissions, $LEDGER ledger entries, $TWICE orders with more than one"
P99_MS=$(ms "$(bench_get "$WORK/wrk-app.txt" p99_us)")
target "$(yes_no "awk -v r=$A_RPS -v p=$P99_MS 'BEGIN { exit !(r >= $INTAKE_TARGET && p < $P99_TARGET_MS) }'")" \
  "intake >= $INTAKE_TARGET deliveries/s with p99 < $P99_TARGET_MS ms: ${A_RPS%.*}/s, p99 $P99_MS ms"
target "$(yes_no '[[ $ENGINE_RATE -ge $ENGINE_TARGET ]]')" "engine >= $ENGINE_TARGET deliveries/s: $ENGINE_RATE/s"
echo
echo "Row for README.md:"
printf '| %s | %s | %s | %s cores | -t%s -c%s %ss | %s | %s | %s | %s | %s %% | %s | %s |\n' "$(date +%F)" "$BUILD" "$DB_NAME" "$(nproc)" \
  "$THREADS" "$CONNECTIONS" "$DURATION" "${B_RPS%.*}" "$(lat base)" "${A_RPS%.*}" "$(lat app)" "$RATIO" "$ENGINE_RATE" \
  "$([[ $RC -eq 1 ]] && echo 'checks FAIL' || echo 'checks PASS')"
exit $RC
