"""Two hub nodes on one PostgreSQL database (docs/deployment.md), as a deployment behind a load
balancer has them: a session, a record, a message and audit entries written through one node
are seen through the other, woken by LISTEN/NOTIFY rather than found by a later poll. Needs
the throwaway server of the CTest fixture "postgresql"."""

import json
import os
import threading
import time
import unittest

import hub
import scenes
from msgutil import cert_principal

# How long the other node may take to see a change. The goal is 100 ms; this bound only keeps a
# broken wake-up from hanging the test (the figure is measured in docs/BENCHMARKS.md).
SEEN_WITHIN_S = 10.0
# The public endpoints' budget per source address, small enough to spend in a test.
PUBLIC_LIMIT = {"public_burst": 30, "public_requests_per_minute": 1}


@unittest.skipUnless(os.environ.get("NCBNET_TEST_POSTGRES"), "no PostgreSQL server given")
class TwoNodesTest(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.a = hub.Hub(PUBLIC_LIMIT, name="node-a", backend="postgresql")
        cls.b = None
        try:
            cls.a.start()
            cls.b = hub.Hub(PUBLIC_LIMIT, name="node-b", node_of=cls.a)
            cls.b.start()
            cls.fra = cert_principal(cls.a, "ncb-fra")
            cls.deu = cert_principal(cls.a, "ncb-deu")
        except BaseException:
            cls.tearDownClass()
            raise

    @classmethod
    def tearDownClass(cls):
        for node in (cls.b, cls.a):
            if node is not None:
                node.close()

    def test_a_session_made_on_one_node_works_on_the_other(self):
        token = self.a.admin_token()
        resp = self.b.request("GET", "/v1/me", token=token)
        self.assertEqual(resp.status, 200, resp.describe())
        logout = self.b.request("POST", "/v1/auth/logout", token=token)
        self.assertIn(logout.status, (200, 204), logout.describe())
        after = self.a.request("GET", "/v1/me", token=token)
        self.assertEqual(after.status, 401, "a logout on one node holds on the other at once")
        self.a.admin_token(fresh=True)

    def test_a_record_written_through_one_node_matches_a_check_on_the_other(self):
        number = "NODES" + str(int(time.time() * 1000) % 10**8)
        created = self.a.request("POST", "/v1/records/SLTD",
                                 {"fields": {"number": number, "issuing_country": "FRA",
                                             "document_type": "passport", "status": "stolen"}},
                                 **self.fra.request_args())
        self.assertEqual(created.status, 201, created.describe())
        start = time.monotonic()
        while True:
            check = self.b.request("GET", f"/v1/checks/SLTD?number={number}&issuing_country=FRA",
                                   **self.deu.request_args())
            self.assertEqual(check.status, 200, check.describe())
            if check.body.get("matches"):
                break
            self.assertLess(time.monotonic() - start, SEEN_WITHIN_S,
                            "node B never saw the record written through node A")
            time.sleep(0.01)
        self.assertEqual(check.body["matches"][0]["record"]["fields"]["number"], number)

    def test_a_long_poll_on_one_node_wakes_for_a_message_sent_through_the_other(self):
        seen = self.b.request("GET", "/v1/mailbox?after=0&wait=0", **self.deu.request_args())
        self.assertEqual(seen.status, 200, seen.describe())
        events = seen.body["events"]
        cursor = events[-1]["cursor"] if events else 0
        result: dict = {}

        def poll() -> None:
            started = time.monotonic()
            # wait=10 stays under the client's request timeout (hub.REQUEST_TIMEOUT_S).
            result["resp"] = self.b.request("GET", f"/v1/mailbox?after={cursor}&wait=10",
                                            **self.deu.request_args())
            result["elapsed"] = time.monotonic() - started

        thread = threading.Thread(target=poll)
        thread.start()
        time.sleep(1.0)  # the poll waits on node B
        mid = scenes.send_message(self.a, self.fra, "DEU", "Two nodes")
        thread.join(timeout=60)
        resp = result["resp"]
        self.assertEqual(resp.status, 200, resp.describe())
        self.assertIn(mid, [e["message_id"] for e in resp.body["events"]], resp.body)
        self.assertLess(result["elapsed"], 9.0, "the message cut node B's wait short")

    def test_the_public_rate_limit_counts_what_the_other_node_allowed(self):
        burst = PUBLIC_LIMIT["public_burst"]
        for _ in range(burst):
            self.assertEqual(self.a.request("GET", "/v1/public/notices").status, 200)
        self.assertEqual(self.a.request("GET", "/v1/public/notices").status, 429)
        # Node B hears what A allowed within a fraction of a second; until then it allows
        # from its own bucket, and each request it allows is spent from the same budget. On
        # its own it would allow the whole burst again.
        allowed_by_b = 0
        while True:
            resp = self.b.request("GET", "/v1/public/notices")
            if resp.status == 429:
                break
            self.assertEqual(resp.status, 200, resp.describe())
            allowed_by_b += 1
            self.assertLess(allowed_by_b, burst, "node B never counted what node A allowed")
            time.sleep(0.2)

    def test_failed_logins_spread_over_both_nodes_count_as_one(self):
        token = self.a.admin_token()
        user = self.a.create_user(token, "ncb-esp")
        bad = {"user": user["name"], "password": "not-the-password-at-all"}
        for _ in range(5):  # the per-account limit, all through node B
            resp = self.b.request("POST", "/v1/auth/login", bad)
            self.assertEqual(resp.status, 401, resp.describe())
        # Node A hears of them: its answer turns to 429 long before five failures of its own
        # would lock the account there (each wrong guess through A below adds one).
        refused_here = 0
        while True:
            resp = self.a.request("POST", "/v1/auth/login", bad)
            if resp.status == 429:
                break
            self.assertEqual(resp.status, 401, resp.describe())
            refused_here += 1
            self.assertLess(refused_here, 5, "node A never heard of node B's failures")
            time.sleep(1.0)
        self.assertEqual(resp.body["error"]["code"], "too_many_attempts")

    def test_writes_through_both_nodes_at_once_keep_one_verifiable_audit_log(self):
        errors = []

        def write(node: hub.Hub, n: int) -> None:
            token = node.login(node.admin_user, node.admin_password)
            for i in range(n):
                resp = node.request("POST", "/v1/agencies",
                                    {"parent_id": "ncb-ita", "kind": "agency",
                                     "name": f"Agency {id(node)} {i}"}, token=token)
                if resp.status != 201:
                    errors.append(resp.describe())

        threads = [threading.Thread(target=write, args=(node, 15)) for node in (self.a, self.b)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=120)
        self.assertEqual(errors, [])
        for node in (self.a, self.b):
            verify = node.cli("audit", "verify", "--json")
            self.assertEqual(verify.returncode, 0, verify.stdout + verify.stderr)
            self.assertTrue(json.loads(verify.stdout)["intact"])


if __name__ == "__main__":
    unittest.main()
