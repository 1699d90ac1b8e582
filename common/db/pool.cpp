#include "common/db/pool.h"

#include <cstdio>
#include <cstdlib>
#include <thread>
#include <vector>

#include "common/log.h"

namespace sportello::db {
namespace {

// A connection that cannot be opened in a few seconds is an outage, not a wait.
std::string WithConnectTimeout(std::string url) {
  if (url.find("connect_timeout") != std::string::npos) return url;
  return url + (url.find('?') == std::string::npos ? "?" : "&") + "connect_timeout=3";
}

std::vector<const Statement*>& Registry() {
  static std::vector<const Statement*> statements;
  return statements;
}

void PrepareAll(pqxx::connection& c) {
  for (const Statement* s : Registry()) c.prepare(s->name(), s->sql());
}

// Texts reach clients (stores may replace them with a more precise one), so
// they are in Italian like every other message a service sends.
absl::Status FromSqlError(const pqxx::sql_error& e) {
  const std::string state = e.sqlstate();
  if (state == "23505") return absl::AlreadyExistsError("esiste già un elemento con questi dati");
  if (state == "23503") return absl::FailedPreconditionError("un elemento collegato non esiste");
  if (state.rfind("22", 0) == 0 || state == "23502" || state == "23514") {
    return absl::InvalidArgumentError("valore non valido");
  }
  if (state == "40001" || state == "40P01") return absl::AbortedError("modifica concorrente, riprovare");
  if (state == "57014") return absl::DeadlineExceededError("tempo massimo dell'operazione superato");
  if (state.rfind("08", 0) == 0 || state == "57P01" || state == "57P02" || state == "57P03") {
    return absl::UnavailableError("database non disponibile");
  }
  log::Error("sql error", {{"sqlstate", state}, {"error", std::string_view(e.what())},
                           {"query", std::string_view(e.query())}});
  return absl::InternalError("errore interno del database");
}

}  // namespace

Statement::Statement(std::string name, std::string sql) : name_(std::move(name)), sql_(std::move(sql)) {
  for (const Statement* s : Registry()) {
    // Two statements with one name would make every connection refuse both.
    if (s->name() == name_) {
      std::fprintf(stderr, "duplicate SQL statement name %s\n", name_.c_str());
      std::abort();
    }
  }
  Registry().push_back(this);
}

// A transactional logical decoding message: no table, no lock, but WAL that
// the commit must flush (an xid alone writes none, and a commit that wrote
// none does not flush). Committed synchronously whatever the session says.
const Statement kWaitForDisk{"db.wait_for_disk",
    "SELECT pg_logical_emit_message(true, 'sportello.flush', ''), set_config('synchronous_commit', 'on', true)"};

void Pool::WaitForDisk(pqxx::connection& c) {
  try {
    pqxx::nontransaction tx(c);
    tx.exec_prepared(kWaitForDisk.name());
  } catch (const pqxx::in_doubt_error&) {
    throw;
  } catch (const std::exception& e) {
    // The commit is made, its flush unknown: never run the work again, and
    // never flush on another connection (after a crash the commit may be
    // gone while a new connection's flush succeeds).
    throw pqxx::in_doubt_error(std::string("commit not confirmed on disk: ") + e.what());
  }
}

Pool::Pool(std::string url, int size, absl::Duration acquire_timeout)
    : url_(WithConnectTimeout(std::move(url))), acquire_timeout_(acquire_timeout), slots_(size) {}

absl::Status Pool::Run(const std::function<absl::Status(pqxx::connection&)>& fn) {
  return Lend([&](pqxx::connection& c) {
    absl::Status status = fn(c);
    if (status.ok()) WaitForDisk(c);
    return status;
  });
}

absl::Status Pool::FlushCommitted() {
  return Lend([](pqxx::connection& c) {
    WaitForDisk(c);
    return absl::OkStatus();
  });
}

absl::Status Pool::Lend(const std::function<absl::Status(pqxx::connection&)>& fn) {
  auto lease = slots_.Acquire(acquire_timeout_);
  if (!lease) return absl::UnavailableError("nessuna connessione al database libera, riprovare");
  std::unique_ptr<pqxx::connection>& conn = lease->get();
  for (int attempt = 0; attempt < 2; ++attempt) {
    try {
      if (!conn || !conn->is_open()) {
        conn.reset();
        conn = std::make_unique<pqxx::connection>(url_);
        conn->set_variable("synchronous_commit", "off");  // see "Durability" in pool.h
        PrepareAll(*conn);
      }
      return fn(*conn);
    } catch (const pqxx::in_doubt_error& e) {
      // The commit may or may not have happened: never run it again.
      conn.reset();
      log::Error("transaction in doubt", {{"error", std::string_view(e.what())}});
      return absl::UnavailableError("connessione al database persa durante il salvataggio");
    } catch (const pqxx::broken_connection& e) {
      conn.reset();
      if (attempt == 1) {
        log::Warn("database unavailable", {{"error", std::string_view(e.what())}});
        return absl::UnavailableError("database non disponibile");
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
      return absl::InternalError("errore interno del database");
    } catch (const std::exception& e) {
      log::Error("database error", {{"error", std::string_view(e.what())}});
      return absl::InternalError("errore interno del database");
    }
  }
  return absl::UnavailableError("database non disponibile");
}

absl::Status Pool::WaitReady(absl::Duration timeout, const std::function<bool()>& give_up) {
  absl::Time deadline = absl::Now() + timeout;
  while (true) {
    absl::Status status = Lend([](pqxx::connection& c) {
      pqxx::nontransaction tx(c);
      tx.exec("SELECT 1");
      return absl::OkStatus();
    });
    if (status.ok() || !absl::IsUnavailable(status) || absl::Now() > deadline) return status;
    if (give_up && give_up()) return absl::CancelledError("stopped while waiting for the database");
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
  }
}

std::string TextArray(const std::vector<std::string>& items) {
  std::string out = "{";
  for (const std::string& item : items) {
    if (out.size() > 1) out += ',';
    out += '"';
    for (char c : item) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    out += '"';
  }
  return out + "}";
}

absl::Time TimeFromMicros(long long micros) { return absl::FromUnixMicros(micros); }

}  // namespace sportello::db
