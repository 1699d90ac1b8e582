#pragma once
// Request ids from outside (x-request-id) land in logs, answers and gRPC
// metadata: one is kept only as a safe token, 1 to 128 of A-Z a-z 0-9 . _ - :
// and otherwise replaced by a fresh log::NewRequestId().
#include <string_view>

namespace sportello::log {

inline bool UsableRequestId(std::string_view id) {
  if (id.empty() || id.size() > 128) return false;
  for (char c : id) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
                    c == '_' || c == '-' || c == ':';
    if (!ok) return false;
  }
  return true;
}

}  // namespace sportello::log
