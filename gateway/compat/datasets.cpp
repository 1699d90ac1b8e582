#include "gateway/compat/datasets.h"

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_split.h"
#include "sportello/v1/opendata.pb.h"

namespace sportello::gateway::datasets {

namespace {

constexpr std::string_view kPrefix = "/api/v1/datasets/";

struct Parts {
  std::string id, version, format;
};

std::optional<Parts> Split(std::string_view path) {
  if (path.substr(0, kPrefix.size()) != kPrefix) return std::nullopt;
  std::vector<std::string> p = absl::StrSplit(std::string(path.substr(kPrefix.size())), '/');
  if (p.size() != 4 || p[1] != "versions" || p[0].empty() || p[2].empty()) return std::nullopt;
  if (p[3] != "csv" && p[3] != "json") return std::nullopt;
  return Parts{p[0], p[2], p[3]};
}

bool Hits(std::string_view header, const std::string& etag) {
  size_t start = 0;
  while (start <= header.size()) {
    size_t comma = header.find(',', start);
    std::string_view item = header.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    if (item == "*") return true;
    if (item.substr(0, 2) == "W/") item.remove_prefix(2);
    if (item == etag) return true;
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return false;
}

}  // namespace

bool IsDownload(std::string_view method, std::string_view path) { return method == "GET" && Split(path).has_value(); }

std::string ETagOfSha(std::string_view sha256_hex) { return "\"" + std::string(sha256_hex) + "\""; }

void HandleDownload(HttpRequest request, std::string_view path, Upstream& upstream, std::chrono::milliseconds timeout,
                    std::function<void(HttpRequest, std::function<void(HttpResponse)>)> forward,
                    std::function<void(HttpResponse)> done) {
  Parts parts = *Split(path);
  sportello::v1::GetVersionRequest req;
  req.set_id(parts.id);
  req.set_version(parts.version);
  Metadata md;
  for (const char* name : {"x-request-id", "accept-language"}) {
    if (auto v = request.headers.Get(name)) md.emplace_back(name, std::string(*v));
  }
  auto shared = std::make_shared<HttpRequest>(std::move(request));
  upstream.Call("opendata", "/sportello.v1.OpendataService/GetVersion", req.SerializeAsString(), std::move(md), timeout,
                [shared, parts, forward = std::move(forward), done = std::move(done)](absl::Status status,
                                                                                      std::string bytes) mutable {
                  sportello::v1::DatasetVersion version;
                  const sportello::v1::Distribution* dist = nullptr;
                  if (status.ok() && version.ParseFromString(bytes)) {
                    for (const auto& d : version.distributions()) {
                      if (d.format() == parts.format) dist = &d;
                    }
                  }
                  // Errors and anything unexpected: the ordinary route says why.
                  if (dist == nullptr) return forward(std::move(*shared), std::move(done));
                  const std::string etag = ETagOfSha(dist->sha256());
                  const int64_t size = dist->byte_size();
                  if (auto inm = shared->headers.Get("if-none-match"); inm && Hits(*inm, etag)) {
                    HttpResponse r;
                    r.status = 304;
                    r.headers.Set("ETag", etag);
                    r.headers.Set("Cache-Control", "public, max-age=300");
                    return done(std::move(r));
                  }
                  // "latest" may move on between the two calls: pin the number.
                  std::string target = shared->target;
                  const std::string from = "/versions/" + parts.version + "/";
                  if (auto at = target.find(from); at != std::string::npos) {
                    target.replace(at, from.size(), "/versions/" + std::to_string(version.number()) + "/");
                  }
                  shared->target = target;
                  forward(std::move(*shared), [etag, size, done = std::move(done)](HttpResponse r) {
                    if (r.status == 200 && r.stream) {
                      r.headers.Set("ETag", etag);
                      r.headers.Set("Content-Length", std::to_string(size));
                      r.headers.Set("Cache-Control", "public, max-age=300");
                    }
                    done(std::move(r));
                  });
                });
}

}  // namespace sportello::gateway::datasets
