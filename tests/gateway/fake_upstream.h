#pragma once
// An in-process Upstream for the gateway tests: answers GetTenant, ListTenants
// and CreateTenant from memory (or with a fixed error status) and records
// what it was sent.
#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>

#include "gateway/transcoder.h"
#include "sportello/v1/catalogue.pb.h"

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
      t.set_name("Comune di Massafra");
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

  std::mutex mu_;
  absl::Status fail_with;
  std::string last_upstream, last_method, last_request;
  Metadata last_metadata;
  std::chrono::milliseconds last_deadline{0};
  std::atomic<int> delay_ms{0};  // answer this much later, from another thread
  int calls = 0;
};

}  // namespace sportello::gateway::testing
