#!/usr/bin/env python3
"""Imports records.csv (bench/sltd_gen.py) into a running hub through the API, for
bench/sltd_vs_postgres.sh (one pass, unlike `ncbnet records import`, which dry-runs first): POST
/v1/records/SLTD/batch with 1,000 records a request (the API's limit), each batch all or
nothing and durable before its answer, over CONNECTIONS keep-alive connections authenticated
with the owner NCB's client certificate.

  sltd_api_import.py URL CA CERT KEY records.csv [CONNECTIONS]

Prints the number imported and the rate; exits non-zero on the first refused batch.
"""
import http.client
import json
import queue
import ssl
import sys
import threading
import time
import urllib.parse

BATCH = 1000


def batches(path):
    with open(path, encoding="ascii") as f:
        header = f.readline().rstrip("\n").split(",")
        # The catalogue's SLTD field for the shared file's `date` column is event_date.
        names = ["event_date" if h == "date" else h for h in header]
        rows = []
        for line in f:
            rows.append({"fields": dict(zip(names, line.rstrip("\n").split(",")))})
            if len(rows) == BATCH:
                yield rows
                rows = []
        if rows:
            yield rows


def worker(url, context, work, done, errors):
    parts = urllib.parse.urlsplit(url)
    conn = http.client.HTTPSConnection(parts.hostname, parts.port, context=context)
    while True:
        rows = work.get()
        if rows is None:
            return
        body = json.dumps({"records": rows})
        conn.request("POST", "/v1/records/SLTD/batch", body,
                     {"Content-Type": "application/json"})
        resp = conn.getresponse()
        answer = resp.read()
        if resp.status != 201:
            errors.append("HTTP %d: %s" % (resp.status, answer[:500]))
            return
        done.append(len(rows))


def main(argv):
    if len(argv) < 6:
        sys.stderr.write(__doc__)
        return 2
    url, ca, cert, key, path = argv[1:6]
    connections = int(argv[6]) if len(argv) > 6 else 2
    context = ssl.create_default_context(cafile=ca)
    context.load_cert_chain(cert, key)
    work = queue.Queue(maxsize=connections * 2)
    done, errors = [], []
    threads = [threading.Thread(target=worker, args=(url, context, work, done, errors))
               for _ in range(connections)]
    for t in threads:
        t.start()
    start = time.monotonic()
    last = start
    for rows in batches(path):
        if errors:
            break
        work.put(rows)
        if time.monotonic() - last > 30:
            last = time.monotonic()
            n = sum(done)
            print("   ... %d records, %.0f/s" % (n, n / (last - start)), flush=True)
    for _ in threads:
        work.put(None)
    for t in threads:
        t.join()
    elapsed = time.monotonic() - start
    n = sum(done)
    print("   imported %d records in %.1f s (%.0f/s) over %d connections" %
          (n, elapsed, n / elapsed, connections))
    if errors:
        print("   refused: " + errors[0])
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
