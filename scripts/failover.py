#!/usr/bin/env python3
"""Failover under load, on the cluster of scripts/cluster.sh (docs/deployment.md, "A cluster on
one machine"). Not run by CI.

    scripts/cluster.sh up DIR                  (CLUSTER_NETNS=1 for the partition scenario)
    scripts/failover.py --dir DIR [--writers 4] [--scenario primary,hub]
    scripts/cluster.sh down DIR

Writers create agencies (POST /v1/agencies, as the GS administrator) through HAProxy without a
pause, each with its own Idempotency-Key; a write that gets a 503 or loses its connection is sent
again with the same key every --retry-delay seconds until it is acknowledged (2xx). Meanwhile:

  primary: kill -9 the PostgreSQL primary's postmaster (its pid from the data directory that
           Patroni names as leader); its Patroni sees it gone and hands over to the synchronous
           standby at once (primary_start_timeout: 0).
  node:    kill -9 the primary's Patroni and then its postmaster, as if its machine stopped:
           nobody releases the leader key, which expires after ttl; then Patroni is started
           again and the node rejoins as a replica.
  hub:     kill -9 one hub node (then start it again); HAProxy sends clients to the others.
  rolling: a rolling restart: SIGTERM hub node 1 (it stops accepting, finishes its requests in
           flight and exits), wait --rolling-pause, start it again, wait until /healthz answers
           and --rolling-rise-wait more (HAProxy's check), then nodes 2 and 3.
  expand:  on the primary, under load: ALTER TABLE agencies ADD COLUMN (an expand step), a
           rolling restart, ALTER TABLE ... DROP COLUMN (the contract step); same binary.
  partition: (CLUSTER_NETNS=1 clusters) the primary's network namespace cut off for --cut
           seconds, with a hub and writers beside it that must get nothing acknowledged.
  stream:  ncb-deu reads its mailbox over a WebSocket through HAProxy while ncb-fra sends it
           signed messages (retried like the writes); the hub node carrying the stream is
           killed (kill -9) and started again. The reader reconnects with after=<last cursor>;
           every message acknowledged to the sender must reach it exactly once.

For each it reports the unavailability window seen by the clients: from the first failed
attempt after the kill to the first acknowledgement of an attempt sent after that failure. At
the end it reads every agency back through the API and checks that each acknowledged write is
there exactly once (and no write under any key twice), that no answer was a 500 (or any status
other than 2xx and 503), and that `ncbnet audit verify` passes. Exit 0 only if all hold.
"""

import argparse
import http.client
import json
import os
import shlex
import shutil
import signal
import ssl
import subprocess
import sys
import threading
import time
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests",
                                "integration"))
import msgutil  # noqa: E402  (the documented signature scheme, in Python)
import wsclient  # noqa: E402


def load_env(path):
    env = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if not line or line.startswith("#") or "=" not in line:
                continue
            key, _, value = line.partition("=")
            parts = shlex.split(value)
            env[key] = parts[0] if len(parts) == 1 else " ".join(parts)
    return env


class Client:
    """One keep-alive HTTPS connection through HAProxy, opened again after any error."""

    def __init__(self, port, ca_cert, timeout, cert=None):
        self.port = port
        self.ctx = ssl.create_default_context(cafile=ca_cert)
        if cert is not None:  # (certificate, key): an agency's system
            self.ctx.load_cert_chain(*cert)
        self.timeout = timeout
        self.conn = None

    def request(self, method, path, body=None, headers=None):
        """Returns (status, headers, parsed body); raises OSError/HTTPException on a lost
        connection (the connection is then dropped)."""
        if self.conn is None:
            self.conn = http.client.HTTPSConnection("127.0.0.1", self.port, context=self.ctx,
                                                    timeout=self.timeout)
        hdrs = dict(headers or {})
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            hdrs["Content-Type"] = "application/json"
        try:
            self.conn.request(method, path, body=data, headers=hdrs)
            resp = self.conn.getresponse()
            payload = resp.read()
        except (OSError, http.client.HTTPException):
            self.close()
            raise
        if resp.getheader("Connection", "").lower() == "close":
            self.close()
        try:
            parsed = json.loads(payload) if payload else None
        except ValueError:
            parsed = payload.decode(errors="replace")
        return resp.status, resp.headers, parsed

    def close(self):
        if self.conn is not None:
            try:
                self.conn.close()
            except OSError:
                pass
        self.conn = None


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.attempts = []   # (start, end, outcome): outcome "ack", "503:<code>", "conn", other
        self.acked = {}      # key -> (agency id, name, ack time, replayed)
        self.in_doubt = {}   # key -> name: 409 idempotency_in_doubt, to be read back
        self.unexpected = [] # (time, status, body): anything but 2xx, 503, in-doubt 409
        self.sent = {}       # key -> name, every key ever sent

    def attempt(self, start, end, outcome):
        with self.lock:
            self.attempts.append((start, end, outcome))


def send_until_answered(client, stats, retry_delay, method, path, body, headers):
    """Sends one request until it gets an answer that is not a retry case: a lost connection,
    a 503 and any other 5xx (recorded in stats.unexpected) are retried after `retry_delay`
    with the same headers (so the same Idempotency-Key). Every attempt is recorded; the
    final one's outcome is "ack" (2xx), "409:in_doubt" or "<status>:<code>". Returns
    (outcome, status, headers, body, end time)."""
    while True:
        start = time.monotonic()
        try:
            status, hdrs, answer = client.request(method, path, body, headers)
        except (OSError, http.client.HTTPException):
            stats.attempt(start, time.monotonic(), "conn")
            time.sleep(retry_delay)
            continue
        end = time.monotonic()
        code = answer.get("error", {}).get("code") if isinstance(answer, dict) else None
        if 200 <= status < 300:
            outcome = "ack"
        elif status == 409 and code == "idempotency_in_doubt":
            outcome = "409:in_doubt"  # committed (or running), its answer not kept
        else:
            outcome = f"{status}:{code}"
        stats.attempt(start, end, outcome)
        if status != 503 and outcome.startswith(("4", "5")) and outcome != "409:in_doubt":
            with stats.lock:
                stats.unexpected.append((end, status, answer))
        if status >= 500:
            time.sleep(retry_delay)
            continue
        return outcome, status, hdrs, answer, end


def writer(idx, args, env, token, parent, run, stats, stop):
    client = Client(int(env["HAPROXY_PORT"]), env["HUB_CA_CERT"], args.request_timeout)
    n = 0
    while not stop.is_set():
        n += 1
        if n % args.reconnect_every == 0:
            client.close()  # a new connection, so that HAProxy spreads writers over the nodes
        key = f"fo-{run}-{idx}-{n}"
        name = key
        with stats.lock:
            stats.sent[key] = name
        outcome, _, headers, body, end = send_until_answered(
            client, stats, args.retry_delay, "POST", "/v1/agencies",
            {"parent_id": parent, "kind": "agency", "name": name},
            {"Authorization": f"Bearer {token}", "Idempotency-Key": key})
        with stats.lock:
            if outcome == "ack":
                stats.acked[key] = (body["id"], name, end,
                                    headers.get("Idempotent-Replayed") == "true")
            elif outcome == "409:in_doubt":  # read back at the end
                stats.in_doubt[key] = name
    client.close()


def window_after(stats, t0, t1=None):
    """Failures and the unavailability window among the attempts that ended after t0."""
    with stats.lock:
        attempts = sorted(a for a in stats.attempts if a[1] >= t0 and (t1 is None or a[1] <= t1))
    failures = [a for a in attempts if a[2] != "ack"]
    if not failures:
        return {"failed_attempts": 0, "window_s": 0.0, "first_failure_after_kill_s": None}
    first_fail = min(a[1] for a in failures)
    acks_after = [a[1] for a in attempts if a[2] == "ack" and a[0] >= first_fail]
    first_ack = min(acks_after) if acks_after else None
    kinds = {}
    for a in failures:
        kinds[a[2]] = kinds.get(a[2], 0) + 1
    return {
        "failed_attempts": len(failures),
        "failures_by_kind": kinds,
        "first_failure_after_kill_s": round(first_fail - t0, 3),
        "window_s": round(first_ack - first_fail, 3) if first_ack else None,
        "kill_to_first_ack_s": round(first_ack - t0, 3) if first_ack else None,
    }


def longest_ack_gap(stats, t0, t1):
    with stats.lock:
        acks = sorted(a[1] for a in stats.attempts if a[2] == "ack" and t0 <= a[1] <= t1)
    if len(acks) < 2:
        return None
    return round(max(b - a for a, b in zip(acks, acks[1:])), 3)


def patroni_members(env):
    out = subprocess.run(["patronictl", "-c", os.path.join(env["CLUSTER_DIR"], "pg1",
                                                           "patroni.yml"), "list", "-f", "json"],
                         capture_output=True, text=True, check=False)
    try:
        return json.loads(out.stdout)
    except ValueError:
        return []


def patroni_table(env):
    return subprocess.run(["patronictl", "-c", os.path.join(env["CLUSTER_DIR"], "pg1",
                                                            "patroni.yml"), "list"],
                          capture_output=True, text=True, check=False).stdout


def kill_primary(env):
    leaders = [m for m in patroni_members(env) if m["Role"] == "Leader"]
    if len(leaders) != 1:
        raise SystemExit(f"failover.py: no single leader: {patroni_members(env)}")
    member = leaders[0]["Member"]
    pidfile = os.path.join(env["CLUSTER_DIR"], member, "data", "postmaster.pid")
    with open(pidfile, encoding="utf-8") as f:
        pid = int(f.readline())
    killed_at = time.monotonic()
    os.kill(pid, signal.SIGKILL)
    return member, pid, killed_at


def kill_primary_node(env):
    """kill -9 the leader's Patroni, then its postmaster. Returns (member, patroni pid, pg pid)."""
    leaders = [m for m in patroni_members(env) if m["Role"] == "Leader"]
    if len(leaders) != 1:
        raise SystemExit(f"failover.py: no single leader: {patroni_members(env)}")
    member = leaders[0]["Member"]
    n = member[len("pg"):]
    with open(os.path.join(env["CLUSTER_DIR"], "run", f"patroni{n}.pid"), encoding="utf-8") as f:
        patroni_pid = int(f.read())
    with open(os.path.join(env["CLUSTER_DIR"], member, "data", "postmaster.pid"),
              encoding="utf-8") as f:
        pg_pid = int(f.readline())
    killed_at = time.monotonic()
    os.kill(patroni_pid, signal.SIGKILL)
    os.kill(pg_pid, signal.SIGKILL)
    return member, patroni_pid, pg_pid, killed_at


def start_patroni(env, member):
    """Starts the member's Patroni again as cluster.sh did (as "postgres" when root)."""
    n = member[len("pg"):]
    cmd = ["env", f"HOME={env['CLUSTER_DIR']}", "PATH=/usr/sbin:/usr/bin:/sbin:/bin", "patroni",
           os.path.join(env["CLUSTER_DIR"], member, "patroni.yml")]
    if os.getuid() == 0:
        cmd = ["setpriv", "--reuid=postgres", "--regid=postgres", "--init-groups",
               "--reset-env"] + cmd
    log = open(os.path.join(env["CLUSTER_DIR"], "log", f"patroni{n}.log"), "ab")
    proc = subprocess.Popen(cmd, stdout=log, stderr=log, stdin=subprocess.DEVNULL,
                            start_new_session=True)
    log.close()
    with open(os.path.join(env["CLUSTER_DIR"], "run", f"patroni{n}.pid"), "w",
              encoding="utf-8") as f:
        f.write(f"{proc.pid}\n")
    return proc.pid


def wait_cluster_whole(env, timeout):
    """Until Patroni shows a leader, a sync standby and a running replica again."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        m = patroni_members(env)
        roles = sorted(x["Role"] for x in m)
        if roles == ["Leader", "Replica", "Sync Standby"] and all(
                x["State"] in ("running", "streaming") for x in m):
            return True
        time.sleep(0.5)
    return False


def kill_hub(env, node):
    run_dir = os.path.join(env["CLUSTER_DIR"], "run")
    with open(os.path.join(run_dir, f"hub{node}.pid"), encoding="utf-8") as f:
        pid = int(f.read())
    killed_at = time.monotonic()
    os.kill(pid, signal.SIGKILL)
    return pid, killed_at


def start_hub(env, node):
    """Starts hub node `node` again as cluster.sh did (its pid file updated)."""
    port = env["HUB_PORTS"].split()[node - 1]
    data_dir = env["HUB_DATA_DIRS"].split()[node - 1]
    log = open(os.path.join(env["CLUSTER_DIR"], "log", f"hub{node}.log"), "ab")
    proc = subprocess.Popen([env["NCBNET_BIN"], "serve", "--data-dir", data_dir, "--port", port],
                            stdout=log, stderr=log, stdin=subprocess.DEVNULL,
                            start_new_session=True)
    log.close()
    with open(os.path.join(env["CLUSTER_DIR"], "run", f"hub{node}.pid"), "w",
              encoding="utf-8") as f:
        f.write(f"{proc.pid}\n")
    ctx = ssl._create_unverified_context()  # a liveness probe, as HAProxy's check
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"https://127.0.0.1:{port}/healthz", context=ctx,
                                        timeout=2) as r:
                if r.status == 200:
                    return proc.pid
        except OSError:
            pass
        time.sleep(0.25)
    raise SystemExit(f"failover.py: hub node {node} did not come back")


def process_gone(pid):
    """True once `pid` has exited (reaped, or a zombie of ours, reaped here)."""
    try:
        if os.waitpid(pid, os.WNOHANG)[0] == pid:
            return True
    except ChildProcessError:  # not our child: started by cluster.sh
        pass
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as f:
            return f.read().rsplit(")", 1)[1].split()[0] == "Z"
    except FileNotFoundError:
        return True


def stop_hub(env, node, timeout=30.0):
    """SIGTERM to hub node `node`: it stops accepting, finishes the requests in flight, closes
    idle connections and exits. Returns (pid, seconds from SIGTERM to exit)."""
    with open(os.path.join(env["CLUSTER_DIR"], "run", f"hub{node}.pid"), encoding="utf-8") as f:
        pid = int(f.read())
    t0 = time.monotonic()
    os.kill(pid, signal.SIGTERM)
    while not process_gone(pid):
        if time.monotonic() - t0 > timeout:
            raise SystemExit(f"failover.py: hub node {node} (pid {pid}) did not exit on SIGTERM")
        time.sleep(0.05)
    return pid, time.monotonic() - t0


def rolling_restart(env, args, stats):
    """Stops each hub node gracefully, waits, starts it again and waits until it answers and
    HAProxy has had time to see it up, then the next node. Returns the step's report."""
    t0 = time.monotonic()
    nodes = []
    for node in (1, 2, 3):
        pid, drain_s = stop_hub(env, node)
        print(f"failover.py: SIGTERM {pid}: hub node {node} exited after {drain_s:.2f} s",
              flush=True)
        time.sleep(args.rolling_pause)
        started = time.monotonic()
        new_pid = start_hub(env, node)
        answering_s = time.monotonic() - started
        print(f"failover.py: hub node {node} started again (pid {new_pid}), /healthz 200 after"
              f" {answering_s:.2f} s", flush=True)
        # HAProxy checks every second (rise 1): let it mark the node up before the next stop.
        time.sleep(args.rolling_rise_wait)
        nodes.append({"node": node, "sigterm_to_exit_s": round(drain_s, 2),
                      "start_to_healthy_s": round(answering_s, 2)})
    t1 = time.monotonic()
    return {"scenario": "rolling restart of hub nodes 1, 2, 3 (SIGTERM, start)",
            "nodes": nodes, **window_after(stats, t0, t1),
            "longest_gap_between_acks_s": longest_ack_gap(stats, t0, t1),
            "acks_during_restart": count_acks(stats, t0, t1)}


def expand_contract(env, args, run, stats):
    """The schema steps of an expand-then-contract migration, run on the primary under load:
    a column added (as migrations 13, 15 and 16 did), a rolling restart of the hub nodes on the
    changed schema, the column dropped. The same binary throughout: this shows what the DDL
    costs the running nodes (its lock, their prepared statements), not an upgrade."""
    leader = [m["Member"] for m in patroni_members(env) if m["Role"] == "Leader"][0]
    column = f"fo_expand_{run.replace('-', '_')}"
    steps = {}
    for name, ddl in (("expand", f"ALTER TABLE agencies ADD COLUMN {column} TEXT NOT NULL "
                                 "DEFAULT ''"),
                      ("rolling", None),
                      ("contract", f"ALTER TABLE agencies DROP COLUMN {column}")):
        time.sleep(args.warmup)
        t0 = time.monotonic()
        if ddl is None:
            steps[name] = rolling_restart(env, args, stats)
            continue
        done = psql_on(env, leader, f"SET lock_timeout = '5s'; {ddl}")
        t1 = time.monotonic()
        time.sleep(2.0)
        steps[name] = {"ddl": ddl, "applied": done is not None, "ddl_s": round(t1 - t0, 3),
                       **window_after(stats, t0, t1 + 2.0),
                       "longest_gap_between_acks_s": longest_ack_gap(stats, t0 - 1,
                                                                     t1 + 2.0)}
    ok = all(v.get("applied", True) and v["failed_attempts"] == 0 for v in steps.values())
    return {"scenario": "expand (ADD COLUMN), rolling restart, contract (DROP COLUMN) under load",
            "primary": leader, **steps, "ok": ok}


def count_acks(stats, t0, t1):
    with stats.lock:
        return sum(1 for a in stats.attempts if a[2] == "ack" and t0 <= a[1] <= t1)


# ---- a mailbox stream across a hub node's death ----------------------------------------------

def ncbnet(env, *args):
    out = subprocess.run([env["NCBNET_BIN"], *args], capture_output=True, text=True, check=False)
    if out.returncode != 0:
        raise SystemExit(f"failover.py: ncbnet {' '.join(args)}: {out.stdout}{out.stderr}")
    return json.loads(out.stdout) if out.stdout.strip().startswith("{") else out.stdout


def agency_system(env, agency, work_dir):
    """A client certificate for `agency`'s system, issued with the network's CA."""
    prefix = os.path.join(work_dir, f"stream-{agency}")
    info = ncbnet(env, "cert", "issue", "--data-dir", env["HUB_DATA_DIRS"].split()[0],
                  "--agency", agency, "--out", prefix, "--json")
    return info.get("cert", prefix + ".crt"), info.get("key", prefix + ".key")


def sender_key(env, agency, cert, work_dir):
    """An Ed25519 key made by `ncbnet key generate` and registered for `agency`."""
    path = os.path.join(work_dir, f"signing-{agency}.key")
    if os.path.exists(path):
        os.unlink(path)
    ncbnet(env, "key", "generate", "--out", path, "--json")
    ncbnet(env, "key", "register", "--agency", agency, "--key", path, "--url",
           f"https://127.0.0.1:{env['HAPROXY_PORT']}", "--ca", env["HUB_CA_CERT"],
           "--cert", cert[0], "--cert-key", cert[1])
    with open(path, encoding="ascii") as f:
        return bytes.fromhex(f.read().strip())


def message_sender(args, env, cert, seed, run, stats, stop):
    """ncb-fra sends messages to ncb-deu without a pause, each signed (docs/message-format.md)
    and retried with the same content, hence the same idempotency key, until answered."""
    client = Client(int(env["HAPROXY_PORT"]), env["HUB_CA_CERT"], args.request_timeout, cert)
    key_id = msgutil.key_id_of(msgutil.public_key(seed))
    n = 0
    while not stop.is_set():
        n += 1
        if n % args.reconnect_every == 0:
            client.close()
        content = msgutil.content("ncb-fra", agencies=["ncb-deu"], subject=f"fo-{run}-{n}",
                                  idempotency_key=f"fo-{run}-msg-{n}")
        body = {"content": content, "key_id": key_id,
                "signature": msgutil.sign(seed, msgutil.canonical(content)).hex()}
        with stats.lock:
            stats.sent[content["idempotency_key"]] = content["subject"]
        outcome, _, _, answer, end = send_until_answered(client, stats, args.retry_delay, "POST",
                                                         "/v1/messages", body, None)
        if outcome == "ack":
            with stats.lock:
                stats.acked[content["idempotency_key"]] = (answer["message_id"],
                                                           content["subject"], end,
                                                           answer.get("duplicate") is True)
    client.close()


class StreamReader:
    """ncb-deu's mailbox over GET /v1/mailbox/stream through HAProxy. On any end of the
    connection it reconnects with after=<last cursor received>. Counts each message id."""

    def __init__(self, env, cert, after):
        self.env = env
        self.ctx = ssl.create_default_context(cafile=env["HUB_CA_CERT"])
        self.ctx.load_cert_chain(*cert)
        self.cursor = after
        self.seen = {}          # message id -> times received
        self.connections = 0
        self.ends = []          # (time, how the connection ended)
        self.first_after_end = []  # seconds from a connection's end to the next event
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)

    def connect(self):
        while not self.stop.is_set():
            try:
                ws = wsclient.WebSocket.connect(
                    "127.0.0.1", int(self.env["HAPROXY_PORT"]), self.ctx,
                    f"/v1/mailbox/stream?after={self.cursor}", timeout=10)
                with self.lock:
                    self.connections += 1
                return ws
            except (OSError, wsclient.Closed, wsclient.ProtocolError,
                    wsclient.UpgradeRefused) as e:
                with self.lock:
                    self.ends.append((time.monotonic(), f"connect: {e}"[:120]))
                time.sleep(0.1)
        return None

    def run(self):
        ended_at = None
        while not self.stop.is_set():
            ws = self.connect()
            if ws is None:
                return
            while not self.stop.is_set():
                try:
                    event = ws.recv_json(timeout=1.0)
                except TimeoutError:
                    continue
                except (OSError, wsclient.Closed, wsclient.ProtocolError) as e:
                    ended_at = time.monotonic()
                    with self.lock:
                        self.ends.append((ended_at, str(e)[:120]))
                    break
                if "cursor" not in event:  # an error body before a close frame
                    with self.lock:
                        self.ends.append((time.monotonic(), json.dumps(event)[:120]))
                    continue
                with self.lock:
                    self.cursor = event["cursor"]
                    if event["kind"] == "message":
                        self.seen[event["message_id"]] = self.seen.get(event["message_id"], 0) + 1
                    if ended_at is not None:
                        self.first_after_end.append(round(time.monotonic() - ended_at, 3))
                        ended_at = None
            ws.abort()


def newest_cursor(env, cert):
    client = Client(int(env["HAPROXY_PORT"]), env["HUB_CA_CERT"], 30, cert)
    after = 0
    while True:
        status, _, body = client.request("GET", f"/v1/mailbox?after={after}&limit=500")
        if status != 200:
            raise SystemExit(f"failover.py: GET /v1/mailbox: {status} {body}")
        if not body["events"]:
            client.close()
            return after
        after = body["next_cursor"]


def hub_node_of(env, samples=4):
    """The hub node that carries our connection through HAProxy: HAProxy's connection to a
    node cannot be matched to ours, so it is the one connection to a hub port present in every
    sample (the writers open new connections every few hundred milliseconds, and health checks
    are short). Returns the node number, or None if that is not one node."""
    persistent = None
    for i in range(samples):
        now = set()
        for node, port in enumerate(env["HUB_PORTS"].split(), start=1):
            out = subprocess.run(["ss", "-Htn", "state", "established", f"( sport = :{port} )"],
                                 capture_output=True, text=True, check=False).stdout
            now |= {(node, line.split()[-1]) for line in out.splitlines() if line.strip()}
        persistent = now if persistent is None else persistent & now
        if i + 1 < samples:
            time.sleep(1.0)
    nodes = {node for node, _ in persistent}
    return nodes.pop() if len(nodes) == 1 else None


def stream_across_death(env, args, run):
    """The stream scenario: a reader on ncb-deu's mailbox through HAProxy, a sender from
    ncb-fra; kill -9 the node carrying the stream, start it again; then check every message
    acknowledged to the sender reached the reader exactly once."""
    work_dir = os.path.join(env["CLUSTER_DIR"], f"stream-{run}")
    os.makedirs(work_dir, exist_ok=True)
    fra = agency_system(env, "ncb-fra", work_dir)
    deu = agency_system(env, "ncb-deu", work_dir)
    seed = sender_key(env, "ncb-fra", fra, work_dir)
    reader = StreamReader(env, deu, newest_cursor(env, deu))
    reader.thread.start()
    deadline = time.monotonic() + 30
    while reader.connections == 0 and time.monotonic() < deadline:
        time.sleep(0.1)
    node = hub_node_of(env)
    if node is None:
        raise SystemExit("failover.py: cannot tell which hub node carries the stream")
    stats = Stats()
    stop = threading.Event()
    sender = threading.Thread(target=message_sender,
                              args=(args, env, fra, seed, run, stats, stop), daemon=True)
    sender.start()
    time.sleep(args.warmup)
    pid, t0 = kill_hub(env, node)
    print(f"failover.py: kill -9 {pid}: hub node {node}, which carries the mailbox stream",
          flush=True)
    time.sleep(args.settle)
    new_pid = start_hub(env, node)
    print(f"failover.py: hub node {node} started again (pid {new_pid})", flush=True)
    time.sleep(args.warmup)
    stop.set()
    sender.join(timeout=120)
    acked = {v[0] for v in stats.acked.values()}
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:  # the last ones may still be on their way
        with reader.lock:
            if acked <= set(reader.seen):
                break
        time.sleep(0.2)
    reader.stop.set()
    reader.thread.join(timeout=10)
    with reader.lock:
        seen = dict(reader.seen)
        ends = [(round(t - t0, 3), how) for t, how in reader.ends]
    return {"scenario": f"mailbox stream across kill -9 of hub node {node}", "pid": pid,
            "messages_sent": len(stats.sent), "messages_acknowledged": len(acked),
            "sender": window_after(stats, t0),
            "answers_500": sum(1 for _, s, _ in stats.unexpected if s >= 500),
            "unexpected_statuses": [(s, b) for _, s, b in stats.unexpected][:10],
            "stream_connections": reader.connections,
            "stream_ends_after_kill_s": ends[:10],
            "end_to_next_event_s": reader.first_after_end,
            "received_distinct": len(seen),
            "acknowledged_not_received": len(acked - set(seen)),
            "received_twice": sum(1 for c in seen.values() if c > 1),
            "received_not_acknowledged": len(set(seen) - acked)}


# ---- the old primary cut off by a partition (cluster.sh with CLUSTER_NETNS=1) -----------------

def psql_on(env, member, sql):
    """`sql` on `member`'s PostgreSQL through its Unix socket (sockets are not cut by a network
    partition, so this looks inside the cut-off server). None if it does not answer."""
    n = int(member[len("pg"):])
    port = env["PG_PORTS"].split()[n - 1]
    out = subprocess.run(["psql", "-X", "-At", "-h", os.path.join(env["CLUSTER_DIR"], member),
                          "-p", port, "-U", "postgres", "-d", "ncbnet", "-c", sql],
                         capture_output=True, text=True, timeout=10, check=False)
    return out.stdout.strip() if out.returncode == 0 else None


def start_cut_off_hub(env, member, port):
    """A hub node on the old primary's machine (in its network namespace) whose store is that
    PostgreSQL alone: the side of the partition that must acknowledge nothing."""
    n = int(member[len("pg"):])
    data_dir = os.path.join(env["CLUSTER_DIR"], "hub", f"beside-{member}")
    if not os.path.isdir(data_dir):
        shutil.copytree(env["HUB_DATA_DIRS"].split()[0], data_dir,
                        ignore=shutil.ignore_patterns("indexes"))
    host, pg_port = env["PG_HOSTS"].split()[n - 1], env["PG_PORTS"].split()[n - 1]
    with open(os.path.join(data_dir, "ncbnet.toml"), "w", encoding="utf-8") as f:
        f.write(f"store = 'postgresql://ncbnet@{host}:{pg_port}/ncbnet?"
                "target_session_attrs=read-write&connect_timeout=2'\n")
    log = open(os.path.join(env["CLUSTER_DIR"], "log", f"hub-beside-{member}.log"), "ab")
    proc = subprocess.Popen(["ip", "netns", "exec", f"ncbnet-{member}", env["NCBNET_BIN"],
                             "serve", "--data-dir", data_dir, "--port", str(port)],
                            stdout=log, stderr=log, stdin=subprocess.DEVNULL,
                            start_new_session=True)
    log.close()
    return proc


def start_cut_off_client(env, args, member, port, token, parent, run, stop_file):
    """failover.py --cut-off-client in the old primary's namespace: writers through the hub
    beside it until `stop_file` exists; it then prints what it sent and what was answered."""
    cmd = ["ip", "netns", "exec", f"ncbnet-{member}", sys.executable, os.path.abspath(__file__),
           "--dir", env["CLUSTER_DIR"], "--cut-off-client", str(port), "--token", token,
           "--parent", parent, "--run", run, "--stop-file", stop_file,
           "--writers", str(args.writers), "--request-timeout", "10"]
    return subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True, start_new_session=True)


def cut_off_client(args, env):
    """The writers of the cut-off side (run by start_cut_off_client)."""
    env = dict(env, HAPROXY_PORT=str(args.cut_off_client))
    stats, stop = Stats(), threading.Event()
    for i in range(args.writers):
        threading.Thread(target=writer, args=(i, args, env, args.token, args.parent,
                                              f"{args.run}-cut", stats, stop),
                         daemon=True).start()
    while not os.path.exists(args.stop_file):
        time.sleep(0.1)
    with stats.lock:  # writers still retrying are abandoned: their keys stay unanswered
        print(json.dumps({"sent": stats.sent, "acked": {k: [v[0], v[2]] for k, v in
                                                       stats.acked.items()},
                          "in_doubt": stats.in_doubt, "attempts": stats.attempts}))
    return 0


def seconds_to_line(lines, wall_t0, needle):
    """Seconds from wall_t0 to the first Patroni log line holding `needle` (local time)."""
    for line in lines:
        if needle in line:
            stamp = time.mktime(time.strptime(line[:19], "%Y-%m-%d %H:%M:%S"))
            return round(stamp + int(line[20:23]) / 1000 - wall_t0, 2)
    return None


def wait_answers_in(netns, port, proc, timeout=60.0):
    """Until https://127.0.0.1:PORT/healthz answers 200 inside network namespace `netns`."""
    deadline = time.monotonic() + timeout
    while subprocess.run(["ip", "netns", "exec", netns, "curl", "-sfk", "--max-time", "2",
                          f"https://127.0.0.1:{port}/healthz"],
                         capture_output=True, check=False).returncode != 0:
        if time.monotonic() > deadline or proc.poll() is not None:
            raise SystemExit(f"failover.py: the hub in {netns} did not start")
        time.sleep(0.25)


def cut_and_watch(env, args, member, run):
    """Sets `member`'s veth down for --cut seconds, looking into the cut-off server every
    second through its Unix socket; then up again, and waits for the cluster to be whole."""
    veth = f"ncbnet-v{member[len('pg'):]}"
    patroni_log = os.path.join(env["CLUSTER_DIR"], "log", f"patroni{member[len('pg'):]}.log")
    seen = {"patroni_before": patroni_table(env), "log_offset": os.path.getsize(patroni_log)}
    subprocess.run(["ip", "link", "set", veth, "down"], check=True)
    t0 = seen["t0"] = time.monotonic()
    seen["wall_t0"] = time.time()
    print(f"failover.py: {veth} down: primary {member} cut off", flush=True)
    seen["inside"] = []  # (seconds since the cut, in recovery?, the cut side's rows)
    while time.monotonic() - t0 < args.cut:
        seen["inside"].append((round(time.monotonic() - t0, 1),
                               psql_on(env, member, "SELECT pg_is_in_recovery()"),
                               psql_on(env, member, "SELECT count(*) FROM agencies WHERE name"
                                                    f" LIKE 'fo-{run}-cut-%'")))
        time.sleep(1.0)
    seen["patroni_while_cut"] = patroni_table(env)
    subprocess.run(["ip", "link", "set", veth, "up"], check=True)
    seen["t1"] = time.monotonic()
    print(f"failover.py: {veth} up again after {seen['t1'] - t0:.1f} s", flush=True)
    seen["whole"] = wait_cluster_whole(env, 180)
    time.sleep(args.settle)
    with open(patroni_log, encoding="utf-8", errors="replace") as f:
        f.seek(seen["log_offset"])
        seen["log"] = f.read().splitlines()
    return seen


def judge_cut_side(cut_side, t0, stats):
    """Sorts the cut side's writes by when they were sent and answered, and adds those it
    answered to `stats` so that the final read-back checks them too."""
    ack_start = {a[1]: a[0] for a in cut_side.get("attempts", []) if a[2] == "ack"}
    acked = cut_side.get("acked", {})
    in_doubt = cut_side.get("in_doubt", {})
    # Sent after the cut and acknowledged: what the cut-off side must never do. A write sent
    # before the cut may be answered just after it, once its standby had confirmed it.
    after = [k for k, (_, end) in acked.items() if ack_start[end] >= t0]
    across = [k for k, (_, end) in acked.items() if ack_start[end] < t0 <= end]
    unanswered = [k for k in cut_side.get("sent", {}) if k not in acked and k not in in_doubt]
    with stats.lock:
        for key, (agency_id, end) in acked.items():
            stats.sent[key] = key
            stats.acked[key] = (agency_id, key, end, False)
        for key, name in in_doubt.items():
            stats.sent[key] = name
            stats.in_doubt[key] = name
    return {"cut_side_sent": len(cut_side.get("sent", {})),
            "cut_side_acked_before_cut": len(acked) - len(after) - len(across),
            "cut_side_sent_before_acked_after_cut": len(across),
            "cut_side_sent_after_cut_acked": len(after),
            "cut_side_unanswered": len(unanswered)}, unanswered


def partition(env, args, run, token, parent, stats):
    """Cuts the PostgreSQL primary's namespace off (its veth down) for --cut seconds while
    writers run on both sides, then heals it and waits for the cluster to be whole."""
    if env.get("CLUSTER_NETNS") != "1":
        raise SystemExit("failover.py: partition needs a cluster made with CLUSTER_NETNS=1")
    leaders = [m["Member"] for m in patroni_members(env) if m["Role"] == "Leader"]
    if len(leaders) != 1:
        raise SystemExit(f"failover.py: no single leader: {patroni_table(env)}")
    member = leaders[0]
    hub = start_cut_off_hub(env, member, 8443)
    stop_file = os.path.join(env["CLUSTER_DIR"], f"stop-cut-off-{run}")
    client = None
    try:
        wait_answers_in(f"ncbnet-{member}", 8443, hub)
        client = start_cut_off_client(env, args, member, 8443, token, parent, run, stop_file)
        time.sleep(args.warmup)
        seen = cut_and_watch(env, args, member, run)
    finally:
        with open(stop_file, "w", encoding="utf-8"):
            pass
        out = (client.communicate(timeout=60)[0] if client else "") or "{}"
        hub.terminate()
        hub.wait(timeout=30)
    with open(os.path.join(env["CLUSTER_DIR"], f"cut-side-{run}.json"), "w",
              encoding="utf-8") as f:
        f.write(out)
    t0, t1, lines = seen["t0"], seen["t1"], seen["log"]
    cut_side, unanswered = judge_cut_side(json.loads(out), t0, stats)
    rows = {m: psql_on(env, m, "SELECT count(*) FROM agencies WHERE name IN ("
                               + ",".join(f"'{k}'" for k in unanswered or ["-"]) + ")")
            for m in ("pg1", "pg2", "pg3")}
    answered_before_cut = (cut_side["cut_side_acked_before_cut"]
                           + cut_side["cut_side_sent_before_acked_after_cut"])
    return {"scenario": f"partition: primary {member} cut off for {args.cut:.0f} s",
            "cut_off": member, **window_after(stats, t0, t1),
            "longest_gap_between_acks_s": longest_ack_gap(stats, t0 - 1, t1),
            **cut_side,
            "inside_cut_off_server": seen["inside"],
            "unanswered_rows_after_heal": rows,
            "demoted_after_s": seconds_to_line(lines, seen["wall_t0"], "Demoting self"),
            "committed_locally_not_replicated": sum("already committed locally" in x
                                                    for x in lines),
            "pg_rewind": [x[24:] if x[:4].isdigit() else x for x in lines
                          if "pg_rewind:" in x or "pg_rewind exit" in x],
            "cluster_whole_again": seen["whole"],
            # The cut side must have written before the cut, or the step showed nothing.
            "ok": (cut_side["cut_side_sent_after_cut_acked"] == 0 and seen["whole"]
                   and all(v == "0" for v in rows.values()) and answered_before_cut > 0),
            "patroni_before": seen["patroni_before"],
            "patroni_while_cut": seen["patroni_while_cut"], "patroni_after": patroni_table(env)}


def login(env, password, args):
    client = Client(int(env["HAPROXY_PORT"]), env["HUB_CA_CERT"], args.request_timeout)
    with open(env["HUB_INIT_JSON"], encoding="utf-8") as f:
        user = json.load(f)["admin_user"]
    status, _, body = client.request("POST", "/v1/auth/login",
                                     {"user": user, "password": password})
    client.close()
    if status != 200:
        raise SystemExit(f"failover.py: login failed: {status} {body}")
    return body["token"]


def read_back(env, token, args):
    client = Client(int(env["HAPROXY_PORT"]), env["HUB_CA_CERT"], 60)
    for _ in range(50):
        try:
            status, _, body = client.request("GET", "/v1/agencies", None,
                                             {"Authorization": f"Bearer {token}"})
        except (OSError, http.client.HTTPException):
            time.sleep(0.2)
            continue
        if status == 200:
            client.close()
            return body["agencies"]
        time.sleep(0.2)
    raise SystemExit("failover.py: could not read the agencies back")


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dir", default=None,
                        help="the cluster's directory (default: the last `cluster.sh up`)")
    parser.add_argument("--writers", type=int, default=4)
    parser.add_argument("--scenario", default="primary,hub",
                        help="comma-separated steps, in order: primary, node, hub, rolling, stream,"
                             " partition, expand")
    parser.add_argument("--warmup", type=float, default=5.0, help="seconds of load before a kill")
    parser.add_argument("--settle", type=float, default=10.0,
                        help="seconds of load after writes resume, before the next step")
    parser.add_argument("--retry-delay", type=float, default=0.1,
                        help="seconds between retries of a failed write (Retry-After is 1)")
    parser.add_argument("--request-timeout", type=float, default=30.0)
    parser.add_argument("--reconnect-every", type=int, default=25,
                        help="each writer opens a new connection every N writes")
    parser.add_argument("--hub-node", type=int, default=2, help="the hub node to kill (1-3)")
    parser.add_argument("--rolling-pause", type=float, default=2.0,
                        help="rolling: seconds a node stays stopped before it is started again")
    parser.add_argument("--rolling-rise-wait", type=float, default=2.0,
                        help="rolling: seconds after a node answers before the next is stopped")
    parser.add_argument("--cut", type=float, default=25.0,
                        help="partition: seconds the primary stays cut off")
    parser.add_argument("--cut-off-client", type=int, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--token", help=argparse.SUPPRESS)
    parser.add_argument("--parent", help=argparse.SUPPRESS)
    parser.add_argument("--run", help=argparse.SUPPRESS)
    parser.add_argument("--stop-file", help=argparse.SUPPRESS)
    parser.add_argument("--json", default=None, help="also write the report to this file")
    args = parser.parse_args()

    cluster_dir = args.dir
    if cluster_dir is None:
        with open(os.path.join(os.environ.get("TMPDIR", "/tmp"), "ncbnet-cluster.current"),
                  encoding="utf-8") as f:
            cluster_dir = f.read().strip()
    env = load_env(os.path.join(cluster_dir, "cluster.env"))
    if args.cut_off_client is not None:
        return cut_off_client(args, env)
    with open(env["HUB_INIT_JSON"], encoding="utf-8") as f:
        password = json.load(f)["admin_password"]

    token = login(env, password, args)
    agencies = read_back(env, token, args)
    parent = next(a["id"] for a in agencies if a["id"] == "ncb-fra") if any(
        a["id"] == "ncb-fra" for a in agencies) else next(
        a["id"] for a in agencies if a.get("kind") == "ncb")
    run = f"{int(time.time())}"
    stats = Stats()
    stop = threading.Event()
    threads = [threading.Thread(target=writer, args=(i, args, env, token, parent, run, stats,
                                                     stop), daemon=True)
               for i in range(args.writers)]
    report = {"writers": args.writers, "retry_delay_s": args.retry_delay, "steps": []}
    load_start = time.monotonic()
    for t in threads:
        t.start()
    print(f"failover.py: {args.writers} writers through HAProxy on port {env['HAPROXY_PORT']}",
          flush=True)

    def wait_resumed(t0, limit=120.0, quiet=20.0):
        """Waits until, after a failure following t0, a write sent after that failure is
        acknowledged (or until no write failed for `quiet` seconds); then --settle seconds."""
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            with stats.lock:
                fails = [a[1] for a in stats.attempts if a[1] >= t0 and a[2] != "ack"]
                first_fail = min(fails) if fails else None
                resumed = first_fail is not None and any(
                    a[2] == "ack" and a[0] >= first_fail for a in stats.attempts)
            if resumed or (first_fail is None and time.monotonic() - t0 > quiet):
                break
            time.sleep(0.1)
        time.sleep(args.settle)

    for scenario in args.scenario.split(","):
        time.sleep(args.warmup)
        if scenario == "primary":
            before = patroni_table(env)
            member, pid, t0 = kill_primary(env)
            print(f"failover.py: kill -9 {pid}: PostgreSQL primary {member}", flush=True)
            wait_resumed(t0)
            t1 = time.monotonic()
            whole = wait_cluster_whole(env, 120)
            step = {"scenario": "kill -9 PostgreSQL primary", "killed": member, "pid": pid,
                    **window_after(stats, t0, t1),
                    "longest_gap_between_acks_s": longest_ack_gap(stats, t0 - 1, t1),
                    "cluster_whole_again": whole, "patroni_before": before,
                    "patroni_after": patroni_table(env)}
        elif scenario == "node":
            before = patroni_table(env)
            member, patroni_pid, pg_pid, t0 = kill_primary_node(env)
            print(f"failover.py: kill -9 {patroni_pid} {pg_pid}: Patroni and PostgreSQL primary"
                  f" {member}", flush=True)
            wait_resumed(t0)
            t1 = time.monotonic()
            during = patroni_table(env)
            start_patroni(env, member)
            whole = wait_cluster_whole(env, 180)
            step = {"scenario": "kill -9 Patroni and PostgreSQL primary (node lost)",
                    "killed": member, "pid": [patroni_pid, pg_pid],
                    **window_after(stats, t0, t1),
                    "longest_gap_between_acks_s": longest_ack_gap(stats, t0 - 1, t1),
                    "cluster_whole_again": whole, "patroni_before": before,
                    "patroni_while_lost": during, "patroni_after": patroni_table(env)}
        elif scenario == "hub":
            pid, t0 = kill_hub(env, args.hub_node)
            print(f"failover.py: kill -9 {pid}: hub node {args.hub_node}", flush=True)
            wait_resumed(t0)
            t1 = time.monotonic()
            new_pid = start_hub(env, args.hub_node)
            print(f"failover.py: hub node {args.hub_node} started again (pid {new_pid})",
                  flush=True)
            step = {"scenario": f"kill -9 hub node {args.hub_node}", "pid": pid,
                    **window_after(stats, t0, t1),
                    "longest_gap_between_acks_s": longest_ack_gap(stats, t0 - 1, t1)}
        elif scenario == "stream":
            step = stream_across_death(env, args, f"{run}-{len(report['steps'])}")
            stream_ok = (step["acknowledged_not_received"] == 0 and step["received_twice"] == 0
                         and step["answers_500"] == 0 and step["stream_connections"] > 1
                         and step["sender"]["window_s"] is not None)
            step["ok"] = stream_ok
        elif scenario == "partition":
            step = partition(env, args, f"{run}-{len(report['steps'])}", token, parent, stats)
        elif scenario == "expand":
            step = expand_contract(env, args, f"{run}-{len(report['steps'])}", stats)
        elif scenario == "rolling":
            step = rolling_restart(env, args, stats)
            time.sleep(args.settle)
        else:
            raise SystemExit(f"failover.py: unknown scenario {scenario}")
        report["steps"].append(step)
        print(json.dumps({k: v for k, v in step.items() if not k.startswith("patroni_")}),
              flush=True)
        for k in ("patroni_before", "patroni_while_lost", "patroni_while_cut", "patroni_after"):
            if k in step:
                print(f"{k}:\n{step[k]}", flush=True)

    time.sleep(args.warmup)
    stop.set()
    for t in threads:
        t.join(timeout=120)
    load_s = time.monotonic() - load_start

    # ---- checks ------------------------------------------------------------------------------
    agencies = read_back(env, token, args)
    by_name = {}
    for a in agencies:
        if a["name"].startswith(f"fo-{run}-"):
            by_name.setdefault(a["name"], []).append(a["id"])
    acked = stats.acked
    missing = [k for k, (aid, name, _, _) in acked.items() if aid not in by_name.get(name, [])]
    duplicated = {name: ids for name, ids in by_name.items() if len(ids) > 1}
    in_doubt_found = {k: len(by_name.get(name, [])) for k, name in stats.in_doubt.items()}
    never_sent = [name for name in by_name if name not in stats.sent]
    never_answered = [k for k in stats.sent if k not in acked and k not in stats.in_doubt]
    bad_status = [(s, b) for (_, s, b) in stats.unexpected]
    five_hundreds = [(s, b) for (s, b) in bad_status if s >= 500]
    audit = subprocess.run([env["NCBNET_BIN"], "audit", "verify", "--data-dir",
                            env["HUB_DATA_DIRS"].split()[0], "--json"],
                           capture_output=True, text=True, check=False)
    with stats.lock:
        total_attempts = len(stats.attempts)
    report.update({
        "load_seconds": round(load_s, 1),
        "writes_sent": len(stats.sent),
        "acknowledged_writes": len(acked),
        "sent_never_acknowledged": len(never_answered),
        "replayed_acknowledgements": sum(1 for v in acked.values() if v[3]),
        "attempts": total_attempts,
        "acknowledged_missing": len(missing),
        "written_twice": len(duplicated),
        "in_doubt": in_doubt_found,
        "rows_never_sent": len(never_sent),
        "unexpected_statuses": bad_status[:20],
        "answers_500": len(five_hundreds),
        "audit_verify_exit": audit.returncode,
        "audit_verify": audit.stdout.strip()[-400:] or audit.stderr.strip()[-400:],
    })
    ok = (not missing and not duplicated and not never_sent and not five_hundreds
          and not never_answered and all(s.get("ok", True) for s in report["steps"])
          and audit.returncode == 0 and all(v == 1 for v in in_doubt_found.values())
          and all(s.get("window_s", 0.0) is not None or s.get("failed_attempts") == 0
                  for s in report["steps"]))
    report["ok"] = ok
    summary = {k: v for k, v in report.items() if k != "steps"}
    print(json.dumps(summary, indent=1), flush=True)
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(report, f, indent=1)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
