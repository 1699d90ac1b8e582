#pragma once
// An in-process Upstream for the gateway tests: answers GetTenant, ListTenants
// and CreateTenant from memory (or with a fixed error status) and records
// what it was sent; streams sportello.gatewaytest.StreamTestService/Download
// (tests/gateway/proto), one message per Next(), counting what it produced.
#include <atomic>
#include <algorithm>
#include <chrono>
#include <memory>
#include <mutex>
#include <thread>

#include "gateway/transcoder.h"
#include "sportello/gatewaytest/stream_test.pb.h"
#include "sportello/v1/catalogue.pb.h"
#include "sportello/v1/common.pb.h"

namespace sportello::gateway::testing {

class FakeUpstream : public Upstream {
 public:
  void Call(const std::string& upstream, const std::string& method_path, std::string request_bytes,
            Metadata md, std::chrono::milliseconds deadline, Done done) override {
    absl::Status status;
    std::string reply;
    {
      std::lock_guard lock(mu_);
      last_upstream = upstream;
      last_method = method_path;
      last_request = request_bytes;
      last_metadata = md;
      last_deadline = deadline;
      ++calls;
      status = fail_with;
    }
    if (!status.ok()) return done(status, "");
    if (method_path == "/sportello.v1.CatalogueService/GetTenant") {
      v1::GetTenantRequest req;
      req.ParseFromString(request_bytes);
      v1::Tenant t;
      t.set_ipa_code(req.ipa_code());
      const int name_size = tenant_name_size.load();
      t.set_name(name_size > 0 ? std::string(static_cast<size_t>(name_size), 'x') : "Comune di Massafra");
      t.set_kind(v1::TENANT_KIND_COMUNE);
      t.mutable_create_time()->set_seconds(1700000000);
      reply = t.SerializeAsString();
    } else if (method_path == "/sportello.v1.CatalogueService/CreateTenant") {
      v1::CreateTenantRequest req;
      req.ParseFromString(request_bytes);
      reply = req.tenant().SerializeAsString();
    } else {
      v1::ListTenantsResponse resp;
      resp.add_tenants()->set_ipa_code("c_f027");
      reply = resp.SerializeAsString();
    }
    if (int ms = delay_ms.load(); ms > 0) {
      // Answer later from another thread, as gRPC's callbacks do.
      std::thread([ms, reply = std::move(reply), done = std::move(done)]() mutable {
        std::this_thread::sleep_for(std::chrono::milliseconds(ms));
        done(absl::OkStatus(), std::move(reply));
      }).detach();
      return;
    }
    done(absl::OkStatus(), std::move(reply));
  }

  // The bytes of message `i` of a Download of `size` bytes per message.
  static std::string DownloadChunk(int i, int size) {
    std::string out = "riga " + std::to_string(i) + ";";
    out.resize(static_cast<size_t>(std::max(size, 1)) - 1, 'x');
    out.push_back('\n');
    return out;
  }

  // Download: message i is produced only when asked for (the first at once).
  class FakeStream : public UpstreamStream {
   public:
    FakeStream(gatewaytest::DownloadRequest req, StreamHandlers h, FakeUpstream& owner)
        : req_(std::move(req)), h_(std::move(h)), owner_(owner) {}

    void Next() override {
      if (done_) return;
      const int i = next_++;
      if (req_.fail_code() != 0 && i == req_.fail_after()) {
        return Finish(absl::Status(static_cast<absl::StatusCode>(req_.fail_code()), "la sorgente si è interrotta"));
      }
      if (i >= req_.chunks()) return Finish(absl::OkStatus());
      v1::RawBody body;
      if (i == 0) {
        body.set_content_type("text/csv; charset=utf-8");
        body.set_filename(req_.name() + ".csv");
      }
      body.set_data(DownloadChunk(i, req_.chunk_size()));
      owner_.produced.fetch_add(1);
      h_.on_message(body.SerializeAsString());
    }

    void Cancel() override {
      if (!done_) owner_.cancelled.fetch_add(1);
      Finish(absl::CancelledError("cancelled"));
    }

   private:
    void Finish(absl::Status status) {
      if (done_.exchange(true)) return;
      auto on_done = std::move(h_.on_done);
      on_done(std::move(status));
    }

    gatewaytest::DownloadRequest req_;
    StreamHandlers h_;
    FakeUpstream& owner_;
    std::atomic<int> next_{0};
    std::atomic<bool> done_{false};
  };

  std::shared_ptr<UpstreamStream> Stream(const std::string& upstream, const std::string& method_path,
                                         std::string request_bytes, Metadata md, std::chrono::milliseconds deadline,
                                         StreamHandlers handlers) override {
    {
      std::lock_guard lock(mu_);
      last_upstream = upstream;
      last_method = method_path;
      last_request = request_bytes;
      last_metadata = md;
      last_deadline = deadline;
      ++calls;
    }
    if (method_path != "/sportello.gatewaytest.StreamTestService/Download") {
      return Upstream::Stream(upstream, method_path, request_bytes, md, deadline, std::move(handlers));
    }
    gatewaytest::DownloadRequest req;
    req.ParseFromString(request_bytes);
    auto stream = std::make_shared<FakeStream>(std::move(req), std::move(handlers), *this);
    {
      std::lock_guard lock(mu_);
      last_stream = stream;
    }
    stream->Next();  // the first message is read at once, as gRPC's reactor does
    return stream;
  }

  std::atomic<int> produced{0};   // Download messages sent
  std::atomic<int> cancelled{0};  // Download streams cancelled before their end

  std::mutex mu_;
  absl::Status fail_with;
  std::string last_upstream, last_method, last_request;
  Metadata last_metadata;
  std::chrono::milliseconds last_deadline{0};
  std::weak_ptr<UpstreamStream> last_stream;  // expired once nothing holds the last Download
  std::atomic<int> delay_ms{0};  // answer this much later, from another thread
  std::atomic<int> tenant_name_size{0};  // > 0: GetTenant's name is this many bytes (a large answer)
  std::atomic<int> calls{0};  // read by tests while upstream threads count
};

}  // namespace sportello::gateway::testing
