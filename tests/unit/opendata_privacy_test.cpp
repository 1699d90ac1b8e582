// The open data privacy rules and rendering: suppression (primary and
// secondary), the 250 m grid and its coarsening, dates, the scrubber, CSV and
// JSON framing, COPY text unescaping.
#include <catch2/catch.hpp>

#include "services/opendata/builders.h"
#include "services/opendata/privacy.h"
#include "services/opendata/table.h"

using namespace sportello::opendata;

TEST_CASE("counts under k are suppressed, and a lone suppressed cell takes its smallest neighbour with it") {
  std::vector<CountCell> cells = {{{"m1"}, 10}, {{"m1"}, 2}, {{"m1"}, 5}, {{"m1"}, 7}};
  SuppressSmallCounts(cells, 3);
  CHECK(cells[1].suppressed);   // primary: 2 < 3
  CHECK(cells[2].suppressed);   // secondary: the smallest other (5), else total - rest = 2
  CHECK_FALSE(cells[0].suppressed);
  CHECK_FALSE(cells[3].suppressed);
}

TEST_CASE("two small cells in a group need no complement; zeros are not secret") {
  std::vector<CountCell> cells = {{{"g"}, 1}, {{"g"}, 2}, {{"g"}, 9}, {{"g"}, 0}};
  SuppressSmallCounts(cells, 3);
  CHECK(cells[0].suppressed);
  CHECK(cells[1].suppressed);
  CHECK_FALSE(cells[2].suppressed);
  CHECK_FALSE(cells[3].suppressed);
}

TEST_CASE("secondary suppression propagates across groups until each total hides at least two") {
  // a in g1 and h1; b in g1 and h2; c in g2 and h1; d in g2 and h2.
  std::vector<CountCell> cells = {{{"g1", "h1"}, 1}, {{"g1", "h2"}, 8}, {{"g2", "h1"}, 6}, {{"g2", "h2"}, 9}};
  SuppressSmallCounts(cells, 3);
  int per_group_g1 = cells[0].suppressed + cells[1].suppressed;
  int per_group_g2 = cells[2].suppressed + cells[3].suppressed;
  int per_group_h1 = cells[0].suppressed + cells[2].suppressed;
  int per_group_h2 = cells[1].suppressed + cells[3].suppressed;
  for (int n : {per_group_g1, per_group_g2, per_group_h1, per_group_h2}) CHECK(n != 1);
  CHECK(cells[0].suppressed);
}

TEST_CASE("the monthly table publishes no count under k and no recoverable one") {
  MonthStats m{"2026-11", 12, {{"tipo", "complaint", 2}, {"tipo", "report", 4}, {"tipo", "praise", 6}}, 5.5, 48};
  Table t = MonthlyTable({m}, 3);
  REQUIRE(t.rows.size() == 4);
  CHECK(t.rows[0][3].integer == 12);                         // the total
  CHECK(t.rows[1][3].type == Value::Type::kNull);            // 2: primary
  CHECK(t.rows[2][3].type == Value::Type::kNull);            // 4: complement
  CHECK(t.rows[3][3].integer == 6);
}

TEST_CASE("positions snap to the centre of their 250 m cell") {
  LatLon a = SnapToGrid({40.5881, 17.1102}, 250);
  LatLon b = SnapToGrid({40.5882, 17.1103}, 250);
  CHECK(a.latitude == b.latitude);
  CHECK(a.longitude == b.longitude);
  // The centre is within half a cell of the point.
  CHECK(std::abs(a.latitude - 40.5881) * 111320 <= 125.0001);
  CHECK(a.latitude != 40.5881);
}

TEST_CASE("groups under k are coarsened to 1 km, then left without position") {
  std::vector<PlacedRecord> records;
  // Three in one 250 m cell: kept at 250 m.
  for (int i = 0; i < 3; ++i) records.push_back({LatLon{40.5881 + i * 1e-5, 17.1102}, "buche", "2026-11"});
  // One alone, about 400 m away, same category and month: shares the 1 km cell with the three.
  records.push_back({LatLon{40.5917, 17.1102}, "buche", "2026-11"});
  // One alone far away: no position.
  records.push_back({LatLon{41.0, 16.5}, "buche", "2026-11"});
  // No position at all.
  records.push_back({std::nullopt, "buche", "2026-11"});
  auto out = CoarsenPositions(records, 3);
  REQUIRE(out.size() == 6);
  for (int i = 0; i < 3; ++i) {
    REQUIRE(out[i]);
    LatLon fine = SnapToGrid(*records[i].position, 250);
    CHECK(out[i]->latitude == fine.latitude);
  }
  LatLon coarse = SnapToGrid(*records[3].position, 1000);
  if (out[3]) {
    CHECK(out[3]->latitude == coarse.latitude);
  } else {
    // Its 1 km cell differs from the three's: then it must have no position.
    CHECK(SnapToGrid(*records[0].position, 1000).latitude != coarse.latitude);
  }
  CHECK_FALSE(out[4]);
  CHECK_FALSE(out[5]);
}

TEST_CASE("dates go to the day in Rome") {
  absl::TimeZone rome;
  REQUIRE(absl::LoadTimeZone("Europe/Rome", &rome));
  absl::Time t = absl::FromCivil(absl::CivilSecond(2026, 11, 24, 23, 30, 0), absl::UTCTimeZone());
  CHECK(DayOf(t, rome) == "2026-11-25");
  CHECK(DayOf(absl::InfinitePast(), rome).empty());
  CHECK(MonthOf(t, rome) == "2026-11");
}

TEST_CASE("the scrubber removes e-mails, phone numbers and fiscal codes, and keeps the rest") {
  std::string s = Scrub("Copia della delibera n. 12 del 2026-03-04, scrivere a mario.rossi@example.it "
                        "o al 333 123 4567 o +39 080.1234567, CF RSSMRA80A01H501U e rssmra80a01h501u");
  CHECK(s.find("mario.rossi") == std::string::npos);
  CHECK(s.find("4567") == std::string::npos);
  CHECK(s.find("1234567") == std::string::npos);
  CHECK(s.find("RSSMRA") == std::string::npos);
  CHECK(s.find("rssmra") == std::string::npos);
  CHECK(s.find("delibera n. 12 del 2026-03-04") != std::string::npos);
  CHECK(s.find("[omissis]") != std::string::npos);
}

TEST_CASE("CSV fields are quoted per RFC 4180 and JSON rows are objects") {
  Table t;
  t.columns = {"a", "b", "c"};
  t.rows.push_back({Value::Text("x,\"y\"\nz"), Value::Int(3), Value::Null()});
  auto rows = Render(t);
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].csv == "\"x,\"\"y\"\"\nz\",3,\r\n");
  CHECK(rows[0].json == R"({"a":"x,\"y\"\nz","b":3,"c":null})");
  Digest d = DigestOf(rows, CsvFraming(t.columns), false);
  CHECK(d.bytes == static_cast<int64_t>(std::string("a,b,c\r\n").size() + rows[0].csv.size()));
  CHECK(d.sha256.size() == 64);
  CHECK(DigestOf({}, JsonFraming(), true).bytes == 3);  // "[]\n"
}

TEST_CASE("COPY text lines are unescaped") {
  CHECK(UnescapeCopyText(R"(a\\b\nc\td\r\x41\101)") == "a\\b\nc\td\rAA");
}

TEST_CASE("dataset ids carry the tenant and a known kind") {
  CHECK(DatasetId("c_f027", "servizi") == "c_f027-servizi");
  auto p = ParseDatasetId("c_f027-registro-accessi");
  REQUIRE(p);
  CHECK(p->tenant == "c_f027");
  CHECK(p->slug == "registro-accessi");
  CHECK_FALSE(ParseDatasetId("c_f027-ignoto"));
  CHECK_FALSE(ParseDatasetId("C F027-servizi"));
}

TEST_CASE("objects asked by more than three requesters in a year are proposed for proactive publication") {
  std::vector<RegisterRecord> e;
  for (int i = 0; i < 4; ++i) e.push_back({"Piano  del traffico", "2026-0" + std::to_string(i + 1) + "-10", "", "", false});
  e.push_back({"piano del traffico", "2025-05-01", "", "", false});  // another year
  for (int i = 0; i < 3; ++i) e.push_back({"Bilancio", "2026-02-01", "", "", false});
  auto c = ProactiveCandidates(e, 2026);
  REQUIRE(c.size() == 1);
  CHECK(c[0].requesters == 4);
  CHECK(c[0].year == 2026);
}

namespace {
IndexFigures Shown(int64_t n, double mean) { return {false, n, mean, 0.5, std::nullopt}; }
IndexFigures Withheld() { return {true, 0, std::nullopt, std::nullopt, std::nullopt}; }
const Value& Cell(const Table& t, size_t row, const std::string& column) {
  for (size_t i = 0; i < t.columns.size(); ++i) {
    if (t.columns[i] == column) return t.rows.at(row).at(i);
  }
  FAIL("no column " << column);
  return t.rows.at(0).at(0);
}
}  // namespace

TEST_CASE("satisfaction indices: group counts under k and their complement go, with their figures") {
  // k = 3, over what the surveys service published (its own threshold is
  // per tenant, and may be lower).
  SurveyMonthRecord r{"2026-11", "s1", "stelle", Shown(20, 4.1),
                      {{"servizio", "anagrafe", Shown(12, 4.3)},
                       {"servizio", "tributi", Shown(2, 2.0)},
                       {"servizio", "-", Shown(6, 4.0)},
                       {"canale", "web", Shown(14, 4.2)},
                       {"canale", "sportello", Shown(6, 3.8)}}};
  Table t = SatisfactionTable({r}, 3);
  REQUIRE(t.rows.size() == 6);
  CHECK(Cell(t, 0, "dimensione").text == "totale");
  CHECK(Cell(t, 0, "risposte").integer == 20);
  CHECK(Cell(t, 1, "risposte").integer == 12);
  // Primary: 2 < 3, its mean too.
  CHECK(Cell(t, 2, "risposte").type == Value::Type::kNull);
  CHECK(Cell(t, 2, "media").type == Value::Type::kNull);
  CHECK(Cell(t, 2, "quota_soddisfatti").type == Value::Type::kNull);
  // Secondary within the services: 20 - 12 - 6 would give the 2 back.
  CHECK(Cell(t, 3, "risposte").type == Value::Type::kNull);
  CHECK(Cell(t, 3, "media").type == Value::Type::kNull);
  // The channels are a group of their own: untouched.
  CHECK(Cell(t, 4, "risposte").integer == 14);
  CHECK(Cell(t, 5, "media").number == Approx(3.8));
  CHECK(Cell(t, 5, "mese").text == "2026-11");
  CHECK(Cell(t, 5, "questionario_id").text == "s1");
}

TEST_CASE("satisfaction indices: what the surveys service withheld stays withheld, and takes a complement") {
  SurveyMonthRecord r{"2026-10", "s2", "faccine", Shown(30, 2.6),
                      {{"canale", "web", Shown(22, 2.7)},
                       {"canale", "telefono", Withheld()},
                       {"canale", "sportello", Shown(5, 2.2)}}};
  Table t = SatisfactionTable({r}, 3);
  REQUIRE(t.rows.size() == 4);
  CHECK(Cell(t, 2, "risposte").type == Value::Type::kNull);
  CHECK(Cell(t, 3, "risposte").type == Value::Type::kNull);  // the complement
  CHECK(Cell(t, 1, "risposte").integer == 22);
}

TEST_CASE("satisfaction indices: a small total hides its block; a month without responses has no rows") {
  SurveyMonthRecord small{"2026-09", "s3", "nps", Shown(2, 8.0), {{"canale", "web", Shown(2, 8.0)}}};
  SurveyMonthRecord hidden{"2026-09", "s4", "stelle", Withheld(), {{"canale", "web", Withheld()}}};
  SurveyMonthRecord empty{"2026-09", "s5", "stelle", Withheld(), {}};
  Table t = SatisfactionTable({small, hidden, empty}, 3);
  REQUIRE(t.rows.size() == 4);
  for (size_t i = 0; i < t.rows.size(); ++i) {
    CHECK(Cell(t, i, "risposte").type == Value::Type::kNull);
    CHECK(Cell(t, i, "media").type == Value::Type::kNull);
    CHECK(Cell(t, i, "nps").type == Value::Type::kNull);
  }
  CHECK(Cell(t, 2, "questionario_id").text == "s4");
}
