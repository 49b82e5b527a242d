"""Each NCB's accesses (docs/audit-log-format.md, "Each NCB's accesses: who touched its data"),
against the real hub: a request that touches records appends, after its own entry and in its
transaction, one access entry per access whose agency_id is the records' owner NCB, and the
owner lists them with GET /v1/audit/accesses, each with an inclusion bundle checked here with
rfc9162.py (written apart from ncbnet) and with `ncbnet audit verify-proof`.

- A scripted series of checks (single, batch, name searches, border checks), a read and an
  export: France's NCB lists exactly one entry per access to its records, shown or hidden (a
  match its restrictions answered "absent" for), none for a check that matched nothing and
  none about other owners' records; each entry carries the user, source, time and request id
  of the request's own entry, and proves against a signed head.
- The checker reads none of the access entries its requests caused, and its own entry of a
  hidden match is the entry of a check that matched nothing.
- Other owners list their own accesses only; audit.read is needed.
- A replica package tells each owner once per database, not once per record.
- A passenger screening's matches are told like any check's.

Every wait polls with a bound; nothing depends on how long anything takes."""

import collections
import datetime
import json
import os
import subprocess
import tempfile
import time
import typing
import unittest
import urllib.parse

import hub
import rfc9162 as R
from msgutil import cert_principal

PROOF_WAIT_S = 10.0  # the hub promises a merge delay of 1 s; polled, never asserted
POLL_S = 0.1
ACCESS_PREFIX = "access "
# The fields of an entry that do not depend on which request it is (nor when it was made).
SAME_FIELDS = ("user_id", "agency_id", "source", "action", "object", "outcome")


def passport(number: str, country: str = "FRA") -> dict:
    return {"number": number, "issuing_country": country, "document_type": "passport",
            "status": "stolen"}


def iso_millis(ms: int) -> str:
    """time_ms as GET /v1/audit writes it: 2026-12-07T17:01:01.189Z."""
    t = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc) + \
        datetime.timedelta(milliseconds=ms)
    return f"{t:%Y-%m-%dT%H:%M:%S}.{ms % 1000:03d}Z"


def hub_key(h: hub.Hub) -> R.Ed25519Key:
    """The hub's audit key, from the seed in its data directory."""
    return R.Ed25519Key.from_file(os.path.join(h.data_dir, "hub-signing.key"))


def describe(out: subprocess.CompletedProcess) -> str:
    return f"exit {out.returncode}\nstdout: {out.stdout!r}\nstderr: {out.stderr!r}"


class Expected(typing.NamedTuple):
    """An access entry a request must have caused."""
    request_id: str
    action: str
    outcome: str
    object: str


def key_of(entry: dict) -> Expected:
    return Expected(entry["request_id"], entry["action"], entry["outcome"], entry["object"])


class AccessesCase(hub.HubTestCase):
    """Helpers shared by the tests below."""

    @classmethod
    def user(cls, agency: str, name: str, *capabilities: str) -> str:
        """A session token of a new user of `agency` (granted `capabilities` first)."""
        h = cls.hub
        for capability in capabilities:
            h.grant(h.admin_token(), agency, capability)
        h.create_user(h.admin_token(), agency, name)
        return h.login(name, hub.USER_PASSWORD)

    @classmethod
    def call(cls, token_or_principal, method: str, path: str, body=None,
             status: int = 200) -> hub.Response:
        if isinstance(token_or_principal, str):
            args = {"token": token_or_principal}
        else:
            args = token_or_principal.request_args()
        resp = cls.hub.request(method, path, body, **args)
        assert resp.status == status, f"{method} {path}: {resp.describe()}"
        assert resp.request_id, f"{method} {path}: no X-Request-Id"
        return resp

    @classmethod
    def create(cls, token: str, db: str, fields: dict, **extra) -> dict:
        return cls.call(token, "POST", f"/v1/records/{db}", {"fields": fields, **extra},
                        status=201).body

    @classmethod
    def check(cls, who, number: str, country: str = "FRA") -> hub.Response:
        query = urllib.parse.urlencode({"number": number, "issuing_country": country})
        return cls.call(who, "GET", f"/v1/checks/SLTD?{query}")

    # ---- listings --------------------------------------------------------------------------

    def list_accesses(self, token: str, limit: int = 100) -> typing.Tuple[list, int]:
        """Every item of GET /v1/audit/accesses for `token`, paged; and the tree_size of the
        last page."""
        items, after, tree_size = [], 0, 0
        for _ in range(1000):  # pages; bounded
            path = f"/v1/audit/accesses?after={after}&limit={limit}"
            resp = self.hub.request("GET", path, token=token)
            self.assertEqual(resp.status, 200, f"GET {path}: {resp.describe()}")
            body = resp.body
            self.assertEqual(set(body), {"accesses", "next_after", "tree_size"}, body)
            page = body["accesses"]
            tree_size = body["tree_size"]
            items.extend(page)
            if page:
                self.assertEqual(body["next_after"], page[-1]["entry"]["seq"], body)
                after = body["next_after"]
            else:
                self.assertEqual(body["next_after"], after, body)
            if len(page) < limit:
                break
        seqs = [i["entry"]["seq"] for i in items]
        self.assertEqual(seqs, sorted(set(seqs)), "entries not in ascending seq, or repeated")
        return items, tree_size

    def accesses_with_proofs(self, token: str, at_least: int) -> typing.Tuple[list, int]:
        """GET /v1/audit/accesses once it lists `at_least` entries, each with its proof; polls
        for at most PROOF_WAIT_S, then answers what it has (the caller's assertions say what
        is missing)."""
        deadline = time.monotonic() + PROOF_WAIT_S
        while True:
            items, tree_size = self.list_accesses(token)
            ready = all(i["proof"] is not None for i in items)
            if (ready and len(items) >= at_least) or time.monotonic() > deadline:
                return items, tree_size
            time.sleep(POLL_S)

    def audit_entries(self, token: str) -> list:
        """Every entry of GET /v1/audit that `token` may read."""
        entries, after = [], 0
        for _ in range(1000):
            resp = self.hub.request("GET", f"/v1/audit?after={after}&limit=1000", token=token)
            self.assertEqual(resp.status, 200, resp.describe())
            page = resp.body["entries"]
            entries.extend(page)
            if page:
                after = page[-1]["seq"]
            if len(page) < 1000:
                break
        return entries

    def own_entries(self, entries: list) -> typing.Dict[str, dict]:
        """request id -> the request's own entry (not an access entry) that its access entries
        follow: exactly one each, except that a screening, whose answer streams after its entry
        is written, has a second at the end of its stream (docs/audit-log-format.md), which its
        access entries follow."""
        own = collections.defaultdict(list)
        for e in entries:
            if not e["action"].startswith(ACCESS_PREFIX):
                own[e["request_id"]].append(e)
        for rid, es in own.items():
            if len(es) == 2 and es[0]["action"] == "POST /v1/screening":
                self.assertEqual(es[1]["action"], es[0]["action"], es)
                self.assertTrue(es[1]["object"].startswith("end of screening: "), es)
                continue
            self.assertEqual(len(es), 1, f"request {rid} has several entries of its own: {es}")
        return {rid: es[-1] for rid, es in own.items()}

    # ---- checks of what is listed ----------------------------------------------------------

    def assertAccesses(self, items: list, expected: typing.List[Expected], owner: str) -> None:
        """The listed entries are exactly `expected` (with multiplicity), all of `owner`, each
        made by the request it names, with that request's user, source and time."""
        got = collections.Counter(key_of(i["entry"]) for i in items)
        want = collections.Counter(expected)
        self.assertEqual(got, want, "\nmissing: " + repr(list((want - got).elements())) +
                         "\nunexpected: " + repr(list((got - want).elements())))
        own = self.own_entries(self.audit_entries(self.hub.admin_token()))
        for item in items:
            e = item["entry"]
            with self.subTest(seq=e["seq"]):
                self.assertEqual(e["agency_id"], owner, e)
                self.assertTrue(e["action"].startswith(ACCESS_PREFIX), e)
                request = own.get(e["request_id"])
                self.assertIsNotNone(request, f"no entry of its own for request of {e}")
                self.assertEqual(request["outcome"], "ok", request)
                for field in ("user_id", "source"):
                    self.assertEqual(e[field], request[field], (field, e, request))
                self.assertEqual(iso_millis(e["time_ms"]), request["time"], (e, request))
                self.assertGreater(e["seq"], request["seq"], "an access entry precedes its request")
                # As stored: the same row, whose hash is its encoding's.
                row = self.hub.db_rows("SELECT * FROM audit_log WHERE seq = ?", (e["seq"],))[0]
                self.assertEqual({k: e[k] for k in R.ENTRY_FIELDS},
                                 {k: row[k] for k in R.ENTRY_FIELDS})
                self.assertEqual(R.entry_hash(e), e["hash"])

    def assertProofs(self, items: list, tree_size: int) -> None:
        """Every item's proof is the inclusion bundle of its entry in the newest head, verified
        by rfc9162.py (path recomputed from the store too) and by `ncbnet audit verify-proof`."""
        key = hub_key(self.hub)
        out = self.hub.cli("audit", "key")
        self.assertEqual(out.returncode, 0, describe(out))
        self.assertIn(key.public_hex, out.stdout, "audit key names another key than the seed's")
        rows = self.hub.audit_rows()
        leaves = [R.leaf_data(r["hash"]) for r in rows[:tree_size]]
        self.assertEqual(len(leaves), tree_size)
        folder = tempfile.mkdtemp(prefix="accesses-", dir=self.hub.dir)
        for item in items:
            e, bundle = item["entry"], item["proof"]
            with self.subTest(seq=e["seq"]):
                self.assertIsNotNone(bundle, f"no proof after {PROOF_WAIT_S} s: {e}")
                self.assertEqual(bundle["entry"], e)
                self.assertEqual(bundle["leaf_index"], e["seq"] - 1)
                self.assertEqual(bundle["tree_size"], tree_size, "not the newest head")
                self.assertEqual(bundle["inclusion_path"],
                                 [p.hex() for p in R.path(e["seq"] - 1, leaves)])
                self.assertEqual(bundle["tree_head"]["root_hash"], R.mth(leaves).hex())
                self.assertIsNone(R.verify_bundle(bundle, [key.public]))
                path = os.path.join(folder, f"access-{e['seq']}.json")
                with open(path, "w", encoding="utf-8") as f:
                    json.dump(bundle, f)
                out = subprocess.run([self.hub.bin, "audit", "verify-proof", path, "--hub-key",
                                      key.public_hex], capture_output=True, text=True,
                                     timeout=hub.CLI_TIMEOUT_S, stdin=subprocess.DEVNULL)
                self.assertEqual(out.returncode, 0, describe(out))


class AccessesTest(AccessesCase):
    """France's records checked, searched and read by Germany and Italy; Germany's by Italy."""

    @classmethod
    def set_up_network(cls):
        h = cls.hub
        gs = h.admin_token()
        # NCB users: an NCB holds every capability but notice.review, audit.read included.
        cls.fra = cls.user("ncb-fra", "aa.fra.ncb")
        cls.deu = cls.user("ncb-deu", "aa.deu.ncb")
        cls.ita = cls.user("ncb-ita", "aa.ita.ncb")
        # An agency of France's branch that may check SLTD, without audit.read.
        bare = h.create_agency(gs, "ncb-fra", "agency", "AA agency without audit.read")
        cls.bare = cls.user(bare["id"], "aa.fra.bare", "record.check:SLTD")
        cls.run_script()

    @classmethod
    def run_script(cls):
        """What the tests look at: each request, and the access entries it must cause."""
        only_esp = {"visibility": "only", "countries": ["ESP"], "frontline": False}
        fra, deu, ita = cls.fra, cls.deu, cls.ita
        cls.visible = cls.create(fra, "SLTD", passport("AC1000001"))
        cls.hidden = cls.create(fra, "SLTD", passport("AC1000002"), restrictions=only_esp)
        cls.person = cls.create(fra, "NOMINAL", {
            "name": "Mathilde Rousseau", "name_latin": "Mathilde Rousseau",
            "date_of_birth": "1981-03-14", "sex": "F"})
        cls.hidden_person = cls.create(fra, "NOMINAL", {
            "name": "Bartholomew Okonkwo", "name_latin": "Bartholomew Okonkwo",
            "date_of_birth": "1969-11-02", "sex": "M"}, restrictions=only_esp)
        cls.german = cls.create(deu, "SLTD", passport("AC2000001", "DEU"))
        v, hd, p, hp, d = (cls.visible["id"], cls.hidden["id"], cls.person["id"],
                           cls.hidden_person["id"], cls.german["id"])
        fra_expected, deu_expected = [], []

        def told(resp, action, outcome, what, by, owner=fra_expected):
            owner.append(Expected(resp.request_id, "access " + action, outcome,
                                  f"{what}; by {by}"))

        # Germany: a check that matches, one of the restricted record, one of nothing.
        r = cls.check(deu, "AC1000001")
        assert r.body["match"] and r.body["matches"][0]["record"]["id"] == v, r.describe()
        told(r, "check", "shown", f"SLTD {v}", "ncb-deu")
        cls.deu_hidden = cls.check(deu, "AC1000002")
        told(cls.deu_hidden, "check", "hidden", f"SLTD {hd}", "ncb-deu")
        cls.deu_nothing = cls.check(deu, "AC1999999")
        assert cls.deu_hidden.body == cls.deu_nothing.body == {"match": False}, \
            (cls.deu_hidden.body, cls.deu_nothing.body)

        # Italy: a batch holding each, and Germany's record.
        r = cls.call(ita, "POST", "/v1/checks/SLTD", {"items": [
            {"number": "AC1000001", "issuing_country": "FRA"},
            {"number": "AC1000002", "issuing_country": "FRA"},
            {"number": "AC1999998", "issuing_country": "FRA"},
            {"number": "AC2000001", "issuing_country": "DEU"}]})
        assert [x["match"] for x in r.body["results"]] == [True, False, False, True], r.describe()
        told(r, "check", "shown", f"SLTD {v}", "ncb-ita")
        told(r, "check", "hidden", f"SLTD {hd}", "ncb-ita")
        told(r, "check", "shown", f"SLTD {d}", "ncb-ita", deu_expected)

        # Name searches: a person shown, a person hidden, nobody.
        r = cls.call(deu, "POST", "/v1/search/NOMINAL", {"name": "Mathilde Rousseau"})
        assert [x["record"]["id"] for x in r.body["results"]] == [p], r.describe()
        told(r, "check", "shown", f"NOMINAL {p}", "ncb-deu")
        cls.ita_hidden_search = cls.call(ita, "POST", "/v1/search/NOMINAL",
                                         {"name": "Bartholomew Okonkwo"})
        told(cls.ita_hidden_search, "check", "hidden", f"NOMINAL {hp}", "ncb-ita")
        cls.ita_empty_search = cls.call(ita, "POST", "/v1/search/NOMINAL",
                                        {"name": "Zacharias Quennell"})
        assert cls.ita_hidden_search.body == cls.ita_empty_search.body == \
            {"database": "NOMINAL", "results": []}, \
            (cls.ita_hidden_search.body, cls.ita_empty_search.body)

        # A read of the visible record.
        r = cls.call(deu, "GET", f"/v1/records/SLTD/{v}")
        assert r.body["id"] == v, r.describe()
        told(r, "read", "shown", f"SLTD {v}", "ncb-deu")

        # Border checks by document: one shown, and in a batch one hidden beside nothing.
        r = cls.call(deu, "POST", "/v1/border-checks",
                     {"document": {"number": "AC1000001", "issuing_country": "FRA"}})
        assert r.body["document"]["matches"][0]["record"]["id"] == v, r.describe()
        told(r, "check", "shown", f"SLTD {v}", "ncb-deu")
        r = cls.call(ita, "POST", "/v1/border-checks", {"travellers": [
            {"document": {"number": "AC1000002", "issuing_country": "FRA"}},
            {"document": {"number": "AC1999997", "issuing_country": "FRA"}}]})
        assert [x["document"]["match"] for x in r.body["results"]] == [False, False], \
            r.describe()
        told(r, "check", "hidden", f"SLTD {hd}", "ncb-ita")

        # France exports its own SLTD records, one a page: two pages.
        first = cls.call(fra, "GET", "/v1/records/SLTD?limit=1")
        told(first, "export", "shown", "SLTD 1 records after ref 0", "ncb-fra")
        after = first.body["next_after"]
        second = cls.call(fra, "GET", f"/v1/records/SLTD?limit=1&after={after}")
        told(second, "export", "shown", f"SLTD 1 records after ref {after}", "ncb-fra")
        exported = [x["id"] for x in first.body["records"] + second.body["records"]]
        assert sorted(exported) == sorted([v, hd]), exported

        cls.fra_expected, cls.deu_expected = fra_expected, deu_expected
        cls.deu_requests = {e.request_id for e in fra_expected if e.object.endswith("ncb-deu")}
        cls.ita_requests = {e.request_id for e in fra_expected + deu_expected
                            if e.object.endswith("ncb-ita")}
        cls.deu_requests |= {cls.deu_nothing.request_id}
        cls.ita_requests |= {cls.ita_empty_search.request_id}

    # ---- the owner -------------------------------------------------------------------------

    def test_owner_lists_exactly_the_accesses_to_its_records(self):
        items, _ = self.accesses_with_proofs(self.fra, len(self.fra_expected))
        self.assertAccesses(items, self.fra_expected, "ncb-fra")
        # Nothing names the check that matched nothing.
        for rid in (self.deu_nothing.request_id, self.ita_empty_search.request_id):
            self.assertNotIn(rid, {i["entry"]["request_id"] for i in items})

    def test_the_cli_lists_them_one_line_each(self):
        items, _ = self.accesses_with_proofs(self.fra, len(self.fra_expected))
        out = subprocess.run(
            [self.hub.bin, "audit", "accesses", "--limit", "100", "--url", self.hub.url, "--ca",
             self.hub.ca_cert, "--token", self.fra], capture_output=True, text=True,
            timeout=hub.CLI_TIMEOUT_S, stdin=subprocess.DEVNULL)
        self.assertEqual(out.returncode, 0, describe(out))
        lines = [l for l in out.stdout.splitlines() if l and not l.startswith("next: ")]
        self.assertEqual(len(lines), len(items), out.stdout)
        for item, line in zip(items, lines):
            e = item["entry"]
            self.assertTrue(line.startswith(f"{e['seq']}  {iso_millis(e['time_ms'])}  "), line)
            self.assertIn(f"{e['action']} {e['outcome']}  {e['object']}", line)
            # In the newest head at the time of the CLI's call, which may be newer.
            size = int(line.rsplit("proof in head ", 1)[1])
            self.assertGreaterEqual(size, item["proof"]["tree_size"], line)

    def test_every_access_entry_proves_against_the_newest_head(self):
        items, tree_size = self.accesses_with_proofs(self.fra, len(self.fra_expected))
        self.assertGreaterEqual(len(items), len(self.fra_expected))
        self.assertProofs(items, tree_size)

    def test_the_gs_reads_every_owners_accesses(self):
        fra, _ = self.accesses_with_proofs(self.fra, len(self.fra_expected))
        deu, _ = self.accesses_with_proofs(self.deu, len(self.deu_expected))
        gs, _ = self.accesses_with_proofs(self.hub.admin_token(),
                                          len(self.fra_expected) + len(self.deu_expected))
        self.assertEqual(sorted(i["entry"]["hash"] for i in gs),
                         sorted(i["entry"]["hash"] for i in fra + deu))
        # France reads its access entries in GET /v1/audit too, as entries of its branch.
        listed = {e["hash"]: e for e in self.audit_entries(self.fra)}
        for i in fra:
            served = listed.get(i["entry"]["hash"])
            self.assertIsNotNone(served, i["entry"])
            self.assertEqual({k: served[k] for k in SAME_FIELDS + ("seq", "request_id")},
                             {k: i["entry"][k] for k in SAME_FIELDS + ("seq", "request_id")})
        # But not the checkers' own entries of those requests, nor their proofs.
        others = self.deu_requests | self.ita_requests
        self.assertEqual({(e["agency_id"], e["action"][:len(ACCESS_PREFIX)])
                          for e in listed.values() if e["request_id"] in others},
                         {("ncb-fra", ACCESS_PREFIX)})
        own = self.own_entries(self.audit_entries(self.hub.admin_token()))
        checker_entry = own[self.deu_hidden.request_id]
        resp = self.hub.request("GET", f"/v1/audit/entries/{checker_entry['seq']}/proof",
                                token=self.fra)
        self.assertError(resp, 404, "entry_not_found")

    # ---- the checker -----------------------------------------------------------------------

    def test_checkers_read_none_of_the_entries_their_requests_caused(self):
        for token, requests, agency in ((self.deu, self.deu_requests, "ncb-deu"),
                                        (self.ita, self.ita_requests, "ncb-ita")):
            with self.subTest(checker=agency):
                entries = self.audit_entries(token)
                by_request = collections.defaultdict(list)
                for e in entries:
                    by_request[e["request_id"]].append(e)
                for rid in requests:
                    # Its own entry, and nothing else of that request.
                    self.assertEqual([(e["agency_id"], e["outcome"]) for e in by_request[rid]],
                                     [(agency, "ok")], by_request[rid])
                    self.assertFalse(by_request[rid][0]["action"].startswith(ACCESS_PREFIX))
                self.assertFalse([e for e in entries if e["agency_id"] == "ncb-fra"])
                items, _ = self.list_accesses(token)
                self.assertFalse([i for i in items if i["entry"]["request_id"] in requests],
                                 items)

    def test_a_hidden_match_is_audited_for_the_checker_as_no_match(self):
        for token, hidden, nothing, object_ in (
                (self.deu, self.deu_hidden, self.deu_nothing, "SLTD checked 1, matched 0"),
                (self.ita, self.ita_hidden_search, self.ita_empty_search,
                 "NOMINAL name search, 0 found")):
            with self.subTest(object=object_):
                own = self.own_entries(self.audit_entries(token))
                a, b = own[hidden.request_id], own[nothing.request_id]
                self.assertEqual({k: a[k] for k in SAME_FIELDS}, {k: b[k] for k in SAME_FIELDS})
                self.assertEqual((a["outcome"], a["object"]), ("ok", object_), a)
                self.assertEqual(set(a), set(b))

    # ---- other owners, and who may list ----------------------------------------------------

    def test_other_owners_list_only_their_own_accesses(self):
        deu, tree_size = self.accesses_with_proofs(self.deu, len(self.deu_expected))
        self.assertAccesses(deu, self.deu_expected, "ncb-deu")
        self.assertProofs(deu, tree_size)
        # Italy's records were never touched: it lists nothing, not France's nor Germany's.
        ita, _ = self.list_accesses(self.ita)
        self.assertEqual(ita, [])

    def test_listing_needs_audit_read_and_checks_its_parameters(self):
        resp = self.hub.request("GET", "/v1/audit/accesses", token=self.bare)
        self.assertError(resp, 403, "missing_capability")
        self.assertEqual(self.hub.request("GET", "/v1/audit/accesses").status, 401)
        for query in ("limit=0", "limit=101", "limit=ten", "after=-1", "after=x",
                      "colour=red"):
            with self.subTest(query=query):
                resp = self.hub.request("GET", f"/v1/audit/accesses?{query}", token=self.fra)
                self.assertError(resp, 400, "invalid_request")
        # Pages of one give the same entries as one page.
        whole, _ = self.accesses_with_proofs(self.fra, len(self.fra_expected))
        paged, _ = self.list_accesses(self.fra, limit=1)
        self.assertEqual([i["entry"] for i in paged], [i["entry"] for i in whole])
        resp = self.hub.request("GET", f"/v1/audit/accesses?after={whole[-1]['entry']['seq']}",
                                token=self.fra)
        self.assertEqual((resp.status, resp.body["accesses"]), (200, []), resp.describe())
        self.assertEqual(resp.body["next_after"], whole[-1]["entry"]["seq"])


class ReplicaAccessesTest(AccessesCase):
    """A German terminal's replica holds French records: France is told once per database and
    package, with the count, not once per record."""

    @classmethod
    def set_up_network(cls):
        h = cls.hub
        gs = h.admin_token()
        cls.fra = cls.user("ncb-fra", "ar.fra.ncb")
        cls.deu = cls.user("ncb-deu", "ar.deu.ncb")
        terminal = h.create_agency(gs, "ncb-deu", "terminal", "AR Frankfurt gate")
        h.grant(gs, terminal["id"], "record.check:SLTD")
        h.grant(gs, terminal["id"], "record.check:NOMINAL")
        cls.terminal = cert_principal(h, terminal["id"])

    def test_a_replica_package_is_one_access_per_owner_and_database(self):
        fra, term = self.fra, self.terminal.agency
        self.create(fra, "SLTD", passport("AR1000001"))
        self.create(fra, "SLTD", passport("AR1000002"))
        # Not in a German terminal's replica: withheld from frontline, restricted to Spain.
        self.create(fra, "SLTD", passport("AR1000003"),
                    restrictions={"visibility": "all", "frontline": False})
        self.create(fra, "SLTD", passport("AR1000004"),
                    restrictions={"visibility": "only", "countries": ["ESP"]})
        # A replica holds the records it can match offline: a person by identity document.
        self.create(fra, "NOMINAL", {"name": "Odile Ferrand", "date_of_birth": "1990-01-01",
                                     "sex": "F", "identity_documents": [
                                         {"number": "AR3000001", "issuing_country": "FRA"}]})
        self.create(self.deu, "SLTD", passport("AR2000001", "DEU"))

        enrol = self.call(self.terminal, "POST", "/v1/replicas", status=201)
        rid = enrol.body["id"]
        self.assertEqual(enrol.body["databases"], ["NOMINAL", "SLTD"])
        snapshot = self.call(self.terminal, "GET", f"/v1/replicas/{rid}/snapshot")
        seq = self.call(self.terminal, "GET", f"/v1/replicas/{rid}").body["last_seq"]
        expected = [
            Expected(snapshot.request_id, "access replica", "shown",
                     f"SLTD 2 records in replica {rid} snapshot to {seq}; by {term}"),
            Expected(snapshot.request_id, "access replica", "shown",
                     f"NOMINAL 1 records in replica {rid} snapshot to {seq}; by {term}")]

        # A new French record, then a delta; then a delta with nothing of France's.
        self.create(fra, "SLTD", passport("AR1000005"))
        delta = self.call(self.terminal, "GET", f"/v1/replicas/{rid}/delta?from={seq}")
        seq2 = self.call(self.terminal, "GET", f"/v1/replicas/{rid}").body["last_seq"]
        self.assertGreater(seq2, seq)
        expected.append(Expected(delta.request_id, "access replica", "shown",
                                 f"SLTD 1 records in replica {rid} delta from {seq} to {seq2}; "
                                 f"by {term}"))
        self.create(self.deu, "SLTD", passport("AR2000002", "DEU"))
        quiet = self.call(self.terminal, "GET", f"/v1/replicas/{rid}/delta?from={seq2}")

        items, tree_size = self.accesses_with_proofs(self.fra, len(expected))
        self.assertAccesses(items, expected, "ncb-fra")
        self.assertNotIn(quiet.request_id, {i["entry"]["request_id"] for i in items})
        self.assertTrue(all(i["entry"]["user_id"].startswith("cert:") for i in items), items)
        self.assertProofs(items, tree_size)
        # The terminal's own side of the sync says nothing of France.
        own = self.own_entries(self.audit_entries(self.hub.admin_token()))
        self.assertEqual(own[snapshot.request_id]["agency_id"], term)


class ScreeningAccessesTest(AccessesCase):
    """A passenger screening (POST /v1/screening) checks each traveller's document and searches
    their name: each match, shown or hidden, is an access like a check's or a search's."""

    @classmethod
    def set_up_network(cls):
        cls.fra = cls.user("ncb-fra", "as.fra.ncb")
        cls.ita = cls.user("ncb-ita", "as.ita.ncb")

    def test_screening_matches_are_told_to_the_owner(self):
        only_esp = {"visibility": "only", "countries": ["ESP"], "frontline": False}
        v = self.create(self.fra, "SLTD", passport("AS1000001"))["id"]
        h = self.create(self.fra, "SLTD", passport("AS1000002"), restrictions=only_esp)["id"]
        p = self.create(self.fra, "NOMINAL", {"name": "Mathilde Rousseau",
                                              "date_of_birth": "1981-03-14", "sex": "F"})["id"]
        resp = self.call(self.ita, "POST", "/v1/screening", {"travellers": [
            {"document": {"number": "AS1000001", "issuing_country": "FRA"}},
            {"document": {"number": "AS1000002", "issuing_country": "FRA"}},
            {"name": "Mathilde Rousseau", "date_of_birth": "1981-03-14"},
            {"document": {"number": "AS1999999", "issuing_country": "FRA"}}]})
        lines = [json.loads(line) for line in resp.body.splitlines() if line] \
            if isinstance(resp.body, str) else [resp.body]
        results = lines[1:]
        self.assertEqual(results[0]["document"]["matches"][0]["record"]["id"], v, lines)
        self.assertEqual(results[1]["document"], {"match": False}, lines)
        self.assertEqual([x["record"]["id"] for x in results[2]["persons"]], [p], lines)
        self.assertEqual(self.hub.request("GET", "/healthz").status, 200, self.hub.log_tail())
        rid = resp.request_id
        expected = [Expected(rid, "access check", "shown", f"SLTD {v}; by ncb-ita"),
                    Expected(rid, "access check", "hidden", f"SLTD {h}; by ncb-ita"),
                    Expected(rid, "access check", "shown", f"NOMINAL {p}; by ncb-ita")]
        items, tree_size = self.accesses_with_proofs(self.fra, len(expected))
        self.assertAccesses(items, expected, "ncb-fra")
        self.assertProofs(items, tree_size)


if __name__ == "__main__":
    unittest.main()
