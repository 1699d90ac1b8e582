"""Checks of a served feed in place of the W3C feed validator (not installable
here: packages come from Debian and npm only):

  atom_problems(raw, url)  RFC 4287: the RELAX NG schema of its Appendix B
                           (schemas/atom.rng, with `xmllint --relaxng`), the
                           schema's two Schematron rules, and what the W3C
                           validator warns about most: a self link that is not
                           the feed's address, dates that are not RFC 3339,
                           ids that are not absolute or not unique, a bad
                           xml:lang.
  rss_problems(raw, url)   RSS 2.0: the channel's required title, link and
                           description, an item's title or description,
                           RFC 822 dates with the right day of the week, a
                           self atom:link matching the address, a guid that is
                           not a URL marked isPermaLink="false", unique guids,
                           the language code, and a description that reads as
                           the text it carries (no stray markup).
  second_reader(raw)       npm's feedparser (tools/npm) reading the feed:
                           (parsed JSON, error text or None).

Each *_problems returns a list of strings, empty when the feed passes.
"""
import email.utils
import html.parser
import json
import os
import re
import subprocess
import tempfile
import urllib.parse
import xml.etree.ElementTree as ET

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
ATOM_RNG = os.path.join(HERE, "schemas", "atom.rng")
A = "{http://www.w3.org/2005/Atom}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

# RFC 3339 date-time (Atom's dates, section 3.3: uppercase T and Z).
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
# RFC 822 as RSS 2.0 uses it (four-digit years, as the W3C validator wants).
RFC822 = re.compile(r"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) "
                    r"\d{4} \d{2}:\d{2}:\d{2} ([+-]\d{4}|GMT|UT|[ECMP][SD]T)$")
# BCP 47's shape as RFC 4287 constrains xml:lang (and RSS's language codes).
LANG = re.compile(r"^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$")
URN_UUID = re.compile(r"^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def _absolute_uri(value):
    parsed = urllib.parse.urlsplit(value or "")
    return bool(parsed.scheme) and (parsed.scheme in ("urn", "tag", "mailto") or bool(parsed.netloc))


def atom_problems(raw, url):
    problems = []
    with tempfile.NamedTemporaryFile(suffix=".atom") as f:
        f.write(raw)
        f.flush()
        run = subprocess.run(["xmllint", "--noout", "--nonet", "--relaxng", ATOM_RNG, f.name],
                             capture_output=True, text=True)
        if run.returncode != 0:
            problems.append("RELAX NG (RFC 4287 appendix B): " + run.stderr.strip())
    try:
        feed = ET.fromstring(raw)
    except ET.ParseError as e:
        return problems + [f"not well-formed: {e}"]
    if feed.tag != A + "feed":
        return problems + [f"root is {feed.tag}, not atom:feed"]
    entries = feed.findall(A + "entry")
    # The schema's Schematron rules.
    if feed.find(A + "author") is None and any(e.find(A + "author") is None for e in entries):
        problems.append("an atom:feed must have an atom:author unless all of its entries have one")
    for e in entries:
        alternate = [l for l in e.findall(A + "link") if l.get("rel", "alternate") == "alternate"]
        if not alternate and e.find(A + "content") is None:
            problems.append(f"entry {e.findtext(A + 'id')}: neither a rel=alternate link nor content")
    # The W3C validator's usual warnings.
    lang = feed.get(XML_LANG)
    if not lang or not LANG.match(lang):
        problems.append(f"xml:lang {lang!r} missing or not a language tag")
    selfs = [l for l in feed.findall(A + "link") if l.get("rel") == "self"]
    if len(selfs) != 1:
        problems.append(f"{len(selfs)} self links, want 1")
    elif selfs[0].get("href") != url:
        problems.append(f"self link {selfs[0].get('href')!r} is not the feed's address {url!r}")
    elif selfs[0].get("type") != "application/atom+xml":
        problems.append(f"self link type {selfs[0].get('type')!r}")
    if not _absolute_uri(feed.findtext(A + "id")):
        problems.append(f"feed id {feed.findtext(A + 'id')!r} is not an absolute URI")
    dates = [("feed updated", feed.findtext(A + "updated"))]
    ids = []
    for e in entries:
        eid = e.findtext(A + "id")
        ids.append(eid)
        if not URN_UUID.match(eid or ""):
            problems.append(f"entry id {eid!r} is not a lower-case urn:uuid")
        for name in ("published", "updated"):
            dates.append((f"{eid} {name}", e.findtext(A + name)))
        for link in e.findall(A + "link"):
            if not _absolute_uri(link.get("href")):
                problems.append(f"entry {eid}: link {link.get('href')!r} is not absolute")
        if e.findtext(A + "published", "") > e.findtext(A + "updated", ""):
            problems.append(f"entry {eid}: published after updated")
    for what, value in dates:
        if value is not None and not RFC3339.match(value):
            problems.append(f"{what} {value!r} is not RFC 3339")
    if len(set(ids)) != len(ids):
        problems.append(f"entry ids repeat: {ids}")
    updated = feed.findtext(A + "updated", "")
    if entries and updated < max(e.findtext(A + "updated", "") for e in entries):
        problems.append("the feed's updated is older than an entry's")
    return problems


class _Markup(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)


def _rfc822_problem(what, value):
    if value is None:
        return None
    if not RFC822.match(value):
        return f"{what} {value!r} is not RFC 822"
    parsed = email.utils.parsedate_to_datetime(value)
    if parsed.strftime("%a") != value[:3]:
        return f"{what} {value!r}: wrong day of the week"
    return None


def rss_problems(raw, url):
    problems = []
    try:
        rss = ET.fromstring(raw)
    except ET.ParseError as e:
        return [f"not well-formed: {e}"]
    if rss.tag != "rss" or rss.get("version") != "2.0":
        return [f"root {rss.tag} version {rss.get('version')!r}, want rss 2.0"]
    channels = rss.findall("channel")
    if len(channels) != 1:
        return [f"{len(channels)} channels, want 1"]
    channel = channels[0]
    for name in ("title", "link", "description"):
        if not (channel.findtext(name) or "").strip():
            problems.append(f"channel without {name}")
    link = channel.findtext("link", "")
    if not link.startswith(("http://", "https://")):
        problems.append(f"channel link {link!r} is not an http(s) URL")
    lang = channel.findtext("language")
    if lang is not None and not LANG.match(lang):
        problems.append(f"language {lang!r} is not a language code")
    selfs = [l for l in channel.findall(A + "link") if l.get("rel") == "self"]
    if len(selfs) != 1:
        problems.append(f"{len(selfs)} atom:link rel=self, want 1")
    elif selfs[0].get("href") != url or selfs[0].get("type") != "application/rss+xml":
        problems.append(f"self link {selfs[0].get('href')!r} ({selfs[0].get('type')}) is not the feed's address {url!r}")
    for name in ("lastBuildDate", "pubDate"):
        p = _rfc822_problem(f"channel {name}", channel.findtext(name))
        if p:
            problems.append(p)
    guids = []
    for item in channel.findall("item"):
        title, description = item.findtext("title"), item.findtext("description")
        if not (title or description):
            problems.append("an item has neither title nor description")
        guid = item.find("guid")
        if guid is None:
            problems.append(f"item {title!r} without guid")
        else:
            guids.append(guid.text)
            permalink = guid.get("isPermaLink", "true") == "true"
            if permalink and not (guid.text or "").startswith(("http://", "https://")):
                problems.append(f"guid {guid.text!r} is not a URL but isPermaLink is not false")
        p = _rfc822_problem(f"item {title!r} pubDate", item.findtext("pubDate"))
        if p:
            problems.append(p)
        item_link = item.findtext("link")
        if item_link is not None and not item_link.startswith(("http://", "https://")):
            problems.append(f"item link {item_link!r} is not an http(s) URL")
        if description:
            markup = _Markup()
            markup.feed(description)
            markup.close()
            if markup.tags:
                problems.append(f"item {title!r}: description holds markup {markup.tags} (plain text is escaped)")
    if len(set(guids)) != len(guids):
        problems.append(f"guids repeat: {guids}")
    return problems


def second_reader(raw):
    """npm's feedparser on `raw`: (parsed, None) or (None, error)."""
    env = dict(os.environ, NODE_PATH=os.path.join(ROOT, "tools", "npm", "node_modules"))
    run = subprocess.run(["node", os.path.join(HERE, "feed_reader.js")], input=raw, capture_output=True, env=env,
                         timeout=60)
    try:
        out = json.loads(run.stdout or b"{}")
    except ValueError:
        return None, f"exit {run.returncode}: {run.stdout[:200]!r} {run.stderr[:500]!r}"
    if run.returncode != 0 or "error" in out:
        return None, out.get("error") or run.stderr.decode(errors="replace")
    return out, None
