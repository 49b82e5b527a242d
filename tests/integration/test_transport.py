"""What the server refuses before any handler runs, and how it stops: an oversized body,
huge headers, malformed HTTP, a malformed JSON body, a body of the wrong media type, an
unknown route, a wrong method; /healthz and /readyz; SIGTERM; the PROXY protocol from a
listed load balancer. Each refusal is checked for its status, its error code and its audit
entry."""

import http.client
import json
import socket
import ssl
import struct
import unittest

import hub

MAX_BODY = 4096
MAX_HEADER = 8192


class TransportTest(hub.HubTestCase):
    CONFIG = {"max_body_bytes": MAX_BODY, "max_header_bytes": MAX_HEADER}

    def test_healthz(self):
        resp = self.hub.request("GET", "/healthz")
        self.assertEqual(resp.status, 200, resp.describe())
        self.assertEqual(resp.body, {"status": "ok"})
        self.assertTrue(resp.request_id.startswith("req_"), resp.request_id)

    def test_readyz(self):
        resp = self.hub.request("GET", "/readyz")
        self.assertEqual(resp.status, 200, resp.describe())
        self.assertEqual(resp.body, {"status": "ready"})

    def test_oversized_body_is_refused(self):
        body = {"parent_id": "ncb-fra", "kind": "agency", "name": "x" * (2 * MAX_BODY)}
        resp = self.hub.request("POST", "/v1/agencies", body, token=self.hub.admin_token())
        self.assertError(resp, 413, "body_too_large")
        self.assertAudited(resp, "body_too_large")

    def test_huge_headers_are_refused(self):
        request = ("GET /v1/me HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                   f"X-Padding: {'a' * (2 * MAX_HEADER)}\r\n\r\n").encode("ascii")
        resp = self.hub.raw_request(request)
        self.assertError(resp, 431, "headers_too_large")
        self.assertAudited(resp, "headers_too_large")

    def test_malformed_http_is_refused(self):
        resp = self.hub.raw_request(b"THIS IS NOT HTTP\x01\x02\r\n\r\n")
        self.assertError(resp, 400, "malformed_request")
        self.assertAudited(resp, "malformed_request")

    def test_malformed_json_is_refused(self):
        token = self.hub.admin_token()
        for raw in (b'{"agency_id": "ncb-fra", "capability":', b"[1, 2, 3]", b"\xff\xfe{}"):
            with self.subTest(body=raw):
                resp = self.hub.request("POST", "/v1/grants", raw_body=raw, token=token)
                self.assertError(resp, 400, "invalid_json")
                self.assertAudited(resp, "invalid_json", "POST /v1/grants")

    def test_body_without_json_content_type_is_refused(self):
        resp = self.hub.request("POST", "/v1/grants",
                                raw_body=json.dumps({"agency_id": "ncb-fra"}).encode(),
                                content_type="text/plain", token=self.hub.admin_token())
        self.assertError(resp, 415, "unsupported_media_type")
        self.assertAudited(resp, "unsupported_media_type", "POST /v1/grants")

    def test_unknown_route(self):
        resp = self.hub.request("GET", "/v1/no-such-thing", token=self.hub.admin_token())
        self.assertError(resp, 404, "not_found")
        self.assertAudited(resp, "not_found")

    def test_metrics_need_audit_read(self):
        gs = self.hub.admin_token()
        agency = self.hub.create_agency(gs, "ncb-fra")
        user = self.hub.create_user(gs, agency["id"])
        token = self.hub.login(user["name"], hub.USER_PASSWORD)
        resp = self.hub.request("GET", "/metrics", token=token)
        self.assertError(resp, 403, "missing_capability")
        self.assertIn("audit.read", resp.body["error"]["message"])
        self.assertAudited(resp, "missing_capability", "GET /metrics")

        resp = self.hub.request("GET", "/metrics", token=gs)
        self.assertEqual(resp.status, 200, resp.describe())
        for name in ("ncbnet_http_requests_total", "ncbnet_http_request_duration_seconds_bucket",
                     "ncbnet_audit_entries_total", "ncbnet_store_size_bytes",
                     "ncbnet_open_connections", "ncbnet_login_failures_total"):
            self.assertIn(name, resp.body)
        self.assertIn('route="/v1/auth/login"', resp.body)

    def test_log_lines_are_json(self):
        self.hub.request("GET", "/healthz")
        lines = [l for l in self.hub.log_tail(10_000).splitlines() if l.strip()]
        self.assertTrue(lines)
        bad = []
        for line in lines:
            try:
                json.loads(line)
            except ValueError:
                bad.append(line)
        self.assertEqual(bad, [], "stderr lines that are not JSON")

    def test_wrong_method(self):
        resp = self.hub.request("DELETE", "/v1/me", token=self.hub.admin_token())
        self.assertError(resp, 405, "method_not_allowed")
        self.assertAudited(resp, "method_not_allowed")


# The load balancer's address: the hub listens on 127.0.0.1, and a socket bound to another
# loopback address reaches it from there, so that 127.0.0.1 stays an ordinary client.
PROXY_IP = "127.0.0.2"
PROXY_V2_SIGNATURE = b"\r\n\r\n\x00\r\nQUIT\n"


def proxy_v2(command: int, family: int, payload: bytes) -> bytes:
    return PROXY_V2_SIGNATURE + bytes([0x20 | command, family]) + struct.pack("!H", len(payload)) \
        + payload


class ProxyProtocolTest(hub.HubTestCase):
    """A hub behind a load balancer at PROXY_IP that sends PROXY protocol headers."""

    CONFIG = {"proxy_protocol_from": [PROXY_IP + "/32"]}

    def connect(self, header: bytes, source: str = PROXY_IP) -> socket.socket:
        raw = socket.create_connection(("127.0.0.1", self.hub.port), timeout=hub.REQUEST_TIMEOUT_S,
                                       source_address=(source, 0))
        raw.sendall(header)
        return raw

    def get_through(self, header: bytes, path: str = "/v1/me",
                    source: str = PROXY_IP) -> hub.Response:
        """GET `path` over TLS after `header` on the same connection."""
        raw = self.connect(header, source)
        conn = http.client.HTTPSConnection("127.0.0.1", self.hub.port,
                                           context=self.hub.tls_context())
        conn.sock = self.hub.tls_context().wrap_socket(raw, server_hostname="127.0.0.1")
        try:
            conn.request("GET", path, headers={"Authorization": f"Bearer {self.hub.admin_token()}"})
            resp = conn.getresponse()
            return hub.Response(resp.status, hub._decode_body(resp.read(), resp.getheader(
                "Content-Type")), resp.headers)
        finally:
            conn.close()

    def assert_closed_before_tls(self, raw: socket.socket) -> None:
        """The hub closes the connection without a byte; it reads what we sent and stops."""
        try:
            self.assertEqual(raw.recv(1024), b"")
        except ConnectionResetError:
            pass
        finally:
            raw.close()

    def test_v1_header_gives_the_client_address(self):
        header = f"PROXY TCP4 192.0.2.7 127.0.0.1 40001 {self.hub.port}\r\n".encode()
        resp = self.get_through(header)
        self.assertEqual(resp.status, 200, resp.describe())
        self.assertEqual(self.hub.audit_entry(resp.request_id)["source"], "192.0.2.7")

    def test_v2_header_gives_the_client_address(self):
        inet = bytes([198, 51, 100, 9, 127, 0, 0, 1]) + struct.pack("!HH", 40002, self.hub.port)
        tlvs = b"\x01\x00\x08http/1.1" + b"\x05\x00\x04abcd"  # ALPN, unique id
        resp = self.get_through(proxy_v2(1, 0x11, inet + tlvs))
        self.assertEqual(resp.status, 200, resp.describe())
        self.assertEqual(self.hub.audit_entry(resp.request_id)["source"], "198.51.100.9")
        inet6 = bytes.fromhex("20010db8000000000000000000000042") + bytes(15) + b"\x01" \
            + struct.pack("!HH", 40003, self.hub.port)
        resp = self.get_through(proxy_v2(1, 0x21, inet6))
        self.assertEqual(self.hub.audit_entry(resp.request_id)["source"], "2001:db8::42")

    def test_local_command_keeps_the_proxys_address(self):
        resp = self.get_through(proxy_v2(0, 0x00, b""), path="/readyz")
        self.assertEqual(resp.status, 200, resp.describe())
        self.assertEqual(resp.body, {"status": "ready"})
        resp = self.get_through(proxy_v2(0, 0x00, b""))
        self.assertEqual(self.hub.audit_entry(resp.request_id)["source"], PROXY_IP)

    def test_header_from_an_unlisted_peer_is_a_failed_handshake(self):
        raw = self.connect(b"PROXY TCP4 192.0.2.7 127.0.0.1 40004 443\r\n", source="127.0.0.1")
        with self.assertRaises((ssl.SSLError, ConnectionResetError, BrokenPipeError)):
            self.hub.tls_context().wrap_socket(raw, server_hostname="127.0.0.1")
        raw.close()
        # Without a header the same peer is an ordinary client, audited under its own address.
        resp = self.hub.request("GET", "/v1/me", token=self.hub.admin_token())
        self.assertEqual(self.hub.audit_entry(resp.request_id)["source"], "127.0.0.1")

    def test_bad_headers_from_the_proxy_close_the_connection_and_are_counted(self):
        port = self.hub.port
        bad = {
            "malformed": [f"PROXY TCP4 192.0.2.300 127.0.0.1 1 {port}\r\n".encode(),
                          proxy_v2(1, 0x12, bytes(12)),  # datagram
                          b"\x16\x03\x01\x00\x05hello"],  # TLS with no header
            "too_large": [b"PROXY UNKNOWN " + b"x" * 200,
                          PROXY_V2_SIGNATURE + b"\x21\x11\xff\xff"],
            "truncated": [b"PROXY TCP4 192.0.2.7"],
        }
        for reason, headers in bad.items():
            for header in headers:
                with self.subTest(reason=reason, header=header):
                    raw = self.connect(header)
                    if reason == "truncated":
                        raw.shutdown(socket.SHUT_WR)
                    self.assert_closed_before_tls(raw)
        self.assertEqual(self.hub.request("GET", "/healthz").status, 200)
        metrics = self.hub.request("GET", "/metrics", token=self.hub.admin_token()).body
        for reason, headers in bad.items():
            line = f'ncbnet_proxy_header_failures_total{{reason="{reason}"}} {len(headers)}'
            self.assertIn(line, metrics)
        # And the proxy's next, well-formed connection is served.
        resp = self.get_through(b"PROXY TCP4 192.0.2.8 127.0.0.1 40005 443\r\n")
        self.assertEqual(resp.status, 200, resp.describe())


class ShutdownTest(unittest.TestCase):

    def test_sigterm_stops_gracefully_with_exit_code_0(self):
        h = hub.Hub(name="shutdown")
        try:
            h.start()
            self.assertEqual(h.request("GET", "/healthz").status, 200)
            h.admin_token()
            self.assertEqual(h.stop(), 0, h.log_tail())
        finally:
            h.close()


if __name__ == "__main__":
    unittest.main()
