#include "common/crypto.h"

#include <catch2/catch.hpp>
#include <string>
#include <thread>
#include <utility>
#include <vector>

TEST_CASE("SHA-256 in hex matches the FIPS 180-2 vectors", "[crypto]") {
  CHECK(sportello::Sha256Hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(sportello::Sha256Hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(sportello::Sha256Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST_CASE("SHA-256 in hex can be cut to its first digits (ETags)", "[crypto]") {
  CHECK(sportello::Sha256Hex("abc", 32) == "ba7816bf8f01cfea414140de5dae2223");
  CHECK(sportello::Sha256Hex("abc", 0).empty());
  CHECK(sportello::Sha256Hex("abc", 1000).size() == 64);
}

TEST_CASE("SHA-256 gives the right digests from many threads at once", "[crypto]") {
  // Each thread keeps its own digest context: none may see another's input.
  const std::vector<std::pair<std::string, std::string>> vectors = {
      {"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
      {"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
  };
  std::vector<int> wrong(8, 0);
  std::vector<std::thread> threads;
  for (size_t t = 0; t < wrong.size(); ++t) {
    threads.emplace_back([t, &vectors, &wrong] {
      for (size_t i = 0; i < 5000; ++i) {
        const auto& [input, digest] = vectors[(i + t) % vectors.size()];
        if (sportello::Sha256Hex(input) != digest) ++wrong[t];
      }
    });
  }
  for (auto& th : threads) th.join();
  for (int w : wrong) CHECK(w == 0);
}
