#!/usr/bin/python3
"""The real binaries with TLS and mutual TLS, and no secret in their logs or answers.

Starts every service and the gateway on free ports, in a database of their
own on the test PostgreSQL, with certificates from tools/certs.sh,
SPORTELLO_ENV=production and SPORTELLO_TLS_CLIENT_CERT=require, then:
- REST through the gateway works (its upstream channels are TLS with the
  gateway's certificate), and a submission's event reaches surveys through
  complaints' outbox relay (service to service over mutual TLS, presenting
  the subscriber token);
- direct gRPC: plaintext refused, TLS without a client certificate refused,
  a partner certificate of c_f027 with a c_f027 token served, with a token of
  another tenant PERMISSION_DENIED;
- finally every log and every answer is searched for the secrets it used:
  the JWT secret, the subscriber token, the tokens sent, the TLS private
  keys, dispatch's credential key.

Needs SPORTELLO_TEST_PG_URL, SPORTELLO_TEST_REDIS_URL, SPORTELLO_TEST_BIN_DIR
(./sportello test) and python3-grpcio.
"""
import base64
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time

import grpc

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "support"))
import stack_helpers  # noqa: E402
from stack_helpers import ROOT, SERVICES, ScratchDatabase, check, free_port, poll, summary, token  # noqa: E402

BIN = os.environ["SPORTELLO_TEST_BIN_DIR"]
REDIS_URL = os.environ["SPORTELLO_TEST_REDIS_URL"]

answers = []  # every body received, searched for secrets at the end


def http(*args, **kwargs):
    """stack_helpers.http, keeping the body it returns in `answers`."""
    status, text = stack_helpers.http(*args, **kwargs)
    answers.append(text)
    return status, text


def main():
    work = tempfile.mkdtemp(prefix="sportello-tls-stack.")
    procs = []
    db = ScratchDatabase("sportello_tls_")
    try:
        subprocess.run(["bash", os.path.join(ROOT, "tools/certs.sh"), work, "c_f027", "c_a001"],
                       check=True, capture_output=True)
        db.create()
        jwt_secret = secrets.token_hex(32)
        dispatch_key = base64.b64encode(secrets.token_bytes(32)).decode()
        subscriber_token = token("c_f027", "complaints-relay", "partner", secret=jwt_secret)
        redis_url = REDIS_URL.rsplit("/", 1)[0] + "/9"
        ports = {name: free_port() for name in SERVICES}
        gateway_port = free_port()
        common = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "SPORTELLO_ENV": "production",
            "SPORTELLO_JWT_SECRET": jwt_secret,
            "SPORTELLO_PG_URL": db.url,
            "SPORTELLO_REDIS_URL": redis_url,
            "SPORTELLO_TLS_CA": f"{work}/ca.pem",
            "SPORTELLO_TLS_CLIENT_CERT": "require",
            "SPORTELLO_DISPATCH_CREDENTIAL_KEYS": "local:" + dispatch_key,
            "SPORTELLO_COMPLAINTS_SUBSCRIBER_TOKEN": subscriber_token,
            "SPORTELLO_COMPLAINTS_SUBSCRIBERS": f"tls_surveys=127.0.0.1:{ports['surveys']}",
        }
        for name in SERVICES:
            common[f"SPORTELLO_{name.upper()}_ADDR"] = f"127.0.0.1:{ports[name]}"
            common[f"SPORTELLO_{name.upper()}_METRICS_ADDR"] = ""
        for name in SERVICES + ["gateway"]:
            env = dict(common, SPORTELLO_TLS_CERT=f"{work}/{name}.pem", SPORTELLO_TLS_KEY=f"{work}/{name}.key")
            if name == "gateway":
                env["SPORTELLO_GATEWAY_ADDR"] = f"127.0.0.1:{gateway_port}"
            else:
                env["SPORTELLO_DEMO_DATA"] = "true"
            log = open(f"{work}/{name}.log", "w")
            procs.append(subprocess.Popen([f"{BIN}/sportello-{name}"], env=env, stdout=log, stderr=log,
                                          stdin=subprocess.DEVNULL))
        gateway = f"http://127.0.0.1:{gateway_port}"
        poll(lambda: http("GET", gateway + "/readyz")[0] == 200 or any(p.poll() is not None for p in procs), 60)
        status, body = http("GET", gateway + "/readyz")
        check("every service ready behind the gateway over TLS", status == 200, body)
        if status != 200:
            for name in SERVICES + ["gateway"]:
                print(f"--- {name}.log\n" + open(f"{work}/{name}.log").read()[-3000:])
            return

        # REST through the gateway (TLS upstream with the gateway's certificate).
        status, body = http("GET", gateway + "/api/v1/tenants/c_f027")
        check("GET a tenant through the gateway", status == 200 and "c_f027" in body, body)
        operator = token("c_f027", "operatore-tls", "operator", secret=jwt_secret)
        status, body = http("POST", gateway + "/api/v1/tenants/c_f027/requests", {
            "kind": "REQUEST_KIND_REPORT", "category": "strade-buche",
            "description": "Buca profonda davanti al civico 12, pericolosa per gli scooter.",
            "address": "Via Vittorio Veneto 12, Massafra",
            "location": {"latitude": 40.58805, "longitude": 17.11404},
            "attributes": [{"code": "tipo_dissesto", "values": ["buca"]}, {"code": "pericolo", "values": ["si"]}],
            "public": True, "reporter": {"name": "Mario Demo", "email": "mario.demo@example.it"}},
            headers={"Idempotency-Key": secrets.token_hex(8)})
        check("a submission through the gateway (complaints calls catalogue over mutual TLS)",
              status == 200, body)
        status, body = http("GET", gateway + "/api/v1/tenants/c_f027/requests", tok=operator)
        check("an operator lists requests", status == 200 and "requests" in body, body)
        status, body = http("GET", gateway + "/api/v1/tenants/c_f027/requests", tok=operator[:-4] + "AAAA")
        check("a forged token is 401", status == 401, body)
        status, body = http("GET", gateway + "/api/v1/tenants/c_f027/requests", tok=jwt_secret)
        check("the secret as a token is 401", status == 401, body)

        # The relay delivers the submission's event to surveys (service certificate + subscriber token).
        delivered = poll(lambda: any('"Deliver"' in line and '"OK"' in line for line in open(f"{work}/surveys.log")), 30)
        check("complaints' relay delivers to surveys over mutual TLS", delivered)

        # Direct gRPC to the catalogue.
        target = f"127.0.0.1:{ports['catalogue']}"
        ca = open(f"{work}/ca.pem", "rb").read()
        request = b"\x0a\x06c_f027"  # GetTenantRequest{ipa_code: "c_f027"}

        def get_tenant(channel, tok=None):
            call = channel.unary_unary("/sportello.v1.CatalogueService/GetTenant")
            md = [("authorization", "Bearer " + tok)] if tok else None
            try:
                reply = call(request, timeout=10, metadata=md)
                answers.append(reply.decode("utf-8", "replace"))
                return grpc.StatusCode.OK, reply
            except grpc.RpcError as e:
                answers.append(e.details() or "")
                return e.code(), e.details()

        def partner(tenant):
            return grpc.secure_channel(target, grpc.ssl_channel_credentials(
                ca, open(f"{work}/partner-{tenant}.key", "rb").read(),
                open(f"{work}/partner-{tenant}.pem", "rb").read()))

        code, _ = get_tenant(grpc.insecure_channel(target))
        check("plaintext gRPC refused", code == grpc.StatusCode.UNAVAILABLE, code)
        code, _ = get_tenant(grpc.secure_channel(target, grpc.ssl_channel_credentials(ca)))
        check("TLS without a client certificate refused (require)", code == grpc.StatusCode.UNAVAILABLE, code)
        partner_token = token("c_f027", "protocollo-massafra", "partner", secret=jwt_secret)
        code, reply = get_tenant(partner("c_f027"), partner_token)
        check("partner certificate and token of the same tenant", code == grpc.StatusCode.OK and b"c_f027" in reply,
              (code, reply))
        code, details = get_tenant(partner("c_a001"), partner_token)
        check("a c_f027 token over a c_a001 certificate is PERMISSION_DENIED",
              code == grpc.StatusCode.PERMISSION_DENIED, (code, details))

        # Nothing secret in what was logged or answered.
        time.sleep(0.5)
        for p in procs:
            p.terminate()
        for p in procs:
            p.wait(timeout=30)
        logs = {name: open(f"{work}/{name}.log").read() for name in SERVICES + ["gateway"]}
        check("the stack logged something to search", all(len(t) > 0 for t in logs.values()))
        secret_values = {
            "JWT secret": jwt_secret,
            "subscriber token": subscriber_token,
            "subscriber token signature": subscriber_token.rsplit(".", 1)[1],
            "operator token": operator,
            "partner token": partner_token,
            "dispatch credential key": dispatch_key,
        }
        for name in SERVICES + ["gateway", "partner-c_f027", "ca"]:
            key_text = open(f"{work}/{name}.key").read()
            body_lines = [l for l in key_text.splitlines() if l and not l.startswith("-----")]
            secret_values[f"{name} private key"] = "".join(body_lines)
            for i, line in enumerate(body_lines):
                secret_values[f"{name} private key line {i}"] = line
        places = dict(logs, answers="\n".join(answers))
        for what, value in secret_values.items():
            for where, text in places.items():
                check(f"{what} absent from {where}", value not in text)
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
                p.wait()
        db.drop()
        shutil.rmtree(work, ignore_errors=True)


main()
sys.exit(summary())
