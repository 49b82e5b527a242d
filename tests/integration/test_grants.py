"""Agencies and grants against the real server: a call without the needed grant, a grant
beyond the grantor's own, a grant outside the grantor's branch, a self grant, and a
revocation that cascades down three levels (NCB -> agency -> terminal). Each refusal is
checked for its status, its error code and its audit entry."""

import unittest

import hub


class GrantsTest(hub.HubTestCase):

    @classmethod
    def set_up_network(cls):
        h = cls.hub
        gs = h.admin_token()
        h.create_user(gs, "ncb-fra", "it.fra.admin")
        cls.fra = h.login("it.fra.admin", hub.USER_PASSWORD)

    def new_agency_with_user(self, parent_id: str, token: str, kind: str = "agency"):
        """Creates an agency (or terminal) under `parent_id` and a user in it; returns the
        agency and a session token of that user."""
        agency = self.hub.create_agency(token, parent_id, kind)
        self.assertEqual(agency["parent_id"], parent_id)
        self.assertEqual(agency["kind"], kind)
        user = self.hub.create_user(token, agency["id"])
        return agency, self.hub.login(user["name"], hub.USER_PASSWORD)

    def grants_of(self, agency_id: str, token: str) -> dict:
        resp = self.hub.request("GET", f"/v1/grants?agency_id={agency_id}", token=token)
        self.assertEqual(resp.status, 200, resp.describe())
        return {g["id"]: g for g in resp.body["grants"]}

    def capabilities(self, token: str) -> list:
        resp = self.hub.request("GET", "/v1/me", token=token)
        self.assertEqual(resp.status, 200, resp.describe())
        return resp.body["capabilities"]

    def test_call_without_needed_grant_is_forbidden(self):
        _, user = self.new_agency_with_user("ncb-fra", self.fra)
        resp = self.hub.request("GET", "/v1/agencies", token=user)
        self.assertError(resp, 403, "missing_capability")
        self.assertIn("agency.admin", resp.body["error"]["message"])
        self.assertAudited(resp, "missing_capability", "GET /v1/agencies")

        # The NCB's administrator may; it sees its branch only.
        resp = self.hub.request("GET", "/v1/agencies", token=self.fra)
        self.assertEqual(resp.status, 200, resp.describe())
        ids = {a["id"] for a in resp.body["agencies"]}
        self.assertIn("ncb-fra", ids)
        self.assertNotIn("gs", ids)
        self.assertNotIn("ncb-deu", ids)
        self.assertAudited(resp, "ok", "GET /v1/agencies")

    def test_grant_beyond_own_is_forbidden(self):
        agency, _ = self.new_agency_with_user("ncb-fra", self.fra)
        resp = self.hub.request("POST", "/v1/grants",
                                {"agency_id": agency["id"], "capability": "notice.review"},
                                token=self.fra)
        self.assertError(resp, 403, "grant_exceeds_own")
        self.assertAudited(resp, "grant_exceeds_own", "POST /v1/grants")
        self.assertEqual(self.grants_of(agency["id"], self.fra), {})

    def test_grant_to_own_agency_is_forbidden(self):
        resp = self.hub.request("POST", "/v1/grants",
                                {"agency_id": "ncb-fra", "capability": "message.send"},
                                token=self.fra)
        self.assertError(resp, 403, "self_grant")
        self.assertAudited(resp, "self_grant", "POST /v1/grants")

    def test_unknown_capability_is_refused(self):
        agency, _ = self.new_agency_with_user("ncb-fra", self.fra)
        resp = self.hub.request("POST", "/v1/grants",
                                {"agency_id": agency["id"], "capability": "record.check:NOPE"},
                                token=self.fra)
        self.assertError(resp, 400, "unknown_capability")
        self.assertAudited(resp, "unknown_capability", "POST /v1/grants")

    def test_grant_to_another_ncbs_agency_is_not_found(self):
        german = self.hub.create_agency(self.hub.admin_token(), "ncb-deu")
        resp = self.hub.request("POST", "/v1/grants",
                                {"agency_id": german["id"], "capability": "record.check:SLTD"},
                                token=self.fra)
        self.assertError(resp, 404, "agency_not_found")
        self.assertAudited(resp, "agency_not_found", "POST /v1/grants")

        resp = self.hub.request("GET", f"/v1/agencies/{german['id']}", token=self.fra)
        self.assertError(resp, 404, "agency_not_found")

        resp = self.hub.request("POST", "/v1/agencies",
                                {"parent_id": "ncb-deu", "kind": "agency", "name": "Intruder"},
                                token=self.fra)
        self.assertError(resp, 404, "agency_not_found")
        self.assertAudited(resp, "agency_not_found", "POST /v1/agencies")

    def test_revocation_cascades_down_the_tree(self):
        # NCB -> agency A: agency.admin and record.check:SLTD.
        agency, agency_user = self.new_agency_with_user("ncb-fra", self.fra)
        self.hub.grant(self.fra, agency["id"], "agency.admin")
        sltd_a = self.hub.grant(self.fra, agency["id"], "record.check:SLTD")
        self.assertEqual(sltd_a["granted_by_agency"], "ncb-fra")
        self.assertIsNotNone(sltd_a["parent_id"])

        # A -> terminal T under A: record.check:SLTD, derived from A's grant.
        terminal, terminal_user = self.new_agency_with_user(agency["id"], agency_user,
                                                            kind="terminal")
        sltd_t = self.hub.grant(agency_user, terminal["id"], "record.check:SLTD")
        self.assertEqual(sltd_t["parent_id"], sltd_a["id"])
        self.assertIn("record.check:SLTD", self.capabilities(terminal_user))

        # The NCB revokes A's grant: T's goes with it.
        resp = self.hub.request("DELETE", f"/v1/grants/{sltd_a['id']}", token=self.fra)
        self.assertEqual(resp.status, 200, resp.describe())
        self.assertEqual(set(resp.body["revoked"]), {sltd_a["id"], sltd_t["id"]})
        entry = self.assertAudited(resp, "ok")
        self.assertTrue(entry["action"].startswith("DELETE /v1/grants/"), entry)
        # The object names the grant revoked; the hub also lists the cascade there.
        self.assertTrue(entry["object"].startswith(sltd_a["id"]), entry)

        self.assertIsNotNone(self.grants_of(terminal["id"], self.fra)[sltd_t["id"]]["revoked_at"])
        self.assertIsNotNone(self.grants_of(agency["id"], self.fra)[sltd_a["id"]]["revoked_at"])
        self.assertNotIn("record.check:SLTD", self.capabilities(terminal_user))
        self.assertNotIn("record.check:SLTD", self.capabilities(agency_user))
        self.assertIn("agency.admin", self.capabilities(agency_user))

        # A terminal cannot revoke; an NCB cannot revoke a grant outside its branch.
        resp = self.hub.request("DELETE", f"/v1/grants/{sltd_t['id']}", token=terminal_user)
        self.assertError(resp, 403, "missing_capability")
        german = self.hub.create_agency(self.hub.admin_token(), "ncb-deu")
        deu_grant = self.hub.grant(self.hub.admin_token(), german["id"], "message.send")
        resp = self.hub.request("DELETE", f"/v1/grants/{deu_grant['id']}", token=self.fra)
        self.assertError(resp, 404, "grant_not_found")
        self.assertAudited(resp, "grant_not_found")

    def test_agency_create_errors(self):
        resp = self.hub.request("POST", "/v1/agencies",
                                {"parent_id": "ncb-fra", "kind": "ncb", "name": "Second NCB"},
                                token=self.fra)
        self.assertError(resp, 400, "invalid_request")
        self.assertAudited(resp, "invalid_request", "POST /v1/agencies")

        terminal = self.hub.create_agency(self.fra, "ncb-fra", "terminal")
        resp = self.hub.request("POST", "/v1/agencies",
                                {"parent_id": terminal["id"], "kind": "agency", "name": "Below"},
                                token=self.fra)
        self.assertError(resp, 400, "invalid_parent")
        self.assertAudited(resp, "invalid_parent", "POST /v1/agencies")

    def test_user_create_errors(self):
        resp = self.hub.request("POST", "/v1/agencies/ncb-fra/users",
                                {"name": "it.fra.admin", "display_name": "Again",
                                 "password": hub.USER_PASSWORD}, token=self.fra)
        self.assertError(resp, 409, "user_exists")
        self.assertAudited(resp, "user_exists")

        resp = self.hub.request("POST", "/v1/agencies/ncb-fra/users",
                                {"name": "it.fra.weak", "display_name": "Weak",
                                 "password": "short"}, token=self.fra)
        self.assertError(resp, 400, "weak_password")
        self.assertAudited(resp, "weak_password")


if __name__ == "__main__":
    unittest.main()
