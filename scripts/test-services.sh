#!/usr/bin/env bash
# Run a command (the test suite) with the services the service tests use.
#
# - As root, installs Debian's chromium and postgresql when they are missing (apt-get update
#   once, then apt-get install -y). Not root: nothing is installed and the tests that need a
#   missing program skip, saying why.
# - Starts a throwaway PostgreSQL cluster in a temporary directory on a free loopback port, as
#   a non-root user, exports AXILLA_TEST_POSTGRES_URL for the tests, and stops and deletes it
#   afterwards, also when the command fails. An AXILLA_TEST_POSTGRES_URL already set is used
#   as it is.
#
# - Installs axe-core (the accessibility engine the browser tests inject) from the npm registry
#   into .venv/node when npm is present, and exports AXILLA_AXE_JS with the path of axe.min.js.
#
# Usage: scripts/test-services.sh COMMAND [ARGS...]
set -euo pipefail

PYTHON=${PYTHON:-python3}

find_pg_bin() {
  local d
  for d in "$(pg_config --bindir 2>/dev/null || true)" /usr/lib/postgresql/*/bin; do
    if [ -n "$d" ] && [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ]; then
      echo "$d"
      return 0
    fi
  done
  if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
    dirname "$(command -v initdb)"
    return 0
  fi
  return 1
}

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
PG_BIN=$(find_pg_bin || true)
if [ -z "${AXILLA_TEST_POSTGRES_URL:-}" ] && [ -z "$PG_BIN" ]; then
  missing+=(postgresql)
fi

if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "test-services: installing ${missing[*]} (Debian packages)" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
    PG_BIN=$(find_pg_bin || true)
  else
    echo "test-services: missing ${missing[*]} and not root: tests that need them skip" >&2
  fi
fi

AXE_VERSION=4.11.0
AXE_DIR=${AXILLA_AXE_DIR:-.venv/node}
AXE_JS="$AXE_DIR/node_modules/axe-core/axe.min.js"
if [ ! -f "$AXE_JS" ] || ! grep -q "\"version\": \"$AXE_VERSION\"" \
    "$AXE_DIR/node_modules/axe-core/package.json" 2>/dev/null; then
  if command -v npm >/dev/null 2>&1; then
    echo "test-services: installing axe-core $AXE_VERSION (npm registry) into $AXE_DIR" >&2
    npm install --silent --no-audit --no-fund --no-save --prefix "$AXE_DIR" \
      "axe-core@$AXE_VERSION" >/dev/null
  else
    echo "test-services: npm missing: the accessibility tests skip" >&2
  fi
fi
[ -f "$AXE_JS" ] && export AXILLA_AXE_JS="$PWD/$AXE_JS"

PG_DIR=""
RUN_AS=()
cleanup() {
  if [ -n "$PG_DIR" ]; then
    (cd "$PG_DIR" && "${RUN_AS[@]}" "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate -w stop \
      >/dev/null 2>&1) || true
    rm -rf "$PG_DIR"
  fi
}
trap cleanup EXIT

if [ -z "${AXILLA_TEST_POSTGRES_URL:-}" ] && [ -n "$PG_BIN" ]; then
  PG_DIR=$(mktemp -d "${TMPDIR:-/tmp}/axilla-pg.XXXXXX")
  if [ "$(id -u)" = 0 ]; then
    pg_user=postgres
    id "$pg_user" >/dev/null 2>&1 || pg_user=nobody
    chown "$pg_user" "$PG_DIR"
    RUN_AS=(runuser -u "$pg_user" --)
  fi
  port=$("$PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  (cd "$PG_DIR" && "${RUN_AS[@]}" "$PG_BIN/initdb" -D "$PG_DIR/data" -U axilla --auth=trust \
    -E UTF8 --no-instructions >"$PG_DIR/initdb.log" 2>&1) || {
    cat "$PG_DIR/initdb.log" >&2; exit 1; }
  (cd "$PG_DIR" && "${RUN_AS[@]}" "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $PG_DIR" start >/dev/null) || {
    cat "$PG_DIR/server.log" >&2; exit 1; }
  export AXILLA_TEST_POSTGRES_URL="postgresql+psycopg://axilla@127.0.0.1:$port/postgres"
  echo "test-services: PostgreSQL on 127.0.0.1:$port (throwaway cluster)" >&2
fi

"$@"
