"""Records and identifier checks against the real server (issue 4): the catalogue; records
created, updated, cancelled and reviewed by their owner only; owner restrictions enforced on
every query path (single check, batch check, read, export) so that a restricted record answers
exactly like an absent one; batch imports that are all or nothing; bad input refused with a
stable code, nothing stored, and audited."""

import json
import os
import urllib.parse

import hub
from msgutil import Principal, cert_principal


def passport(number: str, country: str = "FRA", status: str = "stolen") -> dict:
    return {"number": number, "issuing_country": country, "document_type": "passport",
            "status": status}


class RecordsTest(hub.HubTestCase):

    @classmethod
    def set_up_network(cls):
        h = cls.hub
        cls.gs = Principal("gs", token=h.admin_token())
        cls.fra = cert_principal(cls.hub, "ncb-fra")
        cls.deu = cert_principal(cls.hub, "ncb-deu")
        cls.ita = cert_principal(cls.hub, "ncb-ita")
        # A German border terminal that may check SLTD, and a French police agency that may
        # write SLTD on its NCB's behalf.
        terminal = h.create_agency(h.admin_token(), "ncb-deu", "terminal", "Frankfurt airport T1")
        h.grant(h.admin_token(), terminal["id"], "record.check:SLTD")
        cls.deu_terminal = cert_principal(cls.hub, terminal["id"])
        police = h.create_agency(h.admin_token(), "ncb-fra", "agency", "Police nationale")
        h.grant(h.admin_token(), police["id"], "record.write:SLTD")
        cls.fra_police = cert_principal(cls.hub, police["id"])
        # A French agency with no database capability at all.
        customs = h.create_agency(h.admin_token(), "ncb-fra", "agency", "Douane")
        cls.fra_customs = cert_principal(cls.hub, customs["id"])

    # ---- calls ----------------------------------------------------------------------------

    def call(self, who: Principal, method: str, path: str, body=None) -> hub.Response:
        return self.hub.request(method, path, body, **who.request_args())

    def create(self, who: Principal, fields: dict, db: str = "SLTD", **extra) -> dict:
        resp = self.call(who, "POST", f"/v1/records/{db}", {"fields": fields, **extra})
        self.assertEqual(resp.status, 201, resp.describe())
        return resp.body

    def check(self, who: Principal, db: str = "SLTD", **params) -> hub.Response:
        return self.call(who, "GET", f"/v1/checks/{db}?" + urllib.parse.urlencode(params))

    def checked(self, who: Principal, number: str, country: str = "FRA") -> dict:
        resp = self.check(who, number=number, issuing_country=country)
        self.assertEqual(resp.status, 200, resp.describe())
        return resp.body

    def _count(self, table: str) -> int:
        return self.hub.db_rows(f"SELECT count(*) AS n FROM {table}")[0]["n"]

    def hits_on(self, record_id: str) -> list:
        return [(r["checker_agency"],) for r in self.hub.db_rows(
            "SELECT checker_agency FROM hits WHERE record_id = ?", (record_id,))]

    # ---- tests ----------------------------------------------------------------------------

    def test_catalogue_lists_the_databases(self):
        resp = self.call(self.deu, "GET", "/v1/databases")
        self.assertEqual(resp.status, 200, resp.describe())
        codes = [d["code"] for d in resp.body["databases"]]
        self.assertEqual(codes, ["SLTD", "SMV", "NOMINAL", "FIREARMS", "WOA", "SAD", "VESSELS",
                                 "NOTICES"])
        self.assertEqual([d["code"] for d in resp.body["databases"] if d["managed"]], ["NOTICES"])
        resp = self.call(self.deu, "GET", "/v1/databases/SMV")
        self.assertEqual([i["name"] for i in resp.body["identifiers"]], ["vin", "plate"])
        self.assertError(self.call(self.deu, "GET", "/v1/databases/NOPE"), 404, "unknown_database")

    def test_the_records_api_never_writes_a_managed_database(self):
        subject = {"control_number": "A-1/11-2026", "kind": "red", "channel": "notice",
                   "name": "John Doe",
                   "identity_documents": [{"number": "MD0000001", "issuing_country": "FRA"}]}
        before = self._count("records")
        # Whoever asks, NCB or GS, every write path is refused before anything is read or
        # written, and audited.
        for who in (self.fra, self.gs):
            for method, path, body in (
                    ("POST", "/v1/records/NOTICES", {"fields": subject}),
                    ("POST", "/v1/records/NOTICES/batch", {"records": [{"fields": subject}]}),
                    ("PUT", "/v1/records/NOTICES/rec_x", {"version": 1, "fields": subject}),
                    ("POST", "/v1/records/NOTICES/rec_x/cancel", {"version": 1, "reason": "x"}),
                    ("POST", "/v1/records/NOTICES/rec_x/review", {"version": 1})):
                resp = self.call(who, method, path, body)
                self.assertError(resp, 403, "managed_database")
                self.assertIn("NOTICES is written only by the hub's services",
                              resp.body["error"]["message"])
                self.assertAudited(resp, "managed_database")
        self.assertEqual(self._count("records"), before)
        # record.write:NOTICES is no capability: the NCB does not hold it and no one grants it.
        grant = self.hub.request("POST", "/v1/grants",
                                 {"agency_id": "ncb-fra", "capability": "record.write:NOTICES"},
                                 token=self.hub.admin_token())
        self.assertError(grant, 400, "unknown_capability")
        self.assertIn("managed database", grant.body["error"]["message"])
        # Checks, reads and the export work as for any database.
        resp = self.check(self.deu, "NOTICES", number="MD0000001", issuing_country="FRA")
        self.assertEqual((resp.status, resp.body.get("match")), (200, False), resp.describe())
        self.assertError(self.call(self.deu, "GET", "/v1/records/NOTICES/rec_x"), 404,
                         "record_not_found")
        export = self.call(self.fra, "GET", "/v1/records/NOTICES")
        self.assertEqual((export.status, export.body.get("records")), (200, []), export.describe())
        self.assertError(self.call(self.fra_customs, "GET", "/v1/records/NOTICES"), 403,
                         "missing_capability")

    def test_owner_creates_and_others_check_with_the_owners_instructions(self):
        rec = self.create(self.fra_police, passport("12AB34567"),
                          action="Seize the document; call NCB Paris")
        self.assertEqual(rec["owner"], "ncb-fra")
        self.assertEqual(rec["version"], 1)
        self.assertAudited(self.call(self.fra, "GET", f"/v1/records/SLTD/{rec['id']}"), "ok")

        resp = self.check(self.deu_terminal, number="12 ab-34567", issuing_country="fra")
        self.assertEqual(resp.status, 200, resp.describe())
        self.assertTrue(resp.body["match"])
        match = resp.body["matches"][0]
        self.assertEqual(match["record"]["id"], rec["id"])
        self.assertEqual(match["action"], "Seize the document; call NCB Paris")
        entry = self.assertAudited(resp, "ok", "GET /v1/checks/{db}")
        self.assertEqual(entry["object"], f"SLTD checked 1, matched 1: {rec['id']}")
        self.assertNotIn("12AB34567", entry["object"])

        # The match is a hit: the terminal sees it with its context, the owner NCB is told.
        resp = self.check(self.deu_terminal, number="12AB34567", issuing_country="FRA",
                          location="Frankfurt T1, gate B12", flight="LH400")
        hit_id = resp.body["matches"][0]["hit"]
        self.assertTrue(hit_id.startswith("hit_"), resp.body)
        hit = self.call(self.deu_terminal, "GET", f"/v1/hits/{hit_id}")
        self.assertEqual(hit.status, 200, hit.describe())
        self.assertEqual(hit.body["record"]["id"], rec["id"])
        self.assertIn("Frankfurt T1", json.dumps(hit.body))
        self.assertEqual(self.call(self.fra, "GET", f"/v1/hits/{hit_id}").status, 200)
        self.assertError(self.call(self.ita, "GET", f"/v1/hits/{hit_id}"), 404, "hit_not_found")
        mailbox = self.call(self.fra, "GET", "/v1/mailbox?after=0&limit=500")
        self.assertEqual(mailbox.status, 200, mailbox.describe())
        subjects = [e["message"]["subject"] for e in mailbox.body["events"] if "message" in e]
        self.assertIn(f"Hit: SLTD record {rec['id']} checked in DEU", subjects,
                      "the owner NCB is notified")

        miss = self.check(self.deu_terminal, number="12AB34568", issuing_country="FRA")
        self.assertEqual(miss.body, {"match": False})
        self.assertEqual(self.assertAudited(miss, "ok")["object"], "SLTD checked 1, matched 0")

    def test_a_restricted_record_answers_exactly_like_an_absent_one_on_every_path(self):
        only_deu = self.create(self.fra, passport("RS0000001"),
                               restrictions={"visibility": "only", "countries": ["DEU"],
                                             "frontline": False})
        for who in (self.ita, self.deu_terminal, self.gs):
            if who is not self.gs:
                self.assertEqual(self.checked(who, "RS0000001"),
                                 self.checked(who, "RS0000002"), who.agency)
            hidden = self.call(who, "GET", f"/v1/records/SLTD/{only_deu['id']}")
            absent = self.call(who, "GET", "/v1/records/SLTD/rec_doesnotexist00000000000000")
            self.assertEqual((hidden.status, hidden.error_code, hidden.body["error"]["message"]),
                             (absent.status, absent.error_code, absent.body["error"]["message"]))
        self.assertTrue(self.checked(self.deu, "RS0000001")["match"])
        # Only the check that could see it made a hit: none for Italy, the terminal or the GS.
        self.assertEqual(self.hits_on(only_deu["id"]), [("ncb-deu",)])

        batch = self.call(self.ita, "POST", "/v1/checks/SLTD", {"items": [
            {"number": "RS0000001", "issuing_country": "FRA"},
            {"number": "RS0000002", "issuing_country": "FRA"}]})
        self.assertEqual(batch.status, 200, batch.describe())
        self.assertEqual(batch.body["results"][0], {"index": 0, "match": False})
        self.assertEqual(batch.body["results"][0]["match"], batch.body["results"][1]["match"])

        # Exports hold one's own records only.
        resp = self.call(self.ita, "GET", "/v1/records/SLTD")
        self.assertEqual(resp.status, 200, resp.describe())
        self.assertNotIn(only_deu["id"], [r["id"] for r in resp.body["records"]])
        resp = self.call(self.fra, "GET", "/v1/records/SLTD?limit=10000")
        self.assertIn(only_deu["id"], [r["id"] for r in resp.body["records"]])

    def test_only_the_owner_changes_a_record_and_every_version_is_kept(self):
        rec = self.create(self.fra, passport("VV0000001"))
        path = f"/v1/records/SLTD/{rec['id']}"
        change = {"version": 1, "fields": passport("VV0000001", status="revoked")}
        self.assertError(self.call(self.deu, "PUT", path, change), 403, "not_record_owner")
        self.assertAudited(self.call(self.deu, "PUT", path, change), "not_record_owner")
        resp = self.call(self.fra_police, "PUT", path, change)
        self.assertEqual(resp.status, 200, resp.describe())
        self.assertEqual(resp.body["version"], 2)
        self.assertError(self.call(self.fra, "PUT", path, change), 409, "version_conflict")
        versions = self.call(self.fra, "GET", path + "/versions")
        self.assertEqual([v["fields"]["status"] for v in versions.body["versions"]],
                         ["stolen", "revoked"])
        self.assertError(self.call(self.deu, "GET", path + "/versions"), 404, "record_not_found")

        self.assertTrue(self.checked(self.deu, "VV0000001")["match"])
        resp = self.call(self.fra, "POST", path + "/cancel", {"version": 2, "reason": "found"})
        self.assertEqual(resp.status, 200, resp.describe())
        self.assertFalse(self.checked(self.deu, "VV0000001")["match"], "cancelled: no match at once")
        self.assertError(self.call(self.deu, "GET", path), 404, "record_not_found")
        self.assertEqual(self.call(self.fra, "GET", path).body["status"], "cancelled")

    def test_review_sets_a_new_date(self):
        rec = self.create(self.fra, passport("RV0000001"), review_date="2030-01-31")
        self.assertEqual(rec["review_date"], "2030-01-31")
        resp = self.call(self.fra, "POST", f"/v1/records/SLTD/{rec['id']}/review",
                         {"version": 1, "review_date": "2031-06-30"})
        self.assertEqual(resp.status, 200, resp.describe())
        self.assertEqual((resp.body["version"], resp.body["review_date"]), (2, "2031-06-30"))
        for bad in ("2031-13-01", "next year", 20310630, "1999-01-01"):
            resp = self.call(self.fra, "POST", f"/v1/records/SLTD/{rec['id']}/review",
                             {"version": 2, "review_date": bad})
            self.assertError(resp, 400, "invalid_record")
        self.assertEqual(self.call(self.fra, "GET", f"/v1/records/SLTD/{rec['id']}").body["version"], 2)

    def test_every_database_checks_by_its_identifiers(self):
        self.create(self.fra, {"vin": "1M8GDM9AXKP042788", "plate": "AB-123-CD",
                               "plate_country": "FRA", "make": "Ford"}, db="SMV")
        self.create(self.fra, {"serial": "AB 1234", "make": "Smith & Wesson",
                               "firearm_type": "revolver"}, db="FIREARMS")
        self.create(self.fra, {"imo": "IMO 9074729", "name": "Ocean Star"}, db="VESSELS")
        self.create(self.fra, {"issuing_country": "FRA", "document_type": "registration",
                               "series": "CR24", "number_from": 1000, "number_to": 1999}, db="SAD")
        self.create(self.fra, {"name": "Jean Dupont", "identity_documents": [
            {"number": "15FR00001", "issuing_country": "FRA"}]}, db="NOMINAL")
        cases = [
            ("SMV", {"vin": "1m8gdm9axkp042788"}, True),
            ("SMV", {"plate": "ab123cd", "plate_country": "fra"}, True),
            ("SMV", {"plate": "ab123cd", "plate_country": "deu"}, False),
            ("FIREARMS", {"serial": "ab-1234", "make": "SMITH WESSON"}, True),
            ("VESSELS", {"imo": "9074729"}, True),
            ("SAD", {"issuing_country": "FRA", "series": "CR24", "number": "1500"}, True),
            ("SAD", {"issuing_country": "FRA", "series": "CR24", "number": "2500"}, False),
            ("NOMINAL", {"number": "15FR00001", "issuing_country": "FRA"}, True),
        ]
        for db, params, expected in cases:
            resp = self.check(self.deu, db, **params)
            self.assertEqual(resp.status, 200, resp.describe())
            self.assertEqual(resp.body["match"], expected, (db, params))

    def test_batch_checks_answer_in_order_with_errors_in_place(self):
        for i in range(0, 40, 2):
            self.create(self.fra, passport(f"BT{i:07d}"))
        items = [{"number": f"BT{i:07d}", "issuing_country": "FRA"} for i in range(40)]
        items.insert(5, {"number": "bad#number", "issuing_country": "FRA"})
        items.insert(7, {"number": "BT0000001"})
        resp = self.call(self.deu, "POST", "/v1/checks/SLTD", {"items": items})
        self.assertEqual(resp.status, 200, resp.describe())
        results = resp.body["results"]
        self.assertEqual([r["index"] for r in results], list(range(42)))
        self.assertEqual(results[5]["error"]["code"], "invalid_document_number")
        self.assertEqual(results[7]["error"]["code"], "missing_field")
        matched = [r.get("match") for i, r in enumerate(results) if i not in (5, 7)]
        self.assertEqual(matched, [i % 2 == 0 for i in range(40)])
        self.assertEqual(self.assertAudited(resp, "ok")["object"][:28], "SLTD checked 40, matched 20:")

    def test_a_hundred_thousand_item_batch_is_accepted(self):
        items = [{"number": f"HX{i:07d}", "issuing_country": "DEU"} for i in range(100000)]
        resp = self.call(self.deu, "POST", "/v1/checks/SLTD", {"items": items})
        self.assertEqual(resp.status, 200, resp.describe())
        self.assertEqual(len(resp.body["results"]), 100000)
        too_many = self.call(self.deu, "POST", "/v1/checks/SLTD", {"items": items + items[:1]})
        self.assertError(too_many, 400, "invalid_request")

    def test_a_batch_import_is_all_or_nothing(self):
        before = self._count("records")
        rows = [{"fields": passport(f"IM{i:07d}"), "external_id": f"FR-{i}"} for i in range(10)]
        rows[3]["fields"]["status"] = "misplaced"
        rows[8]["fields"]["colour"] = "red"
        resp = self.call(self.fra, "POST", "/v1/records/SLTD/batch", {"records": rows})
        self.assertError(resp, 422, "batch_rejected")
        self.assertEqual([(r["index"], r["code"]) for r in resp.body["rejected"]],
                         [(3, "invalid_field"), (8, "unknown_field")])
        self.assertEqual(self._count("records"), before)
        self.assertAudited(resp, "batch_rejected")
        rows[3]["fields"]["status"] = "lost"
        del rows[8]["fields"]["colour"]
        dry = self.call(self.fra, "POST", "/v1/records/SLTD/batch", {"records": rows, "dry_run": True})
        self.assertEqual(dry.body, {"dry_run": True, "valid": 10})
        self.assertEqual(self._count("records"), before)
        resp = self.call(self.fra, "POST", "/v1/records/SLTD/batch", {"records": rows})
        self.assertEqual(resp.status, 201, resp.describe())
        self.assertEqual(self._count("records"), before + 10)
        again = self.call(self.fra, "POST", "/v1/records/SLTD/batch", {"records": rows})
        self.assertError(again, 422, "batch_rejected")
        self.assertEqual({r["code"] for r in again.body["rejected"]}, {"record_exists"})

    def test_bad_input_is_refused_with_stable_codes_and_audited(self):
        before = self._count("records")
        cases = [
            (self.fra, "POST", "/v1/records/NOPE", {"fields": {}}, 404, "unknown_database"),
            (self.fra, "POST", "/v1/records/SLTD", {"fields": {"number": "X"}}, 400, "missing_field"),
            (self.fra, "POST", "/v1/records/SLTD", {"fields": passport("AB#1")}, 400,
             "invalid_document_number"),
            (self.fra, "POST", "/v1/records/SLTD", {"fields": passport("A1"), "owner": "x"}, 400,
             "invalid_record"),
            (self.fra_customs, "POST", "/v1/records/SLTD", {"fields": passport("A1")}, 403,
             "missing_capability"),
            (self.deu_terminal, "POST", "/v1/records/SLTD", {"fields": passport("A1")}, 403,
             "missing_capability"),
            (self.gs, "POST", "/v1/records/SLTD", {"fields": passport("A1")}, 403, "no_owner_ncb"),
            (self.fra_customs, "GET", "/v1/checks/SLTD?number=A1&issuing_country=FRA", None, 403,
             "missing_capability"),
            (self.deu, "GET", "/v1/checks/SLTD?number=A1&issuing_country=FRANCE", None, 400,
             "invalid_country"),
            (self.deu, "GET", "/v1/checks/SLTD?number=A1&issuing_country=FRA&colour=red", None,
             400, "unknown_field"),
            (self.deu, "GET", "/v1/checks/WOA?title=x", None, 400, "unknown_identifier"),
            (self.deu, "GET", "/v1/checks/NOPE?number=1", None, 404, "unknown_database"),
            (self.deu, "POST", "/v1/checks/SLTD", {"items": []}, 400, "invalid_request"),
        ]
        for who, method, path, body, status, code in cases:
            resp = self.call(who, method, path, body)
            self.assertError(resp, status, code)
            self.assertAudited(resp, code)
        self.assertEqual(self._count("records"), before)

    # ---- persons: name search and screening ---------------------------------------------

    def person(self, name: str, latin: str, dob: str, **extra) -> dict:
        fields = {"name": name, "name_latin": latin, "date_of_birth": dob, "sex": "M",
                  **extra.pop("fields", {})}
        return self.create(self.fra, fields, db="NOMINAL", **extra)

    def search(self, who: Principal, **query) -> hub.Response:
        return self.call(who, "POST", "/v1/search/NOMINAL", query)

    def test_name_search_across_scripts_with_explanations_and_restrictions(self):
        ivanov = self.person("Алексей Иванов", "Aleksei Ivanov", "1980-05-17",
                             fields={"nationalities": ["RUS"]}, action="Arrest; extradition sought")
        hassan = self.person("محمد الحسن", "Mohammed Al-Hassan", "1975",
                             restrictions={"visibility": "only", "countries": ["DEU"],
                                           "frontline": False})
        resp = self.search(self.deu, name="Aleksey Ivanov", date_of_birth="1980-05-17")
        self.assertEqual(resp.status, 200, resp.describe())
        top = resp.body["results"][0]
        self.assertEqual(top["record"]["id"], ivanov["id"])
        self.assertEqual(top["action"], "Arrest; extradition sought")
        self.assertGreaterEqual(top["score"], 0.75)
        self.assertEqual(top["explanation"]["date_of_birth"], "agree")
        self.assertTrue(top["explanation"]["tokens"])
        entry = self.assertAudited(resp, "ok", "POST /v1/search/{db}")
        self.assertIn(ivanov["id"], entry["object"])
        self.assertNotIn("Ivanov", entry["object"])

        found = lambda who: [r["record"]["id"] for r in  # noqa: E731
                             self.search(who, name="Mohamed Hassan").body["results"]]
        self.assertIn(hassan["id"], found(self.deu))
        self.assertNotIn(hassan["id"], found(self.ita))
        self.assertNotIn(hassan["id"], found(self.gs))

        self.assertError(self.search(self.deu, name=""), 400, "invalid_request")
        self.assertError(self.search(self.deu, name="x", limit=0), 400, "invalid_request")
        self.assertError(self.search(self.deu, name="1234"), 400, "empty_name")
        self.assertError(self.call(self.deu, "POST", "/v1/search/SLTD", {"name": "A B"}), 400,
                         "no_name_search")
        self.assertError(self.search(self.fra_customs, name="Ivanov"), 403, "missing_capability")

    def screen(self, who: Principal, travellers) -> hub.Response:
        return self.call(who, "POST", "/v1/screening", {"travellers": travellers})

    @staticmethod
    def lines(resp: hub.Response) -> list:
        body = resp.body if isinstance(resp.body, (bytes, str)) else json.dumps(resp.body)
        if isinstance(body, bytes):
            body = body.decode()
        return [json.loads(line) for line in body.splitlines() if line]

    def test_a_manifest_is_screened_in_order_and_streamed(self):
        stolen = self.create(self.fra, passport("SC0000001"))
        self.person("Алексей Смирнов", "Aleksei Smirnov", "1979-02-03")
        travellers = [
            {"document": {"number": "SC0000001", "issuing_country": "FRA"}, "name": "Jane Roe"},
            {"document": {"number": "SC0000002", "issuing_country": "FRA"},
             "name": "Alexey Smirnov", "date_of_birth": "1979-02-03"},
            {"document": {"number": "SC0000003", "issuing_country": "FRA"}, "name": "John Doe"},
            {"document": {"number": "bad#", "issuing_country": "FRA"}},
            {"seat": "12A"},
        ]
        resp = self.screen(self.ita, travellers)
        self.assertEqual(resp.status, 200, resp.describe())
        self.assertEqual(resp.headers.get("Transfer-Encoding"), "chunked")
        lines = self.lines(resp)
        self.assertEqual(lines[0], {"travellers": 5,
                                    "databases": ["SLTD", "NOMINAL", "NOTICES"]})
        results = lines[1:]
        self.assertEqual([r["index"] for r in results], [0, 1, 2, 3, 4])
        self.assertEqual(results[0]["document"]["matches"][0]["record"]["id"], stolen["id"])
        self.assertTrue(results[0]["alert"])
        self.assertFalse(results[1]["document"]["match"])
        self.assertEqual(results[1]["persons"][0]["record"]["fields"]["name_latin"], "Aleksei Smirnov")
        self.assertTrue(results[1]["alert"])
        self.assertEqual((results[2]["document"], results[2]["persons"], results[2]["alert"]),
                         ({"match": False}, [], False))
        self.assertEqual(results[3]["document"]["error"]["code"], "invalid_document_number")
        self.assertEqual(results[4]["error"]["code"], "invalid_request")
        entry = self.assertAudited(resp, "ok", "POST /v1/screening")
        self.assertEqual(entry["object"],
                         "screening of 5 traveller(s) against SLTD NOMINAL NOTICES")

        # A terminal holding only record.check:SLTD gets the document checks alone.
        lines = self.lines(self.screen(self.deu_terminal, travellers[:1]))
        self.assertEqual(lines[0]["databases"], ["SLTD"])
        self.assertNotIn("persons", lines[1])

        self.assertError(self.screen(self.ita, []), 400, "invalid_request")
        self.assertError(self.screen(self.ita, [{}] * 10001), 400, "invalid_request")
        self.assertError(self.screen(self.fra_customs, travellers), 403, "missing_capability")


class RecordIndexRestartTest(hub.HubTestCase):
    """The in-memory indexes survive restarts: a clean stop saves a snapshot that the next start
    loads; after SIGKILL the last snapshot plus the change feed give the same answers; a damaged
    snapshot is refused and the indexes are rebuilt from the store."""

    @classmethod
    def set_up_network(cls):
        cls.fra = cert_principal(cls.hub, "ncb-fra")
        cls.deu = cert_principal(cls.hub, "ncb-deu")

    def create(self, number: str) -> dict:
        resp = self.hub.request("POST", "/v1/records/SLTD", {"fields": passport(number)},
                                **self.fra.request_args())
        self.assertEqual(resp.status, 201, resp.describe())
        return resp.body

    def matches(self, numbers) -> list:
        items = [{"number": n, "issuing_country": "FRA"} for n in numbers]
        resp = self.hub.request("POST", "/v1/checks/SLTD", {"items": items},
                                **self.deu.request_args())
        self.assertEqual(resp.status, 200, resp.describe())
        return [r["match"] for r in resp.body["results"]]

    def restart(self, kill: bool = False) -> str:
        mark = len(self.hub.log_tail(100000).splitlines())
        if kill:
            self.hub.kill()
        else:
            self.assertEqual(self.hub.stop(), 0)
        self.hub.start()
        lines = self.hub.log_tail(100000).splitlines()[mark:]
        ready = [line for line in lines if "record indexes ready" in line]
        self.assertEqual(len(ready), 1, lines)
        return ready[0]

    def test_restarts_keep_every_answer(self):
        first = [self.create(f"RS{i:07d}") for i in range(20)]
        numbers = [f"RS{i:07d}" for i in range(25)]
        expected = [i < 20 for i in range(25)]
        self.assertEqual(self.matches(numbers), expected)

        self.assertIn("(snapshot)", self.restart())
        self.assertEqual(self.matches(numbers), expected)

        # Changes after the last snapshot, then SIGKILL: the feed brings them back.
        resp = self.hub.request("POST", f"/v1/records/SLTD/{first[0]['id']}/cancel",
                                {"version": 1, "reason": "found"}, **self.fra.request_args())
        self.assertEqual(resp.status, 200, resp.describe())
        self.create("RS0000021")
        expected[0], expected[21] = False, True
        self.assertIn("(snapshot)", self.restart(kill=True))
        self.assertEqual(self.matches(numbers), expected)

        # A damaged snapshot is not used: the indexes are rebuilt from the store.
        self.assertEqual(self.hub.stop(), 0)
        snapshots = os.path.join(self.hub.data_dir, "indexes")
        meta = [f for f in os.listdir(snapshots) if f.startswith("meta-")][0]
        with open(os.path.join(snapshots, meta), "r+b") as f:
            f.seek(100)
            f.write(b"\xff")
        self.hub.start()
        self.assertIn("snapshot not used", self.hub.log_tail(50))
        self.assertEqual(self.matches(numbers), expected)
