"""Drives a real `ncbnet serve` for the integration tests: a fresh data directory made by
`ncbnet init`, the server on 127.0.0.1 with port 0, an HTTPS client that trusts the network's
CA (optionally presenting a client certificate), the CLI, and the audit log (over the API or
straight from the store: Hub.db_rows reads it, and Hub.db_exec edits it, on either back end).

With NCBNET_IT_STORE=postgresql each network gets a new database of its own on the PostgreSQL
server that NCBNET_TEST_POSTGRES names (CTest starts a throwaway one: tests/pg/pg_server.sh),
made by `psql`, and `ncbnet init --store` puts the network there.

Standard library only. The binary comes from the environment variable NCBNET_BIN, set by
CTest (tests/integration/CMakeLists.txt). Every wait is bounded. Set NCBNET_IT_KEEP=1 to keep
the data directories of a run for inspection.
"""

import http.client
import json
import os
import queue
import shutil
import signal
import socket
import sqlite3
import ssl
import subprocess
import tempfile
import threading
import time
import typing
import unittest

REPO_ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
COUNTRIES_FILE = os.path.join(REPO_ROOT, "data", "countries.tsv")

START_TIMEOUT_S = 20.0  # from exec to the "listening" line
STOP_TIMEOUT_S = 15.0  # from SIGTERM to exit, before SIGKILL
REQUEST_TIMEOUT_S = 15.0  # one HTTPS exchange
CLI_TIMEOUT_S = 60.0
AUDIT_WAIT_S = 3.0  # an audit entry written just after the response

# One password for the users the tests create: long enough for the 12-character rule.
USER_PASSWORD = "correct-horse-battery-staple"


def store_backend() -> str:
    """The store the tests' networks use: "sqlite" (default) or "postgresql"."""
    backend = os.environ.get("NCBNET_IT_STORE", "sqlite")
    if backend not in ("sqlite", "postgresql"):
        raise RuntimeError(f"NCBNET_IT_STORE={backend}: expected sqlite or postgresql")
    return backend


_pg_databases = 0


def new_postgres_database(copy_of: typing.Optional[str] = None) -> str:
    """Creates an empty database (collation C) on the test server and returns its URI; or, with
    `copy_of` (the URI of a database of this server that nothing is connected to), a copy of
    that database."""
    global _pg_databases
    server = os.environ.get("NCBNET_TEST_POSTGRES", "")
    if not server:
        raise RuntimeError("NCBNET_IT_STORE=postgresql needs NCBNET_TEST_POSTGRES (a server URI)")
    _pg_databases += 1
    name = f"it_{os.getpid()}_{_pg_databases}"
    if copy_of is None:
        create = (f"CREATE DATABASE {name} TEMPLATE template0 ENCODING 'UTF8'"
                  " LC_COLLATE 'C' LC_CTYPE 'C'")
    else:
        template = copy_of.partition("?")[0].rsplit("/", 1)[1]
        create = f"CREATE DATABASE {name} TEMPLATE {template}"
    subprocess.run(["psql", server, "-v", "ON_ERROR_STOP=1", "-qc", create],
                   check=True, capture_output=True, timeout=CLI_TIMEOUT_S)
    base, _, query = server.partition("?")
    scheme_host = base[:base.index("/", len("postgresql://"))]
    return f"{scheme_host}/{name}" + (f"?{query}" if query else "")


def _pg_literal(value: typing.Any) -> str:
    """A test's query parameter as a PostgreSQL literal (tests pass ints, text and bytes)."""
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, bytes):
        return "'\\x" + value.hex() + "'::bytea"
    return "'" + str(value).replace("'", "''") + "'"


def _pg_statement(sql: str, params: tuple) -> str:
    """`sql` with each `?` replaced by its parameter as a PostgreSQL literal."""
    parts = sql.split("?")
    assert len(parts) == len(params) + 1, "one parameter per ?"
    text = parts[0]
    for value, rest in zip(params, parts[1:]):
        text += _pg_literal(value) + rest
    return text


def pg_exec(uri: str, sql: str, params: tuple = ()) -> None:
    """Runs one statement (`?` parameters) on the PostgreSQL database `uri` through `psql`
    (on its standard input: a sealed blob's literal is longer than one argument may be)."""
    subprocess.run(["psql", uri, "-XAtq", "-v", "ON_ERROR_STOP=1"],
                   input=_pg_statement(sql, params) + ";\n", capture_output=True, text=True,
                   timeout=CLI_TIMEOUT_S, check=True)


def as_bytes(value: typing.Any) -> bytes:
    """A blob column's value from Hub.db_rows as bytes: SQLite gives bytes, PostgreSQL's
    bytea comes as "\\x..." hex text."""
    if isinstance(value, str):
        assert value.startswith("\\x"), "not a bytea value"
        return bytes.fromhex(value[2:])
    return bytes(value)


def binary() -> str:
    path = os.environ.get("NCBNET_BIN", "")
    if not path:
        raise unittest.SkipTest("NCBNET_BIN is not set (CTest sets it to the ncbnet binary)")
    if not os.access(path, os.X_OK):
        raise RuntimeError(f"NCBNET_BIN={path} is not an executable")
    return path


class Response(typing.NamedTuple):
    status: int
    body: typing.Any  # parsed JSON when the response is JSON, else text
    headers: typing.Any  # case-insensitive: headers.get("X-Request-Id")

    @property
    def error_code(self) -> typing.Optional[str]:
        if isinstance(self.body, dict) and isinstance(self.body.get("error"), dict):
            return self.body["error"].get("code")
        return None

    @property
    def request_id(self) -> typing.Optional[str]:
        return self.headers.get("X-Request-Id")

    def describe(self) -> str:
        return f"HTTP {self.status} {self.body!r}"


class _Headers(dict):
    """Case-insensitive header map for responses read off a raw socket."""

    def get(self, key, default=None):
        return super().get(key.lower(), default)


def _decode_body(data: bytes, content_type: str) -> typing.Any:
    text = data.decode("utf-8", errors="replace")
    if "json" in (content_type or "") or text[:1] in ("{", "["):
        try:
            return json.loads(text)
        except ValueError:
            return text
    return text


def write_config(path: str, config: dict) -> None:
    """Writes `config` as a flat TOML file."""
    lines = []
    for key, value in config.items():
        if isinstance(value, bool):
            lines.append(f"{key} = {'true' if value else 'false'}")
        elif isinstance(value, int):
            lines.append(f"{key} = {value}")
        elif isinstance(value, list):
            lines.append(f"{key} = {json.dumps([str(v) for v in value])}")
        else:
            lines.append(f"{key} = {json.dumps(str(value))}")
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")


class Hub:
    """One network: a data directory, and at most one running server on it."""

    def __init__(self, config: typing.Optional[dict] = None, name: str = "hub",
                 backend: typing.Optional[str] = None, node_of: "typing.Optional[Hub]" = None):
        """A new network; or, with `node_of`, another hub node of that network: a copy of its
        data directory (keys and store setting, not its index snapshots) on the same store."""
        self.bin = binary()
        self.dir = tempfile.mkdtemp(prefix=f"ncbnet-it-{name}-")
        self.data_dir = os.path.join(self.dir, "data")
        self.config = dict(config or {})
        self.config_path = None
        self.proc = None
        self._drain = None
        self.port = None
        self.url = None
        self._stdout_lines = queue.Queue()
        self._stderr_path = os.path.join(self.dir, "serve.stderr.log")
        self._admin_token = None
        self._audit_seen = {}  # request_id -> entry
        self._audit_after = 0
        self._counter = 0

        if node_of is not None:
            shutil.copytree(node_of.data_dir, self.data_dir,
                            ignore=shutil.ignore_patterns("indexes"))
            self.store = node_of.store
            self.admin_user = node_of.admin_user
            self.admin_password = node_of.admin_password
            self.ca_cert = os.path.join(self.data_dir, "ca.crt")
            return
        backend = backend or store_backend()
        self.store = new_postgres_database() if backend == "postgresql" else None
        store_args = ("--store", self.store) if self.store else ()
        out = self.cli("init", "--countries", COUNTRIES_FILE, "--json", *store_args)
        if out.returncode != 0:
            raise RuntimeError(f"ncbnet init failed ({out.returncode}): {out.stdout}{out.stderr}")
        info = json.loads(out.stdout)
        self.admin_user = info["admin_user"]
        self.admin_password = info["admin_password"]
        self.ca_cert = os.path.join(self.data_dir, "ca.crt")

    # ---- process control -----------------------------------------------------------------

    def start(self) -> None:
        args = [self.bin, "serve", "--data-dir", self.data_dir, "--port", "0"]
        if self.config:
            self.config_path = os.path.join(self.dir, "ncbnet.toml")
            write_config(self.config_path, self.config)
            args += ["--config", self.config_path]
        stderr = open(self._stderr_path, "ab")
        self.proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=stderr,
                                     stdin=subprocess.DEVNULL)
        stderr.close()
        # Each server gets a queue of its own, so an earlier server's end-of-output marker
        # cannot be read as this one's.
        self._stdout_lines = queue.Queue()
        self._drain = threading.Thread(target=self._drain_stdout,
                                       args=(self.proc, self._stdout_lines), daemon=True)
        self._drain.start()
        deadline = time.monotonic() + START_TIMEOUT_S
        prefix = "ncbnet listening on https://"
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                self.kill()
                raise RuntimeError(f"ncbnet serve printed no listening line in {START_TIMEOUT_S}s;"
                                   f" stderr:\n{self.log_tail()}")
            try:
                line = self._stdout_lines.get(timeout=remaining)
            except queue.Empty:
                continue
            if line is None:
                code = self.proc.wait(timeout=STOP_TIMEOUT_S)
                raise RuntimeError(f"ncbnet serve exited ({code}) before listening; stderr:\n"
                                   f"{self.log_tail()}")
            if line.startswith(prefix):
                self.url = line.strip()[len("ncbnet listening on "):]
                self.port = int(self.url.rsplit(":", 1)[1].strip("/"))
                return

    @staticmethod
    def _drain_stdout(proc: subprocess.Popen, lines: queue.Queue) -> None:
        try:
            for raw in iter(proc.stdout.readline, b""):
                lines.put(raw.decode("utf-8", errors="replace"))
        except (OSError, ValueError):
            pass  # closed by stop()
        lines.put(None)

    def _close_stdout(self, proc: subprocess.Popen) -> None:
        if self._drain is not None:
            self._drain.join(timeout=STOP_TIMEOUT_S)  # the process is gone: EOF is near
        if proc.stdout is not None:
            proc.stdout.close()

    def stop(self) -> typing.Optional[int]:
        """SIGTERM, then waits; SIGKILL after STOP_TIMEOUT_S. Returns the exit code, or None
        if the server had to be killed."""
        if self.proc is None:
            return None
        proc, self.proc = self.proc, None
        try:
            return self._terminate(proc)
        finally:
            self._close_stdout(proc)

    @staticmethod
    def _terminate(proc: subprocess.Popen) -> typing.Optional[int]:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                return proc.wait(timeout=STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=STOP_TIMEOUT_S)
                return None
        return proc.returncode

    def kill(self) -> None:
        if self.proc is not None:
            if self.proc.poll() is None:
                self.proc.kill()
                self.proc.wait(timeout=STOP_TIMEOUT_S)
            self._close_stdout(self.proc)
        self.proc = None

    def close(self) -> None:
        self.kill()
        if os.environ.get("NCBNET_IT_KEEP"):
            print(f"\nkept {self.dir}")
        else:
            shutil.rmtree(self.dir, ignore_errors=True)

    def log_tail(self, lines: int = 40) -> str:
        try:
            with open(self._stderr_path, encoding="utf-8", errors="replace") as f:
                return "".join(f.readlines()[-lines:])
        except OSError:
            return ""

    # ---- CLI ----------------------------------------------------------------------------

    def cli(self, *args: str) -> subprocess.CompletedProcess:
        """Runs `ncbnet ARGS... --data-dir D` and returns the finished process (text)."""
        return subprocess.run([self.bin, *args, "--data-dir", self.data_dir],
                              capture_output=True, text=True, timeout=CLI_TIMEOUT_S,
                              stdin=subprocess.DEVNULL)

    def issue_cert(self, agency: str, *extra: str) -> typing.Tuple[str, str, str]:
        """`ncbnet cert issue`; returns (serial, cert path, key path)."""
        self._counter += 1
        prefix = os.path.join(self.dir, f"client-{agency}-{self._counter}")
        out = self.cli("cert", "issue", "--agency", agency, "--out", prefix, "--json", *extra)
        if out.returncode != 0:
            raise RuntimeError(f"cert issue failed ({out.returncode}): {out.stdout}{out.stderr}")
        info = json.loads(out.stdout)
        return info["serial"], info.get("cert", prefix + ".crt"), info.get("key", prefix + ".key")

    # ---- HTTPS --------------------------------------------------------------------------

    def tls_context(self, cert: typing.Optional[typing.Tuple[str, str]] = None) -> ssl.SSLContext:
        ctx = ssl.create_default_context(cafile=self.ca_cert)
        if cert is not None:
            ctx.load_cert_chain(cert[0], cert[1])
        return ctx

    def request(self, method: str, path: str, body: typing.Any = None, *,
                token: typing.Optional[str] = None,
                cert: typing.Optional[typing.Tuple[str, str]] = None,
                headers: typing.Optional[dict] = None,
                raw_body: typing.Optional[bytes] = None,
                content_type: typing.Optional[str] = "application/json") -> Response:
        """One request on a new TLS connection. `body` is sent as JSON; `raw_body` as is."""
        assert self.port is not None, "server not started"
        hdrs = dict(headers or {})
        data = raw_body
        if body is not None:
            data = json.dumps(body).encode("utf-8")
        if data is not None and content_type is not None:
            hdrs.setdefault("Content-Type", content_type)
        if token is not None:
            hdrs["Authorization"] = f"Bearer {token}"
        conn = http.client.HTTPSConnection("127.0.0.1", self.port, context=self.tls_context(cert),
                                           timeout=REQUEST_TIMEOUT_S)
        try:
            conn.request(method, path, body=data, headers=hdrs)
            resp = conn.getresponse()
            payload = resp.read()
            return Response(resp.status, _decode_body(payload, resp.getheader("Content-Type")),
                            resp.headers)
        finally:
            conn.close()

    def raw_request(self, data: bytes) -> Response:
        """Sends raw bytes over TLS and parses one HTTP response; for malformed requests."""
        raw = socket.create_connection(("127.0.0.1", self.port), timeout=REQUEST_TIMEOUT_S)
        sock = self.tls_context().wrap_socket(raw, server_hostname="127.0.0.1")
        try:
            try:
                sock.sendall(data)
            except (BrokenPipeError, ConnectionResetError, ssl.SSLError):
                pass  # the server may answer and close before reading it all
            received = b""
            while True:
                head_end = received.find(b"\r\n\r\n")
                if head_end >= 0:
                    head = received[:head_end].decode("latin-1")
                    length = 0
                    for line in head.split("\r\n")[1:]:
                        name, _, value = line.partition(":")
                        if name.strip().lower() == "content-length":
                            length = int(value.strip())
                    if len(received) >= head_end + 4 + length:
                        break
                try:
                    chunk = sock.recv(65536)
                except (ConnectionResetError, ssl.SSLError):
                    chunk = b""
                if not chunk:
                    break
                received += chunk
        finally:
            sock.close()
        head, _, payload = received.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        if not lines or not lines[0].startswith("HTTP/"):
            raise AssertionError(f"no HTTP response to a raw request; got {received[:200]!r}")
        status = int(lines[0].split()[1])
        headers = _Headers()
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        return Response(status, _decode_body(payload, headers.get("content-type")), headers)

    # ---- identities ---------------------------------------------------------------------

    def login(self, user: str, password: str) -> str:
        resp = self.request("POST", "/v1/auth/login", {"user": user, "password": password})
        if resp.status != 200:
            raise AssertionError(f"login of {user} failed: {resp.describe()}")
        return resp.body["token"]

    def admin_token(self, fresh: bool = False) -> str:
        if self._admin_token is None or fresh:
            self._admin_token = self.login(self.admin_user, self.admin_password)
        return self._admin_token

    def unique(self, stem: str) -> str:
        self._counter += 1
        return f"{stem}{self._counter}"

    def create_agency(self, token: str, parent_id: str, kind: str = "agency",
                      name: typing.Optional[str] = None) -> dict:
        resp = self.request("POST", "/v1/agencies",
                            {"parent_id": parent_id, "kind": kind,
                             "name": name or self.unique(f"IT {kind} ")}, token=token)
        if resp.status != 201:
            raise AssertionError(f"creating an agency under {parent_id}: {resp.describe()}")
        return resp.body

    def create_user(self, token: str, agency_id: str, name: typing.Optional[str] = None,
                    password: str = USER_PASSWORD) -> dict:
        name = name or self.unique(f"it.user.{agency_id}.")
        resp = self.request("POST", f"/v1/agencies/{agency_id}/users",
                            {"name": name, "display_name": name, "password": password},
                            token=token)
        if resp.status != 201:
            raise AssertionError(f"creating user {name} in {agency_id}: {resp.describe()}")
        return resp.body

    def grant(self, token: str, agency_id: str, capability: str) -> dict:
        resp = self.request("POST", "/v1/grants", {"agency_id": agency_id,
                                                   "capability": capability}, token=token)
        if resp.status != 201:
            raise AssertionError(f"granting {capability} to {agency_id}: {resp.describe()}")
        return resp.body

    # ---- audit --------------------------------------------------------------------------

    def audit_entries_api(self) -> typing.List[dict]:
        """New audit entries since the last call, read with GET /v1/audit as the GS admin."""
        new = []
        for _ in range(1000):  # pages; bounded
            path = f"/v1/audit?after={self._audit_after}&limit=500"
            resp = self.request("GET", path, token=self.admin_token())
            if resp.status == 401 and resp.error_code in ("token_expired", "token_revoked"):
                resp = self.request("GET", path, token=self.admin_token(fresh=True))
            if resp.status != 200:
                raise AssertionError(f"GET /v1/audit: {resp.describe()}")
            entries = resp.body.get("entries", [])
            new.extend(entries)
            if entries:
                self._audit_after = max(e["seq"] for e in entries)
            # Each GET /v1/audit is itself audited, so there is always one more entry: stop at
            # the first page that is not full.
            if len(entries) < 500:
                break
        return new

    def db_rows(self, sql: str, params: tuple = ()) -> typing.List[dict]:
        """The rows of a read-only query (`?` parameters) on the network's store, straight from
        it, whichever back end: the SQLite file (read-only), or the PostgreSQL database through
        `psql` (bytea columns then come as "\\x..." text)."""
        if self.store is None:
            path = os.path.join(self.data_dir, "ncbnet.db")
            conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=10)
            try:
                conn.row_factory = sqlite3.Row
                return [dict(r) for r in conn.execute(sql, params).fetchall()]
            finally:
                conn.close()
        text = _pg_statement(sql, params)
        out = subprocess.run(["psql", self.store, "-XAtq", "-v", "ON_ERROR_STOP=1", "-c",
                              f"SELECT coalesce(json_agg(t), '[]') FROM ({text}) t"],
                             capture_output=True, text=True, timeout=CLI_TIMEOUT_S, check=True)
        return json.loads(out.stdout)

    def db_exec(self, sql: str, params: tuple = ()) -> None:
        """Runs one statement that changes the network's store (`?` parameters), straight on
        it and past the hub, as someone with access to the store but not the keys would: on
        the SQLite file, or on the PostgreSQL database through `psql`. Committed on return."""
        if self.store is None:
            path = os.path.join(self.data_dir, "ncbnet.db")
            conn = sqlite3.connect(path, timeout=30)
            try:
                with conn:
                    conn.execute(sql, params)
            finally:
                conn.close()
            return
        pg_exec(self.store, sql, params)

    def audit_rows(self) -> typing.List[dict]:
        """Every row of audit_log, oldest first, read from the store itself."""
        return self.db_rows("SELECT * FROM audit_log ORDER BY seq")

    def audit_entry(self, request_id: str, via: str = "api") -> dict:
        """The audit entry of the request `request_id`; fails after AUDIT_WAIT_S."""
        assert request_id, "response without X-Request-Id"
        deadline = time.monotonic() + AUDIT_WAIT_S
        while True:
            if via == "api":
                for e in self.audit_entries_api():
                    # The request's own entry comes first; access entries (audit/accesses.h)
                    # share its request_id.
                    self._audit_seen.setdefault(e["request_id"], e)
                if request_id in self._audit_seen:
                    return self._audit_seen[request_id]
            else:
                for e in self.audit_rows():
                    if e["request_id"] == request_id:
                        return e
            if time.monotonic() > deadline:
                raise AssertionError(f"no audit entry for request {request_id}")
            time.sleep(0.05)


class HubTestCase(unittest.TestCase):
    """A TestCase with one running hub for the whole class. Subclasses set CONFIG."""

    CONFIG: typing.Optional[dict] = None
    hub: Hub

    @classmethod
    def setUpClass(cls):
        cls.hub = Hub(cls.CONFIG, name=cls.__name__.lower())
        try:
            cls.hub.start()
            cls.set_up_network()
        except Exception:
            cls.hub.close()  # tearDownClass does not run after a failed setUpClass
            raise

    @classmethod
    def set_up_network(cls):
        """Subclasses add here the agencies, users and keys their tests share; the hub is
        running, and a failure closes it."""

    @classmethod
    def tearDownClass(cls):
        cls.hub.stop()
        cls.hub.close()

    def assertError(self, resp: Response, status: int, code: str) -> None:
        """Status, error code, the error body's shape and the X-Request-Id header."""
        detail = f"{resp.describe()}\nserver log:\n{self.hub.log_tail(10)}"
        self.assertEqual(resp.status, status, detail)
        self.assertEqual(resp.error_code, code, detail)
        err = resp.body["error"]
        self.assertIsInstance(err.get("message"), str, detail)
        self.assertTrue(str(err.get("request_id", "")).startswith("req_"), detail)
        self.assertEqual(resp.request_id, err["request_id"], detail)

    def assertAudited(self, resp: Response, outcome: str, action: typing.Optional[str] = None,
                      via: str = "api") -> dict:
        """The response's request has an audit entry with `outcome`: "ok" for a success, else
        the error code, recorded as "denied:<code>" or "error:<code>"."""
        entry = self.hub.audit_entry(resp.request_id, via=via)
        if outcome == "ok":
            self.assertEqual(entry["outcome"], "ok", entry)
        else:
            self.assertIn(entry["outcome"], (f"denied:{outcome}", f"error:{outcome}"), entry)
        if action is not None:
            self.assertEqual(entry["action"], action, entry)
        return entry
