#!/usr/bin/env python3
"""The DCAT-AP_IT catalogue as harvesters read it: the gateway that
./sportello test started serves /dcat/catalog and /dcat/{tenant}/catalog in
Turtle, RDF/XML and JSON-LD (by Accept and by suffix); the three parse with
rdflib into isomorphic graphs, which conform to the SHACL shapes of
shapes.ttl (DCAT-AP 2.1.1 and DCAT-AP_IT mandatory elements) in
rdf-validate-shacl; IRIs are absolute and never taken from Host; an Accept
naming none of the three is 406; answers carry an ETag per serialisation,
If-None-Match gets a 304, HEAD the GET's headers; the catalogue of every
tenant is published by the Unione. Prints 'N passed, N failed'."""
import os
import random
import string
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request

import rdflib
from rdflib.compare import isomorphic

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "support"))
from stack_helpers import ROOT, check, http, summary, token  # noqa: E402

BASE = os.environ.get("SPORTELLO_TEST_GATEWAY_URL", "")
PUBLIC = os.environ.get("SPORTELLO_PUBLIC_BASE_URL", "http://127.0.0.1:8080").rstrip("/")
DCAT = rdflib.Namespace("http://www.w3.org/ns/dcat#")


def fetch(path, method="GET", headers=None):
    """Status, headers and raw body of one request."""
    req = urllib.request.Request(BASE + path, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, r.headers, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read()


def get(path, accept=None, host=None):
    """Status, Content-Type and text of a GET with those Accept and Host."""
    headers = {}
    if accept:
        headers["Accept"] = accept
    if host:
        headers["Host"] = host
    status, answer_headers, raw = fetch(path, headers=headers)
    return status, answer_headers.get("Content-Type", ""), raw.decode("utf-8", "replace")


def conditional_and_head(path):
    """ETag from the body, 304 on If-None-Match, HEAD with the GET's headers."""
    status, headers, body = fetch(path)
    etag = headers.get("ETag", "")
    check(f"{path}: ETag", status == 200 and etag.startswith('"') and len(etag) > 2, f"{status} {etag}")
    status, headers304, body304 = fetch(path, headers={"If-None-Match": etag})
    check(f"{path}: If-None-Match is 304", status == 304 and body304 == b"", str(status))
    check(f"{path}: the 304 repeats the ETag", headers304.get("ETag") == etag, str(headers304.get("ETag")))
    status, _, again = fetch(path, headers={"If-None-Match": '"altro"'})
    check(f"{path}: another ETag gets the body", status == 200 and again == body, str(status))
    status, head_headers, head_body = fetch(path, method="HEAD")
    check(f"{path}: HEAD is 200 without a body", status == 200 and head_body == b"", str(status))
    check(f"{path}: HEAD states the length and ETag of the GET",
          head_headers.get("Content-Length") == str(len(body)) and head_headers.get("ETag") == etag,
          f"{head_headers.get('Content-Length')} vs {len(body)}")
    return etag


def post(path, body, bearer):
    return http("POST", BASE + path, body, bearer, timeout=30)


def sandbox():
    """A tenant of this test's own, with two published datasets."""
    tenant = "sb_" + "".join(random.choice(string.ascii_lowercase + string.digits) for _ in range(10))
    status, body = post("/api/v1/tenants", {"ipa_code": tenant, "name": "Comune di prova " + tenant,
                                             "kind": "TENANT_KIND_COMUNE",
                                             "pec": f"protocollo@pec.{tenant}.example.it"},
                        token(tenant, "dcat-test", "admin"))
    check("sandbox tenant created", status == 200, body[:300])
    for slug in ("servizi", "uffici"):
        status, body = post(f"/api/v1/datasets/{tenant}-{slug}:refresh", {}, token(tenant, "dcat-test", "operator"))
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


def read_all(path):
    """Every serialisation of `path`, by Accept and by suffix (the latter with
    a foreign Host): [(label, fmt, status, content type, text)]."""
    out = []
    for accept, fmt in (("text/turtle", "turtle"), ("application/rdf+xml", "xml"), ("application/ld+json", "json-ld")):
        status, ctype, text = get(path, accept=accept)
        out.append((accept, fmt, status, ctype, text))
    for suffix, fmt in ((".ttl", "turtle"), (".rdf", "xml"), (".jsonld", "json-ld")):
        status, ctype, text = get(path + suffix, host="evil.example")
        out.append((suffix, fmt, status, ctype, text))
    return out


def one_state(reads):
    """True when all the reads parse to one graph."""
    try:
        graphs = [parse(text, fmt) for _, fmt, status, _, text in reads if status == 200]
        return all(isomorphic(graphs[0], g) for g in graphs[1:])
    except Exception:  # noqa: BLE001 - the checks report it
        return True


def main():
    if not BASE:
        print("SPORTELLO_TEST_GATEWAY_URL is not set: run with ./sportello test")
        return 1
    tenant = sandbox()
    paths = ["/dcat/catalog", f"/dcat/{tenant}/catalog"]
    for path in paths:
        # Other tests add datasets to the catalogue of every tenant while this
        # one reads it: judge a set of reads taken from one unchanged state.
        reads = read_all(path)
        for _ in range(5):
            if path != "/dcat/catalog" or one_state(reads):
                break
            reads = read_all(path)
        graphs = {}
        for label, fmt, status, got_type, text in reads[:3]:
            ctype = {"turtle": "text/turtle", "xml": "application/rdf+xml", "json-ld": "application/ld+json"}[fmt]
            check(f"{path} as {label}: 200", status == 200, f"{status} {text[:300]}")
            check(f"{path} as {label}: Content-Type", got_type.startswith(ctype), got_type)
            try:
                graphs[fmt] = parse(text, fmt)
            except Exception as e:  # noqa: BLE001 - any parse failure is the finding
                check(f"{path} as {label} parses", False, repr(e)[:300])
        for label, fmt, status, _, text in reads[3:]:
            check(f"{path}{label}: 200 without Accept", status == 200, str(status))
            if status == 200:
                g = parse(text, fmt)
                check(f"{path}{label} matches the negotiated one", fmt not in graphs or isomorphic(g, graphs[fmt]))
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
    # Conditional requests and HEAD, per serialisation: each has its own ETag.
    etags = {conditional_and_head(f"/dcat/{tenant}/catalog{suffix}") for suffix in (".ttl", ".rdf", ".jsonld")}
    check("each serialisation has its own ETag", len(etags) == 3, str(etags))

    # The catalogue of every tenant is published by the Unione, named as the
    # catalogue service names it.
    status, _, text = get("/dcat/catalog.ttl")
    g = parse(text, "turtle")
    catalog = rdflib.URIRef(PUBLIC + "/dcat/catalog")
    publishers = list(g.objects(catalog, rdflib.URIRef("http://purl.org/dc/terms/publisher")))
    unione = rdflib.URIRef(PUBLIC + "/dcat/agents/u_gravine")
    check("/dcat/catalog: one publisher, the Unione", publishers == [unione], str(publishers))
    names = [str(n) for n in g.objects(unione, rdflib.URIRef("http://xmlns.com/foaf/0.1/name"))]
    check("/dcat/catalog: the Unione's official name", names == ["Unione dei Comuni Terra delle Gravine"], str(names))
    ids = [str(n) for n in g.objects(unione, rdflib.URIRef("http://purl.org/dc/terms/identifier"))]
    check("/dcat/catalog: the Unione's IPA code", ids == ["u_gravine"], str(ids))
    types = set(g.objects(unione, rdflib.RDF.type))
    check("/dcat/catalog: the publisher is a foaf:Agent and a dcatapit:Agent",
          {rdflib.URIRef("http://xmlns.com/foaf/0.1/Agent"), rdflib.URIRef("http://dati.gov.it/onto/dcatapit#Agent")}
          <= types, str(types))

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
    return summary()


if __name__ == "__main__":
    sys.exit(main())
