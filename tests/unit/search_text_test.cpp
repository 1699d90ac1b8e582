#include "services/catalogue/search_text.h"

#include <catch2/catch.hpp>

using namespace sportello::catalogue;

TEST_CASE("typo distance counts a swap of neighbours as one edit", "[search]") {
  struct Case {
    const char* a;
    const char* b;
    int distance;
  };
  const Case cases[] = {
      {"anagrafe", "anagrafe", 0},
      {"anagrafe", "anagarfe", 1},  // swap r/a
      {"anagrafe", "naagrafe", 1},  // swap at the start
      {"anagrafe", "anagraef", 1},  // swap at the end
      {"anagrafe", "anagrafi", 1},  // substitution
      {"anagrafe", "anagrae", 1},   // deletion
      {"anagrafe", "anagraffe", 1}, // insertion
      {"anagrafe", "anagarfi", 2},  // swap and substitution
      {"anagrafe", "naagarfe", 2},  // two swaps
      {"ca", "abc", 3},             // OSA, not unrestricted Damerau (which says 2)
      {"", "abc", 3},
      {"abc", "", 3},
      {"", "", 0},
  };
  for (const Case& c : cases) {
    INFO(c.a << " / " << c.b);
    CHECK(TypoDistance(c.a, c.b) == c.distance);
    CHECK(TypoDistance(c.b, c.a) == c.distance);
  }
}

TEST_CASE("a misspelt word is corrected to the known word one typo away", "[search]") {
  const std::vector<WordCandidate> vocabulary = {{"anagrafe", 0.4}, {"anagrafi", 0.5}, {"angrafe", 0.3}};
  CHECK(CorrectWord("anagarfe", false, {{"anagrafe", 0.4}}) == "anagrafe");
  CHECK(CorrectWord("anagrafx", false, {{"anagrafe", 0.6}}) == "anagrafe");
  CHECK(CorrectWord("anagrafe", true, {{"anagrafi", 0.9}}) == "anagrafe");  // known words stay
  CHECK(CorrectWord("anagarfx", false, {{"anagrafe", 0.2}}) == "anagarfx"); // two typos: no correction
  CHECK(CorrectWord("cas", false, {{"casa", 0.5}}) == "cas");               // too short to correct
  CHECK(CorrectWord("xyzzy", false, {}) == "xyzzy");
  // Ties at one typo: the most similar, then the first alphabetically.
  CHECK(CorrectWord("anagrafo", false, vocabulary) == "anagrafi");
  CHECK(CorrectWord("anagrafo", false, {{"anagrafi", 0.5}, {"anagrafe", 0.5}}) == "anagrafe");
}
