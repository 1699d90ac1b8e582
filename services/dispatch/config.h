#pragma once
// The dispatch service's own settings (SPORTELLO_DISPATCH_*), read once by
// the service skeleton; see `sportello-dispatch --help`.
#include <optional>

#include "services/dispatch/background.h"
#include "services/dispatch/connectors.h"
#include "services/dispatch/secrets.h"

namespace sportello {
class Settings;
}

namespace sportello::dispatch {

struct Config {
  std::optional<Keyring> keyring;  // none: credentials only as env:NAME
  WorkerSettings worker;
  CurlSettings curl;
  // Credentials referenced as env:NAME are read from the process environment when sent.
  EnvLookup credential_env;
  // Where citizens reach the gateway (SPORTELLO_PUBLIC_BASE_URL, as
  // opendata): links of drafts made from events.
  std::string public_base_url;

  static Config Read(Settings& settings);
};

}  // namespace sportello::dispatch
