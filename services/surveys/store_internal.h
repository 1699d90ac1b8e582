#pragma once
// What the surveys' store files share (SQL side only: included by
// store.cpp and consultation_store.cpp, never by a header).
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/db/pool.h"
#include "common/db/sql_time.h"  // times travel as micro-seconds since the epoch both ways
#include "services/surveys/model.h"

namespace sportello::surveys {

// Open-ended periods (absl::InfinitePast/Future) become the epoch and the year 3000.
long long Micros(absl::Time t);

// True for the canonical 8-4-4-4-12 hex form; anything else cannot name a row.
bool LooksLikeUuid(const std::string& s);

// Inserts a survey and its first version in `tx`; the stored survey.
absl::StatusOr<Survey> InsertSurvey(pqxx::work& tx, const Survey& s, absl::Time now);

}  // namespace sportello::surveys
