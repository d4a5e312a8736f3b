#!/bin/sh
# A throwaway PostgreSQL cluster on loopback for the tests: pg-server.sh start DIR PORT | stop DIR
set -eu; dir=$2
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)          # not on PATH in Debian
if [ "$(id -u)" = 0 ]; then as_pg="runuser -u postgres --"; else as_pg=""; fi  # initdb refuses root
if [ "$1" = stop ]; then exec $as_pg "$PGBIN/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null; fi
mkdir -p "$dir"; [ -z "$as_pg" ] || chown postgres: "$dir"
$as_pg "$PGBIN/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log"
$as_pg "$PGBIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 start -o \
    "-c listen_addresses=127.0.0.1 -p $3 -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" >/dev/null
