#include "services/dispatch/plan.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/status.h"
#include "common/text_checks.h"
#include "services/dispatch/approval.h"

namespace sportello::dispatch {
namespace {

bool Blank(const std::string& s) { return absl::StripAsciiWhitespace(s).empty(); }

}  // namespace

std::optional<absl::CivilDay> ParseDay(std::string_view s) {
  int y = 0, m = 0, d = 0;
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  std::string text(s);
  if (!absl::SimpleAtoi(text.substr(0, 4), &y) || !absl::SimpleAtoi(text.substr(5, 2), &m) ||
      !absl::SimpleAtoi(text.substr(8, 2), &d)) {
    return std::nullopt;
  }
  absl::CivilDay day(y, m, d);
  if (day.year() != y || day.month() != m || day.day() != d) return std::nullopt;  // 2027-02-30
  return day;
}

std::string FormatDay(absl::CivilDay d) { return absl::StrFormat("%04d-%02d-%02d", d.year(), d.month(), d.day()); }

absl::Status CheckCampaign(const Campaign& c) {
  std::vector<FieldViolation> v;
  if (Blank(c.name) || CodePoints(c.name) > 200) v.push_back({"campaign.name", "indicare il nome (al più 200 caratteri)"});
  if (Blank(c.objective)) v.push_back({"campaign.objective", "indicare l'obiettivo della campagna"});
  if (c.objective.size() > 4000) v.push_back({"campaign.objective", "l'obiettivo supera 4000 byte"});
  if (c.audience.size() > 1000) v.push_back({"campaign.audience", "il pubblico supera 1000 byte"});
  if (c.start.year() < 2000 || c.start.year() > 2100) {
    v.push_back({"campaign.start_date", "indicare una data AAAA-MM-GG tra il 2000 e il 2100"});
  }
  if (c.end < c.start) v.push_back({"campaign.end_date", "la fine del periodo precede l'inizio"});
  if (c.end - c.start > 366) v.push_back({"campaign.end_date", "una campagna del piano annuale dura al più un anno"});
  if (c.channels.empty()) v.push_back({"campaign.channels", "indicare almeno un canale"});
  for (size_t i = 0; i < c.channels.size(); ++i) {
    if (std::find(c.channels.begin(), c.channels.begin() + i, c.channels[i]) != c.channels.begin() + i) {
      v.push_back({absl::StrCat("campaign.channels[", i, "]"), "canale ripetuto"});
    }
  }
  if (Blank(c.owner_office)) v.push_back({"campaign.owner_office", "indicare l'ufficio responsabile"});
  if (!v.empty()) return InvalidArgument(std::move(v));
  return absl::OkStatus();
}

absl::Status CheckPolicy(const PolicyVersion& p) {
  std::vector<FieldViolation> v;
  if (Blank(p.title) || CodePoints(p.title) > 200) v.push_back({"policy.title", "indicare il titolo (al più 200 caratteri)"});
  if (Blank(p.text)) v.push_back({"policy.text", "il testo della policy è obbligatorio"});
  if (p.text.size() > 200000) v.push_back({"policy.text", "il testo supera 200000 byte"});
  if (!ValidUtf8(p.text) || !ValidUtf8(p.title)) v.push_back({"policy.text", "testo non in UTF-8"});
  if (!v.empty()) return InvalidArgument(std::move(v));
  return absl::OkStatus();
}

absl::Status CheckCalendarWindow(absl::Time from, absl::Time to) {
  if (to <= from) return InvalidArgument({{"to_time", "la fine dell'intervallo deve seguire l'inizio"}});
  if (to - from > kMaxCalendarWindow) return InvalidArgument({{"to_time", "l'intervallo supera 400 giorni"}});
  return absl::OkStatus();
}

std::string CalendarState(const Message& m, absl::Time now) {
  switch (m.state) {
    case MessageState::kApproved:
      return m.published_at && *m.published_at <= now ? "published" : "scheduled";
    case MessageState::kHeld: return "held";
    case MessageState::kSubmitted: return "submitted";
    case MessageState::kDraft: return "draft";
    case MessageState::kWithdrawn: return "withdrawn";
  }
  return "draft";
}

std::string IncomingEvent::Field(std::string_view key) const {
  for (const auto& [k, v] : data) {
    if (k == key) return v;
  }
  return "";
}

std::optional<Message> DraftFromEvent(const IncomingEvent& e, const std::vector<std::string>& feed_ids,
                                      std::string_view public_base_url, absl::Time now) {
  Message m;
  m.tenant = e.tenant;
  m.account_ids = feed_ids;
  std::string base(public_base_url);
  while (!base.empty() && base.back() == '/') base.pop_back();
  if (e.source == "opendata" && e.type == "dataset.published") {
    std::string id = e.Field("dataset_id").empty() ? e.subject : e.Field("dataset_id");
    std::string title = e.Field("title").empty() ? id : e.Field("title");
    m.title = title.empty() ? "Nuovi dati aperti pubblicati" : "Nuovi dati aperti: " + title;
    m.text = absl::StrCat("È disponibile ", e.Field("version").empty() ? "un nuovo" : "la versione " + e.Field("version") + " del",
                          " dataset", title.empty() ? "" : " «" + title + "»",
                          " nel catalogo dei dati aperti, scaricabile liberamente in CSV e JSON.");
    if (!base.empty() && !id.empty()) m.link = absl::StrCat(base, "/api/v1/datasets/", id);
  } else if (e.source == "catalogue" && e.type == "office.closed") {
    std::string office = e.Field("office_name");
    std::optional<absl::CivilDay> day = ParseDay(e.Field("date"));
    if (!day) return std::nullopt;
    std::string reason = e.Field("reason");
    m.title = absl::StrCat("Chiusura straordinaria: ", office.empty() ? "ufficio" : office);
    m.text = absl::StrFormat("Il giorno %02d/%02d/%04d %s resterà chiuso al pubblico%s.", day->day(), day->month(),
                             day->year(), office.empty() ? "l'ufficio" : office,
                             reason.empty() ? "" : " (" + reason + ")");
    if (!base.empty() && !e.Field("office_id").empty()) {
      m.link = absl::StrCat(base, "/api/v1/offices/", e.Field("office_id"));
    }
  } else {
    return std::nullopt;
  }
  m.origin = absl::StrCat(e.source, ":", e.type, ":", e.id);
  Create(m, Actor{"sistema", true, false}, now);
  m.history.back().note = absl::StrCat("bozza da evento ", e.source, " ", e.type, " ", e.id);
  return m;
}

}  // namespace sportello::dispatch
