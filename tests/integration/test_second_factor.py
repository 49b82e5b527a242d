"""TOTP second factor (RFC 6238) end to end: enrol, confirm with a code computed here from the
secret the hub returned, then a login needs the code, refuses a wrong one, and refuses a code
that was already used. Also /metrics behind audit.read."""

import base64
import hashlib
import hmac
import struct
import time
import unittest

import hub


def totp(secret_b32: str, step: int) -> str:
    key = base64.b32decode(secret_b32 + "=" * (-len(secret_b32) % 8))
    digest = hmac.new(key, struct.pack(">Q", step), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    code = (struct.unpack(">I", digest[offset:offset + 4])[0] & 0x7FFFFFFF) % 1_000_000
    return f"{code:06d}"


class SecondFactorTest(hub.HubTestCase):

    def test_enrolled_user_needs_a_fresh_code(self):
        admin = self.hub.admin_token()
        name = self.hub.unique("it.totp.")
        self.hub.create_user(admin, "ncb-fra", name)
        token = self.hub.login(name, hub.USER_PASSWORD)

        enrol = self.hub.request("POST", "/v1/auth/totp/enroll", token=token)
        self.assertEqual(enrol.status, 200, enrol.describe())
        secret = enrol.body["secret"]
        self.assertTrue(enrol.body["uri"].startswith("otpauth://totp/"), enrol.body)

        wrong = self.hub.request("POST", "/v1/auth/totp/confirm", {"code": "000000"}, token=token)
        if wrong.status != 204:  # 000000 is right once in a million
            self.assertError(wrong, 400, "invalid_totp")
        step = int(time.time()) // 30
        ok = self.hub.request("POST", "/v1/auth/totp/confirm", {"code": totp(secret, step)},
                              token=token)
        self.assertEqual(ok.status, 204, ok.describe())
        self.assertAudited(ok, "ok", "POST /v1/auth/totp/confirm")

        creds = {"user": name, "password": hub.USER_PASSWORD}
        self.assertError(self.hub.request("POST", "/v1/auth/login", creds), 401, "totp_required")
        # The confirming code's step is spent: it cannot log in again.
        reused = self.hub.request("POST", "/v1/auth/login", dict(creds, totp=totp(secret, step)))
        self.assertError(reused, 401, "invalid_totp")
        self.assertAudited(reused, "invalid_totp", "POST /v1/auth/login")
        nxt = self.hub.request("POST", "/v1/auth/login", dict(creds, totp=totp(secret, step + 1)))
        self.assertEqual(nxt.status, 200, nxt.describe())

    def test_certificate_principal_cannot_enrol(self):
        serial, crt, key = self.hub.issue_cert("ncb-deu")
        resp = self.hub.request("POST", "/v1/auth/totp/enroll", cert=(crt, key))
        self.assertError(resp, 400, "session_required")


class MetricsTest(hub.HubTestCase):

    def test_metrics_need_audit_read_and_count_requests(self):
        self.assertError(self.hub.request("GET", "/metrics"), 401, "missing_credentials")
        admin = self.hub.admin_token()
        self.hub.request("GET", "/healthz")
        resp = self.hub.request("GET", "/metrics", token=admin)
        self.assertEqual(resp.status, 200, resp.describe())
        text = resp.body if isinstance(resp.body, str) else resp.body.decode()
        self.assertIn('ncbnet_http_requests_total{route="/healthz",method="GET",status="200"}',
                      text)
        self.assertIn('ncbnet_http_requests_total{route="/metrics",method="GET",status="401"}',
                      text)
        self.assertIn("ncbnet_http_request_duration_seconds_bucket", text)
        self.assertIn("ncbnet_audit_entries_total", text)
        self.assertIn("ncbnet_store_size_bytes", text)
        self.assertIn("ncbnet_open_connections", text)


if __name__ == "__main__":
    unittest.main()
