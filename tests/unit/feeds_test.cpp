// The Atom and RSS renderers: well-formed XML (parsed back with libxml2),
// escaping, characters XML 1.0 forbids removed, stable urn:uuid ids, self
// links only to configured hosts.
#include "gateway/compat/feeds.h"

#include <libxml/parser.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>

#include <catch2/catch.hpp>

using namespace sportello::gateway::feeds;

namespace {

Feed Sample() {
  Feed f;
  f.tenant = "c_f027";
  f.base_url = "http://127.0.0.1:8080";
  absl::Time t = absl::FromUnixSeconds(1795000000);
  f.entries.push_back(Entry{"0b7c6f6e-1d7a-4a51-9a39-5c1e2f0d9a01", "Allerta <meteo> & scuole",
                            std::string("Testo con \x01 controllo e \xef\xbf\xbe non-carattere, \xff byte rotto; città"),
                            "https://comune.example.it/a?x=1&y=2", t, t + absl::Minutes(5)});
  f.entries.push_back(Entry{"5f1d0c9a-7d1e-4b1a-8c2b-0e9f8a7b6c5d", "Secondo", "Due", "", t - absl::Hours(1),
                            t - absl::Hours(1)});
  return f;
}

// Evaluates `xpath` on `xml` (namespaces a: Atom) and returns the string value.
std::string XPath(const std::string& xml, const std::string& xpath) {
  xmlDocPtr doc = xmlReadMemory(xml.data(), static_cast<int>(xml.size()), "feed.xml", nullptr, XML_PARSE_NONET);
  REQUIRE(doc != nullptr);  // well-formed
  xmlXPathContextPtr ctx = xmlXPathNewContext(doc);
  xmlXPathRegisterNs(ctx, BAD_CAST "a", BAD_CAST "http://www.w3.org/2005/Atom");
  xmlXPathObjectPtr obj = xmlXPathEvalExpression(BAD_CAST ("string(" + xpath + ")").c_str(), ctx);
  std::string out = obj && obj->stringval ? reinterpret_cast<const char*>(obj->stringval) : "";
  xmlXPathFreeObject(obj);
  xmlXPathFreeContext(ctx);
  xmlFreeDoc(doc);
  return out;
}

}  // namespace

TEST_CASE("Atom: well-formed, escaped, stable ids, forbidden characters gone") {
  std::string atom = RenderAtom(Sample());
  CHECK(XPath(atom, "/a:feed/a:entry[1]/a:id") == "urn:uuid:0b7c6f6e-1d7a-4a51-9a39-5c1e2f0d9a01");
  CHECK(XPath(atom, "/a:feed/a:entry[1]/a:title") == "Allerta <meteo> & scuole");
  CHECK(XPath(atom, "/a:feed/a:entry[1]/a:link/@href") == "https://comune.example.it/a?x=1&y=2");
  CHECK(XPath(atom, "/a:feed/a:entry[1]/a:content") == "Testo con  controllo e  non-carattere,  byte rotto; città");
  CHECK(XPath(atom, "/a:feed/a:updated") == "2026-11-18T11:11:40Z");
  CHECK(XPath(atom, "/a:feed/a:link[@rel='self']/@href") == "http://127.0.0.1:8080/feeds/c_f027/atom");
  CHECK(XPath(atom, "count(/a:feed/a:entry)") == "2");
  CHECK(XPath(atom, "count(/a:feed/a:entry[2]/a:link)") == "0");
  CHECK(atom.find("&lt;meteo&gt; &amp; scuole") != std::string::npos);
}

TEST_CASE("RSS 2.0: channel, items, guid not a permalink, RFC 822 dates") {
  std::string rss = RenderRss(Sample());
  CHECK(XPath(rss, "/rss/@version") == "2.0");
  CHECK(XPath(rss, "/rss/channel/item[1]/guid") == "urn:uuid:0b7c6f6e-1d7a-4a51-9a39-5c1e2f0d9a01");
  CHECK(XPath(rss, "/rss/channel/item[1]/guid/@isPermaLink") == "false");
  CHECK(XPath(rss, "/rss/channel/item[1]/pubDate") == "Wed, 18 Nov 2026 11:06:40 +0000");
  CHECK(XPath(rss, "/rss/channel/item[1]/title") == "Allerta <meteo> & scuole");
}

TEST_CASE("RSS 2.0: a plain-text description is HTML-escaped, so a reader shows it as written") {
  Feed f = Sample();
  f.entries[1].text = "Seguite gli aggiornamenti <ufficiali> & i canali";
  std::string rss = RenderRss(f);
  // One level of XML decoding leaves HTML whose text is the message's.
  CHECK(XPath(rss, "/rss/channel/item[2]/description") ==
        "Seguite gli aggiornamenti &lt;ufficiali&gt; &amp; i canali");
  // Atom says type="text": escaped once, as XML.
  CHECK(XPath(RenderAtom(f), "/a:feed/a:entry[2]/a:content") == "Seguite gli aggiornamenti <ufficiali> & i canali");
}

TEST_CASE("XmlSafe keeps tab, newline, text and drops what XML 1.0 forbids") {
  CHECK(XmlSafe("a\tb\nc\rd") == "a\tb\nc\rd");
  CHECK(XmlSafe(std::string("x\0y", 3)) == "xy");
  CHECK(XmlSafe("\xc0\xaf") == "");             // overlong
  CHECK(XmlSafe("\xf0\x9f\x87\xae") == "\xf0\x9f\x87\xae");  // astral: kept
  CHECK(XmlSafe("\xef\xbf\xbf") == "");         // U+FFFF
}

TEST_CASE("The self link names only a configured public host") {
  std::vector<std::string> hosts = {"https://www.comune.example.it", "127.0.0.1:8080"};
  CHECK(BaseUrl("127.0.0.1:8080", hosts) == "http://127.0.0.1:8080");
  CHECK(BaseUrl("www.comune.example.it", hosts) == "https://www.comune.example.it");
  CHECK(BaseUrl("evil.example", hosts) == "https://www.comune.example.it");
  CHECK(BaseUrl("", {}) == "http://127.0.0.1:8080");
}
