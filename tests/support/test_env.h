#pragma once
// What `./sportello test` hands the tests: the addresses of the real
// PostgreSQL, Redis and services it started. A missing variable fails the
// test with a clear message instead of passing silently.
#include <cstdlib>
#include <random>
#include <string>

#include <catch2/catch.hpp>

namespace sportello::testing {

inline std::string RequireEnv(const char* name) {
  const char* v = std::getenv(name);
  INFO(name << " is not set: run the tests with ./sportello test");
  REQUIRE(v != nullptr);
  REQUIRE(std::string(v) != "");
  return v;
}

// A fresh lower-case identifier, so tests never collide across runs.
inline std::string UniqueName(const std::string& prefix) {
  static std::mt19937_64 rng{std::random_device{}()};
  static const char* kAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
  std::string out = prefix;
  for (int i = 0; i < 10; ++i) out += kAlphabet[rng() % 36];
  return out;
}

}  // namespace sportello::testing
