#include <limits>

#include "absl/strings/numbers.h"
#include "common/page_token.h"
#include "common/status.h"
#include "services/catalogue/store.h"
#include "services/catalogue/store_common.h"

namespace sportello::catalogue {
namespace storage {

bool LooksLikeUuid(const std::string& s) {
  if (s.size() != 36) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? c != '-' : !std::isxdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

// The diff keeps the fields whose value changed: {"name": {"from": "A", "to": "B"}}.
const db::Statement kInsertChange{"catalogue.insert_change", R"SQL(
INSERT INTO catalogue.changes (tenant, entity, entity_id, action, actor, diff)
SELECT $1, $2, $3::uuid, $4, $5,
       coalesce((SELECT jsonb_object_agg(key, jsonb_build_object('from', b.value, 'to', a.value))
                 FROM jsonb_each(coalesce(nullif($6, '')::jsonb, '{}')) b
                 FULL JOIN jsonb_each(coalesce(nullif($7, '')::jsonb, '{}')) a USING (key)
                 WHERE b.value IS DISTINCT FROM a.value), '{}')
)SQL"};

void RecordChange(pqxx::work& tx, const std::string& tenant, const std::string& entity, const std::string& id,
                  const std::string& action, const std::string& actor, const std::string& before,
                  const std::string& after) {
  db::Exec(tx, kInsertChange, tenant, entity, id, action, actor.empty() ? "anonymous" : actor, before, after);
}

}  // namespace storage

namespace {

// Newest first: keyset on id descending.
const db::Statement kListChanges{
    "catalogue.list_changes",
    "SELECT id, entity, entity_id::text AS entity_id, action, actor, " + storage::Micros("at") +
        " AS at_micros, diff::text AS diff FROM catalogue.changes"
        " WHERE tenant = $1 AND ($2 = '' OR entity_id = nullif($2, '')::uuid) AND id < $3"
        " ORDER BY id DESC LIMIT $4"};

ChangeRecord ChangeFromRow(const pqxx::row& r) {
  ChangeRecord c;
  c.id = r["id"].as<long long>();
  c.entity = r["entity"].as<std::string>();
  c.entity_id = r["entity_id"].as<std::string>();
  c.action = r["action"].as<std::string>();
  c.actor = r["actor"].as<std::string>();
  c.time = db::TimeFromMicros(r["at_micros"].as<long long>());
  c.diff_json = r["diff"].as<std::string>();
  return c;
}

}  // namespace

absl::StatusOr<Page<ChangeRecord>> ChangeStore::List(const std::string& tenant, const std::string& entity_id,
                                                     int page_size, const std::string& page_token) {
  ASSIGN_OR_RETURN(std::vector<std::string> after, DecodePageToken(page_token, 1));
  long long before_id = std::numeric_limits<long long>::max();
  if (!after.empty() && !absl::SimpleAtoi(after[0], &before_id)) return InvalidPageToken();
  if (!entity_id.empty() && !storage::LooksLikeUuid(entity_id)) {
    return InvalidArgument({{"entity_id", "identificativo non valido"}});
  }
  ASSIGN_OR_RETURN(Page<ChangeRecord> page,
                   pool_.Read([&](pqxx::read_transaction& tx) -> absl::StatusOr<Page<ChangeRecord>> {
                     Page<ChangeRecord> page;
                     for (const auto& r : db::Exec(tx, kListChanges, tenant, entity_id, before_id, page_size + 1)) {
                       page.items.push_back(ChangeFromRow(r));
                     }
                     return page;
                   }));
  TrimPage(page, page_size, [](const ChangeRecord& c) { return std::vector<std::string>{std::to_string(c.id)}; });
  return page;
}

}  // namespace sportello::catalogue
