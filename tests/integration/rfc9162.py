"""An independent implementation of RFC 9162 section 2.1 (Merkle hash trees, inclusion and
consistency proofs), written from the RFC's text to cross-check the hub's transparency log,
and the formats of docs/audit-log-format.md ("The transparency log: a Merkle tree over the
chain"): the signed messages of tree heads, cosignatures and the chain's head, key ids, the
canonical hash of an entry, and an offline verifier of inclusion and consistency bundles.

Ed25519 (RFC 8032) goes through the `openssl` command line (OpenSSL 3): keys are 32-byte seeds,
wrapped here in PKCS#8 / SubjectPublicKeyInfo DER. Standard library only.

Two kinds of algorithms are kept apart on purpose:

- generation (MTH, PATH, PROOF) follows the recursive definitions of 2.1.1, 2.1.3.1 and
  2.1.4.1 literally, over the full list of leaves: slow, but obviously the RFC's;
- verification (2.1.3.2, 2.1.4.2) follows the RFC's bit-shifting algorithms step by step, and
  never sees the leaves.

Each checks the other (test_rfc9162.py); both are checked against the hub.
"""

import base64
import hashlib
import json
import os
import re
import shutil
import subprocess
import tempfile
import typing
import weakref

OPENSSL = os.environ.get("OPENSSL", "openssl")
OPENSSL_TIMEOUT_S = 30.0

HEX64 = re.compile(r"^[0-9a-f]{64}$")
HEX128 = re.compile(r"^[0-9a-f]{128}$")
HEX16 = re.compile(r"^[0-9a-f]{16}$")

# ---- RFC 9162 2.1: hashing ----------------------------------------------------------------


def sha256(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def leaf_hash(data: bytes) -> bytes:
    """MTH({d(0)}) = HASH(0x00 || d(0)) (RFC 9162 2.1.1)."""
    return sha256(b"\x00" + data)


def node_hash(left: bytes, right: bytes) -> bytes:
    """HASH(0x01 || left || right) (RFC 9162 2.1.1)."""
    return sha256(b"\x01" + left + right)


def largest_power_of_two_below(n: int) -> int:
    """k, the largest power of two smaller than n (n > 1): k < n <= 2k."""
    assert n > 1
    k = 1
    while k * 2 < n:
        k *= 2
    return k


def mth(leaves: typing.Sequence[bytes]) -> bytes:
    """MTH(D[n]) over the leaves' data (RFC 9162 2.1.1), recursively, as the RFC defines it."""
    n = len(leaves)
    if n == 0:
        return sha256(b"")
    if n == 1:
        return leaf_hash(leaves[0])
    k = largest_power_of_two_below(n)
    return node_hash(mth(leaves[:k]), mth(leaves[k:]))


def path(m: int, leaves: typing.Sequence[bytes]) -> typing.List[bytes]:
    """PATH(m, D[n]) (RFC 9162 2.1.3.1): the audit path of leaf m, leaf's sibling first."""
    n = len(leaves)
    if not 0 <= m < n:
        raise ValueError(f"PATH({m}, D[{n}]): need 0 <= m < n")
    if n == 1:
        return []
    k = largest_power_of_two_below(n)
    if m < k:
        return path(m, leaves[:k]) + [mth(leaves[k:])]
    return path(m - k, leaves[k:]) + [mth(leaves[:k])]


def proof(m: int, leaves: typing.Sequence[bytes]) -> typing.List[bytes]:
    """PROOF(m, D[n]) = SUBPROOF(m, D[n], true) (RFC 9162 2.1.4.1), for 0 < m <= n."""
    n = len(leaves)
    if not 0 < m <= n:
        raise ValueError(f"PROOF({m}, D[{n}]): need 0 < m <= n")
    return _subproof(m, leaves, True)


def _subproof(m: int, leaves: typing.Sequence[bytes], b: bool) -> typing.List[bytes]:
    n = len(leaves)
    if m == n:
        return [] if b else [mth(leaves)]
    k = largest_power_of_two_below(n)
    if m <= k:
        return _subproof(m, leaves[:k], b) + [mth(leaves[k:])]
    return _subproof(m - k, leaves[k:], False) + [mth(leaves[:k])]


# ---- RFC 9162 2.1.3.2 and 2.1.4.2: verification ------------------------------------------


def verify_inclusion(leaf_index: int, tree_size: int, inclusion_path: typing.Sequence[bytes],
                     hash_: bytes, root_hash: bytes) -> bool:
    """RFC 9162 2.1.3.2, step by step. `hash_` is the leaf's hash (HASH(0x00 || data))."""
    # 1. leaf_index >= tree_size: fail.
    if not (0 <= leaf_index < tree_size):
        return False
    # 2. fn = leaf_index, sn = tree_size - 1.
    fn, sn = leaf_index, tree_size - 1
    # 3. r = hash.
    r = hash_
    # 4. For each p in inclusion_path:
    for p in inclusion_path:
        # a. sn == 0: fail.
        if sn == 0:
            return False
        # b.
        if fn & 1 or fn == sn:
            # 1. r = HASH(0x01 || p || r)
            r = node_hash(p, r)
            # 2. If LSB(fn) is not set, right-shift fn and sn until LSB(fn) is set or fn is 0.
            if not fn & 1:
                while not (fn & 1 or fn == 0):
                    fn >>= 1
                    sn >>= 1
        else:
            # 1. r = HASH(0x01 || r || p)
            r = node_hash(r, p)
        # c. Right-shift fn and sn once.
        fn >>= 1
        sn >>= 1
    # 5. sn == 0 and r == root_hash.
    return sn == 0 and r == root_hash


def _is_power_of_two(x: int) -> bool:
    return x > 0 and x & (x - 1) == 0


def verify_consistency(first: int, second: int, first_hash: bytes, second_hash: bytes,
                       consistency_path: typing.Sequence[bytes]) -> bool:
    """RFC 9162 2.1.4.2, step by step, for 0 < first < second. For first == second (outside
    the RFC's algorithm) docs/audit-log-format.md asks for an empty path and equal roots."""
    if first <= 0 or second <= 0 or first > second:
        return False
    if first == second:
        return len(consistency_path) == 0 and first_hash == second_hash
    path_ = list(consistency_path)
    # 1. Empty consistency_path: fail.
    if not path_:
        return False
    # 2. If first is an exact power of 2, prepend first_hash.
    if _is_power_of_two(first):
        path_.insert(0, first_hash)
    # 3. fn = first - 1, sn = second - 1.
    fn, sn = first - 1, second - 1
    # 4. If LSB(fn) is set, right-shift fn and sn equally until LSB(fn) is not set.
    while fn & 1:
        fn >>= 1
        sn >>= 1
    # 5. fr = sr = the first value of the path.
    fr = sr = path_[0]
    # 6. For each subsequent value c:
    for c in path_[1:]:
        # a. sn == 0: fail.
        if sn == 0:
            return False
        # b.
        if fn & 1 or fn == sn:
            # 1., 2.
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            # 3. If LSB(fn) is not set, right-shift until LSB(fn) is set or fn is 0.
            if not fn & 1:
                while not (fn & 1 or fn == 0):
                    fn >>= 1
                    sn >>= 1
        else:
            # 1. sr = HASH(0x01 || sr || c)
            sr = node_hash(sr, c)
        # c. Right-shift fn and sn once.
        fn >>= 1
        sn >>= 1
    # 7. fr == first_hash, sr == second_hash, sn == 0.
    return fr == first_hash and sr == second_hash and sn == 0


# ---- ncbnet's formats (docs/audit-log-format.md) ------------------------------------------

# The fields an entry's hash covers, in order.
HASHED = ("seq", "time_ms", "request_id", "user_id", "agency_id", "source", "action", "object",
          "outcome", "prev_hash")
ENTRY_FIELDS = HASHED + ("hash",)
ZERO_HASH = "0" * 64


def _field_bytes(value: typing.Any) -> bytes:
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value)
    if isinstance(value, bool):
        raise TypeError("a boolean is no entry field")
    return str(value).encode("utf-8")


def entry_encoding(entry: dict) -> bytes:
    r"""The canonical encoding: each field as "<byte length>:<bytes>\n", in HASHED order."""
    out = b""
    for field in HASHED:
        data = _field_bytes(entry[field])
        out += str(len(data)).encode("ascii") + b":" + data + b"\n"
    return out


def entry_hash(entry: dict) -> str:
    """The entry's `hash`: lower-case hex of SHA-256 of its canonical encoding."""
    return hashlib.sha256(entry_encoding(entry)).hexdigest()


def leaf_data(entry_hash_hex: str) -> bytes:
    """A leaf's data: the 32 raw bytes of its entry's hash."""
    data = bytes.fromhex(entry_hash_hex)
    assert len(data) == 32
    return data


def key_id(public_key: bytes) -> str:
    """The first 16 lower-case hex characters of SHA-256 of the 32-byte public key."""
    return hashlib.sha256(public_key).hexdigest()[:16]


def tree_head_message(head: dict) -> bytes:
    """What the hub signs for a tree head (5 lines, each ending in a newline)."""
    return ("ncbnet-audit-tree-head-v1\n" + head["key_id"] + "\n" + str(head["tree_size"]) +
            "\n" + head["root_hash"] + "\n" + str(head["timestamp"]) + "\n").encode("ascii")


def cosignature_message(timestamp: int, head: dict) -> bytes:
    """What a witness signs: its cosigning timestamp, then the head's message."""
    return b"ncbnet-audit-cosignature-v1\n" + str(timestamp).encode("ascii") + b"\n" + \
        tree_head_message(head)


def chain_head_message(seq: int, hash_hex: str) -> bytes:
    """What the hub signs for the chain's head (audit_head): no trailing newline."""
    return b"ncbnet-audit-head\n" + str(seq).encode("ascii") + b"\n" + hash_hex.encode("ascii")


# ---- Ed25519 through the openssl command line ---------------------------------------------

_PKCS8_PREFIX = bytes.fromhex("302e020100300506032b657004220420")
_SPKI_PREFIX = bytes.fromhex("302a300506032b6570032100")


def _pem(label: str, der: bytes) -> str:
    b64 = base64.b64encode(der).decode("ascii")
    lines = [b64[i:i + 64] for i in range(0, len(b64), 64)]
    return f"-----BEGIN {label}-----\n" + "\n".join(lines) + f"\n-----END {label}-----\n"


def _openssl(*args: str, input_: typing.Optional[bytes] = None) -> subprocess.CompletedProcess:
    return subprocess.run([OPENSSL, *args], capture_output=True, timeout=OPENSSL_TIMEOUT_S,
                          input=input_ if input_ is not None else b"")


def read_seed(path_: str) -> bytes:
    """A key file of ncbnet: the 32-byte Ed25519 seed as 64 hex characters and a newline."""
    with open(path_, encoding="ascii") as f:
        text = f.read().strip()
    seed = bytes.fromhex(text)
    if len(seed) != 32:
        raise ValueError(f"{path_}: not a 32-byte seed")
    return seed


class Ed25519Key:
    """An Ed25519 key pair from its 32-byte seed; signs with `openssl pkeyutl`."""

    def __init__(self, seed: bytes):
        assert len(seed) == 32
        self.seed = seed
        self._dir = tempfile.mkdtemp(prefix="rfc9162-key-")
        weakref.finalize(self, shutil.rmtree, self._dir, True)
        self._key_path = os.path.join(self._dir, "key.pem")
        fd = os.open(self._key_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as f:
            f.write(_pem("PRIVATE KEY", _PKCS8_PREFIX + seed))
        out = _openssl("pkey", "-in", self._key_path, "-pubout", "-outform", "DER")
        if out.returncode != 0 or len(out.stdout) != len(_SPKI_PREFIX) + 32 or \
                not out.stdout.startswith(_SPKI_PREFIX):
            raise RuntimeError(f"openssl pkey -pubout: {out.returncode} {out.stderr!r}")
        self.public = out.stdout[len(_SPKI_PREFIX):]

    @classmethod
    def generate(cls) -> "Ed25519Key":
        return cls(os.urandom(32))

    @classmethod
    def from_file(cls, path_: str) -> "Ed25519Key":
        return cls(read_seed(path_))

    @property
    def public_hex(self) -> str:
        return self.public.hex()

    @property
    def key_id(self) -> str:
        return key_id(self.public)

    def sign(self, message: bytes) -> bytes:
        msg_path = os.path.join(self._dir, "msg")
        with open(msg_path, "wb") as f:
            f.write(message)
        out = _openssl("pkeyutl", "-sign", "-rawin", "-inkey", self._key_path, "-in", msg_path)
        if out.returncode != 0 or len(out.stdout) != 64:
            raise RuntimeError(f"openssl pkeyutl -sign: {out.returncode} {out.stderr!r}")
        return out.stdout

    def sign_tree_head(self, tree_size: int, root_hash: str, timestamp: int) -> dict:
        """A head of our JSON form signed by this key, without cosignatures."""
        head = {"tree_size": tree_size, "root_hash": root_hash, "timestamp": timestamp,
                "key_id": self.key_id}
        head["signature"] = self.sign(tree_head_message(head)).hex()
        head["cosignatures"] = []
        return head

    def cosign(self, head: dict, timestamp: int) -> dict:
        """A cosignature of `head` by this key, as a witness sends it."""
        return {"witness_key": self.public_hex, "timestamp": timestamp,
                "signature": self.sign(cosignature_message(timestamp, head)).hex()}


def ed25519_verify(public_key: bytes, message: bytes, signature: bytes) -> bool:
    """Verifies with `openssl pkeyutl -verify`; False for any malformed input."""
    if len(public_key) != 32 or len(signature) != 64:
        return False
    with tempfile.TemporaryDirectory(prefix="rfc9162-verify-") as d:
        pub_path = os.path.join(d, "pub.pem")
        msg_path = os.path.join(d, "msg")
        sig_path = os.path.join(d, "sig")
        with open(pub_path, "w", encoding="ascii") as f:
            f.write(_pem("PUBLIC KEY", _SPKI_PREFIX + public_key))
        with open(msg_path, "wb") as f:
            f.write(message)
        with open(sig_path, "wb") as f:
            f.write(signature)
        out = _openssl("pkeyutl", "-verify", "-pubin", "-inkey", pub_path, "-rawin",
                       "-in", msg_path, "-sigfile", sig_path)
        return out.returncode == 0 and b"Signature Verified Successfully" in out.stdout


# ---- offline verification of bundles (what `ncbnet audit verify-proof` does) --------------


class Rejected(Exception):
    """A bundle refused, with one of the documented reasons."""

    def __init__(self, reason: str, detail: str = ""):
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason


def _int_field(obj: typing.Any, name: str, minimum: int = 0) -> int:
    if not isinstance(obj, dict) or name not in obj:
        raise Rejected("malformed_bundle", name)
    value = obj[name]
    if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
        raise Rejected("malformed_bundle", name)
    return value


def _str_field(obj: typing.Any, name: str, pattern: typing.Optional[re.Pattern] = None) -> str:
    if not isinstance(obj, dict) or name not in obj or not isinstance(obj[name], str):
        raise Rejected("malformed_bundle", name)
    if pattern is not None and not pattern.match(obj[name]):
        raise Rejected("malformed_bundle", name)
    return obj[name]


def _hash_list(obj: dict, name: str) -> typing.List[bytes]:
    value = obj.get(name) if isinstance(obj, dict) else None
    if not isinstance(value, list) or not all(isinstance(h, str) and HEX64.match(h)
                                              for h in value):
        raise Rejected("malformed_bundle", name)
    return [bytes.fromhex(h) for h in value]


def _check_head_shape(head: typing.Any, name: str) -> None:
    if not isinstance(head, dict):
        raise Rejected("malformed_bundle", name)
    _int_field(head, "tree_size", 1)
    _str_field(head, "root_hash", HEX64)
    _int_field(head, "timestamp")
    _str_field(head, "key_id", HEX16)
    _str_field(head, "signature", HEX128)
    cosignatures = head.get("cosignatures", [])
    if not isinstance(cosignatures, list):
        raise Rejected("malformed_bundle", f"{name}.cosignatures")
    for c in cosignatures:
        if not isinstance(c, dict):
            raise Rejected("malformed_bundle", f"{name}.cosignatures")


def verify_head(head: dict, hub_keys: typing.Sequence[bytes],
                witness_keys: typing.Sequence[bytes] = (), quorum: int = 0) -> None:
    """A head's key, signature and witness quorum; raises Rejected."""
    by_id = {key_id(k): k for k in hub_keys}
    key = by_id.get(head["key_id"])
    if key is None:
        raise Rejected("unknown_key", head["key_id"])
    if not ed25519_verify(key, tree_head_message(head), bytes.fromhex(head["signature"])):
        raise Rejected("head_signature_invalid")
    if quorum <= 0:
        return
    trusted = {k.hex() for k in witness_keys}
    good = set()
    for c in head.get("cosignatures", []):
        wk, ts, sig = c.get("witness_key"), c.get("timestamp"), c.get("signature")
        if not (isinstance(wk, str) and wk in trusted and isinstance(ts, int) and
                not isinstance(ts, bool) and isinstance(sig, str) and HEX128.match(sig)):
            continue
        if wk in good:
            continue
        if ed25519_verify(bytes.fromhex(wk), cosignature_message(ts, head),
                          bytes.fromhex(sig)):
            good.add(wk)
    if len(good) < quorum:
        raise Rejected("quorum_not_met", f"{len(good)} of {quorum}")


def verify_inclusion_bundle(bundle: typing.Any, hub_keys: typing.Sequence[bytes],
                            witness_keys: typing.Sequence[bytes] = (), quorum: int = 0) -> None:
    """Checks an inclusion bundle as docs/audit-log-format.md describes; raises Rejected."""
    if not isinstance(bundle, dict):
        raise Rejected("malformed_bundle", "bundle")
    entry = bundle.get("entry")
    if not isinstance(entry, dict):
        raise Rejected("malformed_bundle", "entry")
    seq = _int_field(entry, "seq", 1)
    _int_field(entry, "time_ms", -(1 << 63))
    for name in HASHED[2:-1]:
        _str_field(entry, name)
    _str_field(entry, "prev_hash")
    stated = _str_field(entry, "hash", HEX64)
    leaf_index = _int_field(bundle, "leaf_index")
    tree_size = _int_field(bundle, "tree_size", 1)
    inclusion_path = _hash_list(bundle, "inclusion_path")
    head = bundle.get("tree_head")
    _check_head_shape(head, "tree_head")
    if head["tree_size"] != tree_size:
        # Not the shape documented: tree_head is the head "of size tree_size".
        raise Rejected("malformed_bundle", "tree_size differs from the head's")
    if entry_hash(entry) != stated:
        raise Rejected("entry_hash_mismatch")
    if leaf_index != seq - 1 or leaf_index >= tree_size:
        raise Rejected("leaf_index_mismatch")
    if not verify_inclusion(leaf_index, tree_size, inclusion_path,
                            leaf_hash(leaf_data(stated)), bytes.fromhex(head["root_hash"])):
        raise Rejected("inclusion_path_invalid")
    verify_head(head, hub_keys, witness_keys, quorum)


def verify_consistency_bundle(bundle: typing.Any, hub_keys: typing.Sequence[bytes],
                              witness_keys: typing.Sequence[bytes] = (),
                              quorum: int = 0) -> None:
    """Checks a consistency bundle as docs/audit-log-format.md describes; raises Rejected."""
    if not isinstance(bundle, dict):
        raise Rejected("malformed_bundle", "bundle")
    first = _int_field(bundle, "first", 1)
    second = _int_field(bundle, "second", 1)
    consistency_path = _hash_list(bundle, "consistency_path")
    first_head, second_head = bundle.get("first_head"), bundle.get("second_head")
    _check_head_shape(first_head, "first_head")
    _check_head_shape(second_head, "second_head")
    if first_head["tree_size"] != first or second_head["tree_size"] != second:
        # Not the shape documented: the heads are "of size M" and "of size N".
        raise Rejected("malformed_bundle", "sizes differ from the heads'")
    if first > second:
        raise Rejected("wrong_order")
    if not verify_consistency(first, second, bytes.fromhex(first_head["root_hash"]),
                              bytes.fromhex(second_head["root_hash"]), consistency_path):
        raise Rejected("consistency_path_invalid")
    verify_head(first_head, hub_keys, witness_keys, quorum)
    verify_head(second_head, hub_keys, witness_keys, quorum)


def verify_bundle(bundle: typing.Any, hub_keys: typing.Sequence[bytes],
                  witness_keys: typing.Sequence[bytes] = (),
                  quorum: int = 0) -> typing.Optional[str]:
    """None if the bundle (inclusion or consistency, parsed JSON or text) is valid, else the
    reason it is rejected."""
    try:
        if isinstance(bundle, (str, bytes)):
            try:
                bundle = json.loads(bundle)
            except ValueError:
                raise Rejected("malformed_bundle", "not JSON") from None
        if isinstance(bundle, dict) and "entry" in bundle:
            verify_inclusion_bundle(bundle, hub_keys, witness_keys, quorum)
        elif isinstance(bundle, dict) and "consistency_path" in bundle:
            verify_consistency_bundle(bundle, hub_keys, witness_keys, quorum)
        else:
            raise Rejected("malformed_bundle", "neither an inclusion nor a consistency bundle")
    except Rejected as e:
        return e.reason
    return None
