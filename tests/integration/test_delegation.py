"""Delegation end to end (issue 5, item 1), with the real binary over TLS: an NCB builds its
branch with `ncbnet agency ...` and the API (agency, terminal, user, a certificate from a CSR
whose key never leaves the client), grants a time-bounded subset, and the terminal checks with
its certificate; an agency cannot raise its own rights nor touch another NCB's branch, which
looks absent; the GS sees the whole tree; revoking a grant, a certificate, a user or an agency
takes effect on the very next request on an already open connection. Every refusal is checked
for its status, its stable code and its audit entry.

test_grants.py covers the grant rules themselves (beyond own, self grant at NCB level, cascade)
and test_certs.py the TLS side of certificates (other CA, unissued, expired, offline revoke)."""

import datetime
import http.client
import json
import os
import socket
import stat
import subprocess
import unittest

import hub

CHECK = "/v1/checks/SLTD?number=ZZ0000001&issuing_country=FRA"


def openssl(*args: str) -> str:
    out = subprocess.run(["openssl", *args], capture_output=True, text=True,
                         timeout=hub.CLI_TIMEOUT_S, stdin=subprocess.DEVNULL)
    if out.returncode != 0:
        raise RuntimeError(f"openssl {' '.join(args)}: {out.stderr}")
    return out.stdout


def in_days(days: int) -> str:
    t = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=days)
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


class Connection:
    """One keep-alive TLS connection; fails if the client had to reconnect, so that a refusal
    seen on it is a refusal on the connection opened before the revocation."""

    def __init__(self, h: hub.Hub, token=None, cert=None):
        self.token = token
        self.conn = http.client.HTTPSConnection("127.0.0.1", h.port, context=h.tls_context(cert),
                                                timeout=hub.REQUEST_TIMEOUT_S)
        self.conn.connect()
        self.sock = self.conn.sock

    def request(self, method: str, path: str) -> hub.Response:
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        self.conn.request(method, path, headers=headers)
        resp = self.conn.getresponse()
        body = hub._decode_body(resp.read(), resp.getheader("Content-Type"))
        assert self.conn.sock is self.sock, "the connection was reopened"
        return hub.Response(resp.status, body, resp.headers)

    def close(self):
        self.conn.close()


class DelegationTest(hub.HubTestCase):

    @classmethod
    def set_up_network(cls):
        h = cls.hub
        gs = h.admin_token()
        h.create_user(gs, "ncb-fra", "dl.fra.admin")
        cls.fra = h.login("dl.fra.admin", hub.USER_PASSWORD)
        # Germany's branch, built by the GS: what France must not see nor touch.
        cls.deu_agency = h.create_agency(gs, "ncb-deu", "agency", "Bundespolizei")
        cls.deu_user = h.create_user(gs, cls.deu_agency["id"], "dl.deu.bpol")
        cls.deu_grant = h.grant(gs, cls.deu_agency["id"], "record.check:SLTD")
        cls.deu_serial, _, _ = h.issue_cert(cls.deu_agency["id"])

    # ---- helpers --------------------------------------------------------------------------

    def agency(self, token: str, *args: str, ok: bool = True) -> subprocess.CompletedProcess:
        """`ncbnet agency ARGS --url --ca --token`; with ok, must exit 0."""
        out = subprocess.run([self.hub.bin, "agency", *args, "--url", self.hub.url,
                              "--ca", self.hub.ca_cert, "--token", token],
                             capture_output=True, text=True, timeout=hub.CLI_TIMEOUT_S,
                             stdin=subprocess.DEVNULL)
        if ok:
            self.assertEqual(out.returncode, 0, out.stdout + out.stderr)
        return out

    def agency_json(self, token: str, *args: str):
        return json.loads(self.agency(token, *args, "--json").stdout)

    def call(self, method: str, path: str, body=None, token=None, cert=None) -> hub.Response:
        return self.hub.request(method, path, body, token=token or self.fra, cert=cert)

    def refused(self, resp: hub.Response, status: int, code: str):
        self.assertError(resp, status, code)
        self.assertAudited(resp, code)

    def csr(self, name: str, *key: str, subject: str = "/CN=ncb-fra/O=ncbnet") -> str:
        """A CSR made with the openssl tool, asking for more than it may have."""
        key = key or ("-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256")
        path = os.path.join(self.hub.dir, name)
        openssl("req", "-new", *key, "-nodes", "-keyout", path + ".key", "-out", path + ".csr",
                "-subj", subject, "-addext", "basicConstraints=critical,CA:TRUE",
                "-addext", "subjectAltName=DNS:hub.example")
        with open(path + ".csr", encoding="ascii") as f:
            return f.read()

    def terminal_with_everything(self, grant_token=None):
        """A French agency and a terminal under it, the terminal with record.check:SLTD, a
        user and a session, and a certificate; returns a dict of them."""
        agency = self.hub.create_agency(self.fra, "ncb-fra", "agency")
        terminal = self.hub.create_agency(self.fra, agency["id"], "terminal")
        grant = self.hub.grant(grant_token or self.fra, terminal["id"], "record.check:SLTD")
        user = self.hub.create_user(self.fra, terminal["id"])
        token = self.hub.login(user["name"], hub.USER_PASSWORD)
        prefix = os.path.join(self.hub.dir, self.hub.unique("term"))
        cert = self.agency_json(self.fra, "cert", "issue", terminal["id"], "--out", prefix)
        return {"agency": agency, "terminal": terminal, "grant": grant, "user": user,
                "token": token, "serial": cert["serial"], "cert": (cert["cert"], cert["key"])}

    def open_connections(self, t: dict):
        """Keep-alive connections as the terminal of `t`, by certificate and by token, each
        shown to check successfully once; closed at the end of the test."""
        conns = (Connection(self.hub, cert=t["cert"]), Connection(self.hub, token=t["token"]))
        for conn in conns:
            self.addCleanup(conn.close)
            resp = conn.request("GET", CHECK)
            self.assertEqual(resp.status, 200, resp.describe())
        return conns

    # ---- building a branch ----------------------------------------------------------------

    def test_an_ncb_builds_its_branch_from_the_cli(self):
        paf = self.agency_json(self.fra, "create", "--parent", "ncb-fra", "--kind", "agency",
                               "--name", "Police aux frontieres")
        gate = self.agency_json(self.fra, "create", "--parent", paf["id"], "--kind", "terminal",
                                "--name", "CDG T2 gate 4")
        self.assertEqual((gate["parent_id"], gate["kind"], gate["country"]),
                         (paf["id"], "terminal", "FRA"))

        # A user with a password made by the CLI, shown once, that logs in.
        user = self.agency_json(self.fra, "user", "add", paf["id"], "--name", "dl.paf.chief",
                                "--display-name", "Chef de poste")
        self.assertGreaterEqual(len(user["password"]), 20)
        paf_token = self.hub.login("dl.paf.chief", user["password"])
        listed = self.agency_json(self.fra, "user", "list", paf["id"])["users"]
        self.assertEqual([u["name"] for u in listed], ["dl.paf.chief"])
        self.assertNotIn("password", listed[0])
        self.assertNotIn("password_hash", listed[0])

        # A time-bounded subset: the PAF may administer its branch and check SLTD until then;
        # what it passes on to its gate cannot outlive that.
        until = in_days(30)
        self.agency_json(self.fra, "grant", paf["id"], "agency.admin")
        sltd = self.agency_json(self.fra, "grant", paf["id"], "record.check:SLTD",
                                "--until", until)
        self.assertEqual(sltd["expires_at"][:19], until[:19])
        gate_grant = self.agency_json(paf_token, "grant", gate["id"], "record.check:SLTD")
        self.assertEqual(gate_grant["parent_id"], sltd["id"])
        self.assertEqual(gate_grant["expires_at"], sltd["expires_at"])

        # The PAF's administrator issues the gate's certificate: the key is made locally.
        prefix = os.path.join(self.hub.dir, "gate4")
        cert = self.agency_json(paf_token, "cert", "issue", gate["id"], "--out", prefix,
                                "--days", "90")
        self.assertEqual(stat.S_IMODE(os.stat(prefix + ".key").st_mode), 0o600)
        with open(prefix + ".key", encoding="ascii") as f:
            self.assertIn("PRIVATE KEY", f.read())
        subject = openssl("x509", "-in", prefix + ".crt", "-noout", "-subject")
        self.assertIn(gate["id"], subject)
        self.assertEqual(cert["agency_id"], gate["id"])

        # The gate checks with its certificate, with exactly what it was granted.
        me = self.call("GET", "/v1/me", cert=(prefix + ".crt", prefix + ".key"))
        self.assertEqual(me.status, 200, me.describe())
        self.assertEqual((me.body["via"], me.body["agency"]["id"]), ("certificate", gate["id"]))
        self.assertEqual(me.body["capabilities"], ["record.check:SLTD"])
        check = self.call("GET", CHECK, cert=(prefix + ".crt", prefix + ".key"))
        self.assertEqual(check.status, 200, check.describe())
        self.assertAudited(check, "ok", "GET /v1/checks/{db}")

        # The tree as the NCB sees it: the gate under the PAF under the NCB.
        lines = self.agency(self.fra, "list").stdout.splitlines()
        depth = {line.split()[0]: len(line) - len(line.lstrip()) for line in lines}
        self.assertEqual(depth["ncb-fra"], 0)
        self.assertEqual(depth[paf["id"]], 2)
        self.assertEqual(depth[gate["id"]], 4)
        self.assertEqual(self.agency_json(self.fra, "cert", "list", gate["id"])
                         ["certificates"][0]["serial"], cert["serial"])
        grants = self.agency(self.fra, "grants", gate["id"]).stdout
        self.assertIn("record.check:SLTD", grants)
        self.assertIn("until", grants)

    def test_a_certificate_from_a_csr_names_the_agency_of_the_path_only(self):
        terminal = self.hub.create_agency(self.fra, "ncb-fra", "terminal")
        self.hub.grant(self.fra, terminal["id"], "record.check:SLTD")
        # The CSR claims the French NCB and asks to be a CA for a host name: the hub takes
        # its public key and nothing else.
        csr = self.csr("greedy")
        resp = self.call("POST", f"/v1/agencies/{terminal['id']}/certificates",
                         {"csr": csr, "days": 7})
        self.assertEqual(resp.status, 201, resp.describe())
        entry = self.assertAudited(resp, "ok", "POST /v1/agencies/{id}/certificates")
        self.assertEqual(entry["object"], f"{resp.body['serial']} {terminal['id']}")
        crt = os.path.join(self.hub.dir, "greedy.crt")
        with open(crt, "w", encoding="ascii") as f:
            f.write(resp.body["certificate"])
        text = openssl("x509", "-in", crt, "-noout", "-text")
        self.assertIn(f"CN = {terminal['id']}", text)
        self.assertNotIn("CA:TRUE", text)
        self.assertNotIn("hub.example", text)
        self.assertIn("TLS Web Client Authentication", text)
        me = self.call("GET", "/v1/me", cert=(crt, os.path.join(self.hub.dir, "greedy.key")))
        self.assertEqual(me.body["agency"]["id"], terminal["id"], me.describe())
        self.assertNotIn("agency.admin", me.body["capabilities"])

        path = f"/v1/agencies/{terminal['id']}/certificates"
        rsa = self.csr("weak", "-newkey", "rsa:1024")
        for body, status, code in [
                ({"csr": "hello"}, 400, "invalid_csr"),
                ({"csr": csr + csr}, 400, "invalid_csr"),
                ({"csr": csr.replace("A", "B", 3)}, 400, "invalid_csr"),
                ({"csr": "x" * 20000}, 400, "invalid_csr"),
                ({"csr": rsa}, 400, "unsupported_key"),
                ({"csr": csr, "days": 366}, 400, "invalid_request"),
                ({"csr": csr, "days": 0}, 400, "invalid_request"),
                ({"days": 10}, 400, "invalid_request")]:
            with self.subTest(code=code, body=str(body)[:40]):
                self.refused(self.call("POST", path, body), status, code)
        certs = self.call("GET", path).body["certificates"]
        self.assertEqual(len(certs), 1, "a refused CSR issues nothing")

    # ---- branches -------------------------------------------------------------------------

    def test_another_ncbs_branch_looks_absent_to_every_call(self):
        deu, user = self.deu_agency["id"], self.deu_user["id"]
        csr = self.csr("for-deu")
        for method, path, body, code in [
                ("GET", f"/v1/agencies/{deu}", None, "agency_not_found"),
                ("POST", "/v1/agencies", {"parent_id": deu, "kind": "terminal", "name": "x"},
                 "agency_not_found"),
                ("POST", "/v1/grants", {"agency_id": deu, "capability": "message.send"},
                 "agency_not_found"),
                ("GET", f"/v1/grants?agency_id={deu}", None, "agency_not_found"),
                ("DELETE", f"/v1/grants/{self.deu_grant['id']}", None, "grant_not_found"),
                ("POST", f"/v1/agencies/{deu}/certificates", {"csr": csr}, "agency_not_found"),
                ("GET", f"/v1/agencies/{deu}/certificates", None, "agency_not_found"),
                ("DELETE", f"/v1/certificates/{self.deu_serial}", None, "certificate_not_found"),
                ("POST", f"/v1/agencies/{deu}/users",
                 {"name": "dl.intruder", "password": hub.USER_PASSWORD}, "agency_not_found"),
                ("GET", f"/v1/agencies/{deu}/users", None, "agency_not_found"),
                ("POST", f"/v1/users/{user}/disable", None, "user_not_found"),
                ("POST", f"/v1/agencies/{deu}/disable", None, "agency_not_found"),
                ("POST", "/v1/agencies/ncb-deu/disable", None, "agency_not_found"),
                ("GET", "/v1/agencies/gs", None, "agency_not_found")]:
            with self.subTest(method=method, path=path):
                resp = self.call(method, path, body)
                self.refused(resp, 404, code)
                # Exactly like an id that never existed.
                ghost = self.call(method, path.replace(deu, "agc_ghost")
                                  .replace(user, "usr_ghost"), body)
                if deu in path or user in path:
                    self.assertEqual((ghost.status, ghost.error_code), (404, code))

        out = self.agency(self.fra, "disable", deu, ok=False)
        self.assertEqual(out.returncode, 1)
        self.assertIn("ncbnet: agency_not_found:", out.stderr)
        # Nothing happened to Germany's branch.
        gs = self.hub.admin_token()
        self.assertIsNone(self.call("GET", f"/v1/agencies/{deu}", token=gs).body["disabled_at"])
        self.assertEqual(self.hub.login("dl.deu.bpol", hub.USER_PASSWORD)[:4], "ncb_")

    def test_an_agency_cannot_raise_its_own_rights(self):
        agency = self.hub.create_agency(self.fra, "ncb-fra", "agency")
        terminal = self.hub.create_agency(self.fra, agency["id"], "terminal")
        self.hub.grant(self.fra, agency["id"], "agency.admin")
        self.hub.grant(self.fra, agency["id"], "record.check:SLTD")
        admin = self.hub.create_user(self.fra, agency["id"])
        token = self.hub.login(admin["name"], hub.USER_PASSWORD)
        a = agency["id"]
        for method, path, body, status, code in [
                ("POST", "/v1/grants", {"agency_id": a, "capability": "record.write:SLTD"},
                 403, "self_grant"),
                ("POST", "/v1/grants", {"agency_id": terminal["id"],
                                        "capability": "record.write:SLTD"},
                 403, "grant_exceeds_own"),
                ("POST", "/v1/grants", {"agency_id": terminal["id"],
                                        "capability": "notice.review"},
                 403, "grant_exceeds_own"),
                ("POST", f"/v1/agencies/{a}/disable", None, 403, "self_disable"),
                ("POST", f"/v1/users/{admin['id']}/disable", None, 403, "self_disable"),
                ("GET", "/v1/agencies/ncb-fra", None, 404, "agency_not_found"),
                ("POST", "/v1/agencies", {"parent_id": "ncb-fra", "kind": "agency",
                                          "name": "Sibling"}, 404, "agency_not_found"),
                ("POST", "/v1/agencies/ncb-fra/users",
                 {"name": "dl.upward", "password": hub.USER_PASSWORD}, 404, "agency_not_found"),
                ("POST", "/v1/agencies/ncb-fra/certificates", {"csr": self.csr("up")},
                 404, "agency_not_found"),
                ("GET", "/v1/grants?agency_id=ncb-fra", None, 404, "agency_not_found")]:
            with self.subTest(path=path, code=code):
                self.refused(self.call(method, path, body, token=token), status, code)
        # What it may do: pass on what it holds, below itself.
        self.hub.grant(token, terminal["id"], "record.check:SLTD")
        caps = self.call("GET", "/v1/me", token=token).body["capabilities"]
        self.assertEqual(sorted(caps), ["agency.admin", "record.check:SLTD"])

    def test_the_gs_sees_the_whole_tree_and_an_ncb_its_branch(self):
        mine = self.hub.create_agency(self.fra, "ncb-fra", "agency")
        gs_view = {a["id"] for a in self.agency_json(self.hub.admin_token(), "list")["agencies"]}
        self.assertTrue({"gs", "ncb-fra", "ncb-deu", mine["id"],
                         self.deu_agency["id"]} <= gs_view)
        fra_view = {a["id"] for a in self.agency_json(self.fra, "list")["agencies"]}
        self.assertIn(mine["id"], fra_view)
        self.assertFalse({"gs", "ncb-deu", self.deu_agency["id"]} & fra_view)
        self.assertTrue(all(i == "ncb-fra" or i.startswith("agc_") for i in fra_view))
        # The GS's tree: NCBs under the GS, Germany's agency under its NCB.
        lines = self.agency(self.hub.admin_token(), "list").stdout.splitlines()
        indent = {line.split()[0]: len(line) - len(line.lstrip()) for line in lines}
        self.assertEqual((indent["gs"], indent["ncb-deu"], indent[self.deu_agency["id"]]),
                         (0, 2, 4))
        self.assertEqual(self.call("GET", f"/v1/agencies/{self.deu_agency['id']}",
                                   token=self.hub.admin_token()).status, 200)

    # ---- revocation -----------------------------------------------------------------------

    def test_a_revoked_grant_is_refused_on_the_next_request_of_an_open_connection(self):
        t = self.terminal_with_everything()
        conns = self.open_connections(t)
        out = self.agency(self.fra, "revoke", t["grant"]["id"])
        self.assertIn(t["grant"]["id"], out.stdout)
        for conn in conns:
            self.refused(conn.request("GET", CHECK), 403, "missing_capability")
            self.assertEqual(conn.request("GET", "/v1/me").body["capabilities"], [])

    def test_a_revoked_certificate_is_refused_on_the_next_request_of_an_open_connection(self):
        t = self.terminal_with_everything()
        by_cert, _ = self.open_connections(t)
        out = self.agency(self.fra, "cert", "revoke", t["serial"])
        self.assertIn("[revoked]", out.stdout)
        self.refused(by_cert.request("GET", CHECK), 401, "client_cert_revoked")
        listed = self.agency_json(self.fra, "cert", "list", t["terminal"]["id"])["certificates"]
        self.assertIsNotNone(listed[0]["revoked_at"])
        # The terminal's user is untouched.
        self.assertEqual(self.call("GET", CHECK, token=t["token"]).status, 200)

    def test_a_disabled_user_is_refused_on_the_next_request_and_cannot_log_in(self):
        t = self.terminal_with_everything()
        _, by_token = self.open_connections(t)
        out = self.agency(self.fra, "user", "disable", t["user"]["id"])
        self.assertIn("[disabled]", out.stdout)
        self.refused(by_token.request("GET", "/v1/me"), 401, "token_revoked")
        resp = self.hub.request("POST", "/v1/auth/login",
                                {"user": t["user"]["name"], "password": hub.USER_PASSWORD})
        self.refused(resp, 401, "invalid_credentials")
        # The agency's certificate speaks for the agency, not the user: it still works.
        self.assertEqual(self.call("GET", CHECK, cert=t["cert"]).status, 200)

    def test_disabling_an_agency_takes_its_branch_on_the_next_request(self):
        t = self.terminal_with_everything()
        by_cert, by_token = self.open_connections(t)
        resp = self.call("POST", f"/v1/agencies/{t['agency']['id']}/disable")
        self.assertEqual(resp.status, 200, resp.describe())
        self.assertEqual(resp.body["disabled"], {"agencies": 2, "users": 1, "sessions": 1,
                                                 "certificates": 1, "grants": 1})
        entry = self.assertAudited(resp, "ok", "POST /v1/agencies/{id}/disable")
        self.assertIn("agencies:2", entry["object"])
        self.refused(by_cert.request("GET", CHECK), 401, "client_cert_revoked")
        self.refused(by_token.request("GET", CHECK), 401, "token_revoked")
        terminal = t["terminal"]["id"]
        shown = self.agency_json(self.fra, "show", terminal)
        self.assertIsNotNone(shown["disabled_at"])
        self.assertIn("[disabled]", self.agency(self.fra, "list").stdout)
        # Nothing new for a disabled agency.
        for method, path, body in [
                ("POST", "/v1/agencies", {"parent_id": t["agency"]["id"], "kind": "terminal",
                                          "name": "x"}),
                ("POST", "/v1/grants", {"agency_id": terminal, "capability": "message.send"}),
                ("POST", f"/v1/agencies/{terminal}/users",
                 {"name": "dl.late", "password": hub.USER_PASSWORD}),
                ("POST", f"/v1/agencies/{terminal}/certificates", {"csr": self.csr("late")})]:
            with self.subTest(path=path):
                self.refused(self.call(method, path, body), 409, "agency_disabled")
        # Again: nothing more to disable, and no error.
        again = self.agency_json(self.fra, "disable", t["agency"]["id"])
        self.assertEqual(again["disabled"]["agencies"], 0)

    def test_cli_refusals_and_bad_ids(self):
        out = self.agency(self.fra, "show", "../gs", ok=False)
        self.assertEqual(out.returncode, 1)
        self.assertIn("ncbnet: invalid_id:", out.stderr)
        out = self.agency(self.fra, "grant", "ncb-fra", "message.send", ok=False)
        self.assertIn("ncbnet: self_grant:", out.stderr)
        prefix = os.path.join(self.hub.dir, "exists")
        open(prefix + ".key", "w").close()
        out = self.agency(self.fra, "cert", "issue", "ncb-fra", "--out", prefix, ok=False)
        self.assertIn("ncbnet: file_exists:", out.stderr)
        self.assertEqual(os.path.getsize(prefix + ".key"), 0)

    def test_the_cli_retries_an_unreachable_hub_within_its_budget_then_fails(self):
        """Issue 17, item 5: a refused connection is retried, each wait one line on stderr and
        nothing on stdout, until --retry-for runs out; --retry-for 0 retries nothing.
        (test_store_postgresql rides out a real outage of the store.)"""
        with socket.socket() as s:  # a port nothing listens on once closed
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        base = [self.hub.bin, "agency", "create", "--parent", "ncb-fra", "--kind", "agency",
                "--name", "Never created", "--url", f"https://127.0.0.1:{port}",
                "--ca", self.hub.ca_cert, "--token", self.fra]
        runs = {budget: subprocess.run([*base, "--retry-for", budget], capture_output=True,
                                       text=True, timeout=hub.CLI_TIMEOUT_S,
                                       stdin=subprocess.DEVNULL)
                for budget in ("1", "0")}
        for budget, out in runs.items():
            self.assertEqual(out.returncode, 1, out.stderr)
            self.assertEqual(out.stdout, "")
            lines = out.stderr.splitlines()
            self.assertRegex(lines[-1], r"^ncbnet: connect_failed: ")
            retries = lines[:-1]
            self.assertEqual(len(retries) > 0, budget == "1", out.stderr)
            for line in retries:
                self.assertRegex(line, r"^ncbnet: hub unreachable \(connect_failed: .+\), "
                                 r"retrying in [0-9.]+ s$")
        self.assertFalse(self.hub.db_rows("SELECT id FROM agencies WHERE name = ?",
                                          ("Never created",)))


if __name__ == "__main__":
    unittest.main()
