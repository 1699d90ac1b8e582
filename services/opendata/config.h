#pragma once
// The open data service's own settings (SPORTELLO_OPENDATA_*), read once by
// the service skeleton; see `sportello-opendata --help`.
#include <string>

#include "services/opendata/opendata_service.h"
#include "services/opendata/scheduler.h"

namespace sportello {
class Settings;
}

namespace sportello::opendata {

struct Config {
  std::string catalogue_addr;
  std::string complaints_addr;
  std::string surveys_addr;
  OpenDataSettings service;
  ScheduleSettings schedule;

  static Config Read(Settings& settings);
};

}  // namespace sportello::opendata
