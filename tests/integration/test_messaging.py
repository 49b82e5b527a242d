"""Messaging (issue 3, first slice) against the real server: the key directory, sending to a
country, delivery and read receipts seen by the sender, idempotent retries, addressing rules
(unknown recipient, a terminal writing abroad), confidentiality (the GS reads only what is
addressed to it), forged and revoked signatures, an oversized body, a bad classification, a
cursor from the future, offline verification with `ncbnet msg verify`, encryption at rest and
tampering in the store.

Valid messages are sent as a user would, with `ncbnet key generate`, `key register` and
`msg send`. Refusals are sent as raw POST /v1/messages, signed where needed by msgutil's
independent implementation of docs/message-format.md, so that each is checked for its
status, its error code, its audit entry and that nothing was stored; the CLI's refusals are
checked too (non-zero exit naming the code)."""

import base64
import json
import os
import secrets
import sqlite3
import stat
import threading
import time
import unittest

import hub
import msgutil
from msgutil import Principal, cert_principal

FUTURE_CURSOR = 10**12


class MessagingTestCase(hub.HubTestCase):
    """Shared set-up: certificates for the NCBs of France, Germany and Spain, and a key each
    for France and Germany, generated and registered through the CLI."""

    @classmethod
    def set_up_network(cls):
        h = cls.hub
        cls.cli = msgutil.Cli(h)
        cls.gs = Principal("gs", token=h.admin_token())
        cls.fra = cert_principal(cls.hub, "ncb-fra")
        cls.deu = cert_principal(cls.hub, "ncb-deu")
        cls.esp = cert_principal(cls.hub, "ncb-esp")
        cls.fra_key = cls.cli.generate_key(os.path.join(h.dir, "fra.key"))
        cls.deu_key = cls.cli.generate_key(os.path.join(h.dir, "deu.key"))
        # France registers its own key (NCB system, certificate); the GS registers Germany's.
        cls.register_output = {
            "ncb-fra": cls.cli.client(cls.fra, "key", "register", "--agency", "ncb-fra",
                                      "--key", cls.fra_key.path),
            "ncb-deu": cls.cli.client(cls.gs, "key", "register", "--agency", "ncb-deu",
                                      "--key", cls.deu_key.path),
        }

    # ---- calls ----------------------------------------------------------------------------

    def send_cli(self, who: Principal, key: msgutil.AgencyKey, *args: str, stdin=None):
        return self.cli.client(who, "msg", "send", "--key", key.path, "--from", who.agency,
                               "--json", *args, stdin=stdin)

    def sent(self, who: Principal, key: msgutil.AgencyKey, *args: str, stdin=None) -> dict:
        """`msg send --json` that must succeed; returns its output."""
        out = self.send_cli(who, key, *args, stdin=stdin)
        self.assertEqual(out.returncode, 0, f"msg send: {out.stdout}{out.stderr}\nserver log:\n"
                                            f"{self.hub.log_tail(10)}")
        result = msgutil.parse_json(out)
        self.assertTrue(result["message_id"].startswith("msg_"), result)
        self.assertIs(result["duplicate"], False, result)
        return result

    def post(self, who: Principal, body) -> hub.Response:
        return self.hub.request("POST", "/v1/messages", body, **who.request_args())

    def get(self, who: Principal, path: str) -> hub.Response:
        return self.hub.request("GET", path, **who.request_args())

    def read(self, who: Principal, message_id: str) -> dict:
        resp = self.get(who, f"/v1/messages/{message_id}")
        self.assertEqual(resp.status, 200, resp.describe())
        return resp.body

    def receipts(self, who: Principal, message_id: str) -> dict:
        resp = self.get(who, f"/v1/messages/{message_id}/receipts")
        self.assertEqual(resp.status, 200, resp.describe())
        return {r["agency_id"]: r for r in resp.body["receipts"]}

    def mailbox(self, who: Principal, after: int = 0) -> list:
        """Every event of `who`'s mailbox after `after`, following next_cursor (bounded)."""
        events = []
        for _ in range(100):
            resp = self.get(who, f"/v1/mailbox?after={after}&limit=500")
            self.assertEqual(resp.status, 200, resp.describe())
            page = resp.body["events"]
            events.extend(page)
            if not page:
                return events
            self.assertGreater(resp.body["next_cursor"], after, resp.body)
            after = resp.body["next_cursor"]
        self.fail("mailbox paging did not end")

    def inbox_cli(self, who: Principal, *args: str) -> list:
        out = self.cli.client(who, "msg", "inbox", "--json", "--limit", "500", *args)
        self.assertEqual(out.returncode, 0, out.stdout + out.stderr)
        return msgutil.events_of(msgutil.parse_json(out))

    # ---- store -----------------------------------------------------------------------------

    def db(self) -> sqlite3.Connection:
        """The SQLite file itself, read-only (modules that run on SQLite only)."""
        path = os.path.join(self.hub.data_dir, "ncbnet.db")
        return sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=10)

    def stored_counts(self) -> dict:
        # Receipt events are left out: any mailbox fetch may add some (delivered).
        return {q: self.hub.db_rows(f"SELECT count(*) AS n FROM {q}")[0]["n"]
                for q in ("messages", "message_recipients",
                          "mailbox_events WHERE kind = 'message'")}

    # ---- assertions ------------------------------------------------------------------------

    def assertAuditedAs(self, resp: hub.Response, outcome: str, action_prefix: str) -> dict:
        entry = self.assertAudited(resp, outcome)
        self.assertTrue(entry["action"].startswith(action_prefix), entry)
        return entry

    def audit_mark(self) -> int:
        rows = self.hub.audit_rows()
        return rows[-1]["seq"] if rows else 0

    def assertAuditedSince(self, mark: int, action_prefix: str, outcome: str,
                           agency: str) -> dict:
        """A request made by the CLI after `mark` was audited with `outcome`."""
        wanted = ("ok",) if outcome == "ok" else (f"denied:{outcome}", f"error:{outcome}")
        deadline = time.monotonic() + hub.AUDIT_WAIT_S
        while True:
            rows = [r for r in self.hub.audit_rows() if r["seq"] > mark
                    and r["action"].startswith(action_prefix) and r["agency_id"] == agency]
            for r in rows:
                if r["outcome"] in wanted:
                    return r
            if time.monotonic() > deadline:
                self.fail(f"no audit entry {action_prefix} {outcome} by {agency} after {mark};"
                          f" found {rows}")
            time.sleep(0.05)

    def assertCliRefused(self, out, code: str) -> None:
        text = out.stdout + out.stderr
        self.assertNotEqual(out.returncode, 0, text)
        self.assertIn(code, text)

    def assertNothingStored(self, before: dict) -> None:
        self.assertEqual(self.stored_counts(), before)


class MessagingTest(MessagingTestCase):

    @classmethod
    def set_up_network(cls):
        super().set_up_network()
        h = cls.hub
        h.create_user(h.admin_token(), "ncb-fra", "it.fra.admin")
        cls.fra_admin = Principal("ncb-fra", token=h.login("it.fra.admin", hub.USER_PASSWORD))

    # ---- key directory ---------------------------------------------------------------------

    def test_key_generate_writes_a_private_seed_and_prints_the_key(self):
        path = os.path.join(self.hub.dir, "generated.key")
        key = self.cli.generate_key(path)
        self.assertEqual(stat.S_IMODE(os.stat(path).st_mode), 0o600)
        with open(path, encoding="ascii") as f:
            text = f.read()
        self.assertRegex(text, r"^[0-9a-f]{64}\n$")
        # The printed key id and public key are those of the seed (docs/message-format.md).
        self.assertIn(key.key_id, key.printed)
        self.assertIn(key.public_hex, key.printed)
        printed = json.loads(key.printed)
        self.assertEqual(printed["key_id"], key.key_id)
        self.assertEqual(printed["public_key"], key.public_hex)
        # Never overwrites an existing key... is not in the contract; a second key differs.
        other = self.cli.generate_key(os.path.join(self.hub.dir, "generated2.key"))
        self.assertNotEqual(other.seed, key.seed)

    def test_registered_keys_are_in_the_directory(self):
        for agency, key in (("ncb-fra", self.fra_key), ("ncb-deu", self.deu_key)):
            out = self.register_output[agency]
            self.assertEqual(out.returncode, 0, out.stdout + out.stderr)
            self.assertIn(key.key_id, out.stdout)

        resp = self.get(self.esp, "/v1/keys")  # any authenticated principal
        self.assertEqual(resp.status, 200, resp.describe())
        self.assertAudited(resp, "ok", "GET /v1/keys")
        keys = {k["key_id"]: k for k in resp.body["keys"]}
        for agency, key in (("ncb-fra", self.fra_key), ("ncb-deu", self.deu_key)):
            entry = keys[key.key_id]
            self.assertEqual(entry["agency_id"], agency)
            self.assertEqual(entry["public_key"], key.public_hex)
            self.assertIsNone(entry["revoked_at"])
            self.assertIsInstance(entry["created_at"], str)

        out = self.cli.client(self.deu, "key", "list", "--json")
        self.assertEqual(out.returncode, 0, out.stdout + out.stderr)
        listed = msgutil.parse_json(out)
        listed = listed["keys"] if isinstance(listed, dict) else listed
        self.assertIn(self.fra_key.key_id, {k["key_id"] for k in listed})

    def test_key_register_refusals(self):
        path = "/v1/agencies/ncb-fra/keys"
        for bad in ("zz" * 32, "ab" * 31, "ab" * 33, msgutil.not_a_point().hex()):
            with self.subTest(public_key=bad):
                resp = self.hub.request("POST", path, {"public_key": bad}, cert=self.fra.cert)
                self.assertError(resp, 400, "invalid_key")
                self.assertAuditedAs(resp, "invalid_key", "POST /v1/agencies/")
        # An empty or missing key is a malformed request (the foundation's invalid_request)
        # or a bad key: the contract does not say which.
        for body in ({"public_key": ""}, {}):
            resp = self.hub.request("POST", path, body, cert=self.fra.cert)
            self.assertEqual(resp.status, 400, resp.describe())
            self.assertIn(resp.error_code, ("invalid_key", "invalid_request"), resp.describe())

        # The same key again, for the same agency or another.
        resp = self.hub.request("POST", path, {"public_key": self.fra_key.public_hex},
                                cert=self.fra.cert)
        self.assertError(resp, 409, "key_exists")
        self.assertAuditedAs(resp, "key_exists", "POST /v1/agencies/")
        resp = self.hub.request("POST", "/v1/agencies/ncb-deu/keys",
                                {"public_key": self.fra_key.public_hex},
                                token=self.gs.token)
        self.assertError(resp, 409, "key_exists")

        # An NCB registers keys for its own branch only.
        fresh = self.cli.generate_key(os.path.join(self.hub.dir, "intruder.key"))
        resp = self.hub.request("POST", "/v1/agencies/ncb-deu/keys",
                                {"public_key": fresh.public_hex}, cert=self.fra.cert)
        self.assertError(resp, 404, "agency_not_found")
        self.assertAuditedAs(resp, "agency_not_found", "POST /v1/agencies/")

        # Revoking: another branch's key, or an unknown key, is not found.
        resp = self.hub.request("DELETE", f"/v1/keys/{self.deu_key.key_id}", cert=self.fra.cert)
        self.assertError(resp, 404, "key_not_found")
        self.assertAuditedAs(resp, "key_not_found", "DELETE /v1/keys/")
        resp = self.hub.request("DELETE", "/v1/keys/ed25519:" + "0" * 32, cert=self.fra.cert)
        self.assertError(resp, 404, "key_not_found")
        keys = {k["key_id"]: k for k in self.get(self.esp, "/v1/keys").body["keys"]}
        self.assertIsNone(keys[self.deu_key.key_id]["revoked_at"])
        self.assertNotIn(fresh.key_id, keys)

    # ---- the main path ---------------------------------------------------------------------

    def test_send_to_a_country_is_delivered_read_and_receipted(self):
        subject = f"Stolen vehicle seen near Kehl {secrets.token_hex(3)}"
        body = "Line one\nLine two\twith a tab, accents: é ü ß, and 中文.\n"
        mark = self.audit_mark()
        sent = self.sent(self.fra, self.fra_key, "--to-country", "DEU", "--subject", subject,
                         "--body", body, "--priority", "urgent",
                         "--classification", "interpol_restricted", "--language", "fr",
                         "--handling", "Not for onward transmission")
        mid = sent["message_id"]
        self.assertEqual(sent["recipients"], ["ncb-deu"])
        self.assertAuditedSince(mark, "POST /v1/messages", "ok", "ncb-fra")

        receipt = self.receipts(self.fra, mid)["ncb-deu"]
        self.assertEqual(receipt["state"], "queued", receipt)
        self.assertIsInstance(receipt["queued_at"], str)
        self.assertIsNone(receipt["delivered_at"])
        self.assertIsNone(receipt["read_at"])

        # Germany fetches its mailbox: the header, without the body; now delivered.
        events = [e for e in self.inbox_cli(self.deu) if e["message_id"] == mid]
        self.assertEqual(len(events), 1, events)
        self.assertEqual(events[0]["kind"], "message")
        header = events[0]["message"]
        self.assertEqual(header["id"], mid)
        self.assertEqual(header["sender_agency"], "ncb-fra")
        self.assertEqual(header["subject"], subject)
        self.assertEqual(header["classification"], "interpol_restricted")
        self.assertEqual(header["priority"], "urgent")
        self.assertNotIn("body", header)
        receipt = self.receipts(self.fra, mid)["ncb-deu"]
        self.assertEqual(receipt["state"], "delivered", receipt)
        self.assertIsNotNone(receipt["delivered_at"])
        self.assertIsNone(receipt["read_at"])

        # Germany reads it: the content exactly as signed; now read.
        out = self.cli.client(self.deu, "msg", "read", mid, "--json")
        self.assertEqual(out.returncode, 0, out.stdout + out.stderr)
        got = msgutil.parse_json(out)
        self.assertEqual(got["id"], mid)
        self.assertEqual(got["recipients"], ["ncb-deu"])
        self.assertEqual(got["key_id"], self.fra_key.key_id)
        c = got["content"]
        self.assertEqual((c["sender_agency"], c["subject"], c["body"]), ("ncb-fra", subject, body))
        self.assertEqual(c["to"], {"agencies": [], "countries": ["DEU"], "all_ncbs": False})
        self.assertEqual((c["classification"], c["priority"], c["language"], c["handling"]),
                         ("interpol_restricted", "urgent", "fr", "Not for onward transmission"))
        self.assertEqual((c["thread_id"], c["reply_to"], c["links"]), ("", "", []))
        # The CLI signed the encoding the document describes.
        self.assertTrue(msgutil.verify(self.fra_key.public, msgutil.canonical(c),
                                       bytes.fromhex(got["signature"])),
                        "the CLI's signature does not verify over docs/message-format.md's "
                        "canonical encoding")
        receipt = self.receipts(self.fra, mid)["ncb-deu"]
        self.assertEqual(receipt["state"], "read", receipt)
        self.assertIsNotNone(receipt["delivered_at"])
        self.assertIsNotNone(receipt["read_at"])

        # The sender's mailbox got both receipts, in order.
        receipts = [e for e in self.mailbox(self.fra)
                    if e["kind"] == "receipt" and e["message_id"] == mid]
        self.assertEqual([e["receipt"]["state"] for e in receipts], ["delivered", "read"],
                         receipts)
        self.assertEqual({e["receipt"]["agency_id"] for e in receipts}, {"ncb-deu"})
        self.assertLess(receipts[0]["cursor"], receipts[1]["cursor"])

        # The sender may read its own message; that is no read receipt.
        self.assertEqual(self.read(self.fra, mid)["content"], c)
        resp = self.get(self.fra, f"/v1/messages/{mid}/receipts")
        self.assertAuditedAs(resp, "ok", "GET /v1/messages/")

        # Fetched once, never again after the cursor.
        last = max(e["cursor"] for e in self.mailbox(self.deu))
        self.assertEqual(self.mailbox(self.deu, after=last), [])

    def test_mailbox_is_in_order_and_resumes_from_a_cursor(self):
        ita = cert_principal(self.hub, "ncb-ita")
        ids = [self.sent(self.fra, self.fra_key, "--to-agency", "ncb-ita", "--subject",
                         f"Ordered {i}", "--body", f"number {i}")["message_id"]
               for i in range(3)]
        after, seen = 0, []
        for _ in range(10):
            resp = self.get(ita, f"/v1/mailbox?after={after}&limit=1")
            self.assertEqual(resp.status, 200, resp.describe())
            self.assertLessEqual(len(resp.body["events"]), 1)
            if not resp.body["events"]:
                break
            event = resp.body["events"][0]
            self.assertGreater(event["cursor"], after)
            self.assertEqual(resp.body["next_cursor"], event["cursor"])
            seen.append(event["message_id"])
            after = resp.body["next_cursor"]
        self.assertEqual(seen, ids)
        # The CLI from a cursor.
        self.assertEqual([e["message_id"] for e in self.inbox_cli(ita, "--after", "0")], ids)
        self.assertEqual(self.inbox_cli(ita, "--after", str(after)), [])

    # ---- idempotency -----------------------------------------------------------------------

    def test_retry_with_the_same_idempotency_key_returns_the_same_message(self):
        key = msgutil.new_idempotency_key("fra-retry")
        first = self.sent(self.fra, self.fra_key, "--to-country", "DEU", "--subject",
                          "Retry me", "--body", "once", "--idempotency-key", key)
        mid = first["message_id"]
        before = self.stored_counts()

        # The exact request again (as a client whose answer was lost would send it).
        got = self.read(self.fra, mid)
        self.assertEqual(got["content"]["idempotency_key"], key)
        retry = {"content": got["content"], "key_id": got["key_id"],
                 "signature": got["signature"]}
        resp = self.post(self.fra, retry)
        self.assertEqual(resp.status, 200, resp.describe())
        self.assertEqual(resp.body["message_id"], mid)
        self.assertIs(resp.body["duplicate"], True)
        self.assertEqual(resp.body["recipients"], ["ncb-deu"])
        self.assertAudited(resp, "ok", "POST /v1/messages")
        self.assertNothingStored(before)
        delivered = [e for e in self.mailbox(self.deu) if e["message_id"] == mid]
        self.assertEqual(len(delivered), 1, delivered)

        # The same key with a different message: refused, through the CLI and the API.
        mark = self.audit_mark()
        out = self.send_cli(self.fra, self.fra_key, "--to-country", "DEU", "--subject",
                            "Something else", "--body", "once", "--idempotency-key", key)
        self.assertCliRefused(out, "idempotency_key_reused")
        self.assertAuditedSince(mark, "POST /v1/messages", "idempotency_key_reused", "ncb-fra")
        changed = dict(got["content"], subject="Something else")
        resp = self.post(self.fra, self.fra_key.request(changed))
        self.assertError(resp, 409, "idempotency_key_reused")
        self.assertAudited(resp, "idempotency_key_reused", "POST /v1/messages")
        self.assertNothingStored(before)

        # Keys are per sender: Germany may use the same one.
        c = msgutil.content("ncb-deu", countries=["FRA"], idempotency_key=key)
        resp = self.post(self.deu, self.deu_key.request(c))
        self.assertEqual(resp.status, 201, resp.describe())
        self.assertNotEqual(resp.body["message_id"], mid)
        self.assertIs(resp.body["duplicate"], False)

    # ---- addressing ------------------------------------------------------------------------

    def test_unknown_recipient_refuses_the_whole_message(self):
        cases = {"country XXX": {"countries": ["XXX"]},
                 "agency nope": {"agencies": ["nope"]},
                 "known and unknown agency": {"agencies": ["ncb-esp", "nope"]},
                 "known and unknown country": {"countries": ["ESP", "XXX"]}}
        subjects = []
        for name, to in cases.items():
            with self.subTest(name):
                before = self.stored_counts()
                c = msgutil.content("ncb-fra", **to, subject=f"Refused {name}")
                subjects.append(c["subject"])
                resp = self.post(self.fra, self.fra_key.request(c))
                self.assertError(resp, 404, "unknown_recipient")
                unknown = "XXX" if to.get("countries", [""])[-1] == "XXX" else "nope"
                self.assertIn(unknown, resp.body["error"]["message"])
                self.assertAudited(resp, "unknown_recipient", "POST /v1/messages")
                self.assertNothingStored(before)
        subjects_seen = {e["message"]["subject"] for e in self.mailbox(self.esp)
                         if e["kind"] == "message"}
        self.assertFalse(subjects_seen & set(subjects), subjects_seen)

        mark = self.audit_mark()
        out = self.send_cli(self.fra, self.fra_key, "--to-country", "XXX", "--subject", "x",
                            "--body", "x")
        self.assertCliRefused(out, "unknown_recipient")
        self.assertAuditedSince(mark, "POST /v1/messages", "unknown_recipient", "ncb-fra")

        before = self.stored_counts()
        resp = self.post(self.fra, self.fra_key.request(msgutil.content("ncb-fra")))
        self.assertError(resp, 400, "no_recipients")
        self.assertAudited(resp, "no_recipients", "POST /v1/messages")
        self.assertNothingStored(before)

    def test_a_terminal_sends_only_to_its_own_ncb(self):
        terminal = self.hub.create_agency(self.fra_admin.token, "ncb-fra", "terminal")
        tid = terminal["id"]
        self.hub.grant(self.fra_admin.token, tid, "message.send")
        term = cert_principal(self.hub, tid)
        key = self.cli.generate_key(os.path.join(self.hub.dir, "terminal.key"))
        out = self.cli.client(self.fra_admin, "key", "register", "--agency", tid,
                              "--key", key.path)
        self.assertEqual(out.returncode, 0, out.stdout + out.stderr)

        mark = self.audit_mark()
        out = self.send_cli(term, key, "--to-agency", "ncb-deu", "--subject", "Abroad",
                            "--body", "no")
        self.assertCliRefused(out, "recipient_not_allowed")
        self.assertAuditedSince(mark, "POST /v1/messages", "recipient_not_allowed", tid)
        for to in ({"agencies": ["ncb-deu"]}, {"countries": ["DEU"]}, {"all_ncbs": True},
                   {"agencies": ["ncb-fra", "ncb-deu"]}):
            with self.subTest(to=to):
                before = self.stored_counts()
                resp = self.post(term, key.request(msgutil.content(tid, **to)))
                self.assertError(resp, 403, "recipient_not_allowed")
                self.assertAudited(resp, "recipient_not_allowed", "POST /v1/messages")
                self.assertNothingStored(before)

        sent = self.sent(term, key, "--to-agency", "ncb-fra", "--subject", "Hit at gate 12",
                         "--body", "Document FR1234567 flagged.")
        self.assertEqual(sent["recipients"], ["ncb-fra"])
        got = self.read(self.fra, sent["message_id"])
        self.assertEqual(got["content"]["sender_agency"], tid)
        sent = self.sent(term, key, "--to-country", "FRA", "--subject", "Own country",
                         "--body", "ok")
        self.assertEqual(sent["recipients"], ["ncb-fra"])

        # A terminal without message.send may not send at all.
        bare = self.hub.create_agency(self.fra_admin.token, "ncb-fra", "terminal")
        resp = self.post(cert_principal(self.hub, bare["id"]),
                         key.request(msgutil.content(bare["id"], agencies=["ncb-fra"])))
        self.assertError(resp, 403, "missing_capability")
        self.assertAudited(resp, "missing_capability", "POST /v1/messages")

    def test_several_recipients_are_resolved_once_each(self):
        sent = self.sent(self.fra, self.fra_key, "--to-country", "DEU", "--to-country", "ESP",
                         "--to-agency", "ncb-deu", "--subject", "Three ways to two NCBs",
                         "--body", "once each")
        self.assertEqual(sorted(sent["recipients"]), ["ncb-deu", "ncb-esp"])
        mid = sent["message_id"]
        self.assertEqual(set(self.receipts(self.fra, mid)), {"ncb-deu", "ncb-esp"})
        for who in (self.deu, self.esp):
            events = [e for e in self.mailbox(who) if e["message_id"] == mid]
            self.assertEqual(len(events), 1, events)
        # Addressed as sent, not as resolved.
        self.assertEqual(self.read(self.esp, mid)["content"]["to"],
                         {"agencies": ["ncb-deu"], "countries": ["DEU", "ESP"],
                          "all_ncbs": False})

        sent = self.sent(self.deu, self.deu_key, "--all-ncbs", "--subject", "To every NCB",
                         "--body", "a diffusion-like message")
        recipients = set(sent["recipients"])
        self.assertTrue({"ncb-fra", "ncb-esp", "ncb-ita"} <= recipients, recipients)
        self.assertNotIn("gs", recipients)
        self.assertTrue(all(r.startswith("ncb-") for r in recipients), recipients)
        self.assertGreaterEqual(len(recipients), 190)
        self.assertIn(sent["message_id"], {e["message_id"] for e in self.mailbox(self.esp)})

    def test_national_agencies_and_other_branches(self):
        german_police = self.hub.create_agency(self.gs.token, "ncb-deu")["id"]
        # An NCB writes to NCBs and to its own branch, not into another country's branch.
        before = self.stored_counts()
        resp = self.post(self.fra, self.fra_key.request(
            msgutil.content("ncb-fra", agencies=[german_police])))
        self.assertError(resp, 403, "recipient_not_allowed")
        self.assertIn(german_police, resp.body["error"]["message"])
        self.assertAudited(resp, "recipient_not_allowed", "POST /v1/messages")
        self.assertNothingStored(before)

        # A French national agency with message.send from its NCB.
        police = self.hub.create_agency(self.fra_admin.token, "ncb-fra")["id"]
        self.hub.grant(self.fra_admin.token, police, "message.send")
        agency = cert_principal(self.hub, police)
        key = self.cli.generate_key(os.path.join(self.hub.dir, "police.key"))
        out = self.cli.client(self.fra_admin, "key", "register", "--agency", police,
                              "--key", key.path)
        self.assertEqual(out.returncode, 0, out.stdout + out.stderr)
        for args, expected in ((["--to-agency", "ncb-fra"], ["ncb-fra"]),
                               (["--to-country", "DEU"], ["ncb-deu"])):
            self.assertEqual(self.sent(agency, key, *args, "--subject", "From the police",
                                       "--body", "ok")["recipients"], expected)
        resp = self.post(agency, key.request(msgutil.content(police, agencies=[german_police])))
        self.assertError(resp, 403, "recipient_not_allowed")
        # The French NCB writes down into its own branch.
        self.assertEqual(self.sent(self.fra, self.fra_key, "--to-agency", police, "--subject",
                                   "To our police", "--body", "ok")["recipients"], [police])

    def test_concurrent_retries_store_one_message(self):
        req = self.fra_key.request(msgutil.content("ncb-fra", countries=["DEU"],
                                                   subject="Sent eight times at once"))
        before = self.stored_counts()
        results = [None] * 8

        def send(i):
            results[i] = self.post(self.fra, req)

        threads = [threading.Thread(target=send, args=(i,)) for i in range(len(results))]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=hub.REQUEST_TIMEOUT_S * 2)
        self.assertTrue(all(r is not None for r in results), results)
        statuses = sorted(r.status for r in results)
        self.assertEqual(statuses, [200] * 7 + [201], [r.describe() for r in results])
        self.assertEqual(len({r.body["message_id"] for r in results}), 1)
        self.assertEqual(sum(1 for r in results if r.body["duplicate"] is False), 1)
        after = self.stored_counts()
        self.assertEqual(after["messages"], before["messages"] + 1)
        self.assertEqual(after["message_recipients"], before["message_recipients"] + 1)

    def test_sender_must_be_the_callers_agency(self):
        before = self.stored_counts()
        c = msgutil.content("ncb-deu", countries=["ESP"])
        resp = self.post(self.fra, self.deu_key.request(c))
        self.assertError(resp, 403, "sender_mismatch")
        self.assertAudited(resp, "sender_mismatch", "POST /v1/messages")
        self.assertNothingStored(before)

    # ---- confidentiality -------------------------------------------------------------------

    def test_only_sender_and_recipients_read_a_message(self):
        mid = self.sent(self.fra, self.fra_key, "--to-country", "DEU", "--subject",
                        "Country to country", "--body", "Not for the GS.")["message_id"]
        for who in (self.gs, self.esp):
            with self.subTest(reader=who.agency):
                resp = self.get(who, f"/v1/messages/{mid}")
                self.assertError(resp, 404, "message_not_found")
                self.assertNotIn("Not for the GS", json.dumps(resp.body))
                self.assertAuditedAs(resp, "message_not_found", "GET /v1/messages/")
                resp = self.get(who, f"/v1/messages/{mid}/receipts")
                self.assertError(resp, 404, "message_not_found")
                self.assertAuditedAs(resp, "message_not_found", "GET /v1/messages/")
                self.assertNotIn(mid, {e["message_id"] for e in self.mailbox(who)})
                out = self.cli.client(who, "msg", "read", mid, "--json")
                self.assertCliRefused(out, "message_not_found")
        # The GS's own inbox, with the token from the environment, does not show it either.
        out = self.cli.run("msg", "inbox", "--json", "--url", self.hub.url, "--ca",
                           self.hub.ca_cert, env={"NCBNET_TOKEN": self.gs.token})
        self.assertEqual(out.returncode, 0, out.stdout + out.stderr)
        self.assertNotIn(mid, {e["message_id"] for e in msgutil.events_of(msgutil.parse_json(out))})
        # Receipts are the sender's: the recipient gets 404 too.
        resp = self.get(self.deu, f"/v1/messages/{mid}/receipts")
        self.assertError(resp, 404, "message_not_found")
        # An unknown id looks the same as a message one may not see.
        resp = self.get(self.fra, "/v1/messages/msg_doesnotexist")
        self.assertError(resp, 404, "message_not_found")
        # No receipt came from those attempts.
        self.assertEqual(self.receipts(self.fra, mid)["ncb-deu"]["state"], "queued")

    # ---- signatures ------------------------------------------------------------------------

    def test_forged_or_missing_signature_is_refused(self):
        def fresh():
            return msgutil.content("ncb-fra", countries=["DEU"], subject="Forged?")

        def random_sig():
            c = fresh()
            return {"content": c, "key_id": self.fra_key.key_id,
                    "signature": secrets.token_hex(64)}

        def missing():
            return {"content": fresh(), "key_id": self.fra_key.key_id}

        def empty():
            return {"content": fresh(), "key_id": self.fra_key.key_id, "signature": ""}

        def short():
            return {"content": fresh(), "key_id": self.fra_key.key_id,
                    "signature": secrets.token_hex(32)}

        def not_hex():
            return {"content": fresh(), "key_id": self.fra_key.key_id, "signature": "zz" * 64}

        def altered_after_signing():
            req = self.fra_key.request(fresh())
            req["content"] = dict(req["content"], body="Altered after signing.")
            return req

        def unknown_key():
            return self.fra_key.request(fresh(), key_id="ed25519:" + "0" * 32)

        def another_agencys_key():
            return self.deu_key.request(fresh())

        def another_key_under_our_id():
            c = fresh()
            return {"content": c, "key_id": self.fra_key.key_id,
                    "signature": self.deu_key.sign_content(c)}

        for make in (random_sig, missing, empty, short, not_hex, altered_after_signing,
                     unknown_key, another_agencys_key, another_key_under_our_id):
            with self.subTest(make.__name__):
                before = self.stored_counts()
                resp = self.post(self.fra, make())
                self.assertError(resp, 401, "invalid_signature")
                self.assertAudited(resp, "invalid_signature", "POST /v1/messages")
                self.assertNothingStored(before)

        # The same content correctly signed is accepted: the refusals were the signature's.
        resp = self.post(self.fra, self.fra_key.request(fresh()))
        self.assertEqual(resp.status, 201, resp.describe())
        self.assertAudited(resp, "ok", "POST /v1/messages")

    def test_revoked_key_signs_no_new_message_but_old_ones_verify(self):
        key = self.cli.generate_key(os.path.join(self.hub.dir, "fra-second.key"))
        out = self.cli.client(self.fra, "key", "register", "--agency", "ncb-fra",
                              "--key", key.path)
        self.assertEqual(out.returncode, 0, out.stdout + out.stderr)
        mid = self.sent(self.fra, key, "--to-country", "DEU", "--subject", "Before revocation",
                        "--body", "signed with the second key")["message_id"]
        saved = self.cli.client(self.deu, "msg", "read", mid, "--json")
        self.assertEqual(saved.returncode, 0, saved.stdout + saved.stderr)

        resp = self.hub.request("DELETE", f"/v1/keys/{key.key_id}", cert=self.fra.cert)
        self.assertEqual(resp.status, 200, resp.describe())
        self.assertEqual(resp.body["key_id"], key.key_id)
        revoked_at = resp.body["revoked_at"]
        self.assertIsNotNone(revoked_at)
        self.assertAuditedAs(resp, "ok", "DELETE /v1/keys/")

        mark = self.audit_mark()
        out = self.send_cli(self.fra, key, "--to-country", "DEU", "--subject", "After",
                            "--body", "refused")
        self.assertCliRefused(out, "invalid_signature")
        self.assertAuditedSince(mark, "POST /v1/messages", "invalid_signature", "ncb-fra")
        before = self.stored_counts()
        resp = self.post(self.fra, key.request(msgutil.content("ncb-fra", countries=["DEU"])))
        self.assertError(resp, 401, "invalid_signature")
        self.assertAudited(resp, "invalid_signature", "POST /v1/messages")
        self.assertNothingStored(before)

        keys = {k["key_id"]: k for k in self.get(self.deu, "/v1/keys").body["keys"]}
        self.assertEqual(keys[key.key_id]["revoked_at"], revoked_at)
        self.assertIsNone(keys[self.fra_key.key_id]["revoked_at"])

        # The message signed before the revocation still verifies, and says so.
        directory = self.cli.client(self.deu, "key", "list", "--json")
        self.assertEqual(directory.returncode, 0, directory.stdout + directory.stderr)
        msg_file = self.write(f"revoked-{mid}.json", saved.stdout)
        dir_file = self.write("keys-after-revocation.json", directory.stdout)
        out = self.cli.run("msg", "verify", "--message", msg_file, "--directory", dir_file,
                           "--json")
        self.assertEqual(out.returncode, 0, out.stdout + out.stderr)
        result = msgutil.parse_json(out)
        self.assertIs(result["valid"], True)
        self.assertEqual(result["key_id"], key.key_id)
        self.assertEqual(result["agency_id"], "ncb-fra")
        self.assertIsNotNone(result["key_revoked_at"])

    # ---- bad input -------------------------------------------------------------------------

    def test_oversized_body_is_refused(self):
        for name, body in (("ascii", "a" * (msgutil.MAX_BODY + 1)),
                           ("two-byte characters", "é" * (msgutil.MAX_BODY // 2 + 1))):
            with self.subTest(name):
                before = self.stored_counts()
                req = self.fra_key.request(msgutil.content("ncb-fra", countries=["DEU"],
                                                           body=body))
                resp = self.hub.request("POST", "/v1/messages", cert=self.fra.cert,
                                        raw_body=json.dumps(req, ensure_ascii=False).encode())
                self.assertError(resp, 413, "body_too_large")
                self.assertAudited(resp, "body_too_large", "POST /v1/messages")
                self.assertNothingStored(before)

        # Exactly 1 MiB is accepted (the server's own body limit leaves room for it).
        req = self.fra_key.request(msgutil.content("ncb-fra", countries=["DEU"],
                                                   body="é" * (msgutil.MAX_BODY // 2)))
        resp = self.hub.request("POST", "/v1/messages", cert=self.fra.cert,
                                raw_body=json.dumps(req, ensure_ascii=False).encode())
        self.assertEqual(resp.status, 201, resp.describe())
        self.assertEqual(len(self.read(self.fra, resp.body["message_id"])["content"]["body"]),
                         msgutil.MAX_BODY // 2)

        # Through the CLI, from a file.
        path = self.write("big-body.txt", "b" * (msgutil.MAX_BODY + 1))
        mark = self.audit_mark()
        out = self.send_cli(self.fra, self.fra_key, "--to-country", "DEU", "--subject", "Big",
                            "--body-file", path)
        self.assertCliRefused(out, "body_too_large")
        # The CLI may refuse before sending; if it sent, the hub audited the refusal.
        if any(r["seq"] > mark and r["action"] == "POST /v1/messages"
               for r in self.hub.audit_rows()):
            self.assertAuditedSince(mark, "POST /v1/messages", "body_too_large", "ncb-fra")
        path = self.write("max-body.txt", "c" * msgutil.MAX_BODY)
        self.sent(self.fra, self.fra_key, "--to-country", "DEU", "--subject", "Max",
                  "--body-file", path)

    def test_invalid_fields_are_refused(self):
        cases = {
            "classification": {"classification": "secret"},
            "classification ": {"classification": "INTERPOL RESTRICTED"},
            "priority": {"priority": "asap"},
            "subject": {"subject": ""},
            "subject  ": {"subject": "tab\tin subject"},
            "subject ": {"subject": "x" * 999},
            "idempotency_key": {"idempotency_key": "short"},
            "idempotency_key ": {"idempotency_key": "has space 1234"},
            "language": {"language": "e"},
            "handling": {"handling": "h" * 1001},
            "links": {"links": [f"rec_{i}" for i in range(101)]},
        }
        for name, fields in cases.items():
            with self.subTest(name):
                before = self.stored_counts()
                c = msgutil.content("ncb-fra", countries=["DEU"], **fields)
                resp = self.post(self.fra, self.fra_key.request(c))
                self.assertError(resp, 400, "invalid_message")
                self.assertIn(name.strip(), resp.body["error"]["message"])
                self.assertAudited(resp, "invalid_message", "POST /v1/messages")
                self.assertNothingStored(before)

        # A required field missing.
        c = msgutil.content("ncb-fra", countries=["DEU"])
        req = self.fra_key.request(c)
        del req["content"]["classification"]
        resp = self.post(self.fra, req)
        self.assertError(resp, 400, "invalid_message")
        self.assertIn("classification", resp.body["error"]["message"])

        out = self.send_cli(self.fra, self.fra_key, "--to-country", "DEU", "--subject", "x",
                            "--body", "x", "--classification", "secret")
        self.assertNotEqual(out.returncode, 0, out.stdout + out.stderr)
        self.assertIn("classification", out.stdout + out.stderr)

    def test_cursor_from_the_future_is_refused(self):
        resp = self.get(self.deu, f"/v1/mailbox?after={FUTURE_CURSOR}")
        self.assertError(resp, 400, "cursor_from_future")
        self.assertAuditedAs(resp, "cursor_from_future", "GET /v1/mailbox")

        mark = self.audit_mark()
        out = self.cli.client(self.deu, "msg", "inbox", "--after", str(FUTURE_CURSOR))
        self.assertCliRefused(out, "cursor_from_future")
        self.assertAuditedSince(mark, "GET /v1/mailbox", "cursor_from_future", "ncb-deu")

        # The cursor the hub hands out is never from the future, even with nothing new.
        resp = self.get(self.deu, "/v1/mailbox")
        self.assertEqual(resp.status, 200, resp.describe())
        resp = self.get(self.deu, f"/v1/mailbox?after={resp.body['next_cursor']}")
        self.assertEqual(resp.status, 200, resp.describe())
        self.assertEqual(resp.body["events"], [])

    # ---- offline verification --------------------------------------------------------------

    def write(self, name: str, text: str) -> str:
        path = os.path.join(self.hub.dir, name)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        return path

    def verify(self, message_path: str, directory_path: str, *extra: str):
        return self.cli.run("msg", "verify", "--message", message_path,
                            "--directory", directory_path, *extra)

    def test_offline_verification(self):
        mid = self.sent(self.fra, self.fra_key, "--to-country", "DEU", "--subject",
                        "Verify me offline", stdin="Signed in Lyon.\n")["message_id"]
        read = self.cli.client(self.deu, "msg", "read", mid, "--json")
        self.assertEqual(read.returncode, 0, read.stdout + read.stderr)
        self.assertEqual(json.loads(read.stdout)["content"]["body"], "Signed in Lyon.\n")
        keys = self.cli.client(self.deu, "key", "list", "--json")
        self.assertEqual(keys.returncode, 0, keys.stdout + keys.stderr)
        msg_file = self.write(f"{mid}.json", read.stdout)
        dir_file = self.write("keys.json", keys.stdout)

        out = self.verify(msg_file, dir_file)
        self.assertEqual(out.returncode, 0, out.stdout + out.stderr)
        self.assertIn(f"signature valid: signed by ncb-fra with {self.fra_key.key_id}",
                      out.stdout)
        out = self.verify(msg_file, dir_file, "--json")
        self.assertEqual(out.returncode, 0, out.stdout + out.stderr)
        self.assertEqual(msgutil.parse_json(out),
                         {"valid": True, "agency_id": "ncb-fra", "key_id": self.fra_key.key_id,
                          "key_revoked_at": None})

        # One byte of the subject changed in the saved text.
        self.assertEqual(read.stdout.count("Verify me offline"), 1)
        altered = read.stdout.replace("Verify me offline", "Verify me offlinE")
        out = self.verify(self.write("altered-subject.json", altered), dir_file)
        self.assertEqual(out.returncode, 1, out.stdout + out.stderr)
        self.assertIn("signature INVALID", out.stdout + out.stderr)
        out = self.verify(self.write("altered-subject.json", altered), dir_file, "--json")
        self.assertEqual(out.returncode, 1, out.stdout + out.stderr)
        self.assertIs(msgutil.parse_json(out)["valid"], False)

        # Other alterations of the signed message.
        original = json.loads(read.stdout)
        alterations = {
            "body": lambda m: m["content"].update(body="Signed in Paris.\n"),
            "created_ms": lambda m: m["content"].update(created_ms=m["content"]["created_ms"] + 1),
            "to": lambda m: m["content"]["to"].update(countries=["DEU", "ESP"]),
            "links": lambda m: m["content"].update(links=["rec_1"]),
            "signature": lambda m: m.update(signature=m["signature"][:-1] + (
                "0" if m["signature"][-1] != "0" else "1")),
            "key_id": lambda m: m.update(key_id=self.deu_key.key_id),
        }
        for name, alter in alterations.items():
            with self.subTest(name):
                m = json.loads(json.dumps(original))
                alter(m)
                out = self.verify(self.write(f"altered-{name}.json", json.dumps(m)), dir_file)
                self.assertEqual(out.returncode, 1, out.stdout + out.stderr)

        # A directory without the signer's key cannot vouch for the message.
        others = json.loads(keys.stdout)
        listed = others["keys"] if isinstance(others, dict) else others
        listed = [k for k in listed if k["key_id"] != self.fra_key.key_id]
        out = self.verify(msg_file, self.write("keys-without-fra.json",
                                               json.dumps({"keys": listed})))
        self.assertNotEqual(out.returncode, 0, out.stdout + out.stderr)


class SenderUserTest(MessagingTestCase):
    """A message signed with the agency's key may name the officer who sent it (format v3): the
    hub takes it only from that officer's own session, and a recipient verifies it offline."""

    @classmethod
    def set_up_network(cls):
        super().set_up_network()
        h = cls.hub
        h.create_user(h.admin_token(), "ncb-fra", "it.fra.officer")
        h.create_user(h.admin_token(), "ncb-fra", "it.fra.other")
        cls.officer = Principal("ncb-fra", token=h.login("it.fra.officer", hub.USER_PASSWORD))

    def test_the_officer_named_is_the_one_signed_in(self):
        c = msgutil.content("ncb-fra", countries=["DEU"], sender_user="it.fra.officer")
        resp = self.post(self.officer, self.fra_key.request(c))
        self.assertEqual(resp.status, 201, resp.describe())
        mid = resp.body["message_id"]
        message = self.read(self.deu, mid)
        self.assertEqual(message["content"]["sender_user"], "it.fra.officer")
        self.assertTrue(msgutil.canonical(message["content"]).startswith(b"ncbnet-message-v3\n"))

        saved = self.cli.client(self.deu, "msg", "read", mid, "--json")
        self.assertEqual(saved.returncode, 0, saved.stdout + saved.stderr)
        directory = self.cli.client(self.deu, "key", "list", "--json")
        paths = {}
        for name, text in (("message", saved.stdout), ("directory", directory.stdout)):
            paths[name] = os.path.join(self.hub.dir, f"v3-{name}-{mid}.json")
            with open(paths[name], "w", encoding="utf-8") as f:
                f.write(text)
        out = self.cli.run("msg", "verify", "--message", paths["message"], "--directory",
                           paths["directory"], "--json")
        self.assertEqual(out.returncode, 0, out.stdout + out.stderr)
        self.assertIs(msgutil.parse_json(out)["valid"], True)

    def test_another_officer_or_a_system_cannot_name_one(self):
        before = self.stored_counts()
        for who, named in ((self.officer, "it.fra.other"), (self.fra, "it.fra.officer")):
            with self.subTest(named=named, session=bool(who.token)):
                c = msgutil.content("ncb-fra", countries=["DEU"], sender_user=named)
                resp = self.post(who, self.fra_key.request(c))
                self.assertError(resp, 403, "sender_user_mismatch")
                self.assertAudited(resp, "sender_user_mismatch", "POST /v1/messages")
        self.assertNothingStored(before)


@unittest.skipIf(hub.store_backend() != "sqlite", "reads and edits the SQLite file itself")
class AtRestTest(MessagingTestCase):
    """Bodies and subjects are encrypted in the store; a message altered there is refused
    with 500 internal, never served."""

    def test_encrypted_at_rest_and_tampering_detected(self):
        marker = secrets.token_hex(8)
        subject = f"AT-REST-SUBJECT-{marker}"
        body = f"AT-REST-BODY-{marker} the plaintext that must never be on disk.\n"
        mid = self.sent(self.fra, self.fra_key, "--to-country", "DEU", "--subject", subject,
                        "--body", body, "--idempotency-key", f"at-rest-{marker}")["message_id"]
        second = self.sent(self.fra, self.fra_key, "--to-country", "DEU", "--subject",
                           f"Second {marker}", "--body", f"Second body {marker}",
                           "--classification", "interpol_confidential")["message_id"]
        self.assertEqual(self.read(self.deu, mid)["content"]["body"], body)
        self.hub.stop()

        key_path = os.path.join(self.hub.data_dir, "data.key")
        self.assertEqual(stat.S_IMODE(os.stat(key_path).st_mode), 0o600)

        needles = {}
        for label, text in (("subject", subject), ("body", body.strip())):
            raw = text.encode("utf-8")
            needles[f"{label} plaintext"] = raw
            needles[f"{label} hex"] = raw.hex().encode("ascii")
            needles[f"{label} base64"] = base64.b64encode(raw)[:24]
        db_path = os.path.join(self.hub.data_dir, "ncbnet.db")
        conn = sqlite3.connect(db_path, timeout=10)
        try:
            conn.row_factory = sqlite3.Row
            row = conn.execute("SELECT * FROM messages WHERE id = ?", (mid,)).fetchone()
            self.assertIsNotNone(row, f"message {mid} not in the messages table")
            for column in row.keys():
                value = row[column]
                data = value if isinstance(value, bytes) else str(value).encode("utf-8")
                for label, needle in needles.items():
                    self.assertNotIn(needle, data, f"{label} in messages.{column}")
        finally:
            conn.close()
        # Nowhere else in the data directory either (other tables, the WAL, indexes).
        for root, _, files in os.walk(self.hub.data_dir):
            for name in files:
                with open(os.path.join(root, name), "rb") as f:
                    data = f.read()
                for label in ("subject plaintext", "body plaintext"):
                    self.assertNotIn(needles[label], data, f"{label} in {name}")

        # One byte of the sealed subject flipped; one clear field of the signed content changed.
        conn = sqlite3.connect(db_path, timeout=10)
        try:
            sealed = bytearray(conn.execute("SELECT subject_enc FROM messages WHERE id = ?",
                                            (mid,)).fetchone()[0])
            sealed[len(sealed) // 2] ^= 0x01
            conn.execute("UPDATE messages SET subject_enc = ? WHERE id = ?",
                         (bytes(sealed), mid))
            # A downgrade of the clear classification column, which the signed hash covers.
            current = conn.execute("SELECT classification FROM messages WHERE id = ?",
                                   (second,)).fetchone()[0]
            self.assertEqual(current, "interpol_confidential")
            conn.execute("UPDATE messages SET classification = 'unclassified' WHERE id = ?",
                         (second,))
            conn.commit()
        finally:
            conn.close()

        self.hub.start()
        for message_id in (mid, second):
            for who in (self.deu, self.fra):
                with self.subTest(message=message_id, reader=who.agency):
                    resp = self.get(who, f"/v1/messages/{message_id}")
                    self.assertError(resp, 500, "internal")
                    text = json.dumps(resp.body)
                    self.assertNotIn(marker, text)
                    self.assertAuditedAs(resp, "internal", "GET /v1/messages/")


if __name__ == "__main__":
    unittest.main()
