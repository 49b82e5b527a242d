"""Cross-node lag for bench/store_backends.sh: N times, an SLTD record created through node A
(ncb-fra's certificate), then checked through node B (ncb-deu's) in a tight loop until it
matches; prints one JSON line with p50, p99 and max of the time from A's 201 to B's first
match, in milliseconds. Standard library only.

Usage: cross_node_lag.py URL_A URL_B CA FRA_CERT FRA_KEY DEU_CERT DEU_KEY N"""

import http.client
import json
import ssl
import sys
import time
import urllib.parse


def connection(url: str, ca: str, cert: str, key: str) -> http.client.HTTPSConnection:
    ctx = ssl.create_default_context(cafile=ca)
    ctx.load_cert_chain(cert, key)
    parsed = urllib.parse.urlparse(url)
    return http.client.HTTPSConnection(parsed.hostname, parsed.port, context=ctx, timeout=30)


def call(conn, method: str, path: str, body=None) -> tuple:
    data = json.dumps(body).encode() if body is not None else None
    conn.request(method, path, body=data, headers={"Content-Type": "application/json"})
    resp = conn.getresponse()
    return resp.status, json.loads(resp.read() or b"null")


def main() -> None:
    url_a, url_b, ca, fra_cert, fra_key, deu_cert, deu_key, n = sys.argv[1:9]
    a = connection(url_a, ca, fra_cert, fra_key)
    b = connection(url_b, ca, deu_cert, deu_key)
    lags = []
    for i in range(int(n)):
        number = f"LAG{int(time.time() * 1000) % 10**7}{i:04d}"
        status, body = call(a, "POST", "/v1/records/SLTD",
                            {"fields": {"number": number, "issuing_country": "FRA",
                                        "document_type": "passport", "status": "stolen"}})
        assert status == 201, (status, body)
        acknowledged = time.monotonic()
        while True:
            status, body = call(b, "GET", f"/v1/checks/SLTD?number={number}&issuing_country=FRA")
            assert status == 200, (status, body)
            if body.get("matches"):
                break
            if time.monotonic() - acknowledged > 30:
                raise SystemExit(f"node B never matched {number}")
        lags.append((time.monotonic() - acknowledged) * 1000)
    lags.sort()
    pick = lambda q: lags[min(len(lags) - 1, int(q * len(lags)))]
    print(json.dumps({"samples": len(lags), "p50_ms": round(pick(0.50), 2),
                      "p99_ms": round(pick(0.99), 2), "max_ms": round(lags[-1], 2)}))


if __name__ == "__main__":
    main()
