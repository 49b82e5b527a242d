"""The PostgreSQL store as an operator meets it (docs/deployment.md): a network created on a
database, refusals at start that say what to do and write nothing, and `ncbnet store copy`
moving an embedded network to PostgreSQL with its audit log still verifying. Needs the
throwaway server of the CTest fixture "postgresql" (NCBNET_TEST_POSTGRES)."""

import json
import os
import subprocess
import tempfile
import unittest

import hub


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([hub.binary(), *args], capture_output=True, text=True,
                          stdin=subprocess.DEVNULL, timeout=hub.CLI_TIMEOUT_S)


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


if __name__ == "__main__":
    unittest.main()
