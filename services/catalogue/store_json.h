#pragma once
// How the catalogue's collections are stored: jsonb (and text[] passed as
// JSON arrays). Used by the stores only; kept apart so it is tested without
// a database.
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "services/catalogue/model.h"

namespace sportello::catalogue::storage {

std::string StringsToJson(const std::vector<std::string>& items);
std::vector<std::string> StringsFromJson(const std::string& json);

std::string ChannelsToJson(const std::vector<Channel>& channels);
std::vector<Channel> ChannelsFromJson(const std::string& json);

std::string ReferencesToJson(const std::vector<LegalReference>& refs);
std::vector<LegalReference> ReferencesFromJson(const std::string& json);

std::string FormsToJson(const std::vector<Form>& forms);
std::vector<Form> FormsFromJson(const std::string& json);

// [{"code","description","datatype":"singlevaluelist","required","order","values":[{"key","name"}]}]
std::string AttributesToJson(const std::vector<CategoryAttribute>& attributes);
std::vector<CategoryAttribute> AttributesFromJson(const std::string& json);

}  // namespace sportello::catalogue::storage
