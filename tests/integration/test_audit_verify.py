"""`ncbnet audit verify` against a log written by the real server, then tampered with straight
in the store (docs/audit-log-format.md): an edited entry, a removed one, two swapped
ones and a removed last one must each be caught and named."""

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import unittest

import hub

COLUMNS = ("time_ms", "request_id", "user_id", "agency_id", "source", "action", "object",
           "outcome", "prev_hash", "hash")
# The fields an entry's hash covers, in order (docs/audit-log-format.md).
HASHED = ("seq", "time_ms", "request_id", "user_id", "agency_id", "source", "action", "object",
          "outcome", "prev_hash")


def entry_hash(entry: dict) -> str:
    r"""SHA-256 (hex) of the canonical encoding: each field as "<byte length>:<bytes>\n"."""
    out = b""
    for field in HASHED:
        data = str(entry[field]).encode("utf-8")
        out += str(len(data)).encode("ascii") + b":" + data + b"\n"
    return hashlib.sha256(out).hexdigest()


class AuditVerifyTest(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.hub = hub.Hub(name="audit")
        try:
            cls.hub.start()
            h = cls.hub
            token = h.admin_token()
            for _ in range(3):
                h.request("GET", "/v1/me", token=token)
                h.request("POST", "/v1/auth/login", {"user": "nobody", "password": "x" * 12})
                h.request("GET", "/v1/agencies/ncb-fra", token=token)
                h.request("GET", "/v1/me")
            cls.stop_code = h.stop()
        except Exception:
            cls.hub.close()
            raise
        cls.rows = h.audit_rows()

    @classmethod
    def tearDownClass(cls):
        cls.hub.close()

    def verify(self, data_dir: str) -> tuple:
        """Runs `ncbnet audit verify --json`; returns (exit code, parsed JSON)."""
        out = subprocess.run([self.hub.bin, "audit", "verify", "--data-dir", data_dir, "--json"],
                             capture_output=True, text=True, timeout=hub.CLI_TIMEOUT_S,
                             stdin=subprocess.DEVNULL)
        try:
            report = json.loads(out.stdout)
        except ValueError:
            self.fail(f"audit verify --json printed no JSON ({out.returncode}): "
                      f"{out.stdout!r} {out.stderr!r}")
        return out.returncode, report

    def tampered_copy(self, name: str, *statements: tuple) -> str:
        """A copy of the stopped hub's data directory with `statements` applied to its store:
        the SQLite file in it, or on PostgreSQL a copy of the network's database, which the
        copy's ncbnet.toml names instead."""
        copy = os.path.join(self.hub.dir, f"tampered-{name}")
        shutil.copytree(self.hub.data_dir, copy)
        if self.hub.store is None:
            conn = sqlite3.connect(os.path.join(copy, "ncbnet.db"))
            try:
                for sql, params in statements:
                    conn.execute(sql, params)
                conn.commit()
            finally:
                conn.close()
            return copy
        store = hub.new_postgres_database(copy_of=self.hub.store)
        config = os.path.join(copy, "ncbnet.toml")
        with open(config, encoding="utf-8") as f:
            lines = f.read().splitlines()
        self.assertEqual(sum(line.startswith("store ") for line in lines), 1, lines)
        with open(config, "w", encoding="utf-8") as f:
            f.write("".join((f"store = {json.dumps(store)}" if line.startswith("store ")
                             else line) + "\n" for line in lines))
        for sql, params in statements:
            hub.pg_exec(store, sql, params)
        return copy

    def middle(self) -> dict:
        return self.rows[len(self.rows) // 2]

    def assertBroken(self, data_dir: str, problem: str, seqs: tuple) -> dict:
        code, report = self.verify(data_dir)
        self.assertEqual(code, 1, report)
        self.assertIs(report["intact"], False, report)
        self.assertEqual(report["problem"], problem, report)
        self.assertIn(report["first_bad_seq"], seqs, report)
        return report

    def test_server_stopped_gracefully_and_wrote_a_log(self):
        self.assertEqual(self.stop_code, 0, self.hub.log_tail())
        self.assertGreaterEqual(len(self.rows), 12)
        seqs = [r["seq"] for r in self.rows]
        self.assertEqual(seqs, list(range(seqs[0], seqs[0] + len(seqs))))
        outcomes = {r["outcome"] for r in self.rows}
        self.assertIn("ok", outcomes)
        self.assertIn("denied:invalid_credentials", outcomes)
        self.assertIn("denied:missing_credentials", outcomes)

    def test_untouched_log_is_intact(self):
        code, report = self.verify(self.hub.data_dir)
        self.assertEqual(code, 0, report)
        self.assertIs(report["intact"], True, report)
        self.assertEqual(report["entries"], len(self.rows), report)

        out = self.hub.cli("audit", "verify")
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertIn(f"audit chain intact: {len(self.rows)} entries", out.stdout)

    def test_edited_entry_is_named(self):
        denied = [r for r in self.rows[2:-2] if r["outcome"].startswith("denied:")]
        target = denied[len(denied) // 2]
        copy = self.tampered_copy("edited", ("UPDATE audit_log SET outcome = 'ok' WHERE seq = ?",
                                             (target["seq"],)))
        self.assertBroken(copy, "edited", (target["seq"],))

        out = subprocess.run([self.hub.bin, "audit", "verify", "--data-dir", copy],
                             capture_output=True, text=True, timeout=hub.CLI_TIMEOUT_S)
        self.assertEqual(out.returncode, 1)
        self.assertIn(f"audit chain broken at entry {target['seq']}: edited",
                      out.stdout + out.stderr)

    def test_removed_entry_is_named(self):
        target = self.middle()
        copy = self.tampered_copy("removed", ("DELETE FROM audit_log WHERE seq = ?",
                                              (target["seq"],)))
        self.assertBroken(copy, "removed", (target["seq"],))

    def swapped_copy(self, name: str, rehash: bool) -> tuple:
        """Swaps the contents of two neighbouring entries (every column but seq). With
        `rehash`, the attacker also recomputes each moved entry's hash for its new seq, so that
        every entry matches its own hash and only the links between them are wrong."""
        a = self.middle()
        b = next(r for r in self.rows if r["seq"] == a["seq"] + 1)
        new_a, new_b = dict(b, seq=a["seq"]), dict(a, seq=b["seq"])
        if rehash:
            self.assertEqual(entry_hash(a), a["hash"], "hash format differs from the doc")
            new_a["hash"], new_b["hash"] = entry_hash(new_a), entry_hash(new_b)
        assignments = ", ".join(f"{c} = ?" for c in COLUMNS)
        update = f"UPDATE audit_log SET {assignments} WHERE seq = ?"
        copy = self.tampered_copy(name,
                                  (update, tuple(new_a[c] for c in COLUMNS) + (a["seq"],)),
                                  (update, tuple(new_b[c] for c in COLUMNS) + (b["seq"],)))
        return copy, a["seq"]

    def test_reordered_entries_are_named(self):
        copy, seq = self.swapped_copy("reordered", rehash=True)
        self.assertBroken(copy, "reordered", (seq,))

    def test_swapped_entries_without_rehash_are_edited(self):
        # seq is covered by the hash, so moving an entry without rehashing it is an edit.
        copy, seq = self.swapped_copy("swapped", rehash=False)
        self.assertBroken(copy, "edited", (seq,))

    def test_truncated_log_is_caught(self):
        last = self.rows[-1]
        copy = self.tampered_copy("truncated", ("DELETE FROM audit_log WHERE seq = ?",
                                                (last["seq"],)))
        self.assertBroken(copy, "truncated", (last["seq"],))


if __name__ == "__main__":
    unittest.main()
