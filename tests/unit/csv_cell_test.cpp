// CSV cells a spreadsheet reads as text (OWASP CSV injection; issue 12, finding 8).
#include "common/text_checks.h"

#include <catch2/catch.hpp>

namespace sportello {
namespace {

TEST_CASE("CSV cells: formulas, separators of every locale, control characters", "[csv]") {
  struct Case {
    std::string raw, cell;
  };
  const std::vector<Case> cases = {
      {"Buca in via Roma", "Buca in via Roma"},
      {"", ""},
      {"=1+1", "'=1+1"},
      {"+39 080", "'+39 080"},
      {"-2", "'-2"},
      {"@SUM(A1)", "'@SUM(A1)"},
      {"\t=1+1", "\"'\t=1+1\""},
      {"\r=1+1", "\"'\r=1+1\""},
      {"\n=1+1", "\"'\n=1+1\""},
      // Excel with Italian settings splits at ';': the formula after it would be a cell of its own.
      {";=1+1", "\";=1+1\""},
      {"Tari; =HYPERLINK(\"http://x\")", "\"Tari; =HYPERLINK(\"\"http://x\"\")\""},
      {"a,b", "\"a,b\""},
      {"a\"b", "\"a\"\"b\""},
      {"a\tb", "\"a\tb\""},
  };
  for (const auto& c : cases) {
    INFO(c.raw);
    CHECK(CsvCell(c.raw) == c.cell);
  }
}

}  // namespace
}  // namespace sportello
