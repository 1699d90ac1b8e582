#!/usr/bin/env bash
# ./sportello bench: the same request three ways, at the same concurrency,
#   1. GET /api/v1/tenants/c_f027 through the gateway (REST/JSON -> gRPC), wrk
#   2. CatalogueService/GetTenant straight to the catalogue, sportello-grpc-load
#   3. nginx serving the gateway's JSON bytes as a static file, wrk
# and prints throughput, p50 and p99 of each and their ratios. Asserts nothing.
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
PATH_UNDER_TEST="/api/v1/tenants/$IPA"
WRK_THREADS=2                  # the machine's cores; wrk needs connections >= threads

# wrk's latency figures carry a unit (us, ms, s): in milliseconds.
to_ms() {
  awk -v v="$1" 'BEGIN {
    if (v ~ /us$/) { sub(/us$/, "", v); printf "%.3f", v / 1000 }
    else if (v ~ /ms$/) { sub(/ms$/, "", v); printf "%.3f", v }
    else if (v ~ /s$/) { sub(/s$/, "", v); printf "%.3f", v * 1000 }
    else printf "%.3f", v }'
}

declare -A RESULT=()   # [NAME.rps], [NAME.p50], [NAME.p99] for NAME in gateway grpc nginx

# run_wrk NAME URL: RESULT[NAME.*] from wrk --latency.
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

# run_grpc NAME TARGET: the same figures from sportello-grpc-load.
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

# start_nginx BODY_FILE: nginx serving BODY_FILE at $PATH_UNDER_TEST on a
# free port, from a throwaway configuration. Sets NGINX_PORT.
start_nginx() {
  local body="$1" dir="$STACK_TEMP_DIR/nginx"
  free_port NGINX_PORT
  mkdir -p "$dir/www${PATH_UNDER_TEST%/*}" "$dir/tmp"
  cp "$body" "$dir/www$PATH_UNDER_TEST"
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
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }

print_table() {
  printf '\nSame request, %s connections, %ss each (%s)\n\n' "$CONNECTIONS" "$SECONDS_EACH" "$PATH_UNDER_TEST"
  printf '%-32s %12s %10s %10s\n' target 'req/s' 'p50 ms' 'p99 ms'
  local -A label=([gateway]='gateway (REST/JSON -> gRPC)' [grpc]='catalogue (gRPC, direct)'
    [nginx]='nginx (static file)')
  local name pair a b
  for name in gateway grpc nginx; do
    printf '%-32s %12s %10s %10s\n' "${label[$name]}" \
      "${RESULT[$name.rps]}" "${RESULT[$name.p50]}" "${RESULT[$name.p99]}"
  done
  printf '\n%-32s %12s %10s %10s\n' 'ratio' 'req/s' 'p50' 'p99'
  for pair in gateway/nginx grpc/nginx gateway/grpc; do
    a="${pair%/*}" b="${pair#*/}"
    printf '%-32s %12s %10s %10s\n' "$pair" "$(ratio "${RESULT[$a.rps]}" "${RESULT[$b.rps]}")" \
      "$(ratio "${RESULT[$a.p50]}" "${RESULT[$b.p50]}")" "$(ratio "${RESULT[$a.p99]}" "${RESULT[$b.p99]}")"
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

  local url="http://127.0.0.1:$GATEWAY_PORT$PATH_UNDER_TEST" body="$STACK_TEMP_DIR/tenant.json"
  curl -fsS -o "$body" "$url" || die "GET $url failed"
  log "the response: $(wc -c <"$body") bytes"
  start_nginx "$body"

  run_wrk gateway "$url"
  run_grpc grpc "${SVC_ADDR[catalogue]}"
  run_wrk nginx "http://127.0.0.1:$NGINX_PORT$PATH_UNDER_TEST"
  print_table
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  main_bench "$@"
fi
