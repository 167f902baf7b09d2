#!/usr/bin/env bash
# Runs a command with a throwaway PostgreSQL server for the tests: a new cluster (initdb) in a
# temporary folder, listening on 127.0.0.1 at a free port with trust authentication for the user
# pingyi, and PINGYI_TEST_POSTGRES=postgres://pingyi@127.0.0.1:PORT/postgres exported. The server
# is stopped and its folder removed when the command ends, whatever its outcome.
#
#   scripts/with-postgres.sh swift test
#
# Already set PINGYI_TEST_POSTGRES: the command runs against that server. No PostgreSQL installed
# (scripts/setup.sh installs Debian's): the command runs without it, and the PostgreSQL store
# tests say they were skipped. As root, the server runs as the user postgres (initdb refuses root).
set -euo pipefail

if [ -n "${PINGYI_TEST_POSTGRES:-}" ]; then exec "$@"; fi

bindir=""
for d in /usr/lib/postgresql/*/bin; do [ -x "$d/initdb" ] && bindir="$d"; done
if [ -z "$bindir" ] && command -v initdb >/dev/null; then bindir="$(dirname "$(command -v initdb)")"; fi
if [ -z "$bindir" ]; then
  echo "with-postgres: no PostgreSQL server installed (initdb not found); PostgreSQL tests will be skipped" >&2
  exec "$@"
fi

dir="$(mktemp -d "${TMPDIR:-/tmp}/pingyi-pg.XXXXXX")"
as_owner=()
if [ "$(id -u)" = "0" ]; then
  id postgres >/dev/null 2>&1 || { echo "with-postgres: running as root needs the user postgres (Debian's postgresql package makes it)" >&2; exit 1; }
  chown postgres "$dir"
  as_owner=(runuser -u postgres --)
fi
port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"

stop() {
  "${as_owner[@]}" "$bindir/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap stop EXIT

"${as_owner[@]}" "$bindir/initdb" -D "$dir/data" -U pingyi --auth=trust -E UTF8 --no-locale >"$dir/initdb.log" 2>&1 \
  || { cat "$dir/initdb.log" >&2; exit 1; }
# A throwaway server with many connections (tests run in parallel). Durability is off (fsync) to keep
# the tests fast, unless PINGYI_PG_DURABLE=1 (benchmarks: PostgreSQL's defaults).
settings="-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$dir -c max_connections=300"
if [ "${PINGYI_PG_DURABLE:-}" != "1" ]; then settings="$settings -c fsync=off -c synchronous_commit=off -c full_page_writes=off"; fi
"${as_owner[@]}" "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 -o "$settings" start >/dev/null \
  || { cat "$dir/server.log" >&2; exit 1; }

export PINGYI_TEST_POSTGRES="postgres://pingyi@127.0.0.1:$port/postgres"
echo "with-postgres: PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') on 127.0.0.1:$port for this run" >&2
"$@"
