#!/usr/bin/env bash
# ./sportello backup and restore: a database that today's services created
# (every schema of services/services.txt, with its demo data) and that got
# requests through the REST API is backed up, restored into a fresh embedded
# cluster, and found again: every row of every table and every sequence, the
# requests through the API, and a new request numbered after them.
# Usage: backup_restore_test.sh PROJECT_DIR   (under ./sportello test)
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=db_lib.sh
source "$here/db_lib.sh" "${1:?project dir}"
: "${SPORTELLO_TEST_PG_URL:?run under ./sportello test}"

install_traps
make_temp_dir
JWT_SECRET="$(random_secret)"
REDIS_URL=""

# A database of its own in the test cluster, filled by today's services.
src="$(url_with_db "$SPORTELLO_TEST_PG_URL" "backup_src_$$")"
psql_at "$SPORTELLO_TEST_PG_URL" -c "CREATE DATABASE backup_src_$$" || { echo "FAILED: create database"; exit 1; }
trap 'stack_cleanup; psql_at "$SPORTELLO_TEST_PG_URL" -c "DROP DATABASE IF EXISTS backup_src_$$ WITH (FORCE)"' EXIT
services_on "$src"
operator="$(SPORTELLO_JWT_SECRET="$JWT_SECRET" "$BIN_DIR/sportello-token" --tenant c_f027 --role operator --sub backup.test)"
numbers=()
for i in 1 2 3; do
  out="$(api POST /api/v1/tenants/c_f027/requests \
    "{\"kind\":\"REQUEST_KIND_COMPLAINT\",\"subject\":\"Backup $i\",\"description\":\"Richiesta $i prima del backup.\",\"reporter\":{\"name\":\"Prova Backup\",\"email\":\"backup$i@example.it\"}}")"
  numbers+=("$(grep -o '"number":"[^"]*"' <<<"$out" | head -n 1 | cut -d'"' -f4)")
done
check "the first request acknowledged" api POST "/api/v1/requests/${numbers[0]}:transition" \
  '{"to":"REQUEST_STATUS_ACKNOWLEDGED","note":"presa in carico","public_note":true}' "$operator"
check "three requests submitted (${numbers[*]})" test "${#numbers[@]}" -eq 3 -a -n "${numbers[2]}"
stop_services

# The backup of a quiet database, and its fingerprint.
SPORTELLO_PG_URL="$src" "$root/sportello" backup "$STACK_TEMP_DIR/backup.dump" 2>"$STACK_TEMP_DIR/backup.log" &&
  passed=$((passed + 1)) || { failed=$((failed + 1)); echo "FAILED: backup"; cat "$STACK_TEMP_DIR/backup.log"; }
before="$(fingerprint "$src")"
for name in "${SERVICES[@]}"; do
  check "the source has schema $name with rows" grep -Eq "^$name\.[a-z_]+ [1-9]" <<<"$before"
done
check "the source has the requests" grep -Eq "^complaints\.requests 3 " <<<"$before"

# Restore into a fresh embedded cluster (./sportello restore creates it).
fresh="$STACK_TEMP_DIR/fresh"
if SPORTELLO_PG_URL="" SPORTELLO_DATA_DIR="$fresh" "$root/sportello" restore "$STACK_TEMP_DIR/backup.dump" 2>"$STACK_TEMP_DIR/restore.log"; then
  passed=$((passed + 1))
else
  failed=$((failed + 1)); echo "FAILED: restore"; cat "$STACK_TEMP_DIR/restore.log"
fi
free_port fresh_port
pg_start "$fresh" "$fresh_port" >/dev/null
after="$(fingerprint "$PG_URL")"
check "the restore holds every row of every table and every sequence ($(wc -l <<<"$before") tables and sequences)" \
  test "$before" == "$after"
[[ "$before" == "$after" ]] || diff <(echo "$before") <(echo "$after")

# The services find the requests again, and number the next one after them.
services_on "$PG_URL"
for n in "${numbers[@]}"; do
  check "GET /api/v1/requests/$n after the restore" api GET "/api/v1/requests/$n" '' "$operator"
done
check "the first request kept its status" eval \
  "api GET /api/v1/requests/${numbers[0]} '' '$operator' | grep -q REQUEST_STATUS_ACKNOWLEDGED"
out="$(api POST /api/v1/tenants/c_f027/requests \
  '{"kind":"REQUEST_KIND_COMPLAINT","subject":"Dopo","description":"Richiesta dopo il ripristino.","reporter":{"name":"Prova Backup"}}')"
next="$(grep -o '"number":"[^"]*"' <<<"$out" | head -n 1 | cut -d'"' -f4)"
check "a new request after the restore gets a new number ($next)" \
  test -n "$next" -a "$next" != "${numbers[0]}" -a "$next" != "${numbers[1]}" -a "$next" != "${numbers[2]}"

# Restore refuses while the services use the database.
if SPORTELLO_PG_URL="$PG_URL" "$root/sportello" restore "$STACK_TEMP_DIR/backup.dump" 2>"$STACK_TEMP_DIR/refused.log"; then
  failed=$((failed + 1)); echo "FAILED: restore ran while the services were connected"
else
  check "restore refuses while the services are connected" grep -q "other sessions use the database" "$STACK_TEMP_DIR/refused.log"
fi
finish
