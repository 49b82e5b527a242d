"""Mutual legal assistance and extradition requests (issue 6, item 5) against the real server:
a request from the French ministry of justice to Germany through every state (sent, received,
in progress and assigned to the German central authority, executed with a file), others
refused and withdrawn, each step a hub message to the parties and an audit entry; the GS and a
third country see nothing (404); invalid transitions and bad input refused, audited, nothing
stored; deadline reminders (`ncbnet mla remind`) for an overdue request and one due soon, each
once; the `ncbnet mla` CLI.
"""

import datetime
import hashlib
import os
import time

import hub
import msgutil
from msgutil import Principal, cert_principal

OVERDUE_WAIT_S = 15.0


def iso(delta: datetime.timedelta) -> str:
    t = datetime.datetime.now(datetime.timezone.utc) + delta
    return t.strftime("%Y-%m-%dT%H:%M:%S.") + f"{t.microsecond // 1000:03d}Z"


class MlaTestCase(hub.HubTestCase):

    @classmethod
    def set_up_network(cls):
        h = cls.hub
        cls.cli = msgutil.Cli(h)
        admin = h.admin_token()
        cls.gs = Principal("gs", token=admin)
        cls.fra = cert_principal(cls.hub, "ncb-fra")
        cls.deu = cert_principal(cls.hub, "ncb-deu")
        cls.ita = cert_principal(cls.hub, "ncb-ita")
        # Each NCB delegates mla.request to its central authority (and message.send to upload).
        cls.justice = cls.agency_user(admin, cls.fra, "French Ministry of Justice, BEPI",
                                      ("mla.request", "message.send"))
        cls.authority = cls.agency_user(admin, cls.deu, "Bundesamt fuer Justiz",
                                        ("mla.request", "message.send"))
        cls.deu_police = cls.agency_user(admin, cls.deu, "BKA", ())

    @classmethod
    def agency_user(cls, admin: str, ncb: Principal, name: str, caps) -> Principal:
        h = cls.hub
        agency = h.create_agency(admin, ncb.agency, name=name)["id"]
        for cap in caps:
            resp = h.request("POST", "/v1/grants", {"agency_id": agency, "capability": cap},
                             **ncb.request_args())
            assert resp.status == 201, resp.describe()
        user = h.create_user(admin, agency)
        return Principal(agency, token=h.login(user["name"], hub.USER_PASSWORD))

    # ---- helpers ---------------------------------------------------------------------------

    def count(self, table: str) -> int:
        return self.hub.db_rows(f"SELECT COUNT(*) AS n FROM {table}")[0]["n"]

    def body(self, **fields) -> dict:
        b = {
            "type": "mla",
            "requested_country": "DEU",
            "urgency": "urgent",
            "deadline": iso(datetime.timedelta(days=30)),
            "case_reference": "PNF 2026/1187",
            "legal_basis": "EU Convention on Mutual Assistance in Criminal Matters (2000), art. 3",
            "summary": "Bank records of an account used in an investment fraud",
            "facts": "Between March and June 2026, 41 investors wired EUR 2.4 million\n"
                     "to an account held at a bank in Frankfurt.",
            "measures": ["Statements of account DE89 3704 0044 0532 0130 00 since 2026-01-01",
                         "Identity of the account holder and of the persons authorised"],
            "persons": ["Marc LEGRAND, born 1979-04-12, French national"],
        }
        b.update(fields)
        return b

    def create(self, who: Principal, body: dict) -> hub.Response:
        return self.hub.request("POST", "/v1/mla-requests", body, **who.request_args())

    def move(self, who: Principal, rid: str, to: str, **fields) -> hub.Response:
        return self.hub.request("POST", f"/v1/mla-requests/{rid}/transitions",
                                {"to": to, **fields}, **who.request_args())

    def get(self, who: Principal, path: str) -> hub.Response:
        return self.hub.request("GET", path, **who.request_args())

    def sent(self, who: Principal = None, **fields) -> dict:
        resp = self.create(who or self.justice, self.body(**fields))
        self.assertEqual(resp.status, 201, resp.describe())
        return resp.body

    def told(self, who: Principal, rid: str) -> list:
        """Subjects of the hub's messages about `rid` in `who`'s mailbox, oldest first."""
        out = self.cli.client(who, "msg", "inbox", "--limit", "500", "--json")
        self.assertEqual(out.returncode, 0, out.stdout + out.stderr)
        return [e["message"]["subject"] for e in msgutil.events_of(msgutil.parse_json(out))
                if e.get("kind") == "message" and e["message"]["sender_agency"] == "gs"
                and rid in e["message"]["subject"]]

    def upload(self, who: Principal, data: bytes, name: str) -> dict:
        sha = hashlib.sha256(data).hexdigest()
        resp = self.hub.request("POST", "/v1/attachments", {"size": len(data), "sha256": sha},
                                **who.request_args())
        self.assertEqual(resp.status, 201, resp.describe())
        upload = resp.body["upload_id"]
        resp = self.hub.request("PUT", f"/v1/attachments/uploads/{upload}?offset=0", raw_body=data,
                                content_type="application/octet-stream", **who.request_args())
        self.assertIn(resp.status, (200, 201, 204), resp.describe())
        resp = self.hub.request("POST", f"/v1/attachments/uploads/{upload}/complete",
                                **who.request_args())
        self.assertEqual(resp.status, 200, resp.describe())
        return {"sha256": sha, "size": len(data), "name": name, "media_type": "application/pdf"}

    def download(self, who: Principal, message_id: str, index: int) -> bytes:
        resp = self.get(who, f"/v1/messages/{message_id}/attachments/{index}")
        self.assertEqual(resp.status, 200, resp.describe())
        return resp.body if isinstance(resp.body, bytes) else resp.body.encode("latin-1")

    # ---- tests -----------------------------------------------------------------------------

    def test_a_request_through_every_state_tells_the_parties_at_each_step(self):
        letter = b"%PDF-1.4 letter of request signed by the investigating judge"
        created = self.sent(attachments=[self.upload(self.justice, letter, "letter.pdf")])
        rid = created["id"]
        self.assertEqual((created["state"], created["requesting_country"],
                          created["requested_country"]), ("sent", "FRA", "DEU"))
        self.assertEqual(created["requesting_agency"], self.justice.agency)
        # The request reached the requested NCB, with its file.
        self.assertEqual(self.download(self.deu, created["message_id"], 0), letter)

        steps = [(self.deu, "received", {}),
                 (self.deu, "in_progress", {"assign_to": self.authority.agency}),
                 (self.authority, "executed", {
                     "note": "Statements for 2026 attached; the holder is Marc LEGRAND.",
                     "attachments": [self.upload(self.authority, b"%PDF statements", "s.pdf")]})]
        for who, state, fields in steps:
            with self.subTest(state):
                resp = self.move(who, rid, state, **fields)
                self.assertEqual(resp.status, 201, resp.describe())
                self.assertEqual(resp.body["state"], state)
                self.assertAudited(resp, "ok", "POST /v1/mla-requests/{id}/transitions")
        history = resp.body["history"]
        self.assertEqual([e["state"] for e in history],
                         ["sent", "received", "in_progress", "executed"])
        self.assertEqual(history[2]["assigned_agency"], self.authority.agency)
        self.assertEqual(resp.body["assigned_agency"], self.authority.agency)
        result = history[3]["attachments"][0]
        self.assertEqual(self.download(self.justice, result["message_id"], result["index"]),
                         b"%PDF statements")

        every = [": sent", ": received", ": in_progress", ": executed"]
        for who in (self.justice, self.fra, self.deu):
            with self.subTest(party=who.agency):
                subjects = self.told(who, rid)
                self.assertEqual([s[s.rindex(":"):] for s in subjects], every)
        self.assertEqual(len(self.told(self.authority, rid)), 2)  # assigned, executed
        # The assigned agency got the request's file with its assignment.
        self.assertEqual(self.download(self.authority, history[2]["message_id"], 0), letter)
        for who in (self.justice, self.fra, self.deu, self.authority):
            self.assertEqual(self.get(who, f"/v1/mla-requests/{rid}").status, 200)

    def test_the_gs_and_a_third_country_see_nothing(self):
        rid = self.sent()["id"]
        message_id = self.get(self.deu, f"/v1/mla-requests/{rid}").body["message_id"]
        for who in (self.gs, self.ita, self.deu_police):
            with self.subTest(who.agency):
                resp = self.get(who, f"/v1/mla-requests/{rid}")
                if who is self.deu_police:  # without mla.request it is not even asked
                    self.assertError(resp, 403, "missing_capability")
                    continue
                self.assertError(resp, 404, "mla_request_not_found")
                self.assertAudited(resp, "mla_request_not_found", "GET /v1/mla-requests/{id}")
                listed = self.get(who, "/v1/mla-requests")
                self.assertEqual(listed.body["mla_requests"], [])
                before = self.count("mla_events")
                resp = self.move(who, rid, "received")
                self.assertError(resp, 404, "mla_request_not_found")
                self.assertAudited(resp, "mla_request_not_found")
                self.assertEqual(self.count("mla_events"), before)
                self.assertError(self.get(who, f"/v1/messages/{message_id}"), 404,
                                 "message_not_found")
        self.assertError(self.get(self.deu, "/v1/mla-requests/mla_nosuchrequest"), 404,
                         "mla_request_not_found")

    def test_refused_withdrawn_and_invalid_transitions(self):
        refused = self.sent()["id"]
        self.assertError(self.move(self.justice, refused, "received"), 403, "not_requested_side")
        self.assertError(self.move(self.deu, refused, "withdrawn"), 403, "not_requesting_side")
        for to in ("executed", "in_progress", "refused", "sent"):
            with self.subTest(to=to):
                resp = self.move(self.deu, refused, to, note="reasons")
                self.assertError(resp, 409, "invalid_transition")
                self.assertAudited(resp, "invalid_transition")
        self.assertEqual(self.move(self.deu, refused, "received").status, 201)
        self.assertError(self.move(self.deu, refused, "refused"), 400, "invalid_mla_request")
        self.assertError(self.move(self.deu, refused, "in_progress",
                                   assign_to=self.deu_police.agency), 400, "invalid_assignee")
        resp = self.move(self.deu, refused, "refused",
                         note="Dual criminality is not met for these facts.")
        self.assertEqual(resp.status, 201, resp.describe())
        self.assertEqual(resp.body["state"], "refused")
        self.assertIn(": refused", self.told(self.justice, refused)[-1])
        self.assertError(self.move(self.justice, refused, "withdrawn"), 409, "invalid_transition")

        withdrawn = self.sent(type="extradition")["id"]
        self.assertEqual(self.move(self.deu, withdrawn, "received").status, 201)
        resp = self.move(self.fra, withdrawn, "withdrawn", note="The person was arrested in Spain.")
        self.assertEqual(resp.status, 201, resp.describe())
        self.assertEqual(resp.body["state"], "withdrawn")
        self.assertIn(": withdrawn", self.told(self.deu, withdrawn)[-1])
        self.assertError(self.move(self.deu, withdrawn, "in_progress"), 409, "invalid_transition")

    def test_bad_input_is_refused_audited_and_stores_nothing(self):
        cases = (
            ({"requested_country": "ZZZ"}, "unknown_country"),
            ({"requested_country": "FRA"}, "own_country"),
            ({"facts": "x" * 20001}, "text_too_long"),
            ({"deadline": iso(datetime.timedelta(days=-1))}, "deadline_in_past"),
            ({"deadline": "tomorrow"}, "invalid_request"),
            ({"attachments": [{"sha256": "ab" * 32, "size": 10, "name": "x.pdf",
                               "media_type": "application/pdf"}]}, "unknown_attachment"),
            ({"type": "rogatory"}, "invalid_request"),
            ({"measures": []}, "invalid_mla_request"),
            ({"summary": "two\nlines"}, "invalid_mla_request"),
            ({"colour": "red"}, "invalid_request"),
        )
        for fields, code in cases:
            with self.subTest(code=code, fields=str(fields)[:50]):
                before = self.count("mla_requests"), self.count("messages")
                resp = self.create(self.justice, self.body(**fields))
                self.assertError(resp, 400, code)
                self.assertAudited(resp, code, "POST /v1/mla-requests")
                self.assertEqual((self.count("mla_requests"), self.count("messages")), before)
        resp = self.create(self.gs, self.body())
        self.assertError(resp, 403, "no_requesting_country")
        resp = self.create(self.deu_police, self.body(requested_country="FRA"))
        self.assertError(resp, 403, "missing_capability")
        for query in ("direction=both", "state=done", "overdue=yes", "limit=0", "colour=red"):
            with self.subTest(query=query):
                self.assertError(self.get(self.fra, f"/v1/mla-requests?{query}"), 400,
                                 "invalid_request")

    def test_deadline_reminders_and_overdue_in_the_list(self):
        late = self.sent(deadline=iso(datetime.timedelta(seconds=2)))["id"]
        soon = self.sent(deadline=iso(datetime.timedelta(days=2)))["id"]
        self.assertEqual(self.move(self.deu, soon, "received").status, 201)
        deadline = time.monotonic() + OVERDUE_WAIT_S
        while True:  # the requester sees it overdue once its deadline has passed
            listed = self.get(self.justice, "/v1/mla-requests?overdue=true&direction=outgoing")
            self.assertEqual(listed.status, 200, listed.describe())
            if [r["id"] for r in listed.body["mla_requests"]] == [late]:
                break
            self.assertLess(time.monotonic(), deadline, listed.describe())
            time.sleep(0.2)
        self.assertIs(self.get(self.justice, f"/v1/mla-requests/{late}").body["overdue"], True)
        self.assertIs(self.get(self.justice, f"/v1/mla-requests/{soon}").body["overdue"], False)

        out = self.cli.run("mla", "remind", "--data-dir", self.hub.data_dir, "--json")
        self.assertEqual(out.returncode, 0, out.stdout + out.stderr)
        self.assertEqual(msgutil.parse_json(out), {"due_soon": 1, "overdue": 1})
        out = self.cli.run("mla", "remind", "--data-dir", self.hub.data_dir, "--json")
        self.assertEqual(msgutil.parse_json(out), {"due_soon": 0, "overdue": 0})  # each once
        self.assertEqual(len([s for s in self.told(self.deu, late) if "overdue since" in s]), 1)
        self.assertEqual(len([s for s in self.told(self.deu, soon) if "answer due by" in s]), 1)
        self.assertEqual([s for s in self.told(self.justice, late) if "overdue" in s], [])
        actions = [e["action"] for e in self.hub.audit_rows()]
        self.assertIn("mla.remind", actions)

    def test_cli_sends_lists_shows_and_answers(self):
        facts = os.path.join(self.hub.dir, "facts.txt")
        with open(facts, "w", encoding="utf-8") as f:
            f.write("A vessel seized in Hamburg carried 400 kg of cocaine.\nThe master fled.")
        out = self.cli.client(
            self.justice, "mla", "send", "--to", "DEU", "--type", "extradition",
            "--deadline", iso(datetime.timedelta(days=20)), "--case-reference", "JIRS 26/88",
            "--legal-basis", "European Convention on Extradition (1957)",
            "--summary", "Extradition of a French national for drug trafficking",
            "--facts-file", facts, "--measure", "Surrender of Paul MARTIN",
            "--person", "Paul MARTIN, born 1985-07-01", "--json")
        self.assertEqual(out.returncode, 0, out.stdout + out.stderr)
        rid = msgutil.parse_json(out)["id"]
        out = self.cli.client(self.deu, "mla", "list", "--direction", "incoming", "--json")
        self.assertEqual(out.returncode, 0, out.stdout + out.stderr)
        self.assertIn(rid, [r["id"] for r in msgutil.parse_json(out)["mla_requests"]])
        for args in (("receive", rid), ("start", rid, "--assign-to", self.authority.agency),
                     ("refuse", rid, "--reasons", "The person is a German national.")):
            out = self.cli.client(self.deu, "mla", *args)
            self.assertEqual(out.returncode, 0, out.stdout + out.stderr)
        out = self.cli.client(self.justice, "mla", "show", rid)
        self.assertEqual(out.returncode, 0, out.stdout + out.stderr)
        self.assertIn("refused", out.stdout)
        self.assertIn("The person is a German national.", out.stdout)
        self.assertIn("400 kg of cocaine", out.stdout)
        out = self.cli.client(self.ita, "mla", "show", rid)
        self.assertNotEqual(out.returncode, 0)
        self.assertIn("mla_request_not_found", out.stdout + out.stderr)
        out = self.cli.client(self.justice, "mla", "withdraw", rid)
        self.assertNotEqual(out.returncode, 0)
        self.assertIn("invalid_transition", out.stdout + out.stderr)


if __name__ == "__main__":
    import unittest
    unittest.main()
