"""Mutual-TLS client certificates against the real server: a good one, one from another CA,
one signed by the network CA but never issued, an expired one and a revoked one. Each
refusal is checked for its status, its error code and its audit entry."""

import os
import subprocess
import unittest

import hub


def openssl(*args: str) -> None:
    out = subprocess.run(["openssl", *args], capture_output=True, text=True,
                         timeout=hub.CLI_TIMEOUT_S, stdin=subprocess.DEVNULL)
    if out.returncode != 0:
        raise RuntimeError(f"openssl {' '.join(args)}: {out.stderr}")


def make_ca(directory: str, name: str) -> tuple:
    """A self-signed P-256 CA; returns (cert, key)."""
    cert, key = os.path.join(directory, f"{name}.crt"), os.path.join(directory, f"{name}.key")
    openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
            "-keyout", key, "-out", cert, "-days", "2", "-subj", f"/CN={name}",
            "-addext", "basicConstraints=critical,CA:TRUE",
            "-addext", "keyUsage=critical,keyCertSign,cRLSign")
    return cert, key


def make_leaf(directory: str, name: str, common_name: str, ca: tuple) -> tuple:
    """A P-256 clientAuth certificate for `common_name` signed by `ca`; returns (cert, key)."""
    cert, key = os.path.join(directory, f"{name}.crt"), os.path.join(directory, f"{name}.key")
    csr, ext = os.path.join(directory, f"{name}.csr"), os.path.join(directory, f"{name}.ext")
    with open(ext, "w", encoding="ascii") as f:
        f.write("basicConstraints=critical,CA:FALSE\nextendedKeyUsage=clientAuth\n"
                "keyUsage=critical,digitalSignature\n")
    openssl("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
            "-keyout", key, "-out", csr, "-subj", f"/CN={common_name}/O=ncbnet")
    openssl("x509", "-req", "-in", csr, "-CA", ca[0], "-CAkey", ca[1], "-set_serial", "0x1234abcd",
            "-days", "1", "-extfile", ext, "-out", cert)
    return cert, key


class ClientCertificateTest(hub.HubTestCase):

    def test_good_certificate_authenticates_its_agency(self):
        _, cert, key = self.hub.issue_cert("ncb-fra")
        resp = self.hub.request("GET", "/v1/me", cert=(cert, key))
        self.assertEqual(resp.status, 200, resp.describe())
        self.assertEqual(resp.body["via"], "certificate")
        self.assertIsNone(resp.body["user"])
        self.assertEqual(resp.body["agency"]["id"], "ncb-fra")
        self.assertEqual(resp.body["agency"]["kind"], "ncb")
        self.assertEqual(resp.body["agency"]["country"], "FRA")
        self.assertIn("agency.admin", resp.body["capabilities"])
        self.assertNotIn("notice.review", resp.body["capabilities"])
        entry = self.assertAudited(resp, "ok", "GET /v1/me")
        self.assertEqual(entry["agency_id"], "ncb-fra")

    def test_certificate_from_another_ca_is_untrusted(self):
        rogue_ca = make_ca(self.hub.dir, "rogue-ca")
        # Claims to be the French NCB, signed by a CA the network never heard of.
        leaf = make_leaf(self.hub.dir, "rogue-leaf", "ncb-fra", rogue_ca)
        resp = self.hub.request("GET", "/v1/me", cert=leaf)
        self.assertError(resp, 401, "client_cert_untrusted")
        self.assertAudited(resp, "client_cert_untrusted", "GET /v1/me")

        # A self-signed one too.
        resp = self.hub.request("GET", "/v1/me", cert=rogue_ca)
        self.assertError(resp, 401, "client_cert_untrusted")
        self.assertAudited(resp, "client_cert_untrusted", "GET /v1/me")

    def test_bad_certificate_is_refused_even_with_a_good_token(self):
        rogue_ca = make_ca(self.hub.dir, "rogue-ca-2")
        resp = self.hub.request("GET", "/v1/me", cert=rogue_ca, token=self.hub.admin_token())
        self.assertError(resp, 401, "client_cert_untrusted")
        self.assertAudited(resp, "client_cert_untrusted", "GET /v1/me")

    def test_certificate_never_issued_is_unknown(self):
        # Signed with the network CA's key, but not recorded by `ncbnet cert issue`.
        network_ca = (os.path.join(self.hub.data_dir, "ca.crt"),
                      os.path.join(self.hub.data_dir, "ca.key"))
        leaf = make_leaf(self.hub.dir, "unissued-leaf", "ncb-fra", network_ca)
        resp = self.hub.request("GET", "/v1/me", cert=leaf)
        self.assertError(resp, 401, "client_cert_unknown")
        self.assertAudited(resp, "client_cert_unknown", "GET /v1/me")

    def test_expired_certificate_is_refused(self):
        _, cert, key = self.hub.issue_cert("ncb-fra", "--valid-from", "2020-01-01T00:00:00Z",
                                           "--valid-until", "2021-01-01T00:00:00Z")
        resp = self.hub.request("GET", "/v1/me", cert=(cert, key))
        self.assertError(resp, 401, "client_cert_expired")
        self.assertAudited(resp, "client_cert_expired", "GET /v1/me")

    def test_revoked_certificate_is_refused_on_next_connection(self):
        serial, cert, key = self.hub.issue_cert("ncb-deu")
        ok = self.hub.request("GET", "/v1/me", cert=(cert, key))
        self.assertEqual(ok.status, 200, ok.describe())

        out = self.hub.cli("cert", "revoke", "--serial", serial)
        self.assertEqual(out.returncode, 0, out.stdout + out.stderr)

        resp = self.hub.request("GET", "/v1/me", cert=(cert, key))
        self.assertError(resp, 401, "client_cert_revoked")
        self.assertAudited(resp, "client_cert_revoked", "GET /v1/me")

    def test_revoking_an_unknown_serial_fails(self):
        out = self.hub.cli("cert", "revoke", "--serial", "0123456789abcdef")
        self.assertEqual(out.returncode, 1, out.stdout + out.stderr)


if __name__ == "__main__":
    unittest.main()
