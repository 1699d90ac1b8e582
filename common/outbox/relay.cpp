#include "common/outbox/relay.h"

#include <grpcpp/grpcpp.h>

#include "absl/strings/ascii.h"
#include "absl/strings/str_split.h"
#include "common/crypto.h"
#include "common/db/pool.h"
#include "common/grpc/status.h"
#include "common/grpc/target.h"
#include "common/grpc/tls.h"
#include "common/log.h"
#include "common/outbox/event_proto.h"
#include "common/outbox/outbox.h"
#include "sportello/v1/common.grpc.pb.h"

namespace sportello::outbox {
namespace {

class GrpcEventSink final : public Sink {
 public:
  GrpcEventSink(const std::string& address, std::string token, const TlsConfig& tls)
      : stub_(sportello::v1::EventSink::NewStub(ServiceChannel(address, tls))),
        token_(std::move(token)) {}

  absl::Status Deliver(const Event& e, absl::Duration timeout) override {
    sportello::v1::Event event;
    EventToProto(e, &event);
    grpc::ClientContext ctx;
    ctx.set_deadline(absl::ToChronoTime(absl::Now() + timeout));
    if (!token_.empty()) ctx.AddMetadata("authorization", "Bearer " + token_);
    sportello::v1::DeliverResponse ack;
    return FromGrpcStatus(stub_->Deliver(&ctx, event, &ack));
  }

 private:
  std::unique_ptr<sportello::v1::EventSink::Stub> stub_;
  std::string token_;
};

bool ValidName(absl::string_view s, absl::string_view also = "_-") {
  if (s.empty() || s.size() > 64) return false;
  for (char c : s) {
    if (!(absl::ascii_isalnum(static_cast<unsigned char>(c)) || also.find(c) != absl::string_view::npos)) return false;
  }
  return true;
}

// "surveys[request.closed|request.reopened]" -> its name and types; nullopt
// when the name, a type ([a-z0-9._-]) or the brackets are not right.
std::optional<Subscriber> ParseName(absl::string_view text) {
  Subscriber out;
  size_t open = text.find('[');
  out.name = std::string(text.substr(0, open));
  if (!ValidName(out.name)) return std::nullopt;
  if (open == absl::string_view::npos) return out;
  if (text.back() != ']') return std::nullopt;
  for (absl::string_view type : absl::StrSplit(text.substr(open + 1, text.size() - open - 2), '|')) {
    if (!ValidName(type, "_-.")) return std::nullopt;
    out.types.insert(std::string(type));
  }
  return out;
}

long long Micros(absl::Time t) { return static_cast<long long>(absl::ToUnixMicros(t)); }

std::map<std::string, std::shared_ptr<Sink>> GrpcSinks(const RelaySettings& settings) {
  std::map<std::string, std::shared_ptr<Sink>> out;
  for (const Subscriber& s : settings.subscribers) out[s.name] = GrpcSink(s.address, settings.bearer_token, settings.tls);
  return out;
}

// A call's deadline ends this long before the lease does, for the answer to
// travel back and the cursor to be written.
constexpr absl::Duration kLeaseMargin = absl::Seconds(1);

}  // namespace

std::unique_ptr<Sink> GrpcSink(const std::string& address, const std::string& bearer_token,
                               const TlsConfig& tls) {
  return std::make_unique<GrpcEventSink>(address, bearer_token, tls);
}

absl::StatusOr<std::vector<Subscriber>> ParseSubscribers(std::string_view text) {
  std::vector<Subscriber> out;
  std::set<std::string> names;
  std::string bad;
  auto reject = [&bad](absl::string_view entry, std::string why) {
    bad += (bad.empty() ? "" : "; ") + std::string(entry) + (why.empty() ? "" : " (" + why + ")");
  };
  bool last_bad = false;  // a continuation of a bad entry is not reported again
  for (absl::string_view raw : absl::StrSplit(absl::string_view(text.data(), text.size()), ',', absl::SkipWhitespace())) {
    absl::string_view entry = absl::StripAsciiWhitespace(raw);
    if (entry.find('=') == absl::string_view::npos) {
      // Another replica of the subscriber before it: "surveys=10.0.0.1:50053,10.0.0.2:50053".
      if (last_bad) continue;
      if (out.empty()) {
        reject(entry, "");
        last_bad = true;
        continue;
      }
      out.back().address += "," + std::string(entry);
      continue;
    }
    std::pair<std::string, std::string> kv = absl::StrSplit(entry, absl::MaxSplits('=', 1));
    std::optional<Subscriber> named = ParseName(absl::StripAsciiWhitespace(kv.first));
    std::string address(absl::StripAsciiWhitespace(kv.second));
    last_bad = !named || address.empty() || !names.insert(named->name).second;
    if (last_bad) {
      reject(entry, "");
      continue;
    }
    named->address = std::move(address);
    out.push_back(*std::move(named));
  }
  // The addresses as a whole (one, several IP addresses, or dns:///name:port).
  for (auto it = out.begin(); it != out.end();) {
    if (auto target = ChannelTarget(it->address); !target.ok()) {
      reject(it->name + "=" + it->address, std::string(target.status().message()));
      it = out.erase(it);
    } else {
      ++it;
    }
  }
  if (!bad.empty()) {
    return absl::InvalidArgumentError(
        "subscribers: bad entries (name[type|type...]=host:port[,host:port...] or name=dns:///name:port, "
        "names unique): " + bad);
  }
  return out;
}

Relay::Relay(db::Pool& pool, const Clock& clock, RelaySettings settings)
    : Relay(pool, clock, settings, GrpcSinks(settings)) {}

Relay::Relay(db::Pool& pool, const Clock& clock, RelaySettings settings,
             std::map<std::string, std::shared_ptr<Sink>> sinks)
    : pool_(pool), clock_(clock), settings_(std::move(settings)), sinks_(std::move(sinks)) {
  for (const Subscriber& s : settings_.subscribers) subscribers_[s.name] = s;
  const std::string table = settings_.schema + ".outbox_cursors";
  (void)ValidSchema(settings_.schema);  // checked by Append/ReadAfter, which abort on a bad one
  ensure_sql_ = "INSERT INTO " + table + " (subscriber) VALUES ($1) ON CONFLICT DO NOTHING";
  // Free, or a lease that ran out (its replica died or hung): ours now.
  claim_sql_ = "SELECT last_sequence FROM " + table +
               " WHERE subscriber = $1 AND (leased_until IS NULL OR leased_until <= "
               "'epoch'::timestamptz + $2::bigint * interval '1 microsecond') FOR UPDATE SKIP LOCKED";
  release_sql_ = "UPDATE " + table +
                 " SET last_sequence = greatest(last_sequence, $3), leased_until = NULL, lease_token = '', "
                 "attempts = CASE WHEN $4 = '' THEN 0 ELSE attempts + 1 END, last_error = $4, "
                 "update_time = 'epoch'::timestamptz + $5::bigint * interval '1 microsecond' "
                 "WHERE subscriber = $1 AND lease_token = $2";
}

Relay::~Relay() { Stop(); }

void Relay::Start() {
  std::lock_guard lock(mu_);
  if (thread_.joinable() || sinks_.empty()) return;
  stopping_ = false;
  thread_ = std::thread([this] { Loop(); });
}

void Relay::Stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

absl::StatusOr<std::optional<Relay::Claim>> Relay::TakeLease(const std::string& subscriber) {
  const std::string table = settings_.schema + ".outbox_cursors";
  return pool_.Write([&](pqxx::work& tx) -> absl::StatusOr<std::optional<Claim>> {
    tx.exec_params(ensure_sql_, subscriber);
    absl::Time now = clock_.Now();
    auto rows = tx.exec_params(claim_sql_, subscriber, Micros(now));
    if (rows.empty()) return std::optional<Claim>();  // another replica is delivering
    Claim claim{rows[0]["last_sequence"].as<long long>(), RandomToken(12), now + settings_.lease};
    tx.exec_params("UPDATE " + table +
                       " SET leased_until = 'epoch'::timestamptz + $2::bigint * interval '1 microsecond', "
                       "lease_token = $3 WHERE subscriber = $1",
                   subscriber, Micros(claim.until), claim.token);
    return std::optional<Claim>(std::move(claim));
  });
}

absl::StatusOr<int> Relay::DeliverOnce(const std::string& subscriber) {
  auto sink = sinks_.find(subscriber);
  if (sink == sinks_.end()) return absl::NotFoundError("unknown subscriber " + subscriber);
  // 1. Claim the subscriber (committed: no lock outlives this call).
  auto claimed = TakeLease(subscriber);
  if (!claimed.ok()) return claimed.status();
  if (!claimed->has_value()) return 0;
  const Claim claim = **claimed;
  static const Subscriber kEveryEvent;
  auto configured = subscribers_.find(subscriber);
  const Subscriber& wants = configured == subscribers_.end() ? kEveryEvent : configured->second;
  long long last = claim.last_sequence;
  int passed = 0;
  std::string error;
  // 2. The next batch, read without keeping anything locked.
  auto batch = ReadAfter(pool_, settings_.schema, "", last, settings_.batch_size);
  if (!batch.ok()) error = std::string(batch.status().message());
  // 3. Deliver outside any transaction, in order, within the lease.
  for (const Event& e : batch.ok() ? *batch : std::vector<Event>{}) {
    if (!wants.Wants(e.type)) {
      last = e.sequence;
      ++passed;
      continue;
    }
    absl::Duration left = claim.until - clock_.Now() - kLeaseMargin;
    if (left <= absl::ZeroDuration()) break;  // the rest on the next pass, under a new lease
    absl::Status s = sink->second->Deliver(e, std::min(left, settings_.call_timeout));
    if (!s.ok()) {
      error = s.ToString();
      log::Warn("event delivery failed",
                {{"subscriber", subscriber}, {"sequence", e.sequence}, {"error", std::string(s.message())}});
      break;
    }
    last = e.sequence;
    ++passed;
  }
  // 4. Advance and release, if the lease is still ours.
  auto released = pool_.Write([&](pqxx::work& tx) -> absl::StatusOr<long long> {
    return static_cast<long long>(
        tx.exec_params(release_sql_, subscriber, claim.token, last, error, Micros(clock_.Now())).affected_rows());
  });
  if (!released.ok()) return released.status();
  if (*released == 0) {
    // Another replica took over after our lease ran out: it re-delivers from
    // the old cursor (at least once), never at the same time as us.
    log::Warn("outbox lease lost", {{"subscriber", subscriber}, {"passed", static_cast<long long>(passed)}});
  }
  if (!batch.ok()) return batch.status();
  return passed;
}

void Relay::Loop() {
  while (true) {
    bool more = false;
    for (const auto& [name, sink] : sinks_) {
      auto passed = DeliverOnce(name);
      if (!passed.ok()) {
        log::Warn("outbox relay", {{"subscriber", name}, {"error", std::string(passed.status().message())}});
      } else if (*passed >= settings_.batch_size) {
        more = true;
      }
    }
    std::unique_lock lock(mu_);
    if (stopping_) return;
    if (!more) cv_.wait_for(lock, absl::ToChronoMilliseconds(settings_.poll_interval), [this] { return stopping_; });
    if (stopping_) return;
  }
}

}  // namespace sportello::outbox
