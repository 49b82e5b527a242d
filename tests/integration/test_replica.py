"""The offline replica (issue 5, item 4) against the real server over TLS, driven through the
real `ncbnet replica ...` with a terminal's client certificate: a replica that syncs (a
snapshot, then deltas) and sees a new record after a delta; that never holds a record withheld
from frontline terminals, nor one restricted away from its country; that refuses a missed
delta, a tampered one, a replayed or older one, one of another network or replica, and keeps
its last good copy; that warns when stale (judged at a given time, not by sleeping); and whose
offline hits reach the owner at the next sync, once only, however often the upload is retried.
"""

import http.client
import json
import os
import shutil
import stat
import struct
import tempfile
import time

import hub
import msgutil
from msgutil import Principal, cert_principal


def passport(number: str, country: str = "DEU") -> dict:
    return {"number": number, "issuing_country": country, "document_type": "passport",
            "status": "stolen"}


class ReplicaTest(hub.HubTestCase):

    @classmethod
    def set_up_network(cls):
        h = cls.hub
        admin = h.admin_token()
        cls.cli = msgutil.Cli(h)
        cls.deu = cert_principal(cls.hub, "ncb-deu")
        cls.fra = cert_principal(cls.hub, "ncb-fra")
        terminal = h.create_agency(admin, "ncb-fra", "terminal", "CDG passport control T2E")
        h.grant(admin, terminal["id"], "record.check:SLTD")
        cls.terminal = cert_principal(cls.hub, terminal["id"])
        # The same terminal with a user's session: a replica needs a device certificate.
        user = h.create_user(admin, terminal["id"])
        cls.terminal_user = Principal(terminal["id"],
                                      token=h.login(user["name"], hub.USER_PASSWORD))
        idle = h.create_agency(admin, "ncb-fra", "terminal", "Gate without grants")
        cls.idle = cert_principal(cls.hub, idle["id"])

    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="replica-", dir=self.hub.dir)

    # ---- helpers ---------------------------------------------------------------------------

    def replica(self, *args: str, dir_: str = "", who: Principal = None):
        """`ncbnet replica ARGS --dir D`, with the terminal's certificate for `sync`."""
        extra = ["--dir", dir_ or self.dir]
        if args[0] == "sync":
            extra += ["--url", self.hub.url, "--ca", self.hub.ca_cert,
                      *(who or self.terminal).cli_args()]
        return self.cli.run("replica", *args, *extra)

    def ok(self, out) -> str:
        self.assertEqual(out.returncode, 0, out.stdout + out.stderr)
        return out.stdout

    def refused(self, out, code: str) -> None:
        self.assertEqual(out.returncode, 1, out.stdout + out.stderr)
        self.assertIn(f"ncbnet: {code}:", out.stderr)

    def sync(self, dir_: str = "") -> dict:
        return json.loads(self.ok(self.replica("sync", "--json", dir_=dir_)))

    def check(self, number: str, country: str = "DEU", *extra: str, dir_: str = "") -> dict:
        out = self.replica("check", "document", "--number", number, "--country", country,
                           "--json", *extra, dir_=dir_)
        return json.loads(self.ok(out))

    def create(self, number: str, owner: Principal = None, **extra) -> dict:
        resp = self.hub.request("POST", "/v1/records/SLTD",
                                {"fields": passport(number, (owner or self.deu).agency[-3:]
                                                    .upper()),
                                 "action": "Seize the passport; call NCB Wiesbaden", **extra},
                                **(owner or self.deu).request_args())
        self.assertEqual(resp.status, 201, resp.describe())
        return resp.body

    def enrolment(self, dir_: str = "") -> dict:
        with open(os.path.join(dir_ or self.dir, "replica.json"), encoding="utf-8") as f:
            return json.load(f)

    def fetch(self, path: str, dir_: str = "") -> bytes:
        """A package straight from the hub, as bytes, as a terminal would carry it by hand."""
        rid = self.enrolment(dir_)["replica_id"]
        conn = http.client.HTTPSConnection("127.0.0.1", self.hub.port,
                                           context=self.hub.tls_context(self.terminal.cert),
                                           timeout=hub.REQUEST_TIMEOUT_S)
        try:
            conn.request("GET", f"/v1/replicas/{rid}/{path}")
            resp = conn.getresponse()
            body = resp.read()
        finally:
            conn.close()
        self.assertEqual(resp.status, 200, body[:200])
        self.assertEqual(resp.getheader("Content-Type"), "application/octet-stream")
        return body

    def write(self, name: str, data: bytes) -> str:
        path = os.path.join(self.hub.dir, name)
        with open(path, "wb") as f:
            f.write(data)
        return path

    def hits_on(self, record_id: str) -> list:
        columns = ("id", "checker_agency", "checked_ms", "terminal", "context", "notification_id")
        return [tuple(r[c] for c in columns) for r in self.hub.db_rows(
            f"SELECT {', '.join(columns)} FROM hits WHERE record_id = ?", (record_id,))]

    @staticmethod
    def to_seq(package: bytes) -> int:
        return struct.unpack_from("<q", package, 24)[0]

    # ---- tests -----------------------------------------------------------------------------

    def test_syncs_checks_offline_and_sees_a_new_record_after_a_delta(self):
        old = self.create(self.hub.unique("R1A"))
        status = self.sync()
        self.assertEqual(status["databases"].keys(), {"SLTD"})
        self.assertFalse(status["stale"])
        key = os.path.join(self.dir, "hash.key")
        self.assertEqual(stat.S_IMODE(os.stat(key).st_mode), 0o600)
        number = old["fields"]["number"]
        answer = self.check(number.lower()[:3] + " " + number[3:], "deu")  # normalised as the hub
        self.assertTrue(answer["match"], answer)
        self.assertEqual(answer["matches"][0]["record_id"], old["id"])
        self.assertEqual(answer["matches"][0]["action"], "Seize the passport; call NCB Wiesbaden")
        self.assertEqual(answer["matches"][0]["status"], "stolen")
        self.assertFalse(self.check("NOSUCH123")["match"])
        # The local file lists no document number.
        with open(os.path.join(self.dir, "replica.bin"), "rb") as f:
            self.assertNotIn(number.encode(), f.read())

        new = self.create(self.hub.unique("R1B"))
        self.assertFalse(self.check(new["fields"]["number"])["match"])  # not synced yet
        after = self.sync()
        self.assertGreater(after["seq"], status["seq"])
        self.assertTrue(self.check(new["fields"]["number"])["match"])
        text = self.ok(self.replica("check", "SLTD", "number=" + new["fields"]["number"],
                                    "issuing_country=DEU"))
        self.assertIn("MATCH  SLTD  " + new["id"], text)
        self.assertIn("offline replica as of", text)

    def test_never_holds_frontline_off_or_restricted_records(self):
        shown = self.create(self.hub.unique("R2A"))
        off = self.create(self.hub.unique("R2B"),
                          restrictions={"visibility": "all", "frontline": False})
        own_off = self.create(self.hub.unique("R2C"), owner=self.fra,
                              restrictions={"visibility": "all", "frontline": False})
        for_ita = self.create(self.hub.unique("R2D"),
                              restrictions={"visibility": "only", "countries": ["ITA"]})
        cancelled = self.create(self.hub.unique("R2E"))
        resp = self.hub.request("POST", f"/v1/records/SLTD/{cancelled['id']}/cancel",
                                {"version": 1, "reason": "found"}, **self.deu.request_args())
        self.assertEqual(resp.status, 200, resp.describe())
        self.sync()
        snapshot = self.fetch("snapshot")
        self.assertIn(shown["id"].encode(), snapshot)
        for rec in (off, own_off, for_ita, cancelled):
            with self.subTest(rec["id"]):
                self.assertNotIn(rec["id"].encode(), snapshot)
                country = rec["fields"]["issuing_country"]
                self.assertFalse(self.check(rec["fields"]["number"], country)["match"])
        # A record withdrawn from frontline after the snapshot leaves with the next delta.
        resp = self.hub.request("PUT", f"/v1/records/SLTD/{shown['id']}",
                                {"version": 1, "fields": shown["fields"],
                                 "restrictions": {"frontline": False}},
                                **self.deu.request_args())
        self.assertEqual(resp.status, 200, resp.describe())
        self.assertTrue(self.check(shown["fields"]["number"])["match"])
        self.sync()
        self.assertFalse(self.check(shown["fields"]["number"])["match"])

    def test_refuses_missed_tampered_replayed_and_foreign_packages(self):
        self.sync()
        before = json.loads(self.ok(self.replica("status", "--json")))
        old_snapshot = self.fetch("snapshot")
        first = self.create(self.hub.unique("R3A"))
        d1 = self.fetch(f"delta?from={before['seq']}")
        second = self.create(self.hub.unique("R3B"))
        d2 = self.fetch(f"delta?from={self.to_seq(d1)}")
        n1, n2 = first["fields"]["number"], second["fields"]["number"]

        self.refused(self.replica("apply", self.write("d2", d2)), "replica_gap")
        tampered = bytearray(d1)
        tampered[-80] ^= 0x01
        self.refused(self.replica("apply", self.write("d1-bad", bytes(tampered))),
                     "replica_bad_signature")
        foreign = bytearray(d1)
        foreign[49] ^= 0x01  # a character of the network id
        self.refused(self.replica("apply", self.write("d1-net", bytes(foreign))),
                     "replica_wrong_network")
        other_dir = tempfile.mkdtemp(prefix="replica-other-", dir=self.hub.dir)
        self.sync(other_dir)
        other = self.fetch("snapshot", other_dir)
        self.refused(self.replica("apply", self.write("other", other)),
                     "replica_wrong_replica")
        # After every refusal the replica is as it was.
        kept = json.loads(self.ok(self.replica("status", "--json")))
        self.assertEqual(kept["seq"], before["seq"])
        self.assertFalse(self.check(n1)["match"])

        self.ok(self.replica("apply", self.write("d1", d1)))
        self.assertTrue(self.check(n1)["match"])
        self.refused(self.replica("apply", self.write("d1", d1)), "replica_replay")
        self.ok(self.replica("apply", self.write("d2", d2)))
        self.assertTrue(self.check(n2)["match"])
        self.refused(self.replica("apply", self.write("old", old_snapshot)), "replica_replay")
        self.assertTrue(self.check(n2)["match"])

    def test_warns_when_older_than_its_limit(self):
        self.sync()
        at = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() + 25 * 3600))
        out = self.replica("status", "--json", "--at", at)
        status = json.loads(self.ok(out))
        self.assertTrue(status["stale"])
        self.assertGreaterEqual(status["age_seconds"], 25 * 3600 - 60)
        self.assertIn("warning: replica_stale", out.stderr)
        out = self.replica("status", "--json", "--at", at, "--max-age", "48")
        self.assertFalse(json.loads(self.ok(out))["stale"])
        self.assertNotIn("warning", out.stderr)
        out = self.replica("check", "document", "--number", "X1", "--country", "DEU", "--at", at)
        self.ok(out)
        self.assertIn("warning: replica_stale", out.stderr)
        fresh = self.replica("status", "--json")
        self.assertFalse(json.loads(self.ok(fresh))["stale"])

    def test_offline_hits_reach_the_owner_once(self):
        rec = self.create(self.hub.unique("R5A"))
        self.sync()
        before_ms = int(time.time() * 1000)
        answer = self.check(rec["fields"]["number"], "DEU", "--location", "CDG T2E desk 4")
        self.assertTrue(answer["match"])
        self.assertFalse(self.check("MISS" + self.hub.unique("X"))["match"])
        self.assertEqual(self.hits_on(rec["id"]), [])  # offline: nothing told yet
        with open(os.path.join(self.dir, "checks.jsonl"), encoding="utf-8") as f:
            log = [json.loads(line) for line in f]
        self.assertEqual([c["match"] for c in log], [True, False])
        self.assertNotIn("MISS", json.dumps(log))  # a miss is logged without its identifier
        pending = os.path.join(self.dir, "pending-hits.jsonl")
        saved = shutil.copy(pending, pending + ".saved")
        shutil.copy(os.path.join(self.dir, "checks.jsonl"), pending + ".checks")

        status = self.sync()
        self.assertEqual(status["uploaded"]["hits_uploaded"], 1)
        self.assertEqual(status["pending_hits"], 0)
        hits = self.hits_on(rec["id"])
        self.assertEqual(len(hits), 1)
        _, checker, checked_ms, terminal, context, notification = hits[0]
        self.assertEqual(checker, self.terminal.agency)
        self.assertEqual(terminal, 1)
        self.assertGreaterEqual(checked_ms, before_ms - 1000)
        self.assertEqual(json.loads(context)["location"], "CDG T2E desk 4")
        self.assertIn("offline", json.loads(context)["reason"])
        self.assertTrue(notification)  # the owner NCB was told
        owner_view = self.hub.request("GET", "/v1/hits?side=owner", **self.deu.request_args())
        self.assertIn(hits[0][0], [h["id"] for h in owner_view.body["hits"]])

        # A retry (the answer was lost) records nothing twice.
        shutil.copy(saved, pending)
        shutil.copy(pending + ".checks", os.path.join(self.dir, "checks.jsonl"))
        again = self.sync()
        self.assertEqual(again["uploaded"]["hits_duplicate"], 1)
        self.assertEqual(len(self.hits_on(rec["id"])), 1)
        rows = self.hub.db_rows("SELECT object FROM audit_log WHERE action = 'OFFLINE CHECK SLTD'"
                                " AND object LIKE ?", (self.enrolment()["replica_id"] + "%",))
        self.assertEqual(len(rows), 2)
        self.assertEqual(sum("match " + rec["id"] in r["object"] for r in rows), 1)

    def test_who_may_hold_a_replica_and_bad_requests(self):
        resp = self.hub.request("POST", "/v1/replicas", token=self.terminal_user.token)
        self.assertError(resp, 403, "replica_needs_certificate")
        self.assertAudited(resp, "replica_needs_certificate")
        self.assertError(self.hub.request("POST", "/v1/replicas", cert=self.idle.cert), 403,
                         "missing_capability")
        self.sync()
        rid = self.enrolment()["replica_id"]
        base = f"/v1/replicas/{rid}"
        for path, code in ((base + "/delta", "invalid_request"),
                           (base + "/delta?from=abc", "invalid_request"),
                           (base + "/delta?from=999999999", "replica_ahead")):
            with self.subTest(path):
                resp = self.hub.request("GET", path, cert=self.terminal.cert)
                self.assertError(resp, 400 if code == "invalid_request" else 409, code)
        # Another agency's replica looks like no replica at all.
        for who in (self.idle, self.fra):
            self.assertError(self.hub.request("GET", base + "/snapshot", cert=who.cert), 403
                             if who is self.idle else 404,
                             "missing_capability" if who is self.idle else "replica_not_found")
        resp = self.hub.request("POST", base + "/uploads",
                                {"hits": [{"id": "zz", "time": "2020-01-01T00:00:00Z"}]},
                                cert=self.terminal.cert)
        self.assertEqual(resp.status, 200, resp.describe())
        self.assertEqual(resp.body["hits"][0]["error"]["code"], "invalid_request")
        # The terminal's NCB revokes the replica: the next sync is refused.
        resp = self.hub.request("DELETE", base, cert=self.fra.cert)
        self.assertEqual(resp.status, 200, resp.describe())
        self.refused(self.replica("sync"), "replica_revoked")
