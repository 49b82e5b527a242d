"""Unit tests of rfc9162.py, the independent RFC 9162 implementation the transparency log's
integration tests check the hub against: published vectors, every proof of every tree of 1 to
70 leaves verified by the RFC's own verification algorithms, and tampered proofs refused. Also
the helpers for ncbnet's formats (docs/audit-log-format.md) and Ed25519 through openssl.

No hub is needed; standard library and the openssl command line only."""

import copy
import hashlib
import json
import unittest

import rfc9162 as R

MAX_SIZE = 70

# RFC 6962's reference tree (certificate-transparency's test data): leaf data, then MTH of the
# first n leaves for n = 0..8.
CT_LEAVES = [bytes.fromhex(h) for h in (
    "", "00", "10", "2021", "3031", "40414243", "5051525354555657",
    "606162636465666768696a6b6c6d6e6f")]
CT_ROOTS = [
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
]
CT_INCLUSION = [
    (0, 8, ["96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"]),
    (5, 8, ["bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"]),
]
CT_CONSISTENCY = [
    (2, 8, ["5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"]),
    (6, 8, ["0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"]),
]

# RFC 8032 section 7.1, TEST 2 (one byte, 0x72; TEST 1's empty message is one that
# `openssl pkeyutl -rawin` 3.0 cannot sign).
RFC8032_SEED = "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb"
RFC8032_PUB = "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c"
RFC8032_MSG = b"\x72"
RFC8032_SIG = ("92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e"
               "458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00")


def flip(h: bytes, i: int = 0) -> bytes:
    b = bytearray(h)
    b[i % len(b)] ^= 0x01
    return bytes(b)


_LEAVES = [hashlib.sha256(f"leaf {i}".encode()).digest() for i in range(MAX_SIZE)]


class TreeData:
    """Leaves 0..MAX_SIZE-1 (distinct data) and MTH of each prefix, computed once."""
    leaves = _LEAVES
    roots = [R.mth(_LEAVES[:n]) for n in range(MAX_SIZE + 1)]


class VectorTest(unittest.TestCase):

    def test_empty_tree_hash_is_sha256_of_nothing(self):
        self.assertEqual(R.mth([]), hashlib.sha256(b"").digest())
        self.assertEqual(R.mth([]).hex(), CT_ROOTS[0])

    def test_rfc6962_reference_roots(self):
        for n in range(len(CT_LEAVES) + 1):
            self.assertEqual(R.mth(CT_LEAVES[:n]).hex(), CT_ROOTS[n], f"size {n}")

    def test_prefixes(self):
        self.assertEqual(R.leaf_hash(b"ab"), hashlib.sha256(b"\x00ab").digest())
        self.assertEqual(R.node_hash(b"l" * 32, b"r" * 32),
                         hashlib.sha256(b"\x01" + b"l" * 32 + b"r" * 32).digest())
        self.assertEqual(R.mth([b"x", b"y"]),
                         R.node_hash(R.leaf_hash(b"x"), R.leaf_hash(b"y")))

    def test_rfc6962_reference_proofs(self):
        for m, n, expected in CT_INCLUSION:
            got = R.path(m, CT_LEAVES[:n])
            self.assertEqual([h.hex() for h in got], expected, (m, n))
            self.assertTrue(R.verify_inclusion(m, n, got, R.leaf_hash(CT_LEAVES[m]),
                                               bytes.fromhex(CT_ROOTS[n])))
        for m, n, expected in CT_CONSISTENCY:
            got = R.proof(m, CT_LEAVES[:n])
            self.assertEqual([h.hex() for h in got], expected, (m, n))
            self.assertTrue(R.verify_consistency(m, n, bytes.fromhex(CT_ROOTS[m]),
                                                 bytes.fromhex(CT_ROOTS[n]), got))

    def test_largest_power_of_two(self):
        for n, k in ((2, 1), (3, 2), (4, 2), (5, 4), (8, 4), (9, 8), (70, 64)):
            self.assertEqual(R.largest_power_of_two_below(n), k)


class InclusionTest(unittest.TestCase, TreeData):

    def test_every_proof_of_every_tree_verifies(self):
        for n in range(1, MAX_SIZE + 1):
            for m in range(n):
                p = R.path(m, self.leaves[:n])
                self.assertTrue(R.verify_inclusion(m, n, p, R.leaf_hash(self.leaves[m]),
                                                   self.roots[n]), (m, n))

    def test_path_lengths(self):
        # A path has one hash per level above the leaf: at most ceil(log2 n).
        for n in range(1, MAX_SIZE + 1):
            for m in range(n):
                self.assertLessEqual(len(R.path(m, self.leaves[:n])), (n - 1).bit_length())

    def test_tampered_proofs_are_refused(self):
        for n in range(1, MAX_SIZE + 1):
            root = self.roots[n]
            for m in range(n):
                p = R.path(m, self.leaves[:n])
                leaf = R.leaf_hash(self.leaves[m])
                refused = []
                for i in range(len(p)):
                    refused.append((f"flipped {i}", m, n, p[:i] + [flip(p[i], i)] + p[i + 1:],
                                    leaf, root))
                    refused.append((f"dropped {i}", m, n, p[:i] + p[i + 1:], leaf, root))
                for i in range(len(p) + 1):
                    refused.append((f"extra at {i}", m, n, p[:i] + [b"\xab" * 32] + p[i:],
                                    leaf, root))
                if len(p) >= 2:
                    refused.append(("reversed", m, n, p[::-1], leaf, root))
                refused.append(("other leaf", m, n, p, R.leaf_hash(b"not " + self.leaves[m]),
                                root))
                refused.append(("leaf data not hashed", m, n, p, self.leaves[m], root))
                refused.append(("flipped root", m, n, p, leaf, flip(root)))
                for other in (m - 1, m + 1, m ^ 1, n, n + 1, -1):
                    if other != m:
                        refused.append((f"index {other}", other, n, p, leaf, root))
                for size in (n - 1, n + 1, 2 * n):
                    if size >= 1 and size != n:
                        # Another size, with that size's own root.
                        if size <= MAX_SIZE:
                            refused.append((f"size {size}", m, size, p, leaf, self.roots[size]))
                refused.append(("size 0", m, 0, p, leaf, root))
                for what, mm, nn, pp, ll, rr in refused:
                    self.assertFalse(R.verify_inclusion(mm, nn, pp, ll, rr),
                                     f"{what}: leaf {m} of {n}")

    def test_path_refuses_out_of_range(self):
        with self.assertRaises(ValueError):
            R.path(3, self.leaves[:3])
        with self.assertRaises(ValueError):
            R.path(-1, self.leaves[:3])
        with self.assertRaises(ValueError):
            R.path(0, [])


class ConsistencyTest(unittest.TestCase, TreeData):

    def test_every_proof_of_every_pair_verifies(self):
        for n in range(1, MAX_SIZE + 1):
            for m in range(1, n + 1):
                p = R.proof(m, self.leaves[:n])
                self.assertTrue(R.verify_consistency(m, n, self.roots[m], self.roots[n], p),
                                (m, n))
                if m == n:
                    self.assertEqual(p, [], (m, n))
                else:
                    self.assertGreater(len(p), 0, (m, n))

    def test_tampered_proofs_are_refused(self):
        for n in range(2, MAX_SIZE + 1):
            for m in range(1, n):
                p = R.proof(m, self.leaves[:n])
                r1, r2 = self.roots[m], self.roots[n]
                refused = []
                for i in range(len(p)):
                    refused.append((f"flipped {i}", m, n, r1, r2,
                                    p[:i] + [flip(p[i], i)] + p[i + 1:]))
                    refused.append((f"dropped {i}", m, n, r1, r2, p[:i] + p[i + 1:]))
                for i in range(len(p) + 1):
                    refused.append((f"extra at {i}", m, n, r1, r2,
                                    p[:i] + [b"\xcd" * 32] + p[i:]))
                if len(p) >= 2 and p[0] != p[-1]:
                    refused.append(("reversed", m, n, r1, r2, p[::-1]))
                refused.append(("empty", m, n, r1, r2, []))
                refused.append(("flipped first root", m, n, flip(r1), r2, p))
                refused.append(("flipped second root", m, n, r1, flip(r2), p))
                refused.append(("roots swapped", m, n, r2, r1, p))
                refused.append(("sizes swapped", n, m, r2, r1, p))
                for first in (m - 1, m + 1):
                    if 1 <= first < n:
                        refused.append((f"first {first}", first, n, self.roots[first], r2, p))
                for second in (n - 1, n + 1):
                    if m < second <= MAX_SIZE:
                        refused.append((f"second {second}", m, second, r1, self.roots[second],
                                        p))
                refused.append(("first 0", 0, n, R.mth([]), r2, p))
                for what, mm, nn, f, s, pp in refused:
                    self.assertFalse(R.verify_consistency(mm, nn, f, s, pp),
                                     f"{what}: {m} -> {n}")

    def test_equal_sizes(self):
        for n in (1, 2, 7, 64):
            r = self.roots[n]
            self.assertTrue(R.verify_consistency(n, n, r, r, []))
            self.assertFalse(R.verify_consistency(n, n, r, self.roots[n - 1], []))
            self.assertFalse(R.verify_consistency(n, n, r, r, [r]))

    def test_proof_refuses_out_of_range(self):
        with self.assertRaises(ValueError):
            R.proof(0, self.leaves[:3])
        with self.assertRaises(ValueError):
            R.proof(4, self.leaves[:3])


class FormatTest(unittest.TestCase):

    VECTOR = {"seq": 1, "time_ms": 1790000000000, "request_id": "req-1", "user_id": "u-42",
              "agency_id": "FRA", "source": "192.0.2.7", "action": "POST /v1/messages",
              "object": "msg:9", "outcome": "ok", "prev_hash": "0" * 64}

    def test_entry_hash_vector_of_the_spec(self):
        self.assertEqual(R.entry_hash(self.VECTOR),
                         "4143e2665f9a1c90fc3f7027aa4510eb10b82f530d0edc706781e3e333f959f9")
        self.assertTrue(R.entry_encoding(self.VECTOR).startswith(b"1:1\n13:1790000000000\n"))

    def test_entry_encoding_counts_bytes(self):
        e = dict(self.VECTOR, object="é:\n")
        self.assertIn(b"\n4:\xc3\xa9:\n\n2:ok\n", R.entry_encoding(e))
        self.assertIn(b"14:-1790000000000\n", R.entry_encoding(dict(e, time_ms=-1790000000000)))

    def test_messages(self):
        head = {"tree_size": 1042, "root_hash": "ab" * 32, "timestamp": 1790000000123,
                "key_id": "0123456789abcdef"}
        msg = R.tree_head_message(head)
        self.assertEqual(msg, b"ncbnet-audit-tree-head-v1\n0123456789abcdef\n1042\n" +
                         b"ab" * 32 + b"\n1790000000123\n")
        self.assertEqual(R.cosignature_message(1790000000500, head),
                         b"ncbnet-audit-cosignature-v1\n1790000000500\n" + msg)
        self.assertEqual(R.chain_head_message(0, "0" * 64),
                         b"ncbnet-audit-head\n0\n" + b"0" * 64)
        self.assertEqual(R.key_id(b"\x00" * 32), hashlib.sha256(b"\x00" * 32).hexdigest()[:16])


class Ed25519Test(unittest.TestCase):

    def test_rfc8032_vector(self):
        key = R.Ed25519Key(bytes.fromhex(RFC8032_SEED))
        self.assertEqual(key.public_hex, RFC8032_PUB)
        self.assertEqual(key.sign(RFC8032_MSG).hex(), RFC8032_SIG)
        pub, sig, msg = bytes.fromhex(RFC8032_PUB), bytes.fromhex(RFC8032_SIG), RFC8032_MSG
        self.assertTrue(R.ed25519_verify(pub, msg, sig))
        self.assertFalse(R.ed25519_verify(pub, b"\x73", sig))
        self.assertFalse(R.ed25519_verify(pub, msg, flip(sig, 5)))
        self.assertFalse(R.ed25519_verify(pub, msg, sig[:63]))
        self.assertFalse(R.ed25519_verify(flip(pub, 3), msg, sig))

    def test_generated_keys_sign_and_verify(self):
        key = R.Ed25519Key.generate()
        other = R.Ed25519Key.generate()
        self.assertNotEqual(key.public, other.public)
        sig = key.sign(b"message")
        self.assertTrue(R.ed25519_verify(key.public, b"message", sig))
        self.assertFalse(R.ed25519_verify(other.public, b"message", sig))


class BundleTest(unittest.TestCase, TreeData):
    """The offline bundle verifier on bundles made here with a key made here."""

    @classmethod
    def setUpClass(cls):
        cls.key = R.Ed25519Key.generate()
        cls.witness = R.Ed25519Key.generate()
        prev = R.ZERO_HASH
        cls.entries = []
        for seq in range(1, 12):
            e = {"seq": seq, "time_ms": 1790000000000 + seq, "request_id": f"req_{seq}",
                 "user_id": "usr_1", "agency_id": "ncb-fra", "source": "127.0.0.1",
                 "action": "GET /v1/me", "object": "", "outcome": "ok", "prev_hash": prev}
            e["hash"] = prev = R.entry_hash(e)
            cls.entries.append(e)
        cls.data = [R.leaf_data(e["hash"]) for e in cls.entries]

    def head(self, n: int) -> dict:
        h = self.key.sign_tree_head(n, R.mth(self.data[:n]).hex(), 1790000001000 + n)
        h["cosignatures"].append(self.witness.cosign(h, 1790000002000))
        return h

    def inclusion(self, seq: int, n: int) -> dict:
        return {"entry": dict(self.entries[seq - 1]), "leaf_index": seq - 1, "tree_size": n,
                "inclusion_path": [h.hex() for h in R.path(seq - 1, self.data[:n])],
                "tree_head": self.head(n)}

    def consistency(self, m: int, n: int) -> dict:
        return {"first": m, "second": n,
                "consistency_path": [h.hex() for h in R.proof(m, self.data[:n])],
                "first_head": self.head(m), "second_head": self.head(n)}

    def reason(self, bundle, quorum=0, keys=None, witnesses=None) -> str:
        return R.verify_bundle(bundle, keys or [self.key.public],
                               witnesses if witnesses is not None else [self.witness.public],
                               quorum)

    def test_valid_bundles(self):
        for seq, n in ((1, 1), (1, 11), (6, 11), (11, 11)):
            b = self.inclusion(seq, n)
            self.assertIsNone(self.reason(b, quorum=1), (seq, n))
            self.assertIsNone(self.reason(json.dumps(b)))
        for m, n in ((1, 1), (3, 11), (8, 11), (11, 11)):
            self.assertIsNone(self.reason(self.consistency(m, n), quorum=1), (m, n))

    def test_refused_inclusion_bundles(self):
        good = self.inclusion(5, 11)

        def edited(f):
            b = copy.deepcopy(good)
            f(b)
            return b

        cases = [
            ("entry_hash_mismatch", edited(lambda b: b["entry"].update(outcome="denied:x"))),
            ("inclusion_path_invalid", edited(lambda b: b["entry"].update(
                outcome="denied:x", hash=R.entry_hash(dict(b["entry"], outcome="denied:x"))))),
            ("inclusion_path_invalid", edited(lambda b: b["inclusion_path"].__setitem__(
                1, flip(bytes.fromhex(b["inclusion_path"][1])).hex()))),
            ("inclusion_path_invalid", edited(lambda b: b["inclusion_path"].pop())),
            ("inclusion_path_invalid", edited(lambda b: b["inclusion_path"].append("ab" * 32))),
            ("leaf_index_mismatch", edited(lambda b: b.update(leaf_index=5))),
            ("malformed_bundle", edited(lambda b: b.update(tree_size=10))),
            ("head_signature_invalid", edited(lambda b: b["tree_head"].update(
                signature=flip(bytes.fromhex(b["tree_head"]["signature"]), 9).hex()))),
            ("malformed_bundle", edited(lambda b: b.pop("inclusion_path"))),
            ("malformed_bundle", edited(lambda b: b["entry"].pop("seq"))),
            ("malformed_bundle", edited(lambda b: b.update(leaf_index="4"))),
            ("malformed_bundle", "{not json"),
        ]
        for reason, bundle in cases:
            self.assertEqual(self.reason(bundle), reason, bundle)
        self.assertEqual(self.reason(good, keys=[R.Ed25519Key.generate().public]),
                         "unknown_key")
        self.assertEqual(self.reason(good, quorum=2), "quorum_not_met")
        self.assertEqual(self.reason(good, quorum=1, witnesses=[]), "quorum_not_met")

    def test_refused_consistency_bundles(self):
        good = self.consistency(5, 11)
        swapped = copy.deepcopy(good)
        swapped.update(first=11, second=5, first_head=good["second_head"],
                       second_head=good["first_head"])
        self.assertEqual(self.reason(swapped), "wrong_order")
        flipped = copy.deepcopy(good)
        flipped["consistency_path"][0] = flip(bytes.fromhex(good["consistency_path"][0])).hex()
        self.assertEqual(self.reason(flipped), "consistency_path_invalid")
        forked = copy.deepcopy(good)
        forked["first_head"] = self.key.sign_tree_head(5, "cd" * 32, 1)
        self.assertEqual(self.reason(forked), "consistency_path_invalid")
        bad_sig = copy.deepcopy(good)
        bad_sig["second_head"]["signature"] = "00" * 64
        self.assertEqual(self.reason(bad_sig), "head_signature_invalid")
        self.assertEqual(self.reason(good, quorum=2), "quorum_not_met")


if __name__ == "__main__":
    unittest.main()
