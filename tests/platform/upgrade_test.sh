#!/usr/bin/env bash
# An upgrade from the previous release's schema (tests/platform/
# previous_release): a database built by that release's migrations, recorded
# as its runner recorded them, with rows it wrote, is opened by today's
# binaries of every service in services/services.txt. They apply today's
# migrations at start-up, and everything is found again.
# Usage: upgrade_test.sh PROJECT_DIR   (under ./sportello test)
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=db_lib.sh
source "$here/db_lib.sh" "${1:?project dir}"
: "${SPORTELLO_TEST_PG_URL:?run under ./sportello test}"
previous="$here/previous_release"

install_traps
make_temp_dir
JWT_SECRET="$(random_secret)"
db="upgrade_$$"
url="$(url_with_db "$SPORTELLO_TEST_PG_URL" "$db")"
psql_at "$SPORTELLO_TEST_PG_URL" -c "CREATE DATABASE $db" || { echo "FAILED: create database"; exit 1; }
trap 'stack_cleanup; psql_at "$SPORTELLO_TEST_PG_URL" -c "DROP DATABASE IF EXISTS $db WITH (FORCE)"' EXIT

# Migrations are forward-only: a released file is never edited (the runner
# would refuse it by its checksum), so each is still in the tree as it was.
for file in "$previous"/*/*.sql; do
  schema="$(basename "$(dirname "$file")")"
  check "released migration $schema/$(basename "$file") is unchanged" \
    cmp "$file" "$root/services/$schema/migrations/$(basename "$file")"
done

# The previous release's runner (common/db/migrations.cpp, unchanged since):
# per schema, in one transaction, each file under search_path <schema>,
# public, recorded with its version, label and FNV-1a 64 checksum.
for dir in "$previous"/*/; do
  schema="$(basename "$dir")"
  python3 - "$schema" "$dir"*.sql >"$STACK_TEMP_DIR/$schema.sql" <<'PY'
import os, sys
schema, files = sys.argv[1], sorted(sys.argv[2:])
def fnv1a(data):
    h = 1469598103934665603
    for b in data:
        h = ((h ^ b) * 1099511628211) % (1 << 64)
    return "%016x" % h
print("SELECT pg_advisory_xact_lock(hashtext('sportello.migrations'));")
print(f"CREATE SCHEMA IF NOT EXISTS {schema};")
print(f"CREATE TABLE IF NOT EXISTS {schema}.schema_migrations (version integer PRIMARY KEY, name text NOT NULL, "
      "checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now());")
for f in files:
    stem = os.path.basename(f)[:-4]
    body = open(f, "rb").read()
    print(f"SET LOCAL search_path TO {schema}, public;")
    print(body.decode())
    print(f"INSERT INTO {schema}.schema_migrations (version, name, checksum) "
          f"VALUES ({int(stem[:4])}, '{stem[5:]}', '{fnv1a(body)}');")
PY
  check "the previous release's $schema migrations apply" psql_at "$url" --single-transaction -f "$STACK_TEMP_DIR/$schema.sql"
done
check "the previous release's rows go in" psql_at "$url" --single-transaction -f "$previous/data.sql"

# Today's binaries on it: every service migrates at start-up, then serves.
if services_on "$url" 2>"$STACK_TEMP_DIR/start.log"; then
  passed=$((passed + 1))
else
  failed=$((failed + 1)); echo "FAILED: today's services start on the previous release's database"
  cat "$STACK_TEMP_DIR/start.log"; show_logs
fi

for name in "${SERVICES[@]}"; do
  files=("$root/services/$name/migrations"/*.sql)
  want="$(for f in "${files[@]}"; do b="$(basename "$f")"; echo "$((10#${b:0:4}))"; done | sort -n | tr '\n' ' ')"
  have="$(psql_at "$url" -c "SELECT version FROM $name.schema_migrations WHERE version < 10000 ORDER BY version" | tr '\n' ' ')"
  check "$name: every migration of today applied (want $want, have $have)" test "$want" == "$have"
done
q() { psql_at "$url" -c "$1"; }
check "complaints: common's outbox migration applied" test "$(q "SELECT count(*) FROM complaints.schema_migrations WHERE version = 10001")" == 1
check "catalogue: the tenant is kept" test "$(q "SELECT name FROM catalogue.tenants WHERE ipa_code = 'c_upgr'")" == "Comune di Prova Aggiornamento"
check "complaints: both requests, reporters and history kept" test \
  "$(q "SELECT (SELECT count(*) FROM complaints.requests WHERE tenant = 'c_upgr') || ' ' || (SELECT count(*) FROM complaints.reporters) || ' ' || (SELECT count(*) FROM complaints.history)")" == "2 2 2"
check "complaints: 0004 cleared the stale resolved_time, kept the real one" test \
  "$(q "SELECT string_agg(number || ':' || (resolved_time IS NULL), ',' ORDER BY number) FROM complaints.requests")" == \
  "UPGR-2026-000001:true,UPGR-2026-000002:false"
check "complaints: the events kept, in order" test \
  "$(q "SELECT string_agg(subject, ',' ORDER BY sequence) FROM complaints.outbox")" == "UPGR-2026-000001,UPGR-2026-000002"
check "complaints: the subscriber's cursor kept (no history sent again)" test \
  "$(q "SELECT last_sequence FROM complaints.outbox_cursors WHERE subscriber = 'partner'")" == 1

# Through the API, as the previous release's users would meet it.
operator="$(SPORTELLO_JWT_SECRET="$JWT_SECRET" "$BIN_DIR/sportello-token" --tenant c_upgr --role operator --sub upgrade.test)"
check "GET /api/v1/tenants/c_upgr" api GET /api/v1/tenants/c_upgr
check "GET /api/v1/requests/UPGR-2026-000001 is in progress" eval \
  "api GET /api/v1/requests/UPGR-2026-000001 '' '$operator' | grep -q REQUEST_STATUS_IN_PROGRESS"
out="$(api POST /api/v1/tenants/c_upgr/requests \
  '{"kind":"REQUEST_KIND_COMPLAINT","subject":"Dopo","description":"Dopo l aggiornamento.","reporter":{"name":"Prova Tre"}}')"
check "a new request continues the year's numbering (UPGR-2026-000003): $out" grep -q '"number":"UPGR-2026-000003"' <<<"$out"
finish
