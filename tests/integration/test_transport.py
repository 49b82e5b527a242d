"""What the server refuses before any handler runs, and how it stops: an oversized body,
huge headers, malformed HTTP, a malformed JSON body, a body of the wrong media type, an
unknown route, a wrong method; /healthz; SIGTERM. Each refusal is checked for its status,
its error code and its audit entry."""

import json
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
