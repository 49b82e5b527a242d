"""testssl.sh (Debian's package) against the real hub over loopback: the protocols, ciphers,
server defaults (certificate, its CRL) and known vulnerabilities it checks must raise no
finding at MEDIUM or above. The network CA is added as a trust anchor, as a national gateway
configures it; client simulation is left out to keep the scan about half a minute.
"""

import json
import os
import shutil
import subprocess
import unittest

import hub

SCAN_TIMEOUT_S = 600


@unittest.skipUnless(shutil.which("testssl"), "testssl.sh not installed (scripts/install-deps.sh)")
class TlsScanTest(hub.HubTestCase):

    def test_testssl_finds_nothing_at_medium_or_above(self):
        report = os.path.join(self.hub.dir, "testssl.json")
        out = subprocess.run(
            ["testssl", "--quiet", "--color", "0", "--warnings", "batch",
             "--add-ca", self.hub.ca_cert, "--protocols", "--std", "--server-defaults",
             "--vulnerable", "--severity", "MEDIUM", "--jsonfile", report,
             f"https://127.0.0.1:{self.hub.port}"],
            capture_output=True, text=True, timeout=SCAN_TIMEOUT_S, stdin=subprocess.DEVNULL)
        self.assertTrue(os.path.exists(report), out.stdout[-2000:] + out.stderr[-2000:])
        with open(report, encoding="utf-8") as f:
            findings = json.load(f)
        serious = [(x["severity"], x["id"], x["finding"]) for x in findings
                   if x.get("severity") in ("MEDIUM", "HIGH", "CRITICAL")]
        self.assertEqual(serious, [], out.stdout[-3000:])
        # The scan really reached the hub: its certificate was read (it names the CRL).
        self.assertIn("Certificate Revocation List", out.stdout)
        self.assertIn("/v1/pki/crl", out.stdout)
