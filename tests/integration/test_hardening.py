"""Hardening (the security tester's findings): one request never stops the hub.

A JSON body nested tens of thousands of levels deep, well under the 2 MiB body limit, used to
overflow the stack of the handler that walked it and take the whole process down. Every route
that takes a body must refuse it with 400 `json_too_deep`, audited, and the hub keeps serving;
a body nested to the limit is still parsed and judged on its content.
"""

import http.client
import json
import os
import shutil
import subprocess
import unittest

import hub
from msgutil import Principal, cert_principal
from test_notices import PNG, red_fields

BOMB_LEVELS = 76_000  # the tester's body: about 465 KB
LIMIT = 64  # core/json.h kMaxJsonDepth


def nested(levels: int) -> str:
    return "[" * levels + "]" * levels


# Every route the tester named, with the field the bomb was placed in.
BOMB_ROUTES = (
    ("POST", "/v1/checks/SLTD", '{"identifiers": {"number": "X1"}, "context": %s}'),
    ("POST", "/v1/border-checks", '{"mrz": "P<", "context": %s}'),
    ("POST", "/v1/border-checks", '{"document": %s}'),
    ("POST", "/v1/border-checks", '{"travellers": [%s]}'),
    ("POST", "/v1/search/NOMINAL", '{"name": "Volkov", "context": %s}'),
    ("POST", "/v1/screening", '{"travellers": [{"name": "Volkov", "x": %s}]}'),
    ("POST", "/v1/records/SLTD", '{"fields": %s}'),
    ("POST", "/v1/records/SLTD/batch", '{"records": [{"fields": %s}]}'),
    ("PUT", "/v1/records/SLTD/rec_0000000000000000", '{"fields": %s}'),
    ("POST", "/v1/notices", '{"kind": "red", "fields": %s}'),
    ("POST", "/v1/messages", '{"content": %s}'),
    ("POST", "/v1/grants", '{"agency_id": %s}'),
)


class DepthBombTest(hub.HubTestCase):

    @classmethod
    def set_up_network(cls):
        h = cls.hub
        cls.fra = cert_principal(h, "ncb-fra")
        gate = h.create_agency(h.admin_token(), "ncb-fra", "terminal", "CDG T2E gate 4")
        h.grant(h.admin_token(), gate["id"], "record.check:SLTD")
        cls.gate = cert_principal(h, gate["id"])

    def send(self, who: Principal, method: str, path: str, body: str) -> hub.Response:
        return self.hub.request(method, path, raw_body=body.encode(), **who.request_args())

    def assertServing(self) -> None:
        resp = self.hub.request("GET", "/healthz")
        self.assertEqual(resp.status, 200, f"the hub stopped:\n{self.hub.log_tail(20)}")

    def test_a_depth_bomb_on_every_body_route_is_refused_and_the_hub_keeps_serving(self):
        for who in (self.gate, self.fra):
            for method, path, template in BOMB_ROUTES:
                with self.subTest(who=who.agency, route=path, body=template):
                    body = template % nested(BOMB_LEVELS)
                    self.assertLess(len(body), 2 * 1024 * 1024)
                    resp = self.send(who, method, path, body)
                    if resp.status == 403:  # the terminal may not reach every route
                        self.assertEqual(who, self.gate)
                        self.assertServing()
                        continue
                    self.assertError(resp, 400, "json_too_deep")
                    self.assertAudited(resp, "json_too_deep")
                    self.assertServing()

    def test_a_bomb_of_objects_and_a_bomb_inside_strings(self):
        objects = '{"a":' * 50_000 + "1" + "}" * 50_000
        resp = self.send(self.fra, "POST", "/v1/checks/SLTD", objects)
        self.assertError(resp, 400, "json_too_deep")
        # Brackets inside a string are text, not nesting: judged on content, not depth.
        text = json.dumps({"identifiers": {"number": "[" * 10_000}})
        resp = self.send(self.fra, "POST", "/v1/checks/SLTD", text)
        self.assertNotEqual(resp.error_code, "json_too_deep", resp.describe())
        self.assertServing()

    def test_nesting_at_the_limit_is_parsed_and_judged_on_its_content(self):
        at_limit = '{"identifiers": {"number": "X1"}, "context": %s}' % nested(LIMIT - 1)
        resp = self.send(self.fra, "POST", "/v1/checks/SLTD", at_limit)
        self.assertNotEqual(resp.error_code, "json_too_deep", resp.describe())
        over = '{"identifiers": {"number": "X1"}, "context": %s}' % nested(LIMIT)
        self.assertError(self.send(self.fra, "POST", "/v1/checks/SLTD", over), 400,
                         "json_too_deep")


def published(h: hub.Hub, requester: Principal, gs: Principal, fields: dict) -> dict:
    """A Red Notice drafted by `requester`, submitted and approved by the GS."""
    resp = h.request("POST", "/v1/notices", {"kind": "red", "fields": fields},
                     **requester.request_args())
    assert resp.status == 201, resp.describe()
    nid = resp.body["id"]
    for who, step, body in ((requester, "submit", {}), (gs, "review", {"decision": "approve"})):
        resp = h.request("POST", f"/v1/notices/{nid}/{step}", body, **who.request_args())
        assert resp.status == 200, resp.describe()
    return resp.body


class StoreEdits:
    """Edits of the hub's store (the SQLite file, or the PostgreSQL database), as someone with
    access to the store (not the keys)."""

    def __init__(self, h: hub.Hub):
        self.hub = h

    def run(self, sql: str, params=()) -> None:
        self.hub.db_exec(sql, params)

    def value(self, sql: str, params=()):
        """The value of a one-column query's only row."""
        (row,) = self.hub.db_rows(sql, params)
        (value,) = row.values()
        return value

    def flip_byte(self, table: str, column: str, where: str, params: tuple) -> None:
        """Flips one byte in the middle of a sealed value (in the one row `where` selects)."""
        data = bytearray(hub.as_bytes(self.value(f"SELECT {column} FROM {table} WHERE {where}",
                                                 params)))
        data[len(data) // 2] ^= 0x01
        self.run(f"UPDATE {table} SET {column} = ? WHERE {where}", (bytes(data),) + params)


class NetworkCase(hub.HubTestCase):
    """A hub with the GS, the NCBs of France, Germany and Italy (by certificate) and edits of
    its store."""

    @classmethod
    def set_up_network(cls):
        h = cls.hub
        cls.gs = Principal("gs", token=h.admin_token())
        cls.fra = cert_principal(h, "ncb-fra")
        cls.deu = cert_principal(h, "ncb-deu")
        cls.ita = cert_principal(h, "ncb-ita")
        cls.edits = StoreEdits(h)

    def get(self, who: Principal, path: str) -> hub.Response:
        return self.hub.request("GET", path, **who.request_args())


class DamagedRowsTest(NetworkCase):
    """One damaged row never silences a list, and a forged plaintext column is never shown as
    genuine: the row is listed as damaged, counted, and the rest is served."""

    @classmethod
    def set_up_network(cls):
        super().set_up_network()
        h = cls.hub
        admin = h.admin_token()
        cls.notices = [published(h, cls.fra, cls.gs, red_fields(n, p, d)) for n, p, d in (
            ("Pavel Sokolov", "700000001", "1970-01-01"),
            ("Ivan Orlov", "700000002", "1971-02-02"),
            ("Oleg Zaitsev", "700000003", "1972-03-03"))]
        agency = h.create_agency(admin, "ncb-fra", name="French Ministry of Justice, BEPI")["id"]
        for cap in ("mla.request", "message.send"):
            resp = h.request("POST", "/v1/grants", {"agency_id": agency, "capability": cap},
                             **cls.fra.request_args())
            assert resp.status == 201, resp.describe()
        cls.justice = Principal(agency, token=h.login(h.create_user(admin, agency)["name"],
                                                      hub.USER_PASSWORD))
        cls.mla = [cls.sent_mla(f"PNF 2026/11{i}") for i in range(3)]

    @classmethod
    def sent_mla(cls, reference: str) -> dict:
        body = {"type": "mla", "requested_country": "DEU", "urgency": "urgent",
                "deadline": "2027-12-31T00:00:00Z", "case_reference": reference,
                "legal_basis": "EU Convention on Mutual Assistance (2000), art. 3",
                "summary": "Bank records of an account used in an investment fraud",
                "facts": "41 investors wired EUR 2.4 million to an account in Frankfurt.",
                "measures": ["Statements of account"], "persons": ["Marc LEGRAND"]}
        resp = cls.hub.request("POST", "/v1/mla-requests", body, **cls.justice.request_args())
        assert resp.status == 201, resp.describe()
        return resp.body

    def damaged_metric(self, kind: str) -> int:
        text = self.get(self.gs, "/metrics").body
        for line in text.splitlines():
            if line.startswith(f'ncbnet_damaged_rows_total{{kind="{kind}"}}'):
                return int(float(line.split()[-1]))
        return 0

    def test_a_damaged_notice_is_listed_as_damaged_and_the_rest_served(self):
        victim = self.notices[0]["id"]
        self.edits.flip_byte("notices", "fields", "id = ?", (victim,))
        for _ in range(2):  # counted once however often it is read
            resp = self.get(self.deu, "/v1/notices?scope=live")
            self.assertEqual(resp.status, 200, resp.describe())
        by_id = {n["id"]: n for n in resp.body["notices"]}
        self.assertEqual(by_id[victim]["damaged"], "decrypt_failed")
        self.assertNotIn("fields", by_id[victim])
        for n in self.notices[1:]:
            self.assertEqual(by_id[n["id"]]["fields"]["name"], n["fields"]["name"])
            self.assertNotIn("damaged", by_id[n["id"]])
        self.assertEqual(self.damaged_metric("notice"), 1)
        # Alone, it cannot be served: a server error, never its fields.
        self.assertError(self.get(self.deu, f"/v1/notices/{victim}"), 500, "internal")

    def test_a_damaged_or_forged_message_is_listed_as_damaged(self):
        events = self.get(self.deu, "/v1/mailbox?after=0&limit=500").body["events"]
        told = [e["message"]["id"] for e in events if e["kind"] == "message"]
        self.assertGreaterEqual(len(told), 4, events)
        sealed, forged = told[0], told[1]
        self.edits.flip_byte("messages", "subject_enc", "id = ?", (sealed,))
        # Plaintext columns covered by the signed hash, edited in the store.
        self.edits.run("UPDATE messages SET priority = 'flash', classification ="
                       " 'unclassified' WHERE id = ?", (forged,))
        resp = self.get(self.deu, "/v1/messages?limit=200")
        self.assertEqual(resp.status, 200, resp.describe())
        listed = {m["id"]: m for m in resp.body["messages"]}
        self.assertEqual(listed[sealed], {"id": sealed, "damaged": "decrypt_failed"})
        self.assertEqual(listed[forged], {"id": forged, "damaged": "message_tampered"})
        intact = [m for i, m in listed.items() if i not in (sealed, forged)]
        self.assertTrue(intact and all("subject" in m for m in intact), listed)
        # The mailbox itself says the same of both, and serves the rest.
        events = self.get(self.deu, "/v1/mailbox?after=0&limit=500").body["events"]
        damaged = {e["message_id"]: e.get("damaged") for e in events if e["kind"] == "message"}
        self.assertEqual(damaged[sealed], "decrypt_failed")
        self.assertEqual(damaged[forged], "message_tampered")
        self.assertGreaterEqual(self.damaged_metric("message"), 2)

    def test_a_damaged_mla_request_is_listed_as_damaged(self):
        victim = self.mla[0]["id"]
        self.edits.flip_byte("mla_requests", "content", "id = ?", (victim,))
        resp = self.get(self.justice, "/v1/mla-requests?limit=2")
        self.assertEqual(resp.status, 200, resp.describe())
        listed = {r["id"]: r for r in resp.body["mla_requests"]}
        # Newest first: the damaged one (the oldest) is on the next page, and ends no page.
        self.assertNotIn(victim, listed)
        after = self.get(self.justice, f"/v1/mla-requests?before={resp.body['next_before']}")
        self.assertEqual(after.status, 200, after.describe())
        self.assertEqual(after.body["mla_requests"],
                         [{"id": victim, "damaged": "mla_text_damaged"}])
        self.assertEqual(self.damaged_metric("mla_request"), 1)


class NoticeReadingTest(NetworkCase):
    """Reading notices is a capability (notice.read), granted to NCBs and delegated; without it
    a notice is absent, exactly as an id that does not exist."""

    @classmethod
    def set_up_network(cls):
        super().set_up_network()
        h = cls.hub
        admin = h.admin_token()
        cls.notice = published(h, cls.fra, cls.gs,
                               red_fields("Pavel Sokolov", "700000001", "1970-01-01"))
        cls.justice = cls.delegated("Bundesamt fuer Justiz", "mla.request")
        cls.bka = cls.delegated("BKA Wiesbaden", "notice.read")
        gate = h.create_agency(admin, "ncb-deu", "terminal", "Frankfurt T1 gate 12")
        h.grant(admin, gate["id"], "record.check:SLTD")
        cls.gate = cert_principal(h, gate["id"])

    @classmethod
    def delegated(cls, name: str, capability: str) -> Principal:
        return cls.delegation(name, capability)[0]

    @classmethod
    def delegation(cls, name: str, capability: str) -> tuple:
        """A new agency under the German NCB, granted `capability` by it: (principal, grant)."""
        h = cls.hub
        agency = h.create_agency(h.admin_token(), "ncb-deu", name=name)["id"]
        resp = h.request("POST", "/v1/grants", {"agency_id": agency, "capability": capability},
                         **cls.deu.request_args())
        assert resp.status == 201, resp.describe()
        return cert_principal(h, agency), resp.body

    def test_ncbs_and_delegated_agencies_read_live_notices(self):
        for who in (self.deu, self.bka):
            with self.subTest(who=who.agency):
                ids = [n["id"] for n in self.get(who, "/v1/notices?scope=live").body["notices"]]
                self.assertIn(self.notice["id"], ids)
                resp = self.get(who, f"/v1/notices/{self.notice['id']}")
                self.assertEqual(resp.status, 200, resp.describe())

    def test_without_notice_read_a_notice_is_absent(self):
        missing = "ntc_" + "a" * 26
        for who in (self.justice, self.gate):
            with self.subTest(who=who.agency):
                resp = self.get(who, "/v1/notices?scope=live")
                self.assertEqual(resp.status, 200, resp.describe())
                self.assertEqual(resp.body["notices"], [])
                real = self.get(who, f"/v1/notices/{self.notice['id']}")
                absent = self.get(who, f"/v1/notices/{missing}")
                self.assertError(real, 404, "notice_not_found")
                self.assertEqual(real.body["error"]["message"], absent.body["error"]["message"])
                history = self.get(who, f"/v1/notices/{self.notice['id']}/history")
                self.assertError(history, 404, "notice_not_found")

    def test_a_revoked_delegation_takes_effect_on_the_next_request(self):
        reader, grant = self.delegation("LKA Berlin", "notice.read")
        self.assertEqual(self.get(reader, f"/v1/notices/{self.notice['id']}").status, 200)
        resp = self.hub.request("DELETE", f"/v1/grants/{grant['id']}", **self.deu.request_args())
        self.assertIn(resp.status, (200, 204), resp.describe())
        self.assertError(self.get(reader, f"/v1/notices/{self.notice['id']}"), 404,
                         "notice_not_found")


class WipedAuditLogTest(hub.HubTestCase):
    """A wiped audit log is an error, loudly: verify fails, health says so, audited requests
    fail closed, and the hub never starts a new chain over it."""

    def test_a_wiped_log_is_reported_everywhere_and_never_restarted(self):
        h = self.hub
        token = h.admin_token()
        self.assertEqual(h.request("GET", "/healthz").body, {"status": "ok"})
        self.assertEqual(h.request("GET", "/v1/me", token=token).status, 200)
        edits = StoreEdits(h)
        edits.run("DELETE FROM audit_log")
        edits.run("DELETE FROM audit_head")
        health = h.request("GET", "/healthz")
        self.assertEqual(health.status, 503, health.describe())
        self.assertEqual(health.body, {"status": "failing", "problems": ["audit_chain_broken"]})
        self.assertError(h.request("GET", "/v1/me", token=token), 500, "internal")
        self.assertEqual(h.stop(), 0, h.log_tail())
        out = subprocess.run([h.bin, "audit", "verify", "--data-dir", h.data_dir, "--json"],
                             capture_output=True, text=True, timeout=hub.CLI_TIMEOUT_S,
                             stdin=subprocess.DEVNULL)
        self.assertEqual(out.returncode, 1, out.stdout + out.stderr)
        report = json.loads(out.stdout)
        self.assertEqual((report["intact"], report["problem"]), (False, "head_missing"), report)
        h.start()
        self.assertEqual(h.request("GET", "/healthz").status, 503)
        self.assertEqual(h.request("POST", "/v1/auth/login",
                                   {"user": "nobody", "password": "x" * 12}).status, 500)
        self.assertEqual(edits.value("SELECT COUNT(*) FROM audit_log"), 0)
        self.assertEqual(edits.value("SELECT COUNT(*) FROM audit_head"), 0)


class CrlTest(hub.HubTestCase):
    """The network CA's CRL, published by the hub and named in every certificate, so that
    parties other than the hub learn of revocations; checked with OpenSSL's own tools."""

    def openssl(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run(["openssl", *args], capture_output=True, text=True, timeout=60,
                              stdin=subprocess.DEVNULL)

    def fetch_crl(self) -> str:
        """The CRL as PEM, in a file beside the hub's."""
        conn = http.client.HTTPSConnection("127.0.0.1", self.hub.port,
                                           context=self.hub.tls_context())
        try:
            conn.request("GET", "/v1/pki/crl")
            resp = conn.getresponse()
            der = resp.read()
            self.assertEqual(resp.status, 200)
            self.assertEqual(resp.getheader("Content-Type"), "application/pkix-crl")
        finally:
            conn.close()
        der_path = os.path.join(self.hub.dir, "crl.der")
        with open(der_path, "wb") as f:
            f.write(der)
        pem_path = os.path.join(self.hub.dir, "crl.pem")
        out = self.openssl("crl", "-inform", "DER", "-in", der_path, "-out", pem_path)
        self.assertEqual(out.returncode, 0, out.stderr)
        return pem_path

    def verify(self, cert: str, crl: str) -> subprocess.CompletedProcess:
        return self.openssl("verify", "-crl_check", "-CAfile", self.hub.ca_cert, "-CRLfile", crl,
                            cert)

    def test_certificates_name_the_crl_and_a_revocation_is_listed_at_once(self):
        h = self.hub
        for cert in (os.path.join(h.data_dir, "hub.crt"), h.issue_cert("ncb-fra")[1]):
            out = self.openssl("x509", "-in", cert, "-noout", "-ext", "crlDistributionPoints")
            self.assertIn("URI:https://localhost:8443/v1/pki/crl", out.stdout, out.stderr)
        serial, cert, _ = h.issue_cert("ncb-deu")
        _, other, _ = h.issue_cert("ncb-ita")
        crl = self.fetch_crl()
        self.assertEqual(self.verify(cert, crl).returncode, 0)
        resp = h.request("DELETE", f"/v1/certificates/{serial}", token=h.admin_token())
        self.assertIn(resp.status, (200, 204), resp.describe())
        crl = self.fetch_crl()
        refused = self.verify(cert, crl)
        self.assertNotEqual(refused.returncode, 0)
        self.assertIn("certificate revoked", refused.stdout + refused.stderr)
        self.assertEqual(self.verify(other, crl).returncode, 0)
        text = self.openssl("crl", "-in", crl, "-noout", "-text").stdout
        self.assertIn(serial.upper().lstrip("0"), text.replace(":", "").upper())


class RecordTamperTest(NetworkCase):
    """Record versions carry a MAC under the hub's data key: an edit in the store (fields, owner,
    restrictions) is never served, a check that meets it fails closed, the owner's export lists
    it as damaged, and invalid JSON never reaches a client."""

    def create(self, number: str, **extra) -> dict:
        fields = {"number": number, "issuing_country": "FRA", "document_type": "passport",
                  "status": "stolen"}
        resp = self.hub.request("POST", "/v1/records/SLTD", {"fields": fields, **extra},
                                **self.fra.request_args())
        self.assertEqual(resp.status, 201, resp.describe())
        return resp.body

    def test_a_widened_restriction_is_never_served(self):
        rec = self.create("TMP000001", restrictions={"visibility": "only", "countries": ["DEU"]})
        path = f"/v1/records/SLTD/{rec['id']}"
        self.assertError(self.get(self.ita, path), 404, "record_not_found")
        self.edits.run("UPDATE records SET visibility = 'all', countries = '' WHERE id = ?",
                       (rec["id"],))
        # Italy still sees nothing of it; Germany's check meets it and fails closed.
        self.assertNotEqual(self.get(self.ita, path).status, 200)
        check = self.get(self.deu, "/v1/checks/SLTD?number=TMP000001&issuing_country=FRA")
        self.assertError(check, 500, "internal")
        self.assertError(self.get(self.fra, path), 500, "internal")

    def test_invalid_json_fields_are_never_served(self):
        rec = self.create("TMP000002")
        self.edits.run("UPDATE records SET fields = '{\"number\": ' WHERE id = ?", (rec["id"],))
        resp = self.get(self.fra, f"/v1/records/SLTD/{rec['id']}")
        self.assertError(resp, 500, "internal")
        self.assertNotIn("discarded", json.dumps(resp.body))

    def test_the_export_lists_a_tampered_version_and_goes_on(self):
        bad = self.create("TMP000003")
        good = self.create("TMP000004")
        self.edits.run("UPDATE records SET action = 'Let the bearer pass' WHERE id = ?",
                       (bad["id"],))
        resp = self.get(self.fra, "/v1/records/SLTD?limit=1000")
        self.assertEqual(resp.status, 200, resp.describe())
        listed = {r["id"]: r for r in resp.body["records"]}
        self.assertEqual(listed[bad["id"]], {"id": bad["id"], "damaged": "record_tampered"})
        self.assertEqual(listed[good["id"]]["fields"]["number"], "TMP000004")
        metrics = self.hub.request("GET", "/metrics", token=self.hub.admin_token()).body
        self.assertIn('ncbnet_damaged_rows_total{kind="record"}', metrics)

    def test_versions_are_sealed_once_and_a_later_empty_mac_is_tampering(self):
        rec = self.create("TMP000005")
        self.edits.run("UPDATE records SET mac = '', action = 'Forged' WHERE id = ?",
                       (rec["id"],))
        self.assertEqual(self.hub.stop(), 0, self.hub.log_tail())
        self.hub.start()  # no second sealing: init recorded it, in meta and in the audit log
        self.assertError(self.get(self.fra, f"/v1/records/SLTD/{rec['id']}"), 500, "internal")


class NoticeImageTamperTest(NetworkCase):
    """A notice's image is sealed with its notice and number; its type, digest and size are
    kept beside it and checked against the opened bytes, so neither an edited seal nor an
    edited type is ever served (a type turned to text/html would make the hub serve a page)."""

    def image(self) -> tuple:
        draft = self.hub.request("POST", "/v1/notices", {"kind": "red", "fields": red_fields()},
                                 **self.fra.request_args())
        self.assertEqual(draft.status, 201, draft.describe())
        nid = draft.body["id"]
        added = self.hub.request("POST", f"/v1/notices/{nid}/images", raw_body=PNG,
                                 content_type="image/png", **self.fra.request_args())
        self.assertEqual(added.status, 201, added.describe())
        path = f"/v1/notices/{nid}/images/{added.body['seq']}"
        resp = self.get(self.fra, path)
        self.assertEqual(resp.status, 200, resp.describe())
        return nid, added.body["seq"], path

    def test_an_edited_seal_is_never_served(self):
        nid, seq, path = self.image()
        self.edits.flip_byte("notice_images", "sealed", "notice_id = ? AND seq = ?", (nid, seq))
        self.assertError(self.get(self.fra, path), 500, "internal")
        metrics = self.hub.request("GET", "/metrics", token=self.gs.token)
        self.assertIn('ncbnet_damaged_rows_total{kind="notice_image"}', metrics.body)

    def test_an_edited_type_is_never_served(self):
        nid, seq, path = self.image()
        self.edits.run("UPDATE notice_images SET media_type = 'text/html' WHERE notice_id = ? "
                       "AND seq = ?", (nid, seq))
        resp = self.get(self.fra, path)
        self.assertError(resp, 500, "internal")
        self.assertNotIn("text/html", resp.headers.get("Content-Type"))


class IdempotencyTest(NetworkCase):
    """Every write takes an Idempotency-Key: a retry of a request whose answer was lost gets the
    same answer and changes nothing; the key is the principal's own."""

    def post(self, who: Principal, path: str, body: dict, key: str) -> hub.Response:
        return self.hub.request("POST", path, body, headers={"Idempotency-Key": key},
                                **who.request_args())

    def count(self, sql: str, params=()) -> int:
        return self.edits.value(sql, params)

    def test_a_retried_write_is_done_once_and_answered_the_same(self):
        agency = self.hub.create_agency(self.hub.admin_token(), "ncb-fra", name="OCRTEH")["id"]
        body = {"agency_id": agency, "capability": "record.check:SMV"}
        first = self.post(self.fra, "/v1/grants", body, "grant-ocrteh-1")
        self.assertEqual(first.status, 201, first.describe())
        again = self.post(self.fra, "/v1/grants", body, "grant-ocrteh-1")
        self.assertEqual(again.status, 201, again.describe())
        self.assertEqual(again.body, first.body)
        self.assertEqual(again.headers.get("Idempotent-Replayed"), "true")
        self.assertEqual(self.count("SELECT COUNT(*) FROM grants WHERE agency_id = ? AND"
                                    " capability = 'record.check:SMV'", (agency,)), 1)
        self.assertAudited(again, "ok")

    def test_every_kind_of_write_route_takes_it(self):
        writes = [
            ("/v1/notices", {"kind": "purple", "fields": {"offence": "fraud",
                                                          "modus_operandi": "Fake invoices"}},
             "SELECT COUNT(*) FROM notices"),
            ("/v1/agencies", {"parent_id": "ncb-fra", "kind": "agency", "name": "Douanes"},
             "SELECT COUNT(*) FROM agencies"),
            ("/v1/records/SLTD", {"fields": {"number": "IDM000001", "issuing_country": "FRA",
                                             "document_type": "passport", "status": "stolen"}},
             "SELECT COUNT(*) FROM records"),
        ]
        for path, body, count_sql in writes:
            with self.subTest(path=path):
                before = self.count(count_sql)
                key = "retry-" + path.replace("/", "-")
                first = self.post(self.fra, path, body, key)
                self.assertEqual(first.status, 201, first.describe())
                second = self.post(self.fra, path, body, key)
                self.assertEqual((second.status, second.body), (first.status, first.body))
                self.assertEqual(self.count(count_sql), before + 1)

    def test_another_request_under_the_same_key_is_refused(self):
        body = {"parent_id": "ncb-fra", "kind": "agency", "name": "Gendarmerie"}
        self.assertEqual(self.post(self.fra, "/v1/agencies", body, "k-reused").status, 201)
        other = dict(body, name="Police nationale")
        self.assertError(self.post(self.fra, "/v1/agencies", other, "k-reused"), 400,
                         "idempotency_key_reused")
        # Keys are each principal's own: Germany may use the same one.
        deu = {"parent_id": "ncb-deu", "kind": "agency", "name": "Bundespolizei"}
        self.assertEqual(self.post(self.deu, "/v1/agencies", deu, "k-reused").status, 201)

    def test_a_refused_request_reserves_nothing(self):
        bad = {"parent_id": "ncb-fra", "kind": "spaceship", "name": "X"}
        self.assertEqual(self.post(self.fra, "/v1/agencies", bad, "k-after-error").status, 400)
        good = {"parent_id": "ncb-fra", "kind": "agency", "name": "Brigade fluviale"}
        self.assertEqual(self.post(self.fra, "/v1/agencies", good, "k-after-error").status, 201)

    def test_a_change_committed_without_its_answer_is_in_doubt(self):
        body = {"parent_id": "ncb-fra", "kind": "agency", "name": "RAID"}
        first = self.post(self.fra, "/v1/agencies", body, "k-doubt")
        self.assertEqual(first.status, 201)
        # As if the hub had stopped between the commit and keeping the answer.
        self.edits.run("UPDATE idempotency_keys SET status = NULL, body = NULL WHERE key = ?",
                       ("k-doubt",))
        self.assertError(self.post(self.fra, "/v1/agencies", body, "k-doubt"), 409,
                         "idempotency_in_doubt")
        self.assertEqual(self.count("SELECT COUNT(*) FROM agencies WHERE name = 'RAID'"), 1)

    def test_malformed_keys_are_refused(self):
        body = {"parent_id": "ncb-fra", "kind": "agency", "name": "GIGN"}
        for key in ("a b", "x" * 129, "clé"):
            with self.subTest(key=key):
                resp = self.hub.request("POST", "/v1/agencies", body,
                                        headers={"Idempotency-Key": key.encode().decode("latin-1")},
                                        **self.fra.request_args())
                self.assertError(resp, 400, "invalid_idempotency_key")
        self.assertEqual(self.count("SELECT COUNT(*) FROM agencies WHERE name = 'GIGN'"), 0)


def _mount_tmpfs(path: str, size: str) -> bool:
    """A real small filesystem (tmpfs of `size`) at `path`; False where mounting is not allowed."""
    os.makedirs(path, exist_ok=True)
    out = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size},mode=0700", "tmpfs", path],
                         capture_output=True, text=True, stdin=subprocess.DEVNULL)
    return out.returncode == 0


@unittest.skipIf(hub.store_backend() != "sqlite",
                 "fills the data directory's filesystem, where only the SQLite store lives")
class FullDiskTest(unittest.TestCase):
    """The hub's data directory on a real filesystem that fills up: every request that must
    write (a change, or the audit entry of a read) answers 503 and is acknowledged to nobody;
    the hub keeps running, loses nothing acknowledged before, and serves again once space is
    freed."""

    def setUp(self):
        self.hub = hub.Hub(name="fulldisk")
        self.mount = os.path.join(self.hub.dir, "small")
        if os.geteuid() != 0 or not _mount_tmpfs(self.mount, "24m"):
            self.hub.close()
            self.skipTest("mounting a tmpfs needs root")
        shutil.copytree(self.hub.data_dir, os.path.join(self.mount, "data"))
        self.hub.data_dir = os.path.join(self.mount, "data")
        self.hub.ca_cert = os.path.join(self.hub.data_dir, "ca.crt")
        self.hub.start()

    def tearDown(self):
        self.hub.stop()
        subprocess.run(["umount", "-l", self.mount], capture_output=True, stdin=subprocess.DEVNULL)
        self.hub.close()

    def fill(self) -> str:
        """Fills the filesystem to the last byte; returns the filler's path."""
        filler = os.path.join(self.mount, "filler")
        chunk = b"\0" * 65536
        with open(filler, "wb", buffering=0) as f:
            try:
                while True:
                    f.write(chunk)
            except OSError:
                pass
            try:
                while True:
                    f.write(b"\0")
            except OSError:
                pass
        return filler

    def agency(self, name: str) -> hub.Response:
        return self.hub.request("POST", "/v1/agencies",
                                {"parent_id": "ncb-fra", "kind": "agency", "name": name},
                                token=self.token)

    def test_a_full_disk_refuses_writes_with_503_and_recovers(self):
        self.token = self.hub.admin_token()
        before = self.agency("Brigade des stupefiants")
        self.assertEqual(before.status, 201, before.describe())
        filler = self.fill()
        tried = {f"Refused {i}": self.agency(f"Refused {i}") for i in range(5)}
        first = tried["Refused 0"]
        self.assertEqual(first.status, 503, first.describe() + self.hub.log_tail(10))
        # A refused write may leave WAL space behind that a later, smaller one fits in: SQLite
        # then commits it durably and 201 is the truth. Each answer must be one or the other,
        # and what it says must hold after recovery.
        for name, resp in tried.items():
            self.assertIn(resp.status, (201, 503), name + ": " + resp.describe())
        self.assertIsNone(self.hub.proc.poll(), "the hub stopped")
        os.remove(filler)
        after = self.agency("Brigade fluviale")
        self.assertEqual(after.status, 201, after.describe() + self.hub.log_tail(10))
        listed = self.hub.request("GET", "/v1/agencies?parent=ncb-fra", token=self.token)
        names = [a["name"] for a in listed.body["agencies"]]
        self.assertIn("Brigade des stupefiants", names)
        for name, resp in tried.items():
            self.assertEqual(name in names, resp.status == 201, f"{name} answered {resp.status}")
        self.assertEqual(self.hub.stop(), 0, self.hub.log_tail())
        out = self.hub.cli("audit", "verify", "--json")
        self.assertEqual(out.returncode, 0, out.stdout + out.stderr)
