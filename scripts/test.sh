#!/usr/bin/env bash
# The whole test suite: architecture contracts, then pytest on SQLite and on PostgreSQL.
# PostgreSQL and Redis are required: a missing server is a failure, never a skip.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
PG_URL=${DPGHUB_TEST_DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/dpghub}
REDIS_URL=${DPGHUB_TEST_REDIS_URL:-redis://127.0.0.1:6379/15}

scripts/install-test-deps.sh

echo "== import contracts (lint-imports)"
$BIN/lint-imports

echo "== services"
$BIN/python - "$PG_URL" "$REDIS_URL" <<'PY'
import sys
import psycopg, redis
pg, rd = sys.argv[1], sys.argv[2]
try:
    psycopg.connect(pg.replace("/dpghub", "/postgres"), connect_timeout=5).close()
except Exception as exc:
    sys.exit(f"PostgreSQL is required for the tests and is not reachable at {pg}: {exc}")
try:
    redis.Redis.from_url(rd, socket_connect_timeout=5).ping()
except Exception as exc:
    sys.exit(f"Redis is required for the tests and is not reachable at {rd}: {exc}")
print("PostgreSQL and Redis reachable")
PY

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "== pytest on SQLite"
DPGHUB_DATA_DIR="$tmp/sqlite" $BIN/pytest -p no:cacheprovider "$@"
echo "== pytest on PostgreSQL"
DPGHUB_DATA_DIR="$tmp/pg" DPGHUB_DATABASE_URL="$PG_URL" $BIN/pytest -p no:cacheprovider "$@"
