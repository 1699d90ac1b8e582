# Shared by the backup and upgrade tests: sources the `sportello` script as a
# library (its stack functions: free ports, clusters, the services) and adds
# a fingerprint of the project's data. Usage: source db_lib.sh PROJECT_DIR
root="${1:?project dir}"
# shellcheck source=../../sportello
source "$root/sportello"
set +e   # the tests count failures themselves
# The binaries of the ./sportello test that runs us (build-sanitize/ with --sanitize).
BIN_DIR="${SPORTELLO_TEST_BIN_DIR:-$BIN_DIR}"

passed=0 failed=0
check() {  # check DESCRIPTION COMMAND...
  if "${@:2}" >/dev/null 2>&1; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAILED: $1"; fi
}
finish() { echo "$passed passed, $failed failed"; ((failed == 0)); }

# url_with_db URL NAME: URL with its database replaced by NAME.
url_with_db() { printf '%s/%s\n' "${1%/*}" "$2"; }

# psql_at URL ARGS...: psql with errors fatal, unaligned tuples only.
psql_at() { local url="$1"; shift; "$PG_BIN/psql" -X -q -tA -v ON_ERROR_STOP=1 -d "$url" "$@"; }

# fingerprint URL: one line per table of every schema in services/services.txt
# ("schema.table rows md5-of-the-sorted-rows") and per sequence ("schema.seq
# last_value is_called"): equal fingerprints, equal data.
fingerprint() {
  local list
  list="$(IFS=,; printf '%s' "${SERVICES[*]}")"
  psql_at "$1" <<SQL
SELECT format('SELECT %L || '' '' || count(*) || '' '' || md5(coalesce(string_agg(t::text, E''\\n'' ORDER BY t::text), '''')) FROM %I.%I t',
              n.nspname || '.' || c.relname, n.nspname, c.relname)
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE c.relkind IN ('r', 'p') AND n.nspname = ANY (string_to_array('$list', ','))
 ORDER BY n.nspname, c.relname
\gexec
SELECT format('SELECT %L || '' '' || last_value || '' '' || is_called FROM %I.%I', n.nspname || '.' || c.relname, n.nspname, c.relname)
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE c.relkind = 'S' AND n.nspname = ANY (string_to_array('$list', ','))
 ORDER BY n.nspname, c.relname
\gexec
SQL
}

# services_on URL: every service of services/services.txt and the gateway
# on free ports against the database URL, with a Redis of their own (the
# shared one caches the test stack's catalogue under the same keys).
# Sets GATEWAY_PORT; stack_stop (the EXIT trap) stops them.
services_on() {
  PG_URL="$1"
  [[ -n "${REDIS_URL:-}" ]] || { free_port redis_port; redis_start "$STACK_TEMP_DIR" "$redis_port"; }
  start_services "$STACK_TEMP_DIR" ephemeral
}

# stop_services: stops what services_on started (not the clusters).
stop_services() {
  local pg_dir="$STACK_PG_DIR"
  STACK_PG_DIR=""
  stack_stop
  STACK_PG_DIR="$pg_dir"
  REDIS_URL=""
}
