#!/usr/bin/env bash
# A service refuses to start with the public development JWT secret, or with
# none, unless SPORTELLO_ENV=development; it says why, before touching any
# database; nor with addresses of replicas it cannot use.
# Usage: startup_secret_test.sh SERVICE_BINARY [GATEWAY_BINARY]
set -u
bin="${1:?service binary}"
passed=0 failed=0
expect() {  # expect DESCRIPTION WANTED_EXIT WANTED_TEXT ENV...
  local what="$1" want_rc="$2" want_text="$3" out rc
  shift 3
  # An unreachable database: a binary that got past its settings waits for
  # it instead of exiting 2, until timeout's SIGTERM stops it (exit 124).
  out="$(env -i PATH="$PATH" SPORTELLO_PG_URL=postgresql://nobody@127.0.0.1:1/none "$@" \
         timeout -k 10 2 "$bin" 2>&1 </dev/null)"
  rc=$?
  if [[ "$rc" == "$want_rc" && "$out" == *"$want_text"* ]]; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    echo "FAILED: $what: exit $rc (wanted $want_rc), output: $out"
  fi
}
expect "development secret outside development" 2 "public development secret" \
  SPORTELLO_JWT_SECRET=sportello-dev-secret-change-me
expect "no secret outside development" 2 "SPORTELLO_JWT_SECRET is not set" 
expect "a short secret in production" 2 "shorter than 32" SPORTELLO_JWT_SECRET=short
expect "an unknown environment" 2 "SPORTELLO_ENV must be" SPORTELLO_ENV=staging \
  SPORTELLO_JWT_SECRET=0123456789abcdef0123456789abcdef
# Accepted settings get past them: the binary then waits for the database
# and stops on SIGTERM (124; were SIGTERM ignored while waiting, -k would
# kill it after 10 s: 137).
expect "the development secret in development" 124 "" SPORTELLO_ENV=development
expect "a real secret in production" 124 "" SPORTELLO_JWT_SECRET=0123456789abcdef0123456789abcdef
# An identity provider's keys: no shared secret needed outside development,
# but its issuer is; TLS files go together and must be readable.
jwks="$(mktemp)"
echo '{"keys":[]}' >"$jwks"
expect "a JWKS without an issuer" 2 "needs SPORTELLO_JWT_ISSUER" SPORTELLO_JWKS="$jwks"
expect "a JWKS in production without a secret" 124 "" SPORTELLO_JWKS="$jwks" SPORTELLO_JWT_ISSUER=https://idp.example
expect "a TLS certificate without key and CA" 2 "go together" SPORTELLO_ENV=development SPORTELLO_TLS_CERT=/etc/hostname
expect "unreadable TLS files" 2 "cannot read a PEM file" SPORTELLO_ENV=development \
  SPORTELLO_TLS_CERT=/nonexistent.pem SPORTELLO_TLS_KEY=/nonexistent.key SPORTELLO_TLS_CA=/nonexistent.ca
# Replicas: a service listens on one address; the others' lists must be
# something gRPC can balance over (common/grpc/target.h).
expect "a list as the service's own listen address" 2 "one host:port" SPORTELLO_ENV=development \
  SPORTELLO_CATALOGUE_ADDR=127.0.0.1:1,127.0.0.1:2
expect "a subscriber's replicas by host name" 2 "must be IP addresses" SPORTELLO_ENV=development \
  SPORTELLO_CATALOGUE_SUBSCRIBERS=dispatch=dispatch-0:50055,dispatch-1:50055
expect "a subscriber's replicas by IP address, and one by dns:///" 124 "" SPORTELLO_ENV=development \
  SPORTELLO_CATALOGUE_SUBSCRIBERS=dispatch=127.0.0.1:1,127.0.0.1:2,audit=dns:///localhost:7001
if [[ -n "${2:-}" ]]; then
  bin="$2"  # the gateway: where it finds the services
  expect "the gateway given replicas by host name" 2 "dns:///name:port" SPORTELLO_ENV=development \
    SPORTELLO_CATALOGUE_ADDR=catalogue-0:50051,catalogue-1:50051
  expect "the gateway given an address without a port" 2 "is not host:port" SPORTELLO_ENV=development \
    SPORTELLO_COMPLAINTS_ADDR=complaints
fi
rm -f "$jwks"
echo "$passed passed, $failed failed"
((failed == 0))
