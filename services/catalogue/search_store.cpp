#include <cstdio>
#include <limits>
#include <map>

#include "absl/strings/numbers.h"
#include "absl/strings/str_join.h"
#include "common/page_token.h"
#include "common/status.h"
#include "services/catalogue/rules.h"
#include "services/catalogue/search_text.h"
#include "services/catalogue/store.h"
#include "services/catalogue/store_common.h"

namespace sportello::catalogue {
namespace {

// Splits the text into unaccented lower-case words (in order) and, for each
// word of four letters or more that the vocabulary does not know, lists the
// known words that may be one typo away: CorrectWord decides. The prefilter
// is cheap: a length within one, and a Levenshtein distance of at most 1, or
// 2 at equal length (a swap of neighbours costs Levenshtein two edits).
const db::Statement kWordCandidates{"catalogue.search_word_candidates", R"SQL(
WITH words AS (
  SELECT w, ord, EXISTS (SELECT 1 FROM catalogue.search_words s WHERE s.word = w) AS known
  FROM regexp_split_to_table(lower(public.unaccent($1)), '[^a-z0-9]+') WITH ORDINALITY AS t(w, ord)
  WHERE w <> ''
)
SELECT words.ord AS ord, words.w AS word, words.known AS known,
       c.word AS candidate, coalesce(c.similarity, 0) AS similarity
FROM words
LEFT JOIN LATERAL (
  SELECT s.word, public.similarity(s.word, words.w)::float8 AS similarity
  FROM catalogue.search_words s
  WHERE NOT words.known AND length(words.w) >= 4
    AND length(s.word) BETWEEN length(words.w) - 1 AND length(words.w) + 1
    AND public.levenshtein_less_equal(s.word, words.w, 2) <=
        CASE WHEN length(s.word) = length(words.w) THEN 2 ELSE 1 END
  ORDER BY similarity DESC, s.word
  LIMIT 200
) c ON true
ORDER BY words.ord, c.similarity DESC, c.word
)SQL"};

// Services and offices in one ranked list. Weights {D, C, B, A}: a match in
// a name (A) counts five times one in a description (C). Keyset on
// (rank, id) descending.
const db::Statement kSearch{"catalogue.search", R"SQL(
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
)SQL"};

const db::Statement kMembers{
    "catalogue.member_tenants",
    "SELECT ipa_code AS ipa_code FROM catalogue.tenants WHERE parent_ipa_code = $1 ORDER BY ipa_code"};

std::string RankText(double rank) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.17g", rank);
  return buf;
}

// The words to search for `text`, each corrected by CorrectWord.
std::vector<std::string> CorrectedWords(pqxx::read_transaction& tx, const std::string& text) {
  struct Word {
    std::string text;
    bool known = false;
    std::vector<WordCandidate> candidates;
  };
  std::map<long long, Word> words;  // by position in the text
  for (const auto& r : db::Exec(tx, kWordCandidates, text)) {
    Word& w = words[r["ord"].as<long long>()];
    w.text = r["word"].as<std::string>();
    w.known = r["known"].as<bool>();
    if (!r["candidate"].is_null()) {
      w.candidates.push_back({r["candidate"].as<std::string>(), r["similarity"].as<double>()});
    }
  }
  std::vector<std::string> out;
  for (const auto& [ord, w] : words) out.push_back(CorrectWord(w.text, w.known, w.candidates));
  return out;
}

}  // namespace

absl::StatusOr<std::vector<std::string>> SearchStore::MemberTenants(const std::string& unione) {
  return pool_.Read([&](pqxx::read_transaction& tx) -> absl::StatusOr<std::vector<std::string>> {
    std::vector<std::string> out;
    for (const auto& r : db::Exec(tx, kMembers, unione)) out.push_back(r["ipa_code"].as<std::string>());
    return out;
  });
}

absl::StatusOr<SearchPage> SearchStore::Search(const SearchQuery& query) {
  ASSIGN_OR_RETURN(std::vector<std::string> after, DecodePageToken(query.page_token, 2));
  double after_rank = std::numeric_limits<double>::infinity();
  std::string after_id;
  if (!after.empty()) {
    if (!absl::SimpleAtod(after[0], &after_rank)) return InvalidPageToken();
    after_id = after[1];
  }
  ASSIGN_OR_RETURN(SearchPage page, pool_.Read([&](pqxx::read_transaction& tx) -> absl::StatusOr<SearchPage> {
    SearchPage page;
    std::vector<std::string> words = CorrectedWords(tx, query.text);
    page.corrected_text = absl::StrJoin(words, " ");
    if (words.empty()) return page;
    // Every word must match; the last one also as a prefix, for search-as-you-type.
    std::string tsquery = absl::StrJoin(words, " & ");
    if (words.back().size() >= 3) tsquery += ":*";
    int kind = query.kind == SearchKind::kService ? 1 : query.kind == SearchKind::kOffice ? 2 : 0;
    auto rows = db::Exec(tx, kSearch, tsquery, db::TextArray(query.tenants), kind, query.theme, query.audience,
                         std::string(query.channel ? ChannelName(*query.channel) : ""),
                         after.empty() ? std::string("Infinity") : RankText(after_rank), after_id,
                         query.page_size + 1);
    for (const auto& r : rows) {
      SearchHit hit;
      hit.kind = r["kind"].as<int>() == 1 ? SearchKind::kService : SearchKind::kOffice;
      hit.id = r["id"].as<std::string>();
      hit.tenant = r["tenant"].as<std::string>();
      hit.name = r["name"].as<std::string>();
      hit.summary = r["summary"].as<std::string>();
      hit.rank = r["rank"].as<double>();
      page.hits.push_back(std::move(hit));
    }
    return page;
  }));
  if (static_cast<int>(page.hits.size()) > query.page_size) {
    page.hits.pop_back();
    page.next_page_token = EncodePageToken({RankText(page.hits.back().rank), page.hits.back().id});
  }
  return page;
}

}  // namespace sportello::catalogue
