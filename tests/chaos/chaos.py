#!/usr/bin/python3
"""The chaos run's load, subscriber and verdict (./sportello chaos, tests/chaos/run.sh).

  chaos.py sink PORT FILE      a sportello.v1.EventSink on 127.0.0.1:PORT that
                               records every Deliver call to FILE (JSON lines)
  chaos.py load ...            mixed load through the gateway for SECONDS,
                               one JSON line per client call to --out
  chaos.py check ...           reads the calls, the faults, the sink's record
                               and the database; prints the figures; exit 1 when
                               an acknowledged write was lost or duplicated, an
                               event was missed, repeated or out of order, or a
                               500 appeared

Standard library and python3-grpcio only; all traffic to 127.0.0.1.
"""
import argparse
import collections
import http.client
import json
import os
import random
import subprocess
import sys
import threading
import time
import uuid

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from stack_helpers import event_sink  # noqa: E402

TENANT = "c_f027"
STARS_SURVEY = "00000000-0000-4000-a000-000000000001"   # Massafra's CIE stars (demo data)
CIE_SERVICE = "00000000-0000-4000-9000-000000000001"
MARK = "chaos"                                          # in every description we submit

# Which services a kind of call needs (besides PostgreSQL and Redis): the
# recovery after a service's fault is the first success of one of these.
NEEDS = {
    "submit": {"complaints", "catalogue"},
    "replay": {"complaints"},
    "transition": {"complaints"},
    "get_request": {"complaints"},
    "open311": {"complaints", "catalogue"},
    "answer": {"surveys", "catalogue"},
    "read_tenant": {"catalogue"},
    "read_search": {"catalogue"},
    "read_datasets": {"opendata"},
    "read_messages": {"dispatch"},
}
WRITES = {"submit", "replay", "transition", "open311", "answer"}


# ---------------------------------------------------------------------------
# Subscriber

def cmd_sink(args):
    lock = threading.Lock()
    out = open(args.file, "a", buffering=1)

    def record(event):
        event["received"] = time.time()
        with lock:
            out.write(json.dumps(event) + "\n")

    server, _ = event_sink(record, "127.0.0.1:%d" % args.port)
    server.wait_for_termination()


# ---------------------------------------------------------------------------
# Load

class Recorder:
    def __init__(self, path):
        self.lock = threading.Lock()
        self.out = open(path, "w", buffering=1)

    def write(self, record):
        with self.lock:
            self.out.write(json.dumps(record) + "\n")


class Client:
    """One keep-alive connection to the gateway; every call is recorded."""

    def __init__(self, port, recorder, timeout):
        self.port, self.recorder, self.timeout = port, recorder, timeout
        self.conn = None

    def call(self, kind, method, path, body=None, headers=None, form=False):
        h = {"Accept": "application/json"}
        if body is not None:
            h["Content-Type"] = "application/x-www-form-urlencoded" if form else "application/json"
        h.update(headers or {})
        data = body if form or body is None else json.dumps(body)
        t0 = time.time()
        status, answer = None, None
        for attempt in (1, 2):
            try:
                if self.conn is None:
                    self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
                self.conn.request(method, path, body=data, headers=h)
                r = self.conn.getresponse()
                raw = r.read()
                status = r.status
                try:
                    answer = json.loads(raw) if raw else None
                except ValueError:
                    answer = None
                if r.getheader("Connection", "").lower() == "close":
                    self.conn.close()
                    self.conn = None
                break
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError) as e:
                # A kept-alive connection the gateway closed meanwhile: once more
                # on a fresh one (nothing reached the gateway).
                self.conn = None
                if attempt == 2 or time.time() - t0 > 1:
                    status = "reset"
                    answer = {"error": str(e)}
            except TimeoutError:
                self.conn = None
                status = "timeout"
                break
            except OSError as e:
                self.conn = None
                status = "connect"
                answer = {"error": str(e)}
                break
        t1 = time.time()
        rec = {"kind": kind, "t0": t0, "t1": t1, "status": status}
        if isinstance(status, int) and status >= 400 and isinstance(answer, dict):
            rec["detail"] = str(answer.get("detail") or answer.get("title") or answer.get("error") or "")[:200]
        self.recorder.write(rec)
        return status, answer


def report_body(key):
    lat = 40.58 + random.random() * 0.01
    lon = 17.10 + random.random() * 0.02
    return {
        "kind": "REQUEST_KIND_REPORT", "category": "strade-buche", "public": True,
        "description": "Buca segnalata durante la prova di guasti (%s %s)." % (MARK, key),
        "address": "Via della Prova %d, Massafra" % random.randint(1, 200),
        "location": {"latitude": lat, "longitude": lon},
        "attributes": [{"code": "tipo_dissesto", "values": ["buca"]}, {"code": "pericolo", "values": ["no"]}],
        "reporter": {"name": "Prova Guasti", "email": "prova.guasti@example.it"},
    }


def retryable(status):
    return not isinstance(status, int) or status in (502, 503, 504)


PATH_AFTER = {
    "REQUEST_STATUS_ASSIGNED": "REQUEST_STATUS_IN_PROGRESS",
    "REQUEST_STATUS_IN_PROGRESS": "REQUEST_STATUS_RESOLVED",
    "REQUEST_STATUS_RESOLVED": "REQUEST_STATUS_CLOSED",
}


class Worker(threading.Thread):
    def __init__(self, n, opts, recorder, results, deadline, budget):
        super().__init__(daemon=True)
        self.n, self.opts, self.results, self.deadline, self.budget = n, opts, results, deadline, budget
        self.client = Client(opts.port, recorder, opts.client_timeout)
        self.mine = []    # [number, token, status] of this worker's acknowledged reports
        self.rng = random.Random(n)

    def op(self):
        r = self.rng.random()
        if r < 0.30:
            self.submit()
        elif r < 0.45 and self.mine:
            self.transition()
        elif r < 0.55:
            self.answer()
        elif r < 0.62:
            self.open311()
        else:
            self.read()

    def run(self):
        while time.time() < self.deadline and self.budget.take():
            self.op()
            time.sleep(self.opts.pause)

    # Submissions with an Idempotency-Key: after a failure the client sends
    # the same key and body again until it is acknowledged (or time is up);
    # some acknowledged ones are sent once more and must answer the same number.
    def submit(self):
        key = str(uuid.uuid4())
        body = report_body(key)
        hdr = {"Idempotency-Key": key}
        attempts, give_up = 0, time.time() + self.opts.retry_for
        while True:
            attempts += 1
            status, answer = self.client.call("submit", "POST", "/api/v1/tenants/%s/requests" % TENANT, body, hdr)
            if status == 200 and answer and answer.get("request", {}).get("number"):
                number = answer["request"]["number"]
                self.results.ack("submission", key, number, attempts)
                self.mine.append([number, answer.get("tracking_token", ""), answer["request"].get("status")])
                if self.rng.random() < 0.2:
                    s2, a2 = self.client.call("replay", "POST", "/api/v1/tenants/%s/requests" % TENANT, body, hdr)
                    if s2 == 200:
                        again = (a2 or {}).get("request", {}).get("number")
                        self.results.replay(key, number, again)
                return
            if not retryable(status) or time.time() > give_up:
                self.results.unacked("submission", key, status)
                return
            time.sleep(min(2.0, 0.2 * attempts))

    # Status changes by the operator along ASSIGNED -> IN_PROGRESS -> RESOLVED
    # -> CLOSED. Not idempotent: after a failure the request is read again.
    def transition(self):
        item = self.rng.choice(self.mine)
        number, _, status = item
        if status not in PATH_AFTER:
            return
        to = PATH_AFTER[status]
        body = {"to": to, "note": "Aggiornamento durante la prova di guasti.", "public_note": True}
        auth = {"Authorization": "Bearer " + self.opts.operator}
        s, a = self.client.call("transition", "POST", "/api/v1/requests/%s:transition" % number, body, auth)
        if s == 200:
            item[2] = to
            self.results.count("transitions_acknowledged")
            if to == "REQUEST_STATUS_CLOSED":
                self.mine.remove(item)
            return
        s, a = self.client.call("get_request", "GET", "/api/v1/requests/%s" % number, None, auth)
        if s == 200 and a:
            item[2] = a.get("status")

    # Anonymous answers to the stars widget, retried with the same submission_id.
    def answer(self):
        sid = "chaos-" + str(uuid.uuid4())
        body = {"submission_id": sid, "answers": [{"question": "rating", "value": self.rng.randint(1, 5)}]}
        give_up, attempts = time.time() + self.opts.retry_for, 0
        while True:
            attempts += 1
            s, a = self.client.call("answer", "POST", "/api/v1/surveys/%s/responses" % STARS_SURVEY, body)
            if s == 200:
                self.results.ack("answer", sid, (a or {}).get("response_id", ""), attempts)
                return
            if not retryable(s) or time.time() > give_up:
                self.results.unacked("answer", sid, s)
                return
            time.sleep(min(2.0, 0.2 * attempts))

    # Open311 POSTs with a partner's api_key: no idempotency key in the
    # standard, so not retried; each acknowledged one must exist once.
    def open311(self):
        import urllib.parse
        marker = str(uuid.uuid4())
        form = urllib.parse.urlencode({
            "api_key": self.opts.partner, "jurisdiction_id": TENANT, "service_code": "strade-buche",
            "lat": "40.5881", "long": "17.1140",
            "description": "Buca da Open311 durante la prova di guasti (%s %s)." % (MARK, marker),
            "attribute[tipo_dissesto]": "buca", "attribute[pericolo]": "no",
        })
        s, a = self.client.call("open311", "POST", "/open311/v2/requests.json", form, form=True)
        if s in (200, 201) and isinstance(a, list) and a and a[0].get("service_request_id"):
            self.results.ack("open311", marker, a[0]["service_request_id"], 1)
        else:
            self.results.unacked("open311", marker, s)

    def read(self):
        r = self.rng.random()
        auth = {"Authorization": "Bearer " + self.opts.operator}
        if r < 0.25:
            self.client.call("read_tenant", "GET", "/api/v1/tenants/%s" % TENANT)
        elif r < 0.45:
            self.client.call("read_search", "GET", "/api/v1/search?tenant=%s&q=buca%%20%d" % (TENANT, self.rng.randint(0, 999)))
        elif r < 0.65 and self.mine:
            number, token, _ = self.rng.choice(self.mine)
            self.client.call("get_request", "GET", "/api/v1/requests/%s?token=%s" % (number, token))
        elif r < 0.82:
            self.client.call("read_datasets", "GET", "/api/v1/tenants/%s/datasets" % TENANT)
        else:
            self.client.call("read_messages", "GET", "/api/v1/tenants/%s/messages?page_size=5" % TENANT, None, auth)


class Budget:
    def __init__(self, n):
        self.n, self.lock = n, threading.Lock()

    def take(self):
        with self.lock:
            if self.n <= 0:
                return False
            self.n -= 1
            return True


class Results:
    def __init__(self, path):
        self.lock = threading.Lock()
        self.path = path
        self.acks = collections.defaultdict(dict)      # kind -> key -> [answer, attempts]
        self.unack = collections.defaultdict(dict)     # kind -> key -> last status
        self.replays = []
        self.counts = collections.Counter()

    def ack(self, kind, key, value, attempts):
        with self.lock:
            self.acks[kind][key] = [value, attempts]

    def unacked(self, kind, key, status):
        with self.lock:
            self.unack[kind][key] = status

    def replay(self, key, number, again):
        with self.lock:
            self.replays.append([key, number, again])

    def count(self, name):
        with self.lock:
            self.counts[name] += 1

    def save(self):
        with open(self.path, "w") as f:
            json.dump({"acks": self.acks, "unacked": self.unack, "replays": self.replays,
                       "counts": self.counts}, f)


def cmd_load(args):
    recorder = Recorder(args.out)
    results = Results(args.results)
    deadline = time.time() + args.seconds
    budget = Budget(args.max_calls)
    workers = [Worker(n, args, recorder, results, deadline, budget) for n in range(args.workers)]
    for w in workers:
        w.start()
    for w in workers:
        # A submission being retried may outlive the deadline by retry_for.
        w.join(args.seconds + args.retry_for + 2 * args.client_timeout + 30)
    results.save()


# ---------------------------------------------------------------------------
# Verdict

class Db:
    def __init__(self, psql, url):
        self.cmd = [psql, "-X", "-q", "-At", "-F", "\t", "-v", "ON_ERROR_STOP=1", "-d", url]

    def rows(self, sql):
        out = subprocess.run(self.cmd + ["-c", sql], check=True, capture_output=True, text=True).stdout
        return [line.split("\t") for line in out.splitlines() if line]


def load_jsonl(path):
    out = []
    if os.path.exists(path):
        with open(path) as f:
            for line in f:
                line = line.strip()
                if line:
                    out.append(json.loads(line))
    return out


def write_verdict(acks, rows):
    """acks: key -> [number, attempts] acknowledged to the client; rows: (number,
    key) stored. Returns (lost, duplicated): keys acknowledged but not stored
    exactly once under their number, and keys stored more than once."""
    stored = collections.defaultdict(list)
    for number, key in rows:
        stored[key].append(number)
    lost = sorted(k for k, (n, _) in acks.items() if stored.get(k) != [n])
    dup = sorted(k for k, v in stored.items() if len(v) > 1)
    return lost, dup, stored


def event_verdict(expected, events):
    """expected: (sequence, id) of the outbox in order; events: the subscriber's
    record, in arrival order. A delivery of an id already applied is a
    redelivery (at least once); otherwise its sequence must follow the last
    applied one. Returns a dict of counts."""
    seen, applied, last = {}, [], 0
    v = {"redelivered": 0, "out_of_order": 0, "id_other_sequence": 0}
    for e in events:
        if e["id"] in seen:
            v["redelivered"] += 1
            if seen[e["id"]] != e["sequence"]:
                v["id_other_sequence"] += 1
            continue
        if e["sequence"] <= last:
            v["out_of_order"] += 1
        seen[e["id"]] = e["sequence"]
        applied.append((e["sequence"], e["id"]))
        last = max(last, e["sequence"])
    exp_ids = {i for _, i in expected}
    v["applied"] = len(applied)
    v["missing"] = sum(1 for _, i in expected if i not in seen)
    v["unknown"] = sum(1 for _, i in applied if i not in exp_ids)
    v["sequence_twice"] = len(applied) - len({s for s, _ in applied})
    v["ok"] = not (v["missing"] or v["out_of_order"] or v["sequence_twice"] or v["unknown"] or v["id_other_sequence"])
    return v


def window_verdict(calls, windows):
    """Failed calls (not 200/201), those outside every (start, end) window,
    those other than 503/504, and the 500s."""
    failed = [c for c in calls if c["status"] not in (200, 201)]
    outside = [c for c in failed if not any(c["t1"] >= s and c["t0"] <= e for s, e in windows)]
    other = [c for c in failed if c["status"] not in (503, 504)]
    five = [c for c in failed if c["status"] == 500]
    return failed, outside, other, five


def cmd_check(args):
    calls = load_jsonl(args.calls)
    faults = load_jsonl(args.faults)
    with open(args.results) as f:
        res = json.load(f)
    db = Db(args.psql, args.pg_url)
    problems = []

    def p(line=""):
        print(line, flush=True)

    # -- The outbox reaches the subscriber: wait (bounded) until the relay has
    # caught up, then compare with the outbox itself.
    wait_until = time.time() + args.drain
    while True:
        top = db.rows("SELECT coalesce(max(sequence), 0) FROM complaints.outbox")[0][0]
        cur = db.rows("SELECT coalesce(max(last_sequence), 0) FROM complaints.outbox_cursors WHERE subscriber = 'chaos'")
        cur = cur[0][0] if cur else "0"
        if int(cur) >= int(top) or time.time() > wait_until:
            break
        time.sleep(1)

    p("== Sportello chaos run: %s s of load, %d client calls" % (args.seconds, len(calls)))
    p()
    p("-- Faults (recovery = from the restart until the first successful call that needs it)")
    t_start = min([c["t0"] for c in calls] or [time.time()])
    windows = []
    for fault in faults:
        needs = fault["needs"]
        restored = fault["restored"]
        firsts = [c["t1"] for c in calls
                  if c["status"] == 200 and c["t0"] >= restored and (needs == "*" or NEEDS[c["kind"]] & set(needs.split(",")))]
        first = min(firsts) if firsts else None
        recovery = (first - restored) if first else None
        # Calls in flight when it recovered may still fail: 2 s of grace.
        end = (first if first else float("inf")) + 2.0
        windows.append((fault["start"], end))
        failed_in = sum(1 for c in calls if c["status"] != 200 and isinstance(c["status"], (str, int))
                        and not (isinstance(c["status"], int) and c["status"] < 500)
                        and c["t1"] >= fault["start"] and c["t0"] <= end)
        p("  %-26s at +%6.1fs  down %5.1fs  recovered in %s  (%d failed calls in its window)" % (
            fault["name"], fault["start"] - t_start, restored - fault["start"],
            "%.2fs" % recovery if recovery is not None else "NEVER", failed_in))
        if recovery is None:
            problems.append("no successful call after " + fault["name"])

    # -- Client calls
    by_kind = collections.Counter(c["kind"] for c in calls)
    failed, outside, other_calls, five_hundreds = window_verdict(calls, windows)
    by_status = collections.Counter(str(c["status"]) for c in failed)
    other = collections.Counter(str(c["status"]) for c in other_calls)
    p()
    p("-- Client calls")
    p("  %d calls: %s" % (len(calls), ", ".join("%s %d" % kv for kv in sorted(by_kind.items()))))
    p("  failed: %d (%s)" % (len(failed), ", ".join("%s: %d" % kv for kv in sorted(by_status.items())) or "none"))
    p("  failed outside the fault windows: %d" % len(outside))
    for c in outside[:10]:
        p("    %s %s at +%.1fs: %s" % (c["kind"], c["status"], c["t0"] - t_start, c.get("detail", "")))
    p("  failed with other than 503/504: %d%s" % (sum(other.values()),
      " (" + ", ".join("%s: %d" % kv for kv in sorted(other.items())) + ")" if other else ""))
    for c in other_calls[:10]:
        p("    %s %s at +%.1fs: %s" % (c["kind"], c["status"], c["t0"] - t_start, c.get("detail", "")))
    p("  500 answers: %d" % len(five_hundreds))
    p("  all failures inside fault windows: %s; all 503/504: %s; none 500: %s" % (
        "yes" if not outside else "NO", "yes" if not other else "NO", "yes" if not five_hundreds else "NO"))
    if five_hundreds:
        problems.append("%d answers were 500" % len(five_hundreds))

    # -- Submissions with Idempotency-Keys: each acknowledged exactly once.
    rows = db.rows("SELECT number, substring(description from '%s ([0-9a-f-]{36})') FROM complaints.requests "
                   "WHERE tenant = '%s' AND description LIKE '%%(%s %%' AND description NOT LIKE 'Buca da Open311%%'"
                   % (MARK, TENANT, MARK))
    acks = res["acks"].get("submission", {})
    unacked = res["unacked"].get("submission", {})
    lost, dup, stored = write_verdict(acks, rows)
    retried = sum(1 for _, (n, a) in acks.items() if a > 1)
    committed_unacked = sum(1 for k in unacked if k in stored)
    bad_replay = [r for r in res["replays"] if r[1] != r[2]]
    p()
    p("-- Submissions (Idempotency-Key)")
    p("  acknowledged: %d (%d of them after client retries of the same key), not acknowledged: %d "
      "(%d of those stored anyway, once)" % (len(acks), retried, len(unacked), committed_unacked))
    p("  acknowledged and missing or another number: %d" % len(lost))
    p("  keys stored more than once: %d" % len(dup))
    p("  replays of an acknowledged key answering another number: %d of %d" % (len(bad_replay), len(res["replays"])))
    if lost:
        problems.append("%d acknowledged submissions lost: %s" % (len(lost), lost[:5]))
    if dup:
        problems.append("%d keys stored more than once: %s" % (len(dup), dup[:5]))
    if bad_replay:
        problems.append("%d replays answered another number" % len(bad_replay))

    # -- Open311 POSTs (no key: each acknowledged one exactly once).
    rows = db.rows("SELECT number, substring(description from '%s ([0-9a-f-]{36})') FROM complaints.requests "
                   "WHERE tenant = '%s' AND description LIKE 'Buca da Open311%%'" % (MARK, TENANT))
    o_acks = res["acks"].get("open311", {})
    o_lost, o_dup, _ = write_verdict(o_acks, rows)
    p()
    p("-- Open311 POSTs")
    p("  acknowledged: %d, not acknowledged: %d; acknowledged and missing: %d; stored twice: %d" % (
        len(o_acks), len(res["unacked"].get("open311", {})), len(o_lost), len(o_dup)))
    if o_lost or o_dup:
        problems.append("Open311: %d lost, %d stored twice" % (len(o_lost), len(o_dup)))

    # -- Survey answers: each acknowledged response stored.
    a_acks = res["acks"].get("answer", {})
    ids = [v[0] for v in a_acks.values() if v[0]]
    found = set()
    for i in range(0, len(ids), 500):
        chunk = ",".join("'%s'" % x for x in ids[i:i + 500])
        found |= {r[0] for r in db.rows("SELECT id::text FROM surveys.responses WHERE id IN (%s)" % chunk)}
    # An acknowledgment without a response id names nothing stored: lost too.
    a_lost = [x for x in ids if x not in found] + [k for k, v in a_acks.items() if not v[0]]
    a_retried = sum(1 for v in a_acks.values() if v[1] > 1)
    p()
    p("-- Survey answers (anonymous, submission_id)")
    p("  acknowledged: %d (%d after client retries), not acknowledged: %d; acknowledged and missing "
      "(or without a response id): %d" % (len(a_acks), a_retried, len(res["unacked"].get("answer", {})), len(a_lost)))
    if a_lost:
        problems.append("%d acknowledged survey answers lost" % len(a_lost))
    p("  transitions acknowledged: %d" % res["counts"].get("transitions_acknowledged", 0))

    # -- Outbox events at the subscriber, per stream (complaints' outbox).
    events = load_jsonl(args.sink)
    outbox = db.rows("SELECT sequence, event_id::text FROM complaints.outbox ORDER BY sequence")
    expected = [(int(s), i) for s, i in outbox]
    v = event_verdict(expected, events)
    p()
    p("-- Outbox events at the subscriber (complaints -> chaos, by sequence)")
    p("  in the outbox: %d (sequences %s..%s); delivered: %d distinct, %d redeliveries of an id already "
      "acknowledged (at-least-once, de-duplicated by id)" % (
          len(expected), expected[0][0] if expected else "-", expected[-1][0] if expected else "-",
          v["applied"], v["redelivered"]))
    p("  missing (gap): %d, out of order: %d, a sequence with two ids: %d, not in the outbox: %d, "
      "an id with another sequence: %d" % (v["missing"], v["out_of_order"], v["sequence_twice"], v["unknown"],
                                           v["id_other_sequence"]))
    if not v["ok"]:
        problems.append("events: %d missing, %d out of order, %d repeated sequences, %d unknown" % (
            v["missing"], v["out_of_order"], v["sequence_twice"], v["unknown"]))

    p()
    if problems:
        p("FAILED:")
        for x in problems:
            p("  - " + x)
        return 1
    p("OK: nothing acknowledged lost or duplicated, every event delivered in order, no 500")
    return 0


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("sink")
    s.add_argument("port", type=int)
    s.add_argument("file")
    lo = sub.add_parser("load")
    lo.add_argument("--port", type=int, required=True)
    lo.add_argument("--seconds", type=float, required=True)
    lo.add_argument("--operator", required=True)
    lo.add_argument("--partner", required=True)
    lo.add_argument("--out", required=True)
    lo.add_argument("--results", required=True)
    lo.add_argument("--workers", type=int, default=6)
    lo.add_argument("--max-calls", type=int, default=60000)
    lo.add_argument("--pause", type=float, default=0.02)
    lo.add_argument("--retry-for", type=float, default=60)
    lo.add_argument("--client-timeout", type=float, default=20)
    c = sub.add_parser("check")
    for name in ("calls", "faults", "results", "sink", "psql", "pg-url"):
        c.add_argument("--" + name, required=True)
    c.add_argument("--seconds", required=True)
    c.add_argument("--drain", type=float, default=60)
    args = ap.parse_args()
    if args.cmd == "sink":
        cmd_sink(args)
    elif args.cmd == "load":
        cmd_load(args)
    else:
        sys.exit(cmd_check(args))


if __name__ == "__main__":
    main()
