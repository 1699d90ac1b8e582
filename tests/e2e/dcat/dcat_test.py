#!/usr/bin/env python3
"""The DCAT-AP_IT catalogue as harvesters read it: the gateway that
./sportello test started serves /dcat/catalog and /dcat/{tenant}/catalog in
Turtle, RDF/XML and JSON-LD (by Accept and by suffix); the three parse with
rdflib into isomorphic graphs, which conform to the SHACL shapes of
shapes.ttl (DCAT-AP 2.1.1 and DCAT-AP_IT mandatory elements) in
rdf-validate-shacl; IRIs are absolute and never taken from Host; an Accept
naming none of the three is 406. Prints 'N passed, N failed'."""
import base64
import hashlib
import hmac
import json
import os
import random
import string
import time
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request

import rdflib
from rdflib.compare import isomorphic

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
BASE = os.environ.get("SPORTELLO_TEST_GATEWAY_URL", "")
PUBLIC = os.environ.get("SPORTELLO_PUBLIC_BASE_URL", "http://127.0.0.1:8080").rstrip("/")
DCAT = rdflib.Namespace("http://www.w3.org/ns/dcat#")
passed = failed = 0


def check(what, ok, detail=""):
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
        print(f"FAILED: {what} {detail}")


def get(path, accept=None, host=None):
    req = urllib.request.Request(BASE + path)
    if accept:
        req.add_header("Accept", accept)
    if host:
        req.add_header("Host", host)
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, r.headers.get("Content-Type", ""), r.read().decode("utf-8")
    except urllib.error.HTTPError as e:
        return e.code, e.headers.get("Content-Type", ""), e.read().decode("utf-8", "replace")


def token(tenant, role):
    """A development HS256 token, as ./sportello token mints it."""
    def b64(data):
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()
    header = b64(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    claims = b64(json.dumps({"sub": "dcat-test", "tenant": tenant, "roles": [role],
                             "exp": int(time.time()) + 600}).encode())
    secret = os.environ["SPORTELLO_JWT_SECRET"].encode()
    signature = b64(hmac.new(secret, f"{header}.{claims}".encode(), hashlib.sha256).digest())
    return f"{header}.{claims}.{signature}"


def post(path, body, bearer):
    req = urllib.request.Request(BASE + path, data=json.dumps(body).encode(), method="POST",
                                 headers={"Content-Type": "application/json", "Authorization": "Bearer " + bearer})
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, r.read().decode("utf-8")
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode("utf-8", "replace")


def sandbox():
    """A tenant of this test's own, with two published datasets."""
    tenant = "sb_" + "".join(random.choice(string.ascii_lowercase + string.digits) for _ in range(10))
    status, body = post("/api/v1/tenants", {"ipa_code": tenant, "name": "Comune di prova " + tenant,
                                             "kind": "TENANT_KIND_COMUNE",
                                             "pec": f"protocollo@pec.{tenant}.example.it"}, token(tenant, "admin"))
    check("sandbox tenant created", status == 200, body[:300])
    for slug in ("servizi", "uffici"):
        status, body = post(f"/api/v1/datasets/{tenant}-{slug}:refresh", {}, token(tenant, "operator"))
        check(f"{slug} refreshed", status == 200, body[:300])
    return tenant


def parse(text, fmt):
    g = rdflib.Graph()
    g.parse(data=text, format=fmt)
    return g


def shacl(graph):
    with tempfile.NamedTemporaryFile("w", suffix=".nt", delete=False) as f:
        f.write(graph.serialize(format="nt"))
        path = f.name
    try:
        out = subprocess.run(["node", os.path.join(HERE, "shacl_validate.mjs"), os.path.join(ROOT, "tools", "npm"),
                              os.path.join(HERE, "shapes.ttl"), path], capture_output=True, text=True, timeout=120)
        return out.returncode == 0, (out.stdout + out.stderr)[-3000:]
    finally:
        os.unlink(path)


def main():
    if not BASE:
        print("SPORTELLO_TEST_GATEWAY_URL is not set: run with ./sportello test")
        return 1
    tenant = sandbox()
    paths = ["/dcat/catalog", f"/dcat/{tenant}/catalog"]
    for path in paths:
        graphs = {}
        for accept, fmt, ctype in (("text/turtle", "turtle", "text/turtle"),
                                   ("application/rdf+xml", "xml", "application/rdf+xml"),
                                   ("application/ld+json", "json-ld", "application/ld+json")):
            status, got_type, text = get(path, accept=accept)
            check(f"{path} as {accept}: 200", status == 200, f"{status} {text[:300]}")
            check(f"{path} as {accept}: Content-Type", got_type.startswith(ctype), got_type)
            try:
                graphs[fmt] = parse(text, fmt)
            except Exception as e:  # noqa: BLE001 - any parse failure is the finding
                check(f"{path} as {accept} parses", False, repr(e)[:300])
        for suffix, fmt in ((".ttl", "turtle"), (".rdf", "xml"), (".jsonld", "json-ld")):
            status, _, text = get(path + suffix, host="evil.example")
            check(f"{path}{suffix}: 200 without Accept", status == 200, str(status))
            if status == 200:
                g = parse(text, fmt)
                check(f"{path}{suffix} matches the negotiated one", fmt not in graphs or isomorphic(g, graphs[fmt]))
        if len(graphs) == 3:
            check(f"{path}: Turtle and RDF/XML isomorphic", isomorphic(graphs["turtle"], graphs["xml"]))
            check(f"{path}: Turtle and JSON-LD isomorphic", isomorphic(graphs["turtle"], graphs["json-ld"]))
            g = graphs["turtle"]
            check(f"{path}: has datasets", len(list(g.subjects(rdflib.RDF.type, DCAT.Dataset))) > 0)
            iris = {str(t) for triple in g for t in triple if isinstance(t, rdflib.URIRef)}
            own = [i for i in iris if "/dcat/" in i or "/api/v1/" in i]
            check(f"{path}: IRIs from the public base URL, not Host",
                  own and all(i.startswith(PUBLIC) for i in own) and not any("evil.example" in i for i in iris),
                  str(sorted(own)[:5]))
            ok, report = shacl(g)
            check(f"{path}: conforms to the DCAT-AP and DCAT-AP_IT shapes", ok, report)
    status, _, _ = get("/dcat/catalog", accept="text/html")
    check("an Accept naming none of the three is 406", status == 406, str(status))
    status, _, _ = get("/dcat/catalog", accept="text/html;q=0.9, application/ld+json;q=0.5")
    check("q values choose among ours", status == 200, str(status))
    status, _, _ = get("/dcat/nessun_ente/catalog.ttl")
    check("an unknown tenant is 404", status == 404, str(status))
    # A graph that lacks a mandatory element must fail the shapes (the
    # validator is not a rubber stamp).
    bad = rdflib.Graph()
    bad.parse(data=f"""@prefix dcat: <http://www.w3.org/ns/dcat#> .
      @prefix dcatapit: <http://dati.gov.it/onto/dcatapit#> .
      <{PUBLIC}/x> a dcat:Dataset, dcatapit:Dataset .""", format="turtle")
    ok, _ = shacl(bad)
    check("a dataset without title and identifier violates the shapes", not ok)
    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
