#!/usr/bin/env bash
# ./sportello chaos [SECONDS]: the stack of `test` (embedded PostgreSQL and
# Redis, every service, the gateway, free ports), mixed load through the
# gateway for SECONDS (default 300), and meanwhile, one after the other:
# SIGKILL of each service and its restart, PostgreSQL stopped at once
# (immediate: crash recovery) and started again, Redis stopped for 30 s.
# Windows scale with SECONDS/300. A subscriber on loopback records complaints'
# outbox events. Then tests/chaos/chaos.py check prints the figures and fails
# when an acknowledged write was lost or duplicated, an event missed, repeated
# or out of order, or a 500 answered. Not part of `./sportello test`.
set -euo pipefail

# The stack functions live in the entry point; sourcing it runs nothing.
# shellcheck source-path=SCRIPTDIR/../.. source=sportello
source "$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/sportello"

PY=/usr/bin/python3
CHAOS="$ROOT/tests/chaos/chaos.py"

now() { date +%s.%N; }

# fault_record NAME NEEDS START RESTORED: one line of the faults file.
fault_record() {
  printf '{"name":"%s","needs":"%s","start":%s,"restored":%s}\n' "$1" "$2" "$3" "$4" >>"$FAULTS"
}

# sleep_until EPOCH
sleep_until() {
  local left
  left="$(awk -v t="$1" -v n="$(now)" 'BEGIN { d = t - n; printf "%.2f", (d > 0 ? d : 0) }')"
  sleep "$left"
}

# fault WHAT DOWN_SECONDS: WHAT (a service's name, postgres or redis) fails
# the way it can (a service SIGKILLed, PostgreSQL stopped at once, Redis
# stopped), is down for DOWN_SECONDS and is started again; the window from the
# failure to the restart goes to the faults file.
fault() {
  local what="$1" down="$2" name="SIGKILL $1" needs="$1" started port
  started="$(now)"
  case "$what" in
    postgres)
      name="PostgreSQL restart" needs="*"
      log "chaos: PostgreSQL stopped (immediate)"
      as_pg_user "$PG_BIN/pg_ctl" -D "$STACK_DIR/pg" -m immediate -w stop >/dev/null
      ;;
    redis)
      name="Redis stopped" needs="*"
      log "chaos: Redis stopped for $down s"
      kill -TERM "${SVC_PID[redis]}"
      wait "${SVC_PID[redis]}" 2>/dev/null || true
      ;;
    *)
      log "chaos: SIGKILL $what (pid ${SVC_PID[$what]})"
      kill -KILL "${SVC_PID[$what]}"
      wait "${SVC_PID[$what]}" 2>/dev/null || true
      ;;
  esac
  sleep "$down"
  case "$what" in
    postgres)
      # shellcheck disable=SC2086 # options
      pg_start "$STACK_DIR" "$STACK_PG_PORT" $STACK_PG_OPTIONS
      ;;
    redis)
      port="${REDIS_URL##*:}"
      redis_start "$STACK_DIR" "${port%%/*}"
      ;;
    *) start_service "$STACK_DIR" "$what" ;;
  esac
  fault_record "$name" "$needs" "$started" "$(now)"
}

main_chaos() {
  local seconds="${1:-300}"
  if ! [[ "$seconds" =~ ^[0-9]+$ ]] || ((seconds < 30)); then
    die "usage: ./sportello chaos [SECONDS] (at least 30, default 300)"
  fi
  cd "$ROOT"
  ensure_packages "${BUILD_PACKAGES[@]}" "${RUNTIME_PACKAGES[@]}" python3-grpcio
  ensure_build
  install_traps
  make_temp_dir
  JWT_SECRET="$(random_secret)"
  local dir="$STACK_TEMP_DIR"
  mkdir -p "$dir/logs" "$dir/chaos"
  FAULTS="$dir/chaos/faults.jsonl"
  : >"$FAULTS"

  # The subscriber first: complaints' relay delivers to it from the start.
  local sink_port
  free_port sink_port
  "$PY" "$CHAOS" sink "$sink_port" "$dir/chaos/events.jsonl" >"$dir/logs/chaos-sink.log" 2>&1 </dev/null &
  track $! chaos-sink "chaos.py sink"
  wait_for_port "$sink_port" "the chaos subscriber" 30
  export SPORTELLO_COMPLAINTS_SUBSCRIBERS="chaos=127.0.0.1:$sink_port"
  # Every client is 127.0.0.1: lift the per-client answer limit (submissions'
  # is lifted by the ephemeral mode).
  export SPORTELLO_SURVEYS_ANSWERS_PER_MINUTE=1000000 SPORTELLO_SURVEYS_ANSWER_BURST=1000000
  stack_up "$dir" ephemeral
  log "stack ready: gateway http://127.0.0.1:$GATEWAY_PORT, logs in $dir/logs"

  local operator partner
  operator="$(SPORTELLO_JWT_SECRET="$JWT_SECRET" "$BIN_DIR/sportello-token" --tenant c_f027 --role operator --role communication --sub chaos.operator --ttl 7200)"
  partner="$(SPORTELLO_JWT_SECRET="$JWT_SECRET" "$BIN_DIR/sportello-token" --tenant c_f027 --role partner --sub chaos.partner --ttl 7200)"

  # The load, in the background for SECONDS.
  local t0
  t0="$(now)"
  "$PY" "$CHAOS" load --port "$GATEWAY_PORT" --seconds "$seconds" --operator "$operator" --partner "$partner" \
    --out "$dir/chaos/calls.jsonl" --results "$dir/chaos/results.json" >"$dir/logs/chaos-load.log" 2>&1 </dev/null &
  local load_pid=$!
  track "$load_pid" chaos-load "chaos.py load"

  # The faults, one per slot after a quiet start; the last tenth is quiet too.
  # Down times at 300 s: a service 3 s, PostgreSQL 10 s, Redis 30 s.
  local scale quiet slot
  scale="$(awk -v s="$seconds" 'BEGIN { printf "%.3f", s / 300 }')"
  quiet="$(awk -v s="$seconds" 'BEGIN { printf "%.2f", s * 0.05 }')"
  slot="$(awk -v s="$seconds" 'BEGIN { printf "%.2f", s * 0.85 / 7 }')"
  down() { awk -v b="$1" -v k="$scale" -v m="$2" 'BEGIN { d = b * k; printf "%.2f", (d < m ? m : d) }'; }
  local i=0 name at
  for name in "${SERVICES[@]}" postgres redis; do
    at="$(awk -v t="$t0" -v q="$quiet" -v s="$slot" -v i="$i" 'BEGIN { printf "%.3f", t + q + i * s }')"
    sleep_until "$at"
    case "$name" in
      postgres) fault postgres "$(down 10 2)" ;;
      redis) fault redis "$(down 30 3)" ;;
      *) fault "$name" "$(down 3 1)" ;;
    esac
    i=$((i + 1))
  done

  log "chaos: faults done; waiting for the load to finish"
  wait "$load_pid" || die "the load generator failed: $(tail -n 20 "$dir/logs/chaos-load.log")"
  local rc=0
  "$PY" "$CHAOS" check --seconds "$seconds" --calls "$dir/chaos/calls.jsonl" --faults "$FAULTS" \
    --results "$dir/chaos/results.json" --sink "$dir/chaos/events.jsonl" \
    --psql "$PG_BIN/psql" --pg-url "$PG_URL" || rc=$?
  if [[ -n "${SPORTELLO_CHAOS_KEEP:-}" ]]; then
    mkdir -p "$SPORTELLO_CHAOS_KEEP"
    cp -r "$dir/chaos" "$dir/logs" "$SPORTELLO_CHAOS_KEEP/" && log "records and logs kept in $SPORTELLO_CHAOS_KEEP"
  fi
  if ((rc != 0)); then
    log "chaos run failed; the stack's logs:"
    show_logs
  fi
  exit "$rc"
}

main_chaos "$@"
