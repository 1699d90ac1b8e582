#pragma once
// Structured logs: one JSON object per line on stderr, e.g.
//   {"ts":"2026-11-24T20:00:00.123Z","level":"info","service":"catalogue",
//    "msg":"rpc","request_id":"3f2a...","method":"GetTenant","code":"OK","ms":1.2}
// Written by hand rather than with spdlog because every value must be JSON
// escaped, which spdlog's pattern formatter does not do.
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace sportello::log {

enum class Level { kDebug, kInfo, kWarn, kError };

using Value = std::variant<std::string_view, std::string, long long, double, bool>;
using Field = std::pair<std::string_view, Value>;

// Set once at start-up by main().
void Init(std::string service, Level min_level = Level::kInfo);

// "debug", "info", "warn" or "error" (SPORTELLO_LOG_LEVEL); nullopt otherwise.
std::optional<Level> ParseLevel(std::string_view name);

void Write(Level level, std::string_view msg, std::initializer_list<Field> fields = {});
inline void Info(std::string_view msg, std::initializer_list<Field> f = {}) { Write(Level::kInfo, msg, f); }
inline void Warn(std::string_view msg, std::initializer_list<Field> f = {}) { Write(Level::kWarn, msg, f); }
inline void Error(std::string_view msg, std::initializer_list<Field> f = {}) { Write(Level::kError, msg, f); }

// A fresh random request id (32 hex digits), for calls that arrive without one.
std::string NewRequestId();

// JSON string escaping, shared with the other hand-written JSON in common.
std::string JsonEscape(std::string_view s);

}  // namespace sportello::log
