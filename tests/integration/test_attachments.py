"""Attachments against the real server over TLS: chunked, resumable uploads
(POST /v1/attachments, PUT /v1/attachments/uploads/{id}?offset=N, POST .../complete), a
3.5 MiB file sent with `msg send --attach` and fetched back with `msg attachment`, storage
once per SHA-256, hash mismatch, an upload cut off mid-chunk and resumed, offset mismatch,
uploads and blobs that belong to another agency, downloads by a non-recipient, a chunk altered
in the store, and the audit entry of each request."""

import hashlib
import os
import socket
import subprocess

import hub
import msgutil
import test_messaging

CHUNK = 1024 * 1024


def data_of(size: int, seed: int) -> bytes:
    block = hashlib.sha256(bytes([seed])).digest() * (CHUNK // 32)
    return (block * (size // len(block) + 1))[:size]


class AttachmentsTestCase(test_messaging.MessagingTestCase):

    def open_upload(self, who, data: bytes, sha: str = None) -> hub.Response:
        return self.hub.request("POST", "/v1/attachments",
                                {"size": len(data), "sha256": sha or hashlib.sha256(data).hexdigest()},
                                **who.request_args())

    def put_chunk(self, who, upload_id: str, offset: int, chunk: bytes) -> hub.Response:
        return self.hub.request("PUT", f"/v1/attachments/uploads/{upload_id}?offset={offset}",
                                raw_body=chunk, content_type="application/octet-stream",
                                **who.request_args())

    def complete(self, who, upload_id: str) -> hub.Response:
        return self.hub.request("POST", f"/v1/attachments/uploads/{upload_id}/complete",
                                **who.request_args())

    def upload(self, who, data: bytes) -> dict:
        """Uploads `data` whole; returns the reference to sign."""
        resp = self.open_upload(who, data)
        self.assertEqual(resp.status, 201, resp.describe())
        self.assertEqual(resp.body["chunk_bytes"], CHUNK)
        uid = resp.body["upload_id"]
        for offset in range(0, len(data), CHUNK):
            resp = self.put_chunk(who, uid, offset, data[offset:offset + CHUNK])
            self.assertEqual(resp.status, 200, resp.describe())
        resp = self.complete(who, uid)
        self.assertEqual(resp.status, 200, resp.describe())
        self.assertAudited(resp, "ok", "POST /v1/attachments/uploads/{id}/complete")
        return {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data),
                "name": "evidence.pdf", "media_type": "application/pdf"}

    def send_with(self, who, key, attachments, countries=("DEU",)) -> hub.Response:
        c = msgutil.content(who.agency, countries=list(countries), subject="With attachments")
        c["attachments"] = attachments
        return self.post(who, key.request(c))

    def download(self, who, mid: str, index: int, offset: int = 0,
                 length: int = CHUNK) -> hub.Response:
        return self.get(who, f"/v1/messages/{mid}/attachments/{index}?offset={offset}"
                             f"&length={length}")

    def count(self, sql: str) -> int:
        """The value of a one-column query's first row."""
        (value,) = self.hub.db_rows(sql)[0].values()
        return value


class AttachmentsTest(AttachmentsTestCase):

    def test_cli_round_trip_of_a_multi_chunk_file(self):
        data = data_of(3 * CHUNK + CHUNK // 2, 1)
        path = os.path.join(self.hub.dir, "report.pdf")
        with open(path, "wb") as f:
            f.write(data)
        sent = self.sent(self.fra, self.fra_key, "--to-country", "DEU", "--subject",
                         "Scan of the seized passport", "--body", "See attachment.",
                         "--attach", path)
        mid = sent["message_id"]
        got = self.read(self.deu, mid)
        self.assertEqual(got["content"]["attachments"],
                         [{"sha256": hashlib.sha256(data).hexdigest(), "size": len(data),
                           "name": "report.pdf", "media_type": "application/pdf"}])
        self.assertTrue(msgutil.canonical(got["content"]).startswith(b"ncbnet-message-v2\n"))
        self.assertTrue(msgutil.verify(self.fra_key.public, msgutil.canonical(got["content"]),
                                       bytes.fromhex(got["signature"])))
        out_path = os.path.join(self.hub.dir, "downloaded.pdf")
        out = self.cli.client(self.deu, "msg", "attachment", mid, "0", "--out", out_path, "--json")
        self.assertEqual(out.returncode, 0, out.stdout + out.stderr)
        with open(out_path, "rb") as f:
            self.assertEqual(f.read(), data)
        # Over the API: raw bytes with the signed size and hash in headers, audited.
        resp = self.download(self.deu, mid, 0, offset=CHUNK - 4, length=8)
        self.assertEqual(resp.status, 200)
        self.assertEqual(resp.headers.get("Content-Type"), "application/octet-stream")
        self.assertEqual(resp.headers.get("x-attachment-size"), str(len(data)))
        self.assertEqual(resp.headers.get("x-attachment-sha256"), hashlib.sha256(data).hexdigest())
        self.assertAudited(resp, "ok", "GET /v1/messages/{id}/attachments/{index}")
        self.assertEqual(self.count("SELECT count(*) FROM attachment_blob_chunks WHERE sha256 = '"
                                    + hashlib.sha256(data).hexdigest() + "'"), 4)
        # The plaintext is nowhere in the store.
        self.hub.stop()
        try:
            for name in os.listdir(self.hub.data_dir):
                full = os.path.join(self.hub.data_dir, name)
                if os.path.isfile(full):
                    with open(full, "rb") as f:
                        self.assertNotIn(data[1000:1064], f.read(), name)
            if self.hub.store is not None:
                # Every row of the PostgreSQL database, as pg_dump writes it (bytea as hex).
                dump = subprocess.run(["pg_dump", "--data-only", self.hub.store],
                                      capture_output=True, timeout=hub.CLI_TIMEOUT_S,
                                      check=True).stdout
                self.assertTrue(dump)
                self.assertNotIn(data[1000:1064], dump)
                self.assertNotIn(data[1000:1064].hex().encode(), dump.lower())
        finally:
            self.hub.start()

    def test_same_file_twice_is_stored_once(self):
        data = data_of(CHUNK + 5, 2)
        sha = hashlib.sha256(data).hexdigest()
        self.upload(self.fra, data)
        self.upload(self.deu, data)
        self.upload(self.fra, data)
        self.assertEqual(self.count(f"SELECT count(*) FROM attachment_blobs WHERE sha256 = '{sha}'"), 1)
        self.assertEqual(
            self.count(f"SELECT count(*) FROM attachment_blob_chunks WHERE sha256 = '{sha}'"), 2)
        self.assertEqual(
            self.count(f"SELECT count(*) FROM attachment_possession WHERE sha256 = '{sha}'"), 2)

    def test_hash_mismatch_discards_the_upload(self):
        data = data_of(1000, 3)
        resp = self.open_upload(self.fra, data, sha=hashlib.sha256(b"other").hexdigest())
        uid = resp.body["upload_id"]
        self.assertEqual(self.put_chunk(self.fra, uid, 0, data).status, 200)
        resp = self.complete(self.fra, uid)
        self.assertError(resp, 400, "attachment_hash_mismatch")
        self.assertAudited(resp, "attachment_hash_mismatch")
        self.assertEqual(self.count(f"SELECT count(*) FROM attachment_uploads WHERE id = '{uid}'"), 0)
        resp = self.complete(self.fra, uid)
        self.assertError(resp, 404, "upload_not_found")

    def test_cut_off_upload_commits_nothing_and_resumes(self):
        data = data_of(CHUNK + 100, 4)
        uid = self.open_upload(self.fra, data).body["upload_id"]
        self.assertEqual(self.put_chunk(self.fra, uid, 0, data[:CHUNK]).status, 200)
        # The second chunk announces its full length, sends part of it and hangs up.
        raw = socket.create_connection(("127.0.0.1", self.hub.port), timeout=hub.REQUEST_TIMEOUT_S)
        sock = self.hub.tls_context(self.fra.cert).wrap_socket(raw, server_hostname="127.0.0.1")
        sock.sendall((f"PUT /v1/attachments/uploads/{uid}?offset={CHUNK} HTTP/1.1\r\n"
                      f"Host: 127.0.0.1\r\nContent-Type: application/octet-stream\r\n"
                      f"Content-Length: 100\r\n\r\n").encode("ascii") + data[CHUNK:CHUNK + 40])
        sock.close()
        resp = self.get(self.fra, f"/v1/attachments/uploads/{uid}")
        self.assertEqual(resp.status, 200, resp.describe())
        self.assertEqual(resp.body["received"], CHUNK)
        self.assertAudited(resp, "ok", "GET /v1/attachments/uploads/{id}")
        self.assertEqual(
            self.count(f"SELECT count(*) FROM attachment_upload_chunks WHERE upload_id = '{uid}'"), 1)
        resp = self.complete(self.fra, uid)
        self.assertError(resp, 400, "upload_incomplete")
        self.assertAudited(resp, "upload_incomplete")
        # Resumed from the last committed chunk.
        self.assertEqual(self.put_chunk(self.fra, uid, CHUNK, data[CHUNK:]).status, 200)
        self.assertEqual(self.complete(self.fra, uid).status, 200)

    def test_offsets_sizes_and_limits(self):
        data = data_of(CHUNK + 10, 5)
        uid = self.open_upload(self.fra, data).body["upload_id"]
        resp = self.put_chunk(self.fra, uid, 7, data[:CHUNK])
        self.assertError(resp, 409, "upload_offset_mismatch")
        self.assertIn("offset 0", resp.body["error"]["message"])
        self.assertAudited(resp, "upload_offset_mismatch", "PUT /v1/attachments/uploads/{id}")
        self.assertEqual(self.put_chunk(self.fra, uid, 0, data[:CHUNK]).status, 200)
        resp = self.put_chunk(self.fra, uid, CHUNK, data[CHUNK:] + b"extra")
        self.assertError(resp, 400, "upload_too_long")
        self.assertAudited(resp, "upload_too_long")
        resp = self.hub.request("PUT", f"/v1/attachments/uploads/{uid}?offset={CHUNK}",
                                body={"json": True}, **self.fra.request_args())
        self.assertError(resp, 415, "unsupported_media_type")
        resp = self.hub.request("POST", "/v1/attachments",
                                {"size": 50 * CHUNK + 1, "sha256": "0" * 64}, **self.fra.request_args())
        self.assertError(resp, 413, "attachment_too_large")
        self.assertAudited(resp, "attachment_too_large", "POST /v1/attachments")
        # At most 8 open uploads per agency.
        ita = msgutil.cert_principal(self.hub, "ncb-ita")
        for _ in range(8):
            self.assertEqual(self.open_upload(ita, b"x").status, 201)
        resp = self.open_upload(ita, b"x")
        self.assertError(resp, 429, "too_many_uploads")
        self.assertAudited(resp, "too_many_uploads", "POST /v1/attachments")

    def test_another_agency_cannot_write_the_upload_or_use_the_blob(self):
        data = data_of(300, 6)
        uid = self.open_upload(self.fra, data).body["upload_id"]
        resp = self.put_chunk(self.deu, uid, 0, data)
        self.assertError(resp, 404, "upload_not_found")
        self.assertAudited(resp, "upload_not_found", "PUT /v1/attachments/uploads/{id}")
        self.assertError(self.complete(self.deu, uid), 404, "upload_not_found")
        self.assertEqual(self.put_chunk(self.fra, uid, 0, data).status, 200)
        self.assertEqual(self.complete(self.fra, uid).status, 200)
        ref = {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data), "name": "a.pdf",
               "media_type": "application/pdf"}
        before = self.stored_counts()
        resp = self.send_with(self.deu, self.deu_key, [ref], countries=("FRA",))
        self.assertError(resp, 400, "unknown_attachment")
        self.assertAudited(resp, "unknown_attachment", "POST /v1/messages")
        self.assertNothingStored(before)
        # The owner sends it; a non-recipient cannot download it.
        resp = self.send_with(self.fra, self.fra_key, [ref])
        self.assertEqual(resp.status, 201, resp.describe())
        mid = resp.body["message_id"]
        resp = self.download(self.esp, mid, 0)
        self.assertError(resp, 404, "message_not_found")
        self.assertAudited(resp, "message_not_found", "GET /v1/messages/{id}/attachments/{index}")
        resp = self.download(self.deu, mid, 0)
        self.assertEqual(resp.status, 200, resp.describe())
        self.assertEqual(resp.headers.get("x-attachment-size"), str(len(data)))
        resp = self.download(self.deu, mid, 1)
        self.assertError(resp, 404, "attachment_not_found")


class AttachmentTamperTest(AttachmentsTestCase):

    def test_a_tampered_chunk_fails_that_request_only(self):
        data = data_of(2 * CHUNK, 7)
        resp = self.send_with(self.fra, self.fra_key, [self.upload(self.fra, data)])
        self.assertEqual(resp.status, 201, resp.describe())
        mid = resp.body["message_id"]
        sha = hashlib.sha256(data).hexdigest()
        self.hub.stop()
        (row,) = self.hub.db_rows(
            "SELECT data FROM attachment_blob_chunks WHERE sha256 = ? AND idx = 1", (sha,))
        sealed = bytearray(hub.as_bytes(row["data"]))
        sealed[len(sealed) // 2] ^= 0x01
        self.hub.db_exec("UPDATE attachment_blob_chunks SET data = ? WHERE sha256 = ? AND idx = 1",
                         (bytes(sealed), sha))
        self.hub.start()
        resp = self.download(self.deu, mid, 0, offset=CHUNK)
        self.assertError(resp, 500, "internal")
        self.assertAudited(resp, "internal", "GET /v1/messages/{id}/attachments/{index}")
        self.assertIn("attachment_tampered", self.hub.log_tail(20))
        # The intact chunk is still served, and the message itself still reads.
        resp = self.download(self.deu, mid, 0, offset=0)
        self.assertEqual(resp.status, 200)
        self.assertEqual(self.read(self.deu, mid)["id"], mid)
        # The CLI refuses and leaves no partial file.
        out_path = os.path.join(self.hub.dir, "tampered.bin")
        out = self.cli.client(self.deu, "msg", "attachment", mid, "0", "--out", out_path)
        self.assertNotEqual(out.returncode, 0, out.stdout + out.stderr)
        self.assertFalse(os.path.exists(out_path))


if __name__ == "__main__":
    import unittest
    unittest.main()
