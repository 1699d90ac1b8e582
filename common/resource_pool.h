#pragma once
// A fixed set of slots holding lazily created resources (database or Redis
// connections). Acquire() waits up to a timeout for a free slot; the slot may
// hold nothing yet, or a resource the caller finds broken and resets.
//
//   auto lease = pool.Acquire(absl::Seconds(5));
//   if (!lease) return absl::UnavailableError("pool exhausted");
//   if (!*lease->get()) lease->get() = Connect();
#include <memory>
#include <mutex>
#include <optional>
#include <condition_variable>
#include <vector>

#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace sportello {

template <typename T>
class ResourcePool {
 public:
  class Lease {
   public:
    Lease(ResourcePool* pool, size_t index) : pool_(pool), index_(index) {}
    Lease(Lease&& other) noexcept : pool_(other.pool_), index_(other.index_) { other.pool_ = nullptr; }
    Lease(const Lease&) = delete;
    ~Lease() {
      if (pool_) pool_->Release(index_);
    }
    std::unique_ptr<T>& get() { return pool_->slots_[index_]; }

   private:
    ResourcePool* pool_;
    size_t index_;
  };

  explicit ResourcePool(size_t size) : slots_(size) {
    for (size_t i = 0; i < size; ++i) free_.push_back(i);
  }

  std::optional<Lease> Acquire(absl::Duration timeout) {
    std::unique_lock lock(mu_);
    if (!cv_.wait_for(lock, absl::ToChronoMilliseconds(timeout), [this] { return !free_.empty(); })) {
      return std::nullopt;
    }
    size_t index = free_.back();
    free_.pop_back();
    return Lease(this, index);
  }

  size_t size() const { return slots_.size(); }

 private:
  void Release(size_t index) {
    {
      std::lock_guard lock(mu_);
      free_.push_back(index);
    }
    cv_.notify_one();
  }

  std::vector<std::unique_ptr<T>> slots_;
  std::vector<size_t> free_;
  std::mutex mu_;
  std::condition_variable cv_;
};

}  // namespace sportello
