"""Password logins and bearer tokens against the real server: a good login, a wrong password
and an unknown user (the same answer), a throttled brute force, an expired and a revoked
token. Each refusal is checked for its status, its error code and its audit entry."""

import time
import unittest

import hub

LOGIN = "POST /v1/auth/login"


class LoginTest(hub.HubTestCase):

    @classmethod
    def set_up_network(cls):
        # A user of its own for the failures, so that the GS admin's account is never
        # throttled by this class.
        token = cls.hub.admin_token()
        cls.victim = cls.hub.create_user(token, "ncb-fra", "it.login.victim")

    def test_good_login_returns_token_and_is_audited(self):
        resp = self.hub.request("POST", "/v1/auth/login",
                                {"user": self.hub.admin_user, "password": self.hub.admin_password})
        self.assertEqual(resp.status, 200, resp.describe())
        self.assertIsInstance(resp.body["token"], str)
        self.assertGreaterEqual(len(resp.body["token"]), 20)
        self.assertTrue(resp.body["expires_at"].endswith("Z"), resp.body)
        self.assertEqual(resp.body["user"]["name"], self.hub.admin_user)
        self.assertEqual(resp.body["user"]["agency_id"], "gs")
        self.assertTrue(resp.request_id)
        self.assertAudited(resp, "ok", LOGIN)

        me = self.hub.request("GET", "/v1/me", token=resp.body["token"])
        self.assertEqual(me.status, 200, me.describe())
        self.assertEqual(me.body["via"], "session")
        self.assertEqual(me.body["user"]["name"], self.hub.admin_user)
        self.assertEqual(me.body["agency"]["id"], "gs")
        self.assertIn("notice.review", me.body["capabilities"])
        self.assertIn("agency.admin", me.body["capabilities"])
        self.assertAudited(me, "ok", "GET /v1/me")

    def test_wrong_password_and_unknown_user_get_the_same_answer(self):
        wrong = self.hub.request("POST", "/v1/auth/login",
                                 {"user": self.victim["name"], "password": "not-the-password-1"})
        self.assertError(wrong, 401, "invalid_credentials")
        entry = self.assertAudited(wrong, "invalid_credentials", LOGIN)
        self.assertNotIn("not-the-password-1", str(entry))

        unknown = self.hub.request("POST", "/v1/auth/login",
                                   {"user": "nobody.at.all", "password": "not-the-password-1"})
        self.assertError(unknown, 401, "invalid_credentials")
        self.assertAudited(unknown, "invalid_credentials", LOGIN)

        # Nothing in the answer tells which names exist.
        self.assertEqual(set(wrong.body), set(unknown.body))
        self.assertEqual(set(wrong.body["error"]), set(unknown.body["error"]))
        self.assertEqual(wrong.body["error"]["message"], unknown.body["error"]["message"])
        self.assertEqual(wrong.headers.get("Content-Type"), unknown.headers.get("Content-Type"))

    def test_missing_and_garbled_tokens(self):
        resp = self.hub.request("GET", "/v1/me")
        self.assertError(resp, 401, "missing_credentials")
        self.assertAudited(resp, "missing_credentials", "GET /v1/me")

        resp = self.hub.request("GET", "/v1/me", token="garbage-token-that-was-never-issued")
        self.assertError(resp, 401, "invalid_token")
        self.assertAudited(resp, "invalid_token", "GET /v1/me")

    def test_revoked_token_is_refused(self):
        token = self.hub.login(self.victim["name"], hub.USER_PASSWORD)
        self.assertEqual(self.hub.request("GET", "/v1/me", token=token).status, 200)

        out = self.hub.request("POST", "/v1/auth/logout", token=token)
        self.assertEqual(out.status, 204, out.describe())
        self.assertAudited(out, "ok", "POST /v1/auth/logout")

        resp = self.hub.request("GET", "/v1/me", token=token)
        self.assertError(resp, 401, "token_revoked")
        self.assertAudited(resp, "token_revoked", "GET /v1/me")

    def test_login_body_errors(self):
        resp = self.hub.request("POST", "/v1/auth/login", {"user": self.victim["name"]})
        self.assertError(resp, 400, "invalid_request")
        self.assertIn("password", resp.body["error"]["message"])
        self.assertAudited(resp, "invalid_request", LOGIN)


class BruteForceTest(hub.HubTestCase):
    CONFIG = {"login_max_failures_per_account": 3, "login_lockout_seconds": 300}

    def test_account_locked_after_failures_even_for_right_password(self):
        user = self.hub.create_user(self.hub.admin_token(), "ncb-deu", "it.brute.victim")
        for i in range(3):
            resp = self.hub.request("POST", "/v1/auth/login",
                                    {"user": user["name"], "password": f"wrong-password-{i:04d}"})
            self.assertError(resp, 401, "invalid_credentials")
            self.assertAudited(resp, "invalid_credentials", LOGIN)

        resp = self.hub.request("POST", "/v1/auth/login",
                                {"user": user["name"], "password": hub.USER_PASSWORD})
        self.assertError(resp, 429, "too_many_attempts")
        retry_after = resp.headers.get("Retry-After")
        self.assertIsNotNone(retry_after, dict(resp.headers))
        self.assertTrue(retry_after.isdigit() and 0 < int(retry_after) <= 300, retry_after)
        self.assertAudited(resp, "too_many_attempts", LOGIN)

        # Another account is not affected.
        self.assertTrue(self.hub.admin_token(fresh=True))


class TokenExpiryTest(hub.HubTestCase):
    CONFIG = {"session_ttl_seconds": 1}

    def test_expired_token_is_refused(self):
        token = self.hub.login(self.hub.admin_user, self.hub.admin_password)
        # A session cannot live less than a second.
        time.sleep(2.0)
        resp = self.hub.request("GET", "/v1/me", token=token)
        self.assertError(resp, 401, "token_expired")
        # Read the audit log from the file: any API token would expire as fast.
        self.assertAudited(resp, "token_expired", "GET /v1/me", via="store")


class IdleTimeoutTest(hub.HubTestCase):
    """A session ends after `session_idle_seconds` without a request of its user; a request
    restarts the idle time; a background poll of the mailbox does not."""
    CONFIG = {"session_idle_seconds": 3}

    def login(self) -> str:
        return self.hub.login(self.hub.admin_user, self.hub.admin_password)

    def test_me_tells_both_ends_of_the_session(self):
        me = self.hub.request("GET", "/v1/me", token=self.login())
        self.assertEqual(me.status, 200, me.describe())
        session = me.body["session"]
        self.assertEqual(session["idle_timeout_seconds"], 3)
        self.assertLess(session["idle_expires_at"], session["expires_at"])

    def test_use_restarts_the_idle_time_and_idleness_ends_the_session(self):
        token = self.login()
        time.sleep(2.0)
        self.assertEqual(self.hub.request("GET", "/v1/me", token=token).status, 200)
        time.sleep(2.0)  # 4 s since login, 2 s since the last use
        self.assertEqual(self.hub.request("GET", "/v1/me", token=token).status, 200)
        time.sleep(3.5)
        resp = self.hub.request("GET", "/v1/me", token=token)
        self.assertError(resp, 401, "session_idle")
        self.assertAudited(resp, "session_idle", "GET /v1/me", via="store")

    def test_a_background_poll_of_the_mailbox_is_not_use(self):
        token = self.login()
        deadline = time.monotonic() + 3.5
        while time.monotonic() < deadline:
            self.hub.request("GET", "/v1/mailbox?wait=1", token=token)
        self.assertError(self.hub.request("GET", "/v1/me", token=token), 401, "session_idle")


if __name__ == "__main__":
    unittest.main()
