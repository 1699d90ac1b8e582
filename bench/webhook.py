#!/usr/bin/python3
"""Helpers of the bench's webhook case (bench/run.sh).

  webhook.py messages GATEWAY_URL TENANT ACCOUNT_ID EDITOR_TOKEN MANAGER_TOKEN N
      N messages through the gateway's REST API, each drafted by an editor,
      submitted and approved by a manager, for one webhook account, scheduled
      a day ahead so that none is sent yet (run.sh then makes all their
      deliveries due at once). One keep-alive connection: the setup is not
      what is measured. Prints the message ids, one a line.

  webhook.py receiver-log RECEIVER_URL TENANT
      What the loopback receiver (tests/dispatch/fake_platforms.py) logged for
      TENANT's deliveries: "<received> <distinct ids> <duplicates>".

  webhook.py wrk-script RECEIVER_URL TENANT SECRET OUT.lua
      A wrk script posting the request dispatch sent for one of TENANT's
      deliveries: the body as the receiver got it (re-serialized compactly,
      in its key order, as dispatch writes it), signed now as dispatch signs
      (Standard Webhooks and X-Hub-Signature-256). Prints the body's size.

Exits non-zero on the first failure.
"""
import base64
import datetime
import hashlib
import hmac
import http.client
import json
import sys
import time
import urllib.parse
import urllib.request


def messages(gateway, tenant, account, editor, manager, n):
    url = urllib.parse.urlsplit(gateway)
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
    when = (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ")

    def call(path, body, token):
        conn.request("POST", path, json.dumps(body), {"Content-Type": "application/json",
                                                      "Authorization": "Bearer " + token})
        r = conn.getresponse()
        raw = r.read()
        if r.status != 200:
            sys.exit(f"POST {path}: {r.status} {raw[:300]!r}")
        return json.loads(raw)

    for i in range(int(n)):
        m = call(f"/api/v1/tenants/{tenant}/messages",
                 {"title": f"Avviso di prova {i + 1}", "text": f"Messaggio di prova numero {i + 1} per il banco.",
                  "link": "https://comune.example.it/avvisi", "account_ids": [account], "scheduled_time": when},
                 editor)
        call(f"/api/v1/messages/{m['id']}:submit", {}, editor)
        call(f"/api/v1/messages/{m['id']}:approve", {}, manager)
        print(m["id"])


def received(receiver, tenant):
    with urllib.request.urlopen(receiver + "/_log", timeout=30) as r:
        log = json.loads(r.read())
    return [h for h in log["webhook"] if h["body"].get("tenant") == tenant]


def receiver_log(receiver, tenant):
    hooks = received(receiver, tenant)
    print(len(hooks), len({h["id"] for h in hooks}), sum(1 for h in hooks if h["duplicate"]))


def wrk_script(receiver, tenant, secret, out):
    hooks = received(receiver, tenant)
    if not hooks:
        sys.exit("the receiver has no delivery of " + tenant)
    wid = hooks[0]["id"]
    body = json.dumps(hooks[0]["body"], separators=(",", ":"), ensure_ascii=False).encode()
    timestamp = str(int(time.time()))
    key = base64.b64decode(secret[len("whsec_"):])
    signature = "v1," + base64.b64encode(hmac.new(key, f"{wid}.{timestamp}.".encode() + body,
                                                  hashlib.sha256).digest()).decode()
    hub = "sha256=" + hmac.new(key, body, hashlib.sha256).hexdigest()

    def lua(s):  # a Lua long string cannot hold its own closing bracket
        assert "]==]" not in s
        return "[==[" + s + "]==]"

    with open(out, "w") as f:
        f.write(f'wrk.method = "POST"\nwrk.body = {lua(body.decode())}\n'
                f'wrk.headers["Content-Type"] = "application/json"\n'
                f'wrk.headers["webhook-id"] = {lua(wid)}\n'
                f'wrk.headers["webhook-timestamp"] = {lua(timestamp)}\n'
                f'wrk.headers["webhook-signature"] = {lua(signature)}\n'
                f'wrk.headers["X-Hub-Signature-256"] = {lua(hub)}\n')
    print(len(body))


def main():
    command, args = sys.argv[1], sys.argv[2:]
    {"messages": messages, "receiver-log": receiver_log, "wrk-script": wrk_script}[command](*args)


if __name__ == "__main__":
    main()
