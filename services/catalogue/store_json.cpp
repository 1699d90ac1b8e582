#include "services/catalogue/store_json.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include "services/catalogue/rules.h"

namespace sportello::catalogue::storage {
namespace json = boost::json;
namespace {

// Stored JSON was written by us: a malformed value reads as empty rather
// than failing the whole read.
json::array ParseArray(const std::string& text) {
  json::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_array()) return {};
  return v.as_array();
}

std::string Str(const json::object& o, const char* key) {
  auto it = o.find(key);
  return it != o.end() && it->value().is_string() ? std::string(it->value().as_string()) : "";
}

}  // namespace

std::string StringsToJson(const std::vector<std::string>& items) {
  json::array a;
  for (const auto& s : items) a.emplace_back(json::string(s));
  return json::serialize(a);
}

std::vector<std::string> StringsFromJson(const std::string& text) {
  std::vector<std::string> out;
  for (const auto& v : ParseArray(text)) {
    if (v.is_string()) out.emplace_back(v.as_string());
  }
  return out;
}

std::string ChannelsToJson(const std::vector<Channel>& channels) {
  std::vector<std::string> names;
  for (Channel c : channels) names.emplace_back(ChannelName(c));
  return StringsToJson(names);
}

std::vector<Channel> ChannelsFromJson(const std::string& text) {
  std::vector<Channel> out;
  for (const auto& name : StringsFromJson(text)) {
    if (auto c = ChannelFromName(name)) out.push_back(*c);
  }
  return out;
}

std::string ReferencesToJson(const std::vector<LegalReference>& refs) {
  json::array a;
  for (const auto& r : refs) a.emplace_back(json::object{{"title", r.title}, {"url", r.url}});
  return json::serialize(a);
}

std::vector<LegalReference> ReferencesFromJson(const std::string& text) {
  std::vector<LegalReference> out;
  for (const auto& v : ParseArray(text)) {
    if (v.is_object()) out.push_back({Str(v.as_object(), "title"), Str(v.as_object(), "url")});
  }
  return out;
}

std::string FormsToJson(const std::vector<Form>& forms) {
  json::array a;
  for (const auto& f : forms) {
    a.emplace_back(json::object{
        {"title", f.title}, {"url", f.url}, {"format", f.format}, {"version_date", f.version_date}});
  }
  return json::serialize(a);
}

std::vector<Form> FormsFromJson(const std::string& text) {
  std::vector<Form> out;
  for (const auto& v : ParseArray(text)) {
    if (!v.is_object()) continue;
    const auto& o = v.as_object();
    out.push_back({Str(o, "title"), Str(o, "url"), Str(o, "format"), Str(o, "version_date")});
  }
  return out;
}

std::string AttributesToJson(const std::vector<CategoryAttribute>& attributes) {
  json::array a;
  for (const auto& attr : attributes) {
    json::array values;
    for (const auto& v : attr.values) values.emplace_back(json::object{{"key", v.key}, {"name", v.name}});
    a.emplace_back(json::object{{"code", attr.code},
                                {"description", attr.description},
                                {"datatype", AttributeTypeName(attr.datatype)},
                                {"required", attr.required},
                                {"order", attr.order},
                                {"values", std::move(values)}});
  }
  return json::serialize(a);
}

std::vector<CategoryAttribute> AttributesFromJson(const std::string& text) {
  std::vector<CategoryAttribute> out;
  for (const auto& v : ParseArray(text)) {
    if (!v.is_object()) continue;
    const auto& o = v.as_object();
    CategoryAttribute attr;
    attr.code = Str(o, "code");
    attr.description = Str(o, "description");
    attr.datatype = AttributeTypeFromName(Str(o, "datatype")).value_or(AttributeType::kString);
    if (auto it = o.find("required"); it != o.end() && it->value().is_bool()) attr.required = it->value().as_bool();
    if (auto it = o.find("order"); it != o.end() && it->value().is_int64()) {
      attr.order = static_cast<int>(it->value().as_int64());
    }
    if (auto it = o.find("values"); it != o.end() && it->value().is_array()) {
      for (const auto& val : it->value().as_array()) {
        if (val.is_object()) attr.values.push_back({Str(val.as_object(), "key"), Str(val.as_object(), "name")});
      }
    }
    out.push_back(std::move(attr));
  }
  return out;
}

}  // namespace sportello::catalogue::storage
