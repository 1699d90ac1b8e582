#include "common/page_token.h"

#include <catch2/catch.hpp>

#include "common/status.h"

TEST_CASE("page tokens round-trip the keyset", "[page]") {
  std::vector<std::string> key = {"c_f027", "2026-11-24T10:00:00Z", ""};
  std::string token = sportello::EncodePageToken(key);
  CHECK(token.find('/') == std::string::npos);  // URL-safe
  CHECK(token.find('+') == std::string::npos);
  auto decoded = sportello::DecodePageToken(token);
  REQUIRE(decoded.ok());
  CHECK(*decoded == key);
}

TEST_CASE("an empty token is the first page", "[page]") {
  auto decoded = sportello::DecodePageToken("");
  REQUIRE(decoded.ok());
  CHECK(decoded->empty());
}

// Found by fuzz_page_token on the empty input (tests/fuzz/regressions/
// fuzz_page_token/): "" decoded to the empty key, which encoded to "p1\x1f"
// in base64 and decoded back as {""}, a key with one empty column.
TEST_CASE("the empty key and the empty token round-trip as the first page", "[page][fuzz]") {
  CHECK(sportello::EncodePageToken({}).empty());
  auto first = sportello::DecodePageToken(sportello::EncodePageToken({}));
  REQUIRE(first.ok());
  CHECK(first->empty());
  for (std::vector<std::string> key : {std::vector<std::string>{""}, {"", ""}, {"a"}, {"a", ""}}) {
    auto decoded = sportello::DecodePageToken(sportello::EncodePageToken(key));
    REQUIRE(decoded.ok());
    CHECK(*decoded == key);
  }
}

TEST_CASE("a forged or garbled token is INVALID_ARGUMENT", "[page]") {
  for (const char* bad : {"!!!", "aGVsbG8", "cDI", "%%%%"}) {
    INFO(bad);
    auto decoded = sportello::DecodePageToken(bad);
    REQUIRE_FALSE(decoded.ok());
    CHECK(decoded.status().code() == absl::StatusCode::kInvalidArgument);
  }
}

TEST_CASE("a list's token must carry as many values as its key has", "[page]") {
  const std::string two = sportello::EncodePageToken({"2026-11-24", "id"});
  auto decoded = sportello::DecodePageToken(two, 2);
  REQUIRE(decoded.ok());
  CHECK(*decoded == std::vector<std::string>{"2026-11-24", "id"});
  auto first = sportello::DecodePageToken("", 2);
  REQUIRE(first.ok());
  CHECK(first->empty());
  // Another list's token, or a garbled one: the same error, naming page_token.
  for (const std::string& bad : {sportello::EncodePageToken({"x"}), sportello::EncodePageToken({"a", "b", "c"}),
                                 std::string("!!!")}) {
    INFO(bad);
    auto refused = sportello::DecodePageToken(bad, 2);
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.status() == sportello::InvalidPageToken());
    auto fields = sportello::FieldViolations(refused.status());
    REQUIRE(fields.size() == 1);
    CHECK(fields[0].field == "page_token");
  }
}

TEST_CASE("page sizes: default, cap, and negative refused", "[page]") {
  CHECK(*sportello::PageSize(0) == sportello::kDefaultPageSize);
  CHECK(*sportello::PageSize(7) == 7);
  CHECK(*sportello::PageSize(100000) == sportello::kMaxPageSize);
  CHECK(sportello::PageSize(-1).status().code() == absl::StatusCode::kInvalidArgument);
}
