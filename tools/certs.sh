#!/usr/bin/env bash
# tools/certs.sh DIR [TENANT...]: a local CA and the certificates of a
# Sportello installation, for trying TLS and mutual TLS (./sportello certs).
# Every identity is a URI SAN that the services check (common/grpc/tls.h):
#   DIR/ca.pem, ca.key                 the CA (SPORTELLO_TLS_CA=DIR/ca.pem)
#   DIR/<service>.pem, <service>.key   each service of services/services.txt:
#       server and client, DNS <service> and localhost, IP 127.0.0.1,
#       URI sportello://service/<service>
#   DIR/gateway.pem, gateway.key       client, URI sportello://gateway (its
#       x-client-ip is believed)
#   DIR/partner-<tenant>.pem, .key     client, URI sportello://tenant/<tenant>,
#       for each TENANT (default: c_f027, the demo's)
# Existing files are kept (a new CA would invalidate every certificate given
# out); delete DIR to start again. Extra DNS names for every service
# certificate: SPORTELLO_CERT_DNS="a.example,b.example".
set -euo pipefail
dir="${1:?usage: certs.sh DIR [TENANT...]}"
shift
tenants=("$@")
((${#tenants[@]} > 0)) || tenants=(c_f027)
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
mkdir -p "$dir"
umask 077   # private keys readable by their owner only

days=825
if [[ ! -s "$dir/ca.pem" ]]; then
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 3650 \
    -subj "/O=Sportello/CN=Sportello local CA" -keyout "$dir/ca.key" -out "$dir/ca.pem" 2>/dev/null
  chmod 644 "$dir/ca.pem"
fi

# issue NAME CN EXTENSIONS
issue() {
  local name="$1" cn="$2" ext="$3"
  [[ -s "$dir/$name.pem" ]] && return 0
  local tmp
  tmp="$(mktemp -d)"
  printf '%s\n' "$ext" >"$tmp/ext.cnf"
  openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj "/O=Sportello/CN=$cn" \
    -keyout "$dir/$name.key" -out "$tmp/req.csr" 2>/dev/null
  openssl x509 -req -in "$tmp/req.csr" -CA "$dir/ca.pem" -CAkey "$dir/ca.key" -CAcreateserial \
    -days "$days" -sha256 -extfile "$tmp/ext.cnf" -out "$dir/$name.pem" 2>/dev/null
  chmod 644 "$dir/$name.pem"
  rm -rf "$tmp"
}

extra_dns=""
IFS=',' read -r -a extra <<<"${SPORTELLO_CERT_DNS:-}"
for name in "${extra[@]}"; do [[ -n "$name" ]] && extra_dns+=",DNS:$name"; done

while read -r service _; do
  [[ "$service" =~ ^[a-z] ]] || continue
  issue "$service" "$service" "basicConstraints=CA:FALSE
keyUsage=digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth,clientAuth
subjectAltName=URI:sportello://service/$service,DNS:$service,DNS:localhost,IP:127.0.0.1$extra_dns"
done <"$root/services/services.txt"
issue gateway gateway "basicConstraints=CA:FALSE
keyUsage=digitalSignature,keyEncipherment
extendedKeyUsage=clientAuth
subjectAltName=URI:sportello://gateway"
for tenant in "${tenants[@]}"; do
  [[ "$tenant" =~ ^[a-z0-9_]+$ ]] || { echo "certs.sh: '$tenant' is not an IPA code" >&2; exit 2; }
  issue "partner-$tenant" "$tenant" "basicConstraints=CA:FALSE
keyUsage=digitalSignature,keyEncipherment
extendedKeyUsage=clientAuth
subjectAltName=URI:sportello://tenant/$tenant"
done
echo "certs.sh: CA and certificates in $dir" >&2
