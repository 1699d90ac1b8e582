// Group commit without a database: a job alone runs at once; jobs that come
// while every batch slot is busy run together, in order, at most max_batch at
// a time; each caller returns with its own job done.
#include "common/group_commit.h"

#include <catch2/catch.hpp>

#include <atomic>
#include <string>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

#include "tests/support/poll.h"

using sportello::GroupCommit;
using sportello::testing::PollUntil;

namespace {

struct Job {
  int id = 0;
  int result = -1;  // set by the batch: id * 10
};

// Records each batch's ids; batches run while the gate is closed wait for it.
class Recorder {
 public:
  void Run(std::vector<Job*>& batch) {
    {
      std::unique_lock<std::mutex> lock(mu_);
      std::vector<int> ids;
      for (Job* j : batch) ids.push_back(j->id);
      batches_.push_back(ids);
      ++running_;
      cv_.wait(lock, [&] { return open_; });
      --running_;
    }
    for (Job* j : batch) j->result = j->id * 10;
  }
  void Open() {
    std::lock_guard<std::mutex> lock(mu_);
    open_ = true;
    cv_.notify_all();
  }
  std::vector<std::vector<int>> Batches() {
    std::lock_guard<std::mutex> lock(mu_);
    return batches_;
  }
  int Running() {
    std::lock_guard<std::mutex> lock(mu_);
    return running_;
  }

  explicit Recorder(bool open) : open_(open) {}

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool open_;
  int running_ = 0;
  std::vector<std::vector<int>> batches_;
};

}  // namespace

TEST_CASE("a job alone runs at once, in a batch of its own", "[group_commit]") {
  Recorder recorder(true);
  GroupCommit<Job> commits("test", 8, 1, [&](std::vector<Job*>& b) { recorder.Run(b); });
  Job job{7};
  commits.Run(job);
  CHECK(job.result == 70);
  REQUIRE(recorder.Batches().size() == 1);
  CHECK(recorder.Batches()[0] == std::vector<int>{7});
}

TEST_CASE("jobs that come while the batches run go together, in order, max_batch at a time", "[group_commit]") {
  Recorder recorder(false);
  sportello::MetricsRegistry metrics;
  GroupCommit<Job> commits("test", 3, 1, [&](std::vector<Job*>& b) { recorder.Run(b); }, &metrics);
  std::vector<Job> jobs(7);
  std::vector<std::thread> threads;
  std::atomic<int> returned{0};
  auto start = [&](int i) {
    jobs[i].id = i;
    threads.emplace_back([&, i] {
      commits.Run(jobs[i]);
      ++returned;
    });
  };
  start(0);  // runs alone and holds the only slot
  REQUIRE(PollUntil([&] { return recorder.Running() == 1; }, absl::Now() + absl::Seconds(10)));
  // The rest queue one at a time, so their order is known.
  for (int i = 1; i < 7; ++i) {
    start(i);
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  CHECK(returned.load() == 0);
  CHECK(recorder.Batches().size() == 1);
  recorder.Open();
  for (auto& t : threads) t.join();
  CHECK(returned.load() == 7);
  for (const Job& j : jobs) CHECK(j.result == j.id * 10);
  const std::vector<std::vector<int>> batches = recorder.Batches();
  REQUIRE(batches.size() == 3);
  CHECK(batches[0] == std::vector<int>{0});
  CHECK(batches[1] == std::vector<int>{1, 2, 3});
  CHECK(batches[2] == std::vector<int>{4, 5, 6});
  const std::string text = metrics.Render();
  CHECK(text.find("sportello_group_commit_batches_total{name=\"test\"} 3\n") != std::string::npos);
  CHECK(text.find("sportello_group_commit_jobs_total{name=\"test\"} 7\n") != std::string::npos);
}

TEST_CASE("as many batches run at once as max_running allows", "[group_commit]") {
  Recorder recorder(false);
  GroupCommit<Job> commits("test", 8, 2, [&](std::vector<Job*>& b) { recorder.Run(b); });
  std::vector<Job> jobs(4);
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i) {
    jobs[i].id = i;
    threads.emplace_back([&, i] { commits.Run(jobs[i]); });
    if (i < 2) REQUIRE(PollUntil([&] { return recorder.Running() == i + 1; }, absl::Now() + absl::Seconds(10)));
  }
  // Two batches hold both slots; the other two jobs wait for one to end.
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  CHECK(recorder.Running() == 2);
  CHECK(recorder.Batches().size() == 2);
  recorder.Open();
  for (auto& t : threads) t.join();
  for (const Job& j : jobs) CHECK(j.result == j.id * 10);
  const std::vector<std::vector<int>> batches = recorder.Batches();
  REQUIRE(batches.size() == 3);
  CHECK(batches[2].size() == 2);
}
