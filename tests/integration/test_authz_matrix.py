"""The authorisation matrix, generated from the route table (issue 14): `ncbnet routes --json`
prints every route with its whole rule (access, capability, kind of caller, scope), and every
route is tried by every kind of principal:

- nobody (no credentials): 401 on every route but the public ones;
- a user, and a terminal's certificate, of agencies holding no capability: refused (403, or
  400 session_required) on every route whose rule names a capability or a kind of caller they
  are not, and never refused on a route open to any principal;
- a principal holding exactly the route's capability: never refused for want of it;
- the NCB of France, the NCB of Germany and the General Secretariat, each with its own grants;
- for every route that names an object of a scope (a record, a message, an MLA request, a
  notice, a hit): another country's NCB asking for a restricted object gets exactly what it
  gets for an object that does not exist, and the owner gets the object.

A route added to the table is tried by this test without any change to it; a route whose
handler refuses for a capability its rule does not name fails it (the table must say it)."""

import datetime
import json
import subprocess

import hub
import scenes
from msgutil import Principal, cert_principal
from test_mla import iso
from test_notices import PNG, red_fields

MISSING = "authz-matrix-missing"
REFUSALS = {"missing_capability", "gs_only", "replica_needs_certificate", "managed_database",
            "session_required"}


def fill(pattern: str, ids: dict) -> str:
    """The route's pattern with its parameters: the database SLTD, else `ids` or MISSING."""
    parts = []
    for part in pattern.split("/"):
        if part.startswith("{") and part.endswith("}"):
            name = part[1:-1]
            part = "SLTD" if name == "db" else ids.get(name, "1" if name in ("index", "seq")
                                                      else MISSING)
        parts.append(part)
    return "/".join(parts)


def absent_like(object_id: str) -> str:
    """An identifier of the same shape as `object_id` that names nothing."""
    tail = "a" * 6 if not object_id.endswith("a" * 6) else "b" * 6
    return object_id[:-6] + tail


def wrong_kind_of_caller(route: dict, who: Principal) -> bool:
    """Whether the route's caller rule refuses `who` whatever it holds."""
    caller = route["caller"]
    session = who.token is not None
    return ((caller == "session" and not session) or (caller == "certificate" and session) or
            (caller == "gs" and who.agency != "gs"))


def held_capability(rule: str) -> str:
    """One capability that satisfies `rule` for the path filled by fill()."""
    first = rule.split("|")[0]
    verb, _, db = first.partition(":")
    if db in ("{db}", "*"):
        return ("record.write" if verb == "record.own" else verb) + ":SLTD"
    return first


class AuthzMatrixTest(hub.HubTestCase):

    @classmethod
    def set_up_network(cls):
        h = cls.hub
        out = subprocess.run([h.bin, "routes", "--json"], capture_output=True, text=True,
                             timeout=hub.CLI_TIMEOUT_S, check=False)
        assert out.returncode == 0, out.stderr
        # Logging out ends the caller's session: tried last, so every other route meets a live one.
        cls.routes = sorted(json.loads(out.stdout)["routes"],
                            key=lambda r: r["path"] == "/v1/auth/logout")
        admin = h.admin_token()
        cls.gs = Principal("gs", token=admin)
        cls.fra = cert_principal(h, "ncb-fra")
        cls.deu = cert_principal(h, "ncb-deu")
        cls.ita = cert_principal(h, "ncb-ita")
        h.create_user(admin, "ncb-fra", "authz.fra.admin")
        cls.fra_user = Principal("ncb-fra", token=h.login("authz.fra.admin", hub.USER_PASSWORD))
        bare = h.create_agency(admin, "ncb-fra", "agency", "Agency with no grants")
        user = h.create_user(admin, bare["id"])
        cls.bare_user = Principal(bare["id"], token=h.login(user["name"], hub.USER_PASSWORD))
        terminal = h.create_agency(admin, "ncb-fra", "terminal", "Terminal with no grants")
        cls.bare_cert = cert_principal(h, terminal["id"])
        cls.holders = {}

    # ---- principals ------------------------------------------------------------------------

    def holder(self, capability: str, certificate: bool) -> Principal:
        """An agency of France holding `capability` only: a user, or its certificate."""
        key = (capability, certificate)
        if key not in self.holders:
            h = self.hub
            agency = h.create_agency(h.admin_token(), "ncb-fra", "agency", f"Holder of {capability}")
            h.grant(h.admin_token(), agency["id"], capability)
            if certificate:
                self.holders[key] = cert_principal(h, agency["id"])
            else:
                user = h.create_user(h.admin_token(), agency["id"])
                self.holders[key] = Principal(agency["id"],
                                              token=h.login(user["name"], hub.USER_PASSWORD))
        return self.holders[key]

    def call(self, who, route: dict, ids=None) -> hub.Response:
        path = fill(route["path"], ids or {})
        body = {} if route["json_body"] else None
        args = who.request_args() if who is not None else {}
        return self.hub.request(route["method"], path, body, **args)

    def describe(self, route: dict, who: str, resp: hub.Response) -> str:
        return f"{route['method']} {route['path']} as {who}: {resp.describe()[:300]}"

    # ---- the matrix ------------------------------------------------------------------------

    def test_every_route_declares_its_rule(self):
        self.assertGreater(len(self.routes), 60)
        for route in self.routes:
            self.assertNotEqual(route["scope"], "undeclared", route)
            if route["access"] == "capability":
                self.assertTrue(route["capability"], route)

    def test_nobody_gets_401_on_every_route_but_the_public_ones(self):
        for route in self.routes:
            with self.subTest(route=f"{route['method']} {route['path']}"):
                resp = self.call(None, route)
                if route["access"] == "public":
                    self.assertNotIn(resp.status, (401, 403), self.describe(route, "nobody", resp))
                else:
                    self.assertEqual(resp.status, 401, self.describe(route, "nobody", resp))

    def expect_refused_unless_open(self, who: Principal, name: str):
        for route in self.routes:
            if route["access"] == "public":
                continue
            with self.subTest(route=f"{route['method']} {route['path']}", who=name):
                resp = self.call(who, route)
                if route["access"] == "capability" or wrong_kind_of_caller(route, who):
                    self.assertIn(resp.status, (400, 403), self.describe(route, name, resp))
                    self.assertIn(resp.error_code, REFUSALS, self.describe(route, name, resp))
                else:
                    self.assertNotIn(resp.error_code, REFUSALS, self.describe(route, name, resp))
                    self.assertNotIn(resp.status, (401, 403), self.describe(route, name, resp))

    def test_a_user_of_an_agency_without_capabilities(self):
        self.expect_refused_unless_open(self.bare_user, "user without grants")

    def test_a_terminal_certificate_without_capabilities(self):
        self.expect_refused_unless_open(self.bare_cert, "terminal without grants")

    def test_the_holder_of_exactly_the_routes_capability_is_let_through(self):
        for route in self.routes:
            if route["access"] != "capability" or route["caller"] == "gs":
                continue
            if route["capability"] in ("agency.admin", "audit.read"):
                continue  # tried below as the NCB, whose branch it administers
            capability = held_capability(route["capability"])
            who = self.holder(capability, certificate=route["caller"] == "certificate")
            with self.subTest(route=f"{route['method']} {route['path']}", holds=capability):
                resp = self.call(who, route)
                self.assertNotIn(resp.status, (401,), self.describe(route, capability, resp))
                self.assertNotIn(resp.error_code, REFUSALS, self.describe(route, capability, resp))

    def test_the_ncbs_and_the_gs_are_refused_only_what_their_rules_refuse(self):
        for who, name in ((self.fra_user, "NCB France (user)"), (self.deu, "NCB Germany"),
                          (self.gs, "GS")):
            for route in self.routes:
                if route["access"] == "public":
                    continue
                with self.subTest(route=f"{route['method']} {route['path']}", who=name):
                    resp = self.call(who, route)
                    if wrong_kind_of_caller(route, who):
                        self.assertIn(resp.error_code, REFUSALS, self.describe(route, name, resp))
                    elif resp.error_code in REFUSALS:
                        # Only a capability the rule names and this principal lacks: the GS
                        # owns no records and writes no databases; notice.review is the GS's.
                        self.assertEqual(route["access"], "capability",
                                         self.describe(route, name, resp))
                        self.assertEqual(resp.error_code, "missing_capability",
                                         self.describe(route, name, resp))

    # ---- restricted objects look missing -----------------------------------------------------

    def objects(self) -> dict:
        """One object per scope that another country's NCB (Italy) may not see, by the path
        prefix of the routes that name it."""
        h = self.hub
        record = h.request("POST", "/v1/records/SLTD",
                           {"fields": {"number": "AZ0000001", "issuing_country": "FRA",
                                       "document_type": "passport", "status": "stolen"},
                            "restrictions": {"visibility": "only", "countries": ["DEU"],
                                             "frontline": False}},
                           **self.fra.request_args())
        self.assertEqual(record.status, 201, record.describe())
        mla = h.request("POST", "/v1/mla-requests",
                        {"type": "mla", "requested_country": "DEU", "urgency": "urgent",
                         "deadline": iso(datetime.timedelta(days=30)), "case_reference": "AUTHZ 1",
                         "legal_basis": "Bilateral treaty, art. 1", "summary": "Bank records",
                         "facts": "Facts of the case.", "measures": ["Statements of account"],
                         "persons": ["A person"]}, **self.fra.request_args())
        self.assertEqual(mla.status, 201, mla.describe())
        notice = h.request("POST", "/v1/notices", {"kind": "red", "fields": red_fields()},
                           **self.fra.request_args())
        self.assertEqual(notice.status, 201, notice.describe())
        image = h.request("POST", f"/v1/notices/{notice.body['id']}/images", raw_body=PNG,
                          content_type="image/png", **self.fra.request_args())
        self.assertEqual(image.status, 201, image.describe())
        return {
            "/v1/hits/{id}": scenes.stolen_passport_hit(h, self.deu, "DEU", self.fra, "AZ0000002"),
            "/v1/records/{db}/{id}": record.body["id"],
            "/v1/mla-requests/{id}": mla.body["id"],
            "/v1/notices/{id}": notice.body["id"],
            "/v1/messages/{id}": scenes.send_message(h, self.fra, "DEU", "Authz matrix"),
        }

    def test_a_restricted_object_answers_exactly_like_a_missing_one(self):
        tried = 0
        for prefix, object_id in self.objects().items():
            for route in self.routes:
                if not route["path"].startswith(prefix):
                    continue
                tried += 1
                with self.subTest(route=f"{route['method']} {route['path']}"):
                    hidden = self.call(self.ita, route, {"id": object_id})
                    missing = self.call(self.ita, route, {"id": absent_like(object_id)})
                    self.assertEqual((hidden.status, hidden.error_code),
                                     (missing.status, missing.error_code),
                                     f"{route['method']} {route['path']}: restricted "
                                     f"{hidden.describe()[:200]} vs missing "
                                     f"{missing.describe()[:200]}")
                    self.assertNotIn(object_id, json.dumps(hidden.body))
                    if route["method"] == "GET" and "{index}" not in route["path"]:
                        owner = self.call(self.fra, route, {"id": object_id})
                        self.assertEqual(owner.status, 200, self.describe(route, "owner", owner))
        self.assertGreater(tried, 15)
