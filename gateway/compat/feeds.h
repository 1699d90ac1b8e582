#pragma once
// Atom (RFC 4287) and RSS 2.0 feeds of a tenant's published messages, over
// the dispatch service's ListPublished:
//   GET /feeds/{tenant}/atom      application/atom+xml
//   GET /feeds/{tenant}/rss       application/rss+xml
// Written with libxml2's xmlwriter (escaping), after removing what XML 1.0
// forbids (control characters, U+FFFE/U+FFFF, invalid UTF-8). Entry ids are
// urn:uuid:<message id>, so they never change; the self link is built from
// the request's Host when it is one of the configured public hosts (else
// the first of them), never from an arbitrary Host header.
#include <chrono>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/time/time.h"
#include "gateway/transcoder.h"

namespace sportello::gateway::feeds {

inline constexpr std::string_view kBasePath = "/feeds/";

struct Options {
  std::chrono::milliseconds upstream_timeout{10000};
  // "https://www.comune.example.it" or "127.0.0.1:8080" (http assumed).
  std::vector<std::string> public_hosts = {"127.0.0.1:8080", "localhost:8080"};
  int entries = 50;
};

bool Matches(std::string_view path);

void Handle(const HttpRequest& request, Upstream& upstream, const Options& options,
            std::function<void(HttpResponse)> done);

// ---- Pieces, public for the tests.

struct Entry {
  std::string id;  // UUID
  std::string title, text, link;
  absl::Time published, updated;
};

struct Feed {
  std::string tenant;
  std::string base_url;  // "http://127.0.0.1:8080"
  std::vector<Entry> entries;
};

std::string RenderAtom(const Feed& feed);
std::string RenderRss(const Feed& feed);

// `text` without what XML 1.0 forbids; invalid UTF-8 dropped.
std::string XmlSafe(std::string_view text);

// The base URL for a Host header: itself when listed, else the first listed.
std::string BaseUrl(const std::string& host, const std::vector<std::string>& public_hosts);

}  // namespace sportello::gateway::feeds
