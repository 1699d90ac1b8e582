#!/usr/bin/env bash
# ./sportello bench [--json FILE]: three requests, each next to nginx serving
# its very bytes, all at the same concurrency in the same run:
#   tenant   GET /api/v1/tenants/c_f027 through the gateway (REST/JSON -> gRPC),
#            answered from its edge cache; the same GET with
#            "Cache-Control: no-cache", which the edge cache passes to the
#            catalogue (the uncached path); CatalogueService/GetTenant
#            straight to the catalogue (sportello-grpc-load); a raw gRPC
#            unary echo (sportello-grpc-load --serve-echo: no auth, no worker,
#            no store), the limit of the uncached path; and nginx serving the
#            same JSON bytes
#   service  GET /api/v1/services/<Massafra's CIE card> through the gateway,
#            and nginx serving the same bytes
#   search   GET /api/v1/search?tenant=c_f027&q=carta%20identita through the
#            gateway, and nginx serving the same bytes
#   feed     GET /feeds/c_f027/atom (the Atom feed of Massafra's published
#            messages, rendered by the gateway from dispatch's ListPublished)
#            through the gateway, and nginx serving the same bytes as
#            application/atom+xml
# and one write, next to PostgreSQL doing the least such a write needs:
#   submit   POST /api/v1/tenants/c_f027/requests of a suggestion through the
#            gateway (bench/submit.lua; each one a new request), and pgbench
#            inserting the same row into a copy of complaints.requests
#   answer   POST /api/v1/surveys/<Massafra's CIE stars>/responses of an
#            anonymous 4-star rating through the gateway (bench/answer.lua),
#            and pgbench inserting the same response row into a copy of
#            surveys.responses (the per-client answer limit is lifted)
# and one download, next to PostgreSQL producing its bytes:
#   download GET /api/v1/datasets/c_f027-richieste-pubbliche/versions/N/csv
#            through the gateway (the opendata service streams it out of
#            COPY (SELECT ...) TO STDOUT in chunks), and psql running the same
#            COPY (SELECT ...) TO STDOUT into a pipe: bytes per second of each
#            (median of 3, one after the other) and their ratio; then the peak
#            RSS of the opendata service and of the gateway while that version
#            downloads and while a version ten times larger does (VmHWM,
#            reset before each download). The versions are written by SQL into
#            the throwaway database: synthetic rows shaped like public
#            requests (SPORTELLO_BENCH_DOWNLOAD_ROWS, default 100000), their
#            size and SHA-256 computed by PostgreSQL; downloads are checked
#            against them.
# and the delivery of messages, next to wrk:
#   webhook  SPORTELLO_BENCH_DELIVERIES (default 1000) messages for one webhook
#            account of a bench tenant, each drafted, submitted and approved
#            through the gateway (bench/dispatch_messages.py) for tomorrow; then
#            one UPDATE makes all their deliveries due at once (time T0) and
#            dispatch's worker (one thread, batches of 16) posts them, signed,
#            to the loopback webhook receiver of the tests
#            (tests/dispatch/fake_platforms.py, which checks both signatures).
#            From the attempt log: deliveries per second (N / (last sent - T0)),
#            p50 and p99 of the worker's time per delivery (from the claim or
#            the previous attempt to this one: the HTTP call and its
#            bookkeeping) and of due -> sent (T0 to the attempt: the queue
#            included); the receiver's log is checked for N signed, distinct
#            deliveries. Next to it, wrk posting the same signed request (one
#            of those deliveries, freshly timestamped) to the same receiver
#            with one connection (the worker sends one at a time) and with
#            SPORTELLO_BENCH_CONNECTIONS.
# --only CASE,... runs only those cases (tenant service search feed download
# submit answer webhook).
# The gateway's GET answers come from its edge cache (each is requested once
# before the load); the uncached row comes from the catalogue's Redis cache.
# Each gateway row also reports the share of its requests answered from the
# edge cache (from the gateway's /metrics before and after the row); then
# each process's CPU time per request of every row (user + system from
# /proc/PID/stat before and after the row, divided by its requests: the
# stack's processes, PostgreSQL's backends included, and the load generator),
# so that a ratio comes with what it is made of; and the table ends with each
# process's peak RSS (VmHWM, the largest of the process and its children).
# --json FILE writes the same figures as JSON, to compare one run with
# another. HTTP load is wrk's, nginx serves static files as application/json,
# like the gateway. Prints throughput, p50 and p99
# of each row and the ratios gateway/nginx (and, for tenant, grpc/nginx and
# gateway/grpc; for submit, gateway/pgbench and gateway/writes). Asserts nothing. The submissions
# and pgbench's rows land in the throwaway database of the bench's stack; with
# SPORTELLO_PG_URL (a database of your own) the submit case is skipped.
#
# SPORTELLO_BENCH_CONNECTIONS (default 32), SPORTELLO_BENCH_SECONDS (10),
# SPORTELLO_BENCH_DELIVERIES (1000).
set -euo pipefail

# The stack functions (ensure_packages, stack_up, free_port, ...) live in the
# entry point; sourcing it runs nothing.
# shellcheck source-path=SCRIPTDIR/.. source=sportello
source "$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/sportello"

CONNECTIONS="${SPORTELLO_BENCH_CONNECTIONS:-32}"
SECONDS_EACH="${SPORTELLO_BENCH_SECONDS:-10}"
IPA=c_f027                     # the demo tenant Comune di Massafra
WRK_THREADS=2                  # the machine's cores; wrk needs connections >= threads

# The requests under test, by case. The service is Massafra's "Carta d'identità
# elettronica (CIE)" of the demo data (services/catalogue/demo.sql).
CASES=(tenant service search feed)   # the GETs; the writes, download and webhook are apart
ONLY=""                              # --only CASE,...: those cases alone
JSON_OUT=""                          # --json FILE
DELIVERIES="${SPORTELLO_BENCH_DELIVERIES:-1000}"
declare -A CASE_PATH=(
  [tenant]="/api/v1/tenants/$IPA"
  [service]="/api/v1/services/00000000-0000-4000-9000-000000000001"
  [search]="/api/v1/search?tenant=$IPA&q=carta%20identita"
  [feed]="/feeds/$IPA/atom"
)

# wanted CASE: true when CASE is to run (no --only, or named in it).
wanted() { [[ -z "$ONLY" || ",$ONLY," == *",$1,"* ]]; }

# The rows of each case in the table and the JSON, and the ratios printed.
ALL_CASES=(tenant service search feed submit answer webhook)
declare -A ROWS=([tenant]='gateway uncached grpc echo nginx' [service]='gateway nginx' [search]='gateway nginx'
  [feed]='gateway nginx' [submit]='gateway pgbench writes' [answer]='gateway pgbench' [webhook]='dispatch wrk1 wrk')
declare -A PAIRS=([tenant]='gateway/nginx grpc/nginx gateway/grpc uncached/grpc uncached/echo'
  [service]='gateway/nginx' [search]='gateway/nginx' [feed]='gateway/nginx' [submit]='gateway/pgbench gateway/writes'
  [answer]='gateway/pgbench' [webhook]='dispatch/wrk1 dispatch/wrk')

# wrk's latency figures carry a unit (us, ms, s): in milliseconds.
to_ms() {
  awk -v v="$1" 'BEGIN {
    if (v ~ /us$/) { sub(/us$/, "", v); printf "%.3f", v / 1000 }
    else if (v ~ /ms$/) { sub(/ms$/, "", v); printf "%.3f", v }
    else if (v ~ /s$/) { sub(/s$/, "", v); printf "%.3f", v * 1000 }
    else printf "%.3f", v }'
}

# [ROW.rps], [ROW.p50], [ROW.p99], [ROW.bytes], [ROW.type] for ROW in
# tenant.gateway tenant.grpc tenant.nginx service.gateway ... search.nginx
declare -A RESULT=()

# CPU time per request of every process, over each row's run: RESULT[ROW.cpu]
# is "name=µs name=µs ..." (user + system time divided by the row's requests).
# cpu_ticks: a line "NAME TICKS" for each process of the stack (with its
# descendants), PostgreSQL when the stack started it, and "load" for the
# children this shell has reaped: the row's load generator (wrk, pgbench or
# sportello-grpc-load) and the few short commands around it.
cpu_ticks() {
  local i
  for i in "${!STACK_PIDS[@]}"; do
    printf '%s %s\n' "${STACK_PID_NAMES[i]}" "$(tree_ticks "${STACK_PIDS[i]}")"
  done
  if [[ -n "${STACK_PG_DIR:-}" && -r "$STACK_PG_DIR/pg/postmaster.pid" ]]; then
    printf 'postgres %s\n' "$(tree_ticks "$(head -n 1 "$STACK_PG_DIR/pg/postmaster.pid")")"
  fi
  printf 'load %s\n' "$(stat_ticks $$ 14)"
}
# stat_ticks PID FIRST: the sum of the CPU fields of /proc/PID/stat from
# FIRST to 15, counted after "pid (comm) " (12 utime, 13 stime, 14 cutime,
# 15 cstime: 12 for all, 14 for the reaped children alone); 0 once it is gone.
stat_ticks() {
  awk -v first="$2" '{
    sub(/^.*\) /, "")
    for (i = first; i <= 15; i++) sum += $i
    print sum + 0
  }' "/proc/$1/stat" 2>/dev/null || echo 0
}
# tree_ticks PID: PID and its live descendants, each with the children it has
# reaped (pgbench's backends exit before the second reading: their time is
# then the postmaster's).
tree_ticks() {
  local total=0 p
  for p in $1 $(descendants "$1"); do
    total=$((total + $(stat_ticks "$p" 12)))
  done
  echo "$total"
}
CPU_BEFORE=""
cpu_begin() { CPU_BEFORE="$(cpu_ticks)"; }
# cpu_end ROW REQUESTS: RESULT[ROW.cpu] since cpu_begin.
cpu_end() {
  RESULT[$1.cpu]="$(awk -v n="$2" -v t="$(getconf CLK_TCK)" '
    NR == FNR { before[$1] += $2; next }
    { after[$1] += $2 }
    END { for (p in after) { us = n > 0 ? (after[p] - before[p]) * 1e6 / t / n : 0; if (us >= 0.05) printf "%s=%.1f ", p, us } }' \
    <(printf '%s\n' "$CPU_BEFORE") <(cpu_ticks))"
}

# run_wrk ROW URL [wrk options]: RESULT[ROW.*] from wrk --latency.
run_wrk() {
  local name="$1" url="$2" out
  shift 2
  log "wrk: $url${*:+ $*}, $CONNECTIONS connections, ${SECONDS_EACH}s"
  cpu_begin
  out="$(wrk -t"$WRK_THREADS" -c"$CONNECTIONS" -d"${SECONDS_EACH}s" --latency "$@" "$url")"
  cpu_end "$name" "$(awk '$2 == "requests" && $3 == "in" {print $1}' <<<"$out")"
  printf '%s\n' "$out" >"$STACK_TEMP_DIR/logs/wrk-$name.txt"
  if grep -q 'Non-2xx' <<<"$out"; then
    log "warning: $name answered non-2xx responses: $(grep 'Non-2xx' <<<"$out")"
  fi
  RESULT[$name.rps]="$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")"
  RESULT[$name.p50]="$(to_ms "$(awk '$1 == "50%" {print $2}' <<<"$out")")"
  RESULT[$name.p99]="$(to_ms "$(awk '$1 == "99%" {print $2}' <<<"$out")")"
}

# run_grpc ROW TARGET [METHOD]: the same figures from sportello-grpc-load
# (METHOD tenant, the default, or echo).
run_grpc() {
  local name="$1" target="$2" method="${3:-tenant}" out
  log "sportello-grpc-load: $target $method ($IPA), $CONNECTIONS calls in flight, ${SECONDS_EACH}s"
  cpu_begin
  out="$("$BIN_DIR/sportello-grpc-load" --target "$target" --ipa "$IPA" --method "$method" \
    --connections "$CONNECTIONS" --seconds "$SECONDS_EACH")"
  cpu_end "$name" "$(grep -o 'requests=[0-9]*' <<<"$out" | cut -d= -f2)"
  printf '%s\n' "$out" >"$STACK_TEMP_DIR/logs/grpc-load-$method.txt"
  local key
  for key in rps p50_ms p99_ms; do
    [[ " $out " == *" $key="* ]] || die "sportello-grpc-load printed no $key: $out"
  done
  RESULT[$name.rps]="$(grep -o 'rps=[0-9.]*' <<<"$out" | cut -d= -f2)"
  RESULT[$name.p50]="$(grep -o 'p50_ms=[0-9.]*' <<<"$out" | cut -d= -f2)"
  RESULT[$name.p99]="$(grep -o 'p99_ms=[0-9.]*' <<<"$out" | cut -d= -f2)"
  if [[ "$out" != *" errors=0"* ]]; then
    log "warning: the gRPC calls had errors: $out"
  fi
}

# fetch ROW URL FILE: GET URL into FILE; RESULT[ROW.bytes] and [ROW.type]
# are the body's size and the Content-Type it came with.
fetch() {
  local name="$1" url="$2" file="$3" meta
  meta="$(curl -fsS -o "$file" -w '%{size_download} %{content_type}' "$url")" || die "GET $url failed"
  RESULT[$name.bytes]="${meta%% *}"
  RESULT[$name.type]="${meta#* }"
}

# warm_and_save CASE: requests the case's URL from the gateway twice (the
# first call fills the cache, the second is served from it) and keeps the
# second answer in $STACK_TEMP_DIR/bodies/CASE.json.
warm_and_save() {
  local case="$1" url="http://127.0.0.1:$GATEWAY_PORT${CASE_PATH[$1]}" dir="$STACK_TEMP_DIR/bodies"
  mkdir -p "$dir"
  curl -fsS -o "$dir/$case.first" "$url" || die "GET $url failed"
  fetch "$case.gateway" "$url" "$dir/$case.json"
  cmp -s "$dir/$case.first" "$dir/$case.json" ||
    log "warning: $case: the cached answer differs from the first one"
  log "$case: the gateway's answer is ${RESULT[$case.gateway.bytes]} bytes (${RESULT[$case.gateway.type]})"
}

# start_nginx: nginx on a free port serving each case's saved body at the
# case's path (without its query string, which static files ignore), from a
# throwaway configuration, every file as application/json but the feed's
# (application/atom+xml, as the gateway says). Sets NGINX_PORT.
start_nginx() {
  local dir="$STACK_TEMP_DIR/nginx" case file
  free_port NGINX_PORT
  mkdir -p "$dir/tmp"
  for case in "${CASES[@]}"; do
    file="$dir/www${CASE_PATH[$case]%%\?*}"
    mkdir -p "${file%/*}"
    cp "$STACK_TEMP_DIR/bodies/$case.json" "$file"
  done
  # The workers run as an unprivileged user when we are root: let them read.
  chmod -R a+rX "$dir/www"
  cat >"$dir/nginx.conf" <<EOF
daemon off;
worker_processes 2;
pid $dir/nginx.pid;
error_log $dir/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  types { }
  default_type application/json;
  client_body_temp_path $dir/tmp/body;
  proxy_temp_path $dir/tmp/proxy;
  fastcgi_temp_path $dir/tmp/fastcgi;
  uwsgi_temp_path $dir/tmp/uwsgi;
  scgi_temp_path $dir/tmp/scgi;
  keepalive_requests 1000000;
  server {
    listen 127.0.0.1:$NGINX_PORT;
    root $dir/www;
    location /feeds/ { default_type "application/atom+xml; charset=utf-8"; }
  }
}
EOF
  log "starting nginx on 127.0.0.1:$NGINX_PORT"
  nginx -p "$dir" -c "$dir/nginx.conf" -e "$dir/error.log" </dev/null >"$STACK_TEMP_DIR/logs/nginx.log" 2>&1 &
  track $! nginx nginx
  wait_for_port "$NGINX_PORT" nginx 10
  # What nginx answers, to print next to the gateway's (and to warn early).
  for case in "${CASES[@]}"; do
    fetch "$case.nginx" "http://127.0.0.1:$NGINX_PORT${CASE_PATH[$case]}" "$dir/$case.check"
    cmp -s "$dir/$case.check" "$STACK_TEMP_DIR/bodies/$case.json" ||
      log "warning: $case: nginx does not serve the gateway's bytes"
    [[ "${RESULT[$case.nginx.type]}" == "${RESULT[$case.gateway.type]}" ]] ||
      log "warning: $case: Content-Type '${RESULT[$case.nginx.type]}' (nginx) vs '${RESULT[$case.gateway.type]}' (gateway)"
  done
}

# The submit case: a suggestion to Massafra through the gateway, the same
# body as bench/submit.lua.
SUBMIT_PATH="/api/v1/tenants/$IPA/requests"
SUBMIT_BODY='{"kind":"REQUEST_KIND_SUGGESTION","subject":"Biblioteca aperta il sabato","description":"Suggerisco di aprire la biblioteca comunale anche il sabato pomeriggio."}'

# The row the complaints service inserts into complaints.requests for that
# submission, as a pgbench script: into bench.requests, a copy of the table
# with its defaults and indexes, numbered by a sequence (the service uses a
# counter row). The service also writes a history entry and an outbox event in
# the same transaction: this is the floor, not the same work.
# insert_request NUMBER_SQL: that INSERT, numbered "F027-" and NUMBER_SQL.
insert_request() {
  printf '%s' "INSERT INTO bench.requests (tenant, number, kind, subject, description, channel, status,
  token_hash, due_time, requester_key)
VALUES ('$IPA', 'F027-' || $1, 'suggestion', 'Biblioteca aperta il sabato',
  'Suggerisco di aprire la biblioteca comunale anche il sabato pomeriggio.', 'web', 'received',
  '09090cee006c1f80a2b10209f6ee6e33b527392578005478670fb0b8ae65e355', now() + interval '30 days', '')"
}
PGBENCH_SQL="$(insert_request "'BENCH-' || nextval('bench.numbers')");"

# The same submission's every write, as the service makes them for a
# submission alone (three round trips, the session committing asynchronously:
# common/db/pool.h "Durability"): the number drawn from the tenant's counter
# row (the service reads the tenant's routing rules in the same statement:
# left out here); then, in one transaction, the request with its history
# entry, its request.created event under the outbox's commit-order lock
# (outbox::AppendSql, whose lock tests/unit/bench_sql_test.cpp finds below)
# and the request read back; then the flush that makes them durable. The
# service sends that transaction as one string of statements (one round
# trip); pgbench sends strings of statements only unprepared, so here they
# are prepared and bracketed by BEGIN and COMMIT (four round trips more). Into copies of the tables (bench.*, with
# the history's foreign key). Under load the service shares these round trips
# among the submissions that came meanwhile (common/group_commit.h); pgbench
# makes them for each. What is left between this row and the gateway's is the
# gateway, the service and Redis, less what sharing saves.
SUBMIT_WRITES_SQL="INSERT INTO bench.counters (tenant, year, last) VALUES ('$IPA', 2026, 1)
  ON CONFLICT (tenant, year) DO UPDATE SET last = bench.counters.last + 1 RETURNING last \\gset
BEGIN;
WITH req AS (
  $(insert_request "'WRITES-' || :last")
  RETURNING id, tenant, number, create_time)
INSERT INTO bench.history (request_id, actor, action, from_status, to_status, visibility, text, office_id, at)
  SELECT id, 'cittadino', 'submitted', '', 'received', 'public', 'Richiesta ricevuta', '', create_time FROM req;
INSERT INTO bench.outbox (tenant, type, subject, data, create_time)
SELECT e.tenant, e.type, e.subject, e.data::jsonb, now()
FROM (SELECT pg_advisory_xact_lock(hashtext('sportello.outbox'), hashtext('bench'))) AS commit_order,
  (VALUES (0, '$IPA', 'request.created', 'F027-WRITES-' || :last,
   '{\"number\":\"F027-WRITES-' || :last || '\",\"kind\":\"suggestion\",\"status\":\"received\",\"category\":\"\",\"office_id\":\"\"}'))
  AS e(n, tenant, type, subject, data) ORDER BY e.n;
SELECT * FROM bench.requests r WHERE r.number IN ('F027-WRITES-' || :last);
COMMIT;
SELECT pg_logical_emit_message(true, 'sportello.flush', ''), set_config('synchronous_commit', 'on', true);"

# The answer case: an anonymous star rating of the demo's CIE survey
# (services/surveys/demo.sql), body as bench/answer.lua.
ANSWER_SURVEY=00000000-0000-4000-a000-000000000001
ANSWER_PATH="/api/v1/surveys/$ANSWER_SURVEY/responses"
ANSWER_BODY='{"answers":[{"question":"rating","value":4}]}'
# The response row the surveys service inserts for it. The service also
# inserts the answer, locks the survey's row, and appends survey.answered to
# its outbox in the same statement: this is the floor, not the same work.
ANSWER_SQL="INSERT INTO bench.responses (tenant, survey_id, version, channel, service_id, office_id, headline,
  create_time)
VALUES ('$IPA', '$ANSWER_SURVEY', 1, 'web', '00000000-0000-4000-9000-000000000001',
  '00000000-0000-4000-8000-000000000004', 4, now());"

# check_answer: one answer with curl, then bench.responses for pgbench.
check_answer() {
  local dir="$STACK_TEMP_DIR/bodies"
  mkdir -p "$dir"
  RESULT[answer.gateway.bytes]="$(curl -fsS -o "$dir/answer.json" -w '%{size_download}' \
    -H 'Content-Type: application/json' -d "$ANSWER_BODY" "http://127.0.0.1:$GATEWAY_PORT$ANSWER_PATH")" ||
    die "POST $ANSWER_PATH failed: $(cat "$dir/answer.json" 2>/dev/null)"
  RESULT[answer.gateway.type]="application/json"
  RESULT[answer.pgbench.bytes]="-"
  RESULT[answer.pgbench.type]="(SQL INSERT)"
  "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 "$PG_URL" \
    -c 'CREATE SCHEMA IF NOT EXISTS bench' -c 'CREATE TABLE bench.responses (LIKE surveys.responses INCLUDING ALL)' >/dev/null ||
    die "could not create bench.responses"
}

# check_submit: one submission with curl, to fail early and to know the
# answer's size and type (each submission is a new request: the table only
# grows). Then bench.requests for pgbench, in the stack's fresh database.
check_submit() {
  local dir="$STACK_TEMP_DIR/bodies"
  mkdir -p "$dir"
  RESULT[submit.gateway.bytes]="$(curl -fsS -o "$dir/submit.json" -w '%{size_download}' \
    -H 'Content-Type: application/json' -d "$SUBMIT_BODY" "http://127.0.0.1:$GATEWAY_PORT$SUBMIT_PATH")" ||
    die "POST $SUBMIT_PATH failed: $(cat "$dir/submit.json" 2>/dev/null)"
  RESULT[submit.gateway.type]="application/json"
  RESULT[submit.pgbench.bytes]="-" RESULT[submit.writes.bytes]="-"
  RESULT[submit.pgbench.type]="(SQL INSERT)" RESULT[submit.writes.type]="(SQL, 7 calls)"
  log "submit: the gateway's answer is ${RESULT[submit.gateway.bytes]} bytes"
  "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 "$PG_URL" >/dev/null <<'EOF' || die "could not create bench.requests"
CREATE SCHEMA IF NOT EXISTS bench;
CREATE TABLE bench.requests (LIKE complaints.requests INCLUDING ALL);
CREATE SEQUENCE bench.numbers;
CREATE TABLE bench.history (LIKE complaints.history INCLUDING ALL,
  FOREIGN KEY (request_id) REFERENCES bench.requests (id) ON DELETE CASCADE);
CREATE TABLE bench.outbox (LIKE complaints.outbox INCLUDING ALL);
CREATE TABLE bench.counters (LIKE complaints.counters INCLUDING ALL);
EOF
}

# run_pgbench ROW [SQL [MODE [PGOPTIONS]]]: SQL (default PGBENCH_SQL) with pgbench, as
# many clients as wrk has connections, for as long, in query MODE (default
# extended) and with PGOPTIONS for its sessions; RESULT[ROW.*] from its tps and from the
# per-transaction latencies it logs (-l), sorted for p50 and p99.
run_pgbench() {
  local name="$1" sql="${2:-$PGBENCH_SQL}" mode="${3:-extended}" options="${4:-}" dir="$STACK_TEMP_DIR/pgbench-${1//./-}" out
  mkdir -p "$dir"
  printf '%s\n' "$sql" >"$dir/script.sql"
  log "pgbench ($name): $CONNECTIONS clients, ${SECONDS_EACH}s, $mode${options:+, $options}"
  cpu_begin
  out="$(PGOPTIONS="$options" "$PG_BIN/pgbench" -n -M "$mode" -c "$CONNECTIONS" -j "$WRK_THREADS" -T "$SECONDS_EACH" \
    -f "$dir/script.sql" -l --log-prefix="$dir/log" "$PG_URL" 2>&1)" || die "pgbench failed: $out"
  cpu_end "$name" "$(awk -F': ' '/^number of transactions actually processed/ {print $2}' <<<"$out")"
  printf '%s\n' "$out" >"$STACK_TEMP_DIR/logs/$name.txt"
  RESULT[$name.rps]="$(awk '/^tps = / {printf "%.2f", $3; exit}' <<<"$out")"
  # Log lines: client transaction latency_us script epoch_s epoch_us.
  read -r "RESULT[$name.p50]" "RESULT[$name.p99]" < <(cat "$dir"/log.* | awk '{print $3}' | sort -n |
    awk '{v[NR] = $1} END { if (NR == 0) { print "n/a n/a"; exit }
      i50 = int(NR * 0.50 + 0.999999); i99 = int(NR * 0.99 + 0.999999)
      printf "%.3f %.3f\n", v[i50] / 1000, v[i99] / 1000 }')
  if grep -q 'number of failed transactions: [1-9]' <<<"$out"; then
    log "warning: pgbench had failed transactions: $(grep 'failed' <<<"$out")"
  fi
}

# ---- The download case.

DOWNLOAD_ROWS="${SPORTELLO_BENCH_DOWNLOAD_ROWS:-100000}"
DOWNLOAD_DATASET="$IPA-richieste-pubbliche"

# The SELECT the opendata store hands to COPY for a CSV distribution
# (services/opendata/store.cpp), with the dataset and version written in
# instead of read back from set_config.
download_select() {
  printf "SELECT csv FROM opendata.version_rows WHERE dataset_id = '%s' AND version = %s ORDER BY n" \
    "$DOWNLOAD_DATASET" "$1"
}

# make_version ROWS: a published version of DOWNLOAD_DATASET with ROWS rows
# like the public requests' (kind, category, status, dates, office, a 250 m
# cell) and its CSV distribution; prints its number.
make_version() {
  "$PG_BIN/psql" -X -q -At -v ON_ERROR_STOP=1 -v ds="$DOWNLOAD_DATASET" -v rows="$1" "$PG_URL" <<'SQL'
BEGIN;
SELECT coalesce(max(number), 0) + 1 AS v FROM opendata.versions WHERE dataset_id = :'ds' \gset
INSERT INTO opendata.versions (dataset_id, number, create_time, row_count, period, approved, approve_time)
VALUES (:'ds', :v, now(), :rows, '', true, now());
INSERT INTO opendata.version_rows (dataset_id, version, n, csv, json)
SELECT :'ds', :v, i,
  format(E'%s,%s,%s,%s,%s,00000000-0000-4000-8000-000000000004,%s,%s\r\n', kind, category, status, opened,
         CASE WHEN status = 'closed' THEN opened END, lat, lon),
  json_build_object('tipo', kind, 'categoria', category, 'stato', status, 'data_apertura', opened,
                    'data_chiusura', CASE WHEN status = 'closed' THEN opened END,
                    'ufficio_id', '00000000-0000-4000-8000-000000000004', 'latitudine', lat,
                    'longitudine', lon)::text
FROM (SELECT i, (ARRAY['report', 'complaint', 'suggestion'])[1 + i % 3] AS kind,
             (ARRAY['strade-buche', 'illuminazione', 'rifiuti', 'verde-pubblico'])[1 + i % 4] AS category,
             (ARRAY['received', 'in_progress', 'closed'])[1 + i % 3] AS status,
             to_char(date '2025-01-01' + i % 700, 'YYYY-MM-DD') AS opened,
             round(40.5 + (i % 97) * 0.00225, 6) AS lat, round(17.1 + (i % 89) * 0.00296, 6) AS lon
      FROM generate_series(1, :rows) AS i) AS r;
INSERT INTO opendata.distributions (dataset_id, version, format, byte_size, sha256, prefix, separator, suffix, empty)
SELECT :'ds', :v, 'csv', octet_length(b.body), encode(sha256(b.body), 'hex'), h.header, '', '', h.header
FROM (SELECT E'tipo,categoria,stato,data_apertura,data_chiusura,ufficio_id,latitudine,longitudine\r\n' AS header) h,
LATERAL (SELECT convert_to(h.header || string_agg(csv, '' ORDER BY n), 'UTF8') AS body
         FROM opendata.version_rows WHERE dataset_id = :'ds' AND version = :v) b;
COMMIT;
SELECT :v;
SQL
}

# distribution_field VERSION FIELD: byte_size or sha256 of its CSV distribution.
distribution_field() {
  "$PG_BIN/psql" -X -At "$PG_URL" -c \
    "SELECT $2 FROM opendata.distributions WHERE dataset_id = '$DOWNLOAD_DATASET' AND version = $1 AND format = 'csv'"
}

# pid_of NAME: the PID of a process the stack started.
pid_of() {
  local i
  for i in "${!STACK_PID_NAMES[@]}"; do
    if [[ "${STACK_PID_NAMES[i]}" == "$1" ]]; then
      echo "${STACK_PIDS[i]}"
      return 0
    fi
  done
  die "no $1 process in the stack"
}

median3() { printf '%s\n' "$@" | sort -g | sed -n 2p; }

# run_download: RESULT[download.*] as described at the top.
run_download() {
  local gateway="http://127.0.0.1:$GATEWAY_PORT" token small large i start end bytes meta got want
  local -a gw=() pg=()
  local url="$gateway/api/v1/datasets/$DOWNLOAD_DATASET/versions"
  token="$(SPORTELLO_JWT_SECRET="$JWT_SECRET" "$BIN_DIR/sportello-token" --tenant "$IPA" --role operator --sub bench)"
  curl -fsS -o /dev/null -X POST -H "Authorization: Bearer $token" -H 'Content-Type: application/json' -d '{}' \
    "$gateway/api/v1/datasets/$DOWNLOAD_DATASET:refresh" || die "could not refresh $DOWNLOAD_DATASET"
  log "download: writing versions of $DOWNLOAD_ROWS and $((DOWNLOAD_ROWS * 10)) rows"
  small="$(make_version "$DOWNLOAD_ROWS")" || die "could not write the bench version"
  large="$(make_version $((DOWNLOAD_ROWS * 10)))" || die "could not write the larger bench version"
  RESULT[download.path]="/api/v1/datasets/$DOWNLOAD_DATASET/versions/$small/csv"
  RESULT[download.small.size]="$(distribution_field "$small" byte_size)"
  RESULT[download.large.size]="$(distribution_field "$large" byte_size)"
  for i in 1 2 3; do
    log "download $i/3: through the gateway, then psql's COPY TO STDOUT"
    meta="$(curl -fsS -o /dev/null -w '%{size_download} %{time_total}' "$url/$small/csv")" ||
      die "GET $url/$small/csv failed"
    RESULT[download.gateway.bytes]="${meta%% *}"
    gw+=("$(awk -v b="${meta%% *}" -v t="${meta#* }" 'BEGIN { printf "%.0f", b / t }')")
    start="$(date +%s%N)"
    bytes="$("$PG_BIN/psql" -X -q "$PG_URL" -c "COPY ($(download_select "$small")) TO STDOUT" | wc -c)"
    end="$(date +%s%N)"
    RESULT[download.psql.bytes]="$bytes"
    pg+=("$(awk -v b="$bytes" -v a="$start" -v e="$end" 'BEGIN { printf "%.0f", b / ((e - a) / 1e9) }')")
  done
  RESULT[download.gateway.bps]="$(median3 "${gw[@]}")"
  RESULT[download.psql.bps]="$(median3 "${pg[@]}")"
  # Peak RSS while each version downloads: VmHWM, reset by clear_refs 5
  # (Linux 4.0+) just before; each download checked against its SHA-256.
  local which version name
  for which in small large; do
    version="${!which}"
    for name in opendata gateway; do
      echo 5 >"/proc/$(pid_of "$name")/clear_refs" || log "warning: cannot reset the peak RSS of $name"
    done
    got="$(curl -fsS "$url/$version/csv" | sha256sum | cut -d' ' -f1)"
    want="$(distribution_field "$version" sha256)"
    [[ "$got" == "$want" ]] || log "warning: download of version $version: SHA-256 $got, recorded $want"
    for name in opendata gateway; do
      RESULT[download.$name.$which.hwm]="$(awk '/^VmHWM:/ {printf "%.1f", $2 / 1024}' "/proc/$(pid_of "$name")/status")"
    done
  done
}

print_download() {
  local mb=1048576 name
  printf '\ndownload GET %s (%s rows, %s bytes)\n' "${RESULT[download.path]}" "$DOWNLOAD_ROWS" \
    "${RESULT[download.small.size]}"
  printf '         psql: COPY (%s) TO STDOUT\n\n' "$(download_select N)"
  printf '%-8s %-34s %11s %8s\n' case target bytes 'MB/s'
  printf '%-8s %-34s %11s %8s\n' download 'gateway (chunked, from opendata)' "${RESULT[download.gateway.bytes]}" \
    "$(awk -v v="${RESULT[download.gateway.bps]}" -v m=$mb 'BEGIN { printf "%.1f", v / m }')"
  printf '%-8s %-34s %11s %8s\n' download 'psql COPY ... TO STDOUT' "${RESULT[download.psql.bytes]}" \
    "$(awk -v v="${RESULT[download.psql.bps]}" -v m=$mb 'BEGIN { printf "%.1f", v / m }')"
  printf '%-8s %-34s %11s %8s\n' download 'ratio gateway/psql (bytes per s)' '' \
    "$(ratio "${RESULT[download.gateway.bps]}" "${RESULT[download.psql.bps]}")"
  printf '\npeak RSS in MB while downloading %16s %18s\n' "$DOWNLOAD_ROWS rows" "$((DOWNLOAD_ROWS * 10)) rows"
  printf '%-32s %16s %18s\n' '' "(${RESULT[download.small.size]} B)" "(${RESULT[download.large.size]} B)"
  for name in opendata gateway; do
    printf '%-32s %16s %18s\n' "  sportello-$name" "${RESULT[download.$name.small.hwm]}" \
      "${RESULT[download.$name.large.hwm]}"
  done
}

# ---- The webhook case.

WEBHOOK_TENANT=bench_dispatch
# The loopback receiver's secret (tests/dispatch/fake_platforms.py): a test value.
WEBHOOK_SECRET="whsec_$(printf 'webhook-test-secret-32-bytes!!!!' | base64)"

bench_sql() { "$PG_BIN/psql" -X -q -At -v ON_ERROR_STOP=1 "$PG_URL" "$@"; }

# start_receiver: the tests' loopback platforms on free ports, for as long as
# the bench runs. Sets RECEIVER_URL.
start_receiver() {
  local ports="$STACK_TEMP_DIR/platforms.ports" out="$STACK_TEMP_DIR/logs/platforms.log" i port
  /usr/bin/python3 "$ROOT/tests/dispatch/fake_platforms.py" "$ports" --forever >"$out" 2>&1 </dev/null &
  track $! receiver fake_platforms.py
  for ((i = 0; i < 100; i++)); do
    [[ -s "$ports" ]] && break
    sleep 0.1
  done
  [[ -s "$ports" ]] || die "the webhook receiver did not start: $(cat "$out")"
  read -r port _ <"$ports"
  RECEIVER_URL="http://127.0.0.1:$port"
}

# run_webhook: RESULT[webhook.*] as described at the top.
run_webhook() {
  local gateway="http://127.0.0.1:$GATEWAY_PORT" editor manager account t0 i state counts
  start_receiver
  editor="$(SPORTELLO_JWT_SECRET="$JWT_SECRET" "$BIN_DIR/sportello-token" --tenant "$WEBHOOK_TENANT" \
    --role communication --sub bench.editor)"
  manager="$(SPORTELLO_JWT_SECRET="$JWT_SECRET" "$BIN_DIR/sportello-token" --tenant "$WEBHOOK_TENANT" \
    --role communication_manager --sub bench.manager)"
  account="$(curl -fsS -H 'Content-Type: application/json' -H "Authorization: Bearer $manager" \
    -d "{\"channel\":\"MESSAGE_CHANNEL_WEBHOOK\",\"handle\":\"banco\",\"endpoint\":\"$RECEIVER_URL/hook\",\"credential\":\"$WEBHOOK_SECRET\"}" \
    "$gateway/api/v1/tenants/$WEBHOOK_TENANT/accounts" | grep -o '"id":"[^"]*"' | head -n 1 | cut -d'"' -f4)" ||
    die "could not create the bench's webhook account"
  log "webhook: $DELIVERIES messages drafted, submitted and approved for tomorrow (bench/webhook.py)"
  /usr/bin/python3 "$ROOT/bench/webhook.py" messages "$gateway" "$WEBHOOK_TENANT" "$account" "$editor" "$manager" \
    "$DELIVERIES" >"$STACK_TEMP_DIR/logs/webhook-messages.txt" || die "could not create the bench's messages"
  # All due at once, at T0 (the transaction's now()).
  t0="$(bench_sql -c "UPDATE dispatch.deliveries SET next_attempt_time = now()
    WHERE tenant = '$WEBHOOK_TENANT' AND state = 'pending' RETURNING extract(epoch FROM now())" | head -n 1)"
  [[ -n "$t0" ]] || die "no pending delivery of $WEBHOOK_TENANT"
  log "webhook: $DELIVERIES deliveries due now; waiting until they are sent"
  for ((i = 0; i < 1200; i++)); do
    counts="$(bench_sql -c "SELECT count(*) FILTER (WHERE state IN ('sent', 'dead', 'uncertain', 'discarded')),
      count(*) FILTER (WHERE state = 'sent') FROM dispatch.deliveries WHERE tenant = '$WEBHOOK_TENANT'")"
    [[ "${counts%%|*}" -ge "$DELIVERIES" ]] && break
    sleep 0.2
  done
  RESULT[webhook.deliveries]="$DELIVERIES"
  RESULT[webhook.sent]="${counts#*|}"
  ((${counts#*|} == DELIVERIES)) || log "warning: webhook: ${counts#*|} of $DELIVERIES deliveries sent"
  # From the attempt log: each sent attempt's time in the worker (from its
  # claim, or from the previous attempt when later in the same batch) and
  # since T0; p50 and p99 as percentile_disc (a measured value).
  IFS='|' read -r "RESULT[webhook.seconds]" "RESULT[webhook.dispatch.p50]" "RESULT[webhook.dispatch.p99]" \
    "RESULT[webhook.due.p50]" "RESULT[webhook.due.p99]" < <(bench_sql -v t0="$t0" -v tenant="$WEBHOOK_TENANT" <<'SQL'
WITH sent AS (
  SELECT a.at, d.claimed_time FROM dispatch.delivery_attempts a JOIN dispatch.deliveries d ON d.id = a.delivery_id
  WHERE d.tenant = :'tenant' AND a.outcome = 'sent'),
timed AS (
  SELECT at, extract(epoch FROM at - greatest(claimed_time, lag(at) OVER (ORDER BY at))) * 1000 AS worker_ms,
         (extract(epoch FROM at) - :t0) * 1000 AS due_ms
  FROM sent)
SELECT round((max(extract(epoch FROM at)) - :t0)::numeric, 3),
       round(percentile_disc(0.5) WITHIN GROUP (ORDER BY worker_ms)::numeric, 3),
       round(percentile_disc(0.99) WITHIN GROUP (ORDER BY worker_ms)::numeric, 3),
       round(percentile_disc(0.5) WITHIN GROUP (ORDER BY due_ms)::numeric, 3),
       round(percentile_disc(0.99) WITHIN GROUP (ORDER BY due_ms)::numeric, 3)
FROM timed;
SQL
  )
  RESULT[webhook.dispatch.rps]="$(awk -v n="${RESULT[webhook.sent]}" -v s="${RESULT[webhook.seconds]}" \
    'BEGIN { if (s > 0) printf "%.2f", n / s; else print "n/a" }')"
  read -r "RESULT[webhook.received]" _ "RESULT[webhook.duplicates]" < <(/usr/bin/python3 "$ROOT/bench/webhook.py" \
    receiver-log "$RECEIVER_URL" "$WEBHOOK_TENANT")
  [[ "${RESULT[webhook.received]}" == "${RESULT[webhook.sent]}" ]] ||
    log "warning: webhook: the receiver got ${RESULT[webhook.received]} deliveries, dispatch sent ${RESULT[webhook.sent]}"
  # wrk: one of those requests, signed afresh (the receiver refuses a
  # timestamp over 5 minutes old), to the same receiver.
  RESULT[webhook.dispatch.bytes]="$(/usr/bin/python3 "$ROOT/bench/webhook.py" wrk-script "$RECEIVER_URL" \
    "$WEBHOOK_TENANT" "$WEBHOOK_SECRET" "$STACK_TEMP_DIR/webhook.lua")" || die "could not write the wrk script"
  RESULT[webhook.wrk1.bytes]="${RESULT[webhook.dispatch.bytes]}" RESULT[webhook.wrk.bytes]="${RESULT[webhook.dispatch.bytes]}"
  for state in dispatch wrk1 wrk; do RESULT[webhook.$state.type]="application/json"; done
  CONNECTIONS=1 WRK_THREADS=1 run_wrk webhook.wrk1 "$RECEIVER_URL/hook" -s "$STACK_TEMP_DIR/webhook.lua"
  run_wrk webhook.wrk "$RECEIVER_URL/hook" -s "$STACK_TEMP_DIR/webhook.lua"
}

# cache_counter NAME: a counter of the gateway's edge cache from /metrics (0 when absent).
cache_counter() {
  curl -fsS "http://127.0.0.1:$GATEWAY_PORT/metrics" 2>/dev/null |
    awk -v n="sportello_gateway_cache_$1" '$1 == n {print $2; found = 1} END {if (!found) print 0}'
}

# run_gateway ROW URL [wrk options]: run_wrk, and RESULT[ROW.hit], the share
# of the row's requests answered from the edge cache.
run_gateway() {
  local name="$1" h0 m0 b0 h1 m1 b1
  h0="$(cache_counter hits_total)" m0="$(cache_counter misses_total)" b0="$(cache_counter bypasses_total)"
  run_wrk "$@"
  h1="$(cache_counter hits_total)" m1="$(cache_counter misses_total)" b1="$(cache_counter bypasses_total)"
  RESULT[$name.hit]="$(awk -v h=$((h1 - h0)) -v a=$((h1 - h0 + m1 - m0 + b1 - b0)) \
    'BEGIN { if (a > 0) printf "%.3f", h / a; else print "n/a" }')"
}

# start_echo: the raw gRPC echo server on a free port. Sets ECHO_ADDR.
start_echo() {
  local out="$STACK_TEMP_DIR/logs/echo.txt" i
  "$BIN_DIR/sportello-grpc-load" --serve-echo 127.0.0.1:0 >"$out" 2>&1 </dev/null &
  track $! echo sportello-grpc-load
  for ((i = 0; i < 100; i++)); do
    grep -q '^port=' "$out" 2>/dev/null && break
    sleep 0.1
  done
  grep -q '^port=' "$out" || die "the echo server did not start: $(cat "$out")"
  ECHO_ADDR="127.0.0.1:$(sed -n 's/^port=//p' "$out")"
}

# peak_rss: "name KiB" for every process the bench started (VmHWM, the
# largest of the process and its descendants: a wrapper's child counts).
declare -A PEAK_RSS=()
peak_rss() {
  local i pid name best kib p
  for i in "${!STACK_PIDS[@]}"; do
    pid="${STACK_PIDS[i]}" name="${STACK_PID_NAMES[i]}" best=0
    for p in $pid $(descendants "$pid"); do
      kib="$(awk '/^VmHWM:/ {print $2}' "/proc/$p/status" 2>/dev/null || true)"
      [[ -n "$kib" ]] && ((kib > best)) && best="$kib"
    done
    PEAK_RSS[$name]="$best"
  done
}
descendants() {
  local child
  for child in $(pgrep -P "$1" 2>/dev/null || true); do
    printf '%s ' "$child"
    descendants "$child"
  done
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }

# content_type TYPE: without its parameters (charset), to fit the table.
content_type() { printf '%s' "${1%%;*}"; }

# ran_cases: the cases of ALL_CASES with figures, in order.
ran_cases() {
  local case first
  for case in "${ALL_CASES[@]}"; do
    first="${ROWS[$case]%% *}"
    [[ -z "${RESULT[$case.$first.rps]:-}" ]] || printf '%s\n' "$case"
  done
}

print_table() {
  local case row pair a b
  local -A label=([gateway]='gateway (REST/JSON -> gRPC)' [grpc]='catalogue (gRPC, direct)'
    [nginx]='nginx (static file)' [pgbench]='pgbench (one INSERT)' [writes]='pgbench (all its writes)'
    [uncached]='gateway, no-cache (uncached)'
    [echo]='gRPC unary echo (limit)' [dispatch]='dispatch worker -> receiver' [wrk1]='wrk, 1 connection'
    [wrk]="wrk, $CONNECTIONS connections")
  local -a cases
  mapfile -t cases < <(ran_cases)

  printf '\n%s connections (pgbench: clients), %ss each; the gateway GETs are answered from its edge cache\n' \
    "$CONNECTIONS" "$SECONDS_EACH"
  printf 'except the no-cache row (passed to the catalogue, which answers from its memory, then Redis)\n\n'
  for case in "${cases[@]}"; do
    [[ -z "${CASE_PATH[$case]:-}" ]] || printf '  %-8s GET %s\n' "$case" "${CASE_PATH[$case]}"
  done
  if [[ " ${cases[*]} " == *" submit "* ]]; then
    printf '  %-8s POST %s, a suggestion (bench/submit.lua): a new request each time;\n' submit "$SUBMIT_PATH"
    printf '  %-8s pgbench: INSERT of the same row into a copy of complaints.requests; all its writes:\n' ''
    printf '  %-8s the counter, the request, history and event, the flush, as the service makes them\n' ''
  fi
  if [[ " ${cases[*]} " == *" answer "* ]]; then
    printf '  %-8s POST %s, an anonymous 4-star rating (bench/answer.lua);\n' answer "$ANSWER_PATH"
    printf '  %-8s pgbench: INSERT of the same row into a copy of surveys.responses\n' ''
  fi
  if [[ " ${cases[*]} " == *" webhook "* ]]; then
    printf '  %-8s POST /hook of the loopback receiver: %s deliveries of approved messages due at once,\n' webhook \
      "${RESULT[webhook.deliveries]}"
    printf '  %-8s sent by dispatch'"'"'s worker (req/s = deliveries/s; p50/p99 = worker time per delivery);\n' ''
    printf '  %-8s wrk: the same signed request to the same receiver\n' ''
  fi
  printf '\n%-8s %-30s %7s %-18s %10s %9s %9s %10s\n' case target bytes content-type 'req/s' 'p50 ms' 'p99 ms' \
    'cache hits'
  for case in "${cases[@]}"; do
    for row in ${ROWS[$case]}; do
      printf '%-8s %-30s %7s %-18s %10s %9s %9s %10s\n' "$case" "${label[$row]}" \
        "${RESULT[$case.$row.bytes]:--}" "$(content_type "${RESULT[$case.$row.type]:-application/grpc}")" \
        "${RESULT[$case.$row.rps]}" "${RESULT[$case.$row.p50]}" "${RESULT[$case.$row.p99]}" \
        "${RESULT[$case.$row.hit]:--}"
    done
  done
  printf '\n%-8s %-28s %10s %9s %9s\n' case ratio 'req/s' 'p50' 'p99'
  for case in "${cases[@]}"; do
    for pair in ${PAIRS[$case]}; do
      a="$case.${pair%/*}" b="$case.${pair#*/}"
      printf '%-8s %-28s %10s %9s %9s\n' "$case" "$pair" "$(ratio "${RESULT[$a.rps]}" "${RESULT[$b.rps]}")" \
        "$(ratio "${RESULT[$a.p50]}" "${RESULT[$b.p50]}")" "$(ratio "${RESULT[$a.p99]}" "${RESULT[$b.p99]}")"
    done
  done
  print_cpu "${cases[@]}"
  if [[ " ${cases[*]} " == *" webhook "* ]]; then
    printf '\nwebhook: %s deliveries sent in %s s after they fell due (%s at the receiver, %s duplicates);\n' \
      "${RESULT[webhook.sent]}" "${RESULT[webhook.seconds]}" "${RESULT[webhook.received]}" \
      "${RESULT[webhook.duplicates]}"
    printf 'due -> sent p50 %s ms, p99 %s ms (the queue of %s included)\n' "${RESULT[webhook.due.p50]}" \
      "${RESULT[webhook.due.p99]}" "${RESULT[webhook.deliveries]}"
  fi
  printf '\n%-22s %12s\n' process 'peak RSS MiB'
  local name
  for name in $(printf '%s\n' "${!PEAK_RSS[@]}" | sort); do
    printf '%-22s %12s\n' "$name" "$(awk -v k="${PEAK_RSS[$name]}" 'BEGIN { printf "%.1f", k / 1024 }')"
  done
  printf '\nThe load generators share the machine with the servers: compare ratios, not absolutes.\n'
}

# print_cpu CASE...: RESULT[ROW.cpu] of those cases' rows as a table, a
# column for each process with a figure, and their total.
print_cpu() {
  local case row name entry total
  local -a names=()
  local -A seen=()
  for case in "$@"; do
    for row in ${ROWS[$case]}; do
      for entry in ${RESULT[$case.$row.cpu]:-}; do seen[${entry%%=*}]=1; done
    done
  done
  for name in load gateway catalogue complaints surveys opendata dispatch postgres redis nginx echo receiver; do
    [[ -z "${seen[$name]:-}" ]] || names+=("$name")
    unset "seen[$name]"
  done
  ((${#seen[@]} == 0)) || mapfile -t -O "${#names[@]}" names < <(printf '%s\n' "${!seen[@]}" | sort)
  ((${#names[@]} > 0)) || return 0
  printf '\nCPU time per request in µs (user + system over the row; load: wrk, pgbench or sportello-grpc-load)\n'
  printf '%-8s %-30s' case target
  printf ' %10s' "${names[@]}" total
  printf '\n'
  for case in "$@"; do
    for row in ${ROWS[$case]}; do
      [[ -n "${RESULT[$case.$row.cpu]:-}" ]] || continue
      printf '%-8s %-30s' "$case" "$row"
      total=0
      for name in "${names[@]}"; do
        entry="$(cpu_of "$case.$row" "$name")"
        printf ' %10s' "${entry:--}"
        [[ -z "$entry" ]] || total="$(awk -v a="$total" -v b="$entry" 'BEGIN { printf "%.1f", a + b }')"
      done
      printf ' %10s\n' "$total"
    done
  done
}
# cpu_of ROW NAME: NAME's µs per request in RESULT[ROW.cpu], "" when none.
cpu_of() {
  local entry
  for entry in ${RESULT[$1.cpu]:-}; do
    [[ "${entry%%=*}" != "$2" ]] || { printf '%s' "${entry#*=}"; return 0; }
  done
}

# write_json FILE: the table's figures as JSON.
write_json() {
  local file="$1" case row pair sep="" a b name entry csep
  num() { [[ "$1" =~ ^[0-9]+(\.[0-9]+)?$ ]] && printf '%s' "$1" || printf 'null'; }
  local -a cases
  mapfile -t cases < <(ran_cases)
  {
    printf '{"date":"%s","commit":"%s","connections":%s,"seconds":%s,"rows":[' \
      "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)" \
      "$CONNECTIONS" "$SECONDS_EACH"
    for case in "${cases[@]}"; do
      for row in ${ROWS[$case]}; do
        [[ -n "${RESULT[$case.$row.rps]:-}" ]] || continue
        printf '%s{"case":"%s","target":"%s","bytes":%s,"rps":%s,"p50_ms":%s,"p99_ms":%s,"cache_hit_rate":%s' \
          "$sep" "$case" "$row" "$(num "${RESULT[$case.$row.bytes]:-}")" "$(num "${RESULT[$case.$row.rps]}")" \
          "$(num "${RESULT[$case.$row.p50]}")" "$(num "${RESULT[$case.$row.p99]}")" "$(num "${RESULT[$case.$row.hit]:-}")"
        printf ',"cpu_us_per_request":{'
        csep=""
        for entry in ${RESULT[$case.$row.cpu]:-}; do
          printf '%s"%s":%s' "$csep" "${entry%%=*}" "$(num "${entry#*=}")"
          csep=","
        done
        printf '}}'
        sep=","
      done
    done
    printf '],"ratios":['
    sep=""
    for case in "${cases[@]}"; do
      for pair in ${PAIRS[$case]}; do
        a="$case.${pair%/*}" b="$case.${pair#*/}"
        [[ -n "${RESULT[$a.rps]:-}" && -n "${RESULT[$b.rps]:-}" ]] || continue
        printf '%s{"case":"%s","pair":"%s","rps":%s,"p50":%s,"p99":%s}' "$sep" "$case" "$pair" \
          "$(num "$(ratio "${RESULT[$a.rps]}" "${RESULT[$b.rps]}")")" \
          "$(num "$(ratio "${RESULT[$a.p50]}" "${RESULT[$b.p50]}")")" \
          "$(num "$(ratio "${RESULT[$a.p99]}" "${RESULT[$b.p99]}")")"
        sep=","
      done
    done
    printf ']'
    if [[ -n "${RESULT[webhook.dispatch.rps]:-}" ]]; then
      printf ',"webhook":{"deliveries":%s,"sent":%s,"received":%s,"duplicates":%s,"seconds":%s,' \
        "$(num "${RESULT[webhook.deliveries]}")" "$(num "${RESULT[webhook.sent]}")" \
        "$(num "${RESULT[webhook.received]}")" "$(num "${RESULT[webhook.duplicates]}")" \
        "$(num "${RESULT[webhook.seconds]}")"
      printf '"deliveries_per_s":%s,"worker_p50_ms":%s,"worker_p99_ms":%s,"due_to_sent_p50_ms":%s,"due_to_sent_p99_ms":%s}' \
        "$(num "${RESULT[webhook.dispatch.rps]}")" "$(num "${RESULT[webhook.dispatch.p50]}")" \
        "$(num "${RESULT[webhook.dispatch.p99]}")" "$(num "${RESULT[webhook.due.p50]}")" \
        "$(num "${RESULT[webhook.due.p99]}")"
    fi
    printf ',"peak_rss_kib":{'
    sep=""
    for name in $(printf '%s\n' "${!PEAK_RSS[@]}" | sort); do
      printf '%s"%s":%s' "$sep" "$name" "$(num "${PEAK_RSS[$name]}")"
      sep=","
    done
    printf '}}\n'
  } >"$file"
  log "figures written to $file"
}

main_bench() {
  while (($# > 0)); do
    case "$1" in
      --json) [[ $# -ge 2 ]] || die "--json needs a file name"; JSON_OUT="$2"; shift 2 ;;
      --only) [[ $# -ge 2 ]] || die "--only needs a list of cases"; ONLY="$2"; shift 2 ;;
      *) die "usage: ./sportello bench [--json FILE] [--only CASE,...]" ;;
    esac
  done
  # Relative to where the command was run, before we cd.
  [[ -z "$JSON_OUT" || "$JSON_OUT" == /* ]] || JSON_OUT="$PWD/$JSON_OUT"
  if ! [[ "$CONNECTIONS" =~ ^[0-9]+$ ]] || ((CONNECTIONS < WRK_THREADS)); then
    die "SPORTELLO_BENCH_CONNECTIONS must be a number >= $WRK_THREADS"
  fi
  if ! [[ "$SECONDS_EACH" =~ ^[0-9]+$ ]] || ((SECONDS_EACH < 1)); then
    die "SPORTELLO_BENCH_SECONDS must be a positive whole number"
  fi
  if ! [[ "$DELIVERIES" =~ ^[0-9]+$ ]] || ((DELIVERIES < 1)); then
    die "SPORTELLO_BENCH_DELIVERIES must be a positive whole number"
  fi
  local case
  for case in ${ONLY//,/ }; do
    [[ " ${ALL_CASES[*]} download " == *" $case "* ]] || die "--only: no case '$case' (${ALL_CASES[*]} download)"
  done
  local -a get_cases=()
  for case in "${CASES[@]}"; do
    if wanted "$case"; then get_cases+=("$case"); fi
  done
  CASES=("${get_cases[@]}")
  cd "$ROOT"
  ensure_packages "${BUILD_PACKAGES[@]}" "${RUNTIME_PACKAGES[@]}" "${BENCH_PACKAGES[@]}" python3-aiosmtpd
  ensure_build
  install_traps
  make_temp_dir
  # shellcheck disable=SC2034 # read by stack_up
  JWT_SECRET="${SPORTELLO_JWT_SECRET:-$DEFAULT_JWT_SECRET}"
  # Every anonymous answer comes from 127.0.0.1: lift the per-client limit
  # (the services inherit this environment).
  export SPORTELLO_SURVEYS_ANSWERS_PER_MINUTE=1000000 SPORTELLO_SURVEYS_ANSWER_BURST=1000000
  stack_up "$STACK_TEMP_DIR" ephemeral

  local gateway="http://127.0.0.1:$GATEWAY_PORT"
  for case in "${CASES[@]}"; do
    warm_and_save "$case"
  done
  ((${#CASES[@]} == 0)) || start_nginx

  # Each gateway row next to its nginx row.
  if wanted tenant; then
    start_echo
    run_gateway tenant.gateway "$gateway${CASE_PATH[tenant]}"
    run_gateway tenant.uncached "$gateway${CASE_PATH[tenant]}" -H 'Cache-Control: no-cache'
    RESULT[tenant.uncached.bytes]="${RESULT[tenant.gateway.bytes]}" RESULT[tenant.uncached.type]="${RESULT[tenant.gateway.type]}"
    run_grpc tenant.grpc "${SVC_ADDR[catalogue]}"
    run_grpc tenant.echo "$ECHO_ADDR" echo
    run_wrk tenant.nginx "http://127.0.0.1:$NGINX_PORT${CASE_PATH[tenant]}"
  fi
  for case in "${CASES[@]}"; do
    [[ "$case" != tenant ]] || continue
    run_gateway "$case.gateway" "$gateway${CASE_PATH[$case]}"
    run_wrk "$case.nginx" "http://127.0.0.1:$NGINX_PORT${CASE_PATH[$case]}"
  done

  # The deliveries, the download and the writes, last: they fill the
  # throwaway database.
  if [[ -n "${SPORTELLO_PG_URL:-}" ]]; then
    log "webhook, download and submit cases skipped: they write rows, and SPORTELLO_PG_URL is a database of your own"
  else
    if wanted webhook; then run_webhook; fi
    if wanted download; then run_download; fi
    if wanted submit; then
      check_submit
      run_wrk submit.gateway "$gateway$SUBMIT_PATH" -s "$ROOT/bench/submit.lua"
      run_pgbench submit.pgbench
      run_pgbench submit.writes "$SUBMIT_WRITES_SQL" prepared '-c synchronous_commit=off'
    fi
    if wanted answer; then
      check_answer
      run_wrk answer.gateway "$gateway$ANSWER_PATH" -s "$ROOT/bench/answer.lua"
      run_pgbench answer.pgbench "$ANSWER_SQL"
    fi
  fi
  peak_rss
  print_table
  [[ -z "${RESULT[download.path]:-}" ]] || print_download
  [[ -z "$JSON_OUT" ]] || write_json "$JSON_OUT"
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  main_bench "$@"
fi
