// The gateway's answer JSON writer against the converter it replaces
// (BinaryToJsonString with the transcoder's options): every message type of
// the gateway's descriptor pool and every kind of field (tests/gateway/proto
// json_kinds.proto), filled at random with edge cases through reflection,
// and the answers of the transcoder tests' upstream, must print the same
// bytes (the same JSON value where maps or Structs hold several keys, whose
// order on the wire the old converter keeps), or be left to the old converter.
#include "gateway/answer_json.h"

#include <google/protobuf/any.pb.h>
#include <google/protobuf/descriptor.h>
#include <google/protobuf/descriptor_database.h>
#include <google/protobuf/duration.pb.h>
#include <google/protobuf/field_mask.pb.h>
#include <google/protobuf/message.h>
#include <google/protobuf/struct.pb.h>
#include <google/protobuf/text_format.h>
#include <google/protobuf/timestamp.pb.h>
#include <google/protobuf/util/json_util.h>
#include <google/protobuf/util/type_resolver.h>
#include <google/protobuf/util/type_resolver_util.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <vector>

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include "gateway/routes.h"
#include "sportello/gatewaytest/json_kinds.pb.h"
#include "sportello/v1/catalogue.pb.h"
#include "tests/gateway/fake_upstream.h"

namespace sportello::gateway {
namespace {

namespace pb = google::protobuf;
using FD = pb::FieldDescriptor;

// What the transcoder did before, verbatim.
std::optional<std::string> OldJson(const pb::Descriptor* type, const std::string& bytes) {
  static pb::util::TypeResolver* resolver =
      pb::util::NewTypeResolverForDescriptorPool("type.googleapis.com", pb::DescriptorPool::generated_pool());
  pb::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  options.always_print_primitive_fields = true;
  std::string out;
  auto st = pb::util::BinaryToJsonString(resolver, "type.googleapis.com/" + type->full_name(), bytes, &out, options);
  if (!st.ok()) return std::nullopt;
  return out;
}

// Fills messages through reflection with random and edge-case values. A
// clean fill stays within what the new writer prints itself (no Any, times
// in range, plain FieldMask paths, valid UTF-8); a wild one does not.
class Filler {
 public:
  Filler(uint64_t seed, bool clean) : rng_(seed), clean_(clean) {}

  void Fill(pb::Message& m, int depth) {
    const pb::Descriptor* d = m.GetDescriptor();
    if (FillWellKnown(m, depth)) return;
    const pb::Reflection* r = m.GetReflection();
    for (int i = 0; i < d->field_count(); ++i) {
      const FD* f = d->field(i);
      if (!Chance(0.7)) continue;
      if ((f->message_type() == pb::Any::descriptor() || f->message_type() == gatewaytest::JsonNull::descriptor()) &&
          (clean_ || Chance(0.8))) {
        continue;
      }
      if (f->is_map()) {
        int n = Pick(4);
        if (n > 1) unordered_ = true;
        // A map on the wire never repeats a key.
        std::set<std::string> keys;
        for (int k = 0; k < n; ++k) {
          pb::Message* entry = r->AddMessage(&m, f);
          const FD* key = f->message_type()->map_key();
          FillScalarOrMessage(*entry, key, depth);
          std::string key_text;
          pb::TextFormat::PrintFieldValueToString(*entry, key, -1, &key_text);
          if (!keys.insert(key_text).second) {
            r->RemoveLast(&m, f);
            continue;
          }
          FillScalarOrMessage(*entry, f->message_type()->map_value(), depth);
        }
        continue;
      }
      if (f->is_repeated()) {
        int n = f->cpp_type() == FD::CPPTYPE_MESSAGE && depth >= 2 ? 0 : Pick(4);
        for (int k = 0; k < n; ++k) AddElement(m, f, depth);
        continue;
      }
      FillScalarOrMessage(m, f, depth);
    }
  }

  bool unordered() const { return unordered_; }

 private:
  bool Chance(double p) { return std::uniform_real_distribution<double>(0, 1)(rng_) < p; }
  int Pick(int n) { return static_cast<int>(rng_() % static_cast<uint64_t>(n)); }

  template <typename T>
  T FromPool(const std::vector<T>& pool) {
    return pool[static_cast<size_t>(Pick(static_cast<int>(pool.size())))];
  }

  int64_t Int64() {
    return FromPool<int64_t>({0, 1, -1, 42, std::numeric_limits<int64_t>::max(), std::numeric_limits<int64_t>::min(),
                              9007199254740993LL, static_cast<int64_t>(rng_())});
  }
  uint64_t UInt64() {
    return FromPool<uint64_t>({0, 1, 42, std::numeric_limits<uint64_t>::max(), rng_()});
  }
  int32_t Int32() {
    return FromPool<int32_t>({0, 1, -1, 7, std::numeric_limits<int32_t>::max(), std::numeric_limits<int32_t>::min(),
                              static_cast<int32_t>(rng_())});
  }
  uint32_t UInt32() { return FromPool<uint32_t>({0, 1, 7, std::numeric_limits<uint32_t>::max(), static_cast<uint32_t>(rng_())}); }
  double Double() {
    std::uniform_real_distribution<double> any(-1e6, 1e6);
    return FromPool<double>({0.0, -0.0, 1.5, 0.1, 1e21, 1e-7, 123456789.123, 3.14159265358979,
                             std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::infinity(),
                             -std::numeric_limits<double>::infinity(), std::numeric_limits<double>::max(),
                             std::numeric_limits<double>::denorm_min(), std::numeric_limits<double>::lowest(),
                             any(rng_), any(rng_)});
  }
  float Float() {
    std::uniform_real_distribution<float> any(-1e6f, 1e6f);
    return FromPool<float>({0.0f, -0.0f, 1.5f, 0.1f, 1e21f, 1e-7f, 16777217.0f, std::numeric_limits<float>::quiet_NaN(),
                            std::numeric_limits<float>::infinity(), -std::numeric_limits<float>::infinity(),
                            std::numeric_limits<float>::max(), std::numeric_limits<float>::denorm_min(), any(rng_)});
  }
  std::string String() {
    std::string s = FromPool<std::string>({
        "", "Comune di Massafra", "perché è così: l'ufficio è aperto", "<b>&amp;</b> 'x'", "quote\" back\\slash /",
        "\n\t\r\b\f\x01\x1f\x7f", "\xc2\x80\xc2\x9f\xc2\xa0\xc2\xad",   // U+0080, U+009F, U+00A0, U+00AD
        "\xe2\x80\xa8\xe2\x80\xa9\xe2\x80\x8b\xef\xbb\xbf",               // U+2028 U+2029 U+200B U+FEFF
        "\xd8\x80\xdb\x9d\xdc\x8f\xe1\x9e\xb4\xe2\x81\xa0\xe2\x81\xaa",   // Arabic, Syriac, Khmer, invisible
        "\xef\xbf\xb9\xef\xbf\xbb\xef\xbf\xbc",                           // U+FFF9, U+FFFB, U+FFFC
        "\xf0\x9f\x98\x80 emoji", "\xf3\xa0\x80\x81\xf3\xa0\x81\x81\xf0\x9d\x85\xb3",  // U+E0001 U+E0041 U+1D173
        "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e", "/api/v1/tenants?kind=A&b=c", std::string("nul\0inside", 10),
    });
    if (Chance(0.2)) {
      int n = Pick(40);
      for (int i = 0; i < n; ++i) s += static_cast<char>(0x20 + Pick(0x5f));
    }
    if (!clean_ && Chance(0.02)) s += "\xc3(invalid";
    return s;
  }
  std::string Bytes() {
    std::string s;
    int n = Pick(12);
    for (int i = 0; i < n; ++i) s += static_cast<char>(rng_());
    return s;
  }
  int EnumNumber(const FD* f) {
    if (Chance(0.15)) return FromPool<int>({99, -5, 1000000});
    const pb::EnumDescriptor* e = f->enum_type();
    return e->value(Pick(e->value_count()))->number();
  }

  void FillScalarOrMessage(pb::Message& m, const FD* f, int depth) {
    const pb::Reflection* r = m.GetReflection();
    switch (f->cpp_type()) {
      case FD::CPPTYPE_INT32: r->SetInt32(&m, f, Int32()); break;
      case FD::CPPTYPE_UINT32: r->SetUInt32(&m, f, UInt32()); break;
      case FD::CPPTYPE_INT64: r->SetInt64(&m, f, Int64()); break;
      case FD::CPPTYPE_UINT64: r->SetUInt64(&m, f, UInt64()); break;
      case FD::CPPTYPE_DOUBLE: r->SetDouble(&m, f, Double()); break;
      case FD::CPPTYPE_FLOAT: r->SetFloat(&m, f, Float()); break;
      case FD::CPPTYPE_BOOL: r->SetBool(&m, f, Chance(0.5)); break;
      case FD::CPPTYPE_ENUM: r->SetEnumValue(&m, f, EnumNumber(f)); break;
      case FD::CPPTYPE_STRING: r->SetString(&m, f, f->type() == FD::TYPE_BYTES ? Bytes() : String()); break;
      case FD::CPPTYPE_MESSAGE:
        if (depth >= 3) {
          r->MutableMessage(&m, f);  // present and empty
        } else {
          Fill(*r->MutableMessage(&m, f), depth + 1);
        }
        break;
    }
  }

  void AddElement(pb::Message& m, const FD* f, int depth) {
    const pb::Reflection* r = m.GetReflection();
    switch (f->cpp_type()) {
      case FD::CPPTYPE_INT32: r->AddInt32(&m, f, Int32()); break;
      case FD::CPPTYPE_UINT32: r->AddUInt32(&m, f, UInt32()); break;
      case FD::CPPTYPE_INT64: r->AddInt64(&m, f, Int64()); break;
      case FD::CPPTYPE_UINT64: r->AddUInt64(&m, f, UInt64()); break;
      case FD::CPPTYPE_DOUBLE: r->AddDouble(&m, f, Double()); break;
      case FD::CPPTYPE_FLOAT: r->AddFloat(&m, f, Float()); break;
      case FD::CPPTYPE_BOOL: r->AddBool(&m, f, Chance(0.5)); break;
      case FD::CPPTYPE_ENUM: r->AddEnumValue(&m, f, EnumNumber(f)); break;
      case FD::CPPTYPE_STRING: r->AddString(&m, f, f->type() == FD::TYPE_BYTES ? Bytes() : String()); break;
      case FD::CPPTYPE_MESSAGE: Fill(*r->AddMessage(&m, f), depth + 1); break;
    }
  }

  void FillValue(pb::Value& v, int depth) {
    switch (Pick(depth >= 3 ? 5 : 7)) {
      case 0: break;  // kind not set
      case 1: v.set_null_value(pb::NULL_VALUE); break;
      case 2: v.set_number_value(Double()); break;
      case 3: v.set_string_value(String()); break;
      case 4: v.set_bool_value(Chance(0.5)); break;
      case 5: FillStruct(*v.mutable_struct_value(), depth + 1); break;
      case 6: {
        int n = Pick(4);
        auto* list = v.mutable_list_value();
        for (int i = 0; i < n; ++i) FillValue(*list->add_values(), depth + 1);
        break;
      }
    }
  }

  void FillStruct(pb::Struct& s, int depth) {
    int n = Pick(4);
    if (n > 1) unordered_ = true;
    for (int i = 0; i < n; ++i) FillValue((*s.mutable_fields())[FromPool<std::string>({"a", "tipo", "b_c", "<k>", ""}) + std::to_string(i)], depth);
  }

  bool FillWellKnown(pb::Message& m, int depth) {
    const pb::Descriptor* d = m.GetDescriptor();
    if (d == pb::Timestamp::descriptor()) {
      auto& t = static_cast<pb::Timestamp&>(m);
      t.set_seconds(FromPool<int64_t>({0, 1700000000, -62135596800LL, 253402300799LL, -1, 1234567890}));
      t.set_nanos(FromPool<int32_t>({0, 1, 1000, 1000000, 123456789, 999999999, 500000000}));
      if (!clean_ && Chance(0.1)) t.set_seconds(253402300800LL);
      if (!clean_ && Chance(0.05)) t.set_nanos(-1);
      return true;
    }
    if (d == pb::Duration::descriptor()) {
      auto& du = static_cast<pb::Duration&>(m);
      int64_t s = FromPool<int64_t>({0, 1, -1, 3600, -315576000000LL, 315576000000LL});
      int32_t n = FromPool<int32_t>({0, 1000, 1000000, 1, 999999999});
      du.set_seconds(s);
      du.set_nanos(s < 0 ? -n : (s == 0 && Chance(0.5) ? -n : n));
      if (!clean_ && Chance(0.1)) du.set_nanos(5), du.set_seconds(-5);
      return true;
    }
    if (d == pb::FieldMask::descriptor()) {
      auto& mask = static_cast<pb::FieldMask&>(m);
      int n = Pick(4);
      for (int i = 0; i < n; ++i) {
        mask.add_paths(clean_ ? FromPool<std::string>({"name", "update_mask", "office.opening_hours", "a1_b2", ""})
                              : FromPool<std::string>({"name", "a_1", "Foo", "a__b", "_x", "x_", "a.b", "m[\"k\"]"}));
      }
      return true;
    }
    if (d == pb::Struct::descriptor()) {
      FillStruct(static_cast<pb::Struct&>(m), depth);
      return true;
    }
    if (d == pb::Value::descriptor()) {
      FillValue(static_cast<pb::Value&>(m), depth);
      return true;
    }
    if (d == pb::ListValue::descriptor()) {
      int n = Pick(4);
      for (int i = 0; i < n; ++i) FillValue(*static_cast<pb::ListValue&>(m).add_values(), depth + 1);
      return true;
    }
    if (d == pb::Any::descriptor()) {
      auto& any = static_cast<pb::Any&>(m);
      if (Chance(0.5)) {
        v1::Tenant t;
        t.set_name("Comune di Massafra");
        any.PackFrom(t);
      }
      return true;
    }
    return false;
  }

  std::mt19937_64 rng_;
  bool clean_;
  bool unordered_ = false;
};

struct Outcome {
  int printed = 0;    // by the new writer, equal to the old
  int left_over = 0;  // left to the old converter
};

// One message through both; fails the test case on any difference.
void Compare(const pb::Message& message, bool unordered, bool must_print, Outcome& outcome) {
  const std::string bytes = message.SerializeAsString();
  const pb::Message* prototype = pb::MessageFactory::generated_factory()->GetPrototype(message.GetDescriptor());
  std::optional<std::string> old_json = OldJson(message.GetDescriptor(), bytes);
  std::string new_json = "left over";
  bool printed = WriteAnswerJson(*prototype, bytes, new_json);
  INFO(message.GetDescriptor()->full_name());
  if (!printed) {
    CHECK(new_json.empty());
    CHECK_FALSE(must_print);
    ++outcome.left_over;
    return;
  }
  ++outcome.printed;
  // Where the old converter fails, the writer must leave it to it.
  REQUIRE(old_json.has_value());
  size_t at = 0;
  while (at < new_json.size() && at < old_json->size() && new_json[at] == (*old_json)[at]) ++at;
  size_t from = at > 60 ? at - 60 : 0;
  INFO("first difference at " << at << "\nold: ..." << old_json->substr(from, 160) << "\nnew: ..."
                              << new_json.substr(from, 160));
  boost::system::error_code ec;
  auto new_value = boost::json::parse(new_json, ec);
  REQUIRE_FALSE(ec);
  CHECK(new_value == boost::json::parse(*old_json));
  if (!unordered) CHECK(new_json == *old_json);
}

// Every message type of the files in the generated pool whose package is
// sportello.* (the services' and the gateway tests').
std::vector<const pb::Descriptor*> SportelloMessages() {
  std::vector<std::string> files;
  pb::DescriptorPool::internal_generated_database()->FindAllFileNames(&files);
  std::vector<const pb::Descriptor*> out;
  std::function<void(const pb::Descriptor*)> add = [&](const pb::Descriptor* d) {
    if (d->options().map_entry()) return;
    out.push_back(d);
    for (int i = 0; i < d->nested_type_count(); ++i) add(d->nested_type(i));
  };
  for (const std::string& name : files) {
    const pb::FileDescriptor* file = pb::DescriptorPool::generated_pool()->FindFileByName(name);
    if (file == nullptr || file->package().rfind("sportello", 0) != 0) continue;
    for (int i = 0; i < file->message_type_count(); ++i) add(file->message_type(i));
  }
  return out;
}

TEST_CASE("every message type of the pool prints as BinaryToJsonString prints it", "[answer-json]") {
  auto types = SportelloMessages();
  std::set<const pb::Descriptor*> covered(types.begin(), types.end());
  // And every answer of a route (google.protobuf.Empty among them).
  auto table = RouteTable::FromGeneratedPool();
  REQUIRE(table.ok());
  REQUIRE(table->routes().size() > 50);
  for (const auto& route : table->routes()) {
    if (covered.insert(route.method->output_type()).second) types.push_back(route.method->output_type());
  }
  REQUIRE(types.size() > 100);

  Outcome outcome;
  uint64_t seed = 1;
  for (const pb::Descriptor* type : types) {
    const pb::Message* prototype = pb::MessageFactory::generated_factory()->GetPrototype(type);
    // The empty message: every default.
    // Only JsonNull holds a NullValue outside Value, which is left over even
    // by default; a clean fill leaves JsonKinds' Any and JsonNull unset.
    const bool must_print = type != gatewaytest::JsonNull::descriptor();
    Compare(*prototype, false, must_print, outcome);
    for (int i = 0; i < 30; ++i) {
      std::unique_ptr<pb::Message> m(prototype->New());
      Filler filler(seed++, true);
      filler.Fill(*m, 0);
      Compare(*m, filler.unordered(), must_print, outcome);
    }
  }
  CHECK(outcome.left_over == 31);  // JsonNull's
  CHECK(outcome.printed > 3000);
}

TEST_CASE("every kind of field prints as BinaryToJsonString prints it", "[answer-json]") {
  Outcome clean, wild;
  for (uint64_t seed = 1; seed <= 3000; ++seed) {
    gatewaytest::JsonKinds m;
    Filler filler(seed, true);
    filler.Fill(m, 0);
    Compare(m, filler.unordered(), true, clean);
  }
  for (uint64_t seed = 1; seed <= 3000; ++seed) {
    gatewaytest::JsonKinds m;
    Filler filler(seed * 7919, false);
    filler.Fill(m, 0);
    Compare(m, filler.unordered(), false, wild);
  }
  CHECK(clean.left_over == 0);
  // Wild fills mostly hold an Any, a NullValue, a time out of range, a
  // FieldMask path with capitals or digits after "_" or invalid UTF-8.
  CHECK(wild.left_over > 100);
  CHECK(wild.printed > 0);
}

TEST_CASE("cases left to the old converter", "[answer-json]") {
  const pb::Message& prototype = gatewaytest::JsonKinds::default_instance();
  std::string out;
  SECTION("an Any") {
    gatewaytest::JsonKinds m;
    m.mutable_any()->PackFrom(v1::Tenant());
    CHECK_FALSE(WriteAnswerJson(prototype, m.SerializeAsString(), out));
  }
  SECTION("a Timestamp out of range, which the old converter refuses") {
    gatewaytest::JsonKinds m;
    m.mutable_time()->set_seconds(253402300800LL);
    CHECK_FALSE(WriteAnswerJson(prototype, m.SerializeAsString(), out));
    CHECK_FALSE(OldJson(m.GetDescriptor(), m.SerializeAsString()).has_value());
  }
  SECTION("bytes that do not parse") {
    CHECK_FALSE(WriteAnswerJson(prototype, "\xff\xff\xff", out));
  }
  SECTION("a root of a well-known type") {
    CHECK_FALSE(WriteAnswerJson(pb::Timestamp::default_instance(), "", out));
  }
  CHECK(out.empty());
}

TEST_CASE("the transcoder tests' upstream answers print as before", "[answer-json]") {
  testing::FakeUpstream upstream;
  for (const std::string method : {"/sportello.v1.CatalogueService/GetTenant", "/sportello.v1.CatalogueService/ListTenants"}) {
    v1::GetTenantRequest request;
    request.set_ipa_code("c_f027");
    std::string answer;
    upstream.Call("catalogue", method, request.SerializeAsString(), {}, std::chrono::seconds(1),
                  [&](absl::Status status, std::string bytes) {
                    REQUIRE(status.ok());
                    answer = std::move(bytes);
                  });
    REQUIRE_FALSE(answer.empty());
    const pb::Descriptor* type = method.find("GetTenant") != std::string::npos
                                     ? v1::Tenant::descriptor()
                                     : v1::ListTenantsResponse::descriptor();
    std::string json;
    REQUIRE(WriteAnswerJson(*pb::MessageFactory::generated_factory()->GetPrototype(type), answer, json));
    CHECK(json == OldJson(type, answer).value());
  }
}

}  // namespace
}  // namespace sportello::gateway
