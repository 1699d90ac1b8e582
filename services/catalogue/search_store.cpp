#include <cstdio>

#include "absl/strings/numbers.h"
#include "absl/strings/str_join.h"
#include "common/page_token.h"
#include "common/status.h"
#include "services/catalogue/rules.h"
#include "services/catalogue/store.h"
#include "services/catalogue/store_common.h"

namespace sportello::catalogue {
namespace {

// Splits the text into unaccented lower-case words and corrects each word of
// four letters or more that the vocabulary does not know to the nearest
// known word at Levenshtein distance 1 (ties: most similar trigrams).
const char* kCorrectWords = R"SQL(
WITH words AS (
  SELECT w, ord
  FROM regexp_split_to_table(lower(public.unaccent($1)), '[^a-z0-9]+') WITH ORDINALITY AS t(w, ord)
  WHERE w <> ''
)
SELECT CASE
  WHEN length(w) < 4 OR EXISTS (SELECT 1 FROM catalogue.search_words s WHERE s.word = w) THEN w
  ELSE coalesce((SELECT s.word FROM catalogue.search_words s
                 WHERE length(s.word) BETWEEN length(w) - 1 AND length(w) + 1
                   AND public.levenshtein_less_equal(s.word, w, 1) <= 1
                 ORDER BY public.levenshtein(s.word, w), public.similarity(s.word, w) DESC, s.word
                 LIMIT 1), w)
  END
FROM words ORDER BY ord
)SQL";

// Services and offices in one ranked list. Weights {D, C, B, A}: a match in
// a name (A) counts five times one in a description (C). Keyset on
// (rank, id) descending.
const char* kSearch = R"SQL(
WITH q AS (SELECT to_tsquery('catalogue.italian_unaccent', $1) AS query),
hits AS (
  SELECT 1 AS kind, s.id::text AS id, s.tenant, s.name, s.short_description AS summary,
         ts_rank_cd('{0.1, 0.2, 0.4, 1.0}', s.search_vector, q.query)::float8 AS rank
  FROM catalogue.services s, q
  WHERE s.tenant = ANY($2::text[]) AND s.status = 'active' AND s.search_vector @@ q.query
    AND $3 <> 2
    AND ($4 = '' OR s.themes @> ARRAY[$4]) AND ($5 = '' OR s.audiences @> ARRAY[$5])
    AND ($6 = '' OR s.channels @> ARRAY[$6])
  UNION ALL
  SELECT 2, o.id::text, o.tenant, o.name, left(o.description, 240),
         ts_rank_cd('{0.1, 0.2, 0.4, 1.0}', o.search_vector, q.query)::float8
  FROM catalogue.offices o, q
  WHERE o.tenant = ANY($2::text[]) AND o.search_vector @@ q.query
    AND $3 <> 1 AND $4 = '' AND $5 = '' AND $6 = ''
)
SELECT kind, id, tenant, name, summary, rank FROM hits
WHERE (rank, id) < ($7::float8, $8)
ORDER BY rank DESC, id DESC
LIMIT $9
)SQL";

const char* kMembers = "SELECT ipa_code FROM catalogue.tenants WHERE parent_ipa_code = $1 ORDER BY ipa_code";

std::string RankText(double rank) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.17g", rank);
  return buf;
}

std::string TextArray(const std::vector<std::string>& items) {
  // Tenant codes are [a-z0-9_]: safe inside an array literal.
  return "{" + absl::StrJoin(items, ",") + "}";
}

}  // namespace

absl::StatusOr<std::vector<std::string>> SearchStore::MemberTenants(const std::string& unione) {
  std::vector<std::string> out;
  absl::Status status = pool_.Run([&](pqxx::connection& c) {
    out.clear();
    pqxx::read_transaction tx(c);
    for (const auto& r : tx.exec_params(kMembers, unione)) out.push_back(r[0].as<std::string>());
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return out;
}

absl::StatusOr<SearchPage> SearchStore::Search(const SearchQuery& query) {
  ASSIGN_OR_RETURN(std::vector<std::string> after, DecodePageToken(query.page_token));
  double after_rank = std::numeric_limits<double>::infinity();
  std::string after_id;
  if (!after.empty()) {
    if (after.size() != 2 || !absl::SimpleAtod(after[0], &after_rank)) {
      return InvalidArgument({{"page_token", "page_token non valido"}});
    }
    after_id = after[1];
  }
  SearchPage page;
  absl::Status status = pool_.Run([&](pqxx::connection& c) {
    page = SearchPage{};
    pqxx::read_transaction tx(c);
    std::vector<std::string> words;
    for (const auto& r : tx.exec_params(kCorrectWords, query.text)) words.push_back(r[0].as<std::string>());
    page.corrected_text = absl::StrJoin(words, " ");
    if (words.empty()) return absl::OkStatus();
    // Every word must match; the last one also as a prefix, for search-as-you-type.
    std::string tsquery = absl::StrJoin(words, " & ");
    if (words.back().size() >= 3) tsquery += ":*";
    int kind = query.kind == SearchKind::kService ? 1 : query.kind == SearchKind::kOffice ? 2 : 0;
    auto rows = tx.exec_params(kSearch, tsquery, TextArray(query.tenants), kind, query.theme, query.audience,
                               std::string(query.channel ? ChannelName(*query.channel) : ""),
                               after.empty() ? std::string("Infinity") : RankText(after_rank), after_id,
                               query.page_size + 1);
    for (const auto& r : rows) {
      SearchHit hit;
      hit.kind = r[0].as<int>() == 1 ? SearchKind::kService : SearchKind::kOffice;
      hit.id = r[1].as<std::string>();
      hit.tenant = r[2].as<std::string>();
      hit.name = r[3].as<std::string>();
      hit.summary = r[4].as<std::string>();
      hit.rank = r[5].as<double>();
      page.hits.push_back(std::move(hit));
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  if (static_cast<int>(page.hits.size()) > query.page_size) {
    page.hits.pop_back();
    page.next_page_token = EncodePageToken({RankText(page.hits.back().rank), page.hits.back().id});
  }
  return page;
}

}  // namespace sportello::catalogue
