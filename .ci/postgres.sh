#!/usr/bin/env bash
# A throwaway PostgreSQL server for the tests that need one (the sweep's shared study), on localhost only.
#   .ci/postgres.sh start DIR [PORT]   # initdb in DIR (owned by the `postgres` user), start, print the URL to use
#                                      # (DIR's parents must be open to that user: e.g. mktemp -d /tmp/vlm_pg.XXXXXX)
#   .ci/postgres.sh stop DIR           # stop it (the data folder goes with DIR)
# Debian's `postgresql` package (apt-get install postgresql); the server runs as the `postgres` system user,
# since PostgreSQL refuses to run as root.
set -euo pipefail
cmd=$1; dir=$2; port=${3:-54329}
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -n "$bin" ] || { echo "no PostgreSQL server installed (apt-get install postgresql)" >&2; exit 1; }
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
case $cmd in
  start)
    mkdir -p "$dir"; chmod 755 "$dir"; if [ "$(id -u)" = 0 ]; then chown postgres "$dir"; fi
    as_pg "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 > "$dir/initdb.log" 2>&1
    as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
      -o "-p $port -k $dir -c listen_addresses=localhost -c max_connections=100 -c fsync=off" start > /dev/null
    echo "postgresql+psycopg://postgres@localhost:$port/postgres";;
  stop) as_pg "$bin/pg_ctl" -D "$dir/data" -m fast -w stop > /dev/null 2>&1 || true;;
  *) echo "usage: $0 start|stop DIR [PORT]" >&2; exit 2;;
esac
