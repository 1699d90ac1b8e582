#pragma once
// The datasets of a tenant and how a table of rows becomes its two
// distributions: CSV (RFC 4180, UTF-8, header, CRLF) and JSON (an array of
// objects, one per line). Rows are stored rendered, one CSV line and one
// JSON object each, so a distribution is streamed by concatenation; the size
// and SHA-256 of each are computed here once, when a version is made.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sportello::opendata {

// What each tenant publishes (the id is "<tenant>-<slug>").
struct DatasetKind {
  std::string slug;         // "servizi"
  std::string title;        // "Servizi del Comune di Massafra" (tenant name appended)
  std::string description;
  std::vector<std::string> keywords;
  std::string theme;        // EU data theme
  std::string frequency;    // EU frequency
  bool needs_approval = false;  // versions published only once approved
};
const std::vector<DatasetKind>& DatasetKinds();
const DatasetKind* FindKind(std::string_view slug);

// A dataset's public title: its kind's title and the tenant's name
// ("Servizi - Comune di Massafra"); the id for a dataset of no known kind.
// The catalogue (DCAT, the API) and the dataset.published event say the same.
std::string DatasetTitle(std::string_view id, std::string_view slug, std::string_view tenant_name);

// "<tenant>-<slug>" and back; nullopt for an id of no known kind.
std::string DatasetId(std::string_view tenant, std::string_view slug);
struct ParsedId {
  std::string tenant, slug;
};
std::optional<ParsedId> ParseDatasetId(std::string_view id);

// A typed value of a row: text, integer, decimal, or empty (null).
struct Value {
  enum class Type { kNull, kText, kInt, kNumber } type = Type::kNull;
  std::string text;
  int64_t integer = 0;
  double number = 0;
  static Value Null() { return {}; }
  static Value Text(std::string s) { return {Type::kText, std::move(s), 0, 0}; }
  static Value Int(int64_t i) { return {Type::kInt, "", i, 0}; }
  static Value Number(double d) { return {Type::kNumber, "", 0, d}; }
};

struct Table {
  std::vector<std::string> columns;
  std::vector<std::vector<Value>> rows;
};

struct RenderedRow {
  std::string csv;   // one CSV record with its CRLF
  std::string json;  // one JSON object, no separator
};

// RFC 4180: quoted when it holds a comma, quote, CR or LF; quotes doubled.
std::string CsvField(std::string_view s);
std::string CsvHeader(const std::vector<std::string>& columns);
std::vector<RenderedRow> Render(const Table& table);

// What a distribution's bytes are: a prefix, the rows' parts joined by a
// separator, a suffix. CSV: header, rows, nothing. JSON: "[\n", ",\n", "\n]\n"
// ("[]\n" with no rows).
struct Framing {
  std::string prefix, separator, suffix, empty;
};
Framing CsvFraming(const std::vector<std::string>& columns);
Framing JsonFraming();

struct Digest {
  int64_t bytes = 0;
  std::string sha256;  // hex
};
// Size and SHA-256 of the framed concatenation; `json` picks the JSON parts.
Digest DigestOf(const std::vector<RenderedRow>& rows, const Framing& framing, bool json);

// A line of COPY ... TO STDOUT text format for one text column, unescaped:
// \\ \n \r \t \b \f \v, octal \ooo and hex \xhh.
std::string UnescapeCopyText(std::string_view line);

}  // namespace sportello::opendata
