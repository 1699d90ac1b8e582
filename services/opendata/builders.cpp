#include "services/opendata/builders.h"

#include <map>

#include "absl/strings/str_join.h"

namespace sportello::opendata {

namespace {
Value TextOrNull(const std::string& s) { return s.empty() ? Value::Null() : Value::Text(s); }
Value Coordinate(const std::optional<LatLon>& p, bool latitude) {
  if (!p) return Value::Null();
  return Value::Number(latitude ? p->latitude : p->longitude);
}
}  // namespace

Table ServicesTable(const std::vector<ServiceRecord>& services) {
  Table t;
  t.columns = {"id", "nome", "descrizione_breve", "temi", "canali", "livello_interattivita",
               "termine_giorni", "ufficio_id", "url_online"};
  for (const auto& s : services) {
    t.rows.push_back({Value::Text(s.id), Value::Text(Scrub(s.name)), TextOrNull(Scrub(s.short_description)),
                      TextOrNull(absl::StrJoin(s.themes, ";")), TextOrNull(absl::StrJoin(s.channels, ";")),
                      Value::Int(s.interactivity_level),
                      s.legal_deadline_days > 0 ? Value::Int(s.legal_deadline_days) : Value::Null(),
                      TextOrNull(s.office_id), TextOrNull(s.online_url)});
  }
  return t;
}

Table OfficesTable(const std::vector<OfficeRecord>& offices) {
  Table t;
  t.columns = {"id", "nome", "indirizzo", "cap", "comune", "provincia", "telefono", "email", "pec", "sito",
               "latitudine", "longitudine", "orari"};
  for (const auto& o : offices) {
    // Institutional contacts of an office are public by law (d.lgs. 33/2013 art. 13).
    t.rows.push_back({Value::Text(o.id), Value::Text(o.name), TextOrNull(o.street), TextOrNull(o.postal_code),
                      TextOrNull(o.municipality), TextOrNull(o.province), TextOrNull(o.phone), TextOrNull(o.email),
                      TextOrNull(o.pec), TextOrNull(o.website), Coordinate(o.position, true),
                      Coordinate(o.position, false), TextOrNull(o.weekly_hours)});
  }
  return t;
}

Table MonthlyTable(const std::vector<MonthStats>& months, int k) {
  struct Line {
    std::string month, dimension, value;
  };
  std::vector<Line> lines;
  std::vector<CountCell> cells;
  for (const auto& m : months) {
    for (const auto& [dimension, key, count] : m.counts) {
      lines.push_back({m.month, dimension, key});
      cells.push_back({{m.month + "|" + dimension}, count, false});
    }
  }
  SuppressSmallCounts(cells, k);
  Table t;
  t.columns = {"mese", "dimensione", "valore", "richieste", "mediana_ore_prima_risposta", "mediana_ore_chiusura"};
  size_t i = 0;
  for (const auto& m : months) {
    // The month's total is published only when it is not itself under k.
    const bool small = m.total > 0 && m.total < k;
    t.rows.push_back({Value::Text(m.month), Value::Text("totale"), Value::Text("totale"),
                      small ? Value::Null() : Value::Int(m.total),
                      small || m.median_hours_first_answer <= 0 ? Value::Null()
                                                                : Value::Number(m.median_hours_first_answer),
                      small || m.median_hours_resolution <= 0 ? Value::Null()
                                                              : Value::Number(m.median_hours_resolution)});
    for (size_t j = 0; j < m.counts.size(); ++j, ++i) {
      const auto& c = cells[i];
      t.rows.push_back({Value::Text(lines[i].month), Value::Text(lines[i].dimension), Value::Text(lines[i].value),
                        c.suppressed ? Value::Null() : Value::Int(c.count), Value::Null(), Value::Null()});
    }
  }
  return t;
}

Table PublicRequestsTable(const std::vector<PublicRequestRecord>& requests, absl::TimeZone zone, int k) {
  std::vector<PlacedRecord> placed;
  placed.reserve(requests.size());
  for (const auto& r : requests) placed.push_back({r.position, r.category, MonthOf(r.created, zone)});
  auto positions = CoarsenPositions(placed, k);
  Table t;
  t.columns = {"tipo", "categoria", "stato", "data_apertura", "data_chiusura", "ufficio_id", "latitudine",
               "longitudine"};
  for (size_t i = 0; i < requests.size(); ++i) {
    const auto& r = requests[i];
    t.rows.push_back({Value::Text(r.kind), TextOrNull(r.category), Value::Text(r.status),
                      TextOrNull(DayOf(r.created, zone)), TextOrNull(DayOf(r.closed, zone)), TextOrNull(r.office_id),
                      Coordinate(positions[i], true), Coordinate(positions[i], false)});
  }
  return t;
}

Table SatisfactionTable(const std::vector<SurveyMonthRecord>& records, int k) {
  Table t;
  t.columns = {"mese", "questionario_id", "strumento", "dimensione", "valore", "risposte", "media",
               "quota_soddisfatti", "nps"};
  auto optional = [](const std::optional<double>& v) { return v ? Value::Number(*v) : Value::Null(); };
  auto row = [&](const SurveyMonthRecord& r, const std::string& dimension, const std::string& value,
                 const IndexFigures& f, bool suppressed) {
    if (suppressed || f.suppressed) {
      t.rows.push_back({Value::Text(r.month), Value::Text(r.survey_id), Value::Text(r.instrument),
                        Value::Text(dimension), Value::Text(value), Value::Null(), Value::Null(), Value::Null(),
                        Value::Null()});
      return;
    }
    t.rows.push_back({Value::Text(r.month), Value::Text(r.survey_id), Value::Text(r.instrument),
                      Value::Text(dimension), Value::Text(value), Value::Int(f.responses), optional(f.mean),
                      optional(f.top_box), optional(f.nps)});
  };
  for (const auto& r : records) {
    if (r.groups.empty()) continue;
    // A total under k (or withheld upstream) hides every group: they would
    // add up to it.
    const bool small = r.total.suppressed || r.total.responses < k;
    std::vector<CountCell> cells;
    for (const auto& [dimension, key, f] : r.groups) {
      cells.push_back({{dimension}, f.suppressed ? 0 : f.responses, small || f.suppressed});
    }
    SuppressSmallCounts(cells, k);
    row(r, "totale", "totale", r.total, small);
    for (size_t i = 0; i < r.groups.size(); ++i) {
      const auto& [dimension, key, f] = r.groups[i];
      row(r, dimension, key, f, cells[i].suppressed);
    }
  }
  return t;
}

std::string SemesterOf(const std::string& date) {
  if (date.size() < 7) return "";
  int month = std::atoi(date.substr(5, 2).c_str());
  return date.substr(0, 4) + (month <= 6 ? "-S1" : "-S2");
}

Table RegisterTable(const std::vector<RegisterRecord>& entries) {
  Table t;
  t.columns = {"oggetto", "data_richiesta", "esito", "data_decisione", "pubblicazione_proattiva"};
  for (const auto& e : entries) {
    t.rows.push_back({Value::Text(Scrub(e.object)), TextOrNull(e.request_date), TextOrNull(e.outcome),
                      TextOrNull(e.decision_date), Value::Text(e.publish_proactively ? "si" : "no")});
  }
  return t;
}

Table ProactiveTable(const std::vector<ProactiveRecord>& entries) {
  Table t;
  t.columns = {"oggetto", "anno", "richiedenti", "url_documento"};
  for (const auto& e : entries) {
    t.rows.push_back({Value::Text(Scrub(e.object)), Value::Int(e.year), Value::Int(e.requesters),
                      TextOrNull(e.document_url)});
  }
  return t;
}

}  // namespace sportello::opendata

namespace sportello::opendata {
std::vector<ProactiveRecord> ProactiveCandidates(const std::vector<RegisterRecord>& entries, int year) {
  struct Group {
    std::string object;
    int count = 0;
    bool flagged = false;
  };
  std::map<std::string, Group> groups;
  const std::string prefix = std::to_string(year) + "-";
  for (const auto& e : entries) {
    if (e.request_date.rfind(prefix, 0) != 0) continue;
    std::string object = Scrub(e.object);
    std::string key;
    bool space = false;
    for (char c : object) {
      if (std::isspace(static_cast<unsigned char>(c))) {
        space = !key.empty();
        continue;
      }
      if (space) key += ' ';
      space = false;
      key += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    Group& g = groups[key];
    if (g.object.empty()) g.object = object;
    ++g.count;
    g.flagged = g.flagged || e.publish_proactively;
  }
  std::vector<ProactiveRecord> out;
  for (const auto& [key, g] : groups) {
    if (g.count > 3 || g.flagged) out.push_back({g.object, year, g.count, ""});
  }
  return out;
}
}  // namespace sportello::opendata
