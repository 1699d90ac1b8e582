#pragma once
// Admission of partner event streams (event_stream.h): at most `max_total`
// open in the process, `max_per_tenant` for callers of one tenant (the
// token's tenant: one comune's staff cannot take every slot from the
// others), and `max_per_caller` for one token (tenant and subject).
//
//   StreamQuota quota({16, 4, 2});
//   if (auto refused = quota.Admit("c_a", "c_a/ops")) return Refuse(*refused);
//   ... on the stream's end: quota.Release("c_a", "c_a/ops");
#include <map>
#include <mutex>
#include <optional>
#include <string>

namespace sportello::outbox {

class StreamQuota {
 public:
  struct Limits {
    int max_total = 16;
    int max_per_tenant = 4;
    int max_per_caller = 2;
  };
  explicit StreamQuota(Limits limits) : limits_(limits) {}

  // Counts one more stream; nullopt when admitted, else the (Italian) reason.
  std::optional<std::string> Admit(const std::string& tenant, const std::string& caller) {
    std::lock_guard lock(mu_);
    if (total_ >= limits_.max_total) return "troppi flussi aperti, riprovare più tardi";
    if (Count(per_tenant_, tenant) >= limits_.max_per_tenant) {
      return "troppi flussi aperti per questo ente: al massimo " + std::to_string(limits_.max_per_tenant);
    }
    if (Count(per_caller_, caller) >= limits_.max_per_caller) {
      return "troppi flussi aperti con queste credenziali: al massimo " + std::to_string(limits_.max_per_caller);
    }
    ++total_;
    ++per_tenant_[tenant];
    ++per_caller_[caller];
    return std::nullopt;
  }

  void Release(const std::string& tenant, const std::string& caller) {
    std::lock_guard lock(mu_);
    --total_;
    Drop(per_tenant_, tenant);
    Drop(per_caller_, caller);
  }

  int Total() const {
    std::lock_guard lock(mu_);
    return total_;
  }

 private:
  static int Count(const std::map<std::string, int>& m, const std::string& key) {
    auto it = m.find(key);
    return it == m.end() ? 0 : it->second;
  }
  static void Drop(std::map<std::string, int>& m, const std::string& key) {
    auto it = m.find(key);
    if (it != m.end() && --it->second <= 0) m.erase(it);
  }

  const Limits limits_;
  mutable std::mutex mu_;
  int total_ = 0;
  std::map<std::string, int> per_tenant_, per_caller_;
};

}  // namespace sportello::outbox
