"""The audit log as a transparency log (docs/audit-log-format.md, "The transparency log: a
Merkle tree over the chain" and after), checked against the real hub with an implementation of
RFC 9162 written apart from ncbnet's (rfc9162.py):

- signed tree heads: the hub's key and key id, the signed message, and a root that is the MTH
  of the entries' hashes as the store holds them;
- inclusion proofs of every entry and consistency proofs between heads: equal to the RFC's
  PATH and PROOF computed here from the whole log, and verified with the RFC's algorithms;
- `ncbnet audit prove`, `audit consistency` and `audit verify-proof` offline, on good bundles
  and on tampered ones, each refused for its documented reason (and by rfc9162.py too);
- the store rewritten by someone holding the key (entries edited, removed or swapped, every
  later hash recomputed and the chain's head re-signed): the hub's proofs no longer verify,
  and `ncbnet audit verify` reports it;
- `ncbnet audit witness`: rounds that cosign, a fork, an older head and a wrong key;
  `verify-proof --witness-key --quorum`;
- the endpoints' answers to bad input, and to an entry the caller may not read.

Every wait polls with a bound; nothing depends on how long anything takes."""

import copy
import glob
import json
import os
import re
import subprocess
import tempfile
import time
import typing
import unittest

import hub
import rfc9162 as R

HEAD_WAIT_S = 10.0  # the hub promises a merge delay of 1 s; polled, never asserted
POLL_S = 0.1
MAX_PARAM = 1 << 62

HEAD_FIELDS = ("tree_size", "root_hash", "timestamp", "key_id", "signature")
COLUMNS = ("seq",) + R.HASHED[1:] + ("hash",)


def hub_key(h: hub.Hub) -> R.Ed25519Key:
    """The hub's audit key, from the seed in its data directory."""
    return R.Ed25519Key.from_file(os.path.join(h.data_dir, "hub-signing.key"))


def run(h: hub.Hub, *args: str) -> subprocess.CompletedProcess:
    """`ncbnet ARGS` without --data-dir (client and offline subcommands)."""
    env = dict(os.environ)
    env.pop("NCBNET_TOKEN", None)
    return subprocess.run([h.bin, *args], capture_output=True, text=True, env=env,
                          timeout=hub.CLI_TIMEOUT_S, stdin=subprocess.DEVNULL)


def client(h: hub.Hub, token: str, *args: str) -> subprocess.CompletedProcess:
    """A client subcommand with the usual flags --url, --ca and --token."""
    return run(h, *args, "--url", h.url, "--ca", h.ca_cert, "--token", token)


def describe(out: subprocess.CompletedProcess) -> str:
    return f"exit {out.returncode}\nstdout: {out.stdout!r}\nstderr: {out.stderr!r}"


def without_cosignatures(head: dict) -> dict:
    return {k: v for k, v in head.items() if k != "cosignatures"}


def get_ok(tc: unittest.TestCase, h: hub.Hub, path: str, token: str) -> typing.Any:
    resp = h.request("GET", path, token=token)
    tc.assertEqual(resp.status, 200, f"GET {path}: {resp.describe()}\n{h.log_tail(10)}")
    return resp.body


def wait_for_head(tc: unittest.TestCase, h: hub.Hub, token: str, min_size: int) -> dict:
    """The newest head once its tree_size reaches `min_size`; polls GET
    /v1/audit/tree-heads/latest for at most HEAD_WAIT_S."""
    deadline = time.monotonic() + HEAD_WAIT_S
    last = None
    while True:
        resp = h.request("GET", "/v1/audit/tree-heads/latest", token=token)
        last = resp
        if resp.status == 200 and resp.body.get("tree_size", 0) >= min_size:
            return resp.body
        if resp.status not in (200, 404):
            tc.fail(f"GET /v1/audit/tree-heads/latest: {resp.describe()}")
        if time.monotonic() > deadline:
            tc.fail(f"no head of {min_size} entries or more after {HEAD_WAIT_S} s; last answer "
                    f"{last.describe()}\n{h.log_tail(20)}")
        time.sleep(POLL_S)


def audited_requests(h: hub.Hub, token: str, count: int) -> None:
    """`count` requests that are each audited: reads, refusals and a failed login."""
    for i in range(count):
        kind = i % 4
        if kind == 0:
            h.request("GET", "/v1/me", token=token)
        elif kind == 1:
            h.request("GET", "/v1/agencies/ncb-fra", token=token)
        elif kind == 2:
            h.request("POST", "/v1/auth/login", {"user": "nobody", "password": "x" * 12})
        else:
            h.request("GET", "/v1/me")


def leaves_of(tc: unittest.TestCase, rows: typing.List[dict], size: int) -> typing.List[bytes]:
    """The data of leaves 0..size-1: the raw hashes of entries 1..size, which must all be
    there and each match its own encoding."""
    tc.assertGreaterEqual(len(rows), size, "fewer entries in the store than the head says")
    leaves = []
    for i, row in enumerate(rows[:size]):
        tc.assertEqual(row["seq"], i + 1, "the log has a gap")
        tc.assertEqual(R.entry_hash(row), row["hash"], f"entry {row['seq']} vs its encoding")
        leaves.append(R.leaf_data(row["hash"]))
    return leaves


class TransparencyCase(hub.HubTestCase):
    """Helpers shared by the tests below."""

    def check_head(self, head: dict, key: R.Ed25519Key) -> None:
        """Shape, key id and signature of a head, as the spec defines them."""
        for field in HEAD_FIELDS:
            self.assertIn(field, head, head)
        self.assertIsInstance(head["tree_size"], int, head)
        self.assertGreaterEqual(head["tree_size"], 1, head)
        self.assertRegex(head["root_hash"], R.HEX64)
        self.assertIsInstance(head["timestamp"], int, head)
        self.assertRegex(head["key_id"], R.HEX16)
        self.assertRegex(head["signature"], R.HEX128)
        self.assertIsInstance(head.get("cosignatures", []), list, head)
        self.assertEqual(head["key_id"], key.key_id, "key_id is not SHA-256(public key)[:16 hex]")
        self.assertTrue(R.ed25519_verify(key.public, R.tree_head_message(head),
                                         bytes.fromhex(head["signature"])),
                        f"head signature does not verify over the documented message: {head}")
        # Ed25519 is deterministic: the same key over the same message gives the same bytes.
        self.assertEqual(key.sign(R.tree_head_message(head)).hex(), head["signature"])

    def verify_proof(self, bundle: typing.Any, *args: str, name: str = "bundle"
                     ) -> subprocess.CompletedProcess:
        """`ncbnet audit verify-proof FILE ARGS` on `bundle` (a dict, or text as is)."""
        path = os.path.join(tempfile.mkdtemp(prefix="bundle-", dir=self.hub.dir), name + ".json")
        with open(path, "w", encoding="utf-8") as f:
            f.write(bundle if isinstance(bundle, str) else json.dumps(bundle))
        return run(self.hub, "audit", "verify-proof", path, *args)

    def assertRefused(self, out: subprocess.CompletedProcess, reason: str) -> None:
        self.assertEqual(out.returncode, 1, describe(out))
        self.assertIn(reason, out.stdout + out.stderr, describe(out))


class TransparencyTest(TransparencyCase):
    """One hub: heads, proofs, the CLI, witnesses and the endpoints' refusals."""

    @classmethod
    def set_up_network(cls):
        h = cls.hub
        cls.key = hub_key(h)
        gs = cls.gs = h.admin_token()
        # France's NCB: runs a witness, as the spec has the NCBs do.
        h.create_user(gs, "ncb-fra", "tl.fra.ncb")
        cls.fra = h.login("tl.fra.ncb", hub.USER_PASSWORD)
        # An agency of Germany's branch with audit.read: reads its branch's entries only.
        deu = h.create_agency(gs, "ncb-deu", "agency", "TL Bundeskriminalamt")
        cls.deu_agency = deu["id"]
        h.grant(gs, deu["id"], "audit.read")
        h.create_user(gs, deu["id"], "tl.deu.audit")
        cls.deu = h.login("tl.deu.audit", hub.USER_PASSWORD)
        # And one without it.
        bare = h.create_agency(gs, "ncb-deu", "agency", "TL agency without grants")
        h.create_user(gs, bare["id"], "tl.deu.bare")
        cls.bare = h.login("tl.deu.bare", hub.USER_PASSWORD)
        # A few dozen audited requests, in batches, each batch waited for: heads of several
        # sizes to ask consistency proofs between.
        cls.heads = {}
        probe = unittest.TestCase()
        for batch in range(4):
            audited_requests(h, gs if batch % 2 == 0 else cls.fra, 10)
            count = len(h.audit_rows())
            head = wait_for_head(probe, h, gs, count)
            cls.heads[head["tree_size"]] = head

    # ---- heads -----------------------------------------------------------------------------

    def test_latest_head_is_signed_over_the_stores_entries(self):
        count = len(self.hub.audit_rows())
        head = wait_for_head(self, self.hub, self.gs, count)
        self.check_head(head, self.key)
        rows = self.hub.audit_rows()
        leaves = leaves_of(self, rows, head["tree_size"])
        self.assertEqual(head["root_hash"], R.mth(leaves).hex(),
                         "root_hash is not RFC 9162's MTH over the entries' hashes")
        same = get_ok(self, self.hub, f"/v1/audit/tree-heads/{head['tree_size']}", self.gs)
        self.assertEqual(without_cosignatures(same), without_cosignatures(head))
        # `ncbnet audit key` names the same key as the seed in hub-signing.key.
        out = self.hub.cli("audit", "key")
        self.assertEqual(out.returncode, 0, describe(out))
        self.assertIn(self.key.public_hex, out.stdout)
        self.assertIn(self.key.key_id, out.stdout)

    def test_metrics_tell_how_many_entries_wait_for_a_head(self):
        def metrics() -> dict:
            resp = self.hub.request("GET", "/metrics", token=self.gs)
            self.assertEqual(resp.status, 200, resp.describe())
            values = {}
            for line in resp.body.splitlines():
                if line.startswith("ncbnet_audit_"):
                    name, value = line.split(" ", 1)
                    values[name] = float(value)
            return values

        # Each scrape is audited after it is answered, so the next one finds that entry
        # waiting until the sequencer takes it (about 0.2 s): once scrapes are slower than
        # that, one shows nothing waiting and a tree as large as the log.
        deadline = time.monotonic() + HEAD_WAIT_S
        values = metrics()
        while values["ncbnet_audit_unsequenced_entries"] != 0 and time.monotonic() < deadline:
            time.sleep(0.5)
            values = metrics()
        self.assertEqual(values["ncbnet_audit_unsequenced_entries"], 0, values)
        self.assertEqual(values["ncbnet_audit_tree_size"], values["ncbnet_audit_entries_total"])
        latest = get_ok(self, self.hub, "/v1/audit/tree-heads/latest", self.gs)
        self.assertGreaterEqual(latest["tree_size"], values["ncbnet_audit_tree_size"])
        self.assertGreaterEqual(len(self.hub.audit_rows()), values["ncbnet_audit_entries_total"])

    def test_every_head_seen_is_served_by_size_and_signed(self):
        rows = self.hub.audit_rows()
        self.assertGreaterEqual(len(self.heads), 3, self.heads.keys())
        for size, head in sorted(self.heads.items()):
            with self.subTest(size=size):
                served = get_ok(self, self.hub, f"/v1/audit/tree-heads/{size}", self.gs)
                self.assertEqual(without_cosignatures(served), without_cosignatures(head))
                self.check_head(served, self.key)
                self.assertEqual(served["root_hash"], R.mth(leaves_of(self, rows, size)).hex())

    def test_heads_in_the_store_match_the_api(self):
        stored = self.hub.db_rows("SELECT * FROM audit_tree_heads ORDER BY tree_size")
        sizes = [r["tree_size"] for r in stored]
        for size in self.heads:
            self.assertIn(size, sizes)
        rows = self.hub.audit_rows()
        # The newest few, and the first: every one verifies and has the MTH of its prefix.
        for r in stored[:1] + stored[-5:]:
            with self.subTest(size=r["tree_size"]):
                served = get_ok(self, self.hub, f"/v1/audit/tree-heads/{r['tree_size']}",
                                self.gs)
                self.check_head(served, self.key)
                self.assertEqual(served["root_hash"],
                                 R.mth(leaves_of(self, rows, r["tree_size"])).hex())

    # ---- inclusion -------------------------------------------------------------------------

    def check_inclusion_bundle(self, bundle: dict, row: dict, leaves: typing.List[bytes]
                               ) -> None:
        seq, n = row["seq"], len(leaves)
        for field in ("entry", "leaf_index", "tree_size", "inclusion_path", "tree_head"):
            self.assertIn(field, bundle, bundle)
        self.assertEqual({k: bundle["entry"].get(k) for k in R.ENTRY_FIELDS},
                         {k: row[k] for k in R.ENTRY_FIELDS}, "the entry differs from the store")
        self.assertEqual(bundle["leaf_index"], seq - 1)
        self.assertEqual(bundle["tree_size"], n)
        self.assertEqual(bundle["tree_head"]["tree_size"], n)
        self.assertEqual(bundle["inclusion_path"], [p.hex() for p in R.path(seq - 1, leaves)],
                         f"inclusion_path of entry {seq} in {n} is not RFC 9162's PATH")
        self.assertTrue(R.verify_inclusion(
            seq - 1, n, [bytes.fromhex(p) for p in bundle["inclusion_path"]],
            R.leaf_hash(R.leaf_data(row["hash"])), bytes.fromhex(bundle["tree_head"]["root_hash"])))
        self.check_head(bundle["tree_head"], self.key)
        self.assertIsNone(R.verify_bundle(bundle, [self.key.public]))

    def test_every_entry_has_an_inclusion_proof_equal_to_the_rfcs(self):
        n = max(self.heads)
        rows = self.hub.audit_rows()
        leaves = leaves_of(self, rows, n)
        for row in rows[:n]:
            with self.subTest(seq=row["seq"]):
                bundle = get_ok(self, self.hub,
                                f"/v1/audit/entries/{row['seq']}/proof?tree_size={n}", self.gs)
                self.check_inclusion_bundle(bundle, row, leaves)
                self.assertEqual(without_cosignatures(bundle["tree_head"]),
                                 without_cosignatures(self.heads[n]))

    def test_inclusion_in_smaller_heads_and_in_the_newest(self):
        rows = self.hub.audit_rows()
        for n in sorted(self.heads)[:2]:
            leaves = leaves_of(self, rows, n)
            for seq in (1, n // 2, n):
                with self.subTest(seq=seq, tree_size=n):
                    bundle = get_ok(self, self.hub,
                                    f"/v1/audit/entries/{seq}/proof?tree_size={n}", self.gs)
                    self.check_inclusion_bundle(bundle, rows[seq - 1], leaves)
        # Without tree_size: in the newest head, whatever its size by then.
        for seq in (1, max(self.heads)):
            bundle = get_ok(self, self.hub, f"/v1/audit/entries/{seq}/proof", self.gs)
            n = bundle["tree_size"]
            self.assertGreaterEqual(n, max(self.heads))
            rows = self.hub.audit_rows()
            self.check_inclusion_bundle(bundle, rows[seq - 1], leaves_of(self, rows, n))

    # ---- consistency -----------------------------------------------------------------------

    def test_consistency_proofs_between_heads_equal_the_rfcs(self):
        rows = self.hub.audit_rows()
        sizes = sorted(self.heads)
        for i, m in enumerate(sizes):
            for n in sizes[i:]:
                with self.subTest(first=m, second=n):
                    bundle = get_ok(self, self.hub, f"/v1/audit/consistency?first={m}&second={n}",
                                    self.gs)
                    for field in ("first", "second", "consistency_path", "first_head",
                                  "second_head"):
                        self.assertIn(field, bundle, bundle)
                    self.assertEqual((bundle["first"], bundle["second"]), (m, n))
                    leaves = leaves_of(self, rows, n)
                    self.assertEqual(bundle["consistency_path"],
                                     [p.hex() for p in R.proof(m, leaves)],
                                     f"consistency_path {m} -> {n} is not RFC 9162's PROOF")
                    if m == n:
                        self.assertEqual(bundle["consistency_path"], [])
                    self.assertEqual(without_cosignatures(bundle["first_head"]),
                                     without_cosignatures(self.heads[m]))
                    self.assertEqual(without_cosignatures(bundle["second_head"]),
                                     without_cosignatures(self.heads[n]))
                    self.check_head(bundle["first_head"], self.key)
                    self.check_head(bundle["second_head"], self.key)
                    self.assertTrue(R.verify_consistency(
                        m, n, bytes.fromhex(bundle["first_head"]["root_hash"]),
                        bytes.fromhex(bundle["second_head"]["root_hash"]),
                        [bytes.fromhex(p) for p in bundle["consistency_path"]]))
                    self.assertIsNone(R.verify_bundle(bundle, [self.key.public]))

    # ---- the CLI: prove, consistency, verify-proof -----------------------------------------

    def cli_bundle(self, *args: str) -> dict:
        out = client(self.hub, self.gs, "audit", *args)
        self.assertEqual(out.returncode, 0, describe(out))
        try:
            return json.loads(out.stdout)
        except ValueError:
            self.fail(f"`audit {' '.join(args)}` printed no JSON bundle: {describe(out)}")

    def test_cli_inclusion_bundle_verifies_offline_and_tampering_is_named(self):
        sizes = sorted(self.heads)
        seq = sizes[0] // 2 + 1
        bundle = self.cli_bundle("prove", "--seq", str(seq))
        self.assertEqual(bundle["entry"]["seq"], seq)
        rows = self.hub.audit_rows()
        self.check_inclusion_bundle(bundle, rows[seq - 1],
                                    leaves_of(self, rows, bundle["tree_size"]))
        hub_hex = self.key.public_hex
        other = R.Ed25519Key.generate()
        # In a given head.
        pinned = self.cli_bundle("prove", "--seq", str(seq), "--tree-size", str(sizes[0]))
        self.assertEqual(pinned["tree_size"], sizes[0])
        self.check_inclusion_bundle(pinned, rows[seq - 1], leaves_of(self, rows, sizes[0]))

        out = self.verify_proof(bundle, "--hub-key", hub_hex)
        self.assertEqual(out.returncode, 0, describe(out))
        # Several accepted keys, ours among them (a rotation).
        out = self.verify_proof(bundle, "--hub-key", other.public_hex, "--hub-key", hub_hex)
        self.assertEqual(out.returncode, 0, describe(out))

        def edited(f) -> dict:
            b = copy.deepcopy(bundle)
            f(b)
            return b

        def flip_hex(text: str, i: int = 0) -> str:
            raw = bytearray(bytes.fromhex(text))
            raw[i] ^= 0x01
            return raw.hex()

        def rehashed_edit(b):
            b["entry"]["outcome"] = b["entry"]["outcome"] + "x"
            b["entry"]["hash"] = R.entry_hash(b["entry"])

        def beyond_the_head(b):
            # A self-consistent entry and leaf index past the head's last leaf.
            n = b["tree_size"]
            b["entry"]["seq"] = n + 1
            b["entry"]["hash"] = R.entry_hash(b["entry"])
            b["leaf_index"] = n

        self.assertGreater(len(bundle["inclusion_path"]), 1, "pick an entry in a bigger tree")
        cases = [
            ("edited entry", "entry_hash_mismatch",
             edited(lambda b: b["entry"].update(outcome=b["entry"]["outcome"] + "x"))),
            ("edited entry, seq", "entry_hash_mismatch",
             edited(lambda b: b["entry"].update(seq=seq + 1))),
            ("edited entry, hash recomputed", "inclusion_path_invalid", edited(rehashed_edit)),
            ("flipped path hash", "inclusion_path_invalid",
             edited(lambda b: b["inclusion_path"].__setitem__(
                 0, flip_hex(b["inclusion_path"][0], 5)))),
            ("dropped path hash", "inclusion_path_invalid",
             edited(lambda b: b["inclusion_path"].pop())),
            ("extra path hash", "inclusion_path_invalid",
             edited(lambda b: b["inclusion_path"].append("ab" * 32))),
            ("leaf index", "leaf_index_mismatch",
             edited(lambda b: b.update(leaf_index=b["leaf_index"] + 1))),
            ("leaf index not below tree_size", "leaf_index_mismatch", edited(beyond_the_head)),
            ("tree_size differs from the head's", "malformed_bundle",
             edited(lambda b: b.update(tree_size=b["tree_size"] - 1))),
            ("bad signature", "head_signature_invalid",
             edited(lambda b: b["tree_head"].update(
                 signature=flip_hex(b["tree_head"]["signature"], 17)))),
            ("head timestamp", "head_signature_invalid",
             edited(lambda b: b["tree_head"].update(timestamp=b["tree_head"]["timestamp"] + 1))),
            ("no tree_head", "malformed_bundle", edited(lambda b: b.pop("tree_head"))),
            ("path not a list", "malformed_bundle",
             edited(lambda b: b.update(inclusion_path="ab" * 32))),
            ("malformed JSON", "malformed_bundle", json.dumps(bundle)[:-7]),
        ]
        for name, reason, tampered in cases:
            with self.subTest(tampered=name):
                self.assertEqual(R.verify_bundle(tampered, [self.key.public]), reason)
                self.assertRefused(self.verify_proof(tampered, "--hub-key", hub_hex), reason)
        with self.subTest(tampered="wrong key"):
            self.assertEqual(R.verify_bundle(bundle, [other.public]), "unknown_key")
            self.assertRefused(self.verify_proof(bundle, "--hub-key", other.public_hex),
                               "unknown_key")

    def test_cli_consistency_bundle_verifies_offline_and_tampering_is_named(self):
        sizes = sorted(self.heads)
        m, n = sizes[0], sizes[-1]
        bundle = self.cli_bundle("consistency", "--first", str(m), "--second", str(n))
        self.assertEqual((bundle["first"], bundle["second"]), (m, n))
        rows = self.hub.audit_rows()
        self.assertEqual(bundle["consistency_path"],
                         [p.hex() for p in R.proof(m, leaves_of(self, rows, n))])
        hub_hex = self.key.public_hex
        out = self.verify_proof(bundle, "--hub-key", hub_hex)
        self.assertEqual(out.returncode, 0, describe(out))
        self.assertIsNone(R.verify_bundle(bundle, [self.key.public]))

        same = self.cli_bundle("consistency", "--first", str(n), "--second", str(n))
        self.assertEqual(same["consistency_path"], [])
        out = self.verify_proof(same, "--hub-key", hub_hex)
        self.assertEqual(out.returncode, 0, describe(out))

        swapped = dict(bundle, first=n, second=m, first_head=bundle["second_head"],
                       second_head=bundle["first_head"])
        flipped = copy.deepcopy(bundle)
        raw = bytearray(bytes.fromhex(flipped["consistency_path"][-1]))
        raw[3] ^= 0x80
        flipped["consistency_path"][-1] = raw.hex()
        dropped = copy.deepcopy(bundle)
        dropped["consistency_path"].pop(0)
        forked = copy.deepcopy(bundle)  # a first head of another history, validly signed
        forked["first_head"] = self.key.sign_tree_head(m, "cd" * 32, bundle["first_head"]
                                                       ["timestamp"])
        bad_sig = copy.deepcopy(bundle)
        bad_sig["second_head"]["signature"] = "00" * 64
        mislabelled = dict(bundle, first=m + 1)
        cases = [("first > second", "wrong_order", swapped),
                 ("first differs from first_head's size", "malformed_bundle", mislabelled),
                 ("flipped path hash", "consistency_path_invalid", flipped),
                 ("dropped path hash", "consistency_path_invalid", dropped),
                 ("forked first head", "consistency_path_invalid", forked),
                 ("bad signature", "head_signature_invalid", bad_sig),
                 ("no second_head", "malformed_bundle",
                  {k: v for k, v in bundle.items() if k != "second_head"}),
                 ("malformed JSON", "malformed_bundle", "{\"first\": 1, "),
                 ("not a bundle", "malformed_bundle", "[]")]
        for name, reason, tampered in cases:
            with self.subTest(tampered=name):
                self.assertEqual(R.verify_bundle(tampered, [self.key.public]), reason)
                self.assertRefused(self.verify_proof(tampered, "--hub-key", hub_hex), reason)
        other = R.Ed25519Key.generate()
        self.assertRefused(self.verify_proof(bundle, "--hub-key", other.public_hex),
                           "unknown_key")

    def test_cli_refuses_first_after_second(self):
        sizes = sorted(self.heads)
        out = client(self.hub, self.gs, "audit", "consistency", "--first", str(sizes[-1]),
                     "--second", str(sizes[0]))
        self.assertEqual(out.returncode, 1, describe(out))
        self.assertIn("invalid_range", out.stdout + out.stderr, describe(out))

    # ---- witnesses -------------------------------------------------------------------------

    def witness(self, state: str, *extra: str, token: typing.Optional[str] = None
                ) -> subprocess.CompletedProcess:
        return client(self.hub, token or self.fra, "audit", "witness", "--once", "--state",
                      state, *extra)

    def state_dir(self) -> str:
        return tempfile.mkdtemp(prefix="witness-", dir=self.hub.dir)

    def accepted(self, out: subprocess.CompletedProcess) -> typing.Tuple[int, str, str]:
        """(size, root, last) from the witness's line `head <size> <root> consistent with
        <last size>`, or `head <size> <root> accepted: the first head ...` (last "0")."""
        self.assertEqual(out.returncode, 0, describe(out))
        match = re.search(r"head (\d+) ([0-9a-f]{64}) (?:consistent with (\S+)|accepted: the "
                          r"first head this witness has seen)", out.stdout)
        self.assertIsNotNone(match, describe(out))
        return int(match.group(1)), match.group(2), match.group(3) or "0"

    def cosignature_of(self, size: int, witness_key: R.Ed25519Key) -> dict:
        head = get_ok(self, self.hub, f"/v1/audit/tree-heads/{size}", self.gs)
        mine = [c for c in head.get("cosignatures", [])
                if c.get("witness_key") == witness_key.public_hex]
        self.assertEqual(len(mine), 1, head)
        c = mine[0]
        self.assertTrue(R.ed25519_verify(witness_key.public,
                                         R.cosignature_message(c["timestamp"], head),
                                         bytes.fromhex(c["signature"])),
                        f"cosignature does not verify over the documented message: {c}")
        return head

    def test_witness_rounds_cosign_and_verify_proof_counts_them(self):
        state = self.state_dir()
        hub_hex = self.key.public_hex
        size1, root1, _ = self.accepted(self.witness(state, "--hub-key", hub_hex))
        self.assertGreaterEqual(size1, max(self.heads))
        # What it keeps: the pinned key, its own key (0600), the head it accepted.
        with open(os.path.join(state, "hub-keys"), encoding="ascii") as f:
            self.assertEqual(f.read().split(), [hub_hex])
        key_path = os.path.join(state, "witness.key")
        self.assertEqual(os.stat(key_path).st_mode & 0o777, 0o600)
        wkey = R.Ed25519Key.from_file(key_path)
        with open(os.path.join(state, "last-head.json"), encoding="utf-8") as f:
            last = json.load(f)
        self.assertEqual((last["tree_size"], last["root_hash"]), (size1, root1))
        head1 = self.cosignature_of(size1, wkey)
        self.assertEqual(head1["root_hash"], root1)
        rows = self.hub.audit_rows()
        self.assertEqual(root1, R.mth(leaves_of(self, rows, size1)).hex())

        # A later round, after more entries: consistent with the first.
        audited_requests(self.hub, self.gs, 8)
        wait_for_head(self, self.hub, self.gs, size1 + 8)
        size2, root2, last_size = self.accepted(self.witness(state))
        self.assertGreater(size2, size1)
        self.assertEqual(last_size, str(size1))
        self.cosignature_of(size2, wkey)

        # verify-proof counts the cosignatures of the witnesses it is given.
        bundle = get_ok(self, self.hub, f"/v1/audit/entries/1/proof?tree_size={size1}", self.gs)
        wk = wkey.public_hex
        stranger = R.Ed25519Key.generate()
        ok = self.verify_proof(bundle, "--hub-key", hub_hex, "--witness-key", wk,
                               "--quorum", "1")
        self.assertEqual(ok.returncode, 0, describe(ok))
        self.assertIsNone(R.verify_bundle(bundle, [self.key.public], [wkey.public], 1))
        two = self.verify_proof(bundle, "--hub-key", hub_hex, "--witness-key", wk,
                                "--quorum", "2")
        self.assertRefused(two, "quorum_not_met")
        self.assertEqual(R.verify_bundle(bundle, [self.key.public], [wkey.public], 2),
                         "quorum_not_met")
        untrusted = self.verify_proof(bundle, "--hub-key", hub_hex, "--witness-key",
                                      stranger.public_hex, "--quorum", "1")
        self.assertRefused(untrusted, "quorum_not_met")
        # A head nobody cosigned fails a quorum of 1.
        uncosigned = min(self.heads)
        self.assertLess(uncosigned, size1)
        bundle0 = get_ok(self, self.hub, f"/v1/audit/entries/1/proof?tree_size={uncosigned}",
                         self.gs)
        self.assertRefused(self.verify_proof(bundle0, "--hub-key", hub_hex, "--witness-key", wk,
                                             "--quorum", "1"), "quorum_not_met")
        # Both heads of a consistency bundle between the two rounds were cosigned.
        cons = get_ok(self, self.hub, f"/v1/audit/consistency?first={size1}&second={size2}",
                      self.gs)
        ok = self.verify_proof(cons, "--hub-key", hub_hex, "--witness-key", wk, "--quorum", "1")
        self.assertEqual(ok.returncode, 0, describe(ok))
        self.assertIsNone(R.verify_bundle(cons, [self.key.public], [wkey.public], 1))

    def fake_last_head(self, state: str, size: int, root: str) -> dict:
        """A last-head.json of `size` and `root`, validly signed with the hub's real key (as a
        hub rewriting history would)."""
        real = self.heads[max(self.heads)]
        head = self.key.sign_tree_head(size, root, real["timestamp"])
        with open(os.path.join(state, "last-head.json"), "w", encoding="utf-8") as f:
            json.dump(head, f)
        return head

    def test_witness_catches_a_fork(self):
        state = self.state_dir()
        size = min(self.heads)
        real_root = self.heads[size]["root_hash"]
        fake_root = "5e" * 32
        self.assertNotEqual(fake_root, real_root)
        self.fake_last_head(state, size, fake_root)
        out = self.witness(state, "--hub-key", self.key.public_hex)
        self.assertEqual(out.returncode, 3, describe(out))
        self.assertIn("FORK", out.stdout, describe(out))
        self.assertIn("FORK", out.stderr, describe(out))
        evidence = glob.glob(os.path.join(state, "fork-*.json"))
        self.assertEqual(len(evidence), 1, os.listdir(state))
        with open(evidence[0], encoding="utf-8") as f:
            text = f.read()
        json.loads(text)
        self.assertIn(fake_root, text, "the fork file lacks the head the witness kept")
        # The head the witness kept is untouched.
        with open(os.path.join(state, "last-head.json"), encoding="utf-8") as f:
            self.assertEqual(json.load(f)["root_hash"], fake_root)

    def test_witness_refuses_an_older_head(self):
        state = self.state_dir()
        latest = get_ok(self, self.hub, "/v1/audit/tree-heads/latest", self.gs)
        kept = self.fake_last_head(state, latest["tree_size"] + 100000, "7a" * 32)
        out = self.witness(state, "--hub-key", self.key.public_hex)
        self.assertRefused(out, "head_older")
        self.assertIn("refused", out.stdout, describe(out))
        with open(os.path.join(state, "last-head.json"), encoding="utf-8") as f:
            self.assertEqual(json.load(f), kept, "the witness kept a head it refused")

    def test_witness_with_another_key_pinned_refuses_the_hubs_heads(self):
        state = self.state_dir()
        other = R.Ed25519Key.generate()
        out = self.witness(state, "--hub-key", other.public_hex)
        self.assertEqual(out.returncode, 1, describe(out))
        self.assertTrue("head_signature_invalid" in out.stdout or "unknown_key" in out.stdout,
                        describe(out))
        self.assertFalse(os.path.exists(os.path.join(state, "last-head.json")),
                         "the witness kept a head it refused")

    # ---- cosignatures over the API ---------------------------------------------------------

    def test_cosignatures_are_checked_kept_and_capped(self):
        size = sorted(self.heads)[1]
        head = get_ok(self, self.hub, f"/v1/audit/tree-heads/{size}", self.gs)
        path = f"/v1/audit/tree-heads/{size}/cosignatures"
        ts = head["timestamp"] + 1000
        witnesses = [R.Ed25519Key.generate() for _ in range(33)]
        first = witnesses[0].cosign(head, ts)
        resp = self.hub.request("POST", path, first, token=self.fra)
        self.assertEqual(resp.status, 201, resp.describe())
        served = get_ok(self, self.hub, f"/v1/audit/tree-heads/{size}", self.gs)
        self.assertIn(first, served["cosignatures"])
        # A witness's second cosignature replaces its first (docs/openapi.yaml).
        again = witnesses[0].cosign(head, ts + 1)
        resp = self.hub.request("POST", path, again, token=self.fra)
        self.assertEqual(resp.status, 201, resp.describe())
        served = get_ok(self, self.hub, f"/v1/audit/tree-heads/{size}", self.gs)
        mine = [c for c in served["cosignatures"]
                if c["witness_key"] == witnesses[0].public_hex]
        self.assertEqual(mine, [again], served)
        # At most 32 a head: the 33rd witness is 429 too_many_cosignatures (docs/openapi.yaml),
        # and one of the 32 may still replace its own.
        for w in witnesses[1:32]:
            resp = self.hub.request("POST", path, w.cosign(head, ts), token=self.fra)
            self.assertEqual(resp.status, 201, resp.describe())
        resp = self.hub.request("POST", path, witnesses[32].cosign(head, ts), token=self.fra)
        self.assertError(resp, 429, "too_many_cosignatures")
        resp = self.hub.request("POST", path, witnesses[5].cosign(head, ts + 2), token=self.fra)
        self.assertEqual(resp.status, 201, resp.describe())
        served = get_ok(self, self.hub, f"/v1/audit/tree-heads/{size}", self.gs)
        self.assertEqual(len(served["cosignatures"]), 32, served)
        self.assertEqual({c["witness_key"] for c in served["cosignatures"]},
                         {w.public_hex for w in witnesses[:32]})
        for c in served["cosignatures"]:
            self.assertTrue(R.ed25519_verify(bytes.fromhex(c["witness_key"]),
                                             R.cosignature_message(c["timestamp"], served),
                                             bytes.fromhex(c["signature"])), c)

    def test_bogus_cosignatures_are_refused(self):
        size = sorted(self.heads)[0]
        head = get_ok(self, self.hub, f"/v1/audit/tree-heads/{size}", self.gs)
        path = f"/v1/audit/tree-heads/{size}/cosignatures"
        w = R.Ed25519Key.generate()
        good = w.cosign(head, head["timestamp"] + 5)
        cases = {
            "signature over another timestamp": dict(good, timestamp=good["timestamp"] + 1),
            "signature of another key": dict(good, witness_key=R.Ed25519Key.generate()
                                             .public_hex),
            "zero signature": dict(good, signature="00" * 64),
            "short signature": dict(good, signature="ab" * 10),
            "witness_key not hex": dict(good, witness_key="zz" * 32),
            "no signature": {k: v for k, v in good.items() if k != "signature"},
            "timestamp as text": dict(good, timestamp=str(good["timestamp"])),
        }
        cases["an unknown field"] = dict(good, extra=1)
        for name, body in cases.items():
            with self.subTest(cosignature=name):
                # docs/openapi.yaml: 400 invalid_cosignature, malformed or not the witness
                # key's signature of this head.
                resp = self.hub.request("POST", path, body, token=self.fra)
                self.assertError(resp, 400, "invalid_cosignature")
        resp = self.hub.request("POST", path, raw_body=b"{\"witness_key\": ", token=self.fra)
        self.assertError(resp, 400, "invalid_json")
        # Nothing refused was kept; a head that does not exist is 404.
        served = get_ok(self, self.hub, f"/v1/audit/tree-heads/{size}", self.gs)
        self.assertFalse(any(c.get("witness_key") == w.public_hex
                             for c in served.get("cosignatures", [])), served)
        resp = self.hub.request("POST", f"/v1/audit/tree-heads/{MAX_PARAM}/cosignatures",
                                good, token=self.fra)
        self.assertError(resp, 404, "tree_head_not_found")

    # ---- bad input and access --------------------------------------------------------------

    def test_endpoints_refuse_bad_input(self):
        sizes = sorted(self.heads)
        m, n = sizes[0], sizes[-1]
        gs = self.gs
        req = self.hub.request
        self.assertError(req("GET", f"/v1/audit/consistency?first={n}&second={m}", token=gs),
                         400, "invalid_range")
        missing = MAX_PARAM  # a valid number, and no head of that size
        paths = [f"/v1/audit/tree-heads/{missing}",
                 f"/v1/audit/consistency?first={m}&second={missing}",
                 f"/v1/audit/consistency?first={missing}&second={missing}",
                 f"/v1/audit/entries/1/proof?tree_size={missing}"]
        # A size below the newest for which no head was signed, if there is one.
        for k in range(n - 1, 0, -1):
            resp = req("GET", f"/v1/audit/tree-heads/{k}", token=gs)
            if resp.status == 404:
                paths += [f"/v1/audit/consistency?first={k}&second={n}",
                          f"/v1/audit/entries/1/proof?tree_size={k}"]
                break
            self.assertEqual(resp.status, 200, resp.describe())
        for path in paths:
            with self.subTest(path=path):
                self.assertError(req("GET", path, token=gs), 404, "tree_head_not_found")
        # An entry that exists but is not in the head asked for (docs/openapi.yaml).
        self.assertError(req("GET", f"/v1/audit/entries/{n + 1}/proof?tree_size={m}", token=gs),
                         404, "entry_not_sequenced")
        # Query numbers outside 1..2^62, or not numbers: 400 invalid_request.
        for path in ("/v1/audit/entries/1/proof?tree_size=0",
                     f"/v1/audit/entries/1/proof?tree_size={MAX_PARAM + 1}",
                     "/v1/audit/entries/1/proof?tree_size=-3",
                     "/v1/audit/entries/1/proof?tree_size=ten",
                     f"/v1/audit/consistency?first=0&second={n}",
                     f"/v1/audit/consistency?first={m}&second={MAX_PARAM + 1}",
                     f"/v1/audit/consistency?first={m}&second={1 << 64}",
                     f"/v1/audit/consistency?first=one&second={n}",
                     f"/v1/audit/consistency?first=1.5&second={n}",
                     f"/v1/audit/consistency?first={m}", f"/v1/audit/consistency?second={n}"):
            with self.subTest(path=path):
                self.assertError(req("GET", path, token=gs), 400, "invalid_request")

    def test_path_numbers_outside_the_range_are_invalid_requests(self):
        # docs/audit-log-format.md: "numbers outside 1..2^62 are 400 invalid_request"; the
        # path parameters are integers (docs/openapi.yaml: minimum 1, a 400 BadRequest).
        gs = self.gs
        for path in ("/v1/audit/tree-heads/0", f"/v1/audit/tree-heads/{MAX_PARAM + 1}",
                     "/v1/audit/tree-heads/-1", f"/v1/audit/tree-heads/{1 << 64}",
                     "/v1/audit/tree-heads/abc", "/v1/audit/tree-heads/12x",
                     "/v1/audit/entries/0/proof", f"/v1/audit/entries/{MAX_PARAM + 1}/proof",
                     "/v1/audit/entries/-1/proof", "/v1/audit/entries/abc/proof",
                     "/v1/audit/tree-heads/0/cosignatures"):
            with self.subTest(path=path):
                method = "POST" if path.endswith("cosignatures") else "GET"
                body = {"witness_key": "ab" * 32, "timestamp": 1, "signature": "cd" * 64} \
                    if method == "POST" else None
                self.assertError(self.hub.request(method, path, body, token=gs), 400,
                                 "invalid_request")

    def test_proof_of_an_entry_the_caller_may_not_read_looks_missing(self):
        rows = self.hub.audit_rows()
        n = max(self.heads)
        outside = [r for r in rows[:n] if r["agency_id"] == "ncb-fra"]
        own = [r for r in rows[:n] if r["agency_id"] == self.deu_agency]
        self.assertTrue(outside and own, "no entries of France or of the German agency")
        hidden = self.hub.request("GET", f"/v1/audit/entries/{outside[0]['seq']}/proof",
                                  token=self.deu)
        self.assertError(hidden, 404, "entry_not_found")
        absent = self.hub.request("GET", f"/v1/audit/entries/{10 ** 12}/proof", token=self.deu)
        self.assertError(absent, 404, "entry_not_found")
        self.assertEqual(set(hidden.body["error"]), set(absent.body["error"]))
        absent_gs = self.hub.request("GET", f"/v1/audit/entries/{10 ** 12}/proof", token=self.gs)
        self.assertError(absent_gs, 404, "entry_not_found")
        # Its own entries, heads and consistency proofs it may read.
        mine = get_ok(self, self.hub, f"/v1/audit/entries/{own[0]['seq']}/proof?tree_size={n}",
                      self.deu)
        self.check_inclusion_bundle(mine, own[0], leaves_of(self, rows, n))
        get_ok(self, self.hub, "/v1/audit/tree-heads/latest", self.deu)
        get_ok(self, self.hub, f"/v1/audit/consistency?first={min(self.heads)}&second={n}",
               self.deu)
        # Without audit.read: refused.
        for path in ("/v1/audit/tree-heads/latest", f"/v1/audit/entries/{own[0]['seq']}/proof",
                     f"/v1/audit/consistency?first={min(self.heads)}&second={n}"):
            with self.subTest(path=path):
                self.assertError(self.hub.request("GET", path, token=self.bare), 403,
                                 "missing_capability")
        self.assertEqual(self.hub.request("GET", "/v1/audit/tree-heads/latest").status, 401)


class StoreTamperingTest(TransparencyCase):
    """Someone holding the store and the hub's key rewrites history: every later hash
    recomputed and the chain's head re-signed, so the chain alone checks. The tree the hub
    sequenced before gives it away. Each test has a network of its own."""

    @classmethod
    def setUpClass(cls):
        pass  # a hub per test

    @classmethod
    def tearDownClass(cls):
        pass

    def setUp(self):
        self.hub = hub.Hub(name=self.id().rsplit(".", 1)[1][:20].lower())
        self.addCleanup(self.hub.close)
        self.addCleanup(self.hub.stop)
        h = self.hub
        h.start()
        self.key = hub_key(h)
        self.gs = h.admin_token()
        audited_requests(h, self.gs, 24)
        self.head = wait_for_head(self, h, self.gs, len(h.audit_rows()))
        self.assertEqual(h.stop(), 0, h.log_tail())
        self.rows = h.audit_rows()
        self.size = self.head["tree_size"]
        self.target = self.size // 2
        self.assertLess(self.target + 1, self.size)

    def rewrite(self, new_rows: typing.List[dict], first_changed: int) -> None:
        """Writes `new_rows` (the whole log wanted, seq 1..) over the store from index
        `first_changed` on: each later entry's prev_hash and hash recomputed, rows beyond the
        new end deleted, and the chain's head re-signed with the hub's real key."""
        h = self.hub
        prev = new_rows[first_changed - 1]["hash"] if first_changed > 0 else R.ZERO_HASH
        for i in range(first_changed, len(new_rows)):
            row = new_rows[i]
            row["seq"] = i + 1
            row["prev_hash"] = prev
            row["hash"] = prev = R.entry_hash(row)
        old_last = self.rows[-1]["seq"]
        for seq in range(len(new_rows) + 1, old_last + 1):
            h.db_exec("DELETE FROM audit_log WHERE seq = ?", (seq,))
        fields = COLUMNS[1:]
        update = (f"UPDATE audit_log SET {', '.join(f'{c} = ?' for c in fields)} "
                  f"WHERE seq = ?")
        for row in new_rows[first_changed:]:
            h.db_exec(update, tuple(row[c] for c in fields) + (row["seq"],))
        last = new_rows[-1]
        h.db_exec("UPDATE audit_head SET seq = ?, hash = ?, signature = ? WHERE id = 1",
                  (last["seq"], last["hash"],
                   self.key.sign(R.chain_head_message(last["seq"], last["hash"])).hex()))
        # The chain alone now checks: every entry its own hash, linked, the end signed.
        stored = h.audit_rows()
        self.assertEqual(len(stored), len(new_rows))
        prev = R.ZERO_HASH
        for row in stored:
            self.assertEqual(row["prev_hash"], prev)
            self.assertEqual(R.entry_hash(row), row["hash"])
            prev = row["hash"]

    def verify_reports_it(self) -> None:
        out = subprocess.run([self.hub.bin, "audit", "verify", "--data-dir", self.hub.data_dir,
                              "--json"], capture_output=True, text=True,
                             timeout=hub.CLI_TIMEOUT_S, stdin=subprocess.DEVNULL)
        self.assertEqual(out.returncode, 1, "audit verify missed a rewritten history\n" +
                         describe(out))
        report = json.loads(out.stdout)
        self.assertIs(report.get("intact"), False, report)
        self.assertIsInstance(report.get("problem"), str, report)

    def proof_fails(self, seq: int) -> None:
        """The hub's proof of entry `seq` in the head it signed before: refused, or a bundle
        that neither rfc9162.py nor `verify-proof` accepts."""
        resp = self.hub.request("GET", f"/v1/audit/entries/{seq}/proof?tree_size={self.size}",
                                token=self.gs)
        if resp.status != 200:
            # Refused: with a documented error, not an internal one.
            self.assertIn(resp.status, (404, 409, 503), resp.describe())
            self.assertIsNotNone(resp.error_code, resp.describe())
            return
        reasons = ("inclusion_path_invalid", "entry_hash_mismatch")
        self.assertIn(R.verify_bundle(resp.body, [self.key.public]), reasons, resp.body)
        out = self.verify_proof(resp.body, "--hub-key", self.key.public_hex)
        self.assertEqual(out.returncode, 1, describe(out))
        self.assertTrue(any(r in out.stdout + out.stderr for r in reasons), describe(out))

    def test_edited_entry(self):
        new = copy.deepcopy(self.rows)
        t = new[self.target - 1]
        t["outcome"] = "ok" if t["outcome"] != "ok" else "denied:missing_credentials"
        self.rewrite(new, self.target - 1)
        self.verify_reports_it()
        self.hub.start()
        self.proof_fails(self.target)
        # Entries before it still prove.
        resp = self.hub.request("GET", f"/v1/audit/entries/1/proof?tree_size={self.size}",
                                token=self.gs)
        self.assertEqual(resp.status, 200, resp.describe())
        self.assertIsNone(R.verify_bundle(resp.body, [self.key.public]))

    def test_removed_entry(self):
        new = copy.deepcopy(self.rows)
        del new[self.target - 1]
        self.hub.db_exec("DELETE FROM audit_log WHERE seq = ?", (self.target,))
        # Renumber the later ones, in ascending order so that no seq is taken twice.
        for row in new[self.target - 1:]:
            self.hub.db_exec("UPDATE audit_log SET seq = ? WHERE seq = ?",
                             (row["seq"] - 1, row["seq"]))
        self.rows = self.rows[:-1]  # the store's last seq is now one lower
        self.rewrite(new, self.target - 1)
        self.verify_reports_it()
        self.hub.start()
        self.proof_fails(self.target)

    def test_swapped_entries(self):
        new = copy.deepcopy(self.rows)
        a, b = self.target - 1, self.target
        new[a], new[b] = new[b], new[a]
        self.rewrite(new, a)
        self.verify_reports_it()
        self.hub.start()
        self.proof_fails(self.target)
        self.proof_fails(self.target + 1)


if __name__ == "__main__":
    unittest.main()
