// Surveys restarted between a request's closing and the delivery of its
// request.closed: complaints' relay keeps the event and retries, and the
// restarted surveys makes exactly one invitation, answered once.
//
// The test runs the stack's own sportello-surveys binary (SPORTELLO_TEST_BIN_DIR)
// on the address that ./sportello test subscribes to complaints as
// `surveys_restart` (SPORTELLO_TEST_SURVEYS_SPARE_ADDR), with the stack's
// settings but a database of its own, so no other consumer of the events
// shares its tables and every invitation there came through this delivery.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <grpcpp/grpcpp.h>

#include <cstdlib>
#include <fstream>
#include <pqxx/pqxx>
#include <sstream>

#include <boost/json.hpp>

#include <catch2/catch.hpp>

#include "sportello/v1/surveys.grpc.pb.h"
#include "tests/support/http_client.h"
#include "tests/support/processes.h"
#include "tests/support/poll.h"
#include "tests/support/sandbox.h"
#include "tests/support/test_env.h"

namespace json = boost::json;
namespace v1 = sportello::v1;
using namespace sportello::testing;

namespace {

// `url` with its database name replaced by `database`.
std::string WithDatabase(const std::string& url, const std::string& database) {
  size_t scheme = url.find("://");
  size_t slash = url.find('/', scheme == std::string::npos ? 0 : scheme + 3);
  if (slash == std::string::npos) return url + "/" + database;
  size_t query = url.find('?', slash);
  return url.substr(0, slash + 1) + database + (query == std::string::npos ? "" : url.substr(query));
}

// A database of the test's own on the test PostgreSQL, dropped at the end.
class OwnDatabase {
 public:
  OwnDatabase() : name_(UniqueName("sportello_restart_")), admin_url_(RequireEnv("SPORTELLO_TEST_PG_URL")) {
    pqxx::connection c(admin_url_);
    pqxx::nontransaction tx(c);
    tx.exec0("CREATE DATABASE " + tx.quote_name(name_));
  }
  ~OwnDatabase() {
    try {
      pqxx::connection c(admin_url_);
      pqxx::nontransaction tx(c);
      tx.exec0("DROP DATABASE IF EXISTS " + tx.quote_name(name_) + " WITH (FORCE)");
    } catch (const std::exception& e) {
      UNSCOPED_INFO("could not drop " << name_ << ": " << e.what());
    }
  }
  std::string url() const { return WithDatabase(admin_url_, name_); }

  long long Count(const std::string& sql, const std::string& arg) const {
    pqxx::connection c(url());
    pqxx::read_transaction tx(c);
    return tx.exec_params1(sql, arg)[0].as<long long>();
  }

 private:
  std::string name_, admin_url_;
};

// sportello-surveys as a child process, logging to `log_path`.
class SurveysProcess {
 public:
  SurveysProcess(std::vector<std::string> env, std::string log_path)
      : env_(std::move(env)), log_path_(std::move(log_path)) {}
  ~SurveysProcess() { Stop(); }

  void Start() {
    REQUIRE(pid_ <= 0);
    std::string bin = RequireEnv("SPORTELLO_TEST_BIN_DIR") + "/sportello-surveys";
    // The test's environment (the JWT secret among it) with ours over it,
    // built before fork: the child only calls async-signal-safe functions.
    std::vector<std::string> env = env_;
    for (char** e = environ; *e != nullptr; ++e) {
      std::string kv(*e);
      std::string key = kv.substr(0, kv.find('=') + 1);
      bool overridden = false;
      for (const auto& ours : env_) overridden = overridden || ours.rfind(key, 0) == 0;
      if (!overridden) env.push_back(kv);
    }
    std::vector<char*> envp;
    for (auto& kv : env) envp.push_back(kv.data());
    envp.push_back(nullptr);
    char* argv[] = {bin.data(), nullptr};
    int out = open(log_path_.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
    REQUIRE(out >= 0);
    pid_ = fork();
    REQUIRE(pid_ >= 0);
    if (pid_ == 0) {
      dup2(out, 1);
      dup2(out, 2);
      execve(bin.c_str(), argv, envp.data());
      _exit(127);
    }
    close(out);
  }
  // SIGTERM: the graceful shutdown a deployment does; waits for the exit.
  void Stop() {
    if (pid_ <= 0) return;
    kill(pid_, SIGTERM);
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
  }
  bool Running() const { return pid_ > 0 && waitpid(pid_, nullptr, WNOHANG) == 0; }

 private:
  std::vector<std::string> env_;
  std::string log_path_;
  pid_t pid_ = -1;
};

struct Closed {
  std::string number, tracking;
};

// A report in the sandbox, resolved and closed through the gateway.
Closed CloseReport(const Sandbox& box, const std::string& description) {
  HttpReply r = Fetch(GatewayUrl(), "POST", box.Path("/requests"), json::serialize(box.Report(description)));
  INFO(r.body);
  REQUIRE(r.status == 200);
  json::object submitted = json::parse(r.body).as_object();
  Closed c{std::string(submitted.at("request").as_object().at("number").as_string()),
           std::string(submitted.at("tracking_token").as_string())};
  for (const char* to : {"REQUEST_STATUS_RESOLVED", "REQUEST_STATUS_CLOSED"}) {
    HttpReply t = Fetch(GatewayUrl(), "POST", "/api/v1/requests/" + c.number + ":transition",
                        json::serialize(json::object{{"to", to}, {"note", "chiusa"}, {"public_note", true}}),
                        {{"Authorization", "Bearer " + box.operator_token}});
    INFO(t.body);
    REQUIRE(t.status == 200);
  }
  return c;
}

grpc::Status GetRequestSurvey(v1::SurveysService::Stub& stub, const Closed& c, v1::InvitationView* view) {
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
  v1::GetRequestSurveyRequest req;
  req.set_number(c.number);
  req.set_token(c.tracking);
  return stub.GetRequestSurvey(&ctx, req, view);
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

TEST_CASE("surveys restarted between the close and the delivery: exactly one invitation", "[e2e][surveys]") {
  const std::string addr = RequireEnv("SPORTELLO_TEST_SURVEYS_SPARE_ADDR");
  Sandbox box;
  OwnDatabase db;
  char log_dir[] = "/tmp/surveys_restart_XXXXXX";
  REQUIRE(mkdtemp(log_dir) != nullptr);
  const std::string log_path = std::string(log_dir) + "/surveys.log";
  SurveysProcess surveys({"SPORTELLO_PG_URL=" + db.url(), "SPORTELLO_REDIS_URL=" + RequireEnv("SPORTELLO_TEST_REDIS_URL"),
                          "SPORTELLO_SURVEYS_ADDR=" + addr,
                          "SPORTELLO_SURVEYS_METRICS_ADDR=127.0.0.1:" + std::to_string(FreePort()),
                          "SPORTELLO_CATALOGUE_ADDR=" + RequireEnv("SPORTELLO_TEST_CATALOGUE_ADDR"),
                          "SPORTELLO_COMPLAINTS_ADDR=" + RequireEnv("SPORTELLO_TEST_COMPLAINTS_ADDR"),
                          "SPORTELLO_SURVEYS_SUBSCRIBERS=", "SPORTELLO_DEMO_DATA=false"},
                         log_path);
  auto stub = v1::SurveysService::NewStub(grpc::CreateChannel(addr, grpc::InsecureChannelCredentials()));
  const std::string kInvitationsOf = "SELECT count(*) FROM surveys.invitations WHERE request_number = $1";

  // 1. Surveys up: a first closed request reaches it. (The relay may have
  //    backed off from this address for a while: gRPC reconnects within
  //    two minutes at most.)
  surveys.Start();
  Closed first = CloseReport(box, "Buca prima del riavvio");
  v1::InvitationView view;
  REQUIRE(PollUntil([&] { return GetRequestSurvey(*stub, first, &view).ok(); }, absl::Seconds(150),
                    absl::Milliseconds(250)));
  REQUIRE(surveys.Running());

  // 2. Surveys stops; a second request is closed meanwhile. The stack's own
  //    surveys has it (the event exists and is being relayed); ours cannot.
  surveys.Stop();
  Closed second = CloseReport(box, "Buca durante il riavvio");
  REQUIRE(PollUntil(
      [&] {
        return Fetch(GatewayUrl(), "GET", "/api/v1/request-surveys/" + second.number + "?token=" + second.tracking)
                   .status == 200;
      },
      absl::Seconds(30), absl::Milliseconds(200)));
  CHECK(db.Count(kInvitationsOf, second.number) == 0);

  // 3. Surveys starts again: the relay delivers from its cursor.
  surveys.Start();
  REQUIRE(PollUntil([&] { return GetRequestSurvey(*stub, second, &view).ok(); }, absl::Seconds(120),
                    absl::Milliseconds(250)));
  CHECK_FALSE(view.answered());
  CHECK(view.survey().template_() == v1::SURVEY_TEMPLATE_POST_RESOLUTION);
  CHECK(db.Count(kInvitationsOf, second.number) == 1);
  CHECK(db.Count(kInvitationsOf, first.number) == 1);

  // Answered once; the second answer is refused.
  const std::string comment = UniqueName("Il tecnico Rossi ");
  v1::SubmitResponseRequest answer;
  answer.set_id(view.survey().id());
  answer.set_number(second.number);
  answer.set_tracking_token(second.tracking);
  auto* solved = answer.add_answers();
  solved->set_question("solved");
  solved->add_choices("yes");
  auto* handling = answer.add_answers();
  handling->set_question("handling");
  handling->set_value(5);
  auto* text = answer.add_answers();
  text->set_question("comment");
  text->set_text(comment);
  for (grpc::StatusCode expected : {grpc::StatusCode::OK, grpc::StatusCode::ALREADY_EXISTS}) {
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
    v1::SubmitResponseResponse out;
    grpc::Status s = stub->SubmitResponse(&ctx, answer, &out);
    INFO(s.error_message());
    CHECK(s.error_code() == expected);
  }
  REQUIRE(GetRequestSurvey(*stub, second, &view).ok());
  CHECK(view.answered());
  CHECK(db.Count(kInvitationsOf, second.number) == 1);
  CHECK(db.Count("SELECT count(*) FROM surveys.responses r JOIN surveys.invitations i ON i.id = r.invitation_id "
                 "WHERE i.request_number = $1",
                 second.number) == 1);
  surveys.Stop();

  // Its log names neither the comment nor a tracking token.
  std::string logged = ReadFile(log_path);
  CHECK_FALSE(logged.empty());
  CHECK(logged.find(comment) == std::string::npos);
  CHECK(logged.find(first.tracking) == std::string::npos);
  CHECK(logged.find(second.tracking) == std::string::npos);
  std::remove(log_path.c_str());
  rmdir(log_dir);
}
