"""Named country groups against the real server: the General Secretariat defines, replaces and
deletes them (PUT/DELETE /v1/country-groups/{name}), an NCB administrator may not, anyone reads
them; a message addressed to a group (to.groups, format v2) reaches the NCB of each member
country once, its signature verifies offline and with the independent Python signer; an unknown
group refuses the whole message and stores nothing. Every call is checked for its audit entry.
The `ncbnet group` CLI is driven too."""

import json
import os

import hub
import msgutil
import test_messaging
from msgutil import Principal


class CountryGroupsTest(test_messaging.MessagingTestCase):

    @classmethod
    def set_up_network(cls):
        super().set_up_network()
        h = cls.hub
        h.create_user(h.admin_token(), "ncb-fra", "it.fra.groupadmin")
        cls.fra_admin = Principal("ncb-fra",
                                  token=h.login("it.fra.groupadmin", hub.USER_PASSWORD))

    def put(self, who: Principal, name: str, body) -> hub.Response:
        return self.hub.request("PUT", f"/v1/country-groups/{name}", body, **who.request_args())

    def delete(self, who: Principal, name: str) -> hub.Response:
        return self.hub.request("DELETE", f"/v1/country-groups/{name}", **who.request_args())

    def group_rows(self) -> dict:
        return {t: self.hub.db_rows(f"SELECT count(*) AS n FROM {t}")[0]["n"]
                for t in ("country_groups", "country_group_members")}

    def test_gs_defines_replaces_and_deletes_a_group(self):
        resp = self.put(self.gs, "it-benelux", {"description": "Benelux",
                                                "countries": ["NLD", "BEL", "LUX", "BEL"]})
        self.assertEqual(resp.status, 201, resp.describe())
        self.assertEqual(resp.body["countries"], ["BEL", "LUX", "NLD"])
        self.assertEqual(resp.body["description"], "Benelux")
        entry = self.assertAudited(resp, "ok", "PUT /v1/country-groups/{name}")
        self.assertEqual(entry["object"], "it-benelux created: BEL LUX NLD")

        # Any authenticated principal reads it: an NCB system with its certificate.
        resp = self.get(self.esp, "/v1/country-groups/it-benelux")
        self.assertEqual(resp.status, 200, resp.describe())
        self.assertEqual(resp.body["countries"], ["BEL", "LUX", "NLD"])
        self.assertAudited(resp, "ok", "GET /v1/country-groups/{name}")
        resp = self.get(self.esp, "/v1/country-groups")
        self.assertEqual(resp.status, 200, resp.describe())
        self.assertIn("it-benelux", [g["name"] for g in resp.body["groups"]])
        self.assertAudited(resp, "ok", "GET /v1/country-groups")

        resp = self.put(self.gs, "it-benelux", {"countries": ["NLD"]})
        self.assertEqual(resp.status, 200, resp.describe())
        self.assertEqual((resp.body["countries"], resp.body["description"]), (["NLD"], ""))
        entry = self.assertAudited(resp, "ok", "PUT /v1/country-groups/{name}")
        self.assertEqual(entry["object"], "it-benelux replaced: NLD")

        resp = self.delete(self.gs, "it-benelux")
        self.assertEqual(resp.status, 200, resp.describe())
        self.assertAudited(resp, "ok", "DELETE /v1/country-groups/{name}")
        resp = self.get(self.esp, "/v1/country-groups/it-benelux")
        self.assertError(resp, 404, "group_not_found")
        self.assertAudited(resp, "group_not_found", "GET /v1/country-groups/{name}")
        resp = self.delete(self.gs, "it-benelux")
        self.assertError(resp, 404, "group_not_found")
        self.assertAudited(resp, "group_not_found", "DELETE /v1/country-groups/{name}")

    def test_only_the_gs_defines_groups(self):
        self.assertEqual(self.put(self.gs, "it-kept", {"countries": ["FRA"]}).status, 201)
        before = self.group_rows()
        for who in (self.fra_admin, self.fra):
            with self.subTest(who=who.agency, token=bool(who.token)):
                resp = self.put(who, "it-ncb-made", {"countries": ["FRA", "DEU"]})
                self.assertError(resp, 403, "gs_only")
                self.assertAudited(resp, "gs_only", "PUT /v1/country-groups/{name}")
                resp = self.delete(who, "it-kept")
                self.assertError(resp, 403, "gs_only")
                self.assertAudited(resp, "gs_only", "DELETE /v1/country-groups/{name}")
        # A user without agency.admin is refused by the route itself.
        h = self.hub
        agency = h.create_agency(self.fra_admin.token, "ncb-fra")
        user = h.create_user(self.fra_admin.token, agency["id"])
        plain = Principal(agency["id"], token=h.login(user["name"], hub.USER_PASSWORD))
        resp = self.put(plain, "it-ncb-made", {"countries": ["FRA"]})
        self.assertError(resp, 403, "missing_capability")
        self.assertAudited(resp, "missing_capability", "PUT /v1/country-groups/{name}")
        self.assertEqual(self.group_rows(), before)
        self.assertEqual(self.get(self.esp, "/v1/country-groups/it-kept").status, 200)

    def test_invalid_groups_are_refused_and_nothing_is_stored(self):
        before = self.group_rows()
        cases = [
            ("Upper-Case", {"countries": ["FRA"]}, "invalid_group"),
            ("x", {"countries": ["FRA"]}, "invalid_group"),
            ("it-empty", {"countries": []}, "invalid_group"),
            ("it-unknown", {"countries": ["FRA", "XXX"]}, "unknown_country"),
            ("it-lower", {"countries": ["fra"]}, "unknown_country"),
            ("it-type", {"countries": "FRA"}, "invalid_request"),
            ("it-extra", {"countries": ["FRA"], "members": ["DEU"]}, "invalid_request"),
            ("it-desc", {"countries": ["FRA"], "description": "two\nlines"}, "invalid_request"),
        ]
        for name, body, code in cases:
            with self.subTest(name):
                resp = self.put(self.gs, name, body)
                self.assertError(resp, 400, code)
                self.assertAudited(resp, code, "PUT /v1/country-groups/{name}")
        resp = self.hub.request("PUT", "/v1/country-groups/it-raw", raw_body=b"not json",
                                token=self.gs.token)
        self.assertError(resp, 400, "invalid_json")
        self.assertEqual(self.group_rows(), before)

    def test_a_message_to_a_group_reaches_each_member_ncb_once(self):
        resp = self.put(self.gs, "it-partners", {"description": "IT partners",
                                                 "countries": ["DEU", "ESP", "FRA"]})
        self.assertEqual(resp.status, 201, resp.describe())
        mark = self.audit_mark()
        sent = self.sent(self.fra, self.fra_key, "--group", "it-partners", "--to-country", "DEU",
                         "--subject", "To my group", "--body", "Group body.")
        # The sender is dropped, Germany named twice is reached once.
        self.assertEqual(sent["recipients"], ["ncb-deu", "ncb-esp"])
        entry = self.assertAuditedSince(mark, "POST /v1/messages", "ok", "ncb-fra")
        self.assertIn("to: ncb-deu ncb-esp", entry["object"])
        mid = sent["message_id"]
        for who in (self.deu, self.esp):
            with self.subTest(reader=who.agency):
                ids = [e["message_id"] for e in self.mailbox(who) if e["kind"] == "message"]
                self.assertEqual(ids.count(mid), 1)
        got = self.read(self.esp, mid)
        self.assertEqual(got["content"]["to"], {"agencies": [], "countries": ["DEU"],
                                                "all_ncbs": False, "groups": ["it-partners"]})
        # Signed over the v2 encoding, as the independent signer writes it.
        encoding = msgutil.canonical(got["content"])
        self.assertTrue(encoding.startswith(b"ncbnet-message-v2\n"))
        self.assertTrue(msgutil.verify(self.fra_key.public, encoding,
                                       bytes.fromhex(got["signature"])))
        # And offline, with the CLI.
        keys = self.cli.client(self.esp, "key", "list", "--json")
        msg_path = os.path.join(self.hub.dir, "group-msg.json")
        dir_path = os.path.join(self.hub.dir, "group-keys.json")
        with open(msg_path, "w", encoding="utf-8") as f:
            json.dump(got, f)
        with open(dir_path, "w", encoding="utf-8") as f:
            f.write(keys.stdout)
        out = self.cli.run("msg", "verify", "--message", msg_path, "--directory", dir_path)
        self.assertEqual(out.returncode, 0, out.stdout + out.stderr)
        got["content"]["to"]["groups"] = ["it-others"]
        with open(msg_path, "w", encoding="utf-8") as f:
            json.dump(got, f)
        out = self.cli.run("msg", "verify", "--message", msg_path, "--directory", dir_path)
        self.assertEqual(out.returncode, 1, out.stdout + out.stderr)

        # The group changes later: the message keeps its recipients.
        self.assertEqual(self.put(self.gs, "it-partners", {"countries": ["ITA"]}).status, 200)
        self.assertEqual(self.read(self.fra, mid)["recipients"], ["ncb-deu", "ncb-esp"])

    def test_an_unknown_group_refuses_the_whole_message(self):
        before = self.stored_counts()
        c = msgutil.content("ncb-fra", countries=["DEU"], subject="To no group")
        c["to"]["groups"] = ["it-no-such-group"]
        resp = self.post(self.fra, self.fra_key.request(c))
        self.assertError(resp, 404, "unknown_recipient")
        self.assertIn("it-no-such-group", resp.body["error"]["message"])
        self.assertAudited(resp, "unknown_recipient", "POST /v1/messages")
        self.assertNothingStored(before)
        c = msgutil.content("ncb-fra", countries=["DEU"], subject="Bad group name")
        c["to"]["groups"] = ["Not A Group"]
        resp = self.post(self.fra, self.fra_key.request(c))
        self.assertError(resp, 400, "invalid_message")
        self.assertIn("to.groups", resp.body["error"]["message"])
        self.assertNothingStored(before)

        mark = self.audit_mark()
        out = self.send_cli(self.fra, self.fra_key, "--group", "it-missing", "--subject", "x",
                            "--body", "x")
        self.assertCliRefused(out, "unknown_recipient")
        self.assertAuditedSince(mark, "POST /v1/messages", "unknown_recipient", "ncb-fra")
        self.assertNothingStored(before)

    def test_group_cli(self):
        out = self.cli.client(self.gs, "group", "set", "it-cli", "--country", "ITA",
                              "--country", "ESP", "--description", "Made by the CLI", "--json")
        self.assertEqual(out.returncode, 0, out.stdout + out.stderr)
        self.assertEqual(msgutil.parse_json(out)["countries"], ["ESP", "ITA"])
        out = self.cli.client(self.deu, "group", "show", "it-cli")
        self.assertEqual(out.returncode, 0, out.stdout + out.stderr)
        self.assertIn("it-cli  [ESP ITA]  Made by the CLI", out.stdout)
        out = self.cli.client(self.deu, "group", "list", "--json")
        self.assertEqual(out.returncode, 0, out.stdout + out.stderr)
        self.assertIn("it-cli", [g["name"] for g in msgutil.parse_json(out)["groups"]])
        out = self.cli.client(self.fra_admin, "group", "set", "it-cli", "--country", "FRA")
        self.assertCliRefused(out, "gs_only")
        out = self.cli.client(self.fra_admin, "group", "delete", "it-cli")
        self.assertCliRefused(out, "gs_only")
        out = self.cli.client(self.gs, "group", "delete", "it-cli")
        self.assertEqual(out.returncode, 0, out.stdout + out.stderr)
        out = self.cli.client(self.gs, "group", "show", "it-cli")
        self.assertCliRefused(out, "group_not_found")
        out = self.cli.client(self.gs, "group", "show", "Bad/Name")
        self.assertCliRefused(out, "invalid_group")


if __name__ == "__main__":
    import unittest
    unittest.main()
