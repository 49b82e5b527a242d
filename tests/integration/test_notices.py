"""Notices and diffusions against the real server (issue 6): the life of every kind (draft,
automatic checks, review by the General Secretariat only, publication to every NCB, update,
cancellation); nothing unpublished visible to another country (404 like an absent notice) or
matchable; a published subject matching in checks at once and a cancelled one no more; a
diffusion reaching only its recipients and withdrawn after review; images refused when too large
or not JPEG/PNG; every refusal audited with nothing changed; the `ncbnet notice` CLI."""

import http.client
import json
import tempfile
import urllib.parse

import hub
from msgutil import Cli, Principal, cert_principal, events_of, parse_json

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64


def red_fields(name="Aleksandr Volkov", passport="754213986", dob="1984-07-12") -> dict:
    return {"name": name, "sex": "M", "date_of_birth": dob, "nationalities": ["RUS"],
            "identity_documents": [{"number": passport, "issuing_country": "RUS",
                                    "document_type": "passport"}],
            "facts": "Armed robbery of a jeweller's in Lyon on 3 March 2026.",
            "charges": ["armed robbery"], "warrant_reference": "MA-2026-0412",
            "warrant_date": "2026-03-20", "warrant_authority": "Tribunal judiciaire de Lyon",
            "maximum_penalty": "30 years' imprisonment", "extradition_assurance": True}


# The fields each kind needs to be submitted, and the prefix of its control numbers.
KINDS = {
    "red": (red_fields("Pavel Sokolov", "700000001", "1970-01-01"), "A-"),
    "yellow": ({"name": "Lea Martin", "sex": "F", "date_of_birth": "2014-05-02",
                "circumstances": "Missing since leaving school in Lille."}, "B-"),
    "blue": ({"name": "Tomas Novak", "information_sought": "Current whereabouts",
              "reasons": "Witness in a fraud case"}, "C-"),
    "black": ({"date_found": "2026-10-01", "place_found": "Port of Rotterdam",
               "physical_description": "Male, about 40, tattoo of an anchor"}, "D-"),
    "green": ({"name": "Karl Weber", "criminal_activities": "Serial online fraud",
               "warning": "Targets elderly people"}, "E-"),
    "orange": ({"threat_type": "object", "threat_description": "Parcel bombs sent by post",
                "precautions": "Do not open; call bomb squad"}, "F-"),
    "purple": ({"offence": "drug trafficking",
                "modus_operandi": "Cocaine in the frames of exported bicycles"}, "G-"),
    "silver": ({"name": "Marco Rossi", "criminal_activities": "Money laundering",
                "assets_sought": "Villas and yachts"}, "H-"),
    "un_special": ({"name": "Abu Example", "sanctions_committee": "1267 Committee",
                    "un_reference": "QDi.999", "sanctions": ["assets_freeze", "travel_ban"]},
                   "UN-"),
}


class NoticesTest(hub.HubTestCase):

    @classmethod
    def set_up_network(cls):
        h = cls.hub
        cls.cli = Cli(h)
        cls.gs = Principal("gs", token=h.admin_token())
        cls.fra = cert_principal(cls.hub, "ncb-fra")
        cls.deu = cert_principal(cls.hub, "ncb-deu")
        cls.ita = cert_principal(cls.hub, "ncb-ita")

    # ---- helpers ----------------------------------------------------------------------------

    def call(self, who: Principal, method: str, path: str, body=None, **kw) -> hub.Response:
        return self.hub.request(method, path, body, **who.request_args(), **kw)

    def ok(self, who: Principal, method: str, path: str, body=None, status=200) -> dict:
        resp = self.call(who, method, path, body)
        self.assertEqual(resp.status, status, resp.describe())
        return resp.body

    def draft(self, who: Principal, kind: str, fields: dict, **extra) -> dict:
        return self.ok(who, "POST", "/v1/notices", {"kind": kind, "fields": fields, **extra},
                       status=201)

    def published(self, kind: str, fields: dict, **extra) -> dict:
        n = self.draft(self.fra, kind, fields, **extra)
        self.ok(self.fra, "POST", f"/v1/notices/{n['id']}/submit", {})
        return self.ok(self.gs, "POST", f"/v1/notices/{n['id']}/review", {"decision": "approve"})

    def check_document(self, who: Principal, number: str, country="RUS") -> dict:
        query = urllib.parse.urlencode({"issuing_country": country, "number": number})
        return self.ok(who, "GET", f"/v1/checks/NOTICES?{query}")

    def hub_subjects(self, who: Principal) -> list:
        out = self.cli.client(who, "msg", "inbox", "--json")
        self.assertEqual(out.returncode, 0, out.stdout + out.stderr)
        return [e["message"]["subject"] for e in events_of(parse_json(out))
                if e.get("kind") == "message" and e["message"]["sender_agency"] == "gs"]

    def get_bytes(self, who: Principal, path: str):
        """Status, Content-Type and the raw bytes of a GET (hub.request decodes bodies as text)."""
        conn = http.client.HTTPSConnection("127.0.0.1", self.hub.port,
                                           context=self.hub.tls_context(who.cert))
        try:
            conn.request("GET", path)
            resp = conn.getresponse()
            return resp.status, resp.getheader("Content-Type"), resp.read()
        finally:
            conn.close()

    def count(self, table: str) -> int:
        return self.hub.db_rows(f"SELECT COUNT(*) AS n FROM {table}")[0]["n"]

    # ---- tests ------------------------------------------------------------------------------

    def test_red_notice_life_with_matching(self):
        n = self.draft(self.fra, "red", {"name": "Aleksandr Volkov", "sex": "M"})
        nid = n["id"]
        self.assertEqual(n["state"], "draft")
        # Incomplete: refused with every problem, still a draft, audited.
        resp = self.call(self.fra, "POST", f"/v1/notices/{nid}/submit", {})
        self.assertError(resp, 422, "notice_incomplete")
        self.assertAudited(resp, "notice_incomplete", "POST /v1/notices/{id}/submit")
        fields = {p["field"] for p in resp.body["problems"]}
        self.assertTrue({"date_of_birth", "facts", "charges", "warrant_reference",
                         "maximum_penalty", "extradition_assurance"} <= fields, fields)
        self.assertNotIn("name", fields)
        self.assertEqual(self.ok(self.fra, "GET", f"/v1/notices/{nid}")["state"], "draft")
        # Unpublished: absent to another NCB and to the GS while a draft.
        for who in (self.deu, self.gs):
            self.assertError(self.call(who, "GET", f"/v1/notices/{nid}"), 404, "notice_not_found")
        self.assertError(self.call(self.deu, "GET", "/v1/notices/ntc_absent"), 404,
                         "notice_not_found")
        self.ok(self.fra, "PUT", f"/v1/notices/{nid}", {"fields": red_fields()})
        self.ok(self.fra, "POST", f"/v1/notices/{nid}/submit", {})
        # Not matchable before publication.
        self.assertFalse(self.check_document(self.deu, "754213986")["match"])
        # Only the GS reviews: the route's rule refuses anyone else before any notice is read,
        # so the refusal is the same whether the caller sees the notice or not.
        self.assertError(self.call(self.fra, "POST", f"/v1/notices/{nid}/review",
                                   {"decision": "approve"}), 403, "missing_capability")
        self.assertError(self.call(self.deu, "POST", f"/v1/notices/{nid}/review",
                                   {"decision": "approve"}), 403, "missing_capability")
        back = self.ok(self.gs, "POST", f"/v1/notices/{nid}/review",
                       {"decision": "request_info", "reasons": "Give the warrant's court"})
        self.assertEqual(back["state"], "info_requested")
        self.ok(self.fra, "POST", f"/v1/notices/{nid}/submit", {})
        queue = self.ok(self.gs, "GET", "/v1/notices?scope=review")["notices"]
        self.assertIn(nid, [x["id"] for x in queue])
        p = self.ok(self.gs, "POST", f"/v1/notices/{nid}/review", {"decision": "approve"})
        self.assertEqual(p["state"], "published")
        self.assertTrue(p["control_number"].startswith("A-"), p)
        # Every NCB is told and sees it; the subject matches in checks at once.
        self.assertTrue(any(p["control_number"] in s and "published" in s
                            for s in self.hub_subjects(self.deu)))
        seen = self.ok(self.deu, "GET", f"/v1/notices/{nid}")
        self.assertEqual(seen["fields"]["name"], "Aleksandr Volkov")
        self.assertNotIn("findings", seen)
        live = self.ok(self.ita, "GET", "/v1/notices?scope=live")["notices"]
        self.assertIn(nid, [x["id"] for x in live])
        hit = self.check_document(self.deu, "754213986")
        self.assertTrue(hit["match"], hit)
        match = hit["matches"][0]["record"]
        self.assertEqual(match["database"], "NOTICES")
        self.assertEqual(match["owner_country"], "FRA")
        self.assertEqual(match["fields"]["control_number"], p["control_number"])
        self.assertIn(p["control_number"], match["action"])
        # Only the requesting country changes it.
        resp = self.call(self.deu, "POST", f"/v1/notices/{nid}/update",
                         {"fields": red_fields(name="Someone Else")})
        self.assertError(resp, 403, "not_requesting_country")
        self.assertAudited(resp, "not_requesting_country")
        self.assertError(self.call(self.deu, "POST", f"/v1/notices/{nid}/cancel", {}), 403,
                         "not_requesting_country")
        # An update is reviewed before it takes effect.
        self.ok(self.fra, "POST", f"/v1/notices/{nid}/update",
                {"fields": red_fields(passport="754213999")})
        self.assertTrue(self.check_document(self.deu, "754213986")["match"])
        self.ok(self.gs, "POST", f"/v1/notices/{nid}/review", {"decision": "approve"})
        self.assertFalse(self.check_document(self.deu, "754213986")["match"])
        self.assertTrue(self.check_document(self.deu, "754213999")["match"])
        # Cancelled: stops matching at once, gone for others, history kept for the requester.
        c = self.ok(self.fra, "POST", f"/v1/notices/{nid}/cancel", {"reason": "Arrested"})
        self.assertEqual(c["state"], "cancelled")
        self.assertFalse(self.check_document(self.deu, "754213999")["match"])
        self.assertError(self.call(self.deu, "GET", f"/v1/notices/{nid}"), 404, "notice_not_found")
        actions = [e["action"] for e in
                   self.ok(self.fra, "GET", f"/v1/notices/{nid}/history")["events"]]
        self.assertEqual(actions, ["create", "edit", "submit", "request_info", "submit", "approve",
                                   "propose_update", "update", "cancel"])

    def test_every_kind_is_published_with_its_prefix(self):
        for kind, (fields, prefix) in KINDS.items():
            with self.subTest(kind):
                p = self.published(kind, fields)
                self.assertEqual(p["state"], "published", p)
                self.assertTrue(p["control_number"].startswith(prefix), p)
                self.assertEqual(self.ok(self.ita, "GET", f"/v1/notices/{p['id']}")["kind"], kind)

    def test_bad_requests_change_nothing(self):
        before = self.count("notices")
        resp = self.call(self.fra, "POST", "/v1/notices", {"kind": "pink", "fields": {}})
        self.assertError(resp, 400, "unknown_notice_kind")
        self.assertAudited(resp, "unknown_notice_kind")
        self.assertError(self.call(self.fra, "POST", "/v1/notices",
                                   {"kind": "red", "fields": {"sex": "X"}}), 400, "invalid_notice")
        self.assertError(self.call(self.fra, "POST", "/v1/notices",
                                   {"kind": "red", "fields": {}, "colour": 1}), 400,
                         "invalid_notice")
        self.assertError(self.call(self.gs, "POST", "/v1/notices", {"kind": "red", "fields": {}}),
                         403, "not_requesting_country")
        self.assertEqual(self.count("notices"), before)
        n = self.draft(self.fra, "purple", KINDS["purple"][0])
        self.assertError(self.call(self.gs, "POST", f"/v1/notices/{n['id']}/review",
                                   {"decision": "approve"}), 404, "notice_not_found")
        self.ok(self.fra, "POST", f"/v1/notices/{n['id']}/submit", {})
        self.assertError(self.call(self.gs, "POST", f"/v1/notices/{n['id']}/review",
                                   {"decision": "reject"}), 400, "invalid_notice")
        self.assertError(self.call(self.gs, "POST", f"/v1/notices/{n['id']}/review",
                                   {"decision": "maybe"}), 400, "invalid_request")
        self.assertError(self.call(self.fra, "POST", f"/v1/notices/{n['id']}/submit", {}), 409,
                         "invalid_transition")
        r = self.ok(self.gs, "POST", f"/v1/notices/{n['id']}/review",
                    {"decision": "reject", "reasons": "Insufficient description"})
        self.assertEqual(r["state"], "rejected")
        self.assertError(self.call(self.deu, "GET", f"/v1/notices/{n['id']}"), 404,
                         "notice_not_found")

    def test_diffusion_to_chosen_countries_withdrawn_after_review(self):
        fields = red_fields("Marc Dubois", "12AB34567", "1975-06-01")
        fields["identity_documents"][0]["issuing_country"] = "FRA"
        d = self.ok(self.fra, "POST", "/v1/diffusions",
                    {"kind": "red", "fields": fields, "recipients": ["DEU"]}, status=201)
        did = d["id"]
        self.assertError(self.call(self.deu, "GET", f"/v1/diffusions/{did}"), 404,
                         "notice_not_found")
        c = self.ok(self.fra, "POST", f"/v1/diffusions/{did}/circulate", {})
        self.assertEqual(c["state"], "circulated")
        self.assertTrue(c["control_number"].startswith("DIF-"), c)
        self.assertEqual(self.ok(self.deu, "GET", f"/v1/diffusions/{did}")["recipients"], ["DEU"])
        self.assertError(self.call(self.ita, "GET", f"/v1/diffusions/{did}"), 404,
                         "notice_not_found")
        self.assertTrue(self.check_document(self.deu, "12AB34567", "FRA")["match"])
        self.assertFalse(self.check_document(self.ita, "12AB34567", "FRA")["match"])
        self.assertTrue(any("circulated" in s for s in self.hub_subjects(self.deu)))
        self.assertFalse(any(c["control_number"] in s for s in self.hub_subjects(self.ita)))
        # Reviewed after circulation: found non-compliant, withdrawn from every recipient.
        self.assertError(self.call(self.deu, "POST", f"/v1/diffusions/{did}/review",
                                   {"decision": "non_compliant", "reasons": "x"}), 403,
                         "missing_capability")
        queue = self.ok(self.gs, "GET", "/v1/diffusions?scope=review")["diffusions"]
        self.assertIn(did, [x["id"] for x in queue])
        w = self.ok(self.gs, "POST", f"/v1/diffusions/{did}/review",
                    {"decision": "non_compliant", "reasons": "No judicial decision attached"})
        self.assertEqual(w["state"], "withdrawn")
        self.assertError(self.call(self.deu, "GET", f"/v1/diffusions/{did}"), 404,
                         "notice_not_found")
        self.assertFalse(self.check_document(self.deu, "12AB34567", "FRA")["match"])
        self.assertTrue(any("withdrawn as non-compliant" in s for s in self.hub_subjects(self.deu)))
        self.assertTrue(any("withdrawn as non-compliant" in s for s in self.hub_subjects(self.fra)))

    def test_images(self):
        n = self.draft(self.fra, "yellow", KINDS["yellow"][0], public_consent=True)
        path = f"/v1/notices/{n['id']}/images"
        big = self.call(self.fra, "POST", path, raw_body=JPEG + b"\x00" * (2 << 20),
                        content_type="image/jpeg")
        self.assertError(big, 413, "image_too_large")
        self.assertAudited(big, "image_too_large")
        gif = self.call(self.fra, "POST", path, raw_body=b"GIF89a" + b"\x00" * 64,
                        content_type="image/png")
        self.assertError(gif, 415, "unsupported_image")
        self.assertError(self.call(self.fra, "POST", path, raw_body=PNG, content_type="image/gif"),
                         415, "unsupported_image")
        self.assertError(self.call(self.deu, "POST", path, raw_body=PNG, content_type="image/png"),
                         404, "notice_not_found")
        resp = self.call(self.fra, "POST", path, raw_body=PNG, content_type="image/png")
        self.assertEqual(resp.status, 201, resp.describe())
        added = resp.body
        self.assertEqual(added["media_type"], "image/png")
        self.ok(self.fra, "POST", f"/v1/notices/{n['id']}/submit", {})
        self.ok(self.gs, "POST", f"/v1/notices/{n['id']}/review", {"decision": "approve"})
        status, media_type, body = self.get_bytes(self.ita, f"{path}/{added['seq']}")
        self.assertEqual((status, media_type, body), (200, "image/png", PNG))
        self.assertError(self.call(self.ita, "GET", f"{path}/9"), 404, "image_not_found")

    def test_cli(self):
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
            json.dump(KINDS["green"][0], f)
        out = self.cli.client(self.fra, "notice", "draft", "--kind", "green", "--fields", f.name,
                              "--json")
        self.assertEqual(out.returncode, 0, out.stdout + out.stderr)
        nid = parse_json(out)["id"]
        out = self.cli.client(self.fra, "notice", "submit", nid)
        self.assertEqual(out.returncode, 0, out.stdout + out.stderr)
        self.assertIn("under_review", out.stdout)
        out = self.cli.client(self.deu, "notice", "review", nid, "--decision", "approve")
        self.assertEqual(out.returncode, 1)
        self.assertIn("missing_capability", out.stderr)
        out = self.cli.client(self.gs, "notice", "review", nid, "--decision", "approve", "--json")
        self.assertEqual(out.returncode, 0, out.stdout + out.stderr)
        self.assertEqual(parse_json(out)["state"], "published")
        out = self.cli.client(self.deu, "notice", "list", "--scope", "live", "--kind", "green")
        self.assertEqual(out.returncode, 0, out.stdout + out.stderr)
        self.assertIn(nid, out.stdout)
        # An incomplete draft: each problem on stderr.
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
            json.dump({"name": "Nobody"}, f)
        out = self.cli.client(self.fra, "notice", "draft", "--kind", "silver", "--fields", f.name,
                              "--json")
        sid = parse_json(out)["id"]
        out = self.cli.client(self.fra, "notice", "submit", sid)
        self.assertEqual(out.returncode, 1)
        self.assertIn("notice_incomplete", out.stderr)
        self.assertIn("assets_sought: missing", out.stderr)
        out = self.cli.client(self.fra, "notice", "cancel", nid, "--reason", "obsolete")
        self.assertEqual(out.returncode, 0, out.stdout + out.stderr)
        self.assertIn("cancelled", out.stdout)

    def test_gs_suspends_resumes_extends_and_withdraws(self):
        p = self.published("red", red_fields("Igor Petrenko", "800000042", "1977-05-05"))
        nid = p["id"]
        self.assertTrue(self.check_document(self.deu, "800000042")["match"])
        self.assertError(self.call(self.fra, "POST", f"/v1/notices/{nid}/suspend", {}), 403,
                         "missing_capability")
        s = self.ok(self.gs, "POST", f"/v1/notices/{nid}/suspend", {"reason": "Re-examination"})
        self.assertEqual(s["state"], "suspended")
        self.assertFalse(self.check_document(self.deu, "800000042")["match"])
        self.assertError(self.call(self.deu, "GET", f"/v1/notices/{nid}"), 404, "notice_not_found")
        self.assertError(self.call(self.fra, "POST", f"/v1/notices/{nid}/extend", {}), 409,
                         "invalid_transition")
        r = self.ok(self.gs, "POST", f"/v1/notices/{nid}/resume", {})
        self.assertEqual((r["state"], r["control_number"]), ("published", p["control_number"]))
        self.assertTrue(self.check_document(self.deu, "800000042")["match"])
        e = self.ok(self.fra, "POST", f"/v1/notices/{nid}/extend", {})
        self.assertEqual(e["pending_action"], "extend")
        self.assertEqual(e["expires"], p["expires"])
        queue = self.ok(self.gs, "GET", "/v1/notices?scope=review")["notices"]
        self.assertIn(nid, [x["id"] for x in queue])
        x = self.ok(self.gs, "POST", f"/v1/notices/{nid}/review", {"decision": "approve"})
        self.assertIsNone(x["pending_action"])
        self.assertGreaterEqual(x["expires"], p["expires"])
        w = self.ok(self.gs, "POST", f"/v1/notices/{nid}/withdraw",
                    {"reason": "Not compliant with Article 83"})
        self.assertEqual(w["state"], "withdrawn")
        self.assertFalse(self.check_document(self.deu, "800000042")["match"])
        self.assertTrue(any(p["control_number"] in s and "withdrawn" in s
                            for s in self.hub_subjects(self.ita)))
