#!/usr/bin/env bash
# ./sportello bench: three requests, each next to nginx serving its very bytes,
# all at the same concurrency in the same run:
#   tenant   GET /api/v1/tenants/c_f027 through the gateway (REST/JSON -> gRPC),
#            CatalogueService/GetTenant straight to the catalogue
#            (sportello-grpc-load), and nginx serving the same JSON bytes
#   service  GET /api/v1/services/<Massafra's CIE card> through the gateway,
#            and nginx serving the same bytes
#   search   GET /api/v1/search?tenant=c_f027&q=carta%20identita through the
#            gateway, and nginx serving the same bytes
# The gateway's answers come from the catalogue's Redis cache: each is
# requested once before the load. HTTP load is wrk's, nginx serves static
# files as application/json, like the gateway. Prints throughput, p50 and p99
# of each row and the ratios gateway/nginx (and, for tenant, grpc/nginx and
# gateway/grpc). Asserts nothing.
#
# SPORTELLO_BENCH_CONNECTIONS (default 32) and SPORTELLO_BENCH_SECONDS (10).
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
CASES=(tenant service search)
declare -A CASE_PATH=(
  [tenant]="/api/v1/tenants/$IPA"
  [service]="/api/v1/services/00000000-0000-4000-9000-000000000001"
  [search]="/api/v1/search?tenant=$IPA&q=carta%20identita"
)

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

# run_wrk ROW URL: RESULT[ROW.*] from wrk --latency.
run_wrk() {
  local name="$1" url="$2" out
  log "wrk: $url, $CONNECTIONS connections, ${SECONDS_EACH}s"
  out="$(wrk -t"$WRK_THREADS" -c"$CONNECTIONS" -d"${SECONDS_EACH}s" --latency "$url")"
  printf '%s\n' "$out" >"$STACK_TEMP_DIR/logs/wrk-$name.txt"
  if grep -q 'Non-2xx' <<<"$out"; then
    log "warning: $name answered non-2xx responses: $(grep 'Non-2xx' <<<"$out")"
  fi
  RESULT[$name.rps]="$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")"
  RESULT[$name.p50]="$(to_ms "$(awk '$1 == "50%" {print $2}' <<<"$out")")"
  RESULT[$name.p99]="$(to_ms "$(awk '$1 == "99%" {print $2}' <<<"$out")")"
}

# run_grpc ROW TARGET: the same figures from sportello-grpc-load.
run_grpc() {
  local name="$1" target="$2" out
  log "sportello-grpc-load: $target GetTenant($IPA), $CONNECTIONS calls in flight, ${SECONDS_EACH}s"
  out="$("$BIN_DIR/sportello-grpc-load" --target "$target" --ipa "$IPA" \
    --connections "$CONNECTIONS" --seconds "$SECONDS_EACH")"
  printf '%s\n' "$out" >"$STACK_TEMP_DIR/logs/grpc-load.txt"
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
# throwaway configuration, every file as application/json. Sets NGINX_PORT.
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

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }

print_table() {
  local case row pair a b
  local -A label=([gateway]='gateway (REST/JSON -> gRPC)' [grpc]='catalogue (gRPC, direct)'
    [nginx]='nginx (static file)')
  local -A rows=([tenant]='gateway grpc nginx' [service]='gateway nginx' [search]='gateway nginx')
  local -A pairs=([tenant]='gateway/nginx grpc/nginx gateway/grpc' [service]='gateway/nginx'
    [search]='gateway/nginx')

  printf '\n%s connections, %ss each; the gateway answers from the Redis cache\n\n' \
    "$CONNECTIONS" "$SECONDS_EACH"
  for case in "${CASES[@]}"; do
    printf '  %-8s GET %s\n' "$case" "${CASE_PATH[$case]}"
  done
  printf '\n%-8s %-28s %7s %-18s %10s %9s %9s\n' case target bytes content-type 'req/s' 'p50 ms' 'p99 ms'
  for case in "${CASES[@]}"; do
    for row in ${rows[$case]}; do
      printf '%-8s %-28s %7s %-18s %10s %9s %9s\n' "$case" "${label[$row]}" \
        "${RESULT[$case.$row.bytes]:--}" "${RESULT[$case.$row.type]:-application/grpc}" \
        "${RESULT[$case.$row.rps]}" "${RESULT[$case.$row.p50]}" "${RESULT[$case.$row.p99]}"
    done
  done
  printf '\n%-8s %-28s %10s %9s %9s\n' case ratio 'req/s' 'p50' 'p99'
  for case in "${CASES[@]}"; do
    for pair in ${pairs[$case]}; do
      a="$case.${pair%/*}" b="$case.${pair#*/}"
      printf '%-8s %-28s %10s %9s %9s\n' "$case" "$pair" "$(ratio "${RESULT[$a.rps]}" "${RESULT[$b.rps]}")" \
        "$(ratio "${RESULT[$a.p50]}" "${RESULT[$b.p50]}")" "$(ratio "${RESULT[$a.p99]}" "${RESULT[$b.p99]}")"
    done
  done
  printf '\nThe load generators share the machine with the servers: compare ratios, not absolutes.\n'
}

main_bench() {
  if ! [[ "$CONNECTIONS" =~ ^[0-9]+$ ]] || ((CONNECTIONS < WRK_THREADS)); then
    die "SPORTELLO_BENCH_CONNECTIONS must be a number >= $WRK_THREADS"
  fi
  if ! [[ "$SECONDS_EACH" =~ ^[0-9]+$ ]] || ((SECONDS_EACH < 1)); then
    die "SPORTELLO_BENCH_SECONDS must be a positive whole number"
  fi
  cd "$ROOT"
  ensure_packages "${BUILD_PACKAGES[@]}" "${RUNTIME_PACKAGES[@]}" "${BENCH_PACKAGES[@]}"
  ensure_build
  install_traps
  make_temp_dir
  # shellcheck disable=SC2034 # read by stack_up
  JWT_SECRET="${SPORTELLO_JWT_SECRET:-$DEFAULT_JWT_SECRET}"
  stack_up "$STACK_TEMP_DIR" ephemeral

  local case gateway="http://127.0.0.1:$GATEWAY_PORT"
  for case in "${CASES[@]}"; do
    warm_and_save "$case"
  done
  start_nginx

  # Each gateway row next to its nginx row.
  run_wrk tenant.gateway "$gateway${CASE_PATH[tenant]}"
  run_grpc tenant.grpc "${SVC_ADDR[catalogue]}"
  run_wrk tenant.nginx "http://127.0.0.1:$NGINX_PORT${CASE_PATH[tenant]}"
  for case in service search; do
    run_wrk "$case.gateway" "$gateway${CASE_PATH[$case]}"
    run_wrk "$case.nginx" "http://127.0.0.1:$NGINX_PORT${CASE_PATH[$case]}"
  done
  print_table
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  main_bench "$@"
fi
