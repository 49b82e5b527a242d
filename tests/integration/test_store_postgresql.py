"""The PostgreSQL store as an operator meets it (docs/deployment.md): a network created on a
database, refusals at start that say what to do and write nothing, and `ncbnet store copy`
moving an embedded network to PostgreSQL with its audit log still verifying, and the CLI
riding out an outage of the store (a server of the test's own, stopped and started again). Needs
the throwaway server of the CTest fixture "postgresql" (NCBNET_TEST_POSTGRES)."""

import json
import os
import subprocess
import tempfile
import time
import unittest
import unittest.mock

import hub

PG_SERVER_SH = os.path.join(hub.REPO_ROOT, "tests", "pg", "pg_server.sh")
OUTAGE_WAIT_S = 60.0  # a bound on each wait of the outage test, never a measurement


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([hub.binary(), *args], capture_output=True, text=True,
                          stdin=subprocess.DEVNULL, timeout=hub.CLI_TIMEOUT_S)


def pg_server(command: str, directory: str) -> str:
    """tests/pg/pg_server.sh COMMAND DIRECTORY; returns what it printed (start: the URI)."""
    out = subprocess.run(["bash", PG_SERVER_SH, command, directory], capture_output=True,
                         text=True, stdin=subprocess.DEVNULL, timeout=120)
    if out.returncode != 0:
        raise AssertionError(f"pg_server.sh {command} failed: {out.stderr}")
    return out.stdout.strip()


def read(path: str) -> str:
    with open(path, encoding="utf-8") as f:
        return f.read()


def init(data_dir: str, store: str) -> subprocess.CompletedProcess:
    return run("init", "--data-dir", data_dir, "--countries", hub.COUNTRIES_FILE, "--json",
               "--store", store)


@unittest.skipUnless(os.environ.get("NCBNET_TEST_POSTGRES"), "no PostgreSQL server given")
class PostgresStoreTest(unittest.TestCase):

    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory(prefix="ncbnet-it-pg-")
        self.addCleanup(self.tmp.cleanup)

    def path(self, name: str) -> str:
        return os.path.join(self.tmp.name, name)

    def test_a_network_on_postgresql_serves_and_keeps_its_store_setting_private(self):
        h = hub.Hub(name="pg", backend="postgresql")
        self.addCleanup(h.close)
        toml_path = os.path.join(h.data_dir, "ncbnet.toml")
        self.assertEqual(os.stat(toml_path).st_mode & 0o777, 0o600)
        with open(toml_path, encoding="utf-8") as f:
            self.assertIn(h.store, f.read())
        self.assertFalse(os.path.exists(os.path.join(h.data_dir, "ncbnet.db")))
        h.start()
        token = h.admin_token()
        agency = h.create_agency(token, "ncb-fra")
        resp = h.request("GET", f"/v1/agencies/{agency['id']}", token=token)
        self.assertEqual(resp.status, 200, resp.describe())
        verify = h.cli("audit", "verify", "--json")
        self.assertEqual(verify.returncode, 0, verify.stdout + verify.stderr)
        self.assertTrue(json.loads(verify.stdout)["intact"])

    def test_init_refuses_a_database_that_holds_a_network_and_writes_nothing(self):
        store = hub.new_postgres_database()
        first = init(self.path("first"), store)
        self.assertEqual(first.returncode, 0, first.stderr)
        second = init(self.path("second"), store)
        self.assertNotEqual(second.returncode, 0)
        self.assertIn("store_not_empty", second.stderr)
        self.assertFalse(os.path.exists(self.path("second")), "nothing is written")

    def test_serve_refuses_the_store_of_another_network(self):
        mine = self.path("mine")
        self.assertEqual(init(mine, hub.new_postgres_database()).returncode, 0)
        theirs_store = hub.new_postgres_database()
        self.assertEqual(init(self.path("theirs"), theirs_store).returncode, 0)
        config = self.path("other.toml")
        with open(config, "w", encoding="utf-8") as f:
            f.write(f'store = "{theirs_store}"\n')
        out = run("serve", "--data-dir", mine, "--port", "0", "--config", config)
        self.assertNotEqual(out.returncode, 0)
        self.assertIn("store_of_another_network", out.stderr)

    def test_an_unreachable_server_is_one_clear_line_and_nothing_is_written(self):
        nowhere = f"postgresql://ncbnet@/ncbnet?host={self.path('no-server')}&connect_timeout=2"
        out = init(self.path("net"), nowhere)
        self.assertNotEqual(out.returncode, 0)
        self.assertIn("store_unavailable", out.stderr)
        self.assertFalse(os.path.exists(self.path("net")))
        self.assertNotIn("Traceback", out.stderr)

    def test_store_copy_moves_an_embedded_network_with_its_audit_log_verifying(self):
        h = hub.Hub(name="move", backend="sqlite")
        self.addCleanup(h.close)
        h.start()
        token = h.admin_token()
        agency = h.create_agency(token, "ncb-deu")
        user = h.create_user(token, agency["id"])
        h.stop()

        target = hub.new_postgres_database()
        copy = run("store", "copy", "--from", h.data_dir, "--to", target, "--json")
        self.assertEqual(copy.returncode, 0, copy.stdout + copy.stderr)
        report = json.loads(copy.stdout)
        self.assertGreater(report["tables"]["audit_log"], 0)
        self.assertGreater(report["rows"], 195)

        verify = h.cli("audit", "verify", "--json")
        self.assertEqual(verify.returncode, 0, verify.stdout + verify.stderr)
        moved = json.loads(verify.stdout)
        self.assertTrue(moved["intact"])
        self.assertEqual(moved["entries"], report["tables"]["audit_log"])

        again = run("store", "copy", "--from", h.data_dir, "--to", target)
        self.assertNotEqual(again.returncode, 0)
        self.assertIn("already_moved", again.stderr)

        h.start()
        with open(os.path.join(h.data_dir, "ncbnet.toml"), encoding="utf-8") as f:
            self.assertIn(target, f.read())
        token = h.admin_token(fresh=True)
        resp = h.request("GET", f"/v1/agencies/{agency['id']}", token=token)
        self.assertEqual(resp.status, 200, resp.describe())
        self.assertTrue(h.login(user["name"], hub.USER_PASSWORD))
        h.stop()
        after = json.loads(h.cli("audit", "verify", "--json").stdout)
        self.assertTrue(after["intact"], after)
        self.assertGreater(after["entries"], moved["entries"], "the moved network goes on")

    def test_store_copy_refuses_a_target_that_holds_rows(self):
        h = hub.Hub(name="move2", backend="sqlite")
        self.addCleanup(h.close)
        target = hub.new_postgres_database()
        self.assertEqual(init(self.path("occupant"), target).returncode, 0)
        out = run("store", "copy", "--from", h.data_dir, "--to", target)
        self.assertNotEqual(out.returncode, 0)
        self.assertIn("target_not_empty", out.stderr)
        self.assertFalse(os.path.exists(os.path.join(h.data_dir, "ncbnet.toml")),
                         "the data directory still uses its own file")

    def test_the_cli_rides_out_an_outage_of_the_store_and_writes_once(self):
        """Issue 17, item 5: the store stops while `ncbnet` sends a write and a read. Both wait,
        saying so on stderr only, and succeed once the store is back; the write is stored once.
        The server is the test's own: the fixture's serves the other tests meanwhile."""
        pg_dir = os.path.join(tempfile.gettempdir(), f"ncbnet-it-outage-{os.getpid()}")
        server = pg_server("start", pg_dir)
        self.addCleanup(pg_server, "stop", pg_dir)
        with unittest.mock.patch.dict(os.environ, {"NCBNET_TEST_POSTGRES": server}):
            h = hub.Hub(name="outage", backend="postgresql")
        self.addCleanup(h.close)  # before the server stops: cleanups run last first
        h.start()
        env = dict(os.environ, NCBNET_TOKEN=h.admin_token(), NCBNET_RETRY_FOR="300")
        client = ("--url", h.url, "--ca", h.ca_cert, "--json")
        name = h.unique("IT outage agency ")
        commands = {
            "write": ("agency", "create", "--parent", "ncb-fra", "--kind", "agency", "--name",
                      name),
            "read": ("agency", "show", "ncb-fra"),
        }

        pg_server("halt", pg_dir)
        procs = {}
        for label, args in commands.items():
            with open(self.path(f"{label}.out"), "w") as out, \
                    open(self.path(f"{label}.err"), "w") as err:
                procs[label] = subprocess.Popen([h.bin, *args, *client], stdout=out, stderr=err,
                                                stdin=subprocess.DEVNULL, env=env)
            self.addCleanup(lambda p=procs[label]: p.poll() is not None or p.kill())
        deadline = time.monotonic() + OUTAGE_WAIT_S
        while not all("hub unavailable (" in read(self.path(f"{label}.err"))
                      for label in commands):
            for label, proc in procs.items():
                self.assertIsNone(proc.poll(), f"{label} ended during the outage: "
                                  + read(self.path(f"{label}.err")))
            self.assertLess(time.monotonic(), deadline, "no retry was reported")
            time.sleep(0.05)
        pg_server("resume", pg_dir)

        for label, proc in procs.items():
            self.assertEqual(proc.wait(timeout=OUTAGE_WAIT_S), 0,
                             read(self.path(f"{label}.err")))
            err = read(self.path(f"{label}.err"))
            for line in err.splitlines():
                self.assertRegex(line, r"^ncbnet: hub (unavailable|unreachable) \(.+\), "
                                 r"retrying in [0-9.]+ s$")
            self.assertIn("hub unavailable (store_unavailable), retrying in", err)
            self.assertNotIn(env["NCBNET_TOKEN"], err)
        created = json.loads(read(self.path("write.out")))  # stdout holds the answer only
        self.assertEqual(created["name"], name)
        self.assertEqual(json.loads(read(self.path("read.out")))["id"], "ncb-fra")
        rows = h.db_rows("SELECT id FROM agencies WHERE name = ?", (name,))
        self.assertEqual([r["id"] for r in rows], [created["id"]], "stored exactly once")


if __name__ == "__main__":
    unittest.main()
