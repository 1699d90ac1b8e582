#!/usr/bin/python3
"""Loopback stand-ins for the platforms dispatch talks to, speaking their real
protocols on 127.0.0.1 only:

  POST /bot<token>/sendMessage   Telegram Bot API shape (401 for a wrong token,
                                 scripted 429 with parameters.retry_after)
  POST /api/v1/statuses          Mastodon shape: Bearer token, Idempotency-Key
                                 honoured (the same key returns the same status)
  POST /hook                     a webhook receiver that checks Standard Webhooks
                                 and X-Hub-Signature-256 signatures and de-duplicates
                                 by webhook-id
  SMTP                           a real SMTP server (aiosmtpd)
  GET  /_log                     what each received, as JSON
  POST /_script                  {"path-prefix": [status, ...]} answers to give next

Usage: fake_platforms.py PORTS_FILE [--slow-telegram SECONDS]
                         [--http-port N] [--smtp-port N] [--forever]
Writes "http_port smtp_port" to PORTS_FILE when ready; exits when stdin closes
(with --forever: when killed, as the stand-ins of `./sportello run`).
"""
import base64
import hashlib
import hmac
import json
import os
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from aiosmtpd.controller import Controller

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from stack_helpers import free_port  # noqa: E402

TELEGRAM_TOKEN = "123456:TEST-telegram-token"
MASTODON_TOKEN = "mastodon-test-token"
WEBHOOK_SECRET = "whsec_" + base64.b64encode(b"webhook-test-secret-32-bytes!!!!").decode()

lock = threading.Lock()
log = {"telegram": [], "mastodon": [], "webhook": [], "mail": [], "requests": []}
script = {}  # path prefix -> list of statuses to answer next
idempotency = {}  # Idempotency-Key -> status JSON
webhook_seen = set()
counter = [1000]
slow = {"telegram": 0.0}


def next_scripted(path):
    with lock:
        for prefix, answers in script.items():
            if path.startswith(prefix) and answers:
                return answers.pop(0)
    return None


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body leave in two writes: without TCP_NODELAY a keep-alive
    # client (wrk in the bench) waits out a delayed ACK (40 ms) per request.
    disable_nagle_algorithm = True

    def log_message(self, *args):
        pass

    def reply(self, status, body, headers=None):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        if self.path == "/_log":
            with lock:
                self.reply(200, log)
        else:
            self.reply(404, {"error": "not found"})

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        raw = self.rfile.read(length)
        with lock:
            log["requests"].append({"path": self.path})
        if self.path == "/_script":
            with lock:
                for k, v in json.loads(raw).items():
                    script.setdefault(k, []).extend(v)
            return self.reply(200, {})
        if self.path.startswith("/bot"):
            return self.telegram(raw)
        if self.path == "/api/v1/statuses":
            return self.mastodon(raw)
        if self.path == "/hook":
            return self.webhook(raw)
        self.reply(404, {"error": "not found"})

    def telegram(self, raw):
        token = self.path[len("/bot"):].split("/")[0]
        if token != TELEGRAM_TOKEN:
            return self.reply(401, {"ok": False, "error_code": 401, "description": "Unauthorized"})
        scripted = next_scripted("/bot")
        if scripted == 429:
            return self.reply(429, {"ok": False, "error_code": 429,
                                    "description": "Too Many Requests: retry after 7",
                                    "parameters": {"retry_after": 7}})
        if scripted:
            return self.reply(scripted, {"ok": False, "error_code": scripted, "description": "scripted"})
        body = json.loads(raw)
        if slow["telegram"]:
            # Telegram has the message, the answer comes too late.
            with lock:
                counter[0] += 1
                log["telegram"].append(body)
            time.sleep(slow["telegram"])
            return self.reply(200, {"ok": True, "result": {"message_id": counter[0]}})
        with lock:
            counter[0] += 1
            log["telegram"].append(body)
            mid = counter[0]
        self.reply(200, {"ok": True, "result": {"message_id": mid, "text": body.get("text")}})

    def mastodon(self, raw):
        if self.headers.get("Authorization") != "Bearer " + MASTODON_TOKEN:
            return self.reply(401, {"error": "The access token is invalid"})
        key = self.headers.get("Idempotency-Key", "")
        scripted = next_scripted("/api/v1/statuses")
        if scripted == 429:
            reset = time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime(time.time() + 9))
            return self.reply(429, {"error": "Too many requests"},
                              {"X-RateLimit-Limit": "300", "X-RateLimit-Remaining": "0",
                               "X-RateLimit-Reset": reset})
        if scripted:
            return self.reply(scripted, {"error": "scripted"})
        body = json.loads(raw)
        with lock:
            if key and key in idempotency:
                return self.reply(200, idempotency[key])
            counter[0] += 1
            status = {"id": str(counter[0]), "content": body.get("status"), "visibility": body.get("visibility")}
            log["mastodon"].append({"key": key, "status": body.get("status")})
            if key:
                idempotency[key] = status
        self.reply(200, status)

    def webhook(self, raw):
        wid = self.headers.get("webhook-id", "")
        ts = self.headers.get("webhook-timestamp", "")
        sig = self.headers.get("webhook-signature", "")
        hub = self.headers.get("X-Hub-Signature-256", "")
        key = base64.b64decode(WEBHOOK_SECRET[len("whsec_"):])
        expected = "v1," + base64.b64encode(
            hmac.new(key, f"{wid}.{ts}.".encode() + raw, hashlib.sha256).digest()).decode()
        expected_hub = "sha256=" + hmac.new(key, raw, hashlib.sha256).hexdigest()
        ok = any(hmac.compare_digest(expected, s) for s in sig.split(" ")) and hmac.compare_digest(expected_hub, hub)
        fresh = abs(time.time() - int(ts or 0)) < 300
        if not ok or not fresh:
            return self.reply(401, {"error": "bad signature"})
        scripted = next_scripted("/hook")
        if scripted:
            headers = {"Retry-After": "4"} if scripted in (429, 503) else {}
            return self.reply(scripted, {"error": "scripted"}, headers)
        with lock:
            duplicate = wid in webhook_seen
            webhook_seen.add(wid)
            log["webhook"].append({"id": wid, "duplicate": duplicate, "body": json.loads(raw)})
        self.reply(200, {"received": True})


class Mail:
    async def handle_DATA(self, server, session, envelope):
        with lock:
            log["mail"].append({"from": envelope.mail_from, "rcpt": list(envelope.rcpt_tos),
                                "data": envelope.content.decode("utf-8", "replace")})
        return "250 OK queued"


def main():
    ports_file = sys.argv[1]
    if "--slow-telegram" in sys.argv:
        slow["telegram"] = float(sys.argv[sys.argv.index("--slow-telegram") + 1])
    def arg(name, default):
        return int(sys.argv[sys.argv.index(name) + 1]) if name in sys.argv else default

    http = ThreadingHTTPServer(("127.0.0.1", arg("--http-port", 0)), Handler)
    threading.Thread(target=http.serve_forever, daemon=True).start()
    smtp_port = arg("--smtp-port", 0) or free_port()
    smtp = Controller(Mail(), hostname="127.0.0.1", port=smtp_port)
    smtp.start()
    tmp = ports_file + ".tmp"
    with open(tmp, "w") as f:
        f.write(f"{http.server_address[1]} {smtp_port}\n")
    os.replace(tmp, ports_file)
    if "--forever" in sys.argv:
        threading.Event().wait()  # until SIGTERM
    sys.stdin.read()  # until the test closes our stdin
    smtp.stop()
    os._exit(0)


if __name__ == "__main__":
    main()
