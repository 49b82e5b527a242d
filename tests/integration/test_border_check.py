"""The border check against the real server (issue 5, item 3): one call from a passport's
machine readable zone (or document fields, or a batch of either) answers the document's status in
SLTD, the persons of NOMINAL it matches, the live notices they cite and the owners' actions (the
subjects of notices in NOTICES: src/api/notice_checks_test.cc); a terminal checks with its client
certificate, only against the databases it was granted, and never sees a record withheld from
frontline terminals; every match is a hit; a bad MRZ is refused with a precise code, nothing
recorded, and audited. `ncbnet check mrz` does the same."""


import hub
from msgutil import Cli, Principal, cert_principal


def check_digit(s: str) -> str:
    weights = (7, 3, 1)
    total = 0
    for i, c in enumerate(s):
        value = 0 if c == "<" else int(c) if c.isdigit() else ord(c) - ord("A") + 10
        total += value * weights[i % 3]
    return str(total % 10)


def td3(state: str, primary: str, given: str, number: str, nationality: str, dob: str,
        sex: str, expiry: str) -> list:
    """A passport's two lines (ICAO Doc 9303 TD3), with every check digit right."""
    line1 = ("P<" + state + primary + "<<" + given.replace(" ", "<")).ljust(44, "<")[:44]
    n = number.ljust(9, "<")
    personal = "<" * 14
    composite = n + check_digit(n) + dob + check_digit(dob) + expiry + check_digit(expiry) + \
        personal + "<"
    line2 = (n + check_digit(n) + nationality + dob + check_digit(dob) + sex + expiry +
             check_digit(expiry) + personal + "<" + check_digit(composite))
    return [line1, line2]


def td1(state: str, number: str, dob: str, sex: str, expiry: str, nationality: str,
        primary: str, given: str) -> list:
    """An identity card's three lines (TD1)."""
    n = number.ljust(9, "<")
    line1 = ("ID" + state + n + check_digit(n)).ljust(30, "<")
    line2 = (dob + check_digit(dob) + sex + expiry + check_digit(expiry) + nationality).ljust(29,
                                                                                            "<")
    composite = line1[5:30] + line2[0:7] + line2[8:15] + line2[18:29]
    line2 += check_digit(composite)
    line3 = (primary + "<<" + given.replace(" ", "<")).ljust(30, "<")[:30]
    return [line1, line2, line3]


def td2(state: str, primary: str, given: str, number: str, nationality: str, dob: str,
        sex: str, expiry: str, with_filler: bool = False) -> list:
    """An identity card's two lines (TD2). A number over 9 characters is extended into the
    optional data (Doc 9303 Part 6, note j), its check digit over the whole number or, with
    `with_filler`, over the first 9 characters, '<' and the rest, as some issuers compute it."""
    line1 = ("I<" + state + primary + "<<" + given.replace(" ", "<")).ljust(36, "<")[:36]
    if len(number) > 9:
        first, rest = number[:9], number[9:]
        digit = check_digit(first + "<" + rest if with_filler else number)
        head, optional = first + "<", rest + digit + "<"
    else:
        n = number.ljust(9, "<")
        head, optional = n + check_digit(n), ""
    line2 = (head + nationality + dob + check_digit(dob) + sex + expiry + check_digit(expiry) +
             optional).ljust(35, "<")
    line2 += check_digit(line2[0:10] + line2[13:20] + line2[21:35])
    return [line1, line2]


VOLKOV = td3("RUS", "VOLKOV", "ALEKSANDR SERGEEVICH", "754213986", "RUS", "840712", "M", "310415")
PETROV = td3("RUS", "PETROV", "DMITRI", "612345678", "RUS", "770203", "M", "300101")
NOBODY = td3("NLD", "JANSEN", "PIETER", "NX7Q21KL4", "NLD", "650101", "M", "290606")


class BorderCheckTest(hub.HubTestCase):

    @classmethod
    def set_up_network(cls):
        h = cls.hub
        cls.cli_runner = Cli(h)
        cls.fra = cert_principal(cls.hub, "ncb-fra")
        cls.deu = cert_principal(cls.hub, "ncb-deu")
        cls.ita = cert_principal(cls.hub, "ncb-ita")
        # Two French passport-control terminals: one granted SLTD and NOMINAL, one SLTD only;
        # and a third granted nothing.
        cls.gate = cls.terminal("CDG T2E passport control", "record.check:SLTD",
                                "record.check:NOMINAL")
        cls.gate_sltd = cls.terminal("Calais ferry lane 3", "record.check:SLTD")
        cls.gate_none = cls.terminal("Orly kiosk 1")
        person = {"name": "Александр Сергеевич Волков", "name_latin": "Aleksandr Sergeevich Volkov",
                  "sex": "M", "date_of_birth": "1984-07-12", "nationalities": ["RUS"],
                  "identity_documents": [{"number": "754213986", "issuing_country": "RUS"}],
                  "notices": ["A-4471/8-2026"]}
        cls.volkov = cls.create(cls.deu, "NOMINAL", person,
                                action="Arrest: Red Notice A-4471/8-2026; call NCB Wiesbaden.")
        # Withheld from frontline terminals by its owner.
        cls.petrov = cls.create(cls.deu, "NOMINAL", {
            "name": "Dmitri Petrov", "sex": "M", "date_of_birth": "1977-02-03",
            "nationalities": ["RUS"],
            "identity_documents": [{"number": "612345678", "issuing_country": "RUS"}]},
            restrictions={"visibility": "all", "frontline": False},
            action="Discreet check: report to NCB Wiesbaden.")
        cls.card = cls.create(cls.ita, "SLTD", {
            "number": "CA00012AB", "issuing_country": "ITA", "document_type": "identity_card",
            "status": "stolen"}, action="Seize the card; inform NCB Rome.")

    @classmethod
    def terminal(cls, name: str, *capabilities: str) -> Principal:
        h = cls.hub
        agency = h.create_agency(h.admin_token(), "ncb-fra", "terminal", name)
        for capability in capabilities:
            h.grant(h.admin_token(), agency["id"], capability)
        return cert_principal(cls.hub, agency["id"])

    @classmethod
    def create(cls, who: Principal, db: str, fields: dict, **extra) -> dict:
        resp = cls.hub.request("POST", f"/v1/records/{db}", {"fields": fields, **extra},
                               **who.request_args())
        assert resp.status == 201, resp.describe()
        return resp.body

    # ---- helpers ----------------------------------------------------------------------------

    def border_check(self, who: Principal, body: dict) -> hub.Response:
        return self.hub.request("POST", "/v1/border-checks", body, **who.request_args())

    def checked(self, who: Principal, body: dict) -> dict:
        resp = self.border_check(who, body)
        self.assertEqual(resp.status, 200, resp.describe())
        return resp.body

    def hits_by(self, agency: str) -> dict:
        """The hits recorded for `agency`'s checks: hit id -> record id."""
        return {r["id"]: r["record_id"] for r in self.hub.db_rows(
            "SELECT id, record_id FROM hits WHERE checker_agency = ?", (agency,))}

    def new_hits(self, agency: str, before: dict) -> list:
        """The record ids of `agency`'s hits recorded since `before` (a hits_by), sorted."""
        return sorted(r for h, r in self.hits_by(agency).items() if h not in before)

    @staticmethod
    def person_ids(answer: dict) -> list:
        return [p["record"]["id"] for p in answer.get("persons", [])]

    # ---- tests ------------------------------------------------------------------------------

    def test_passport_of_a_wanted_person_answers_everything_in_one_call(self):
        before = self.hits_by(self.gate.agency)
        answer = self.checked(self.gate, {"mrz": "\n".join(VOLKOV),
                                          "context": {"port": "CDG", "flight": "SU2454"}})
        self.assertEqual(answer["databases"], ["SLTD", "NOMINAL"])
        self.assertTrue(answer["mrz"]["valid"], answer["mrz"])
        self.assertEqual(answer["mrz"]["format"], "TD3")
        self.assertEqual(answer["document"]["match"], False)
        # Found by his passport among his identity documents, and once only (the name search
        # finds him too).
        self.assertEqual(self.person_ids(answer), [self.volkov["id"]])
        self.assertEqual(answer["persons"][0]["matched_by"], "document")
        # His record cites notice A-4471/8-2026, which no notice of the network bears: a
        # reference to a notice that is unknown (or not live) is not shown.
        self.assertEqual(answer["notices"], [])
        self.assertEqual(answer["actions"][0]["owner_country"], "DEU")
        self.assertIn("Red Notice", answer["actions"][0]["action"])
        self.assertTrue(answer["alert"])
        # Each match is a hit by the terminal: by document, and by name.
        self.assertEqual(self.new_hits(self.gate.agency, before),
                         [self.volkov["id"], self.volkov["id"]])

    def test_name_alone_finds_the_person_when_the_passport_is_another(self):
        other = td3("RUS", "VOLKOV", "ALEKSANDR", "700000001", "RUS", "840712", "M", "310415")
        answer = self.checked(self.gate, {"mrz": other})
        self.assertEqual(self.person_ids(answer), [self.volkov["id"]])
        self.assertEqual(answer["persons"][0]["matched_by"], "name")
        self.assertGreater(answer["persons"][0]["score"], 0.5)

    def test_stolen_identity_card_read_as_a_reader_sends_it(self):
        lines = td1("ITA", "CA00012AB", "900101", "F", "300101", "ITA", "ROSSI", "GIULIA")
        sent = "  " + "\r\n".join(line.lower() for line in lines) + "\r\n"
        answer = self.checked(self.gate, {"mrz": sent})
        self.assertEqual(answer["mrz"]["format"], "TD1")
        self.assertTrue(answer["document"]["match"])
        self.assertEqual(answer["document"]["matches"][0]["record"]["id"], self.card["id"])
        self.assertEqual(answer["actions"][0]["action"], "Seize the card; inform NCB Rome.")
        # The same as an array of lines.
        self.assertTrue(self.checked(self.gate, {"mrz": lines})["document"]["match"])

    def test_clear_traveller(self):
        answer = self.checked(self.gate, {"mrz": NOBODY})
        self.assertFalse(answer["alert"])
        self.assertEqual((answer["document"]["match"], answer["persons"], answer["notices"],
                          answer["actions"]), (False, [], [], []))

    def test_record_withheld_from_frontline_looks_absent_to_a_terminal(self):
        at_gate = self.checked(self.gate, {"mrz": PETROV})
        absent = self.checked(self.gate, {"mrz": NOBODY})
        self.assertEqual(self.person_ids(at_gate), [])
        for key in ("document", "persons", "notices", "actions", "alert", "databases"):
            self.assertEqual(at_gate[key], absent[key], key)
        self.assertNotIn(self.petrov["id"], self.hits_by(self.gate.agency).values())
        # The NCB itself (not a frontline terminal) sees him.
        self.assertIn(self.petrov["id"], self.person_ids(self.checked(self.fra, {"mrz": PETROV})))

    def test_terminal_checks_only_the_databases_it_was_granted(self):
        answer = self.checked(self.gate_sltd, {"mrz": VOLKOV})
        self.assertEqual(answer["databases"], ["SLTD"])
        self.assertNotIn("persons", answer)
        self.assertEqual(answer["notices"], [])
        self.assertFalse(answer["alert"])
        resp = self.border_check(self.gate_none, {"mrz": VOLKOV})
        self.assertError(resp, 403, "missing_capability")
        self.assertAudited(resp, "missing_capability")

    def test_document_fields_and_batches(self):
        answer = self.checked(self.gate, {"document": {"number": "ca 00012 ab",
                                                       "issuing_country": "ITA"},
                                          "name": "Giulia Rossi"})
        self.assertTrue(answer["document"]["match"])
        # A document number that does not normalise is answered in place; the name is still
        # searched, and nothing matches.
        typed = self.checked(self.gate, {"document": {"number": "#$%", "issuing_country": "ITA"},
                                         "name": "Giulia Rossi"})
        self.assertIn("error", typed["document"])
        self.assertEqual((typed["persons"], typed["alert"]), ([], False))
        self.assertError(self.border_check(self.gate, {"document": {"number": "CA00012AB"},
                                                       "passport": "x"}), 400, "invalid_request")
        bad = list(VOLKOV)
        bad[1] = bad[1][:9] + "0" + bad[1][10:]  # the document number's check digit
        batch = self.checked(self.gate, {"travellers": [{"mrz": NOBODY}, {"mrz": bad},
                                                        {"document": {"number": "CA00012AB",
                                                                      "issuing_country": "ITA"}},
                                                        {"mrz": VOLKOV, "name": "x"}],
                                         "context": {"port": "CDG"}})
        results = batch["results"]
        self.assertEqual(len(results), 4)
        self.assertFalse(results[0]["alert"])
        self.assertEqual(results[1]["error"]["code"], "mrz_check_digit")
        self.assertFalse(results[1]["mrz"]["valid"])
        self.assertTrue(results[2]["document"]["match"])
        self.assertEqual(results[3]["error"]["code"], "invalid_request")
        too_many = {"travellers": [{"mrz": NOBODY}] * 1001}
        self.assertError(self.border_check(self.gate, too_many), 400, "invalid_request")

    def test_document_of_an_organisation_is_not_checked_in_sltd(self):
        laissez_passer = td3("UNO", "AHMED", "SAMIRA", "LP0012345", "SOM", "800101", "F",
                             "300101")
        answer = self.checked(self.gate, {"mrz": laissez_passer})
        self.assertEqual(answer["document"]["checked"], False)
        self.assertIn("UNO", answer["document"]["reason"])
        self.assertIn("persons", answer)

    def test_layouts_of_real_documents_are_read_and_checked(self):
        # A TD2 card whose 12-character number is extended into the optional data, its check
        # digit counting the '<' (as Belgian and Portuguese cards do): checked whole in SLTD.
        self.create(self.ita, "SLTD", {"number": "CA0001234568", "issuing_country": "ITA",
                                       "document_type": "identity_card", "status": "lost"},
                    action="Retain the card.")
        card = td2("ITA", "BIANCHI", "LUCA", "CA0001234568", "ITA", "900101", "M", "300101",
                   with_filler=True)
        answer = self.checked(self.gate, {"mrz": card})
        fields = answer["mrz"]["fields"]
        self.assertEqual((fields["document_number"], fields["document_number_check"]),
                         ("CA0001234568", "with_filler"))
        self.assertTrue(answer["document"]["match"], answer["document"])
        # One name only, printed after an empty primary identifier; no expiry date.
        mononym = td2("ITA", "", "SUKARNO", "CA7654321", "ITA", "700101", "M", "<<<<<<")
        answer = self.checked(self.gate, {"mrz": mononym})
        self.assertTrue(answer["mrz"]["valid"], answer["mrz"])
        self.assertEqual(answer["mrz"]["fields"]["primary_identifier"], "")
        self.assertEqual(answer["mrz"]["fields"]["secondary_identifier"], "SUKARNO")
        self.assertIsNone(answer["mrz"]["fields"]["expiry_date"]["date"])
        # A nationality in neither ISO 3166 nor ICAO's list: accepted with a warning, and the
        # rest of the passport checked as usual (Volkov's passport matches by its number).
        rks = td3("RUS", "VOLKOV", "ALEKSANDR SERGEEVICH", "754213986", "RKS", "840712", "M",
                  "310415")
        answer = self.checked(self.gate, {"mrz": rks})
        self.assertTrue(answer["mrz"]["valid"])
        self.assertEqual([(w["code"], w["field"]) for w in answer["mrz"]["warnings"]],
                         [("mrz_unknown_country", "nationality")])
        self.assertEqual(answer["mrz"]["fields"]["nationality"]["kind"], "unknown")
        self.assertIn(self.volkov["id"], self.person_ids(answer))

    def test_ocr_confusion_is_refused_and_a_correction_offered_on_request(self):
        before = len(self.hits_by(self.gate.agency))
        misread = list(VOLKOV)
        misread[1] = misread[1][:15] + "O" + misread[1][16:]  # 840712 -> 84O712
        resp = self.border_check(self.gate, {"mrz": misread})
        self.assertError(resp, 400, "mrz_ocr_confusion")
        self.assertEqual([(p["code"], p["field"], p["line"], p["column"], p["found"],
                           p["expected"]) for p in resp.body["mrz"]["problems"]],
                         [("mrz_ocr_confusion", "birth_date", 2, 16, "O", "0")])
        self.assertNotIn("corrected", resp.body["mrz"])
        resp = self.border_check(self.gate, {"mrz": misread, "offer_mrz_correction": True})
        self.assertError(resp, 400, "mrz_ocr_confusion")  # offered, never checked as corrected
        corrected = resp.body["mrz"]["corrected"]
        self.assertTrue(corrected["valid"])
        self.assertEqual(corrected["lines"], VOLKOV)
        self.assertEqual(corrected["corrections"], [{"field": "birth_date", "line": 2,
                                                     "column": 16, "found": "O",
                                                     "corrected": "0"}])
        self.assertAudited(resp, "mrz_ocr_confusion")
        batch = self.checked(self.gate, {"travellers": [{"mrz": misread}, {"mrz": NOBODY}],
                                         "offer_mrz_correction": True})
        self.assertEqual(batch["results"][0]["error"]["code"], "mrz_ocr_confusion")
        self.assertEqual(batch["results"][0]["mrz"]["corrected"]["lines"], VOLKOV)
        self.assertFalse(batch["results"][1]["alert"])
        self.assertError(self.border_check(self.gate, {"mrz": misread,
                                                       "offer_mrz_correction": "yes"}),
                         400, "invalid_request")
        self.assertEqual(len(self.hits_by(self.gate.agency)), before)

    def test_bad_mrz_is_refused_precisely_and_nothing_is_recorded(self):
        before = len(self.hits_by(self.gate.agency))
        bad = list(VOLKOV)
        bad[1] = bad[1][:9] + "0" + bad[1][10:]
        resp = self.border_check(self.gate, {"mrz": bad})
        self.assertError(resp, 400, "mrz_check_digit")
        problem = resp.body["mrz"]["problems"][0]
        self.assertEqual((problem["line"], problem["field"], problem["found"]),
                         (2, "document_number", "0"))
        self.assertEqual(problem["expected"], VOLKOV[1][9])
        self.assertAudited(resp, "mrz_check_digit")
        short = [VOLKOV[0], VOLKOV[1][:40]]
        self.assertError(self.border_check(self.gate, {"mrz": short}), 400, "mrz_line_length")
        control = {"mrz": VOLKOV[0] + "\n" + VOLKOV[1][:20] + "\x07" + VOLKOV[1][21:]}
        self.assertError(self.border_check(self.gate, control), 400, "mrz_bad_character")
        self.assertError(self.border_check(self.gate, {"mrz": "P<" * 200}), 400, "mrz_too_large")
        self.assertError(self.border_check(self.gate, {"mrz": 42}), 400, "invalid_request")
        self.assertError(self.border_check(self.gate, {"mrz": VOLKOV, "name": "x"}), 400,
                         "invalid_request")
        self.assertEqual(len(self.hits_by(self.gate.agency)), before)

    def test_cli_check_mrz(self):
        out = self.cli_runner.client(self.gate, "check", "mrz", "--port", "CDG",
                                     stdin="\n".join(VOLKOV) + "\n")
        self.assertEqual(out.returncode, 0, out.stderr)
        lines = out.stdout.splitlines()
        self.assertTrue(lines[0].startswith("MATCH"), out.stdout)
        self.assertIn("A-4471/8-2026", out.stdout)
        self.assertIn("VOLKOV, ALEKSANDR SERGEEVICH  born 1984-07-12", out.stdout)
        self.assertIn("Red Notice", out.stdout)
        clear = self.cli_runner.client(self.gate, "check", "mrz", "--line", NOBODY[0], "--line",
                                       NOBODY[1])
        self.assertEqual(clear.stdout.splitlines()[0], "no match", clear.stdout + clear.stderr)
        bad = self.cli_runner.client(self.gate, "check", "mrz", "--line", VOLKOV[0], "--line",
                                     VOLKOV[1][:9] + "0" + VOLKOV[1][10:])
        self.assertEqual(bad.returncode, 1)
        self.assertIn("mrz_check_digit", bad.stderr)
        misread = VOLKOV[1][:15] + "O" + VOLKOV[1][16:]
        offered = self.cli_runner.client(self.gate, "check", "mrz", "--offer-correction",
                                         "--line", VOLKOV[0], "--line", misread)
        self.assertEqual(offered.returncode, 1)
        self.assertIn("mrz_ocr_confusion", offered.stderr)
        self.assertIn("Corrected reading", offered.stderr)
        self.assertIn(VOLKOV[1], offered.stderr)
        self.assertIn("line 2, column 16 (birth_date): 'O' -> '0'", offered.stderr)
