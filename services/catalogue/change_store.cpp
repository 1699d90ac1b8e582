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

void RecordChange(pqxx::work& tx, const std::string& tenant, const std::string& entity, const std::string& id,
                  const std::string& action, const std::string& actor, const std::string& before,
                  const std::string& after) {
  // The diff keeps the fields whose value changed: {"name": {"from": "A", "to": "B"}}.
  static const char* kInsertChange = R"SQL(
INSERT INTO catalogue.changes (tenant, entity, entity_id, action, actor, diff)
SELECT $1, $2, $3::uuid, $4, $5,
       coalesce((SELECT jsonb_object_agg(key, jsonb_build_object('from', b.value, 'to', a.value))
                 FROM jsonb_each(coalesce(nullif($6, '')::jsonb, '{}')) b
                 FULL JOIN jsonb_each(coalesce(nullif($7, '')::jsonb, '{}')) a USING (key)
                 WHERE b.value IS DISTINCT FROM a.value), '{}')
)SQL";
  tx.exec_params(kInsertChange, tenant, entity, id, action, actor.empty() ? "anonymous" : actor, before, after);
}

}  // namespace storage

namespace {
const std::string kListChanges =
    "SELECT id, entity, entity_id::text, action, actor, " + storage::Micros("at") +
    ", diff::text FROM catalogue.changes"
    " WHERE tenant = $1 AND ($2 = '' OR entity_id = nullif($2, '')::uuid) AND id < $3"
    " ORDER BY id DESC LIMIT $4";
}  // namespace

absl::StatusOr<Page<ChangeRecord>> ChangeStore::List(const std::string& tenant, const std::string& entity_id,
                                                     int page_size, const std::string& page_token) {
  ASSIGN_OR_RETURN(std::vector<std::string> after, DecodePageToken(page_token));
  long long before_id = std::numeric_limits<long long>::max();
  if (!after.empty() && (after.size() != 1 || !absl::SimpleAtoi(after[0], &before_id))) {
    return InvalidArgument({{"page_token", "page_token non valido"}});
  }
  if (!entity_id.empty() && !storage::LooksLikeUuid(entity_id)) {
    return InvalidArgument({{"entity_id", "identificativo non valido"}});
  }
  Page<ChangeRecord> page;
  absl::Status status = pool_.Run([&](pqxx::connection& c) {
    page.items.clear();
    pqxx::read_transaction tx(c);
    for (const auto& r : tx.exec_params(kListChanges, tenant, entity_id, before_id, page_size + 1)) {
      page.items.push_back({r[0].as<long long>(), r[1].as<std::string>(), r[2].as<std::string>(),
                            r[3].as<std::string>(), r[4].as<std::string>(), db::TimeFromMicros(r[5].as<long long>()),
                            r[6].as<std::string>()});
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  TrimPage(page, page_size, [](const ChangeRecord& c) { return std::vector<std::string>{std::to_string(c.id)}; });
  return page;
}

}  // namespace sportello::catalogue
