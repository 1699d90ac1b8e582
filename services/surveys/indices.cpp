#include "services/surveys/indices.h"

#include <algorithm>
#include <cmath>
#include <map>

#include "absl/time/civil_time.h"
#include "services/surveys/rules.h"

namespace sportello::surveys {
namespace {

std::string KeyOf(Grouping g, absl::Time time, const std::string& service, const std::string& office, Channel channel,
                  const absl::TimeZone& zone) {
  switch (g) {
    case Grouping::kNone: return "";
    case Grouping::kMonth: return absl::FormatCivilTime(absl::ToCivilMonth(time, zone));
    case Grouping::kService: return service.empty() ? "-" : service;
    case Grouping::kOffice: return office.empty() ? "-" : office;
    case Grouping::kChannel: return channel == Channel::kUnspecified ? "-" : std::string(ChannelName(channel));
  }
  return "";
}

// Running figures of one cell.
struct Acc {
  int64_t responses = 0;
  std::vector<int> values;
  int64_t invitations = 0, answered = 0;
};

IndexCell Finish(const std::string& key, const Acc& a, const IndexOptions& o) {
  IndexCell c;
  c.key = key;
  c.responses = a.responses;
  c.headline_n = static_cast<int64_t>(a.values.size());
  if (!a.values.empty()) {
    double n = static_cast<double>(a.values.size()), sum = 0;
    int64_t top = 0, promoters = 0, detractors = 0;
    // Three values (the faces): the top box is the top value; wider scales: the top two.
    int top_from = o.scale_max - o.scale_min <= 2 ? o.scale_max : o.scale_max - 1;
    for (int v : a.values) {
      sum += v;
      if (v >= top_from) ++top;
      if (v >= 9) ++promoters;
      if (v <= 6) ++detractors;
    }
    double mean = sum / n;
    c.mean = mean;
    if (a.values.size() >= 2) {
      double ss = 0;
      for (int v : a.values) ss += (v - mean) * (v - mean);
      double half = TQuantile975(static_cast<int64_t>(a.values.size()) - 1) * std::sqrt(ss / (n - 1)) / std::sqrt(n);
      c.ci_low = mean - half;
      c.ci_high = mean + half;
    }
    c.top_box = static_cast<double>(top) / n;
    if (o.scale_min == 0 && o.scale_max == 10) c.nps = 100.0 * static_cast<double>(promoters - detractors) / n;
  }
  if (o.invitation) {
    c.invitations = a.invitations;
    if (a.invitations > 0) c.response_rate = static_cast<double>(a.answered) / static_cast<double>(a.invitations);
  }
  return c;
}

void Blank(IndexCell& c) {
  std::string key = c.key;
  c = IndexCell{};
  c.key = std::move(key);
  c.suppressed = true;
}

}  // namespace

double TQuantile975(int64_t df) {
  static constexpr double kTable[] = {12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
                                      2.201,  2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
                                      2.080,  2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042};
  if (df < 1) return 0;
  if (df <= 30) return kTable[df - 1];
  if (df < 40) return 2.042;
  if (df < 60) return 2.021;
  if (df < 120) return 2.000;
  if (df < 1000) return 1.980;
  return 1.960;
}

IndexTable ComputeIndices(const std::vector<ResponseFacts>& responses, const std::vector<InvitationFacts>& invitations,
                          Grouping grouping, const IndexOptions& o) {
  Acc total;
  std::map<std::string, Acc> groups;
  for (const auto& r : responses) {
    Acc& g = groups[KeyOf(grouping, r.time, r.service_id, r.office_id, r.channel, o.zone)];
    for (Acc* a : {&total, &g}) {
      ++a->responses;
      if (r.headline) a->values.push_back(*r.headline);
    }
  }
  if (o.invitation) {
    for (const auto& i : invitations) {
      Acc& g = groups[KeyOf(grouping, i.time, i.service_id, i.office_id, i.channel, o.zone)];
      for (Acc* a : {&total, &g}) {
        ++a->invitations;
        if (i.answered) ++a->answered;
      }
    }
  }
  IndexTable table;
  table.total = Finish("", total, o);
  if (grouping != Grouping::kNone) {
    for (const auto& [key, acc] : groups) table.groups.push_back(Finish(key, acc, o));
  }
  Suppress(table, o.threshold);
  return table;
}

void Suppress(IndexTable& t, int threshold) {
  auto primary = [&](IndexCell& c) {
    if (c.responses < threshold) Blank(c);
  };
  primary(t.total);
  int suppressed = 0;
  for (auto& g : t.groups) {
    primary(g);
    if (g.suppressed) ++suppressed;
  }
  // A shown total with exactly one suppressed part: the total minus the
  // shown parts would give it back, so one more part goes.
  if (!t.total.suppressed && suppressed == 1) {
    IndexCell* smallest = nullptr;
    for (auto& g : t.groups) {
      if (!g.suppressed && (smallest == nullptr || g.responses < smallest->responses)) smallest = &g;
    }
    if (smallest != nullptr) Blank(*smallest);
  }
}

std::vector<QuestionResult> ComputeResults(const Survey& s, const std::vector<std::vector<Answer>>& responses,
                                           int threshold) {
  std::vector<QuestionResult> out(s.questions.size());
  std::vector<std::vector<int64_t>> counts(s.questions.size());
  std::vector<double> sums(s.questions.size(), 0);
  for (size_t j = 0; j < s.questions.size(); ++j) {
    const Question& q = s.questions[j];
    out[j].question = q.code;
    counts[j].assign(q.type == QuestionType::kScale ? q.scale_max - q.scale_min + 1 : q.options.size(), 0);
  }
  for (const auto& answers : responses) {
    std::vector<bool> shown = ShownQuestions(s, answers);
    for (size_t j = 0; j < s.questions.size(); ++j) {
      if (!shown[j]) continue;
      const Question& q = s.questions[j];
      ++out[j].shown;
      const Answer* a = nullptr;
      for (const auto& x : answers) {
        if (x.question == q.code) a = &x;
      }
      if (a == nullptr) continue;
      ++out[j].answered;
      if (q.type == QuestionType::kScale && a->value && *a->value >= q.scale_min && *a->value <= q.scale_max) {
        ++counts[j][*a->value - q.scale_min];
        sums[j] += *a->value;
      }
      for (const auto& c : a->choices) {
        for (size_t k = 0; k < q.options.size(); ++k) {
          if (q.options[k].code == c) ++counts[j][k];
        }
      }
    }
  }
  for (size_t j = 0; j < s.questions.size(); ++j) {
    QuestionResult& r = out[j];
    const Question& q = s.questions[j];
    if (r.shown < threshold) {
      r = QuestionResult{};
      r.question = q.code;
      r.suppressed = true;
      continue;
    }
    for (size_t k = 0; k < counts[j].size(); ++k) {
      std::string code = q.type == QuestionType::kScale ? std::to_string(q.scale_min + static_cast<int>(k))
                                                        : q.options[k].code;
      r.options.push_back({code, counts[j][k], static_cast<double>(counts[j][k]) / static_cast<double>(r.shown)});
    }
    if (q.type == QuestionType::kScale && r.answered > 0) r.mean = sums[j] / static_cast<double>(r.answered);
  }
  return out;
}

}  // namespace sportello::surveys
