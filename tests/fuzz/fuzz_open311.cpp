// libFuzzer: Open311's form parser, date-times, and a whole POST
// /requests.json (its attribute[...] parser included) against a stub
// upstream that knows one tenant. Input: the form body's tail.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/auth/token.h"
#include "gateway/compat/open311.h"
#include "gateway/transcoder.h"
#include "sportello/v1/catalogue.pb.h"

using namespace sportello;
using namespace sportello::gateway;

namespace {

class StubUpstream : public Upstream {
 public:
  void Call(const std::string&, const std::string& method_path, std::string, Metadata, std::chrono::milliseconds,
            Done done) override {
    if (method_path.find("GetTenant") != std::string::npos) {
      v1::Tenant t;
      t.set_ipa_code("c_f027");
      t.set_name("Comune di Massafra");
      return done(absl::OkStatus(), t.SerializeAsString());
    }
    done(absl::NotFoundError("nessuna"), "");
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static StubUpstream upstream;
  static const std::string prefix =
      "jurisdiction_id=c_f027&service_code=strade&lat=40.5&long=17.1&api_key=" +
      auth::MintToken("fuzz", {"p", "c_f027", {"partner"}, "", true}, absl::Hours(24 * 365)) + "&";
  std::string_view input(reinterpret_cast<const char*>(data), size);
  (void)open311::ParseForm(input);
  (void)open311::ParseDateTime(input);
  (void)open311::XmlEscape(input);
  for (const char* path : {"/open311/v2/requests.json", "/open311/v2/requests.xml"}) {
    HttpRequest post;
    post.method = "POST";
    post.target = path;
    post.headers.Set("content-type", "application/x-www-form-urlencoded");
    post.body = prefix + std::string(input);
    std::optional<HttpResponse> answer;
    open311::Handle(post, upstream, {}, [&](HttpResponse r) { answer = std::move(r); });
  }
  HttpRequest get;
  get.method = "GET";
  get.target = "/open311/v2/requests.json?" + std::string(input);
  open311::Handle(get, upstream, {}, [](HttpResponse) {});
  return 0;
}
