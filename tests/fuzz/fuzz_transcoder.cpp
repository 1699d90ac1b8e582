// libFuzzer: JSON-to-proto transcoding of request bodies and query strings
// against the real routing table. Input: "METHOD /path?query", a newline,
// the body. Binding may fail (400) but never crash or hang.
#include <google/protobuf/message.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "gateway/routes.h"
#include "gateway/transcoder.h"

namespace pb = google::protobuf;
using namespace sportello::gateway;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const RouteTable table = *RouteTable::FromGeneratedPool();
  std::string_view input(reinterpret_cast<const char*>(data), size);
  size_t nl = input.find('\n');
  std::string_view line = input.substr(0, nl);
  std::string_view body = nl == std::string_view::npos ? std::string_view() : input.substr(nl + 1);
  size_t space = line.find(' ');
  if (space == std::string_view::npos) return 0;
  std::string method(line.substr(0, space));
  std::string_view target = line.substr(space + 1);
  size_t q = target.find('?');
  std::string path(target.substr(0, q));
  std::string_view query = q == std::string_view::npos ? std::string_view() : target.substr(q + 1);
  RouteMatch match = table.Match(method, path);
  if (match.route == nullptr) return 0;
  const pb::Message* proto = pb::MessageFactory::generated_factory()->GetPrototype(match.route->method->input_type());
  if (proto == nullptr) return 0;
  std::unique_ptr<pb::Message> message(proto->New());
  for (bool english : {false, true}) {
    message->Clear();
    (void)BindRequest(*match.route, match.bindings, query, body, *message, english);
  }
  (void)FieldMaskFromBody(match.route->method->input_type(), body);
  return 0;
}
