#include "gateway/answer_json.h"

#include <google/protobuf/any.pb.h>
#include <google/protobuf/arena.h>
#include <google/protobuf/descriptor.h>
#include <google/protobuf/duration.pb.h>
#include <google/protobuf/empty.pb.h>
#include <google/protobuf/field_mask.pb.h>
#include <google/protobuf/message.h>
#include <google/protobuf/reflection.h>
#include <google/protobuf/struct.pb.h>
#include <google/protobuf/stubs/strutil.h>
#include <google/protobuf/timestamp.pb.h>
#include <google/protobuf/util/time_util.h>
#include <google/protobuf/wrappers.pb.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

namespace sportello::gateway {
namespace {

namespace pb = google::protobuf;
using FD = pb::FieldDescriptor;

// The old converter stops at 64 levels ("Message too deep"): fall back
// well before, so that both agree on what is too deep.
constexpr int kMaxDepth = 60;

// The types the old converter renders its own way (protostream_objectsource's
// type renderers), and Empty, which is printed like any message.
enum class Kind { kPlain, kTimestamp, kDuration, kFieldMask, kStruct, kValue, kListValue, kWrapper, kAny };

Kind KindOf(const pb::Descriptor* d) {
  if (d->file()->package() != "google.protobuf") return Kind::kPlain;
  if (d == pb::Timestamp::descriptor()) return Kind::kTimestamp;
  if (d == pb::Duration::descriptor()) return Kind::kDuration;
  if (d == pb::FieldMask::descriptor()) return Kind::kFieldMask;
  if (d == pb::Struct::descriptor()) return Kind::kStruct;
  if (d == pb::Value::descriptor()) return Kind::kValue;
  if (d == pb::ListValue::descriptor()) return Kind::kListValue;
  if (d == pb::Any::descriptor()) return Kind::kAny;
  if (d == pb::DoubleValue::descriptor() || d == pb::FloatValue::descriptor() ||
      d == pb::Int64Value::descriptor() || d == pb::UInt64Value::descriptor() ||
      d == pb::Int32Value::descriptor() || d == pb::UInt32Value::descriptor() ||
      d == pb::BoolValue::descriptor() || d == pb::StringValue::descriptor() ||
      d == pb::BytesValue::descriptor()) {
    return Kind::kWrapper;
  }
  return Kind::kPlain;
}

// Whether the old converter moves a set field of this message type after the
// declared fields: it renders it as a string or a list where its tree of
// defaults holds an object placeholder, so the value becomes a new last child.
bool RenderedLast(Kind kind, const pb::Message& value) {
  switch (kind) {
    case Kind::kTimestamp:
    case Kind::kDuration:
    case Kind::kFieldMask:
    case Kind::kWrapper:
    case Kind::kListValue:
      return true;
    case Kind::kValue:
      return static_cast<const pb::Value&>(value).kind_case() != pb::Value::kStructValue;
    default:
      return false;
  }
}

constexpr char kHex[] = "0123456789abcdef";

void AppendU16Escape(std::string& out, uint32_t unit) {
  char buf[6] = {'\\', 'u', kHex[(unit >> 12) & 0xf], kHex[(unit >> 8) & 0xf], kHex[(unit >> 4) & 0xf],
                 kHex[unit & 0xf]};
  out.append(buf, 6);
}

// The code points protobuf's JSON writer escapes beyond JSON's own: C1
// controls, DEL, < and > (HTML), and invisible or direction-changing ones.
bool EscapedAbove7f(uint32_t cp) {
  if (cp < 0xa0) return true;
  switch (cp) {
    case 0xfeff: case 0xfff9: case 0xfffa: case 0xfffb:
    case 0x00ad: case 0x06dd: case 0x070f: case 0x17b4: case 0x17b5:
      return true;
    default:
      break;
  }
  return (cp >= 0x0600 && cp <= 0x0603) || (cp >= 0x200b && cp <= 0x200f) || (cp >= 0x2028 && cp <= 0x202e) ||
         (cp >= 0x2060 && cp <= 0x2064) || (cp >= 0x206a && cp <= 0x206f) || cp == 0xe0001 ||
         (cp >= 0x1d173 && cp <= 0x1d17a) || (cp >= 0xe0020 && cp <= 0xe007f);
}

// A JSON string as protobuf's writer escapes it; false on invalid UTF-8
// (which the old converter silently drops: fall back to it).
bool AppendQuoted(std::string& out, std::string_view s) {
  out += '"';
  size_t i = 0, plain = 0;
  auto flush = [&] {
    out.append(s.data() + plain, i - plain);
  };
  while (i < s.size()) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      const char* esc = nullptr;
      switch (c) {
        case '"': esc = "\\\""; break;
        case '\\': esc = "\\\\"; break;
        case '\b': esc = "\\b"; break;
        case '\t': esc = "\\t"; break;
        case '\n': esc = "\\n"; break;
        case '\f': esc = "\\f"; break;
        case '\r': esc = "\\r"; break;
        default: break;
      }
      if (esc != nullptr) {
        flush();
        out += esc;
        plain = ++i;
      } else if (c < 0x20 || c == '<' || c == '>' || c == 0x7f) {
        flush();
        AppendU16Escape(out, c);
        plain = ++i;
      } else {
        ++i;
      }
      continue;
    }
    int len = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 0;
    if (len == 0 || c > 0xf7 || i + len > s.size()) return false;
    uint32_t cp = c & (0x3f >> (len - 1));
    for (int k = 1; k < len; ++k) {
      auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xc0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3f);
    }
    if ((cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff) return false;
    if (EscapedAbove7f(cp)) {
      flush();
      if (cp < 0x10000) {
        AppendU16Escape(out, cp);
      } else {
        uint32_t v = cp - 0x10000;
        AppendU16Escape(out, 0xd800 + (v >> 10));
        AppendU16Escape(out, 0xdc00 + (v & 0x3ff));
      }
      plain = i + len;
    }
    i += len;
  }
  flush();
  out += '"';
  return true;
}

void AppendDouble(std::string& out, double v) {
  if (std::isnan(v)) {
    out += "\"NaN\"";
  } else if (std::isinf(v)) {
    out += v > 0 ? "\"Infinity\"" : "\"-Infinity\"";
  } else {
    out += pb::SimpleDtoa(v);
  }
}

void AppendFloat(std::string& out, float v) {
  if (std::isfinite(v)) {
    out += pb::SimpleFtoa(v);
  } else {
    AppendDouble(out, v);
  }
}

// "update_mask.paths" -> "updateMask.paths", for the paths that the old
// converter's camel-casing leaves nothing to guess about.
bool AppendCamelPath(std::string& out, const std::string& path) {
  bool segment_start = true, after_underscore = false;
  for (char c : path) {
    if (c == '.') {
      if (segment_start || after_underscore) return false;
      segment_start = true;
      out += c;
    } else if (c == '_') {
      if (segment_start || after_underscore) return false;
      after_underscore = true;
    } else if (c >= 'a' && c <= 'z') {
      out += after_underscore ? static_cast<char>(c - 'a' + 'A') : c;
      segment_start = after_underscore = false;
    } else if (c >= '0' && c <= '9') {
      if (segment_start || after_underscore) return false;
      out += c;
    } else {
      return false;
    }
  }
  return !after_underscore && !(segment_start && !path.empty());
}

class Writer {
 public:
  explicit Writer(std::string& out) : out_(out) {}

  // A message as an object, defaults printed: fields in declaration order,
  // then those the old converter appends (see RenderedLast, and set oneof
  // scalars, for which it keeps no default) in wire (field number) order.
  bool Object(const pb::Message& m, int depth) {
    if (depth > kMaxDepth) return false;
    const pb::Descriptor* d = m.GetDescriptor();
    const pb::Reflection* r = m.GetReflection();
    out_ += '{';
    bool first = true;
    const FD* later_inline[8];
    std::vector<const FD*> later_more;
    int later_count = 0;
    auto defer = [&](const FD* f) {
      if (later_count < 8) {
        later_inline[later_count] = f;
      } else {
        later_more.push_back(f);
      }
      ++later_count;
    };
    for (int i = 0; i < d->field_count(); ++i) {
      const FD* f = d->field(i);
      if (f->is_repeated()) {
        Key(f->name(), first);
        if (!(f->is_map() ? Map(m, f, depth) : List(m, f, depth))) return false;
        continue;
      }
      if (f->cpp_type() == FD::CPPTYPE_MESSAGE) {
        if (!r->HasField(m, f)) continue;
        const pb::Message& v = r->GetMessage(m, f);
        Kind kind = KindOf(f->message_type());
        if (kind == Kind::kAny) return false;
        if (kind == Kind::kValue && static_cast<const pb::Value&>(v).kind_case() == pb::Value::KIND_NOT_SET) continue;
        if (RenderedLast(kind, v)) {
          defer(f);
          continue;
        }
        Key(f->name(), first);
        if (!MessageValue(v, kind, depth + 1)) return false;
        continue;
      }
      if (f->containing_oneof() != nullptr) {
        if (r->HasField(m, f)) defer(f);
        continue;
      }
      Key(f->name(), first);
      if (!Scalar(m, f)) return false;
    }
    if (later_count > 0) {
      std::vector<const FD*> later(later_inline, later_inline + std::min(later_count, 8));
      later.insert(later.end(), later_more.begin(), later_more.end());
      std::sort(later.begin(), later.end(), [](const FD* a, const FD* b) { return a->number() < b->number(); });
      for (const FD* f : later) {
        Key(f->name(), first);
        if (f->cpp_type() == FD::CPPTYPE_MESSAGE) {
          if (!MessageValue(r->GetMessage(m, f), KindOf(f->message_type()), depth + 1)) return false;
        } else if (!Scalar(m, f)) {
          return false;
        }
      }
    }
    out_ += '}';
    return true;
  }

 private:
  void Key(const std::string& name, bool& first) {
    if (!first) out_ += ',';
    first = false;
    out_ += '"';
    out_ += name;  // field names are identifiers: nothing to escape
    out_ += "\":";
  }

  bool Scalar(const pb::Message& m, const FD* f) {
    const pb::Reflection* r = m.GetReflection();
    switch (f->cpp_type()) {
      case FD::CPPTYPE_INT32: out_ += std::to_string(r->GetInt32(m, f)); return true;
      case FD::CPPTYPE_UINT32: out_ += std::to_string(r->GetUInt32(m, f)); return true;
      case FD::CPPTYPE_INT64: Quoted64(r->GetInt64(m, f)); return true;
      case FD::CPPTYPE_UINT64: Quoted64(r->GetUInt64(m, f)); return true;
      case FD::CPPTYPE_DOUBLE: AppendDouble(out_, r->GetDouble(m, f)); return true;
      case FD::CPPTYPE_FLOAT: AppendFloat(out_, r->GetFloat(m, f)); return true;
      case FD::CPPTYPE_BOOL: out_ += r->GetBool(m, f) ? "true" : "false"; return true;
      case FD::CPPTYPE_ENUM: return Enum(f, r->GetEnumValue(m, f));
      case FD::CPPTYPE_STRING: {
        std::string scratch;
        const std::string& s = r->GetStringReference(m, f, &scratch);
        return f->type() == FD::TYPE_BYTES ? Bytes(s) : AppendQuoted(out_, s);
      }
      case FD::CPPTYPE_MESSAGE: break;
    }
    return false;
  }

  bool Element(const pb::Message& m, const FD* f, int i, int depth, bool& first) {
    const pb::Reflection* r = m.GetReflection();
    auto comma = [&] {
      if (!first) out_ += ',';
      first = false;
    };
    switch (f->cpp_type()) {
      case FD::CPPTYPE_INT32: comma(); out_ += std::to_string(r->GetRepeatedInt32(m, f, i)); return true;
      case FD::CPPTYPE_UINT32: comma(); out_ += std::to_string(r->GetRepeatedUInt32(m, f, i)); return true;
      case FD::CPPTYPE_INT64: comma(); Quoted64(r->GetRepeatedInt64(m, f, i)); return true;
      case FD::CPPTYPE_UINT64: comma(); Quoted64(r->GetRepeatedUInt64(m, f, i)); return true;
      case FD::CPPTYPE_DOUBLE: comma(); AppendDouble(out_, r->GetRepeatedDouble(m, f, i)); return true;
      case FD::CPPTYPE_FLOAT: comma(); AppendFloat(out_, r->GetRepeatedFloat(m, f, i)); return true;
      case FD::CPPTYPE_BOOL: comma(); out_ += r->GetRepeatedBool(m, f, i) ? "true" : "false"; return true;
      case FD::CPPTYPE_ENUM: comma(); return Enum(f, r->GetRepeatedEnumValue(m, f, i));
      case FD::CPPTYPE_STRING: {
        comma();
        std::string scratch;
        const std::string& s = r->GetRepeatedStringReference(m, f, i, &scratch);
        return f->type() == FD::TYPE_BYTES ? Bytes(s) : AppendQuoted(out_, s);
      }
      case FD::CPPTYPE_MESSAGE: {
        const pb::Message& v = r->GetRepeatedMessage(m, f, i);
        Kind kind = KindOf(f->message_type());
        // An empty Value prints nothing, not even in a list.
        if (kind == Kind::kValue && static_cast<const pb::Value&>(v).kind_case() == pb::Value::KIND_NOT_SET) {
          return true;
        }
        comma();
        return MessageValue(v, kind, depth + 1);
      }
    }
    return false;
  }

  bool List(const pb::Message& m, const FD* f, int depth) {
    out_ += '[';
    bool first = true;
    const int n = m.GetReflection()->FieldSize(m, f);
    for (int i = 0; i < n; ++i) {
      if (!Element(m, f, i, depth, first)) return false;
    }
    out_ += ']';
    return true;
  }

  // Map entries as object members, in the parsed map's order.
  bool Map(const pb::Message& m, const FD* f, int depth) {
    out_ += '{';
    bool first = true;
    const pb::Reflection* r = m.GetReflection();
    const int n = r->FieldSize(m, f);
    const FD* key_field = f->message_type()->map_key();
    const FD* value_field = f->message_type()->map_value();
    for (int i = 0; i < n; ++i) {
      const pb::Message& entry = r->GetRepeatedMessage(m, f, i);
      const pb::Reflection* er = entry.GetReflection();
      std::string key;
      switch (key_field->cpp_type()) {
        case FD::CPPTYPE_INT32: key = std::to_string(er->GetInt32(entry, key_field)); break;
        case FD::CPPTYPE_UINT32: key = std::to_string(er->GetUInt32(entry, key_field)); break;
        case FD::CPPTYPE_INT64: key = std::to_string(er->GetInt64(entry, key_field)); break;
        case FD::CPPTYPE_UINT64: key = std::to_string(er->GetUInt64(entry, key_field)); break;
        case FD::CPPTYPE_BOOL: key = er->GetBool(entry, key_field) ? "true" : "false"; break;
        case FD::CPPTYPE_STRING: key = er->GetString(entry, key_field); break;
        default: return false;
      }
      if (value_field->cpp_type() == FD::CPPTYPE_MESSAGE) {
        const pb::Message& v = er->GetMessage(entry, value_field);
        Kind kind = KindOf(value_field->message_type());
        if (kind == Kind::kValue && static_cast<const pb::Value&>(v).kind_case() == pb::Value::KIND_NOT_SET) {
          continue;
        }
        if (!MapKey(key, first) || !MessageValue(v, kind, depth + 1)) return false;
      } else {
        if (!MapKey(key, first) || !Scalar(entry, value_field)) return false;
      }
    }
    out_ += '}';
    return true;
  }

  bool MapKey(const std::string& key, bool& first) {
    if (!first) out_ += ',';
    first = false;
    if (!AppendQuoted(out_, key)) return false;
    out_ += ':';
    return true;
  }

  bool MessageValue(const pb::Message& v, Kind kind, int depth) {
    if (depth > kMaxDepth) return false;
    switch (kind) {
      case Kind::kPlain: return Object(v, depth);
      case Kind::kAny: return false;
      case Kind::kTimestamp: {
        const auto& t = static_cast<const pb::Timestamp&>(v);
        if (t.seconds() < pb::util::TimeUtil::kTimestampMinSeconds ||
            t.seconds() > pb::util::TimeUtil::kTimestampMaxSeconds || t.nanos() < 0 || t.nanos() >= 1000000000) {
          return false;  // the old converter fails: let it say so
        }
        out_ += '"';
        out_ += pb::util::TimeUtil::ToString(t);
        out_ += '"';
        return true;
      }
      case Kind::kDuration: {
        const auto& du = static_cast<const pb::Duration&>(v);
        if (du.seconds() < pb::util::TimeUtil::kDurationMinSeconds ||
            du.seconds() > pb::util::TimeUtil::kDurationMaxSeconds || du.nanos() <= -1000000000 ||
            du.nanos() >= 1000000000 || (du.seconds() < 0 && du.nanos() > 0) ||
            (du.seconds() > 0 && du.nanos() < 0)) {
          return false;
        }
        out_ += '"';
        out_ += pb::util::TimeUtil::ToString(du);
        out_ += '"';
        return true;
      }
      case Kind::kFieldMask: {
        const auto& mask = static_cast<const pb::FieldMask&>(v);
        out_ += '"';
        const size_t start = out_.size();
        for (int i = 0; i < mask.paths_size(); ++i) {
          // A comma only after something: leading empty paths vanish.
          if (out_.size() > start) out_ += ',';
          if (!AppendCamelPath(out_, mask.paths(i))) return false;
        }
        out_ += '"';
        return true;
      }
      case Kind::kWrapper: {
        const FD* value = v.GetDescriptor()->field(0);
        return Scalar(v, value);
      }
      case Kind::kStruct: {
        const auto& s = static_cast<const pb::Struct&>(v);
        out_ += '{';
        bool first = true;
        for (const auto& [key, item] : s.fields()) {
          if (item.kind_case() == pb::Value::KIND_NOT_SET) continue;
          if (!MapKey(key, first) || !MessageValue(item, Kind::kValue, depth + 1)) return false;
        }
        out_ += '}';
        return true;
      }
      case Kind::kListValue: {
        const auto& l = static_cast<const pb::ListValue&>(v);
        out_ += '[';
        bool first = true;
        for (const pb::Value& item : l.values()) {
          if (item.kind_case() == pb::Value::KIND_NOT_SET) continue;
          if (!first) out_ += ',';
          first = false;
          if (!MessageValue(item, Kind::kValue, depth + 1)) return false;
        }
        out_ += ']';
        return true;
      }
      case Kind::kValue: {
        const auto& val = static_cast<const pb::Value&>(v);
        switch (val.kind_case()) {
          case pb::Value::kNullValue: out_ += "null"; return true;
          case pb::Value::kNumberValue: AppendDouble(out_, val.number_value()); return true;
          case pb::Value::kStringValue: return AppendQuoted(out_, val.string_value());
          case pb::Value::kBoolValue: out_ += val.bool_value() ? "true" : "false"; return true;
          case pb::Value::kStructValue: return MessageValue(val.struct_value(), Kind::kStruct, depth + 1);
          case pb::Value::kListValue: return MessageValue(val.list_value(), Kind::kListValue, depth + 1);
          case pb::Value::KIND_NOT_SET: return false;  // callers skip it
        }
        return false;
      }
    }
    return false;
  }

  bool Enum(const FD* f, int number) {
    // NullValue outside Value prints as null, with a default of its own: not ours.
    if (f->enum_type() == pb::NullValue_descriptor()) return false;
    const pb::EnumValueDescriptor* value = f->enum_type()->FindValueByNumber(number);
    if (value == nullptr) {
      out_ += std::to_string(number);
      return true;
    }
    out_ += '"';
    out_ += value->name();  // an identifier: nothing to escape
    out_ += '"';
    return true;
  }

  bool Bytes(const std::string& s) {
    std::string encoded;
    pb::Base64Escape(s, &encoded);
    out_ += '"';
    out_ += encoded;
    out_ += '"';
    return true;
  }

  template <typename T>
  void Quoted64(T v) {
    out_ += '"';
    out_ += std::to_string(v);
    out_ += '"';
  }

  std::string& out_;
};

}  // namespace

bool WriteAnswerJson(const pb::Message& prototype, std::string_view bytes, std::string& out) {
  out.clear();
  if (KindOf(prototype.GetDescriptor()) != Kind::kPlain) return false;
  // The answer lives in an arena whose first block is on the stack: one
  // parse, no allocation per field for most answers.
  alignas(8) char initial[8192];
  pb::ArenaOptions options;
  options.initial_block = initial;
  options.initial_block_size = sizeof(initial);
  pb::Arena arena(options);
  pb::Message* message = prototype.New(&arena);
  if (!message->ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) return false;
  out.reserve(bytes.size() * 2 + 64);
  Writer writer(out);
  if (!writer.Object(*message, 0)) {
    out.clear();
    return false;
  }
  return true;
}

}  // namespace sportello::gateway
