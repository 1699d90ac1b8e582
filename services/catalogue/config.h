#pragma once
// The catalogue service's own settings, beyond what every service reads
// (common/config.h).
#include "absl/time/time.h"
#include "common/config.h"

namespace sportello::catalogue {

struct Config {
  // How long a read answer is kept in the replica's memory while the change
  // announcements are heard (catalogue_service.h); 0 keeps nothing.
  absl::Duration memory_ttl = absl::Seconds(30);

  static Config Read(Settings& s) {
    Config c;
    c.memory_ttl = absl::Seconds(s.Seconds(
        "SPORTELLO_CATALOGUE_MEMORY_TTL", 30,
        "seconds a public read answer is kept in the catalogue's memory while its change announcements are heard "
        "(0: never kept; without the announcements nothing is served from memory)"));
    return c;
  }
};

}  // namespace sportello::catalogue
