"""Mailbox list and search (issue 3, item 8) against the real server: GET /v1/messages and
`ncbnet msg search`. A term of the body finds a message for its sender and its recipients and
never for anyone else (another NCB, the GS); a message one is not party to looks exactly like
an absent one; every filter is validated (400 invalid_request naming it); and the store holds
no plaintext token of the search index. `ncbnet msg purge --data-dir` runs offline."""

import glob
import os
import secrets
import subprocess
import urllib.parse

import hub
import msgutil
import test_messaging
from msgutil import Principal


class MailboxSearchTest(test_messaging.MessagingTestCase):

    def search(self, who: Principal, **params) -> dict:
        resp = self.get(who, "/v1/messages?" + urllib.parse.urlencode(params))
        self.assertEqual(resp.status, 200, resp.describe())
        return resp.body

    def ids(self, who: Principal, **params) -> list:
        return [m["id"] for m in self.search(who, **params)["messages"]]

    def send_word(self, word: str, *args: str) -> str:
        return self.sent(self.fra, self.fra_key, "--to-country", "DEU", "--subject",
                         "Stolen vehicle report", "--body",
                         f"The holder {word} was seen near the border.", *args)["message_id"]

    def test_body_term_finds_the_message_only_for_its_parties(self):
        word = "zq" + secrets.token_hex(6)
        mid = self.send_word(word)
        self.assertEqual(self.ids(self.deu, q=word), [mid])
        self.assertEqual(self.ids(self.fra, q=word.upper()), [mid])  # the sender, any case
        self.assertEqual(self.ids(self.deu, q=f"{word} border"), [mid])  # AND of terms
        self.assertEqual(self.ids(self.deu, q=f"{word} absentterm"), [])
        for outsider in (self.esp, self.gs):
            self.assertEqual(self.ids(outsider, q=word), [], outsider.agency)
            self.assertNotIn(mid, self.ids(outsider, limit=200), outsider.agency)
        header = self.search(self.deu, q=word)["messages"][0]
        self.assertEqual(header["sender_agency"], "ncb-fra")
        self.assertEqual(header["subject"], "Stolen vehicle report")
        self.assertEqual(header["recipient_count"], 1)
        self.assertIn(header["state"], ("queued", "delivered"))
        self.assertNotIn("body", header)
        self.assertIsNone(self.search(self.fra, q=word)["messages"][0]["state"])

    def test_a_foreign_message_id_looks_absent(self):
        mid = self.send_word("zq" + secrets.token_hex(6))
        foreign = self.get(self.esp, "/v1/messages?before=" + mid)
        absent = self.get(self.esp, "/v1/messages?before=msg_doesnotexist")
        self.assertError(foreign, 400, "invalid_request")
        self.assertError(absent, 400, "invalid_request")
        self.assertEqual(foreign.body["error"]["message"], absent.body["error"]["message"])
        self.assertEqual(self.ids(self.deu, before=mid, limit=200).count(mid), 0)

    def test_filters_and_paging(self):
        word = "zq" + secrets.token_hex(6)
        first = self.send_word(word, "--priority", "flash")
        second = self.send_word(word, "--thread", first)
        self.assertEqual(self.ids(self.deu, q=word), [second, first])
        self.assertEqual(self.ids(self.deu, q=word, priority="flash"), [first])
        self.assertEqual(self.ids(self.deu, q=word, thread=first), [second, first])
        self.assertEqual(self.ids(self.deu, q=word, correspondent="ncb-fra"), [second, first])
        self.assertEqual(self.ids(self.deu, q=word, correspondent="ncb-esp"), [])
        self.assertEqual(self.ids(self.deu, q=word, classification="interpol_confidential"), [])
        self.assertEqual(self.ids(self.deu, q=word, to="2000-01-01T00:00:00Z"), [])
        page = self.search(self.deu, q=word, limit=1)
        self.assertEqual([m["id"] for m in page["messages"]], [second])
        self.assertEqual(self.ids(self.deu, q=word, limit=1, before=page["next_before"]), [first])
        self.read(self.deu, first)
        self.assertEqual(self.ids(self.deu, q=word, unread="true"), [second])

    def test_bad_filters_are_refused_naming_them(self):
        for params, name in (({"from": "yesterday"}, "from"), ({"to": "2026-13-01T00:00:00Z"}, "to"),
                             ({"priority": "asap"}, "priority"),
                             ({"classification": "secret"}, "classification"),
                             ({"limit": "0"}, "limit"), ({"limit": "201"}, "limit"),
                             ({"limit": "x"}, "limit"), ({"unread": "yes"}, "unread"),
                             ({"q": "a"}, "q"), ({"colour": "red"}, "colour")):
            resp = self.get(self.deu, "/v1/messages?" + urllib.parse.urlencode(params))
            self.assertError(resp, 400, "invalid_request")
            self.assertIn(name, resp.body["error"]["message"], params)

    def test_the_store_holds_no_plaintext_token(self):
        word = "zq" + secrets.token_hex(8)
        self.send_word(word)
        terms = [row["term"] for row in self.hub.db_rows("SELECT term FROM message_terms")]
        self.assertTrue(terms)
        for term in terms:
            self.assertRegex(term, r"^[0-9a-f]{32}$")
        if self.hub.store is None:
            for path in glob.glob(os.path.join(self.hub.data_dir, "ncbnet.db*")):
                with open(path, "rb") as f:
                    self.assertNotIn(word.encode(), f.read(), path)
        else:
            # Every row of the database, as pg_dump writes it (bytea as hex).
            dump = subprocess.run(["pg_dump", "--data-only", self.hub.store],
                                  capture_output=True, timeout=hub.CLI_TIMEOUT_S, check=True)
            self.assertTrue(dump.stdout)
            self.assertNotIn(word.encode(), dump.stdout)
            self.assertNotIn(word.encode().hex().encode(), dump.stdout.lower())

    def test_cli_search_and_offline_purge(self):
        word = "zq" + secrets.token_hex(6)
        mid = self.send_word(word)
        out = self.cli.client(self.deu, "msg", "search", "--q", word, "--from-agency", "ncb-fra",
                              "--json")
        self.assertEqual(out.returncode, 0, out.stdout + out.stderr)
        self.assertEqual([m["id"] for m in msgutil.parse_json(out)["messages"]], [mid])
        out = self.cli.client(self.deu, "msg", "search", "--q", word)
        self.assertEqual(out.returncode, 0, out.stdout + out.stderr)
        self.assertIn(mid, out.stdout)
        out = self.cli.client(self.deu, "msg", "search", "--priority", "asap")
        self.assertCliRefused(out, "invalid_request")
        # Nothing has expired (five years by default): the purge finds nothing and keeps all.
        out = self.cli.run("msg", "purge", "--data-dir", self.hub.data_dir, "--json")
        self.assertEqual(out.returncode, 0, out.stdout + out.stderr)
        self.assertEqual(msgutil.parse_json(out), {"purged": 0})
        self.assertEqual(self.ids(self.deu, q=word), [mid])


if __name__ == "__main__":
    import unittest
    unittest.main()
