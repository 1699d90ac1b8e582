// libFuzzer: the gateway's path-template parser and matcher. Input: a
// template, a newline, a path. Whatever Parse accepts must match without
// crashing, and a matched variable must be a substring of the path.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "gateway/path_template.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  size_t nl = input.find('\n');
  std::string_view tmpl = input.substr(0, nl);
  std::string_view path = nl == std::string_view::npos ? std::string_view("/") : input.substr(nl + 1);
  std::string error;
  auto t = sportello::gateway::PathTemplate::Parse(tmpl, &error);
  if (!t) return 0;
  if (auto bindings = t->Match(path)) {
    for (const auto& [name, value] : *bindings) {
      (void)name;
      if (value.size() > path.size()) std::abort();
    }
  }
  return 0;
}
