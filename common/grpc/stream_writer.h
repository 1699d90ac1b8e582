#pragma once
// Server streams written from a thread of their own: exports, downloads and
// event streams read a page, write it, and only then read the next, so memory
// stays flat and a slow client slows the reads instead of filling a buffer.

#include <grpcpp/grpcpp.h>

#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>
#include <utility>

#include "absl/time/time.h"

namespace sportello {

// What a producer sees of its stream. Both calls return false once the
// client has gone (cancelled, disconnected): the producer stops there.
template <class Message>
class StreamSink {
 public:
  virtual ~StreamSink() = default;
  // Writes `message` and waits until gRPC has taken it.
  virtual bool Send(const Message& message) = 0;
  // Waits `timeout`, or less if the client goes.
  virtual bool Wait(absl::Duration timeout) = 0;
};

template <class Message>
using StreamProducer = std::function<grpc::Status(StreamSink<Message>&)>;

namespace internal {

template <class Message>
class ThreadedWriter final : public grpc::ServerWriteReactor<Message>, StreamSink<Message> {
 public:
  ThreadedWriter(StreamProducer<Message> produce, std::function<void()> on_done)
      : produce_(std::move(produce)), on_done_(std::move(on_done)) {
    thread_ = std::thread([this] {
      grpc::Status status = produce_(*this);
      bool cancelled;
      {
        std::lock_guard lock(mu_);
        cancelled = cancelled_;
      }
      // A write may still be pending after a cancellation: Finish waits for it.
      this->Finish(cancelled ? grpc::Status::CANCELLED : status);
    });
  }

  bool Send(const Message& message) override {
    std::unique_lock lock(mu_);
    if (cancelled_) return false;
    // gRPC may read the message after Send returns (a write queued before the
    // call is bound, or one still pending when the client goes): it is kept here.
    pending_ = message;
    writing_ = true;
    this->StartWrite(&pending_);
    cv_.wait(lock, [this] { return !writing_ || cancelled_; });
    return !cancelled_;
  }

  bool Wait(absl::Duration timeout) override {
    std::unique_lock lock(mu_);
    cv_.wait_for(lock, absl::ToChronoMilliseconds(timeout), [this] { return cancelled_; });
    return !cancelled_;
  }

  void OnWriteDone(bool ok) override {
    std::lock_guard lock(mu_);
    writing_ = false;
    if (!ok) cancelled_ = true;
    cv_.notify_all();
  }
  void OnCancel() override {
    std::lock_guard lock(mu_);
    cancelled_ = true;
    cv_.notify_all();
  }
  void OnDone() override {
    thread_.join();
    if (on_done_) on_done_();
    delete this;
  }

 private:
  StreamProducer<Message> produce_;
  std::function<void()> on_done_;
  Message pending_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool writing_ = false, cancelled_ = false;
  std::thread thread_;
};

template <class Message>
class Refusal final : public grpc::ServerWriteReactor<Message> {
 public:
  explicit Refusal(const grpc::Status& status) { this->Finish(status); }
  void OnDone() override { delete this; }
};

}  // namespace internal

// Runs `produce` on a thread of its own; its status ends the stream.
// `on_done` runs once the call is over (e.g. to release a concurrency slot).
template <class Message>
grpc::ServerWriteReactor<Message>* StartStream(StreamProducer<Message> produce, std::function<void()> on_done = {}) {
  return new internal::ThreadedWriter<Message>(std::move(produce), std::move(on_done));
}

// A stream ended before its first message.
template <class Message>
grpc::ServerWriteReactor<Message>* RefuseStream(const grpc::Status& status) {
  return new internal::Refusal<Message>(status);
}

}  // namespace sportello
