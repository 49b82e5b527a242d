"""A minimal WebSocket client (RFC 6455) over TLS for the integration tests, standard library
only: the HTTP/1.1 upgrade with Sec-WebSocket-Key (and a check of Sec-WebSocket-Accept),
masked client frames, text, binary, close, ping (answered with a pong) and pong frames, and
messages fragmented over continuation frames. recv(timeout) returns one whole message.

A refused upgrade raises UpgradeRefused with the HTTP status and the parsed body; the end of
the connection raises Closed with the close code and reason (None if the server sent no close
frame). Every wait is bounded.
"""

import base64
import hashlib
import json
import os
import socket
import ssl
import struct
import time
import typing

GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"  # RFC 6455, section 1.3

OP_CONTINUATION, OP_TEXT, OP_BINARY = 0x0, 0x1, 0x2
OP_CLOSE, OP_PING, OP_PONG = 0x8, 0x9, 0xA

MAX_MESSAGE = 16 * 1024 * 1024


class UpgradeRefused(Exception):
    """The server answered the upgrade with an ordinary HTTP response."""

    def __init__(self, status: int, body: typing.Any, headers: dict):
        super().__init__(f"upgrade refused: HTTP {status} {body!r}")
        self.status = status
        self.body = body
        self.headers = headers

    @property
    def error_code(self) -> typing.Optional[str]:
        if isinstance(self.body, dict) and isinstance(self.body.get("error"), dict):
            return self.body["error"].get("code")
        return None


class Closed(Exception):
    """The connection ended: by a close frame (code, reason) or without one (code None)."""

    def __init__(self, code: typing.Optional[int], reason: str = ""):
        super().__init__(f"closed: code {code} {reason!r}")
        self.code = code
        self.reason = reason


class ProtocolError(Exception):
    """The server broke RFC 6455 (a masked frame, a bad opcode, a bad accept key...)."""


def accept_key(key: str) -> str:
    return base64.b64encode(hashlib.sha1(key.encode("ascii") + GUID).digest()).decode("ascii")


class WebSocket:
    """One client connection. Not thread-safe: one thread receives (and so answers pings)."""

    def __init__(self, sock: ssl.SSLSocket, leftover: bytes):
        self._sock = sock
        self._buf = bytearray(leftover)
        self._fragments: typing.List[bytes] = []
        self._fragment_op: typing.Optional[int] = None
        self.close_code: typing.Optional[int] = None
        self.close_reason = ""
        self.closed = False
        self.pings = 0  # pings received (and answered)

    # ---- connecting -----------------------------------------------------------------------

    @classmethod
    def connect(cls, host: str, port: int, context: ssl.SSLContext, path: str,
                headers: typing.Optional[dict] = None, timeout: float = 15.0) -> "WebSocket":
        raw = socket.create_connection((host, port), timeout=timeout)
        try:
            sock = context.wrap_socket(raw, server_hostname=host)
        except BaseException:
            raw.close()
            raise
        try:
            return cls._upgrade(sock, host, port, path, headers or {}, timeout)
        except BaseException:
            sock.close()
            raise

    @classmethod
    def _upgrade(cls, sock, host, port, path, headers, timeout) -> "WebSocket":
        key = base64.b64encode(os.urandom(16)).decode("ascii")
        lines = [f"GET {path} HTTP/1.1", f"Host: {host}:{port}", "Upgrade: websocket",
                 "Connection: Upgrade", f"Sec-WebSocket-Key: {key}",
                 "Sec-WebSocket-Version: 13"]
        lines += [f"{name}: {value}" for name, value in headers.items()]
        sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))
        deadline = time.monotonic() + timeout
        buf = bytearray()
        while b"\r\n\r\n" not in buf:
            chunk = cls._recv_some(sock, deadline)
            if not chunk:
                raise Closed(None, "connection ended during the upgrade")
            buf += chunk
            if len(buf) > 64 * 1024:
                raise ProtocolError("upgrade response head too large")
        head, _, rest = bytes(buf).partition(b"\r\n\r\n")
        status_line, *header_lines = head.decode("latin-1").split("\r\n")
        status = int(status_line.split()[1])
        got = {}
        for line in header_lines:
            name, _, value = line.partition(":")
            got[name.strip().lower()] = value.strip()
        if status != 101:
            length = int(got.get("content-length", "0"))
            body = bytearray(rest)
            while len(body) < length:
                chunk = cls._recv_some(sock, deadline)
                if not chunk:
                    break
                body += chunk
            text = bytes(body[:length]).decode("utf-8", errors="replace")
            try:
                parsed: typing.Any = json.loads(text)
            except ValueError:
                parsed = text
            raise UpgradeRefused(status, parsed, got)
        if got.get("upgrade", "").lower() != "websocket":
            raise ProtocolError(f"101 without Upgrade: websocket: {got}")
        if got.get("sec-websocket-accept") != accept_key(key):
            raise ProtocolError(f"wrong Sec-WebSocket-Accept: {got.get('sec-websocket-accept')}")
        return cls(sock, rest)  # frames may have come with the response head

    @staticmethod
    def _recv_some(sock, deadline: float) -> bytes:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError("no data in time")
        sock.settimeout(remaining)
        try:
            return sock.recv(65536)
        except socket.timeout:
            raise TimeoutError("no data in time") from None
        except (ConnectionResetError, BrokenPipeError, ssl.SSLError, OSError):
            return b""

    # ---- frames ---------------------------------------------------------------------------

    def _send_frame(self, opcode: int, payload: bytes = b"") -> None:
        head = bytearray([0x80 | opcode])
        n = len(payload)
        if n < 126:
            head.append(0x80 | n)
        elif n < 1 << 16:
            head.append(0x80 | 126)
            head += struct.pack("!H", n)
        else:
            head.append(0x80 | 127)
            head += struct.pack("!Q", n)
        mask = os.urandom(4)
        masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
        self._sock.sendall(bytes(head) + mask + masked)

    def _parse_frame(self) -> typing.Optional[typing.Tuple[bool, int, bytes]]:
        """(fin, opcode, payload) of a whole frame at the head of the buffer, else None."""
        buf = self._buf
        if len(buf) < 2:
            return None
        fin, rsv, opcode = buf[0] & 0x80, buf[0] & 0x70, buf[0] & 0x0F
        masked, n = buf[1] & 0x80, buf[1] & 0x7F
        if rsv:
            raise ProtocolError("reserved bits set (no extension was negotiated)")
        if masked:
            raise ProtocolError("the server masked a frame")
        pos = 2
        if n == 126:
            if len(buf) < 4:
                return None
            n, pos = struct.unpack("!H", buf[2:4])[0], 4
        elif n == 127:
            if len(buf) < 10:
                return None
            n, pos = struct.unpack("!Q", buf[2:10])[0], 10
        if n > MAX_MESSAGE:
            raise ProtocolError(f"frame of {n} bytes")
        if len(buf) < pos + n:
            return None
        payload = bytes(buf[pos:pos + n])
        del buf[:pos + n]
        return bool(fin), opcode, payload

    def _next_frame(self, deadline: float) -> typing.Tuple[bool, int, bytes]:
        while True:
            frame = self._parse_frame()
            if frame is not None:
                return frame
            chunk = self._recv_some(self._sock, deadline)
            if not chunk:
                self._finish(None, "connection ended without a close frame")
            self._buf += chunk

    def _finish(self, code: typing.Optional[int], reason: str) -> typing.NoReturn:
        self.closed = True
        self.close_code, self.close_reason = code, reason
        try:
            self._sock.close()
        finally:
            raise Closed(code, reason)

    # ---- messages -------------------------------------------------------------------------

    def recv(self, timeout: float = 30.0) -> typing.Union[str, bytes]:
        """The next whole message: str for text, bytes for binary. Raises TimeoutError when
        none came in `timeout` seconds (the connection stays usable) and Closed at its end."""
        if self.closed:
            raise Closed(self.close_code, self.close_reason)
        deadline = time.monotonic() + timeout
        while True:
            fin, opcode, payload = self._next_frame(deadline)
            if opcode == OP_PING:
                self.pings += 1
                self._send_frame(OP_PONG, payload)
            elif opcode == OP_PONG:
                pass
            elif opcode == OP_CLOSE:
                code = struct.unpack("!H", payload[:2])[0] if len(payload) >= 2 else None
                reason = payload[2:].decode("utf-8", errors="replace")
                try:
                    self._send_frame(OP_CLOSE, payload[:2])  # echo the code (section 5.5.1)
                except OSError:
                    pass
                self._finish(code, reason)
            elif opcode in (OP_TEXT, OP_BINARY):
                if self._fragment_op is not None:
                    raise ProtocolError("a new message inside a fragmented one")
                if fin:
                    return self._decode(opcode, payload)
                self._fragment_op, self._fragments = opcode, [payload]
            elif opcode == OP_CONTINUATION:
                if self._fragment_op is None:
                    raise ProtocolError("continuation frame without a message")
                self._fragments.append(payload)
                if fin:
                    op, data = self._fragment_op, b"".join(self._fragments)
                    self._fragment_op, self._fragments = None, []
                    return self._decode(op, data)
            else:
                raise ProtocolError(f"unknown opcode {opcode}")

    @staticmethod
    def _decode(opcode: int, data: bytes) -> typing.Union[str, bytes]:
        return data.decode("utf-8") if opcode == OP_TEXT else data

    def recv_json(self, timeout: float = 30.0) -> typing.Any:
        message = self.recv(timeout)
        if not isinstance(message, str):
            raise ProtocolError(f"binary message {message[:50]!r}")
        return json.loads(message)

    def send_text(self, text: str) -> None:
        self._send_frame(OP_TEXT, text.encode("utf-8"))

    def ping(self, payload: bytes = b"") -> None:
        self._send_frame(OP_PING, payload)

    def close(self, code: int = 1000, timeout: float = 5.0) -> None:
        """Sends a close frame and waits (bounded) for the server's; then drops the socket."""
        if self.closed:
            return
        try:
            self._send_frame(OP_CLOSE, struct.pack("!H", code))
            deadline = time.monotonic() + timeout
            while True:
                _, opcode, payload = self._next_frame(deadline)
                if opcode == OP_CLOSE:
                    code = struct.unpack("!H", payload[:2])[0] if len(payload) >= 2 else None
                    self._finish(code, payload[2:].decode("utf-8", errors="replace"))
        except (Closed, TimeoutError, OSError, ProtocolError):
            pass
        finally:
            self.closed = True
            self._sock.close()

    def abort(self) -> None:
        """Drops the connection without a close frame, as a crashed client would."""
        self.closed = True
        self._sock.close()
