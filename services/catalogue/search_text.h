#pragma once
// Typo tolerance of the catalogue search: which known word a misspelt query
// word stands for. Plain domain code: no gRPC, no SQL. The store hands it the
// candidates that the vocabulary's cheap prefilter let through.
//
//   CorrectWord("anagarfe", false, {{"anagrafe", 0.4}})  -> "anagrafe"  (swap)
//   CorrectWord("anagrafx", false, {{"anagrafe", 0.6}})  -> "anagrafe"  (substitution)
//   CorrectWord("anagarfx", false, {{"anagrafe", 0.2}})  -> "anagarfx"  (two typos: kept)
#include <string>
#include <string_view>
#include <vector>

namespace sportello::catalogue {

// Words shorter than this are never corrected: too many short words are one
// typo apart ("casa", "cosa").
inline constexpr size_t kMinCorrectedWordLength = 4;

// Optimal string alignment distance (restricted Damerau-Levenshtein): the
// fewest insertions, deletions, substitutions and swaps of two neighbouring
// characters that turn `a` into `b`, no substring edited twice. Byte-wise:
// the words it compares are unaccented lower-case ASCII.
int TypoDistance(std::string_view a, std::string_view b);

// A known word close to a query word, with its trigram similarity to it.
struct WordCandidate {
  std::string word;
  double similarity = 0;
};

// The word to search for `word`: itself when short or `known`; else the
// candidate one typo away (TypoDistance 1), the most similar by trigrams on
// ties, then the first in alphabetical order; else `word` itself.
std::string CorrectWord(std::string_view word, bool known, const std::vector<WordCandidate>& candidates);

}  // namespace sportello::catalogue
