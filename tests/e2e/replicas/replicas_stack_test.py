#!/usr/bin/python3
"""Two replicas of every service, started by ./sportello's own stack functions
(SPORTELLO_REPLICAS=2, as `./sportello run` does) on free ports, in a
database of their own on the test PostgreSQL, behind one gateway given every
replica's address. Then:
- requests through the gateway reach both replicas of the catalogue and of
  complaints (each replica's own /metrics counts its calls);
- both complaints replicas relay the outbox to one subscriber (this test's
  EventSink): every event arrives once, in sequence order;
- overdue requests (made overdue in this database) are escalated once: both
  replicas scan every second, yet each request has one "escalated" entry in
  its history and one request.overdue event;
- the scheduled open data refresh (hourly) runs one pass across both
  replicas; dispatch's two workers send each approved message once to a
  webhook; the demo data that both replicas loaded at once is there once;
- with one replica of every service killed (SIGKILL), the gateway goes on
  answering reads and submissions.

Needs SPORTELLO_TEST_PG_URL, SPORTELLO_TEST_REDIS_URL, SPORTELLO_TEST_BIN_DIR
(./sportello test) and python3-grpcio.
"""
import base64
import collections
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "support"))
from stack_helpers import (ROOT, SERVICES, ScratchDatabase, check, event_sink, failures, http, poll,  # noqa: E402
                           sql, summary, token)

BIN = os.environ["SPORTELLO_TEST_BIN_DIR"]
REDIS_URL = os.environ["SPORTELLO_TEST_REDIS_URL"]
WEBHOOK_SECRET = "whsec_" + base64.b64encode(b"webhook-test-secret-32-bytes!!!!").decode()


class Sink:
    """sportello.v1.EventSink/Deliver: records every event in arrival order."""

    def __init__(self):
        self.events = []
        self.lock = threading.Lock()
        self.server, self.port = event_sink(self.record)

    def record(self, event):
        with self.lock:
            self.events.append(event)

    def snapshot(self):
        with self.lock:
            return list(self.events)


def rpc_counts(metrics_addr, method):
    """sportello_rpc_requests_total of `method` on one replica's /metrics."""
    status, text = http("GET", f"http://{metrics_addr}/metrics")
    total = 0
    for line in text.splitlines():
        if line.startswith("sportello_rpc_requests_total") and f'method="{method}"' in line:
            total += int(float(line.rsplit(" ", 1)[1]))
    return total


STACK = r'''
set -euo pipefail
source "$1/sportello"
BIN_DIR="$2"; PG_URL="$3"; REDIS_URL="$4"; JWT_SECRET="$5"; dir="$6"
install_traps
STACK_DIR="$dir"
start_services "$dir" ephemeral
{
  for r in "${SVC_REPLICAS[@]}"; do echo "$r ${SVC_PID[$r]} ${SVC_ADDR[$r]} ${SVC_METRICS[$r]}"; done
  echo "gateway ${SVC_PID[gateway]} 127.0.0.1:$GATEWAY_PORT -"
} >"$dir/stack.tmp"
mv "$dir/stack.tmp" "$dir/stack.txt"
while :; do sleep 0.5; done
'''


def submission(i):
    return {"kind": "REQUEST_KIND_REPORT", "category": "strade-buche",
            "description": f"Buca numero {i} davanti al civico {10 + i}, pericolosa per chi passa in scooter.",
            "address": f"Via Vittorio Veneto {10 + i}, Massafra",
            "location": {"latitude": 40.58805, "longitude": 17.11404},
            "attributes": [{"code": "tipo_dissesto", "values": ["buca"]}, {"code": "pericolo", "values": ["si"]}],
            "public": True, "reporter": {"name": "Mario Demo", "email": "mario.demo@example.it"}}


def main():
    work = tempfile.mkdtemp(prefix="sportello-replicas.")
    os.chmod(work, 0o755)
    db = ScratchDatabase("sportello_replicas_")
    db_url = db.url
    stack = fakes = None
    sink = Sink()
    try:
        db.create()
        ports_file = os.path.join(work, "fakes.ports")
        fakes = subprocess.Popen([sys.executable, os.path.join(ROOT, "tests/dispatch/fake_platforms.py"), ports_file],
                                 stdin=subprocess.PIPE)
        jwt_secret = secrets.token_hex(32)
        env = dict(os.environ,
                   SPORTELLO_REPLICAS="2",
                   SPORTELLO_COMPLAINTS_SUBSCRIBERS=f"replicas_sink=127.0.0.1:{sink.port}",
                   # An hourly schedule whose first pass is due at once; replicas look every 0.2 s.
                   SPORTELLO_OPENDATA_REFRESH_INTERVAL="3600", SPORTELLO_OPENDATA_REFRESH_POLL="0.2",
                   SPORTELLO_READY_TIMEOUT="120")
        for k in ("SPORTELLO_PG_URL", "SPORTELLO_REDIS_URL"):
            env.pop(k, None)
        stack = subprocess.Popen(["bash", "-c", STACK, "stack", ROOT, BIN, db_url, REDIS_URL.rsplit("/", 1)[0] + "/8",
                                  jwt_secret, work], env=env, stdout=open(f"{work}/stack.log", "w"),
                                 stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
        ready = poll(lambda: os.path.exists(f"{work}/stack.txt") or stack.poll() is not None, 180)
        if not os.path.exists(f"{work}/stack.txt"):
            check("the two-replica stack starts", False, open(f"{work}/stack.log").read()[-4000:])
            return
        procs = {}
        for line in open(f"{work}/stack.txt"):
            name, pid, addr, metrics = line.split()
            procs[name] = {"pid": int(pid), "addr": addr, "metrics": metrics}
        check("two replicas of every service, each on its own port",
              all(s in procs and s + "-2" in procs and procs[s]["addr"] != procs[s + "-2"]["addr"] for s in SERVICES),
              procs)
        gateway = "http://" + procs["gateway"]["addr"]
        check("ready behind the gateway", http("GET", gateway + "/readyz")[0] == 200)

        operator = token("c_f027", "operatore-repliche", "operator", secret=jwt_secret, ttl=900)

        # 1. The hourly open data refresh, due at once: one pass across both replicas.
        # (First: its calls to the catalogue are over before the reads below are counted.)
        def passes():
            n = 0
            for r in ("opendata", "opendata-2"):
                n += sum(1 for line in open(f"{work}/logs/{r}.log") if '"scheduled refresh"' in line)
            return n

        check("a scheduled refresh pass ran", poll(lambda: passes() >= 1, 90))
        time.sleep(1.5)  # several more looks by each replica
        check("one pass in all, not one per replica", passes() == 1, passes())
        jobs = sql(db_url, "SELECT count(*) FROM opendata.refresh_jobs WHERE last_run_time IS NOT NULL")
        check("the schedule's row records the pass", jobs == [["1"]], jobs)

        # 2. Requests are spread over both replicas (a token: never served from the edge cache).
        before = {r: rpc_counts(procs[r]["metrics"], "GetTenant") for r in ("catalogue", "catalogue-2")}
        statuses = [http("GET", gateway + "/api/v1/tenants/c_f027", tok=operator)[0] for _ in range(40)]
        check("40 reads through the gateway answer 200", statuses.count(200) == 40, statuses)
        after = {r: rpc_counts(procs[r]["metrics"], "GetTenant") for r in ("catalogue", "catalogue-2")}
        spread = {r: after[r] - before[r] for r in after}
        print("GetTenant calls per catalogue replica:", spread)
        # At least the gateway's 40 (another service may call GetTenant meanwhile).
        check("both catalogue replicas served reads (round_robin)", all(n >= 10 for n in spread.values())
              and sum(spread.values()) >= 40, spread)

        numbers = []
        for i in range(20):
            status, body = http("POST", gateway + "/api/v1/tenants/c_f027/requests", submission(i),
                                headers={"Idempotency-Key": secrets.token_hex(8)})
            if status == 200:
                numbers.append(json.loads(body).get("number") or json.loads(body).get("request", {}).get("number"))
        check("20 submissions through the gateway", len(numbers) == 20 and all(numbers), numbers)
        submits = {r: rpc_counts(procs[r]["metrics"], "SubmitRequest") for r in ("complaints", "complaints-2")}
        print("SubmitRequest calls per complaints replica:", submits)
        check("both complaints replicas took submissions", all(n >= 5 for n in submits.values()), submits)

        # 3. Every event once, in order, while both replicas relay.
        def outbox():
            return [(int(s), e) for s, e in sql(db_url, "SELECT sequence, event_id FROM complaints.outbox ORDER BY sequence")]

        def all_delivered():
            want = outbox()
            got = sink.snapshot()
            return want if len(got) >= len(want) and want else None

        want = poll(all_delivered, 60)
        got = sink.snapshot()
        seqs = [e["sequence"] for e in got]
        check("the subscriber received every outbox event", want and len(got) >= len(want), (len(got), len(want or [])))
        check("each event once (no id twice)", len({e["id"] for e in got}) == len(got))
        check("in sequence order", seqs == sorted(seqs) and len(set(seqs)) == len(seqs), seqs)
        check("exactly the outbox's events", [(e["sequence"], e["id"]) for e in got] == (want or []))

        # 4. Overdue requests escalated once, with both replicas scanning every second.
        quoted = ",".join("'" + n + "'" for n in numbers)
        sql(db_url, f"UPDATE complaints.requests SET due_time = now() - interval '1 hour' WHERE number IN ({quoted})")

        def escalated():
            rows = sql(db_url, f"SELECT count(*) FROM complaints.requests WHERE number IN ({quoted}) AND overdue_notified")
            return int(rows[0][0]) == len(numbers)

        check("every overdue request escalated", poll(escalated, 30))
        rows = sql(db_url, "SELECT r.number, count(h.*) FROM complaints.requests r LEFT JOIN complaints.history h "
                           f"ON h.request_id = r.id AND h.action = 'escalated' WHERE r.number IN ({quoted}) GROUP BY r.number")
        counts = {n: int(c) for n, c in rows}
        check("one 'escalated' history entry per request", len(counts) == len(numbers) and set(counts.values()) == {1},
              counts)

        def overdue_events():
            got = [e["subject"] for e in sink.snapshot() if e["type"] == "request.overdue"]
            return got if len(got) >= len(numbers) else None

        poll(overdue_events, 30)
        time.sleep(2)  # two more scans of each replica: nothing more may come
        overdue = collections.Counter(e["subject"] for e in sink.snapshot() if e["type"] == "request.overdue")
        check("one request.overdue event per request", sorted(overdue) == sorted(numbers)
              and set(overdue.values()) == {1}, overdue)
        seqs = [e["sequence"] for e in sink.snapshot()]
        check("still in order, still once", seqs == sorted(seqs) and len(set(seqs)) == len(seqs))

        # 5. Dispatch: both workers tick every 0.2 s; each message goes out once.
        check("the loopback platforms are up", poll(lambda: os.path.exists(ports_file), 20))
        base = "http://127.0.0.1:" + open(ports_file).read().split()[0]
        tenant = "e2e_replicas_" + secrets.token_hex(4)
        manager = token(tenant, "bruno.manager", "communication_manager", secret=jwt_secret, ttl=900)
        author = token(tenant, "carla.manager", "communication_manager", "communication", secret=jwt_secret, ttl=900)
        status, body = http("POST", f"{gateway}/api/v1/tenants/{tenant}/accounts",
                            {"channel": "MESSAGE_CHANNEL_WEBHOOK", "handle": "portale", "endpoint": base + "/hook",
                             "credential": WEBHOOK_SECRET}, manager)
        check("a webhook account", status == 200, body)
        hook = json.loads(body) if status == 200 else {}
        ids = []
        for i in range(8):
            status, body = http("POST", f"{gateway}/api/v1/tenants/{tenant}/messages",
                                {"title": f"Avviso {i}", "text": f"Avviso numero {i} ai cittadini.",
                                 "account_ids": [hook.get("id", "")]}, author)
            mid = json.loads(body).get("id") if status == 200 else None
            if mid and http("POST", f"{gateway}/api/v1/messages/{mid}:submit", {}, author)[0] == 200 \
                    and http("POST", f"{gateway}/api/v1/messages/{mid}:approve", {}, manager)[0] == 200:
                ids.append(mid)
        check("8 messages approved", len(ids) == 8, ids)

        def hooks():
            with urllib.request.urlopen(base + "/_log", timeout=5) as r:
                log = json.loads(r.read())
            return [h["body"].get("message_id") for h in log.get("webhook", [])
                    if h["body"].get("message_id") in ids]

        poll(lambda: len(set(hooks())) == len(ids), 30)
        time.sleep(1)  # a few more ticks of each worker
        sent = collections.Counter(hooks())
        check("each message delivered once by the two workers", sorted(sent) == sorted(ids)
              and set(sent.values()) == {1}, sent)

        # 6. Demo data loaded by both replicas at once, present once.
        steps = sql(db_url, "SELECT count(*) FROM dispatch.message_steps WHERE message_id = "
                            "'7d0f9a10-0000-4000-8000-000000000101'")
        check("the demo message's three steps, not six", steps == [["3"]], steps)

        # 7. One replica of every service killed: the gateway goes on answering.
        for s in SERVICES:
            os.kill(procs[s]["pid"], signal.SIGKILL)
        time.sleep(0.5)
        statuses = [http("GET", gateway + "/api/v1/tenants/c_f027", tok=operator)[0] for _ in range(20)]
        check("reads answer with one replica of each service killed", statuses.count(200) == 20, statuses)
        status, body = http("POST", gateway + "/api/v1/tenants/c_f027/requests", submission(99),
                            headers={"Idempotency-Key": secrets.token_hex(8)})
        check("a submission too (complaints-2 -> catalogue-2)", status == 200, body)
        status, body = http("GET", gateway + "/readyz")
        check("/readyz still 200", status == 200, body)
        if failures():
            for f in sorted(os.listdir(f"{work}/logs")):
                print(f"--- {f}\n" + open(f"{work}/logs/{f}").read()[-1500:])
    finally:
        if stack is not None and stack.poll() is None:
            os.killpg(stack.pid, signal.SIGTERM)
            try:
                stack.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(stack.pid, signal.SIGKILL)
                stack.wait()
        if fakes is not None:
            fakes.stdin.close()
            fakes.wait(timeout=10)
        sink.server.stop(0)
        db.drop()
        shutil.rmtree(work, ignore_errors=True)


main()
sys.exit(summary())
