# Shell helpers shared by run.sh, webhooks.sh and reports.sh (sourced, not run).
die() { echo "ERROR: $*" >&2; exit 3; }
count() { [[ $1 =~ ^[0-9]+$ && $1 -gt 0 ]] || die "expected a positive number, got '$1'"; echo "$1"; }
stop_pid() { # pid signal seconds: signal, wait, then SIGKILL
  local pid=$1 sig=$2 wait_s=$3 i
  [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null || return 0
  kill "-$sig" "$pid" 2>/dev/null || true
  for ((i = 0; i < wait_s * 10; i++)); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
}
free_port() { # a port nobody listens on (tiny race with other programs: acceptable here)
  local p
  for _ in $(seq 1 500); do
    p=$(( 20000 + RANDOM % 12000 )) # below the kernel's ephemeral range (32768-60999): no outgoing connection holds it
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
bench_get() { grep -o " $2=[^ ]*" "$1" | head -n1 | cut -d= -f2; } # file key -> value from the BENCH line
# Npgsql "Host=..;Port=..;Database=..;Username=..;Password=.." -> libpq environment for psql, in PSQL_ENV.
pg_env() { # connection-string
  local parts part key val
  PSQL_ENV=()
  IFS=';' read -ra parts <<<"$1"
  for part in "${parts[@]}"; do
    [[ $part == *=* ]] || continue
    key=$(tr -d ' ' <<<"${part%%=*}" | tr '[:upper:]' '[:lower:]'); val=${part#*=}
    case $key in
      host|server) PSQL_ENV+=("PGHOST=$val") ;;
      port) PSQL_ENV+=("PGPORT=$val") ;;
      database|db) PSQL_ENV+=("PGDATABASE=$val") ;;
      username|user|userid) PSQL_ENV+=("PGUSER=$val") ;;
      password|pwd) PSQL_ENV+=("PGPASSWORD=$val") ;;
      sslmode) PSQL_ENV+=("PGSSLMODE=$(tr '[:upper:]' '[:lower:]' <<<"$val")") ;;
    esac
  done
}
as_pg() { if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }
install_missing() { # command[:debian-package] ... -> installs the packages of the commands not found, with apt-get
  local want pkgs=() tool
  PATH=$PATH:/usr/sbin:/sbin
  for want in "$@"; do
    tool=${want%%:*}
    if [[ $tool == initdb ]]; then ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && continue
    else command -v "$tool" >/dev/null && continue; fi
    pkgs+=("${want#*:}")
  done
  [[ ${#pkgs[@]} -gt 0 ]] || return 0
  echo "Installing from Debian: ${pkgs[*]}"
  local sudo=""; [[ $(id -u) -eq 0 ]] || sudo=sudo
  $sudo apt-get update -qq || die "apt-get update failed"
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${pkgs[@]}" >/dev/null || die "could not install ${pkgs[*]}"
}
throwaway_postgres() { # folder -> a PostgreSQL server from Debian's binaries on a free port; sets PG_BIN, PG_DIR, PG_CONN
  PG_BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n1)
  PG_DIR=$1; local port; port=$(free_port)
  mkdir -p "$PG_DIR"; [[ $(id -u) -ne 0 ]] || chown postgres "$PG_DIR"
  as_pg "$PG_BIN/initdb" -D "$PG_DIR" -U postgres -A trust >"$PG_DIR.initdb.log" 2>&1 || { cat "$PG_DIR.initdb.log" >&2; die "initdb failed"; }
  as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR" -l "$PG_DIR/log" -w -o "-p $port -k $PG_DIR -c listen_addresses=127.0.0.1" start >/dev/null \
    || { cat "$PG_DIR/log" >&2; die "PostgreSQL did not start"; }
  PG_CONN="Host=127.0.0.1;Port=$port;Database=postgres;Username=postgres"
}
# The periodic mailers off while pages are timed: seeded affiliates are real recipients, and on the first days of a
# month the monthly statement pass would write a mail for each of them (10,000 in admin-lists.sh) during the timings.
BENCH_MAILERS_OFF=(Mail__MonthlyStatement=false Mail__CommissionEarned=false)
