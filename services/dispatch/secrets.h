#pragma once
// Webhook signatures and credentials sealed at rest.
//
// Standard Webhooks: `webhook-signature: v1,<base64 HMAC-SHA256 of
// "id.timestamp.body">`, keyed by the secret's bytes (a "whsec_" secret is
// base64 after the prefix); GitHub-style `X-Hub-Signature-256:
// sha256=<hex HMAC-SHA256 of the body>`.
//
// Credentials: AES-256-GCM with a random 96-bit nonce and the key id as
// associated data, "v1.<key id>.<base64 nonce|ciphertext|tag>", so keys
// rotate: a new key id seals, old ones still open. "env:NAME" is a reference
// to a variable instead. A credential is never returned nor logged.
#include <map>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace sportello::dispatch {

std::string StandardWebhookSignature(std::string_view secret, std::string_view id, std::string_view timestamp,
                                     std::string_view body);
std::string HubSignature256(std::string_view secret, std::string_view body);

// The key bytes of a Standard Webhooks secret ("whsec_<base64>"), or the
// secret itself when it has no such prefix.
std::string WebhookKey(std::string_view secret);

std::string Base64(std::string_view bytes);
absl::StatusOr<std::string> Unbase64(std::string_view text);

class Keyring {
 public:
  // `keys`: key id -> 32 key bytes; `current` seals.
  Keyring(std::map<std::string, std::string> keys, std::string current);
  // Parses "id:<base64 32 bytes>,id2:..." (SPORTELLO_DISPATCH_CREDENTIAL_KEYS).
  static absl::StatusOr<Keyring> Parse(std::string_view spec, std::string current);

  absl::StatusOr<std::string> Seal(std::string_view plaintext) const;
  absl::StatusOr<std::string> Open(std::string_view sealed) const;
  const std::string& current() const { return current_; }

 private:
  std::map<std::string, std::string> keys_;
  std::string current_;
};

}  // namespace sportello::dispatch
