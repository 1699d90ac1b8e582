#pragma once
// The satisfaction indices, pure domain code:
//   mean of the headline with its 95% interval (Student's t), top-box share
//   (4-5 of 1-5; green of the three faces; 9-10 of 0-10), NPS (promoters 9-10
//   minus detractors 0-6, -100..100, for 0..10 scales), response rate
//   (answered / invitations, invitation surveys), and per question the
//   distribution of choices among those shown the question;
// each with its n, as a total and by month (Europe/Rome), service, office or
// channel; and small-n suppression:
//   primary: a cell with fewer than `threshold` responses shows nothing
//     (not even n);
//   secondary: when a shown total has exactly one suppressed part, the
//     smallest shown part is suppressed too, so total minus the others never
//     gives the suppressed one back.
//
//   IndexTable t = ComputeIndices(responses, invitations, Grouping::kMonth,
//                                 {.scale_min = 1, .scale_max = 5, .zone = rome});
//   t.total.mean, t.groups[0].key == "2026-03", t.groups[0].suppressed ...
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "services/surveys/model.h"

namespace sportello::surveys {

inline constexpr int kDefaultSuppressionThreshold = 10;

enum class Grouping { kNone, kMonth, kService, kOffice, kChannel };

struct IndexOptions {
  int scale_min = 1, scale_max = 5;  // of the headline question
  bool invitation = false;           // response rate only for invitation surveys
  int threshold = kDefaultSuppressionThreshold;
  absl::TimeZone zone = absl::UTCTimeZone();  // months in the administration's time: Europe/Rome
};

// One cell: the total (key "") or one group ("2026-03", an office id, "web";
// responses without a service or office form the group "-").
struct IndexCell {
  std::string key;
  bool suppressed = false;  // when true, every figure below is empty/zero
  int64_t responses = 0;    // n
  int64_t headline_n = 0;   // responses with a headline answer
  std::optional<double> mean, ci_low, ci_high;
  std::optional<double> top_box;  // share 0..1
  std::optional<double> nps;      // -100..100
  int64_t invitations = 0;
  std::optional<double> response_rate;  // 0..1
};

struct IndexTable {
  IndexCell total;
  std::vector<IndexCell> groups;  // sorted by key
};

// Figures before suppression, then Suppress(table, options.threshold).
IndexTable ComputeIndices(const std::vector<ResponseFacts>& responses, const std::vector<InvitationFacts>& invitations,
                          Grouping grouping, const IndexOptions& options);

// Applies the primary and the secondary rule in place.
void Suppress(IndexTable& table, int threshold);

// The two-sided 95% quantile of Student's t with `df` degrees of freedom
// (tabulated; between table rows the smaller df, so never too narrow).
double TQuantile975(int64_t df);

// Per-question results of one version of a survey. `responses` are the
// answers of each response (text answers carry no text: only that one was
// given). Suppressed when fewer than `threshold` respondents were shown it.
struct OptionCount {
  std::string code;
  int64_t count = 0;
  double share = 0;  // of those shown the question
};

struct QuestionResult {
  std::string question;
  bool suppressed = false;
  int64_t shown = 0;     // respondents shown the question (n)
  int64_t answered = 0;  // of them, how many answered (for text: how many wrote something)
  std::vector<OptionCount> options;  // choices; for scales one per value, code "1".."5"
  std::optional<double> mean;        // scales
};

std::vector<QuestionResult> ComputeResults(const Survey& survey, const std::vector<std::vector<Answer>>& responses,
                                           int threshold);

}  // namespace sportello::surveys
