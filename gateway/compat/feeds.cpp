#include "gateway/compat/feeds.h"

#include <libxml/xmlwriter.h>

#include <algorithm>
#include <memory>

#include "absl/strings/ascii.h"
#include "common/tenancy.h"
#include "common/text_checks.h"
#include "sportello/v1/dispatch.pb.h"

namespace sportello::gateway::feeds {
namespace {

namespace v1 = ::sportello::v1;

constexpr char kRpc[] = "/sportello.v1.DispatchService/ListPublished";

const xmlChar* X(const char* s) { return reinterpret_cast<const xmlChar*>(s); }
const xmlChar* X(const std::string& s) { return reinterpret_cast<const xmlChar*>(s.c_str()); }

class Writer {
 public:
  Writer() : buffer_(xmlBufferCreate()), writer_(xmlNewTextWriterMemory(buffer_, 0)) {
    xmlTextWriterSetIndent(writer_, 1);
    xmlTextWriterStartDocument(writer_, nullptr, "UTF-8", nullptr);
  }
  ~Writer() {
    if (writer_) xmlFreeTextWriter(writer_);
    xmlBufferFree(buffer_);
  }
  void Start(const char* name) { xmlTextWriterStartElement(writer_, X(name)); }
  void End() { xmlTextWriterEndElement(writer_); }
  void Attr(const char* name, const std::string& value) {
    xmlTextWriterWriteAttribute(writer_, X(name), X(XmlSafe(value)));
  }
  void Text(const std::string& text) { xmlTextWriterWriteString(writer_, X(XmlSafe(text))); }
  void Element(const char* name, const std::string& text) {
    xmlTextWriterWriteElement(writer_, X(name), X(XmlSafe(text)));
  }
  std::string Finish() {
    xmlTextWriterEndDocument(writer_);
    xmlFreeTextWriter(writer_);  // flushes into the buffer
    writer_ = nullptr;
    return std::string(reinterpret_cast<const char*>(xmlBufferContent(buffer_)),
                       static_cast<size_t>(xmlBufferLength(buffer_)));
  }

 private:
  xmlBufferPtr buffer_;
  xmlTextWriterPtr writer_;
};

std::string Rfc3339(absl::Time t) { return absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", t, absl::UTCTimeZone()); }
std::string Rfc822(absl::Time t) { return absl::FormatTime("%a, %d %b %Y %H:%M:%S +0000", t, absl::UTCTimeZone()); }

absl::Time Updated(const Feed& f) {
  absl::Time latest = absl::UnixEpoch();
  for (const Entry& e : f.entries) latest = std::max(latest, e.updated);
  return latest;
}

HttpResponse Plain(int status, const std::string& text) {
  HttpResponse r;
  r.status = status;
  r.headers.Set("content-type", "text/plain; charset=utf-8");
  r.body = text + "\n";
  return r;
}

}  // namespace

std::string XmlSafe(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  size_t i = 0;
  while (i < s.size()) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    int len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    if (len == 0 || i + len > s.size()) {
      ++i;
      continue;
    }
    uint32_t cp = len == 1 ? c : len == 2 ? (c & 0x1F) : len == 3 ? (c & 0x0F) : (c & 0x07);
    bool ok = true;
    for (int k = 1; k < len; ++k) {
      unsigned char cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80) ok = false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    bool overlong = (len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000);
    bool allowed = cp == 0x9 || cp == 0xA || cp == 0xD || (cp >= 0x20 && cp <= 0xD7FF) ||
                   (cp >= 0xE000 && cp <= 0xFFFD) || (cp >= 0x10000 && cp <= 0x10FFFF);
    if (ok && !overlong && allowed) out.append(s.substr(i, len));
    i += ok ? len : 1;
  }
  return out;
}

std::string BaseUrl(const std::string& host, const std::vector<std::string>& public_hosts) {
  auto url = [](const std::string& h) {
    return h.rfind("http://", 0) == 0 || h.rfind("https://", 0) == 0 ? h : "http://" + h;
  };
  std::string wanted = absl::AsciiStrToLower(host);
  for (const std::string& h : public_hosts) {
    std::string bare = h;
    for (const char* scheme : {"https://", "http://"}) {
      if (bare.rfind(scheme, 0) == 0) bare = bare.substr(std::string(scheme).size());
    }
    if (!wanted.empty() && absl::AsciiStrToLower(bare) == wanted) return url(h);
  }
  return public_hosts.empty() ? "http://127.0.0.1:8080" : url(public_hosts.front());
}

std::string RenderAtom(const Feed& f) {
  Writer w;
  w.Start("feed");
  w.Attr("xmlns", "http://www.w3.org/2005/Atom");
  w.Attr("xml:lang", "it");
  w.Element("id", "urn:sportello:feed:" + f.tenant);
  w.Element("title", "Comunicazioni istituzionali - " + f.tenant);
  w.Element("updated", Rfc3339(Updated(f)));
  w.Start("link");
  w.Attr("rel", "self");
  w.Attr("type", "application/atom+xml");
  w.Attr("href", f.base_url + "/feeds/" + f.tenant + "/atom");
  w.End();
  w.Start("author");
  w.Element("name", f.tenant);
  w.End();
  w.Element("generator", "Sportello");
  for (const Entry& e : f.entries) {
    w.Start("entry");
    w.Element("id", "urn:uuid:" + e.id);
    w.Element("title", e.title);
    w.Element("published", Rfc3339(e.published));
    w.Element("updated", Rfc3339(e.updated));
    if (!e.link.empty()) {
      w.Start("link");
      w.Attr("rel", "alternate");
      w.Attr("href", e.link);
      w.End();
    }
    w.Start("content");
    w.Attr("type", "text");
    w.Text(e.text);
    w.End();
    w.End();
  }
  w.End();
  return w.Finish();
}

std::string RenderRss(const Feed& f) {
  Writer w;
  w.Start("rss");
  w.Attr("version", "2.0");
  w.Attr("xmlns:atom", "http://www.w3.org/2005/Atom");
  w.Start("channel");
  w.Element("title", "Comunicazioni istituzionali - " + f.tenant);
  w.Element("link", f.base_url + "/feeds/" + f.tenant + "/rss");
  w.Element("description", "Messaggi pubblicati sui canali ufficiali dell'ente " + f.tenant);
  w.Element("language", "it");
  w.Element("lastBuildDate", Rfc822(Updated(f)));
  w.Start("atom:link");
  w.Attr("href", f.base_url + "/feeds/" + f.tenant + "/rss");
  w.Attr("rel", "self");
  w.Attr("type", "application/rss+xml");
  w.End();
  for (const Entry& e : f.entries) {
    w.Start("item");
    w.Element("title", e.title);
    if (!e.link.empty()) w.Element("link", e.link);
    // RSS 2.0's description is HTML (entity-encoded in the XML): the plain
    // text is escaped for HTML first, so "<ufficiali>" shows as written
    // instead of being read as a tag (and dropped by a reader's sanitizer).
    w.Element("description", EscapeHtmlText(e.text));
    w.Start("guid");
    w.Attr("isPermaLink", "false");
    w.Text("urn:uuid:" + e.id);
    w.End();
    w.Element("pubDate", Rfc822(e.published));
    w.End();
  }
  w.End();
  w.End();
  return w.Finish();
}

bool Matches(std::string_view path) { return path.rfind(kBasePath, 0) == 0; }

void Handle(const HttpRequest& request, Upstream& upstream, const Options& options,
            std::function<void(HttpResponse)> done) {
  if (request.method != "GET" && request.method != "HEAD") {
    HttpResponse r = Plain(405, "metodo non ammesso");
    r.headers.Set("allow", "GET, HEAD");
    return done(std::move(r));
  }
  std::string path = request.target.substr(0, request.target.find('?'));
  std::string rest = path.substr(kBasePath.size());
  size_t slash = rest.find('/');
  if (slash == std::string::npos) return done(Plain(404, "feed non trovato: /feeds/{ente}/atom o /rss"));
  std::string format = rest.substr(slash + 1);
  if (format != "atom" && format != "rss") return done(Plain(404, "feed non trovato: /feeds/{ente}/atom o /rss"));
  auto tenant = CanonicalTenant(rest.substr(0, slash));
  if (!tenant.ok()) return done(Plain(404, "ente non valido"));
  v1::ListPublishedRequest req;
  req.set_tenant(*tenant);
  req.set_page_size(options.entries);
  Metadata md;
  if (std::string id = request.headers.GetOr("x-request-id"); !id.empty()) md.emplace_back("x-request-id", id);
  std::string base = BaseUrl(request.headers.GetOr("host"), options.public_hosts);
  upstream.Call("dispatch", kRpc, req.SerializeAsString(), std::move(md), options.upstream_timeout,
                [tenant = *tenant, base, format, head = request.method == "HEAD",
                 done = std::move(done)](absl::Status status, std::string bytes) {
                  if (!status.ok()) {
                    int code = status.code() == absl::StatusCode::kDeadlineExceeded ? 504 : 503;
                    return done(Plain(code, "servizio delle comunicazioni non disponibile"));
                  }
                  v1::ListPublishedResponse resp;
                  if (!resp.ParseFromString(bytes)) return done(Plain(502, "risposta non valida"));
                  Feed feed{tenant, base, {}};
                  for (const auto& m : resp.messages()) {
                    feed.entries.push_back(Entry{m.id(), m.title(), m.text(), m.link(),
                                                 absl::FromUnixSeconds(m.publish_time().seconds()),
                                                 absl::FromUnixSeconds(m.update_time().seconds())});
                  }
                  HttpResponse r;
                  r.headers.Set("content-type", format == "atom" ? "application/atom+xml; charset=utf-8"
                                                                 : "application/rss+xml; charset=utf-8");
                  r.headers.Set("cache-control", "public, max-age=60");
                  r.body = format == "atom" ? RenderAtom(feed) : RenderRss(feed);
                  if (head) r.body.clear();
                  done(std::move(r));
                });
}

}  // namespace sportello::gateway::feeds
