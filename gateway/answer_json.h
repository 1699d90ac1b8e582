#pragma once
// An upstream answer (protobuf wire bytes) as JSON, byte for byte what the
// transcoder's former converter printed: BinaryToJsonString with proto field
// names and defaults printed (JsonPrintOptions preserve_proto_field_names and
// always_print_primitive_fields, protobuf 3.21). It parses the bytes into the
// generated message once and walks it with reflection, instead of resolving
// google.protobuf.Type descriptions for every answer and type on each call.
//
//   std::string json;
//   if (!WriteAnswerJson(*prototype, bytes, json)) { /* BinaryToJsonString */ }
//
// Returns false, leaving `out` empty, whenever it does not print what the old
// converter prints, so the caller falls back to it: bytes that do not parse,
// google.protobuf.Any, a Timestamp or Duration out of range (the old converter
// fails on them), a FieldMask path it would not simply camel-case, NullValue
// outside Value, invalid UTF-8 or nesting past 60 levels. Maps and Struct keys
// come in the parsed map's order, the old converter's in the order on the wire
// (which is the sender's map order): the same JSON value, not the same bytes.
// Tested against BinaryToJsonString in tests/gateway/answer_json_test.cpp.
#include <string>
#include <string_view>

namespace google::protobuf {
class Message;
}  // namespace google::protobuf

namespace sportello::gateway {

bool WriteAnswerJson(const google::protobuf::Message& prototype, std::string_view bytes, std::string& out);

}  // namespace sportello::gateway
