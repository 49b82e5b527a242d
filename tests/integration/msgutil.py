"""Helpers for the messaging integration tests: the `ncbnet` client subcommands (key, msg),
principals (a session token or a client certificate), and an independent implementation of
the documented signature scheme (docs/message-format.md): the canonical encoding and Ed25519
(RFC 8032, section 6, in pure Python).

The Python signer lets the tests build requests the CLI would never send (a bad
classification, an oversized body, a reused idempotency key) with a valid signature, so that
each refusal is checked for its exact status, code and audit entry; and checking the CLI's
signatures with it shows that the CLI and the hub follow the document, not just each other.
Keys still come from `ncbnet key generate`, as a user's would. Standard library only.
"""

import hashlib
import json
import os
import secrets
import subprocess
import time
import typing

import hub

# ---- Ed25519, RFC 8032 section 6 (reference code; slow but plenty for tests) -----------------

_P = 2**255 - 19
_Q = 2**252 + 27742317777372353535851937790883648493
_D = -121665 * pow(121666, _P - 2, _P) % _P
_SQRT_M1 = pow(2, (_P - 1) // 4, _P)


def _inv(x: int) -> int:
    return pow(x, _P - 2, _P)


def _add(a, b):
    x1, y1, z1, t1 = a
    x2, y2, z2, t2 = b
    aa = (y1 - x1) * (y2 - x2) % _P
    bb = (y1 + x1) * (y2 + x2) % _P
    cc = 2 * t1 * t2 * _D % _P
    dd = 2 * z1 * z2 % _P
    e, f, g, h = bb - aa, dd - cc, dd + cc, bb + aa
    return (e * f % _P, g * h % _P, f * g % _P, e * h % _P)


def _mul(s: int, point):
    acc = (0, 1, 1, 0)
    while s > 0:
        if s & 1:
            acc = _add(acc, point)
        point = _add(point, point)
        s >>= 1
    return acc


def _equal(a, b) -> bool:
    return ((a[0] * b[2] - b[0] * a[2]) % _P == 0 and (a[1] * b[2] - b[1] * a[2]) % _P == 0)


def _recover_x(y: int, sign: int) -> typing.Optional[int]:
    if y >= _P:
        return None
    x2 = (y * y - 1) * _inv(_D * y * y + 1) % _P
    if x2 == 0:
        return None if sign else 0
    x = pow(x2, (_P + 3) // 8, _P)
    if (x * x - x2) % _P != 0:
        x = x * _SQRT_M1 % _P
    if (x * x - x2) % _P != 0:
        return None
    if (x & 1) != sign:
        x = _P - x
    return x


_GY = 4 * _inv(5) % _P
_GX = _recover_x(_GY, 0)
_G = (_GX, _GY, 1, _GX * _GY % _P)


def _compress(point) -> bytes:
    zinv = _inv(point[2])
    x, y = point[0] * zinv % _P, point[1] * zinv % _P
    return int.to_bytes(y | ((x & 1) << 255), 32, "little")


def _decompress(data: bytes):
    if len(data) != 32:
        return None
    y = int.from_bytes(data, "little")
    sign = y >> 255
    y &= (1 << 255) - 1
    x = _recover_x(y, sign)
    if x is None:
        return None
    return (x, y, 1, x * y % _P)


def _expand(seed: bytes):
    h = hashlib.sha512(seed).digest()
    a = int.from_bytes(h[:32], "little")
    a &= (1 << 254) - 8
    a |= 1 << 254
    return a, h[32:]


def _hash_q(data: bytes) -> int:
    return int.from_bytes(hashlib.sha512(data).digest(), "little") % _Q


def public_key(seed: bytes) -> bytes:
    a, _ = _expand(seed)
    return _compress(_mul(a, _G))


def sign(seed: bytes, message: bytes) -> bytes:
    a, prefix = _expand(seed)
    pub = _compress(_mul(a, _G))
    r = _hash_q(prefix + message)
    big_r = _compress(_mul(r, _G))
    s = (r + _hash_q(big_r + pub + message) * a) % _Q
    return big_r + int.to_bytes(s, 32, "little")


def verify(pub: bytes, message: bytes, signature: bytes) -> bool:
    if len(pub) != 32 or len(signature) != 64:
        return False
    point_a = _decompress(pub)
    point_r = _decompress(signature[:32])
    if point_a is None or point_r is None:
        return False
    s = int.from_bytes(signature[32:], "little")
    if s >= _Q:
        return False
    h = _hash_q(signature[:32] + pub + message)
    return _equal(_mul(s, _G), _add(point_r, _mul(h, point_a)))


def not_a_point() -> bytes:
    """32 bytes that decode to no point of the curve: an invalid Ed25519 public key."""
    for y in range(2, 1000):
        if _recover_x(y, 0) is None:
            return int.to_bytes(y, 32, "little")
    raise AssertionError("no invalid point below 1000")


def key_id_of(pub: bytes) -> str:
    return "ed25519:" + hashlib.sha256(pub).hexdigest()[:32]


# ---- docs/message-format.md --------------------------------------------------------------

MAX_BODY = 1024 * 1024


def canonical(content: dict) -> bytes:
    """The canonical encoding of the signed content, as docs/message-format.md writes it: v3
    when it names its sender user; else v1 unless the message names groups or carries
    attachments, then v2."""
    to = content.get("to", {})
    groups = to.get("groups", [])
    attachments = content.get("attachments", [])
    sender_user = content.get("sender_user", "")
    v2 = bool(groups) or bool(attachments) or bool(sender_user)
    version = b"3" if sender_user else b"2" if v2 else b"1"
    out = [b"ncbnet-message-v" + version + b"\n"]

    def scalar(value) -> None:
        if isinstance(value, bool):
            data = b"1" if value else b"0"
        elif isinstance(value, int):
            data = str(value).encode("ascii")
        else:
            data = value.encode("utf-8")
        out.append(str(len(data)).encode("ascii") + b":" + data + b"\n")

    def items(values) -> None:
        out.append(str(len(values)).encode("ascii") + b"\n")
        for v in values:
            scalar(v)

    scalar(content["sender_agency"])
    if sender_user:
        scalar(sender_user)
    scalar(content["idempotency_key"])
    scalar(content["created_ms"])
    items(to.get("agencies", []))
    items(to.get("countries", []))
    scalar(bool(to.get("all_ncbs", False)))
    if v2:
        items(groups)
    for name in ("subject", "body", "classification"):
        scalar(content[name])
    scalar(content.get("handling", ""))
    scalar(content["priority"])
    scalar(content["language"])
    scalar(content.get("thread_id", ""))
    scalar(content.get("reply_to", ""))
    items(content.get("links", []))
    if v2:
        out.append(str(len(attachments)).encode("ascii") + b"\n")
        for a in attachments:
            scalar(a["sha256"])
            scalar(str(a["size"]))
            scalar(a["name"])
            scalar(a["media_type"])
    return b"".join(out)


def new_idempotency_key(stem: str = "it") -> str:
    return f"{stem}-{secrets.token_hex(8)}"


def content(sender: str, *, countries=(), agencies=(), all_ncbs: bool = False,
            subject: typing.Optional[str] = None, body: str = "Integration test body.",
            **fields) -> dict:
    """A complete signed-content object with sensible defaults; `fields` override any field."""
    c = {
        "sender_agency": sender,
        "idempotency_key": new_idempotency_key(),
        "created_ms": int(time.time() * 1000),
        "to": {"agencies": list(agencies), "countries": list(countries), "all_ncbs": all_ncbs},
        "subject": subject if subject is not None else f"IT subject {secrets.token_hex(4)}",
        "body": body,
        "classification": "interpol_restricted",
        "handling": "",
        "priority": "routine",
        "language": "en",
        "thread_id": "",
        "reply_to": "",
        "links": [],
    }
    c.update(fields)
    return c


class AgencyKey:
    """An agency's Ed25519 key pair made by `ncbnet key generate --out PATH`."""

    def __init__(self, path: str, seed: bytes, printed: str):
        self.path = path
        self.seed = seed
        self.public = public_key(seed)
        self.public_hex = self.public.hex()
        self.key_id = key_id_of(self.public)
        self.printed = printed  # what `key generate` printed

    def sign_content(self, c: dict) -> str:
        return sign(self.seed, canonical(c)).hex()

    def request(self, c: dict, key_id: typing.Optional[str] = None) -> dict:
        """The POST /v1/messages body for `c`, signed with this key."""
        return {"content": c, "key_id": key_id or self.key_id, "signature": self.sign_content(c)}


# ---- principals and the client CLI -------------------------------------------------------

class Principal(typing.NamedTuple):
    """Who calls: an agency's system with a client certificate, or a user's session token."""
    agency: str
    token: typing.Optional[str] = None
    cert: typing.Optional[typing.Tuple[str, str]] = None

    def request_args(self) -> dict:
        return {"token": self.token} if self.token else {"cert": self.cert}

    def cli_args(self) -> typing.List[str]:
        if self.token:
            return ["--token", self.token]
        return ["--cert", self.cert[0], "--cert-key", self.cert[1]]


def cert_principal(h: hub.Hub, agency: str) -> Principal:
    """`agency`'s own system, calling with a client certificate the test hub issues it."""
    _, cert, key = h.issue_cert(agency)
    return Principal(agency, cert=(cert, key))


class Cli:
    """The client subcommands of `ncbnet` against a running hub (no --data-dir)."""

    def __init__(self, h: "hub.Hub"):
        self.hub = h

    def run(self, *args: str, stdin: typing.Optional[str] = None,
            env: typing.Optional[dict] = None) -> subprocess.CompletedProcess:
        full_env = dict(os.environ)
        full_env.pop("NCBNET_TOKEN", None)
        full_env.update(env or {})
        return subprocess.run([self.hub.bin, *args], capture_output=True, text=True,
                              timeout=hub.CLI_TIMEOUT_S, env=full_env,
                              input=stdin if stdin is not None else "",
                              )

    def client(self, who: Principal, *args: str, stdin: typing.Optional[str] = None,
               ) -> subprocess.CompletedProcess:
        return self.run(*args, "--url", self.hub.url, "--ca", self.hub.ca_cert,
                        *who.cli_args(), stdin=stdin)

    def generate_key(self, path: str) -> AgencyKey:
        out = self.run("key", "generate", "--out", path, "--json")
        if out.returncode != 0:
            raise AssertionError(f"key generate: {out.returncode} {out.stdout}{out.stderr}")
        with open(path, encoding="ascii") as f:
            text = f.read()
        return AgencyKey(path, bytes.fromhex(text.strip()), out.stdout)


def parse_json(out: subprocess.CompletedProcess) -> typing.Any:
    try:
        return json.loads(out.stdout)
    except ValueError as e:
        raise AssertionError(f"not JSON on stdout ({e}): exit {out.returncode}\n"
                             f"stdout: {out.stdout!r}\nstderr: {out.stderr!r}") from None


def events_of(parsed: typing.Any) -> typing.List[dict]:
    """The events of `msg inbox --json` output or of a GET /v1/mailbox body."""
    if isinstance(parsed, dict):
        return parsed["events"]
    return parsed
