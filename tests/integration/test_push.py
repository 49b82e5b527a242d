"""Live push of the mailbox (issue 3) against the real server over TLS: the WebSocket feed
GET /v1/mailbox/stream (order, receipts to the sender, resume without gap or duplicate,
concurrent senders, isolation between agencies, a token revoked while connected, refused
upgrades, hub stop), long polling with GET /v1/mailbox?wait=S (woken by a message, timing
out empty, validated, audited once), and `ncbnet msg watch` (WebSocket, cursor file, long
poll, errors, SIGTERM).

"Nothing else arrived" is never checked by waiting: a marker message is sent last, and the
next event must be the marker. Each test watches an NCB of its own, so its mailbox holds only
what the test sent."""

import http.client
import json
import os
import queue
import signal
import stat
import subprocess
import threading
import time
import typing
import unittest

import hub
import msgutil
import test_messaging
import wsclient
from msgutil import Principal

RECV_TIMEOUT_S = 30.0  # one event, on a noisy machine
FUTURE_CURSOR = 10**12

# NCBs that only these tests write to: each test takes its own.
SPARE_COUNTRIES = ("nld", "bel", "aut", "che", "pol", "prt", "swe", "nor", "dnk", "fin", "irl",
                   "gbr", "ita", "grc", "hun", "cze", "svk", "svn", "hrv", "rou", "bgr", "ltu",
                   "lva", "est", "lux", "mlt", "cyp", "isl")


def stream_path(after: int) -> str:
    return f"/v1/mailbox/stream?after={after}"


class PushTestCase(test_messaging.MessagingTestCase):
    """Helpers over MessagingTestCase's network (France sends, with its registered key)."""

    _spare = iter(SPARE_COUNTRIES)

    def fresh_ncb(self) -> Principal:
        """An NCB no other test writes to, with a client certificate."""
        return msgutil.cert_principal(self.hub, f"ncb-{next(self._spare)}")

    def open_stream(self, who: Principal, after: int = 0) -> wsclient.WebSocket:
        headers = {"Authorization": f"Bearer {who.token}"} if who.token else {}
        ws = wsclient.WebSocket.connect("127.0.0.1", self.hub.port,
                                        self.hub.tls_context(who.cert), stream_path(after),
                                        headers, timeout=hub.REQUEST_TIMEOUT_S)
        self.addCleanup(ws.abort)
        return ws

    def send_to(self, agency: str, subject: typing.Optional[str] = None) -> str:
        """France sends one message to `agency` (POST /v1/messages); returns its id."""
        c = msgutil.content("ncb-fra", agencies=[agency], subject=subject)
        resp = self.post(self.fra, self.fra_key.request(c))
        self.assertEqual(resp.status, 201, resp.describe())
        return resp.body["message_id"]

    def events(self, ws: wsclient.WebSocket, n: int) -> typing.List[dict]:
        """The next `n` events of a feed; an error message or the end fails the test."""
        out = []
        for _ in range(n):
            try:
                event = ws.recv_json(timeout=RECV_TIMEOUT_S)
            except (TimeoutError, wsclient.Closed) as e:
                self.fail(f"after {len(out)} of {n} events: {e!r}\nserver log:\n"
                          f"{self.hub.log_tail(10)}")
            self.assertNotIn("error", event, event)
            out.append(event)
        return out

    def events_about(self, ws: wsclient.WebSocket, ids, n: int) -> typing.List[dict]:
        """The next `n` events of a feed about the messages `ids`, skipping any other."""
        out = []
        for _ in range(200):
            if len(out) == n:
                return out
            (event,) = self.events(ws, 1)
            if event["message_id"] in ids:
                out.append(event)
        self.fail(f"only {len(out)} of {n} events about {ids}")

    def newest(self, who: Principal) -> int:
        events = self.mailbox(who)
        return events[-1]["cursor"] if events else 0

    def assertIncreasing(self, cursors) -> None:
        self.assertEqual(cursors, sorted(set(cursors)), cursors)

    def assertMarkerNext(self, ws: wsclient.WebSocket, agency: str) -> dict:
        """Sends a marker to `agency`; its feed's next event must be the marker."""
        marker = self.send_to(agency, subject="marker")
        (event,) = self.events(ws, 1)
        self.assertEqual(event["message_id"], marker, event)
        return event

    def long_poll(self, who: Principal, path: str, timeout: float = 40.0) -> hub.Response:
        """hub.request with a client timeout longer than any wait the hub allows (20 s here)."""
        conn = http.client.HTTPSConnection("127.0.0.1", self.hub.port,
                                           context=self.hub.tls_context(who.cert),
                                           timeout=timeout)
        headers = {"Authorization": f"Bearer {who.token}"} if who.token else {}
        try:
            conn.request("GET", path, headers=headers)
            resp = conn.getresponse()
            return hub.Response(resp.status, json.loads(resp.read() or b"null"), resp.headers)
        finally:
            conn.close()

    def audit_rows_of(self, request_id: str) -> typing.List[dict]:
        return [r for r in self.hub.audit_rows() if r["request_id"] == request_id]


class WebSocketFeedTest(PushTestCase):

    def test_messages_arrive_in_order_and_the_sender_gets_receipts(self):
        rcpt = self.fresh_ncb()
        inbox = self.open_stream(rcpt)
        outbox = self.open_stream(self.fra, after=self.newest(self.fra))
        subjects = [f"Pushed {i}" for i in range(3)]
        ids = [self.send_to(rcpt.agency, subject=s) for s in subjects]

        events = self.events(inbox, 3)
        self.assertEqual([e["kind"] for e in events], ["message"] * 3, events)
        self.assertEqual([e["message_id"] for e in events], ids)
        self.assertIncreasing([e["cursor"] for e in events])
        self.assertEqual([e["message"]["subject"] for e in events], subjects)
        for e in events:
            self.assertEqual(e["message"]["sender_agency"], "ncb-fra")
            self.assertNotIn("body", e["message"])
        # The very objects of GET /v1/mailbox.
        self.assertEqual(self.mailbox(rcpt), events)

        # Delivered by the recipient's feed: the sender's feed gets the receipts...
        delivered = self.events_about(outbox, ids, 3)
        self.assertEqual({e["kind"] for e in delivered}, {"receipt"}, delivered)
        self.assertEqual(sorted(e["message_id"] for e in delivered), sorted(ids))
        for e in delivered:
            self.assertEqual((e["receipt"]["agency_id"], e["receipt"]["state"]),
                             (rcpt.agency, "delivered"), e)
        # ...and, once the recipient reads one, a read receipt.
        self.read(rcpt, ids[1])
        (read,) = self.events_about(outbox, ids, 1)
        self.assertEqual((read["kind"], read["message_id"]), ("receipt", ids[1]), read)
        self.assertEqual((read["receipt"]["agency_id"], read["receipt"]["state"]),
                         (rcpt.agency, "read"), read)
        self.assertIncreasing([e["cursor"] for e in delivered] + [read["cursor"]])
        self.assertEqual(self.receipts(self.fra, ids[1])[rcpt.agency]["state"], "read")

    def test_resume_after_a_disconnect_has_no_gap_and_no_duplicate(self):
        rcpt = self.fresh_ncb()
        ws = self.open_stream(rcpt)
        first = [self.send_to(rcpt.agency) for _ in range(2)]
        seen = self.events(ws, 2)
        self.assertEqual([e["message_id"] for e in seen], first)
        last = seen[-1]["cursor"]
        ws.close()
        self.assertEqual(ws.close_code, 1000)

        offline = [self.send_to(rcpt.agency) for _ in range(5)]
        ws = self.open_stream(rcpt, after=last)
        resumed = self.events(ws, 5)
        self.assertEqual([e["message_id"] for e in resumed], offline)
        self.assertIncreasing([last] + [e["cursor"] for e in resumed])
        marker = self.assertMarkerNext(ws, rcpt.agency)  # nothing in between: no duplicate
        ws.abort()  # a client that vanishes without a close frame

        ws = self.open_stream(rcpt, after=0)
        everything = self.events(ws, 8)
        self.assertEqual(everything, seen + resumed + [marker])
        self.assertMarkerNext(ws, rcpt.agency)

    def test_concurrent_sends_arrive_once_each_in_cursor_order(self):
        rcpt = self.fresh_ncb()
        ws = self.open_stream(rcpt)
        per_thread = 25
        requests = [[self.fra_key.request(msgutil.content("ncb-fra", agencies=[rcpt.agency],
                                                          subject=f"Burst {t}.{i}"))
                     for i in range(per_thread)] for t in range(2)]
        sent: typing.List[typing.List[str]] = [[], []]
        failures = []

        def send_all(t: int) -> None:
            for req in requests[t]:
                resp = self.post(self.fra, req)
                if resp.status != 201:
                    failures.append(resp.describe())
                    return
                sent[t].append(resp.body["message_id"])

        threads = [threading.Thread(target=send_all, args=(t,)) for t in range(2)]
        for t in threads:
            t.start()
        events = self.events(ws, 2 * per_thread)
        for t in threads:
            t.join(timeout=hub.REQUEST_TIMEOUT_S * per_thread)
        self.assertEqual(failures, [])
        got = [e["message_id"] for e in events]
        self.assertEqual(len(set(got)), len(got), "an event arrived twice")
        self.assertEqual(set(got), set(sent[0]) | set(sent[1]))
        self.assertIncreasing([e["cursor"] for e in events])
        for mine in sent:  # each sender's messages keep its order
            self.assertEqual([m for m in got if m in mine], mine)
        self.assertMarkerNext(ws, rcpt.agency)

    def test_an_agency_sees_only_its_own_mailbox(self):
        watcher, other = self.fresh_ncb(), self.fresh_ncb()
        ws = self.open_stream(watcher)
        for _ in range(3):
            self.send_to(other.agency)
        marker = self.assertMarkerNext(ws, watcher.agency)
        self.assertEqual(self.mailbox(watcher), [marker])

    def test_a_token_revoked_while_connected_ends_the_feed_with_1008(self):
        ncb = self.fresh_ncb()
        user = self.hub.create_user(self.hub.admin_token(), ncb.agency)
        token = self.hub.login(user["name"], hub.USER_PASSWORD)
        who = Principal(ncb.agency, token=token)
        ws = self.open_stream(who)
        first = self.send_to(ncb.agency)
        self.assertEqual(self.events(ws, 1)[0]["message_id"], first)

        out = self.hub.request("POST", "/v1/auth/logout", token=token)
        self.assertEqual(out.status, 204, out.describe())
        mark = self.audit_mark()
        second = self.send_to(ncb.agency)
        text = ws.recv(timeout=RECV_TIMEOUT_S)
        self.assertNotIn(second, text)
        error = json.loads(text)
        self.assertEqual(error["error"]["code"], "token_revoked", error)
        self.assertTrue(error["error"]["request_id"].startswith("req_"), error)
        with self.assertRaises(wsclient.Closed) as closed:
            ws.recv(timeout=RECV_TIMEOUT_S)
        self.assertEqual(closed.exception.code, 1008)
        # The refusal is audited like any other request's.
        deadline = time.monotonic() + hub.AUDIT_WAIT_S
        while not [r for r in self.hub.audit_rows() if r["seq"] > mark and
                   r["request_id"] == error["error"]["request_id"]]:
            self.assertLess(time.monotonic(), deadline, "the refusal was not audited")
            time.sleep(0.05)
        (row,) = self.audit_rows_of(error["error"]["request_id"])
        self.assertEqual((row["action"], row["outcome"]),
                         ("GET /v1/mailbox/stream", "denied:token_revoked"), row)
        # The message is still there for a valid principal.
        self.assertIn(second, [e["message_id"] for e in self.mailbox(ncb)])

    def test_refused_upgrades_and_plain_requests(self):
        resp = self.get(self.deu, "/v1/mailbox/stream")
        self.assertError(resp, 400, "websocket_required")
        self.assertAudited(resp, "websocket_required", "GET /v1/mailbox/stream")

        ctx = self.hub.tls_context()
        for headers, code in (({}, "missing_credentials"),
                              ({"Authorization": "Bearer never-issued"}, "invalid_token")):
            with self.assertRaises(wsclient.UpgradeRefused) as refused:
                wsclient.WebSocket.connect("127.0.0.1", self.hub.port, ctx, stream_path(0),
                                           headers)
            self.assertEqual((refused.exception.status, refused.exception.error_code),
                             (401, code), refused.exception.body)

        for after, code in ((FUTURE_CURSOR, "cursor_from_future"), ("-1", "invalid_request"),
                            ("x", "invalid_request")):
            with self.assertRaises(wsclient.UpgradeRefused) as refused:
                wsclient.WebSocket.connect("127.0.0.1", self.hub.port,
                                           self.hub.tls_context(self.deu.cert),
                                           f"/v1/mailbox/stream?after={after}")
            self.assertEqual((refused.exception.status, refused.exception.error_code),
                             (400, code), refused.exception.body)

    def test_client_pings_and_text_are_ignored(self):
        rcpt = self.fresh_ncb()
        ws = self.open_stream(rcpt)
        ws.ping(b"are you there")
        ws.send_text("clients have nothing to say")
        self.assertMarkerNext(ws, rcpt.agency)


class LongPollTest(PushTestCase):

    def test_a_waiting_poll_returns_with_the_message_that_arrives(self):
        rcpt = self.fresh_ncb()
        result: dict = {}

        def poll() -> None:
            start = time.monotonic()
            try:
                result["resp"] = self.long_poll(rcpt, "/v1/mailbox?after=0&wait=20")
            except Exception as e:  # reported below
                result["error"] = e
            result["elapsed"] = time.monotonic() - start

        thread = threading.Thread(target=poll)
        thread.start()
        # Give the poll time to reach its wait. Should it be late, it still finds the message
        # at once and the assertions hold; only the wakeup path would go untested this time.
        time.sleep(1.0)
        mid = self.send_to(rcpt.agency)
        thread.join(timeout=60)
        self.assertNotIn("error", result, result)
        resp = result["resp"]
        self.assertEqual(resp.status, 200, resp.describe())
        self.assertEqual([e["message_id"] for e in resp.body["events"]], [mid], resp.body)
        self.assertEqual(resp.body["next_cursor"], resp.body["events"][0]["cursor"])
        # A loose sanity bound, far from the 20 s asked: the message cut the wait short.
        self.assertLess(result["elapsed"], 15.0, result)
        rows = self.wait_audit_rows(resp.request_id)
        self.assertEqual(len(rows), 1, rows)
        self.assertEqual((rows[0]["action"], rows[0]["outcome"]), ("GET /v1/mailbox", "ok"))

    def test_a_poll_that_times_out_is_empty_and_audited_once(self):
        rcpt = self.fresh_ncb()
        mid = self.send_to(rcpt.agency)
        first = self.get(rcpt, "/v1/mailbox?after=0&wait=0")  # wait=0 answers at once
        self.assertEqual(first.status, 200, first.describe())
        self.assertEqual([e["message_id"] for e in first.body["events"]], [mid])
        newest = first.body["next_cursor"]

        resp = self.long_poll(rcpt, f"/v1/mailbox?after={newest}&wait=1")
        self.assertEqual(resp.status, 200, resp.describe())
        self.assertEqual(resp.body, {"events": [], "next_cursor": newest})
        rows = self.wait_audit_rows(resp.request_id)
        self.assertEqual(len(rows), 1, rows)
        self.assertEqual((rows[0]["action"], rows[0]["outcome"], rows[0]["agency_id"]),
                         ("GET /v1/mailbox", "ok", rcpt.agency), rows[0])
        self.assertEqual(rows[0]["object"], f"{rcpt.agency} after {newest}")

        resp = self.get(rcpt, f"/v1/mailbox?after={newest}&wait=0")
        self.assertEqual(resp.body, {"events": [], "next_cursor": newest})

        # The whole chain, these entries included, verifies.
        out = self.hub.cli("audit", "verify", "--json")
        self.assertEqual(out.returncode, 0, out.stdout + out.stderr)
        self.assertIs(json.loads(out.stdout)["intact"], True, out.stdout)

    def test_wait_is_validated(self):
        for wait in ("61", "-1", "x", "1.5"):
            resp = self.get(self.deu, f"/v1/mailbox?after=0&wait={wait}")
            self.assertError(resp, 400, "invalid_request")
            self.assertIn("wait", resp.body["error"]["message"])
        # A cursor from the future is refused at once, not after the wait.
        resp = self.long_poll(self.deu, f"/v1/mailbox?after={FUTURE_CURSOR}&wait=20")
        self.assertEqual((resp.status, resp.body["error"]["code"]), (400, "cursor_from_future"))

    def wait_audit_rows(self, request_id: str) -> typing.List[dict]:
        deadline = time.monotonic() + hub.AUDIT_WAIT_S
        while True:
            rows = self.audit_rows_of(request_id)
            if rows or time.monotonic() > deadline:
                return rows
            time.sleep(0.05)


class WatchCliTest(PushTestCase):

    def watch(self, who: Principal, *args: str) -> subprocess.Popen:
        env = dict(os.environ)
        env.pop("NCBNET_TOKEN", None)
        proc = subprocess.Popen([self.hub.bin, "msg", "watch", "--url", self.hub.url, "--ca",
                                 self.hub.ca_cert, *who.cli_args(), *args],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                stdin=subprocess.DEVNULL, env=env)

        def stop() -> None:
            if proc.poll() is None:
                proc.kill()
            proc.communicate(timeout=hub.CLI_TIMEOUT_S)

        self.addCleanup(stop)
        return proc

    def finished(self, proc: subprocess.Popen) -> typing.Tuple[str, str]:
        try:
            out, err = proc.communicate(timeout=hub.CLI_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            proc.kill()
            out, err = proc.communicate(timeout=hub.CLI_TIMEOUT_S)
            self.fail(f"msg watch did not finish: stdout {out!r} stderr {err!r}")
        self.assertEqual(proc.returncode, 0, f"stdout {out!r} stderr {err!r}")
        return out, err

    def test_json_count_prints_the_events_as_received(self):
        rcpt = self.fresh_ncb()
        proc = self.watch(rcpt, "--json", "--count", "3")
        ids = [self.send_to(rcpt.agency) for _ in range(3)]
        out, _ = self.finished(proc)
        lines = out.splitlines()
        self.assertEqual(len(lines), 3, out)
        events = [json.loads(line) for line in lines]
        self.assertEqual([e["message_id"] for e in events], ids)
        self.assertEqual(events, self.mailbox(rcpt))
        self.assertEqual(lines, [json.dumps(e, separators=(",", ":"), ensure_ascii=False,
                                            sort_keys=True) for e in events])

    def test_cursor_file_resumes_across_runs(self):
        rcpt = self.fresh_ncb()
        cursor_file = os.path.join(self.hub.dir, f"{rcpt.agency}.cursor")
        first = [self.send_to(rcpt.agency) for _ in range(2)]
        out, _ = self.finished(self.watch(rcpt, "--json", "--count", "2",
                                          "--cursor-file", cursor_file))
        events = [json.loads(line) for line in out.splitlines()]
        self.assertEqual([e["message_id"] for e in events], first)
        with open(cursor_file, encoding="ascii") as f:
            self.assertEqual(f.read(), f"{events[-1]['cursor']}\n")
        self.assertEqual(stat.S_IMODE(os.stat(cursor_file).st_mode), 0o600)

        second = [self.send_to(rcpt.agency, subject=f"Second run {i}") for i in range(2)]
        out, _ = self.finished(self.watch(rcpt, "--count", "2", "--cursor-file", cursor_file))
        lines = out.splitlines()
        self.assertEqual(len(lines), 2, out)  # human lines: the new events only
        for line, mid, i in zip(lines, second, range(2)):
            self.assertIn(f"  message  {mid}  from ncb-fra  [routine]  Second run {i}", line)
        self.assertEqual(os.listdir(self.hub.dir).count(f"{rcpt.agency}.cursor.tmp"), 0)

    def test_long_poll_mode(self):
        rcpt = self.fresh_ncb()
        proc = self.watch(rcpt, "--long-poll", "--json", "--count", "1")
        mid = self.send_to(rcpt.agency)
        out, _ = self.finished(proc)
        self.assertEqual([json.loads(line)["message_id"] for line in out.splitlines()], [mid])

    def test_refusals_end_the_watch_with_an_error(self):
        for args, code in ((["--after", str(FUTURE_CURSOR)], "cursor_from_future"),
                           (["--long-poll", "--after", str(FUTURE_CURSOR)],
                            "cursor_from_future")):
            proc = self.watch(self.deu, *args)
            out, err = proc.communicate(timeout=hub.CLI_TIMEOUT_S)
            self.assertNotEqual(proc.returncode, 0, out + err)
            self.assertIn(code, err)
        bad = Principal("ncb-deu", token="never-issued")
        for args in ([], ["--long-poll"]):
            proc = self.watch(bad, *args)
            out, err = proc.communicate(timeout=hub.CLI_TIMEOUT_S)
            self.assertNotEqual(proc.returncode, 0, out + err)
            self.assertIn("invalid_token", err)

    def test_a_revoked_token_ends_the_watch(self):
        ncb = self.fresh_ncb()
        user = self.hub.create_user(self.hub.admin_token(), ncb.agency)
        token = self.hub.login(user["name"], hub.USER_PASSWORD)
        proc = self.watch(Principal(ncb.agency, token=token), "--json")
        lines = self.line_reader(proc)
        first = self.send_to(ncb.agency)
        self.assertEqual(json.loads(lines.get(timeout=RECV_TIMEOUT_S))["message_id"], first)
        self.assertEqual(self.hub.request("POST", "/v1/auth/logout", token=token).status, 204)
        self.send_to(ncb.agency)
        out, err = proc.communicate(timeout=hub.CLI_TIMEOUT_S)
        self.assertNotEqual(proc.returncode, 0, err)
        self.assertIn("token_revoked", err)

    def test_sigterm_exits_cleanly(self):
        rcpt = self.fresh_ncb()
        proc = self.watch(rcpt, "--json")
        lines = self.line_reader(proc)
        mid = self.send_to(rcpt.agency)
        self.assertEqual(json.loads(lines.get(timeout=RECV_TIMEOUT_S))["message_id"], mid)
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=hub.CLI_TIMEOUT_S)
        self.assertEqual(proc.returncode, 0, proc.stderr.read())

    @staticmethod
    def line_reader(proc: subprocess.Popen) -> "queue.Queue[str]":
        lines: "queue.Queue[str]" = queue.Queue()

        def pump() -> None:
            for line in iter(proc.stdout.readline, ""):
                lines.put(line)

        threading.Thread(target=pump, daemon=True).start()
        return lines


class HubStopTest(PushTestCase):
    """Stops the hub, so it has a hub of its own (one test)."""

    def test_stop_closes_open_feeds_with_1001_and_is_not_held_up(self):
        reader_ncb, silent_ncb = self.fresh_ncb(), self.fresh_ncb()
        reader = self.open_stream(reader_ncb)
        silent = self.open_stream(silent_ncb)  # never reads: answers no close frame
        self.assertMarkerNext(reader, reader_ncb.agency)
        self.send_to(silent_ncb.agency)  # unread, in its socket

        stopped: dict = {}
        thread = threading.Thread(target=lambda: stopped.update(code=self.hub.stop()))
        thread.start()
        with self.assertRaises(wsclient.Closed) as closed:
            for _ in range(10):  # a feed may still be sending something
                reader.recv(timeout=RECV_TIMEOUT_S)
        self.assertIn(closed.exception.code, (1001, None), closed.exception)
        thread.join(timeout=hub.STOP_TIMEOUT_S * 3)
        # Exit status 0: the hub stopped by itself, within STOP_TIMEOUT_S, not by SIGKILL.
        self.assertEqual(stopped.get("code"), 0, self.hub.log_tail(20))
        # The silent client's connection is gone too.
        with self.assertRaises(wsclient.Closed):
            for _ in range(10):
                silent.recv(timeout=RECV_TIMEOUT_S)


if __name__ == "__main__":
    unittest.main()
