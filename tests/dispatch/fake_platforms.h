#pragma once
// Starts tests/dispatch/fake_platforms.py (loopback Telegram-, Mastodon-
// and webhook-shaped HTTP servers and a real SMTP server) for one test and
// stops it when destroyed (closing its stdin). Its log tells what each
// platform received.
#include <cstdio>
#include <fstream>
#include <string>

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include "tests/support/http_client.h"
#include "tests/support/poll.h"
#include "tests/support/test_env.h"

namespace sportello::testing {

inline constexpr const char* kTelegramToken = "123456:TEST-telegram-token";
inline constexpr const char* kMastodonToken = "mastodon-test-token";
// base64 of "webhook-test-secret-32-bytes!!!!"
inline constexpr const char* kWebhookSecret = "whsec_d2ViaG9vay10ZXN0LXNlY3JldC0zMi1ieXRlcyEhISE=";

class FakePlatforms {
 public:
  explicit FakePlatforms(const std::string& extra_args = "") {
    ports_file_ = "/tmp/" + UniqueName("dispatch_fakes_") + ".ports";
    std::string cmd = std::string("/usr/bin/python3 ")  // Debian's, with python3-aiosmtpd
                      + SPORTELLO_SOURCE_DIR + "/tests/dispatch/fake_platforms.py " +
                      ports_file_ + " " + extra_args;
    pipe_ = popen(cmd.c_str(), "w");
    REQUIRE(pipe_ != nullptr);
    bool ready = PollUntil([&] {
      std::ifstream in(ports_file_);
      return static_cast<bool>(in >> http_port_ >> smtp_port_);
    }, absl::Seconds(20));
    INFO("fake_platforms.py did not start (python3-aiosmtpd installed?)");
    REQUIRE(ready);
  }
  ~FakePlatforms() {
    if (pipe_) pclose(pipe_);
    std::remove(ports_file_.c_str());
  }

  std::string HttpBase() const { return "http://127.0.0.1:" + std::to_string(http_port_); }
  std::string SmtpUrl() const { return "smtp://127.0.0.1:" + std::to_string(smtp_port_); }

  boost::json::object Log() const {
    HttpReply r = Fetch(HttpBase(), "GET", "/_log");
    REQUIRE(r.status == 200);
    return boost::json::parse(r.body).as_object();
  }
  size_t Count(const char* platform) const { return Log().at(platform).as_array().size(); }

  // The next answers of the platform whose paths start with `prefix`.
  void Script(const std::string& prefix, const std::vector<int>& statuses) {
    boost::json::array a;
    for (int s : statuses) a.push_back(s);
    HttpReply r = Fetch(HttpBase(), "POST", "/_script", boost::json::serialize(boost::json::object{{prefix, a}}),
                        {{"Content-Type", "application/json"}});
    REQUIRE(r.status == 200);
  }

 private:
  std::string ports_file_;
  FILE* pipe_ = nullptr;
  int http_port_ = 0, smtp_port_ = 0;
};

}  // namespace sportello::testing
