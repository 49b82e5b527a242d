"""`ncbnet records ...` and `ncbnet check ...` against the real server (issue 4, items 8 and 9):
imports that report every bad row by its line and import nothing, import then export round
trips, safe re-runs with --skip-existing, identifier checks with their output and exit codes,
and the demo network's records (the checks its banner offers answer as it says)."""

import json
import os
import re
import shlex
import signal
import sqlite3
import subprocess
import tempfile
import ssl
import urllib.request
import unittest

import hub
from msgutil import Cli, Principal, cert_principal
from test_records import passport




class RecordsCliTest(hub.HubTestCase):

    @classmethod
    def set_up_network(cls):
        cls.cli_runner = Cli(cls.hub)
        cls.fra = cert_principal(cls.hub, "ncb-fra")
        cls.deu = cert_principal(cls.hub, "ncb-deu")
        cls.ita = cert_principal(cls.hub, "ncb-ita")

    # ---- helpers ----------------------------------------------------------------------------

    def cli(self, who: Principal, *args: str) -> subprocess.CompletedProcess:
        return self.cli_runner.client(who, *args)

    def ok(self, who: Principal, *args: str) -> subprocess.CompletedProcess:
        out = self.cli(who, *args)
        self.assertEqual(out.returncode, 0, f"{args}: {out.stdout}{out.stderr}")
        return out

    def write(self, name: str, text: str) -> str:
        path = os.path.join(self.hub.dir, name)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        return path

    def count(self, db: str) -> int:
        return self.hub.db_rows("SELECT count(*) AS n FROM records WHERE database = ?",
                                (db,))[0]["n"]

    def export(self, who: Principal, db: str) -> list:
        out = self.ok(who, "records", "export", db)
        return [json.loads(line) for line in out.stdout.splitlines() if line.strip()]

    # ---- import -----------------------------------------------------------------------------

    def test_import_reports_every_bad_row_with_its_line_and_imports_nothing(self):
        before = self.count("SLTD")
        path = self.write("bad.csv", "\n".join([
            "number,issuing_country,document_type,status,event_date,external_id",  # 1
            "BR0000001,FRA,passport,stolen,2026-01-05,BR-1",                        # 2
            "BR0000002,FRA,passport,misplaced,2026-01-05,BR-2",                     # 3 bad status
            "BR0000003,FRA,passport,stolen",                                         # 4 too few cells
            '"BR0000004",FRA,passport,lost,2026-01-06,"BR-4"',                      # 5
            "BR#0000005,FRA,passport,lost,2026-01-06,BR-5",                         # 6 bad number
            "BR0000006,FRA,passport,lost,2026-01-06,BR-1",                          # 7 duplicate id
            '"BR0000007"x,FRA,passport,lost,2026-01-06,BR-7',                       # 8 bad quoting
            "BR0000008,FRA,passport,lost,not-a-date,BR-8",                          # 9 bad date
        ]) + "\n")
        out = self.cli(self.fra, "records", "import", "SLTD", path)
        self.assertNotEqual(out.returncode, 0, out.stdout + out.stderr)
        reported = re.findall(r"bad\.csv:(\d+): (\w+):", out.stderr)
        self.assertEqual([int(line) for line, _ in reported], [3, 4, 6, 7, 8, 9], out.stderr)
        codes = dict((int(line), code) for line, code in reported)
        self.assertEqual(codes[3], "invalid_field")
        self.assertEqual(codes[4], "invalid_csv")
        self.assertEqual(codes[6], "invalid_document_number")
        self.assertEqual(codes[7], "duplicate_external_id")
        self.assertEqual(codes[8], "invalid_csv")
        self.assertIn("import_rejected", out.stderr)
        self.assertEqual(self.count("SLTD"), before)

        summary = json.loads(self.cli(self.fra, "records", "import", "SLTD", path,
                                      "--json").stdout)
        self.assertEqual(summary["imported"], 0)
        self.assertEqual([r["line"] for r in summary["rejected"]], [3, 4, 6, 7, 8, 9])
        self.assertEqual(self.count("SLTD"), before)

    def test_a_csv_import_exports_as_it_went_in(self):
        path = self.write("persons.csv", "\n".join([
            "name,name_latin,aliases,sex,date_of_birth,nationalities,identity_documents,"
            "external_id,action,restrict,frontline",
            'Сергей Попов,Sergey Popov,Sergei Popov|Serhiy Popov,M,1980-03,RUS|UKR,'
            '"[{""number"":""710000001"",""issuing_country"":""RUS""}]",RT-1,'
            '"Arrest; inform NCB Paris",only:DEU,false',
            "张伟,Zhang Wei,Chang Wei,M,1990,CHN,,RT-2,,,",
        ]) + "\n")
        out = self.ok(self.fra, "records", "import", "NOMINAL", path, "--json")
        self.assertEqual(json.loads(out.stdout)["imported"], 2)
        exported = {r["external_id"]: r for r in self.export(self.fra, "NOMINAL")
                    if r.get("external_id", "").startswith("RT-")}
        popov = exported["RT-1"]
        self.assertEqual(popov["fields"]["aliases"], ["Sergei Popov", "Serhiy Popov"])
        self.assertEqual(popov["fields"]["nationalities"], ["RUS", "UKR"])
        self.assertEqual(popov["fields"]["identity_documents"][0]["number"], "710000001")
        self.assertEqual(popov["restrictions"],
                         {"visibility": "only", "countries": ["DEU"], "frontline": False})
        self.assertEqual(popov["action"], "Arrest; inform NCB Paris")
        self.assertEqual(exported["RT-2"]["fields"]["name"], "张伟")

        # JSON lines, bare fields and full inputs, go in and come out the same.
        lines = [json.dumps({"fields": passport("RJ0000001"), "external_id": "RJ-1",
                             "action": "Seize it"}),
                 json.dumps(passport("RJ0000002", status="lost"))]
        path = self.write("docs.jsonl", "\n".join(lines) + "\n")
        self.ok(self.fra, "records", "import", "SLTD", path)
        sltd = self.export(self.fra, "SLTD")
        by_number = {r["fields"]["number"]: r for r in sltd}
        self.assertEqual(by_number["RJ0000001"]["action"], "Seize it")
        self.assertEqual(by_number["RJ0000002"]["fields"], passport("RJ0000002", status="lost"))
        self.assertNotIn("RJ0000001", json.dumps(self.export(self.deu, "SLTD")))

        # An export goes back in as it is: every record already there, so with --skip-existing
        # nothing is imported twice.
        exported_path = os.path.join(self.hub.dir, "export.jsonl")
        self.ok(self.fra, "records", "export", "NOMINAL", "--out", exported_path)
        before = self.count("NOMINAL")
        out = self.ok(self.fra, "records", "import", "NOMINAL", exported_path, "--skip-existing",
                      "--json")
        self.assertEqual(json.loads(out.stdout)["imported"], 0)
        self.assertEqual(self.count("NOMINAL"), before)

    def test_a_rerun_with_skip_existing_imports_only_the_new_rows(self):
        header = "number,issuing_country,document_type,status,external_id\n"
        first = "".join(f"SK000000{i},ITA,passport,stolen,SK-{i}\n" for i in range(3))
        path = self.write("first.csv", header + first)
        self.ok(self.ita, "records", "import", "SLTD", path)
        second = first + "".join(f"SK000000{i},ITA,passport,lost,SK-{i}\n" for i in range(3, 5))
        path = self.write("second.csv", header + second)
        before = self.count("SLTD")
        out = self.cli(self.ita, "records", "import", "SLTD", path)
        self.assertNotEqual(out.returncode, 0)
        self.assertEqual(re.findall(r"second\.csv:(\d+): record_exists", out.stderr),
                         ["2", "3", "4"], out.stderr)
        self.assertEqual(self.count("SLTD"), before)
        out = self.ok(self.ita, "records", "import", "SLTD", path, "--skip-existing", "--json")
        summary = json.loads(out.stdout)
        self.assertEqual((summary["imported"], summary["skipped"]), (2, 3), summary)
        self.assertEqual(self.count("SLTD"), before + 2)

    def test_a_large_import_goes_in_batches(self):
        rows = "".join(f"LG{i:07d},DEU,passport,lost\n" for i in range(2500))
        path = self.write("large.csv", "number,issuing_country,document_type,status\n" + rows)
        before = self.count("SLTD")
        out = self.ok(self.deu, "records", "import", "SLTD", path)
        self.assertIn("imported 2500 record(s) into SLTD", out.stdout)
        self.assertEqual(self.count("SLTD"), before + 2500)

    # ---- records ------------------------------------------------------------------------------

    def test_create_update_review_cancel_and_versions(self):
        rec = json.loads(self.ok(self.fra, "records", "create", "SLTD", "--fields",
                                 json.dumps(passport("CU0000001")), "--restrict", "except:ITA",
                                 "--action", "Seize it", "--json").stdout)
        self.assertEqual(rec["restrictions"]["visibility"], "except")
        rid = rec["id"]
        out = self.ok(self.fra, "records", "get", "SLTD", rid)
        self.assertIn("visible to:  except ITA", out.stdout)
        self.assertIn("action:      Seize it", out.stdout)
        out = self.cli(self.ita, "records", "get", "SLTD", rid)
        self.assertEqual(out.returncode, 1)
        self.assertIn("record_not_found", out.stderr)
        fields = self.write("fields.json", json.dumps(passport("CU0000001", status="revoked")))
        self.ok(self.fra, "records", "update", "SLTD", rid, "--version", "1", "--fields",
                "@" + fields)
        out = self.cli(self.fra, "records", "update", "SLTD", rid, "--version", "1",
                       "--fields", "@" + fields)
        self.assertIn("version_conflict", out.stderr)
        self.ok(self.fra, "records", "review", "SLTD", rid, "--version", "2",
                "--review-date", "2031-01-31")
        self.ok(self.fra, "records", "cancel", "SLTD", rid, "--version", "3", "--reason",
                "found")
        versions = json.loads(self.ok(self.fra, "records", "versions", "SLTD", rid,
                                      "--json").stdout)["versions"]
        self.assertEqual([v["version"] for v in versions], [1, 2, 3, 4])
        self.assertEqual(versions[-1]["status"], "cancelled")
        out = self.ok(self.deu, "records", "databases")
        self.assertIn("SLTD  Stolen and lost travel documents", out.stdout)

    # ---- checks -------------------------------------------------------------------------------

    def test_checks_answer_match_or_no_match_with_exit_zero(self):
        self.ok(self.fra, "records", "create", "SLTD", "--fields",
                json.dumps(passport("CK0000001")), "--action", "Hold the bearer")
        self.ok(self.fra, "records", "create", "SMV", "--fields", json.dumps(
            {"vin": "1M8GDM9AXKP042788", "plate": "AB-123-CD", "plate_country": "FRA",
             "make": "Ford"}))
        out = self.ok(self.deu, "check", "document", "--number", "ck 000-0001", "--country", "fra")
        self.assertIn("MATCH  SLTD", out.stdout)
        self.assertIn("owner ncb-fra (FRA)", out.stdout)
        self.assertIn("action: Hold the bearer", out.stdout)
        self.assertRegex(out.stdout, r"hit: +hit_\w+ \(the owner is told\)")
        answer = json.loads(self.ok(self.deu, "check", "document", "--number", "CK0000001",
                                    "--country", "FRA", "--json").stdout)
        self.assertTrue(answer["match"])
        self.assertEqual(answer["matches"][0]["action"], "Hold the bearer")
        # The check's circumstances go with its hit to the owner.
        answer = json.loads(self.ok(self.deu, "check", "document", "--number", "CK0000001",
                                    "--country", "FRA", "--location", "Frankfurt airport T1",
                                    "--flight", "LH1234", "--json").stdout)
        hit = self.hub.request("GET", f"/v1/hits/{answer['matches'][0]['hit']}",
                               **self.fra.request_args())
        self.assertEqual(hit.status, 200, hit.describe())
        self.assertEqual((hit.body["context"]["location"], hit.body["context"]["flight"]),
                         ("Frankfurt airport T1", "LH1234"))
        out = self.ok(self.deu, "check", "document", "--number", "CK0000002", "--country", "FRA")
        self.assertEqual(out.stdout.strip(), "no match")
        self.assertEqual(json.loads(self.ok(self.deu, "check", "vin", "1m8gdm9axkp042788",
                                            "--json").stdout)["match"], True)
        self.assertIn("MATCH", self.ok(self.deu, "check", "plate", "--plate", "AB123CD",
                                       "--country", "FRA").stdout)
        self.assertIn("MATCH", self.ok(self.deu, "check", "SMV", "plate=ab 123 cd",
                                       "plate_country=FRA").stdout)
        bad = self.cli(self.deu, "check", "document", "--number", "CK0000001", "--country",
                       "FRANCE")
        self.assertEqual(bad.returncode, 1)
        self.assertIn("invalid_country", bad.stderr)
        self.assertEqual(self.cli(self.deu, "check", "NOPE", "x=1").returncode, 1)

    def test_batch_checks_answer_in_order_as_json_lines(self):
        for i in (0, 2):
            self.ok(self.fra, "records", "create", "SLTD", "--fields",
                    json.dumps(passport(f"BQ000000{i}")))
        path = self.write("items.csv", "\n".join([
            "number,issuing_country",
            "BQ0000000,FRA", "BQ0000001,FRA", "bad#,FRA", "BQ0000002,FRA,extra",
            "BQ0000002,FRA"]) + "\n")
        out = self.ok(self.deu, "check", "batch", "SLTD", path)
        results = [json.loads(line) for line in out.stdout.splitlines()]
        self.assertEqual([r["line"] for r in results], [2, 3, 4, 5, 6])
        self.assertEqual([r.get("match") for r in results], [True, False, None, None, True])
        self.assertEqual(results[2]["error"]["code"], "invalid_document_number")
        self.assertEqual(results[3]["error"]["code"], "invalid_csv")

    def test_a_manifest_is_screened_in_file_order(self):
        self.ok(self.fra, "records", "create", "SLTD", "--fields",
                json.dumps(passport("MF0000001")))
        self.ok(self.fra, "records", "create", "NOMINAL", "--fields",
                json.dumps({"name": "Иван Петров", "name_latin": "Ivan Petrov",
                            "date_of_birth": "1985-03-02"}))
        path = self.write("manifest.csv", "\n".join([
            "document_number,issuing_country,name,date_of_birth,nationality",
            "MF0000001,FRA,Jean Martin,1970-01-01,FRA",
            "MF0000002,FRA,Ivan Petrov,1985-03-02,RUS",
            "MF0000003,FRA,Anna Schmidt,1990,DEU",
            "bad#,FRA,,,",
            "too,many,cells,in,this,row"]) + "\n")
        out = self.ok(self.deu, "check", "manifest", path, "--flight", "LH1234")
        results = [json.loads(line) for line in out.stdout.splitlines()]
        self.assertEqual([r["line"] for r in results], [2, 3, 4, 5, 6])
        self.assertEqual([r.get("alert") for r in results], [True, True, False, False, None])
        self.assertTrue(results[0]["document"]["match"])
        self.assertEqual(results[1]["persons"][0]["record"]["fields"]["name_latin"], "Ivan Petrov")
        self.assertEqual(results[3]["document"]["error"]["code"], "invalid_document_number")
        self.assertEqual(results[4]["error"]["code"], "invalid_csv")
        self.assertIn("4 traveller(s) screened, 2 alert(s), 1 unreadable row(s)", out.stderr)
        # A refused call (here a bad token) exits 1 with the hub's code.
        refused = self.cli(Principal("ncb-ita", token="not-a-token"), "check", "manifest", path)
        self.assertEqual(refused.returncode, 1)
        self.assertIn("invalid_token", refused.stderr)


class DemoRecordsTest(unittest.TestCase):
    """`ncbnet demo` seeds records, and the check commands its banner prints answer as the
    banner says, for the user it names."""

    def test_the_banners_checks_answer_as_printed(self):
        binary = hub.binary()
        work = tempfile.mkdtemp(prefix="ncbnet-it-demo-")
        data = os.path.join(work, "data-demo")
        proc = subprocess.Popen([binary, "demo", "--data-dir", data, "--port", "0"],
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                stdin=subprocess.DEVNULL, text=True)
        try:
            lines = []
            for line in proc.stdout:  # bounded: the demo prints its banner, then serves
                lines.append(line.rstrip("\n"))
                if "Stop with Ctrl-C" in line:
                    break
            banner = "\n".join(lines)
            url = re.search(r"demo network is up: (https://\S+)", banner).group(1)
            checks = re.findall(r"^    (\S+ check .*)\n      # (MATCH|no match): (.*)$", banner,
                                re.M)
            self.assertGreaterEqual(len(checks), 3, banner)
            self.assertIn("no match", [c[1] for c in checks])
            ctx = ssl.create_default_context(cafile=os.path.join(data, "ca.crt"))

            def first_line(user: str, command: str) -> str:
                req = urllib.request.Request(
                    url + "/v1/auth/login", method="POST",
                    data=json.dumps({"user": user, "password": "demo-password-2026"}).encode(),
                    headers={"Content-Type": "application/json"})
                with urllib.request.urlopen(req, context=ctx, timeout=hub.REQUEST_TIMEOUT_S) as r:
                    token = json.loads(r.read())["token"]
                out = subprocess.run(shlex.split(command), capture_output=True, text=True,
                                     env=dict(os.environ, NCBNET_TOKEN=token),
                                     timeout=hub.CLI_TIMEOUT_S)
                self.assertEqual(out.returncode, 0, f"{command}: {out.stderr}")
                return out.stdout.splitlines()[0]

            for command, expect, note in checks:
                first = first_line("fra.border", command)
                self.assertTrue(first.startswith(expect) and
                                (expect == "MATCH" or first == "no match"),
                                f"{command} ({note}): {first}")
                if expect == "no match":  # restricted, not absent: its owner's country sees it
                    self.assertTrue(first_line("deu.admin", command).startswith("MATCH"), note)
            # Several databases, several owners, thousands of travel documents. (The demo's
            # network is always on the embedded store, whatever NCBNET_IT_STORE says.)
            conn = sqlite3.connect(f"file:{data}/ncbnet.db?mode=ro", uri=True)
            try:
                counts = dict(conn.execute(
                    "SELECT database, count(*) FROM records GROUP BY database").fetchall())
                owners = conn.execute(
                    "SELECT count(DISTINCT owner_country) FROM records").fetchone()[0]
            finally:
                conn.close()
            # NOTICES: the subjects of the demo's published notices and diffusion.
            self.assertEqual(set(counts), {"SLTD", "SMV", "NOMINAL", "FIREARMS", "WOA", "SAD",
                                           "VESSELS", "NOTICES"})
            self.assertGreaterEqual(counts["SLTD"], 3000)
            self.assertGreaterEqual(owners, 8)
        finally:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=hub.STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
            proc.stdout.close()


if __name__ == "__main__":
    unittest.main()
