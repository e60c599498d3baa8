#!/usr/bin/env bash
# The whole test suite:
#   1. lint: ruff (rules pinned in pyproject.toml) and the import-linter architecture contracts;
#   2. tests/core, the Django-free core, once: it touches no database (tests/core/conftest.py
#      fails a test there that asks for one);
#   3. every other test on SQLite, then again on PostgreSQL.
# PostgreSQL and Redis are required: a missing server is a failure, never a skip.
# Arguments are passed to every pytest run: options such as -x or -k, not paths.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
PG_URL=${DPGHUB_TEST_DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/dpghub}
REDIS_URL=${DPGHUB_TEST_REDIS_URL:-redis://127.0.0.1:6379/15}
export DPGHUB_TEST_REDIS_URL=$REDIS_URL

scripts/install-test-deps.sh

echo "== lint (ruff)"
$BIN/ruff check src tests bench
echo "== import contracts (lint-imports)"
$BIN/lint-imports

echo "== services"
$BIN/python - "$PG_URL" "$REDIS_URL" <<'PY'
import sys
import psycopg, redis
pg, rd = sys.argv[1], sys.argv[2]
try:
    psycopg.connect(pg, dbname="postgres", connect_timeout=5).close()  # the test database is made later
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
echo "== pytest: the Django-free core (tests/core), once"
env -u DPGHUB_DATABASE_URL DPGHUB_DATA_DIR="$tmp/core" $BIN/pytest -p no:cacheprovider tests/core "$@"
echo "== pytest on SQLite (all but tests/core)"
env -u DPGHUB_DATABASE_URL DPGHUB_DATA_DIR="$tmp/sqlite" $BIN/pytest -p no:cacheprovider --ignore=tests/core "$@"
echo "== pytest on PostgreSQL (all but tests/core)"
DPGHUB_DATA_DIR="$tmp/pg" DPGHUB_DATABASE_URL="$PG_URL" $BIN/pytest -p no:cacheprovider --ignore=tests/core "$@"
echo "== API fuzzing: schemathesis against a live server, ${DPGHUB_FUZZ_EXAMPLES:=20} examples per operation (make fuzz: 300)"
scripts/fuzz.sh "$DPGHUB_FUZZ_EXAMPLES"
