#pragma once
// The complaints service's own settings (SPORTELLO_COMPLAINTS_*), read once
// by the service skeleton; see `sportello-complaints --help`.
#include <string>

#include "services/complaints/background.h"
#include "services/complaints/complaints_service.h"

namespace sportello {
class Settings;
}

namespace sportello::complaints {

struct Config {
  std::string catalogue_addr;  // the catalogue's gRPC address (categories, tenants, offices)
  ComplaintsSettings service;
  BackgroundSettings background;

  static Config Read(Settings& settings);
};

}  // namespace sportello::complaints
