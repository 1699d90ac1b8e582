#!/usr/bin/python3
"""End to end through the gateway and the running sportello-dispatch, with
loopback platforms (fake_platforms.py): a communication editor drafts, a
manager approves (never their own), the worker delivers to a signed webhook
and to Telegram, the message appears in the Atom and RSS feeds (parsed by
feedparser and by npm's feedparser; Atom valid against RFC 4287's RELAX NG
schema, both free of the W3C validator's usual warnings: feed_checks.py), bad input answers problem+json and changes nothing, and no
answer carries a credential.

Needs SPORTELLO_TEST_GATEWAY_URL and SPORTELLO_JWT_SECRET (./sportello test).
"""
import base64
import html
import json
import os
import secrets
import subprocess
import sys
import tempfile
import urllib.request

import feedparser

import feed_checks

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "support"))
from stack_helpers import check, poll, request, summary, token  # noqa: E402

GATEWAY = os.environ["SPORTELLO_TEST_GATEWAY_URL"]
TELEGRAM_TOKEN = "123456:TEST-telegram-token"
WEBHOOK_SECRET = "whsec_" + base64.b64encode(b"webhook-test-secret-32-bytes!!!!").decode()


def call(method, path, body=None, tok=None, headers=None):
    """A request to the gateway's `path`: (status, headers, raw body)."""
    return request(method, GATEWAY + path, body, tok, headers, timeout=10)


def js(raw):
    return json.loads(raw or b"{}")


def main():
    ports_file = tempfile.mktemp(suffix=".ports")
    fakes = subprocess.Popen([sys.executable, os.path.join(HERE, "fake_platforms.py"), ports_file],
                             stdin=subprocess.PIPE)
    try:
        poll(lambda: os.path.exists(ports_file), 20)
        http_port, _smtp_port = open(ports_file).read().split()
        base = f"http://127.0.0.1:{http_port}"
        run(base)
        run_plan()
    finally:
        fakes.stdin.close()
        fakes.wait(timeout=10)
    sys.exit(summary())


def run(base):
    tenant = "e2e_dispatch_" + secrets.token_hex(4)
    manager = token(tenant, "bruno.manager", "communication_manager")
    editor = token(tenant, "anna.editor", "communication")
    other_manager = token(tenant, "carla.manager", "communication_manager", "communication")

    # Accounts: a signed webhook, Telegram, the feed.
    st, _, raw = call("POST", f"/api/v1/tenants/{tenant}/accounts",
                      {"channel": "MESSAGE_CHANNEL_WEBHOOK", "handle": "portale", "endpoint": base + "/hook",
                       "credential": WEBHOOK_SECRET}, manager)
    check(f"webhook account created ({st} {raw[:200]!r})", st == 200)
    hook = js(raw)
    check("the credential is never returned", WEBHOOK_SECRET not in raw.decode() and hook.get("has_credential"))
    st, _, raw = call("POST", f"/api/v1/tenants/{tenant}/accounts",
                      {"channel": "MESSAGE_CHANNEL_TELEGRAM", "handle": "@comune_test", "endpoint": base,
                       "credential": TELEGRAM_TOKEN}, manager)
    check("telegram account created", st == 200)
    tg = js(raw)
    st, _, raw = call("POST", f"/api/v1/tenants/{tenant}/accounts",
                      {"channel": "MESSAGE_CHANNEL_FEED", "handle": "feed", "public_url": GATEWAY + f"/feeds/{tenant}/atom"},
                      manager)
    check("feed account created", st == 200)
    feed = js(raw)
    st, _, raw = call("POST", f"/api/v1/tenants/{tenant}/accounts", {"channel": "MESSAGE_CHANNEL_TELEGRAM", "handle": "x"},
                      editor)
    check("an editor cannot register accounts (403)", st == 403)

    st, _, raw = call("GET", f"/api/v1/tenants/{tenant}/accounts")
    public = js(raw)
    check("the registry is public", st == 200 and len(public.get("accounts", [])) == 3)
    check("the public registry shows no endpoint and no secret",
          TELEGRAM_TOKEN not in raw.decode() and base not in raw.decode())

    # Bad input: problem+json with the field, nothing created.
    st, headers, raw = call("POST", f"/api/v1/tenants/{tenant}/messages",
                            {"title": "T", "text": "x", "account_ids": [tg["id"]],
                             "variants": [{"account_id": tg["id"], "text": "a" * 5000}]}, editor)
    body = js(raw)
    check(f"a variant over its limit is 400 problem+json ({st})",
          st == 400 and headers.get("Content-Type", "").startswith("application/problem+json"))
    check("the violation names channel, length and limit", "4096" in raw.decode() and "telegram" in raw.decode())
    st, _, raw = call("POST", f"/api/v1/tenants/{tenant}/messages",
                      {"title": "T", "text": "x", "account_ids": [tg["id"]], "scheduled_time": "2020-01-01T00:00:00Z"},
                      editor)
    check("a time in the past is 400", st == 400 and "scheduled_time" in raw.decode())
    st, _, raw = call("GET", f"/api/v1/tenants/{tenant}/messages", None, editor)
    check("bad input created nothing", st == 200 and js(raw).get("messages", []) == [])

    # Draft -> submit -> self-approval refused -> approval -> delivered.
    text = "Domani le scuole restano chiuse per allerta meteo. Seguite gli aggiornamenti <ufficiali> & i canali del Comune."
    st, _, raw = call("POST", f"/api/v1/tenants/{tenant}/messages",
                      {"title": "Allerta meteo: scuole chiuse", "text": text,
                       "link": "https://comune.example.it/allerta",
                       "account_ids": [hook["id"], tg["id"], feed["id"]]}, other_manager)
    check(f"draft created ({st})", st == 200)
    msg = js(raw)
    check("variants for each account", len(msg.get("variants", [])) == 3)
    tg_variant = [v for v in msg.get("variants", []) if v["account_id"] == tg["id"]]
    check("telegram's variant is escaped for HTML mode", tg_variant and "&lt;ufficiali&gt; &amp;" in tg_variant[0]["text"])
    mid = msg["id"]
    st, _, raw = call("POST", f"/api/v1/messages/{mid}:submit", {}, other_manager)
    check("submitted", st == 200 and js(raw).get("state") == "MESSAGE_STATE_SUBMITTED")
    st, _, raw = call("POST", f"/api/v1/messages/{mid}:approve", {}, other_manager)
    check(f"the author cannot approve their own message (400, got {st})", st == 400 and "approver" in raw.decode())
    st, _, raw = call("POST", f"/api/v1/messages/{mid}:approve", {}, editor)
    check("an editor cannot approve (403)", st == 403)
    st, _, raw = call("POST", f"/api/v1/messages/{mid}:approve", {}, manager)
    approved = js(raw)
    check(f"approved by another manager ({st})", st == 200 and approved.get("state") == "MESSAGE_STATE_APPROVED")
    steps = [(s["action"], s["who"]) for s in approved.get("history", [])]
    check("the legal record", steps == [("create", "carla.manager"), ("submit", "carla.manager"),
                                        ("approve", "bruno.manager")])

    def delivered():
        st, _, raw = call("GET", f"/api/v1/messages/{mid}/deliveries", None, manager)
        ds = js(raw).get("deliveries", [])
        return ds if len(ds) == 2 and all(d["state"] == "DELIVERY_STATE_SENT" for d in ds) else None

    ds = poll(delivered, 30)
    check("both deliveries sent by the worker", bool(ds))
    with urllib.request.urlopen(base + "/_log", timeout=5) as r:
        log = json.loads(r.read())
    hooks = [h for h in log["webhook"] if h["body"].get("message_id") == mid]
    check("the webhook receiver verified the signature and got it once", len(hooks) == 1)
    tgs = [t for t in log["telegram"] if "allerta meteo" in t.get("text", "")]
    check("Telegram got it once, in HTML mode", len(tgs) == 1 and tgs[0].get("parse_mode") == "HTML")
    st, _, raw = call("PATCH", f"/api/v1/messages/{mid}", {"text": "cambiato"}, editor)
    check(f"an edit after sending is refused (409/400, got {st})", st in (400, 409, 412))

    # Feeds.
    st, headers, raw = call("GET", f"/feeds/{tenant}/atom")
    check("atom feed served", st == 200 and "atom+xml" in headers.get("Content-Type", ""))
    parsed = feedparser.parse(raw)
    check(f"feedparser reads the Atom feed cleanly (bozo={parsed.bozo})", not parsed.bozo)
    check("the entry's id is urn:uuid:<message id>",
          parsed.entries and parsed.entries[0].id == "urn:uuid:" + mid)
    check("the entry's title", parsed.entries and parsed.entries[0].title == "Allerta meteo: scuole chiuse")
    st, headers, raw = call("GET", f"/feeds/{tenant}/rss")
    parsed = feedparser.parse(raw)
    check(f"feedparser reads the RSS feed cleanly (bozo={parsed.bozo})", st == 200 and not parsed.bozo)
    check("the RSS item's guid", parsed.entries and parsed.entries[0].id == "urn:uuid:" + mid)
    check_feeds(tenant, manager, editor, feed, mid, text)
    st, _, _ = call("GET", "/feeds/Bad%20Tenant/atom")
    check("a bad tenant in a feed path is 404", st == 404)

    # Dead letter: a revoked Telegram token.
    st, _, raw = call("POST", f"/api/v1/tenants/{tenant}/accounts",
                      {"channel": "MESSAGE_CHANNEL_TELEGRAM", "handle": "@revoked", "endpoint": base,
                       "credential": "999:revoked"}, manager)
    bad = js(raw)
    st, _, raw = call("POST", f"/api/v1/tenants/{tenant}/messages",
                      {"title": "Avviso", "text": "Avviso breve", "account_ids": [bad["id"]]}, editor)
    m2 = js(raw)["id"]
    st, _, raw = call("POST", f"/api/v1/messages/{m2}:publish-urgent", {"note": "allerta protezione civile"}, manager)
    check(f"urgent publication by one manager with a reason ({st})",
          st == 200 and js(raw).get("history", [{}])[-1].get("note") == "allerta protezione civile")

    def dead():
        st, _, raw = call("GET", f"/api/v1/tenants/{tenant}/deliveries?state=dead", None, manager)
        return js(raw).get("deliveries", [])

    dl = poll(dead, 30)
    check("401 goes to the dead letter", len(dl) == 1)
    st, _, raw = call("GET", f"/api/v1/tenants/{tenant}/accounts", None, manager)
    marked = [a for a in js(raw).get("accounts", []) if a["id"] == bad["id"]]
    check("and marks the account", marked and marked[0]["status"] == "ACCOUNT_STATUS_NEEDS_CREDENTIALS")
    if dl:
        st, _, raw = call("POST", f"/api/v1/deliveries/{dl[0]['id']}:discard", {}, manager)
        check("an operator discards it", st == 200 and js(raw).get("state") == "DELIVERY_STATE_DISCARDED")


def check_feeds(tenant, manager, editor, feed, first_id, first_text):
    """A second entry (urgent, feed only, no link, characters XML forbids,
    text that looks like markup), then both feeds checked as the W3C
    validator would and read by a second reader."""
    title = "Chiusura «straordinaria» degli uffici: <tutti> & c."
    text = "Gli uffici restano chiusi\x01 il 24/12. Per urgenze: <b>112</b> & polizia locale."
    st, _, raw = call("POST", f"/api/v1/tenants/{tenant}/messages",
                      {"title": title, "text": text, "account_ids": [feed["id"]]}, editor)
    check(f"second feed message drafted ({st} {raw[:200]!r})", st == 200)
    second = js(raw).get("id", "")
    st, _, raw = call("POST", f"/api/v1/messages/{second}:publish-urgent", {"note": "chiusura improvvisa"}, manager)
    check(f"second feed message published ({st})", st == 200)
    clean = text.replace("\x01", "")

    atom_url = GATEWAY + f"/feeds/{tenant}/atom"
    rss_url = GATEWAY + f"/feeds/{tenant}/rss"

    def both_entries():
        st, _, raw = call("GET", f"/feeds/{tenant}/atom", None, None, {"Cache-Control": "no-cache"})
        return raw if st == 200 and second.encode() in raw else None

    atom = poll(both_entries, 20)
    check("the second message reaches the Atom feed", bool(atom))
    atom = atom or b""
    problems = feed_checks.atom_problems(atom, atom_url)
    check(f"the Atom feed passes RFC 4287's RELAX NG schema and the validator's checks: {problems}", not problems)
    # The checks can fail: a feed with a date that is not RFC 3339 and a
    # self link to another address does not pass.
    broken = atom.replace(b"<updated>", b"<updated>ieri ", 1).replace(atom_url.encode(), b"http://altro.example/f", 1)
    bad = feed_checks.atom_problems(broken, atom_url)
    check(f"a broken Atom feed fails them ({bad})",
          any("RELAX NG" in p for p in bad) and any("self link" in p for p in bad))
    st, _, rss = call("GET", f"/feeds/{tenant}/rss", None, None, {"Cache-Control": "no-cache"})
    problems = feed_checks.rss_problems(rss, rss_url)
    check(f"the RSS feed has RSS 2.0's required elements and passes the validator's checks: {problems}",
          st == 200 and not problems)
    first_item = rss.find(b"<item>")
    tampered = rss[:first_item] + rss[first_item:].replace(b"<description>", b"<description>&lt;i&gt;", 1)
    bad = feed_checks.rss_problems(tampered.replace(b'isPermaLink="false"', b'isPermaLink="true"', 1), rss_url)
    check(f"a broken RSS feed fails them ({bad})",
          any("isPermaLink" in p for p in bad) and any("markup" in p for p in bad))

    # A second reader: npm's feedparser.
    parsed, error = feed_checks.second_reader(atom)
    check(f"npm's feedparser reads the Atom feed ({error})", parsed is not None)
    if parsed:
        check(f"it sees both entries, newest first ({[i['guid'] for i in parsed['items']]})",
              [i["guid"] for i in parsed["items"]] == ["urn:uuid:" + second, "urn:uuid:" + first_id])
        check(f"and their titles ({parsed['items'][0]['title']!r})", parsed["items"][0]["title"] == title)
        check("and the Atom text as written", parsed["items"][0]["description"] == clean)
    parsed, error = feed_checks.second_reader(rss)
    check(f"npm's feedparser reads the RSS feed ({error})", parsed is not None)
    if parsed:
        check("it sees both items", [i["guid"] for i in parsed["items"]] == ["urn:uuid:" + second, "urn:uuid:" + first_id])
        check(f"the RSS description reads as the text ({parsed['items'][1]['description']!r})",
              html.unescape(parsed["items"][1]["description"]) == first_text
              and html.unescape(parsed["items"][0]["description"]) == clean)
        check("the dates are read", all(i["date"] for i in parsed["items"]))
    # Python's feedparser sees the text too (its sanitizer would drop a tag).
    entries = feedparser.parse(rss).entries
    check(f"feedparser keeps '<b>112</b>' in the RSS description ({entries[0].get('summary', '')!r})",
          entries and "<b>112</b>" in html.unescape(entries[0].get("summary", "")))


def run_plan():
    """Campaigns of the annual plan, the calendar, the social-media policy."""
    tenant = "e2e_plan_" + secrets.token_hex(4)
    manager = token(tenant, "bruno.manager", "communication_manager")
    editor = token(tenant, "anna.editor", "communication")
    campaign = {"name": "Differenziata 2027", "objective": "Portare la raccolta differenziata al 75%",
                "start_date": "2027-03-01", "end_date": "2027-05-31", "audience": "famiglie e scuole",
                "channels": ["MESSAGE_CHANNEL_TELEGRAM", "MESSAGE_CHANNEL_FEED"], "owner_office": "Ambiente"}
    st, _, raw = call("POST", f"/api/v1/tenants/{tenant}/campaigns", campaign, manager)
    check(f"campaign created ({st} {raw[:200]!r})", st == 200)
    c = js(raw)
    check("campaign fields kept", c.get("start_date") == "2027-03-01" and c.get("channels") == campaign["channels"])
    st, _, _ = call("POST", f"/api/v1/tenants/{tenant}/campaigns", campaign, editor)
    check(f"an editor cannot add campaigns (403, got {st})", st == 403)

    bad_cases = [
        ({**campaign, "end_date": "2027-02-01"}, "campaign.end_date"),
        ({**campaign, "start_date": "2027-02-30"}, "campaign.start_date"),
        ({**campaign, "channels": ["MESSAGE_CHANNEL_UNSPECIFIED"]}, "campaign.channels[0]"),
        ({**campaign, "channels": []}, "campaign.channels"),
        ({**campaign, "objective": " "}, "campaign.objective"),
    ]
    for body, field in bad_cases:
        st, headers, raw = call("POST", f"/api/v1/tenants/{tenant}/campaigns", body, manager)
        check(f"bad campaign -> 400 problem+json naming {field} ({st} {raw[:200]!r})",
              st == 400 and headers.get("Content-Type", "").startswith("application/problem+json")
              and field in raw.decode())
    st, _, raw = call("POST", f"/api/v1/tenants/{tenant}/campaigns", {**campaign, "channels": ["MESSAGE_CHANNEL_FAX"]},
                      manager)
    check(f"an unknown channel name is 400 ({st})", st == 400)
    st, _, raw = call("GET", f"/api/v1/tenants/{tenant}/campaigns")
    check("the plan is public and bad input added nothing", st == 200 and len(js(raw).get("campaigns", [])) == 1)
    st, _, raw = call("PATCH", f"/api/v1/tenants/{tenant}/campaigns/{c['id']}?update_mask=end_date",
                      {"end_date": "2027-01-01"}, manager)
    check(f"a patch ending before the start is 400 ({st})", st == 400 and "campaign.end_date" in raw.decode())
    st, _, raw = call("PATCH", f"/api/v1/tenants/{tenant}/campaigns/{c['id']}?update_mask=end_date",
                      {"end_date": "2027-06-30"}, manager)
    check(f"campaign patched ({st})", st == 200 and js(raw).get("end_date") == "2027-06-30"
          and js(raw).get("name") == campaign["name"])
    st, _, raw = call("GET", f"/api/v1/tenants/{tenant}/campaigns/{c['id']}")
    check("campaign read back", st == 200 and js(raw).get("end_date") == "2027-06-30")
    st, _, raw = call("GET", f"/api/v1/tenants/{tenant}/campaigns?year=2026")
    check("the 2026 plan does not hold it", st == 200 and js(raw).get("campaigns", []) == [])
    st, _, raw = call("GET", f"/api/v1/tenants/other_{tenant}/campaigns/{c['id']}")
    check("another tenant does not see it (404)", st == 404)

    # A message of the campaign, scheduled inside it; the calendar shows both
    # and the blackout.
    st, _, raw = call("POST", f"/api/v1/tenants/{tenant}/accounts",
                      {"channel": "MESSAGE_CHANNEL_FEED", "handle": "feed"}, manager)
    feed = js(raw)
    st, _, raw = call("POST", f"/api/v1/tenants/{tenant}/messages",
                      {"title": "Calendario raccolta", "text": "Il nuovo calendario della raccolta.",
                       "account_ids": [feed["id"]], "campaign_id": "00000000-0000-4000-8000-000000000000"}, editor)
    check(f"an unknown campaign is 400 ({st})", st == 400 and "message.campaign_id" in raw.decode())
    st, _, raw = call("POST", f"/api/v1/tenants/{tenant}/messages",
                      {"title": "Calendario raccolta", "text": "Il nuovo calendario della raccolta.",
                       "account_ids": [feed["id"]], "campaign_id": c["id"],
                       "scheduled_time": "2027-03-10T08:00:00Z"}, editor)
    check(f"a message of the campaign ({st})", st == 200 and js(raw).get("campaign_id") == c["id"])
    mid = js(raw).get("id")
    st, _, raw = call("POST", f"/api/v1/tenants/{tenant}/blackouts",
                      {"name": "Elezioni comunali 2027", "start_time": "2027-04-15T00:00:00Z",
                       "end_time": "2027-05-30T21:00:00Z"}, token(tenant, "admin", "admin"))
    check(f"blackout set ({st})", st == 200)
    st, _, raw = call("GET", f"/api/v1/tenants/{tenant}/calendar?from_time=2027-01-01T00:00:00Z"
                      f"&to_time=2027-12-31T00:00:00Z", None, editor)
    entries = js(raw).get("entries", [])
    kinds = [(e["kind"], e["id"]) for e in entries]
    check(f"calendar lists campaign, message and blackout ({st} {kinds})",
          st == 200 and ("campaign", c["id"]) in kinds and ("message", mid) in kinds
          and any(k == "blackout" for k, _ in kinds))
    msg_entry = [e for e in entries if e["kind"] == "message"]
    check("the message entry is the draft's, in its campaign",
          msg_entry and msg_entry[0].get("state") == "draft" and msg_entry[0].get("campaign_id") == c["id"])
    check("entries by start time", [e["start_time"] for e in entries] == sorted(e["start_time"] for e in entries))
    st, _, raw = call("GET", f"/api/v1/tenants/{tenant}/calendar?from_time=2027-02-01T00:00:00Z"
                      f"&to_time=2027-03-05T00:00:00Z", None, editor)
    kinds = [e["kind"] for e in js(raw).get("entries", [])]
    check("a narrower window leaves out what is outside it", st == 200 and kinds == ["campaign"])
    st, headers, raw = call("GET", f"/api/v1/tenants/{tenant}/calendar?from_time=2027-12-31T00:00:00Z"
                            f"&to_time=2027-01-01T00:00:00Z", None, editor)
    check(f"a window ending before it starts is 400 problem+json ({st})",
          st == 400 and "to_time" in raw.decode())
    st, _, _ = call("GET", f"/api/v1/tenants/{tenant}/calendar?from_time=2027-01-01T00:00:00Z"
                    f"&to_time=2027-12-31T00:00:00Z")
    check(f"the calendar is for staff ({st})", st == 401)

    # The social-media policy: versions kept, the public sees the current one.
    st, _, raw = call("GET", f"/api/v1/tenants/{tenant}/social-media-policy")
    check(f"no policy yet: 404 ({st})", st == 404)
    st, _, raw = call("POST", f"/api/v1/tenants/{tenant}/social-media-policy",
                      {"title": "Social media policy", "text": "Prima versione."}, manager)
    check(f"policy v1 ({st})", st == 200 and js(raw).get("version") == 1 and js(raw).get("author") == "bruno.manager")
    st, _, raw = call("POST", f"/api/v1/tenants/{tenant}/social-media-policy",
                      {"title": "Social media policy", "text": "Seconda versione: moderazione entro 24 ore."}, manager)
    check(f"policy v2 ({st})", st == 200 and js(raw).get("version") == 2)
    st, headers, raw = call("POST", f"/api/v1/tenants/{tenant}/social-media-policy", {"title": "", "text": ""}, manager)
    check(f"an empty policy is 400 problem+json ({st})", st == 400 and "policy.text" in raw.decode())
    st, _, raw = call("POST", f"/api/v1/tenants/{tenant}/social-media-policy",
                      {"title": "X", "text": "Versione dell'editore"}, editor)
    check(f"an editor cannot publish it ({st})", st == 403)
    st, _, raw = call("GET", f"/api/v1/tenants/{tenant}/social-media-policy")
    check("the public sees the current version", st == 200 and js(raw).get("version") == 2
          and "Seconda" in js(raw).get("text", ""))
    st, _, raw = call("GET", f"/api/v1/tenants/{tenant}/social-media-policy/versions")
    versions = [v["version"] for v in js(raw).get("versions", [])]
    check(f"old versions are kept ({versions})", st == 200 and versions == [2, 1])


if __name__ == "__main__":
    main()
