#pragma once
#include <string>

namespace sportello {

// TLS of gRPC (SPORTELLO_TLS_*): this process's certificate and key, and the
// CA that every Sportello component and partner certificate is signed by.
// With a certificate, servers accept TLS only and clients (the gateway's
// upstreams, service-to-service calls, the outbox relay) present it; the
// certificate's URI SAN says who the process is (common/grpc/tls.h). Holds
// the PEM texts read at start-up: never log it.
struct TlsConfig {
  std::string cert_file;     // paths, for messages
  std::string cert_pem, key_pem, ca_pem;
  bool require_client_cert = false;  // SPORTELLO_TLS_CLIENT_CERT=require: no certificate, no call
  bool enabled() const { return !cert_pem.empty(); }
};

}  // namespace sportello
