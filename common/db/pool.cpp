#include "common/db/pool.h"

#include <thread>

#include "common/log.h"

namespace sportello::db {
namespace {

// A connection that cannot be opened in a few seconds is an outage, not a wait.
std::string WithConnectTimeout(std::string url) {
  if (url.find("connect_timeout") != std::string::npos) return url;
  return url + (url.find('?') == std::string::npos ? "?" : "&") + "connect_timeout=3";
}

absl::Status FromSqlError(const pqxx::sql_error& e) {
  const std::string state = e.sqlstate();
  if (state == "23505") return absl::AlreadyExistsError("already exists");
  if (state == "23503") return absl::FailedPreconditionError("a referenced record does not exist");
  if (state.rfind("22", 0) == 0 || state == "23502" || state == "23514") {
    return absl::InvalidArgumentError("invalid value");
  }
  if (state == "40001" || state == "40P01") return absl::AbortedError("concurrent update, retry");
  if (state == "57014") return absl::DeadlineExceededError("statement timed out");
  if (state.rfind("08", 0) == 0 || state == "57P01" || state == "57P02" || state == "57P03") {
    return absl::UnavailableError("database unavailable");
  }
  log::Error("sql error", {{"sqlstate", state}, {"error", std::string_view(e.what())},
                           {"query", std::string_view(e.query())}});
  return absl::InternalError("database error");
}

}  // namespace

Pool::Pool(std::string url, int size, absl::Duration acquire_timeout)
    : url_(WithConnectTimeout(std::move(url))), acquire_timeout_(acquire_timeout), slots_(size) {}

absl::Status Pool::Run(const std::function<absl::Status(pqxx::connection&)>& fn) {
  auto lease = slots_.Acquire(acquire_timeout_);
  if (!lease) return absl::UnavailableError("no database connection free");
  std::unique_ptr<pqxx::connection>& conn = lease->get();
  for (int attempt = 0; attempt < 2; ++attempt) {
    try {
      if (!conn || !conn->is_open()) {
        conn.reset();
        conn = std::make_unique<pqxx::connection>(url_);
      }
      return fn(*conn);
    } catch (const pqxx::in_doubt_error& e) {
      // The commit may or may not have happened: never run it again.
      conn.reset();
      log::Error("transaction in doubt", {{"error", std::string_view(e.what())}});
      return absl::UnavailableError("database connection lost during commit");
    } catch (const pqxx::broken_connection& e) {
      conn.reset();
      if (attempt == 1) {
        log::Warn("database unavailable", {{"error", std::string_view(e.what())}});
        return absl::UnavailableError("database unavailable");
      }
    } catch (const pqxx::sql_error& e) {
      absl::Status status = FromSqlError(e);
      if (absl::IsUnavailable(status)) {
        conn.reset();  // admin shutdown and friends: reconnect next time
        if (attempt == 0) continue;
      }
      return status;
    } catch (const pqxx::usage_error& e) {
      log::Error("database usage error", {{"error", std::string_view(e.what())}});
      return absl::InternalError("database error");
    } catch (const std::exception& e) {
      log::Error("database error", {{"error", std::string_view(e.what())}});
      return absl::InternalError("database error");
    }
  }
  return absl::UnavailableError("database unavailable");
}

absl::Status Pool::WaitReady(absl::Duration timeout) {
  absl::Time deadline = absl::Now() + timeout;
  while (true) {
    absl::Status status = Run([](pqxx::connection& c) {
      pqxx::nontransaction tx(c);
      tx.exec("SELECT 1");
      return absl::OkStatus();
    });
    if (status.ok() || !absl::IsUnavailable(status) || absl::Now() > deadline) return status;
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
  }
}

absl::Time TimeFromMicros(long long micros) { return absl::FromUnixMicros(micros); }

}  // namespace sportello::db
