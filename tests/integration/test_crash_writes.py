"""Crash test across the write paths (issue 14, "a battery that keeps it so"): while the hub is
killed with SIGKILL at random moments and restarted, CYCLES times (200 by default), one client
per write path keeps making changes, each with its own Idempotency-Key and retried with the
same key and bytes until it is answered: records (SLTD), agencies, grants, notice drafts, MLA
requests and hits' follow-ups (messages have test_crash.py). A retry whose first try was committed but not
answered gets the same answer again, or 409 idempotency_in_doubt when the hub died between the
commit and keeping the answer; both count as done. Afterwards, with the hub up and then
stopped, every change that was answered exists exactly once and no other change exists; the
SQLite file is intact (on that back end), and so is the audit chain.

The schedule is seeded and printed (NCBNET_CRASH_SEED replays it; NCBNET_CRASH_WRITES_CYCLES
sets the number of cycles). Every wait is bounded; nothing asserts on wall-clock time.
"""

import collections
import json
import os
import random
import sqlite3
import sys
import threading
import time
import typing
import unittest

import hub
import scenes
from msgutil import cert_principal
from test_crash import (ACK_DEADLINE_S, ATTEMPT_TIMEOUT_S, RETRY_PAUSE_S, UP_MAX_S, UP_MIN_S,
                        Endpoint, Transient, exchange)

CYCLES = int(os.environ.get("NCBNET_CRASH_WRITES_CYCLES", "200"))
MAX_WRITES = 400  # per path: enough to straddle every kill, bounded for the grants' agencies
PATHS = ("records", "agencies", "grants", "notices", "mla", "follow_ups")
HITS = 20  # the follow-ups path records its changes on these hits, in turn


class Done(typing.NamedTuple):
    seq: int
    status: int  # 201, or 409 for a change committed whose answer was lost
    tries: int


class CrashWritesTest(hub.HubTestCase):

    @classmethod
    def set_up_network(cls):
        h = cls.hub
        admin = h.admin_token()
        cls.contexts = {}
        for agency in ("ncb-fra", "ncb-deu", "ncb-ita", "ncb-esp"):
            _, cert, key = h.issue_cert(agency)
            cls.contexts[agency] = h.tls_context((cert, key))
        justice = h.create_agency(admin, "ncb-nld", name="Dutch central authority")["id"]
        for cap in ("mla.request", "message.send"):
            h.grant(admin, justice, cap)
        _, cert, key = h.issue_cert(justice)
        cls.contexts["justice"] = h.tls_context((cert, key))
        # The grants path grants to agencies made beforehand, one per change.
        cls.grantees = [h.create_agency(admin, "ncb-ita", name=f"crash grantee {i:03d}")["id"]
                        for i in range(MAX_WRITES)]
        # The follow-ups path: France checks passports Germany reported stolen, then follows
        # up each hit on its side.
        fra, deu = cert_principal(h, "ncb-fra"), cert_principal(h, "ncb-deu")
        cls.hits = [scenes.stolen_passport_hit(h, deu, "DEU", fra, f"HX{i:07d}")
                    for i in range(HITS)]

    def setUp(self):
        seed_text = os.environ.get("NCBNET_CRASH_SEED", "")
        self.seed = int(seed_text) if seed_text else random.SystemRandom().randrange(2**32)
        print(f"\ncrash writes test: seed {self.seed}, {CYCLES} SIGKILL cycles",
              file=sys.stderr, flush=True)
        self.endpoint = Endpoint(self.hub.port)
        self.failures: typing.List[str] = []
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.done: typing.Dict[str, typing.List[Done]] = {p: [] for p in PATHS}
        self.transient = 0

    def fail_later(self, text: str) -> None:
        with self.lock:
            self.failures.append(text)

    # ---- the changes -------------------------------------------------------------------------

    def change(self, path: str, seq: int) -> typing.Tuple[str, str, dict]:
        """(principal, route, body) of change `seq` on `path`; each names itself uniquely."""
        tag = f"{self.seed % 100000:05d}-{seq:04d}"
        if path == "records":
            return "ncb-fra", "/v1/records/SLTD", {"fields": {
                "number": f"KX{self.seed % 1000:03d}{seq:04d}", "issuing_country": "FRA",
                "document_type": "passport", "status": "stolen"}}
        if path == "agencies":
            return "ncb-deu", "/v1/agencies", {"parent_id": "ncb-deu", "kind": "agency",
                                               "name": f"crash agency {tag}"}
        if path == "grants":
            return "ncb-ita", "/v1/grants", {"agency_id": self.grantees[seq],
                                             "capability": "record.check:SLTD"}
        if path == "notices":
            return "ncb-esp", "/v1/notices", {"kind": "purple", "fields": {
                "offence": "fraud", "modus_operandi": f"crash notice {tag}"}}
        if path == "follow_ups":
            return "ncb-fra", f"/v1/hits/{self.hits[seq % HITS]}/follow-ups", {
                "state": "confirmed", "note": f"crash follow-up {tag}"}
        return "justice", "/v1/mla-requests", {
            "type": "mla", "requested_country": "DEU", "urgency": "routine",
            "deadline": "2027-12-31T00:00:00Z", "case_reference": f"CRASH {tag}",
            "legal_basis": "EU Convention on Mutual Assistance (2000)", "summary": "Crash test",
            "facts": "Sent while the hub is killed.", "measures": ["None"], "persons": ["None"]}

    def writer(self, path: str) -> None:
        for seq in range(MAX_WRITES):
            if self.stop.is_set():
                return
            principal, route, body = self.change(path, seq)
            data = json.dumps(body).encode("utf-8")
            key = {"Idempotency-Key": f"crash-{self.seed}-{path}-{seq}"}
            deadline = time.monotonic() + ACK_DEADLINE_S
            tries = 0
            while True:
                tries += 1
                try:
                    status, answer = exchange(self.endpoint, self.contexts[principal], "POST",
                                              route, data, key)
                    break
                except Transient as e:
                    with self.lock:
                        self.transient += 1
                    if time.monotonic() > deadline:
                        self.fail_later(f"{path} #{seq}: no answer in {ACK_DEADLINE_S}s: {e}")
                        return
                    time.sleep(RETRY_PAUSE_S)
            in_doubt = status == 409 and isinstance(answer, dict) and \
                answer.get("error", {}).get("code") == "idempotency_in_doubt"
            if status != 201 and not in_doubt:
                self.fail_later(f"{path} #{seq} (try {tries}): HTTP {status} {answer!r}")
                return
            if in_doubt and tries == 1:
                self.fail_later(f"{path} #{seq}: a first try answered in doubt")
            with self.lock:
                self.done[path].append(Done(seq, status, tries))

    # ---- what the store holds ------------------------------------------------------------------

    def counts_by_tag(self, path: str) -> typing.Dict[int, int]:
        """How many times each change of `path` is in the store (or, for sealed rows, the API)."""
        seen: typing.Dict[int, int] = {}
        for seq in range(MAX_WRITES):
            seen[seq] = 0
        if path in ("records", "agencies", "grants", "follow_ups"):
            # Each row's tag, read in one query for the whole path and counted here.
            if path == "records":
                tags = collections.Counter(
                    json.loads(r["fields"]).get("number") for r in self.hub.db_rows(
                        "SELECT fields FROM records WHERE database = 'SLTD'"))
                tag_of = lambda body: body["fields"]["number"]  # noqa: E731
            elif path == "agencies":
                tags = collections.Counter(r["name"] for r in self.hub.db_rows(
                    "SELECT name FROM agencies"))
                tag_of = lambda body: body["name"]  # noqa: E731
            elif path == "follow_ups":
                tags = collections.Counter(r["note"] for r in self.hub.db_rows(
                    "SELECT note FROM hit_follow_ups"))
                tag_of = lambda body: body["note"]  # noqa: E731
            else:
                tags = collections.Counter(r["agency_id"] for r in self.hub.db_rows(
                    "SELECT agency_id FROM grants WHERE capability = 'record.check:SLTD'"))
                tag_of = lambda body: body["agency_id"]  # noqa: E731
            for seq in range(MAX_WRITES):
                _, _, body = self.change(path, seq)
                seen[seq] = tags[tag_of(body)]
            return seen
        principal, route = ("ncb-esp", "/v1/notices?scope=own&limit=500") if path == "notices" \
            else ("justice", "/v1/mla-requests?limit=500")
        status, listing = exchange(self.endpoint, self.contexts[principal], "GET", route)
        self.assertEqual(status, 200, listing)
        items = listing["notices"] if path == "notices" else listing["mla_requests"]
        tags = [i["fields"]["modus_operandi"] if path == "notices" else i["case_reference"]
                for i in items]
        for seq in range(MAX_WRITES):
            _, _, body = self.change(path, seq)
            mine = body["fields"]["modus_operandi"] if path == "notices" \
                else body["case_reference"]
            seen[seq] = tags.count(mine)
        return seen

    # ---- the test --------------------------------------------------------------------------

    def test_every_answered_change_survives_sigkill_exactly_once(self):
        rng = random.Random(self.seed)
        threads = [threading.Thread(target=self.writer, args=(p,), daemon=True) for p in PATHS]
        for t in threads:
            t.start()
        cycles = 0
        try:
            for _ in range(CYCLES):
                time.sleep(rng.uniform(UP_MIN_S, UP_MAX_S))
                self.hub.kill()
                self.hub.start()
                self.endpoint.set(self.hub.port)
                cycles += 1
                if self.failures:
                    break
        finally:
            self.stop.set()
            for t in threads:
                t.join(timeout=ACK_DEADLINE_S + 2 * ATTEMPT_TIMEOUT_S)
                self.assertFalse(t.is_alive(), f"a writer did not finish: {self.failures}")
        self.assertEqual(self.failures, [])
        self.assertEqual(cycles, CYCLES)
        self.assertGreater(self.transient, 0, "the kills cut no request off")

        for path in PATHS:
            with self.subTest(path=path):
                answered = {d.seq for d in self.done[path]}
                self.assertGreater(len(answered), 0)
                seen = self.counts_by_tag(path)
                twice = {s: n for s, n in seen.items() if n > 1}
                lost = sorted(s for s in answered if seen[s] != 1)
                extra = sorted(s for s, n in seen.items() if n and s not in answered)
                self.assertEqual(twice, {}, f"{path}: done more than once")
                self.assertEqual(lost, [], f"{path}: answered but not stored")
                # A change never answered can only be the one in flight when the writer stopped.
                self.assertLessEqual(len(extra), 1, f"{path}: unanswered changes stored: {extra}")

        self.assertEqual(self.hub.stop(), 0, self.hub.log_tail())
        if self.hub.store is None:
            conn = sqlite3.connect(os.path.join(self.hub.data_dir, "ncbnet.db"), timeout=30)
            try:
                self.assertEqual(conn.execute("PRAGMA integrity_check").fetchone()[0], "ok")
            finally:
                conn.close()
        out = self.hub.cli("audit", "verify", "--json")
        self.assertEqual(out.returncode, 0, out.stdout + out.stderr)
        in_doubt = sum(1 for p in PATHS for d in self.done[p] if d.status == 409)
        replays = sum(1 for p in PATHS for d in self.done[p] if d.status == 201 and d.tries > 1)
        print(f"crash writes test: {cycles} SIGKILL cycles, "
              + ", ".join(f"{p} {len(self.done[p])}" for p in PATHS)
              + f" changes answered; {replays} answered on a retry, {in_doubt} in doubt after a"
              f" lost answer, {self.transient} failed tries", file=sys.stderr, flush=True)


if __name__ == "__main__":
    unittest.main()
