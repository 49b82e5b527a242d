"""Hits (issue 4, item 7) against the real server: the hub's messaging key (made at init,
registered to gs at start), who sees a hit (the checking agency and its NCB, the owner NCB;
nobody else, the GS included), follow-ups by both sides with the other side told by a hub
message that `ncbnet msg verify` verifies offline, bad input refused and audited with nothing
changed, the `ncbnet hits` CLI, and the follow-up counter in /metrics.

The check endpoints that record hits (GET/POST /v1/checks/{db}) are not in this branch yet, so
the hit is put in the hits table straight through SQLite, as RecordHits would store it; the
notification at the time of the check is covered by the unit tests (src/hits/hits_test.cc).
"""

import json
import os
import stat
import time

import hub
import msgutil
from msgutil import Principal, cert_principal


class HitsTestCase(hub.HubTestCase):

    @classmethod
    def set_up_network(cls):
        h = cls.hub
        cls.cli = msgutil.Cli(h)
        admin = h.admin_token()
        cls.gs = Principal("gs", token=admin)
        cls.fra = cert_principal(cls.hub, "ncb-fra")
        cls.deu = cert_principal(cls.hub, "ncb-deu")
        cls.ita = cert_principal(cls.hub, "ncb-ita")
        terminal = h.create_agency(admin, "ncb-fra", kind="terminal", name="CDG gate K41")
        cls.terminal_id = terminal["id"]
        user = h.create_user(admin, cls.terminal_id)
        cls.terminal = Principal(cls.terminal_id,
                                 token=h.login(user["name"], hub.USER_PASSWORD))

    # ---- helpers ---------------------------------------------------------------------------

    def insert_hit(self, owner_country: str = "DEU") -> str:
        """A hit of the French terminal on a record of `owner_country`'s NCB, as RecordHits
        stores it."""
        hit_id = "hit_" + self.hub.unique("it").rjust(26, "a")
        self.hub.db_exec(
            "INSERT INTO hits (id, record_ref, record_id, record_version, database,"
            " owner_country, owner_agency, checker_agency, checker_ncb, checker_user,"
            " checker_user_name, checker_country, terminal, checked_ms, match_kind,"
            " identifier, value, score, explanation, context, checker_state,"
            " checker_state_ms, owner_state, owner_state_ms, notification_id)"
            " VALUES (?, 1, 'rec_it', 1, 'SLTD', ?, ?, ?, 'ncb-fra', '', 'it', 'FRA', 1,"
            " ?, 'identifier', 'document', 'DEU:C01X00T47', 1.0, '', ?, 'open', NULL,"
            " 'open', NULL, '')",
            (hit_id, owner_country, "ncb-" + owner_country.lower(), self.terminal_id,
             int(time.time() * 1000), json.dumps({"location": "CDG T2E K41"})))
        return hit_id

    def count(self, table: str) -> int:
        return self.hub.db_rows(f"SELECT COUNT(*) AS n FROM {table}")[0]["n"]

    def get(self, who: Principal, path: str) -> hub.Response:
        return self.hub.request("GET", path, **who.request_args())

    def follow_up(self, who: Principal, hit_id: str, body) -> hub.Response:
        return self.hub.request("POST", f"/v1/hits/{hit_id}/follow-ups", body,
                                **who.request_args())

    def hub_messages(self, who: Principal) -> list:
        out = self.cli.client(who, "msg", "inbox", "--json")
        self.assertEqual(out.returncode, 0, out.stdout + out.stderr)
        return [e for e in msgutil.events_of(msgutil.parse_json(out))
                if e.get("kind") == "message" and e["message"]["sender_agency"] == "gs"]

    # ---- tests -----------------------------------------------------------------------------

    def test_hub_messaging_key_is_private_and_registered_to_gs(self):
        path = os.path.join(self.hub.data_dir, "hub-messaging.key")
        self.assertEqual(stat.S_IMODE(os.stat(path).st_mode), 0o600)
        with open(path, encoding="ascii") as f:
            key_id = msgutil.key_id_of(msgutil.public_key(bytes.fromhex(f.read().strip())))
        keys = {k["key_id"]: k for k in self.get(self.deu, "/v1/keys").body["keys"]}
        self.assertIn(key_id, keys)
        self.assertEqual(keys[key_id]["agency_id"], "gs")

    def test_only_the_two_sides_see_a_hit(self):
        hit_id = self.insert_hit()
        for who in (self.deu, self.fra, self.terminal):
            with self.subTest(who.agency):
                resp = self.get(who, f"/v1/hits/{hit_id}")
                self.assertEqual(resp.status, 200, resp.describe())
                self.assertEqual(resp.body["record"]["id"], "rec_it")
                self.assertEqual(resp.body["context"], {"location": "CDG T2E K41"})
                listed = self.get(who, "/v1/hits?limit=500").body["hits"]
                self.assertIn(hit_id, [h["id"] for h in listed])
        owner_side = self.get(self.deu, "/v1/hits?side=owner").body["hits"]
        self.assertIn(hit_id, [h["id"] for h in owner_side])
        self.assertNotIn(hit_id, [h["id"] for h in self.get(self.fra, "/v1/hits?side=owner")
                                  .body["hits"]])
        for who in (self.ita, self.gs):
            with self.subTest(who.agency):
                resp = self.get(who, f"/v1/hits/{hit_id}")
                self.assertError(resp, 404, "hit_not_found")
                self.assertAudited(resp, "hit_not_found", "GET /v1/hits/{id}")
                self.assertEqual(self.get(who, "/v1/hits").body["hits"], [])
                before = self.count("hit_follow_ups")
                resp = self.follow_up(who, hit_id, {"state": "confirmed"})
                self.assertError(resp, 404, "hit_not_found")
                self.assertAudited(resp, "hit_not_found", "POST /v1/hits/{id}/follow-ups")
                self.assertEqual(self.count("hit_follow_ups"), before)

    def test_both_sides_follow_up_and_the_other_side_is_told(self):
        hit_id = self.insert_hit()
        seen_fra = len(self.hub_messages(self.fra))
        resp = self.follow_up(self.deu, hit_id, {"state": "confirmed",
                                                 "note": "Still stolen. Seize it."})
        self.assertEqual(resp.status, 201, resp.describe())
        self.assertEqual(resp.body["owner_side"]["state"], "confirmed")
        self.assertIsNotNone(resp.body["owner_side"]["updated_at"])
        self.assertEqual(resp.body["checker_side"]["state"], "open")
        self.assertAudited(resp, "ok", "POST /v1/hits/{id}/follow-ups")

        # The checking side's NCB is told by a hub message, verifiable offline.
        told = self.hub_messages(self.fra)
        self.assertEqual(len(told), seen_fra + 1)
        message_id = told[-1]["message"]["id"]
        saved = self.cli.client(self.fra, "msg", "read", message_id, "--json")
        self.assertEqual(saved.returncode, 0, saved.stdout + saved.stderr)
        content = msgutil.parse_json(saved)["content"]
        self.assertEqual(content["sender_agency"], "gs")
        self.assertIn("Still stolen. Seize it.", content["body"])
        self.assertIn(hit_id, content["links"])
        directory = self.cli.client(self.fra, "key", "list", "--json")
        msg_file = os.path.join(self.hub.dir, f"{message_id}.json")
        dir_file = os.path.join(self.hub.dir, f"keys-{message_id}.json")
        with open(msg_file, "w", encoding="utf-8") as f:
            f.write(saved.stdout)
        with open(dir_file, "w", encoding="utf-8") as f:
            f.write(directory.stdout)
        out = self.cli.run("msg", "verify", "--message", msg_file, "--directory", dir_file,
                           "--json")
        self.assertEqual(out.returncode, 0, out.stdout + out.stderr)
        result = msgutil.parse_json(out)
        self.assertIs(result["valid"], True)
        self.assertEqual(result["agency_id"], "gs")
        # The GS, the message's nominal sender, cannot read it.
        self.assertError(self.get(self.gs, f"/v1/messages/{message_id}"), 404,
                         "message_not_found")

        # The checker answers; the owner is told.
        seen_deu = len(self.hub_messages(self.deu))
        resp = self.follow_up(self.terminal, hit_id, {"state": "action_taken"})
        self.assertEqual(resp.status, 201, resp.describe())
        self.assertEqual(resp.body["checker_side"]["state"], "action_taken")
        self.assertEqual([(f["side"], f["state"]) for f in resp.body["follow_ups"]],
                         [("owner", "confirmed"), ("checker", "action_taken")])
        self.assertEqual(len(self.hub_messages(self.deu)), seen_deu + 1)

        metrics = self.hub.request("GET", "/metrics", token=self.hub.admin_token())
        self.assertEqual(metrics.status, 200)
        self.assertIn('ncbnet_hit_follow_ups_total{side="owner",state="confirmed"}', metrics.body)

    def test_bad_input_is_refused_and_changes_nothing(self):
        hit_id = self.insert_hit()
        cases = (
            ({"state": "open"}, "invalid_follow_up"),
            ({"state": "done"}, "invalid_follow_up"),
            ({"state": "confirmed", "colour": "red"}, "invalid_request"),
            ({"state": "confirmed", "note": "x" * 4001}, "invalid_follow_up"),
            ({"state": "confirmed", "note": 7}, "invalid_request"),
            ({}, "invalid_request"),
        )
        for body, code in cases:
            with self.subTest(code=code, body=str(body)[:40]):
                before = self.count("hit_follow_ups"), self.count("messages")
                resp = self.follow_up(self.deu, hit_id, body)
                self.assertError(resp, 400, code)
                self.assertAudited(resp, code, "POST /v1/hits/{id}/follow-ups")
                self.assertEqual((self.count("hit_follow_ups"), self.count("messages")), before)
        for query in ("limit=0", "side=both", "state=done", "since=yesterday", "colour=red"):
            with self.subTest(query=query):
                resp = self.get(self.deu, f"/v1/hits?{query}")
                self.assertError(resp, 400, "invalid_timestamp" if "since" in query
                                 else "invalid_request")

    def test_cli_lists_shows_and_follows_up(self):
        hit_id = self.insert_hit()
        out = self.cli.client(self.deu, "hits", "list", "--side", "owner", "--json")
        self.assertEqual(out.returncode, 0, out.stdout + out.stderr)
        self.assertIn(hit_id, [h["id"] for h in msgutil.parse_json(out)["hits"]])
        out = self.cli.client(self.deu, "hits", "follow-up", hit_id, "--state",
                              "not_same_person", "--note", "Different date of birth")
        self.assertEqual(out.returncode, 0, out.stdout + out.stderr)
        out = self.cli.client(self.deu, "hits", "show", hit_id)
        self.assertEqual(out.returncode, 0, out.stdout + out.stderr)
        self.assertIn("not_same_person", out.stdout)
        self.assertIn("Different date of birth", out.stdout)
        out = self.cli.client(self.ita, "hits", "show", hit_id)
        self.assertNotEqual(out.returncode, 0)
        self.assertIn("hit_not_found", out.stdout + out.stderr)


if __name__ == "__main__":
    import unittest
    unittest.main()
