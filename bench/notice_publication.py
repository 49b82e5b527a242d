#!/usr/bin/env python3
"""Issue 6's benchmark: from the GS's approval of a notice to (1) its subject matching in a
border check, and (2) the publication message reaching every one of the 195 NCBs.

The real hub (`ncbnet serve`, release build) on a fresh network of the 195 member countries,
over TLS on loopback. Every NCB holds a WebSocket on GET /v1/mailbox/stream with its own client
certificate before the first approval. For each of N Red Notices (a distinct person and
passport each), France drafts and submits; then the clock starts and the GS approves; a
German border agency's system (the NCB's certificate) repeats POST /v1/border-checks with the
subject's passport on a keep-alive connection until the answer names the notice; each NCB's
feed thread notes when the event announcing the notice arrives.

Usage (from the repository root):
    NCBNET_BIN=build/release/src/apps/ncbnet/ncbnet python3 bench/notice_publication.py [N]
"""

import http.client
import json
import os
import statistics
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "integration"))

import hub as hublib  # noqa: E402
import wsclient  # noqa: E402

COUNTRIES = os.path.join(HERE, "..", "data", "countries.tsv")


def ncb_ids():
    ids = []
    with open(COUNTRIES, encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            ids.append("ncb-" + line.split("\t")[0].strip().lower())
    return ids


class Feed(threading.Thread):
    """One NCB's WebSocket: records the arrival time of every event, by the text it holds."""

    def __init__(self, hub, agency, cert):
        super().__init__(daemon=True)
        self.agency = agency
        self.ws = wsclient.WebSocket.connect("127.0.0.1", hub.port, hub.tls_context(cert),
                                             "/v1/mailbox/stream?after=0", {}, timeout=30)
        self.arrivals = []  # (monotonic time, event text)
        self.lock = threading.Lock()
        self.stop = False

    def run(self):
        while not self.stop:
            try:
                text = self.ws.recv(timeout=1.0)
            except TimeoutError:
                continue
            except wsclient.Closed:
                return
            now = time.monotonic()
            with self.lock:
                self.arrivals.append((now, text if isinstance(text, str) else ""))

    def first_after(self, needle, t0):
        with self.lock:
            for t, text in self.arrivals:
                if t >= t0 and needle in text:
                    return t
        return None


class Client:
    """A keep-alive HTTPS connection as one principal."""

    def __init__(self, hub, cert=None, token=None):
        self.conn = http.client.HTTPSConnection("127.0.0.1", hub.port,
                                                context=hub.tls_context(cert), timeout=30)
        self.headers = {"Content-Type": "application/json"}
        if token:
            self.headers["Authorization"] = "Bearer " + token

    def call(self, method, path, body=None):
        self.conn.request(method, path, json.dumps(body) if body is not None else None,
                          self.headers)
        resp = self.conn.getresponse()
        data = resp.read()
        return resp.status, json.loads(data) if data else None


def red_notice(i):
    return {"kind": "red", "public_consent": False, "fields": {
        "name": f"BENCHMARK SUBJECT {i:04d}", "sex": "M", "date_of_birth": "1980-01-01",
        "nationalities": ["FRA"],
        "identity_documents": [{"number": f"BN{i:07d}", "issuing_country": "FRA",
                                "document_type": "passport"}],
        "facts": "Armed robbery of a cash transport in Lyon.",
        "charges": ["armed robbery"], "warrant_reference": f"TJ-LYON-{i}",
        "warrant_date": "2026-01-15", "warrant_authority": "Tribunal judiciaire de Lyon",
        "maximum_penalty": "20 years", "extradition_assurance": True}}


def pct(values, p):
    s = sorted(values)
    return s[min(len(s) - 1, int(round(p / 100 * (len(s) - 1))))]


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    hub = hublib.Hub({"max_connections_per_source": 512}, name="bench-notices")
    hub.start()
    try:
        run(hub, n)
    finally:
        hub.stop()
        hub.close()


def run(hub, n):
    ncbs = ncb_ids()
    certs = {}
    for agency in ncbs:
        _, crt, key = hub.issue_cert(agency)
        certs[agency] = (crt, key)
    feeds = [Feed(hub, a, certs[a]) for a in ncbs]
    for f in feeds:
        f.start()
    fra = Client(hub, cert=certs["ncb-fra"])
    gs = Client(hub, token=hub.admin_token())
    deu = Client(hub, cert=certs["ncb-deu"])
    match_ms, all_ms, p50_ms, ack_ms, rtt_ms, first_try = [], [], [], [], [], 0
    for i in range(n):
        status, draft = fra.call("POST", "/v1/notices", red_notice(i))
        assert status == 201, (status, draft)
        nid = draft["id"]
        status, body = fra.call("POST", f"/v1/notices/{nid}/submit", {})
        assert status == 200, (status, body)
        check = {"document": {"number": f"BN{i:07d}", "issuing_country": "FRA"}}
        t0 = time.monotonic()
        status, body = gs.call("POST", f"/v1/notices/{nid}/review", {"decision": "approve"})
        t_ack = time.monotonic()
        assert status == 200, (status, body)
        control = body["control_number"]
        checks = 0
        while True:
            checks += 1
            t_check = time.monotonic()
            status, answer = deu.call("POST", "/v1/border-checks", check)
            assert status == 200, (status, answer)
            if control in json.dumps(answer):
                t_match = time.monotonic()
                break
        deadline = time.monotonic() + 30
        arrivals = []
        for f in feeds:
            while True:
                t = f.first_after(control, t0)
                if t is not None or time.monotonic() > deadline:
                    break
                time.sleep(0.002)
            assert t is not None, f"{f.agency} never got {control}"
            arrivals.append((t - t0) * 1000)
        ack_ms.append((t_ack - t0) * 1000)
        match_ms.append((t_match - t0) * 1000)
        rtt_ms.append((t_match - t_check) * 1000)
        first_try += checks == 1
        all_ms.append(max(arrivals))
        p50_ms.append(statistics.median(arrivals))
        print(f"{control}: approve answered {ack_ms[-1]:.1f} ms, matching {match_ms[-1]:.1f} ms,"
              f" message at half the NCBs {p50_ms[-1]:.1f} ms, at all 195 {all_ms[-1]:.1f} ms",
              flush=True)
    for f in feeds:
        f.stop = True
    print()
    print(f"{n} notices, 195 NCBs on WebSockets; the first border check after the approval's"
          f" answer matched in {first_try} of {n}; milliseconds from the approval request:")
    print("| measure | p50 | p90 | max |")
    print("| --- | --- | --- | --- |")
    for label, v in (("approval answered (committed)", ack_ms),
                     ("subject matches in a border check", match_ms),
                     ("(that border check's own round trip)", rtt_ms),
                     ("message at half the NCBs", p50_ms),
                     ("message at all 195 NCBs", all_ms)):
        print(f"| {label} | {pct(v, 50):.1f} | {pct(v, 90):.1f} | {max(v):.1f} |")


if __name__ == "__main__":
    main()
