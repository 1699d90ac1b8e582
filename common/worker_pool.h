#pragma once
// A fixed set of threads with a bounded queue. gRPC callback handlers must
// never block, so work that talks to PostgreSQL or Redis is handed here;
// sized to a few workers a connection (common/config.cpp), so that calls
// waiting in a group commit's line do not keep others from the connections.
// Submit() refuses (returns false) when the queue is full: the caller answers
// RESOURCE_EXHAUSTED instead of queueing without bound.
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace sportello {

class WorkerPool {
 public:
  WorkerPool(int threads, size_t max_queue);
  ~WorkerPool();  // runs what is queued, then joins

  bool Submit(std::function<void()> task);

 private:
  void Loop();
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> queue_;
  size_t max_queue_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace sportello
