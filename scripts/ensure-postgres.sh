#!/usr/bin/env bash
# Make sure a throwaway PostgreSQL server for the tests runs on 127.0.0.1:$PORT.
# Installs Debian's postgresql package when missing. Prints the admin URL on stdout.
set -euo pipefail
PORT=${STELSEL_TEST_PG_PORT:-55432}
DATA=/tmp/stelsel-test-pg-$PORT
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  echo "PostgreSQL ontbreekt; installeren met apt-get" >&2
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
fi
BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
RUN=()
if [ "$(id -u)" = 0 ]; then RUN=(runuser -u postgres --); fi
if ! "$BIN/pg_isready" -h 127.0.0.1 -p "$PORT" -q; then
  if [ ! -f "$DATA/PG_VERSION" ]; then
    rm -rf "$DATA"; mkdir -p "$DATA"
    [ "$(id -u)" = 0 ] && chown postgres "$DATA"
    "${RUN[@]}" "$BIN/initdb" -D "$DATA" -A trust -U stelsel -E UTF8 --locale=C.UTF-8 >&2
  fi
  "${RUN[@]}" "$BIN/pg_ctl" -D "$DATA" -l "$DATA/server.log" -w start \
    -o "-p $PORT -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" >&2
fi
echo "postgresql+psycopg://stelsel@127.0.0.1:$PORT/postgres"
