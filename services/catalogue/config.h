#pragma once
// The catalogue service's own settings: none yet beyond what every service
// reads (common/config.h); the struct is where they will go.
namespace sportello {
class Settings;
}

namespace sportello::catalogue {

struct Config {
  static Config Read(Settings&) { return {}; }
};

}  // namespace sportello::catalogue
