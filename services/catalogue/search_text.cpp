#include "services/catalogue/search_text.h"

#include <algorithm>

namespace sportello::catalogue {

int TypoDistance(std::string_view a, std::string_view b) {
  const size_t n = a.size(), m = b.size();
  // Three rows of the dynamic programme: i - 2, i - 1 and i.
  std::vector<int> before(m + 1), previous(m + 1), current(m + 1);
  for (size_t j = 0; j <= m; ++j) previous[j] = static_cast<int>(j);
  for (size_t i = 1; i <= n; ++i) {
    current[0] = static_cast<int>(i);
    for (size_t j = 1; j <= m; ++j) {
      int cost = a[i - 1] == b[j - 1] ? 0 : 1;
      current[j] = std::min({previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        current[j] = std::min(current[j], before[j - 2] + 1);
      }
    }
    std::swap(before, previous);
    std::swap(previous, current);
  }
  return previous[m];
}

std::string CorrectWord(std::string_view word, bool known, const std::vector<WordCandidate>& candidates) {
  if (known || word.size() < kMinCorrectedWordLength) return std::string(word);
  const WordCandidate* best = nullptr;
  for (const WordCandidate& c : candidates) {
    if (c.word == word || TypoDistance(c.word, word) != 1) continue;
    if (!best || c.similarity > best->similarity || (c.similarity == best->similarity && c.word < best->word)) {
      best = &c;
    }
  }
  return best ? best->word : std::string(word);
}

}  // namespace sportello::catalogue
