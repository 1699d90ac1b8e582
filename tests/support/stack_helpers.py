"""What the Python tests that drive a stack share (tests/e2e/*/*.py,
tests/dispatch/*.py, tests/chaos/chaos.py): the check counter, development
tokens, JSON over HTTP, polling, free ports, psql, and sportello.v1.Event as
complaints' outbox relay delivers it to an EventSink.

Standard library only (event_sink imports python3-grpcio when called). A
script imports it through its own location, so it works under ctest, from
./sportello chaos and by hand:

    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
    from stack_helpers import check, summary  # noqa: E402
"""
import base64
import hashlib
import hmac
import json
import os
import secrets
import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
# The services of services/services.txt, in the order they start.
with open(os.path.join(ROOT, "services", "services.txt")) as _listing:
    SERVICES = [line.split()[0] for line in _listing if line[:1].isalpha()]
PSQL = "/usr/lib/postgresql/15/bin/psql"

# ---------------------------------------------------------------------------
# Checks: a failed one prints a line and the run goes on; summary() at the end.

_passed = _failed = 0


def check(what, cond, detail=""):
    """Counts `cond`; when false prints 'FAILED: what detail'."""
    global _passed, _failed
    if cond:
        _passed += 1
    else:
        _failed += 1
        print("FAILED:", what, detail)


def failures():
    """How many checks failed so far."""
    return _failed


def summary():
    """Prints 'N passed, N failed' and returns the exit status: 0 when some
    check passed and none failed."""
    print(f"{_passed} passed, {_failed} failed")
    return 0 if _failed == 0 and _passed > 0 else 1


# ---------------------------------------------------------------------------
# Tokens, as ./sportello token mints them

def b64(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def token(tenant, sub, *roles, secret=None, ttl=600):
    """An HS256 development token for `tenant`, signed with `secret` (default
    $SPORTELLO_JWT_SECRET, which ./sportello test exports), valid `ttl` seconds."""
    if secret is None:
        secret = os.environ["SPORTELLO_JWT_SECRET"]
    header = b64(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    claims = b64(json.dumps({"sub": sub, "tenant": tenant, "roles": list(roles),
                             "exp": int(time.time()) + ttl}).encode())
    sig = b64(hmac.new(secret.encode(), f"{header}.{claims}".encode(), hashlib.sha256).digest())
    return f"{header}.{claims}.{sig}"


# ---------------------------------------------------------------------------
# HTTP

def request(method, url, body=None, tok=None, headers=None, timeout=15):
    """One request with a JSON body (`body`, when given) and a bearer token
    (`tok`, when given): (status, headers, raw body). An HTTP error status is
    an answer; a connection failure raises OSError."""
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, method=method)
    req.add_header("Content-Type", "application/json")
    for k, v in (headers or {}).items():
        req.add_header(k, v)
    if tok:
        req.add_header("Authorization", "Bearer " + tok)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, r.headers, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read()


def http(method, url, body=None, tok=None, headers=None, timeout=15):
    """request() as (status, body text); a connection failure is status 0
    with the error as the text."""
    try:
        status, _, raw = request(method, url, body, tok, headers, timeout)
    except OSError as e:
        return 0, str(e)
    return status, raw.decode("utf-8", "replace")


def poll(fn, timeout=30.0, interval=0.2):
    """fn()'s first true value within `timeout` seconds, else its last value."""
    deadline = time.time() + timeout
    while True:
        value = fn()
        if value or time.time() > deadline:
            return value
        time.sleep(interval)


def free_port():
    """A port on 127.0.0.1 that was free a moment ago."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# ---------------------------------------------------------------------------
# PostgreSQL through psql

class ScratchDatabase:
    """A database of one test's own on the server of $SPORTELLO_TEST_PG_URL,
    named `prefix` and random hex; `url` reaches it. create() it inside the
    test's try, drop() it in the finally (closing any connection left)."""

    def __init__(self, prefix):
        self.admin_url = os.environ["SPORTELLO_TEST_PG_URL"]
        self.name = prefix + secrets.token_hex(4)
        parts = urllib.parse.urlsplit(self.admin_url)
        self.url = urllib.parse.urlunsplit(parts._replace(path="/" + self.name))

    def create(self):
        subprocess.run([PSQL, "-X", "-q", "-d", self.admin_url, "-c", f"CREATE DATABASE {self.name}"], check=True)

    def drop(self):
        subprocess.run([PSQL, "-X", "-q", "-d", self.admin_url, "-c",
                        f"DROP DATABASE IF EXISTS {self.name} WITH (FORCE)"], capture_output=True)


def sql(db_url, query):
    """The rows of `query`, each a list of its columns as text."""
    out = subprocess.run([PSQL, "-X", "-q", "-At", "-d", db_url, "-c", query], check=True,
                         capture_output=True, text=True).stdout
    return [line.split("|") for line in out.splitlines() if line]


# ---------------------------------------------------------------------------
# sportello.v1.Event (proto/sportello/v1/common.proto), read without generated code

def _varint(buf, i):
    shift = result = 0
    while True:
        b = buf[i]
        i += 1
        result |= (b & 0x7F) << shift
        if not b & 0x80:
            return result, i
        shift += 7


def parse_event(buf):
    """sportello.v1.Event's id (1), sequence (2), type (3), tenant (4), subject (5)."""
    out = {"id": "", "sequence": 0, "type": "", "tenant": "", "subject": ""}
    names = {1: "id", 3: "type", 4: "tenant", 5: "subject"}
    i = 0
    while i < len(buf):
        key, i = _varint(buf, i)
        field, wire = key >> 3, key & 7
        if wire == 0:
            value, i = _varint(buf, i)
            if field == 2:
                out["sequence"] = value
        elif wire == 2:
            size, i = _varint(buf, i)
            if field in names:
                out[names[field]] = buf[i:i + size].decode("utf-8", "replace")
            i += size
        elif wire == 1:
            i += 8
        elif wire == 5:
            i += 4
        else:
            raise ValueError("unexpected wire type %d" % wire)
    return out


def event_sink(on_event, address="127.0.0.1:0"):
    """A started sportello.v1.EventSink on `address` that calls
    on_event(parse_event(request)) for every Deliver call (from several
    threads): (server, port)."""
    from concurrent import futures

    import grpc  # python3-grpcio

    def deliver(request, context):
        on_event(parse_event(request))
        return b""  # DeliverResponse{}

    handler = grpc.method_handlers_generic_handler("sportello.v1.EventSink", {
        "Deliver": grpc.unary_unary_rpc_method_handler(
            deliver, request_deserializer=lambda b: b, response_serializer=lambda b: b),
    })
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=4))
    server.add_generic_rpc_handlers((handler,))
    port = server.add_insecure_port(address)
    server.start()
    return server, port
