"""`ncbnet mrz parse`: the real binary reads MRZs on standard input, offline (no hub, no data
directory, run from an empty directory), and prints the verdict and every field as JSON; exit
status 0 valid, 1 invalid, 2 usage (docs/mrz.md)."""

import json
import os
import subprocess
import tempfile
import unittest

import hub

# ICAO Doc 9303 specimens (Part 4 TD3, Part 5 TD1, Part 6 TD2, Part 7 MRV-A and MRV-B).
TD3 = ("P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n"
       "L898902C36UTO7408122F1204159ZE184226B<<<<<10\n")
TD1 = ("I<UTOD231458907<<<<<<<<<<<<<<<\n"
       "7408122F1204159UTO<<<<<<<<<<<6\n"
       "ERIKSSON<<ANNA<MARIA<<<<<<<<<<\n")
TD2 = ("I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<\n"
       "D231458907UTO7408122F1204159<<<<<<<6\n")
MRV_A = ("V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n"
         "L8988901C4XXX4009078F96121096ZE184226B<<<<<<\n")
MRV_B = ("V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<\n"
         "L8988901C4XXX4009078F9612109<<<<<<<<\n")


def check_digit(data: str) -> str:
    values = [0 if c == "<" else int(c) if c.isdigit() else ord(c) - ord("A") + 10 for c in data]
    return str(sum(v * (7, 3, 1)[i % 3] for i, v in enumerate(values)) % 10)


def td3(birth: str = "740812", state: str = "UTO") -> str:
    """A TD3 with correct check digits, built here independently of the binary."""
    line2 = ("L898902C3" + check_digit("L898902C3") + state + birth + check_digit(birth) + "F" +
             "120415" + check_digit("120415") + "ZE184226B<<<<<" + check_digit("ZE184226B<<<<<"))
    line2 += check_digit(line2[0:10] + line2[13:20] + line2[21:43])
    return ("P<" + state + "ERIKSSON<<ANNA<MARIA").ljust(44, "<") + "\n" + line2 + "\n"


class MrzParseTest(unittest.TestCase):
    def setUp(self) -> None:
        self.dir = tempfile.TemporaryDirectory(prefix="ncbnet-mrz-")
        self.addCleanup(self.dir.cleanup)
        # Nothing to find: an empty working directory and home, no ncbnet environment.
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("NCBNET_")}
        self.env["HOME"] = self.dir.name

    def run_cli(self, stdin: bytes, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run([hub.binary(), "mrz", *args], input=stdin, capture_output=True,
                              cwd=self.dir.name, env=self.env, timeout=hub.CLI_TIMEOUT_S,
                              check=False)

    def parse(self, text, *args: str, status: int) -> dict:
        stdin = text if isinstance(text, bytes) else text.encode()
        proc = self.run_cli(stdin, "parse", *args)
        self.assertEqual(proc.returncode, status, proc.stderr.decode(errors="replace"))
        self.assertEqual(proc.stderr, b"")
        return json.loads(proc.stdout)

    def test_reads_every_specimen_offline(self) -> None:
        for mrz, fmt, number in ((TD3, "TD3", "L898902C3"), (TD1, "TD1", "D23145890"),
                                 (TD2, "TD2", "D23145890"), (MRV_A, "MRV-A", "L8988901C"),
                                 (MRV_B, "MRV-B", "L8988901C")):
            with self.subTest(fmt):
                out = self.parse(mrz, status=0)
                self.assertTrue(out["valid"])
                self.assertEqual(out["format"], fmt)
                self.assertEqual(out["problems"], [])
                fields = out["fields"]
                self.assertEqual(fields["document_number"], number)
                self.assertEqual(fields["primary_identifier"], "ERIKSSON")
                self.assertEqual(fields["secondary_identifier"], "ANNA MARIA")
                self.assertEqual(fields["issuing_state"]["kind"], "specimen")
                self.assertEqual(out["lines"], mrz.split())
        self.assertEqual(os.listdir(self.dir.name), [])  # wrote nothing

    def test_bad_check_digit_gives_fields_and_problems(self) -> None:
        bad = TD3.replace("L898902C36", "L898902C35")
        out = self.parse(bad, status=1)
        self.assertFalse(out["valid"])
        self.assertEqual(out["fields"]["document_number"], "L898902C3")
        self.assertEqual(out["fields"]["birth_date"]["date"], "1974-08-12")
        first, composite = out["problems"]
        self.assertEqual(first["code"], "mrz_check_digit")
        self.assertEqual(first["field"], "document_number")
        self.assertEqual((first["line"], first["column"]), (2, 10))
        self.assertEqual((first["expected"], first["found"]), ("6", "5"))
        self.assertIn("line 2, column 10", first["message"])
        self.assertEqual(composite["field"], "composite")
        self.assertEqual(composite["column"], 44)

    def test_tolerates_crlf_whitespace_and_lower_case(self) -> None:
        messy = "\r\n  " + TD1.lower().replace("\n", " \r\n") + "\r\n\r\n"
        out = self.parse(messy, status=0)
        self.assertEqual(out["lines"], TD1.split())

    def test_guesses_nothing(self) -> None:
        out = self.parse(TD3.replace("C36UTO", "C3OUTO"), status=1)  # letter O for 6
        self.assertEqual(out["problems"][0]["code"], "mrz_ocr_confusion")
        self.assertEqual(out["problems"][0]["found"], "O")
        self.assertNotIn("corrected", out)

    def test_offers_the_corrected_reading_on_request(self) -> None:
        misread = TD3.replace("UTO7408122F", "UTO74O8122F")  # letter O for the digit 0
        out = self.parse(misread, "--offer-correction", status=1)
        self.assertFalse(out["valid"])
        self.assertEqual([(p["code"], p["field"], p["column"]) for p in out["problems"]],
                         [("mrz_ocr_confusion", "birth_date", 16)])
        self.assertTrue(out["corrected"]["valid"])
        self.assertEqual(out["corrected"]["lines"], TD3.split())
        self.assertEqual(out["corrected"]["corrections"],
                         [{"field": "birth_date", "line": 2, "column": 16, "found": "O",
                           "corrected": "0"}])

    def test_icao_codes_and_century(self) -> None:
        out = self.parse(td3(state="D<<", birth="261129"), "--today", "2026-11-28", status=0)
        self.assertEqual(out["fields"]["issuing_state"],
                         {"code": "D", "kind": "icao_national", "name": "Germany",
                          "iso_country": "DEU"})
        self.assertEqual(out["fields"]["birth_date"]["date"], "1926-11-29")
        out = self.parse(td3(state="D<<", birth="261129"), "--today", "2026-11-30", status=0)
        self.assertEqual(out["fields"]["birth_date"]["date"], "2026-11-29")
        out = self.parse(td3(state="XXA", birth="74XXXX"), "--compact", status=0)
        self.assertEqual(out["fields"]["nationality"]["kind"], "stateless")
        self.assertEqual(out["fields"]["birth_date"]["date"], "1974")

    def test_structural_errors_have_no_fields(self) -> None:
        cases = (
            (TD1.rsplit("\n", 2)[0], "mrz_line_length"),  # 2 lines of 30
            (TD3 + TD3, "mrz_line_count"),
            ("", "mrz_empty"),
            (TD3.replace("P<UTO", "X<UTO"), "mrz_unknown_format"),
        )
        for text, code in cases:
            with self.subTest(code):
                out = self.parse(text, status=1)
                self.assertEqual(out["problems"][0]["code"], code)
                self.assertNotIn("fields", out)
                self.assertFalse(out["valid"])

    def test_control_characters_are_shown_escaped(self) -> None:
        proc = self.run_cli(TD3.replace("ERIKSSON", "ERIK\x1bSON").encode(), "parse",
                            "--compact")
        self.assertEqual(proc.returncode, 1)
        self.assertNotIn(b"\x1b", proc.stdout)
        self.assertEqual(len(proc.stdout.splitlines()), 1)
        problem = json.loads(proc.stdout)["problems"][0]
        self.assertEqual(problem["code"], "mrz_bad_character")
        self.assertEqual((problem["line"], problem["column"], problem["found"]), (1, 10, "\\x1b"))

    def test_oversized_input_is_refused_unread(self) -> None:
        out = self.parse(b"<" * 1_000_000, status=1)
        self.assertEqual(out["problems"][0]["code"], "mrz_too_large")
        self.assertEqual(out["problems"][0]["expected"], "256")

    def test_usage_errors_exit_2(self) -> None:
        for args in (("parse", "extra"), ("parse", "--today", "2026-02-30"),
                     ("parse", "--today", "tomorrow"), ("parse", "--today=+026-01-01"),
                     ("parse", "--today"), ("parse", "--today", "2026-01-01", "--today=2026-01-02"),
                     ("parse", "--bogus"), ("parse", "--compact=yes"), (), ("--bogus",)):
            with self.subTest(args=args):
                proc = self.run_cli(TD3.encode(), *args)
                self.assertEqual(proc.returncode, 2, proc.stderr)
                self.assertEqual(proc.stdout, b"")
                self.assertTrue(proc.stderr.startswith(b"ncbnet: invalid_flags: "), proc.stderr)


if __name__ == "__main__":
    unittest.main()
