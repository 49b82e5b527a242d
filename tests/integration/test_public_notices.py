"""The public extracts of notices against the real server (issue 6, item 4): no
authentication; only published notices whose requesting country consented (UN Special Notices
always), with only their kind's public fields and images; gone the moment the notice is
cancelled; search by name in any script, nationality, age, requesting country, kind and sex;
bad parameters refused with a precise code; each source rate limited (429 with Retry-After),
and audited, a run of refusals once."""

import http.client

import hub
from msgutil import Principal, cert_principal
from test_notices import KINDS, PNG, red_fields


class PublicNoticesTest(hub.HubTestCase):
    CONFIG = {"public_burst": 10000, "public_requests_per_minute": 100000}

    @classmethod
    def set_up_network(cls):
        h = cls.hub
        cls.gs = Principal("gs", token=h.admin_token())
        cls.fra = cert_principal(h, "ncb-fra")

    # ---- helpers ----------------------------------------------------------------------------

    def ok(self, who, method, path, body=None, status=200, **kw) -> dict:
        resp = self.hub.request(method, path, body, **who.request_args(), **kw)
        self.assertEqual(resp.status, status, resp.describe())
        return resp.body

    def draft(self, kind, fields, **extra) -> dict:
        return self.ok(self.fra, "POST", "/v1/notices", {"kind": kind, "fields": fields, **extra},
                       status=201)

    def publish(self, notice) -> dict:
        self.ok(self.fra, "POST", f"/v1/notices/{notice['id']}/submit", {})
        return self.ok(self.gs, "POST", f"/v1/notices/{notice['id']}/review",
                       {"decision": "approve"})

    def public(self, path: str) -> hub.Response:
        return self.hub.request("GET", path)  # no token, no certificate

    def search(self, query: str = "") -> set:
        resp = self.public("/v1/public/notices" + query)
        self.assertEqual(resp.status, 200, resp.describe())
        self.assertEqual(resp.body["total"], len(resp.body["notices"]), resp.body)
        return {n["control_number"] for n in resp.body["notices"]}

    def image(self, path: str):
        conn = http.client.HTTPSConnection("127.0.0.1", self.hub.port,
                                           context=self.hub.tls_context())
        try:
            conn.request("GET", path)
            resp = conn.getresponse()
            return resp.status, resp.getheader("Content-Type"), resp.read()
        finally:
            conn.close()

    # ---- tests ------------------------------------------------------------------------------

    def test_only_live_consented_notices_with_their_public_fields(self):
        yellow = self.draft("yellow", {**KINDS["yellow"][0], "name": "Chloé Dubois",
                                       "nationalities": ["FRA"]}, public_consent=True)
        self.ok(self.fra, "POST", f"/v1/notices/{yellow['id']}/images", raw_body=PNG,
                content_type="image/png", status=201)
        yellow = self.publish(yellow)
        secret_red = self.publish(self.draft("red", red_fields("Ivan Petrov", "710000001")))
        consented_red = self.publish(self.draft("red", red_fields("Oleg Smirnov", "710000002"),
                                                public_consent=True))
        un = self.publish(self.draft("un_special", {**KINDS["un_special"][0],
                                                    "name": "Abu Sample"}))
        pending = self.draft("red", red_fields("Boris Lebedev", "710000003"),
                             public_consent=True)
        self.ok(self.fra, "POST", f"/v1/notices/{pending['id']}/submit", {})

        listed = self.search("?requesting_country=FRA")
        self.assertTrue({yellow["control_number"], consented_red["control_number"],
                         un["control_number"]} <= listed, listed)
        self.assertNotIn(secret_red["control_number"], listed)
        for absent in (secret_red["id"], pending["id"], "ntc_nosuchnotice"):
            resp = self.public(f"/v1/public/notices/{absent}")
            self.assertError(resp, 404, "notice_not_found")

        extract = self.public(f"/v1/public/notices/{consented_red['id']}").body
        self.assertEqual((extract["control_number"], extract["kind"], extract["requesting_country"]),
                         (consented_red["control_number"], "red", "FRA"))
        self.assertEqual(extract["name"], "Oleg Smirnov")
        self.assertEqual(extract["charges"], ["armed robbery"])
        for private in ("identity_documents", "facts", "warrant_reference", "warrant_authority",
                        "extradition_assurance", "findings", "record_id", "state"):
            self.assertNotIn(private, extract)

        child = self.public(f"/v1/public/notices/{yellow['id']}").body
        self.assertEqual(child["images"], [{"seq": 1, "media_type": "image/png"}])
        self.assertNotIn("circumstances", child)
        status, media_type, body = self.image(f"/v1/public/notices/{yellow['id']}/images/1")
        self.assertEqual((status, media_type, body), (200, "image/png", PNG))
        status, _, _ = self.image(f"/v1/public/notices/{secret_red['id']}/images/1")
        self.assertEqual(status, 404)

        # Cancelled by its requesting country: gone at once, images included.
        self.ok(self.fra, "POST", f"/v1/notices/{yellow['id']}/cancel", {"reason": "Found safe"})
        self.assertError(self.public(f"/v1/public/notices/{yellow['id']}"), 404,
                         "notice_not_found")
        status, _, _ = self.image(f"/v1/public/notices/{yellow['id']}/images/1")
        self.assertEqual(status, 404)
        self.assertNotIn(yellow["control_number"], self.search())

    def test_search_filters(self):
        lena = self.publish(self.draft("yellow", {**KINDS["yellow"][0], "name": "Lena Kowalska",
                                                  "sex": "F", "date_of_birth": "2013-04-02",
                                                  "nationalities": ["POL"]},
                                       public_consent=True))
        karim = self.publish(self.draft("red", {**red_fields("Karim Benali Haddad", "720000001",
                                                             "1979-11-30"),
                                                "nationalities": ["DZA", "FRA"]},
                                        public_consent=True))
        lc, kc = lena["control_number"], karim["control_number"]
        cases = [
            ("?name=kowalska", {lc}, set()),
            ("?name=LENA%20kowal", {lc}, {kc}),
            ("?name=%D0%9B%D0%B5%D0%BD%D0%B0", {lc}, {kc}),  # Лена, in Cyrillic
            ("?name=haddad%20karim", {kc}, {lc}),  # any order, any token
            ("?name=k", {kc, lc}, set()),         # a prefix of Karim and of Kowalska
            ("?nationality=DZA", {kc}, {lc}),
            ("?nationality=FRA&name=karim", {kc}, set()),
            ("?kind=yellow&name=lena", {lc}, {kc}),
            ("?sex=F&name=lena", {lc}, set()),
            ("?sex=M&name=lena", set(), {lc}),
            ("?age_min=10&age_max=14&name=lena", {lc}, set()),
            ("?age_min=30&name=lena", set(), {lc}),
            ("?age_min=40&age_max=50&name=karim", {kc}, set()),
            ("?requesting_country=DEU&name=karim", set(), {kc}),
        ]
        for query, present, absent in cases:
            with self.subTest(query=query):
                found = self.search(query)
                self.assertTrue(present <= found, found)
                self.assertFalse(absent & found, found)
        first = self.public("/v1/public/notices?name=k&age_max=60&limit=1").body
        second = self.public("/v1/public/notices?name=k&age_max=60&limit=1&offset=1").body
        self.assertEqual((first["total"], len(first["notices"]), len(second["notices"])), (2, 1, 1))
        self.assertNotEqual(first["notices"][0]["id"], second["notices"][0]["id"])

    def test_bad_parameters(self):
        for query, code in (("nationality=XX", "invalid_request"),
                            ("requesting_country=fra1", "invalid_request"),
                            ("kind=pink", "unknown_notice_kind"),
                            ("sex=X", "invalid_request"),
                            ("age_min=200", "invalid_request"),
                            ("age_min=40&age_max=30", "invalid_request"),
                            ("limit=0", "invalid_request"),
                            ("offset=-1", "invalid_request"),
                            ("name=" + "a" * 201, "invalid_request"),
                            ("name=%20%20", "empty_name"),
                            ("name=%ZZ", "invalid_query")):
            with self.subTest(query=query):
                resp = self.public("/v1/public/notices?" + query)
                self.assertError(resp, 400, code)
                self.assertAudited(resp, code, "GET /v1/public/notices")
        status, _, _ = self.image("/v1/public/notices/ntc_x/images/abc")
        self.assertEqual(status, 404)

    def test_answers_are_audited(self):
        resp = self.public("/v1/public/notices?nationality=POL")
        self.assertEqual(resp.status, 200, resp.describe())
        entry = self.assertAudited(resp, "ok", "GET /v1/public/notices")
        self.assertIn("nationality=POL", entry["object"])


class PublicRateLimitTest(hub.HubTestCase):
    CONFIG = {"public_burst": 3, "public_requests_per_minute": 1}

    def test_a_source_over_its_rate_is_refused_and_audited_once(self):
        for _ in range(3):
            self.assertEqual(self.hub.request("GET", "/v1/public/notices").status, 200)
        refused = [self.hub.request("GET", "/v1/public/notices/ntc_any") for _ in range(3)]
        for resp in refused:
            self.assertError(resp, 429, "rate_limited")
            self.assertGreaterEqual(int(resp.headers.get("Retry-After")), 1)
        self.assertAudited(refused[0], "rate_limited")
        outcomes = [e["outcome"] for e in self.hub.audit_rows()
                    if e["action"].startswith("GET /v1/public/")]
        self.assertEqual(outcomes.count("denied:rate_limited"), 1, outcomes)
        # Authenticated routes are not limited by it.
        self.assertEqual(self.hub.request("GET", "/healthz").status, 200)


if __name__ == "__main__":
    import unittest
    unittest.main()
