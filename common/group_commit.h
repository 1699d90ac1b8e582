#pragma once
// Group commit: threads that each have a job for the database hand it here and
// wait; the thread whose job is first in line runs it together with the jobs
// queued behind it, in one transaction, and every waiting thread returns once
// its own job is done. Nothing waits to gather a batch: a job arriving while
// fewer than `max_running` batches run is run at once (a batch of one when it
// is alone), and jobs that arrive while all of them run are the next batch.
// So under load a batch's fixed costs (round trips, commit, WAL flush) are
// shared by many jobs, and without load nothing is delayed.
//
//   GroupCommit<SubmitJob> submissions{"complaints.submit", 32, 2,
//                                      [this](std::vector<SubmitJob*>& batch) { SubmitBatch(batch); }, metrics};
//   SubmitJob job{...};
//   submissions.Run(job);  // returns when job's result is set
//
// `run` must settle every job of its batch (each job carries its own result)
// and must not throw. Jobs leave in the order they came. With a registry,
// sportello_group_commit_batches_total and sportello_group_commit_jobs_total
// (label `name`) count what ran: their ratio is the jobs a transaction.
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <utility>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "common/metrics.h"

namespace sportello {

template <typename Job>
class GroupCommit {
 public:
  using RunBatch = std::function<void(std::vector<Job*>& batch)>;

  GroupCommit(std::string name, size_t max_batch, int max_running, RunBatch run, MetricsRegistry* metrics = nullptr)
      : labels_{{"name", std::move(name)}},
        max_batch_(max_batch < 1 ? 1 : max_batch),
        max_running_(max_running < 1 ? 1 : max_running),
        run_(std::move(run)),
        metrics_(metrics) {}

  // Runs `job` (alone or with others) and returns once it is done.
  void Run(Job& job) {
    Waiting me{&job};
    std::unique_lock<std::mutex> lock(mu_);
    queue_.push_back(&me);
    while (!me.done) {
      // Only the first in line leads, so its own job is in the batch it runs.
      if (running_ < max_running_ && queue_.front() == &me) {
        Lead(lock);
      } else {
        me.wake.wait(lock);
      }
    }
  }

 private:
  // A caller waiting in line. Each has its own condition, so that a batch's
  // end wakes its own callers and the next leader, not every waiting thread.
  struct Waiting {
    Job* job;
    bool done = false;
    std::condition_variable wake;
  };

  // Called with `lock` held; returns with it held, the batch done.
  void Lead(std::unique_lock<std::mutex>& lock) {
    std::vector<Waiting*> taken;
    std::vector<Job*> batch;
    while (!queue_.empty() && taken.size() < max_batch_) {
      taken.push_back(queue_.front());
      batch.push_back(queue_.front()->job);
      queue_.pop_front();
    }
    ++running_;
    WakeNextLeader();  // it may lead a batch of its own while this one runs
    lock.unlock();
    if (metrics_ != nullptr) {
      metrics_->Increment("sportello_group_commit_batches_total", labels_);
      metrics_->Increment("sportello_group_commit_jobs_total", labels_, static_cast<double>(batch.size()));
    }
    run_(batch);
    lock.lock();
    --running_;
    for (Waiting* w : taken) {
      w->done = true;
      w->wake.notify_one();
    }
    WakeNextLeader();
  }

  void WakeNextLeader() {
    if (running_ < max_running_ && !queue_.empty()) queue_.front()->wake.notify_one();
  }

  const Labels labels_;
  const size_t max_batch_;
  const int max_running_;
  const RunBatch run_;
  MetricsRegistry* const metrics_;
  std::mutex mu_;
  std::deque<Waiting*> queue_;
  int running_ = 0;
};

// For a RunBatch whose jobs share one transaction, after it failed with
// `status`: when nothing was committed and the batch held more than one job,
// runs each job alone with `run_alone` (so that one bad job fails by itself);
// otherwise (a batch of one, the database unreachable, or a commit made
// but not flushed) every job's `result` is `status`: none may be told it is saved.
template <typename Job, typename RunAlone>
void SettleFailedBatch(std::vector<Job*>& batch, const absl::Status& status, bool committed, RunAlone&& run_alone) {
  if (!committed && batch.size() > 1 && !absl::IsUnavailable(status)) {
    for (Job* job : batch) {
      std::vector<Job*> alone{job};
      run_alone(alone);
    }
    return;
  }
  for (Job* job : batch) job->result = status;
}

}  // namespace sportello
